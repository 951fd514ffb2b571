class UnicodeSlugConverter:
    """A slug of Persian (or any) letters, digits and hyphens.

    Django's `slug` converter matches ASCII only, so «تأمین-اجتماعی» needs this.
    """

    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value
