"""Jalali dates as readers type them, and the Gregorian moments they stand for."""

import re
from datetime import date, datetime, time

import jdatetime
from django.utils import timezone
from hijridate import Gregorian

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


# The lunar Hijri months as Iranian readers write them.
HIJRI_MONTHS = (
    "محرم",
    "صفر",
    "ربیع‌الاول",
    "ربیع‌الثانی",
    "جمادی‌الاول",
    "جمادی‌الثانی",
    "رجب",
    "شعبان",
    "رمضان",
    "شوال",
    "ذی‌القعده",
    "ذی‌الحجه",
)
GREGORIAN_MONTHS = (
    "ژانویه",
    "فوریه",
    "مارس",
    "آوریل",
    "مه",
    "ژوئن",
    "ژوئیه",
    "اوت",
    "سپتامبر",
    "اکتبر",
    "نوامبر",
    "دسامبر",
)
# Years written in the archive's address above this are Gregorian: the Jalali
# calendar reaches 1800 only in the 25th century.
FIRST_GREGORIAN_YEAR = 1800
# Past this, a year is neither a Gregorian one a reader means nor a Jalali one.
LAST_GREGORIAN_YEAR = 2999


def today_in_three_calendars(day: date) -> dict:
    """A day as agencies head their pages: Jalali with its weekday, lunar Hijri, Gregorian.

    The Hijri date is the Umm al-Qura calendar's (hijridate); Iran's official
    lunar calendar follows the sighting of the moon and may differ by a day.
    """
    jalali_day = jdatetime.date.fromgregorian(date=day, locale="fa_IR")
    hijri = Gregorian(day.year, day.month, day.day).to_hijri()
    digits = persian.to_persian_digits
    return {
        "jalali": digits(jalali_day.strftime("%A %-d %B %Y")),
        "hijri": digits(f"{hijri.day} {HIJRI_MONTHS[hijri.month - 1]} {hijri.year}"),
        "gregorian": digits(f"{day.day} {GREGORIAN_MONTHS[day.month - 1]} {day.year}"),
        "iso": day.isoformat(),
    }


def tomorrow_starts(now: datetime) -> datetime:
    """The next midnight in the site's time zone (Tehran), as an aware moment."""
    today = timezone.localtime(now).date()
    return start_of_day(date.fromordinal(today.toordinal() + 1))


def jalali_month_of_gregorian(year: int, month: int) -> tuple[int, int]:
    """The Jalali month holding the middle (the 15th) of a Gregorian month: 2026/12 → 1405/9."""
    return current_month(date(year, month, 15))


def month_choices(today: date, first_year: int) -> tuple[list, list]:
    """The archive picker's years (newest first) and months, as (number, name in Persian)."""
    current = jdatetime.date.fromgregorian(date=today)
    years = [
        (year, persian.to_persian_digits(year)) for year in range(current.year, first_year - 1, -1)
    ]
    months = [
        (number, jdatetime.date(1400, number, 1, locale="fa_IR").strftime("%B"))
        for number in range(1, 13)
    ]
    return years, months


def current_month(today: date) -> tuple[int, int]:
    """The Jalali (year, month) of a Gregorian day."""
    day = jdatetime.date.fromgregorian(date=today)
    return day.year, day.month


def current_year(today: date) -> int:
    return current_month(today)[0]
