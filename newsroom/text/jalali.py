"""Jalali dates as readers type them, and the Gregorian moments they stand for."""

import re
from datetime import date, datetime, time

import jdatetime
from django.utils import timezone

from newsroom.text import persian

_JALALI_DATE_RE = re.compile(r"(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})")


def parse_date(text: str) -> date | None:
    """«۱۴۰۵/۰۹/۰۸», «1405-9-8» or «١٤٠٥.٠٩.٠٨» as a Gregorian date; None if not a date."""
    text = persian.to_ascii_digits(persian.strip_invisible(persian.fold(text or "")))
    match = _JALALI_DATE_RE.fullmatch(text)
    if not match:
        return None
    try:
        return jdatetime.date(*map(int, match.groups())).togregorian()
    except (ValueError, OverflowError):
        return None


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first moment of a Jalali month and of the next one, in Tehran time.

    Raises ValueError for a month that does not exist.
    """
    if not (1 <= month <= 12 and 1 <= year < jdatetime.MAXYEAR):
        raise ValueError("no such Jalali month")
    first = jdatetime.date(year, month, 1)
    following = jdatetime.date(year + month // 12, month % 12 + 1, 1)
    return start_of_day(first.togregorian()), start_of_day(following.togregorian())


def start_of_day(day: date) -> datetime:
    """Midnight at the start of a (Gregorian) day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
