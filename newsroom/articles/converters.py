from newsroom.text import persian

# The largest news code a database column of ours holds.
_MAX_CODE = 2**31 - 1


class UnicodeSlugConverter:
    """A slug of Persian (or any) letters, digits and hyphens.

    Django's `slug` converter matches ASCII only, so «تأمین-اجتماعی» needs
    this. Spaces and non-joiners are matched too, so that an address typed
    another way («بیمه شدگان») reaches the view and is redirected to the
    tag's or service's own address rather than failing as no address at all.
    """

    regex = r"[-\w\u200c ]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


class AnyDigitsConverter:
    """A whole number in ASCII, Persian (۰-۹) or Arabic-Indic (٠-٩) digits, as readers type it.

    Zeros before it are allowed (the view redirects to the one spelling); a
    number too large for any news code or year is no address (a 404).
    """

    regex = r"[0-9\u06f0-\u06f9\u0660-\u0669]+"

    def to_python(self, value):
        digits = persian.to_ascii_digits(value).lstrip("0") or "0"
        if len(digits) > 10 or int(digits) > _MAX_CODE:
            raise ValueError("too large")
        return int(digits)

    def to_url(self, value):
        return str(value)
