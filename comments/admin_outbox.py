"""The e-mail outbox in the admin: what was sent, what waits, what could not be sent.

Only superusers see it (readers' addresses are in it); an e-mail given up
after every attempt can be sent again from here once the mail server works.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from newsroom.text import persian

from . import outbox
from .models import OutgoingEmail


class DeliveryFilter(admin.SimpleListFilter):
    title = _("delivery")
    parameter_name = "delivery"

    def lookups(self, request, model_admin):
        return [
            ("waiting", _("waiting")),
            ("sent", _("sent")),
            ("given-up", _("given up")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.waiting()
        if self.value() == "sent":
            return queryset.exclude(sent_at=None)
        if self.value() == "given-up":
            return queryset.exclude(given_up_at=None)
        return queryset


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "to", "delivery", "attempts", "created_jalali"]
    list_filter = [DeliveryFilter, "kind"]
    search_fields = ["to", "subject"]
    fields = [
        "kind",
        "to",
        "subject",
        "body",
        "created_at",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "given_up_at",
        "last_error",
    ]
    readonly_fields = fields
    actions = ["send_again"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("delivery"))
    def delivery(self, email):
        if email.sent_at:
            return _("sent %(moment)s") % {"moment": persian.jalali(email.sent_at)}
        if email.given_up_at:
            return _("given up: %(error)s") % {"error": email.last_error[:120]}
        if email.attempts:
            return _("failed %(count)s times, next attempt %(moment)s") % {
                "count": persian.to_persian_digits(email.attempts),
                "moment": persian.jalali(email.next_attempt_at),
            }
        return _("waiting")

    @admin.display(description=_("created"), ordering="created_at")
    def created_jalali(self, email):
        return persian.jalali(email.created_at)

    @admin.action(description=_("Send the selected e-mails again"), permissions=["change"])
    def send_again(self, request, queryset):
        count = outbox.send_again(queryset)
        outbox.wake_sender()
        self.message_user(
            request,
            ngettext(
                "%(count)s e-mail will be sent again.",
                "%(count)s e-mails will be sent again.",
                count,
            )
            % {"count": persian.to_persian_digits(count)},
            messages.SUCCESS,
        )
