"""The admin's date navigation in Jalali years, months and days.

`{% jalali_date_hierarchy cl %}` stands in for Django's `{% date_hierarchy %}`
(templates/admin/change_list.html). Its links filter the list with the same
`<field>__gte` and `<field>__lt` parameters as the date filter
(newsroom.site.jalali_admin.JalaliDateFieldListFilter), bounded by the first
moments of Jalali years, months or days in Tehran time; the level shown is
read back from them.
"""

import datetime

import jdatetime
from django import template
from django.contrib.admin.utils import get_fields_from_path
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from newsroom.site.jalali_admin import jalali_bounds
from newsroom.text import persian

register = template.Library()

MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)


def _parse(value):
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _jalali_day(moment):
    return jdatetime.date.fromgregorian(date=timezone.localtime(moment).date())


def selected_period(start, end):
    """(year, month, day) of the Jalali period [start, end) covers; None parts when wider."""
    if start is None or end is None:
        return None
    first = _jalali_day(start)
    for period in (
        (first.year, first.month, first.day),
        (first.year, first.month, None),
        (first.year, None, None),
    ):
        if jalali_bounds(*period) == (start, end):
            return period
    return None


@register.inclusion_tag("admin/date_hierarchy.html")
def jalali_date_hierarchy(cl):
    field_name = cl.date_hierarchy
    field = get_fields_from_path(cl.model, field_name)[-1]
    is_datetime = isinstance(field, models.DateTimeField)
    since, until = f"{field_name}__gte", f"{field_name}__lt"
    field_generic = f"{field_name}__"

    def link(year, month=None, day=None):
        start, end = jalali_bounds(year, month, day)
        if not is_datetime:
            start, end = start.date(), end.date()
        return cl.get_query_string({since: str(start), until: str(end)}, [field_generic])

    def moment(value):
        return (
            value
            if is_datetime
            else timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        )

    period = selected_period(
        moment(_parse(cl.params.get(since))) if cl.params.get(since) else None,
        moment(_parse(cl.params.get(until))) if cl.params.get(until) else None,
    )
    digits = persian.to_persian_digits
    if period is None:
        first_last = cl.queryset.aggregate(
            first=models.Min(field_name), last=models.Max(field_name)
        )
        if first_last["first"] is None:
            return {"show": False}
        first = _jalali_day(moment(first_last["first"])).year
        last = _jalali_day(moment(first_last["last"])).year
        return {
            "show": True,
            "choices": [
                {"link": link(year), "title": digits(year)} for year in range(last, first - 1, -1)
            ],
        }
    year, month, day = period
    if day is not None:
        return {
            "show": True,
            "back": {"link": link(year, month), "title": f"{MONTHS[month - 1]} {digits(year)}"},
            "choices": [{"title": f"{digits(day)} {MONTHS[month - 1]} {digits(year)}"}],
        }
    # The days that have something, in the chosen year or month: at most 366 rows.
    days = sorted(
        {
            _jalali_day(moment(value))
            for value in (
                cl.queryset.datetimes(field_name, "day")
                if is_datetime
                else cl.queryset.dates(field_name, "day")
            )
        }
    )
    if month is not None:
        return {
            "show": True,
            "back": {"link": link(year), "title": digits(year)},
            "choices": [
                {
                    "link": link(year, month, jday.day),
                    "title": f"{digits(jday.day)} {MONTHS[month - 1]}",
                }
                for jday in days
                if jday.year == year and jday.month == month
            ],
        }
    months = sorted({jday.month for jday in days if jday.year == year})
    return {
        "show": True,
        "back": {"link": cl.get_query_string({}, [field_generic]), "title": gettext("All dates")},
        "choices": [
            {"link": link(year, jmonth), "title": f"{MONTHS[jmonth - 1]} {digits(year)}"}
            for jmonth in months
        ],
    }
