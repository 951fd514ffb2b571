"""The header's date and the footer's channels, shown on every page."""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from newsroom.articles.signals import page_changes_at
from newsroom.text import jalali
from newsroom.text.sanitize import clean_body

register = template.Library()

# The channels the footer knows by name; another name is shown as it is written.
CHANNEL_NAMES = {
    "telegram": _("Telegram"),
    "eitaa": _("Eitaa"),
    "bale": _("Bale"),
    "rubika": _("Rubika"),
    "soroush": _("Soroush"),
    "whatsapp": _("WhatsApp"),
    "instagram": _("Instagram"),
    "x": _("X"),
    "aparat": _("Aparat"),
}


@register.simple_tag(takes_context=True)
def header_date(context):
    """Today in Tehran in three calendars; the page is not kept past midnight.

    A page kept in the cache would otherwise show yesterday's date until it
    expired: the page says when its date ends, as a closing comment section does.
    """
    now = timezone.now()
    request = context.get("request")
    if request is not None:
        page_changes_at.send(sender=None, request=request, moment=jalali.tomorrow_starts(now))
    return jalali.today_in_three_calendars(timezone.localdate(now))


@register.simple_tag
def office_channels():
    """(key, name, address) of each of the office's channels, as settings list them."""
    return [
        (key, CHANNEL_NAMES.get(key, key), address)
        for key, address in settings.OFFICE_CHANNELS.items()
    ]


@register.filter(is_safe=True)
def editors_html(html):
    """An editor's HTML (about and contact pages) cleaned as an article's body is."""
    return mark_safe(clean_body(html or ""))
