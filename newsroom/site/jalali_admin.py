"""The admin in the Jalali calendar and Persian digits, for every model at once.

Staff type and read dates in the Jalali calendar wherever the admin shows
one: `install()` (called when the admin is loaded) makes

- every editable `DateTimeField` a `JalaliDateTimeField` with a Jalali
  picker (typed «۱۴۰۵/۰۹/۲۰ ۱۰:۳۰» or `1405-09-20 10:30`);
- every date filter count Jalali days, months and years
  (`JalaliDateFieldListFilter`: «این ماه» is this Jalali month);
- every date and number the admin displays by itself (change lists,
  read-only fields) Jalali with Persian digits.

The date hierarchy is the `jalali_date_hierarchy` tag of `admin_jalali`,
used by `templates/admin/change_list.html`.
"""

import datetime

import jdatetime
from django import forms
from django.contrib import admin
from django.contrib.admin import helpers, options
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.templatetags import admin_list
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom.text import persian

EXAMPLE = "۱۴۰۵/۰۹/۲۰ ۱۰:۳۰"


class JalaliDateTimeInput(forms.TextInput):
    """One box for a moment, with a Jalali picker as an enhancement.

    The picker is JalaliDatePicker (@majidh1/jalalidatepicker, served from
    static/admin/vendor/: months in Persian, weeks from Saturday, Persian
    digits, no inline script or style); `admin/newsroom/jalali.js` starts
    it. Without JavaScript the box still takes a typed date and time.
    """

    def __init__(self, attrs=None):
        defaults = {
            "class": "vTextField jalali-moment",
            "data-jdp": "",
            "dir": "ltr",
            "autocomplete": "off",
            "spellcheck": "false",
            "placeholder": EXAMPLE,
        }
        super().__init__({**defaults, **(attrs or {})})

    class Media:
        css = {
            "all": [
                "admin/vendor/jalalidatepicker/jalalidatepicker.min.css",
                "admin/newsroom/jalali.css",
            ]
        }
        js = ["admin/vendor/jalalidatepicker/jalalidatepicker.min.js", "admin/newsroom/jalali.js"]


class JalaliDateTimeField(forms.DateTimeField):
    """A moment typed in the Jalali calendar, in Persian or ASCII digits, in Tehran time.

    Never read as a Gregorian date: a year outside 1300–1500 is refused with
    a message that says so, and the typed text stays in the box.
    """

    widget = JalaliDateTimeInput
    default_error_messages = {
        "invalid": _(
            "Type a Jalali date as year/month/day and the time as hour:minute, "
            "for example %(example)s."
        ),
        "year": _("The year must be a Jalali year between %(first)s and %(last)s."),
        "date": _("There is no such day in the Jalali calendar."),
        "time": _("The time must be between 00:00 and 23:59."),
    }

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime):
            if value.second or value.microsecond:
                value = value.replace(microsecond=0)
                return persian.jalali_input(value) + value.strftime(":%S")
            return persian.jalali_input(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return from_current_timezone(value)
        try:
            moment = persian.parse_jalali(str(value))
        except persian.JalaliInputError as error:
            code = "invalid" if error.code == "format" else error.code
            raise ValidationError(
                self.error_messages[code],
                code=code,
                params={
                    "example": EXAMPLE,
                    "first": persian.to_persian_digits(persian.JALALI_YEARS.start),
                    "last": persian.to_persian_digits(persian.JALALI_YEARS.stop - 1),
                },
            ) from None
        return from_current_timezone(moment)

    def strptime(self, value, format):  # pragma: no cover - to_python never calls it
        raise ValueError("Jalali moments are parsed by to_python")


def jalali_bounds(year, month=None, day=None):
    """The first moment of a Jalali year, month or day and of the next, in Tehran time."""
    if day is not None:
        start = jdatetime.date(year, month, day)
        end = start + jdatetime.timedelta(days=1)
    elif month is not None:
        start = jdatetime.date(year, month, 1)
        end = jdatetime.date(year + month // 12, month % 12 + 1, 1)
    else:
        start = jdatetime.date(year, 1, 1)
        end = jdatetime.date(year + 1, 1, 1)
    return _start_of(start), _start_of(end)


def _start_of(jalali_day):
    return timezone.make_aware(
        datetime.datetime.combine(jalali_day.togregorian(), datetime.time.min)
    )


def jalali_today():
    return jdatetime.date.fromgregorian(date=timezone.localdate())


class JalaliDateFieldListFilter(admin.DateFieldListFilter):
    """Django's date filter with Jalali months and years: «این ماه» is this Jalali month."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        today = jalali_today()
        day_start, tomorrow = jalali_bounds(today.year, today.month, today.day)
        month_start, next_month = jalali_bounds(today.year, today.month)
        year_start, next_year = jalali_bounds(today.year)
        if not isinstance(field, models.DateTimeField):
            day_start, tomorrow, month_start, next_month, year_start, next_year = (
                moment.date()
                for moment in (day_start, tomorrow, month_start, next_month, year_start, next_year)
            )
        since, until = self.lookup_kwarg_since, self.lookup_kwarg_until
        links = [
            (_("Any date"), {}),
            (_("Today"), {since: day_start, until: tomorrow}),
            (
                _("Past 7 days"),
                {since: day_start - datetime.timedelta(days=7), until: tomorrow},
            ),
            (_("This month"), {since: month_start, until: next_month}),
            (_("This year"), {since: year_start, until: next_year}),
        ]
        self.links = (*links, *self.links[5:])  # Django's "No date" and "Has date" stay


def _digits(text):
    return persian.to_persian_digits(text)


_django_display_for_field = admin_utils.display_for_field
_django_display_for_value = admin_utils.display_for_value


def display_for_value(value, empty_value_display, boolean=False):
    """What the admin shows for a value: Jalali dates and Persian digits."""
    if not boolean and value not in (None, ""):
        if isinstance(value, datetime.datetime):
            return persian.jalali(value)
        if isinstance(value, datetime.date):
            return persian.jalali_date(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _digits(_django_display_for_value(value, empty_value_display))
    return _django_display_for_value(value, empty_value_display, boolean)


def display_for_field(value, field, empty_value_display, avoid_link=False):
    """What the admin shows for a model field's value: Jalali dates and Persian digits."""
    if not getattr(field, "flatchoices", None) and value not in (None, ""):
        if isinstance(field, models.DateTimeField):
            return persian.jalali(value)
        if isinstance(field, models.DateField):
            return persian.jalali_date(value)
        if isinstance(field, (models.IntegerField, models.FloatField, models.DecimalField)):
            return _digits(_django_display_for_field(value, field, empty_value_display))
    return _django_display_for_field(value, field, empty_value_display, avoid_link)


def install():
    """Make the whole admin Jalali and Persian; safe to call more than once."""
    options.FORMFIELD_FOR_DBFIELD_DEFAULTS[models.DateTimeField] = {
        "form_class": JalaliDateTimeField,
        "widget": JalaliDateTimeInput,
    }
    if not getattr(admin.FieldListFilter, "_jalali_installed", False):
        admin.FieldListFilter.register(
            lambda field: isinstance(field, models.DateField),
            JalaliDateFieldListFilter,
            take_priority=True,
        )
        admin.FieldListFilter._jalali_installed = True
    # The admin looks these two up by name in three modules; a change list
    # column, a read-only field and a method's result all pass through them.
    for module in (admin_utils, helpers, admin_list):
        if hasattr(module, "display_for_field"):
            module.display_for_field = display_for_field
        if hasattr(module, "display_for_value"):
            module.display_for_value = display_for_value
