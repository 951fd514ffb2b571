"""The header's date and the footer's channels, shown on every page."""

from django import template
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.text import jalali

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


@register.simple_tag
def header_date():
    """Today in Tehran in three calendars.

    Kept pages never show yesterday's: the site's version changes by itself
    at midnight in Tehran (newsroom/delivery/versions.py).
    """
    return jalali.today_in_three_calendars(timezone.localdate())


@register.simple_tag
def office_channels():
    """(key, name, address) of each of the office's channels, as settings list them."""
    return [
        (key, CHANNEL_NAMES.get(key, key), address)
        for key, address in settings.OFFICE_CHANNELS.items()
    ]
