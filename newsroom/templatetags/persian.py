"""Template filters for Persian display; installed as builtins, so no {% load %}."""

from django import template
from django.utils import timezone

from newsroom.text import persian

register = template.Library()


@register.filter(is_safe=True)
def fa_digits(value):
    """Persian digits in text or HTML, leaving tags, attributes and URLs as they are."""
    if value is None:
        return ""
    return persian.persian_digits_in_html(value)


@register.filter
def jalali(value, fmt=None):
    """«۸ آذر ۱۴۰۵ - ۱۴:۳۰» in Tehran time."""
    return persian.jalali(value, fmt) if fmt else persian.jalali(value)


@register.filter
def jalali_date(value):
    """«۸ آذر ۱۴۰۵»."""
    return persian.jalali_date(value)


@register.filter
def iso(value):
    """A moment for a `datetime` attribute: Tehran time, whole seconds."""
    if not value:
        return ""
    return timezone.localtime(value).replace(microsecond=0).isoformat()
