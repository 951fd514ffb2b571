"""What of a commenter only moderators see in the admin: the e-mail and the IP address.

Editors answer comments officially and so see them, but a reader's address
and e-mail are for deciding about spam and abuse, which is the moderators'
work. The fields are left out of every place the admin shows, searches,
filters or sorts them for anyone who may not moderate.
"""

from .services import may_moderate

PRIVATE_FIELDS = frozenset({"email", "ip_address"})
# Columns of a list that show a private field under a public one: for those
# who may not moderate, the public one alone.
PUBLIC_PART = {"name_and_address": "name"}


def _is_private(name) -> bool:
    return isinstance(name, str) and name.split("__", 1)[0] in PRIVATE_FIELDS


class CommenterPrivacyMixin:
    """For the comments' ModelAdmin: private fields only for those who may moderate."""

    def sees_commenter_details(self, request) -> bool:
        return may_moderate(request.user)

    def _public(self, request, names):
        if self.sees_commenter_details(request):
            return names
        return [name for name in names if not _is_private(name)]

    def get_list_display(self, request):
        names = self._public(request, super().get_list_display(request))
        if self.sees_commenter_details(request):
            return names
        return [PUBLIC_PART.get(name, name) for name in names]

    def get_list_filter(self, request):
        return self._public(request, super().get_list_filter(request))

    def get_search_fields(self, request):
        return self._public(request, super().get_search_fields(request))

    def get_sortable_by(self, request):
        return self._public(request, super().get_sortable_by(request))

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.sees_commenter_details(request):
            return fieldsets
        return [
            (title, {**options, "fields": self._public(request, options["fields"])})
            for title, options in fieldsets
        ]

    def lookup_allowed(self, lookup, value, request):
        # The changelist accepts any lookup on a model field in its URL
        # (?email__startswith=a): each would tell an editor something.
        if _is_private(lookup) and not self.sees_commenter_details(request):
            return False
        return super().lookup_allowed(lookup, value, request)
