"""The accountability page: figures as tables and as charts drawn on the server, each as CSV too."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from newsroom.text import persian

from . import learning, rules
from .accountability import (
    AGREEMENT_DAYS,
    PERIODS,
    accountability_report,
    decisions_per_moderator,
    unanswered_by_age,
    weekly_medians,
)
from .charts import Chart, Row, Series

WEEKS = 12
DECISION_DAYS = 30

AGE_LABELS = {
    "day": gettext_lazy("under a day"),
    "three-days": gettext_lazy("1 to 3 days"),
    "week": gettext_lazy("3 to 7 days"),
    "four-weeks": gettext_lazy("1 to 4 weeks"),
    "older": gettext_lazy("more than 4 weeks"),
}


def _hours(delta):
    return delta.total_seconds() / 3600


def _hours_shown(hours):
    number = persian.to_persian_digits(f"{hours:.1f}").replace(".", "٫")
    return _("%(hours)s h") % {"hours": number}


def _count_shown(number):
    return persian.to_persian_digits(number)


def _percent_shown(share):
    return persian.to_persian_digits(f"{share:.0f}") + "٪"


def weekly_chart(now=None) -> Chart:
    weeks = weekly_medians(weeks=WEEKS, now=now)
    hours = Series(_("median to a decision"), _hours_shown, lambda h: f"{h:.2f}")
    answer_hours = Series(_("median to an official answer"), _hours_shown, lambda h: f"{h:.2f}")
    return Chart(
        slug="weekly",
        title=_("Median hours to a decision and to an official answer, week by week"),
        note=_(
            "Each week counts the decisions and answers given in it, from the Saturday it "
            "starts on, however long the comment had waited."
        ),
        label_heading=_("week from"),
        series=[hours, answer_hours],
        rows=[
            Row(
                label=persian.jalali_date(week.start),
                raw_label=week.start.isoformat(),
                values=[
                    _hours(week.moderation) if week.moderation is not None else None,
                    _hours(week.answer) if week.answer is not None else None,
                ],
            )
            for week in weeks
        ],
        extra_columns=_week_counts(weeks),
    )


def _week_counts(weeks):
    by_start = {week.start.isoformat(): week for week in weeks}
    return [
        (
            _("decisions"),
            lambda row: _count_shown(by_start[row.raw_label].moderated),
            lambda row: by_start[row.raw_label].moderated,
        ),
        (
            _("answers"),
            lambda row: _count_shown(by_start[row.raw_label].answered),
            lambda row: by_start[row.raw_label].answered,
        ),
    ]


def unanswered_chart(now=None) -> Chart:
    return Chart(
        slug="unanswered",
        title=_("Questions without an official answer, by how long they have waited"),
        label_heading=_("waiting"),
        series=[Series(_("questions"), _count_shown)],
        rows=[
            Row(label=str(AGE_LABELS[key]), raw_label=key, values=[count])
            for key, count in unanswered_by_age(now=now)
        ],
    )


def moderators_chart(now=None) -> Chart:
    decisions = decisions_per_moderator(days=DECISION_DAYS, now=now)
    return Chart(
        slug="moderators",
        title=_("Decisions per moderator over the last %(days)s days")
        % {"days": persian.to_persian_digits(DECISION_DAYS)},
        label_heading=_("moderator"),
        series=[
            Series(_("approved"), _count_shown),
            Series(_("rejected"), _count_shown),
            Series(_("spam"), _count_shown),
        ],
        rows=[Row(label=d.name, values=[d.approved, d.rejected, d.spam]) for d in decisions],
        note=_("Only readers' comments: official answers are not decisions."),
    )


def agreement_chart() -> Chart:
    rows = learning.agreement(days=AGREEMENT_DAYS)
    by_rule = {row.rule: row for row in rows}
    return Chart(
        slug="rules",
        title=_("How often moderators agreed with each posting rule, last %(days)s days")
        % {"days": persian.to_persian_digits(AGREEMENT_DAYS)},
        label_heading=_("rule"),
        series=[Series(_("agreement"), _percent_shown, lambda share: f"{share:.1f}")],
        rows=[
            Row(
                label=rules.flag_label(row.rule),
                raw_label=row.rule,
                values=[row.share * 100 if row.share is not None else None],
            )
            for row in rows
        ],
        note=_(
            "Comments the rules held and a moderator then decided, and comments the rules "
            "refused: agreed when the moderator did not publish them."
        ),
        extra_columns=[
            (
                _("agreed"),
                lambda row: _count_shown(by_rule[row.raw_label].agreed),
                lambda row: by_rule[row.raw_label].agreed,
            ),
            (
                _("overruled"),
                lambda row: _count_shown(by_rule[row.raw_label].overruled),
                lambda row: by_rule[row.raw_label].overruled,
            ),
        ],
    )


CHARTS = {
    "weekly": weekly_chart,
    "unanswered": unanswered_chart,
    "moderators": moderators_chart,
    "rules": lambda now=None: agreement_chart(),
}


class AccountabilityAdminMixin:
    """For the comments' ModelAdmin: the accountability page and its CSV files."""

    def get_urls(self):
        return [
            path(
                "accountability/",
                self.admin_site.admin_view(self.accountability_view),
                name="comments_comment_accountability",
            ),
            path(
                "accountability/<slug:chart>.csv",
                self.admin_site.admin_view(self.accountability_csv),
                name="comments_comment_accountability_csv",
            ),
            *super().get_urls(),
        ]

    def accountability_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        now = timezone.now()
        report = accountability_report(now=now)
        rows = [(_("All services"), [report.overall[days] for days in PERIODS])]
        rows += [
            (service, [medians[days] for days in PERIODS])
            for service, medians in sorted(report.by_service.items())
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Accountability"),
            "report": report,
            "periods": PERIODS,
            "rows": rows,
            "charts": [make(now=now) for make in CHARTS.values()],
        }
        return TemplateResponse(request, "admin/comments/accountability.html", context)

    def accountability_csv(self, request, chart):
        if not self.has_view_permission(request):
            raise PermissionDenied
        if chart not in CHARTS:
            raise Http404("no such chart")
        figures = CHARTS[chart]()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="accountability-{chart}.csv"'
        # A byte-order mark, so that spreadsheet programs read the Persian right.
        response.write("\ufeff")
        writer = csv.writer(response)
        for cells in figures.csv_rows():
            writer.writerow(cells)
        return response
