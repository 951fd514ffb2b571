"""Filters for the admin pages about the posting rules."""

from django import template

from newsroom.text import persian

from ..rules import flag_label

register = template.Library()


@register.filter
def rule_flag(flag):
    """A rule or flag as moderators read it: «possible accusation», not «accusation»."""
    return flag_label(str(flag))


@register.filter
def percent_fa(share):
    """0.875 → «۸۸٪»."""
    if share is None:
        return ""
    return persian.to_persian_digits(f"{round(share * 100)}") + "٪"
