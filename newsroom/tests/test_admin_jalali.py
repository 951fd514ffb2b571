"""Editors type and read dates in the Jalali calendar, in Persian digits, all over the admin."""

import re
from datetime import datetime, timedelta

import jdatetime
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.models import Article
from newsroom.site.jalali_admin import jalali_bounds, jalali_today
from newsroom.text import persian
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/newsroom/article/"


def member_of(group, username):
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(client):
    user = member_of("ویراستار", "editor")
    client.force_login(user)
    return user


def form_for(article=None, **changes):
    service = article.service if article else ServiceFactory(name="اخبار")
    data = {
        "code": article.code if article else "",
        "surtitle": "",
        "title": article.title if article else "تمدید مهلت ارسال فهرست بیمه",
        "lead": article.lead if article else "مهلت ارسال فهرست بیمه تمدید شد.",
        "body": article.body if article else "<p>متن خبر</p>",
        "image_caption": "",
        "kind": "news",
        # The photo report's inline, empty.
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "service": service.pk,
        "tags": "",
        "source": "روابط عمومی",
        "status": "published",
        "published_at": "",
        "comments_open": "on",
    }
    data.update(changes)
    return data


def tehran(year, month, day, hour=0, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def field_errors(response, name):
    return [str(error) for error in response.context["adminform"].form.errors.get(name, [])]


@pytest.mark.parametrize("typed", ["۱۴۰۵/۰۹/۲۰ ۱۰:۳۰", "1405-09-20 10:30", "١٤٠٥/٠٩/٢٠ ١٠:٣٠"])
def test_a_typed_jalali_moment_is_the_publication_time(client, editor, typed):
    response = client.post(f"{LIST}add/", form_for(published_at=typed, status="draft"))
    assert response.status_code == 302, field_errors(response, "published_at")
    article = Article.objects.get()
    assert article.published_at == tehran(2026, 12, 11, 10, 30)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2026-12-11 10:30", "سال باید سالی شمسی میان ۱۳۰۰ و ۱۵۰۰ باشد."),
        ("1405-09-12", None),
        ("784-09-12 10:00", "سال باید سالی شمسی میان ۱۳۰۰ و ۱۵۰۰ باشد."),
        ("۱۴۰۵/۱۲/۳۱ ۱۰:۰۰", "چنین روزی در تقویم شمسی نیست."),
        ("1405/13/01", "چنین روزی در تقویم شمسی نیست."),
        ("1405/09/20 25:00", "ساعت باید میان ۰۰:۰۰ و ۲۳:۵۹ باشد."),
        ("فردا صبح", "تاریخ شمسی را به صورت سال/ماه/روز"),
    ],
)
def test_a_date_that_is_not_a_jalali_date_is_refused_beside_the_field_and_kept(
    client, editor, typed, message
):
    response = client.post(f"{LIST}add/", form_for(published_at=typed))
    if message is None:
        # 1405-09-12 is a good Jalali date: saved as such, never as the year 1405 AD.
        assert response.status_code == 302
        assert timezone.localtime(Article.objects.get().published_at).year == 2026
        return
    assert response.status_code == 200
    assert not Article.objects.exists()
    errors = field_errors(response, "published_at")
    assert errors and errors[0].startswith(message)
    html = response.content.decode()
    row = html[: html.index('name="published_at"')]
    row = row[row.rindex('<div class="form-row') :]
    assert message in row
    assert f'value="{typed}"' in html


def test_the_form_shows_the_publication_time_in_jalali_with_the_picker(client, editor):
    article = ArticleFactory(published_at=tehran(2026, 12, 11, 10, 30))
    html = client.get(f"{LIST}{article.pk}/change/").content.decode()
    box = re.search(r'<input[^>]*name="published_at"[^>]*>', html).group(0)
    assert 'value="1405/09/20 10:30"' in box
    assert "data-jdp" in box
    assert "admin/vendor/jalalidatepicker/jalalidatepicker.min.js" in html
    assert "admin/newsroom/jalali.js" in html


def test_the_list_shows_jalali_times_persian_digits_and_what_is_scheduled(client, editor):
    ArticleFactory(code=77800, title="منتشرشده", published_at=tehran(2026, 12, 1, 9, 0))
    ArticleFactory(code=77801, title="زمان‌بندی‌شده", published_at=timezone.now() + timedelta(days=3))
    ArticleFactory(code=77802, title="پیش‌نویس", draft=True)
    html = client.get(LIST).content.decode()
    assert "۱۰ آذر ۱۴۰۵ - ۰۹:۰۰" in html
    assert "۷۷۸۰۰" in html and ">77800<" not in html
    scheduled = Article.objects.get(code=77801)
    assert f"زمان‌بندی‌شده: {persian.jalali(scheduled.published_at)}" in html
    row = html[html.index("۷۷۸۰۰") :]
    assert "منتشرشده" in row[:1500]
    assert "پیش‌نویس" in html
    assert "۳ خبرها" in html or "۳ خبر" in html
    assert "۰ از ۳ انتخاب" in html


def test_the_form_says_when_a_scheduled_article_will_appear(client, editor):
    article = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    html = client.get(f"{LIST}{article.pk}/change/").content.decode()
    assert f"زمان‌بندی‌شده: {persian.jalali(article.published_at)}" in html


def test_read_only_times_are_jalali(client, editor):
    article = ArticleFactory()
    html = client.get(f"{LIST}{article.pk}/change/").content.decode()
    assert persian.jalali(article.created_at) in html


def test_this_month_is_the_jalali_month(client, editor):
    today = jalali_today()
    month_start, next_month = jalali_bounds(today.year, today.month)
    ArticleFactory(title="اول ماه", published_at=month_start + timedelta(hours=1))
    ArticleFactory(title="پایان ماه پیش", published_at=month_start - timedelta(hours=1))
    response = client.get(LIST)
    date_filter = next(
        spec for spec in response.context["cl"].filter_specs if spec.title == "زمان انتشار"
    )
    links = {
        str(choice["display"]): choice["query_string"]
        for choice in date_filter.choices(response.context["cl"])
    }
    assert "این ماه" in links and "امسال" in links
    this_month = client.get(LIST + links["این ماه"])
    titles = {article.title for article in this_month.context["cl"].result_list}
    assert "اول ماه" in titles
    assert "پایان ماه پیش" not in titles


def test_the_date_navigation_walks_jalali_years_months_and_days(client, editor):
    ArticleFactory(title="آذر", published_at=tehran(2026, 12, 11, 10, 0))  # ۲۰ آذر ۱۴۰۵
    ArticleFactory(title="اسفند", published_at=tehran(2026, 3, 10, 10, 0))  # ۱۹ اسفند ۱۴۰۴
    top = client.get(LIST).content.decode()
    years = re.findall(r'<a href="(\?[^"]*)">(۱۴۰[۴۵])</a>', top)
    assert {title for _link, title in years} == {"۱۴۰۴", "۱۴۰۵"}
    year_link = dict((title, link) for link, title in years)["۱۴۰۵"].replace("&amp;", "&")
    year = client.get(LIST + year_link)
    assert [a.title for a in year.context["cl"].result_list] == ["آذر"]
    months = re.findall(r'<a href="(\?[^"]*)">([^<]+ ۱۴۰۵)</a>', year.content.decode())
    assert [title for _link, title in months] == ["آذر ۱۴۰۵"]
    month = client.get(LIST + months[0][0].replace("&amp;", "&"))
    assert "۲۰ آذر" in month.content.decode()
    start, end = jalali_bounds(1405, 9)
    assert start == tehran(2026, 11, 22) and end == tehran(2026, 12, 22)


def test_a_date_in_the_old_gregorian_parameters_is_not_a_500(client, editor):
    ArticleFactory()
    response = client.get(LIST, {"published_at__gte": "not-a-date"})
    assert response.status_code in (200, 302)


def test_an_articles_history_is_in_jalali(client, editor):
    article = ArticleFactory()
    client.post(
        f"{LIST}{article.pk}/change/",
        form_for(
            article, title="تیتر تازه", published_at=persian.jalali_input(article.published_at)
        ),
    )
    html = client.get(f"{LIST}{article.pk}/history/").content.decode()
    version = article.history.latest()
    assert persian.jalali(version.history_date) in html


def test_a_comment_page_shows_jalali_times(client):
    comment = CommentFactory(status="pending")
    client.force_login(member_of("ناظر نظرات", "moderator"))
    html = client.get(f"/admin/comments/comment/{comment.pk}/change/").content.decode()
    assert persian.jalali(comment.created_at) in html


def test_the_changelist_costs_the_same_queries_for_more_articles(client, editor):
    ArticleFactory.create_batch(3)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    ArticleFactory.create_batch(20)
    with CaptureQueriesContext(connection) as many:
        client.get(LIST)
    assert len(many) == len(few)


def test_jalali_day_helpers_agree_with_jdatetime():
    start, end = jalali_bounds(1403, 12)
    assert jdatetime.date.fromgregorian(date=timezone.localtime(start).date()) == jdatetime.date(
        1403, 12, 1
    )
    assert jdatetime.date.fromgregorian(date=timezone.localtime(end).date()) == jdatetime.date(
        1404, 1, 1
    )
