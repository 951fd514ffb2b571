"""Accountability in pictures: charts drawn on the server, their numbers in tables and CSV."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.accountability import (
    decisions_per_moderator,
    unanswered_by_age,
    week_start,
    weekly_medians,
)
from comments.models import Comment, Refusal
from tests.factories import CommentFactory

from .helpers import moderator, visible_text

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def decided(*, posted_days_ago, after_hours, by, status="approved", text="نظر"):
    comment = CommentFactory(status=status, text=text)
    created = NOW - timedelta(days=posted_days_ago)
    Comment.objects.filter(pk=comment.pk).update(
        created_at=created, moderated_at=created + timedelta(hours=after_hours), moderated_by=by
    )
    return comment


def asked(*, days_ago, text="مستمری کی واریز می‌شود؟", status="approved"):
    comment = CommentFactory(status=status, text=text)
    Comment.objects.filter(pk=comment.pk).update(created_at=NOW - timedelta(days=days_ago))
    comment.refresh_from_db()
    return comment


def answered(question, *, after_hours):
    answer = CommentFactory(
        article=question.article, parent=question, thread=question, is_official=True
    )
    Comment.objects.filter(pk=answer.pk).update(
        created_at=question.created_at + timedelta(hours=after_hours)
    )


def test_weeks_start_on_saturday_in_tehran():
    saturday = week_start(timezone.make_aware(timezone.datetime(2026, 3, 21, 0, 30)))
    assert saturday.weekday() == 5
    friday_night = timezone.make_aware(timezone.datetime(2026, 3, 20, 23, 59))
    assert week_start(friday_night) == saturday - timedelta(days=7)


def test_weekly_medians_count_each_decision_in_the_week_it_was_made():
    staff = moderator()
    decided(posted_days_ago=0.5, after_hours=2, by=staff)
    decided(posted_days_ago=0.4, after_hours=4, by=staff)
    decided(posted_days_ago=0.3, after_hours=9, by=staff)
    # Posted weeks ago, decided only now: it counts this week, with its long wait.
    decided(posted_days_ago=20, after_hours=20 * 24 - 1, by=staff)
    question = asked(days_ago=0.2)
    answered(question, after_hours=3)
    answered(question, after_hours=4)  # the first answer is what counts
    weeks = weekly_medians(weeks=4, now=NOW + timedelta(hours=1))
    assert len(weeks) == 4 and weeks[-1].start == week_start(NOW + timedelta(hours=1))
    this_week = weeks[-1]
    assert this_week.moderated == 4
    assert this_week.moderation == timedelta(hours=(4 + 9) / 2)
    assert (this_week.answered, this_week.answer) == (1, timedelta(hours=3))
    assert all(week.moderated == 0 and week.moderation is None for week in weeks[:-1])


def test_unanswered_questions_by_age():
    asked(days_ago=0.5)
    asked(days_ago=2)
    asked(days_ago=2.5, status="pending")
    asked(days_ago=40)
    answered(asked(days_ago=1.5), after_hours=1)
    asked(days_ago=1, text="ممنون از اطلاع‌رسانی")  # not a question
    asked(days_ago=1, status="rejected")  # not waiting for an answer
    assert unanswered_by_age(now=NOW) == [
        ("day", 1),
        ("three-days", 2),
        ("week", 0),
        ("four-weeks", 0),
        ("older", 1),
    ]


def test_decisions_per_moderator():
    sara = moderator("sara")
    reza = moderator("reza")
    get_user_model().objects.filter(pk=sara.pk).update(first_name="سارا", last_name="احمدی")
    for status in ("approved", "approved", "rejected"):
        decided(posted_days_ago=1, after_hours=1, by=sara, status=status)
    decided(posted_days_ago=1, after_hours=1, by=reza, status="spam")
    decided(posted_days_ago=45, after_hours=1, by=reza, status="approved")  # too old
    rows = decisions_per_moderator(days=30, now=NOW)
    assert [(r.name, r.approved, r.rejected, r.spam) for r in rows] == [
        ("سارا احمدی", 2, 1, 0),
        ("reza", 0, 0, 1),
    ]


@pytest.fixture
def staff(client):
    user = moderator()
    client.force_login(user)
    return user


def test_the_page_draws_each_chart_as_svg_with_its_numbers_in_a_table(client, staff):
    decided(posted_days_ago=1, after_hours=3, by=staff)
    asked(days_ago=2)
    Refusal.objects.create(text="x", rule="insult")
    response = client.get("/admin/comments/comment/accountability/")
    assert response.status_code == 200
    html = response.content.decode()
    figures = html.split('<figure class="chart"')[1:]
    assert len(figures) == 4
    for figure in figures:
        assert '<svg class="chart__svg"' in figure and 'role="img"' in figure
        assert "<title" in figure
        assert '<table class="chart__table">' in figure
        assert ".csv" in figure
    assert "style=" not in "".join(figures)
    assert re.search(r"<script>(?!</script>)", html) is None
    weekly = figures[0]
    assert "۳٫۰ ساعت" in weekly  # the bar's value and the table's cell
    assert 'class="chart__bar chart__bar--0"' in weekly
    unanswered = visible_text(figures[1])
    assert "۱ تا ۳ روز ۱" in unanswered
    moderators = visible_text(figures[2])
    assert "moderator ۱ ۰ ۰" in moderators
    rules = visible_text(figures[3])
    assert "توهین ۱۰۰٪" in rules


def test_a_bar_is_as_long_as_its_value_against_the_largest():
    from comments.charts import Chart, Row, Series

    chart = Chart(
        slug="t",
        title="t",
        label_heading="l",
        series=[Series("n", str)],
        rows=[Row("a", [10]), Row("b", [5]), Row("c", [None]), Row("d", [0])],
    )
    widths = [bars[0].width for _row, _y, bars in chart.drawn_rows()]
    assert widths[0] == 2 * widths[1] and widths[2] == 0 and widths[3] == 0
    assert [bars[0].text for _row, _y, bars in chart.drawn_rows()][2] == "—"
    # Bars grow leftwards from the labels, on the right.
    bar = chart.drawn_rows()[0][2][0]
    assert bar.x + bar.width == chart.axis_x


@pytest.mark.parametrize("chart", ["weekly", "unanswered", "moderators", "rules"])
def test_each_chart_is_exported_as_csv(client, staff, chart):
    decided(posted_days_ago=1, after_hours=3, by=staff)
    asked(days_ago=2)
    Refusal.objects.create(text="x", rule="insult")
    response = client.get(f"/admin/comments/comment/accountability/{chart}.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) >= 2 and len({len(row) for row in rows}) == 1


def test_the_csv_holds_plain_numbers(client, staff):
    decided(posted_days_ago=1, after_hours=3, by=staff)
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/admin/comments/comment/accountability/weekly.csv")
                .content.decode()
                .lstrip("\ufeff")
            )
        )
    )
    last = rows[-1]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", last[0])
    assert last[1] == "3.00" and last[3] == "1"


def test_an_unknown_chart_is_a_404_and_others_may_not_read_them(client, staff):
    assert client.get("/admin/comments/comment/accountability/nothing.csv").status_code == 404
    client.force_login(get_user_model().objects.create_user("clerk", is_staff=True))
    assert client.get("/admin/comments/comment/accountability/weekly.csv").status_code == 403


def test_editors_may_read_the_figures(client):
    editor = get_user_model().objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(editor)
    assert client.get("/admin/comments/comment/accountability/rules.csv").status_code == 200
