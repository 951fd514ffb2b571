"""The home page as an agency's: lead and featured stories, breaking news, today's date,
the archive's month picker, the about and contact pages and the office's channels."""

import json
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.delivery import pages
from newsroom.models import Article, BreakingNews, DailyViews, OfficePage
from newsroom.text import jalali
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(response, css_class):
    html = response.content.decode()
    match = re.search(rf'<(section|article) class="{css_class}".*?</\1>', html, flags=re.S)
    return match.group(0) if match else ""


@pytest.fixture
def front(db):
    service = ServiceFactory(name="اخبار")
    older_lead = ArticleFactory(
        service=service,
        title="تیتر یک دیروز",
        placement=Article.Placement.LEAD,
        published_at=timezone.now() - timedelta(days=1),
    )
    lead = ArticleFactory(service=service, title="تیتر یک امروز", placement=Article.Placement.LEAD)
    second = ArticleFactory(
        service=service,
        title="منتخب دوم",
        placement=Article.Placement.FEATURED,
        placement_position=2,
    )
    first = ArticleFactory(
        service=service,
        title="منتخب اول",
        placement=Article.Placement.FEATURED,
        placement_position=1,
    )
    plain = ArticleFactory(service=service, title="خبر معمولی")
    return {"lead": lead, "older_lead": older_lead, "featured": [first, second], "plain": plain}


def test_the_newest_lead_story_heads_the_home_page(client, front):
    response = client.get("/")
    lead = section(response, "lead-story")
    assert "تیتر یک امروز" in lead
    assert front["lead"].lead in lead
    assert "تیتر یک دیروز" not in section(response, "front")


def test_featured_stories_follow_in_the_editors_order(client, front):
    top = section(client.get("/"), "front")
    assert "«تیتر یک»" not in top  # the heading is the words themselves
    assert top.index("منتخب اول") < top.index("منتخب دوم")
    assert "خبر معمولی" not in top


def test_a_draft_marked_as_lead_is_not_shown(client, front):
    ArticleFactory(title="پیش‌نویس تیتر یک", placement=Article.Placement.LEAD, draft=True)
    assert "پیش‌نویس تیتر یک" not in client.get("/").content.decode()


def test_unmarking_the_lead_takes_it_off_the_kept_home_page(client, front):
    assert "تیتر یک امروز" in section(client.get("/"), "lead-story")
    front["lead"].placement = Article.Placement.NONE
    front["lead"].save()
    assert "تیتر یک دیروز" in section(client.get("/"), "lead-story")


def test_breaking_news_is_a_line_at_the_top_until_it_ends(client, front):
    BreakingNews.objects.create(
        text="زلزله در استان", article=front["plain"], ends_at=timezone.now() + timedelta(hours=1)
    )
    response = client.get("/")
    line = section(response, "breaking")
    assert "خبر فوری" in line and "زلزله در استان" in line
    assert front["plain"].get_absolute_url() in line


def test_an_expired_breaking_item_vanishes_from_the_kept_page_by_itself(client, front):
    ends = timezone.now() + timedelta(minutes=5)
    BreakingNews.objects.create(text="خبر فوری کوتاه", ends_at=ends)
    first = client.get("/")
    assert "خبر فوری کوتاه" in first.content.decode()
    assert client.get("/")[pages.HIT_HEADER] == "hit"
    later = ends + timedelta(seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        response = client.get("/")
    assert "خبر فوری کوتاه" not in response.content.decode()


def test_a_breaking_item_scheduled_later_appears_at_its_time(client, front):
    starts = timezone.now() + timedelta(minutes=10)
    BreakingNews.objects.create(
        text="اطلاعیه فوری بعدی", starts_at=starts, ends_at=starts + timedelta(hours=1)
    )
    assert "اطلاعیه فوری بعدی" not in client.get("/").content.decode()
    with mock.patch("django.utils.timezone.now", return_value=starts + timedelta(seconds=1)):
        response = client.get("/")
    assert "اطلاعیه فوری بعدی" in response.content.decode()


def test_a_breaking_item_that_ends_before_it_starts_is_refused_beside_the_end(db):
    from django.core.exceptions import ValidationError

    now = timezone.now()
    item = BreakingNews(text="نادرست", starts_at=now, ends_at=now - timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "ends_at" in refused.value.message_dict


def test_the_header_shows_today_in_three_calendars(client, front):
    moment = timezone.make_aware(timezone.datetime(2026, 12, 6, 10, 0))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        text = text_of(client.get("/"))
    assert "یک‌شنبه ۱۵ آذر ۱۴۰۵" in text
    assert "جمادی‌الثانی ۱۴۴۸" in text
    assert "۶ دسامبر ۲۰۲۶" in text


def test_a_kept_page_does_not_show_yesterdays_date_after_midnight_in_tehran(client, front):
    # The coming 23:50 in Tehran, so that what the fixture stored at the real
    # time (the site's version, which knows the next midnight) is from before it.
    midnight = jalali.tomorrow_starts(timezone.now())
    evening = midnight - timedelta(minutes=10)
    if evening <= timezone.now():
        midnight += timedelta(days=1)
        evening += timedelta(days=1)
    today = jalali.today_in_three_calendars(timezone.localtime(evening).date())["jalali"]
    tomorrow = jalali.today_in_three_calendars(timezone.localtime(midnight).date())["jalali"]
    with mock.patch("django.utils.timezone.now", return_value=evening):
        assert today in text_of(client.get("/"))
        assert client.get("/")[pages.HIT_HEADER] == "hit"
    with mock.patch("django.utils.timezone.now", return_value=midnight + timedelta(minutes=5)):
        text = text_of(client.get("/"))
    assert tomorrow in text and today not in text


def test_every_headline_in_a_list_has_its_comment_count(client, front):
    CommentFactory.create_batch(3, article=front["lead"])
    CommentFactory(article=front["featured"][0])
    CommentFactory(article=front["featured"][0], status="pending")
    response = client.get("/")
    assert "۳ نظر" in section(response, "lead-story")
    front_html = section(response, "front")
    assert "۱ نظر" in front_html
    assert "۰ نظر" in front_html  # the second featured story has none
    for url in (front["lead"].service.get_absolute_url(), "/search/?q=تیتر"):
        assert "۳ نظر" in text_of(client.get(url)), url


def test_home_takes_at_most_six_queries_rendered_anew_with_its_parts_kept(client, front):
    BreakingNews.objects.create(text="فوری", ends_at=timezone.now() + timedelta(hours=1))
    assert client.get("/").status_code == 200
    from django.test import override_settings

    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) <= 6


def test_home_query_count_with_every_cache_empty_grows_with_nothing(client, front):
    from django.core.cache import cache

    def cold():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return len(queries)

    few = cold()
    for number in range(20):
        article = ArticleFactory(
            service=ServiceFactory(name=f"خدمت {number % 6}"),
            placement=Article.Placement.FEATURED if number % 3 else Article.Placement.NONE,
        )
        CommentFactory(article=article)
    assert cold() == few


def test_home_takes_at_most_six_queries_with_every_cache_empty(client, front):
    from django.core.cache import cache

    BreakingNews.objects.create(text="فوری", ends_at=timezone.now() + timedelta(hours=1))
    for number in range(9):
        article = ArticleFactory(service=ServiceFactory(name=f"خدمت {number % 3}"))
        CommentFactory.create_batch(number % 3 + 1, article=article)
        DailyViews.objects.create(article=article, day=timezone.localdate(), count=number + 1)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    assert len(queries) <= 6, [query["sql"] for query in queries]
    text = text_of(response)
    for shown in ("فوری", "تیتر یک امروز", "منتخب اول", "پربازدیدترین", "پربحث‌ترین", "۳ نظر"):
        assert shown in text, shown
    assert response.content.decode().count('class="service-section"') == 4


def test_a_page_past_the_last_of_the_home_is_not_found_even_with_the_count_kept(client, front):
    assert client.get("/").status_code == 200
    assert client.get("/?page=2").status_code == 404
    from django.core.cache import cache

    cache.clear()
    assert client.get("/?page=2").status_code == 404
    assert client.get("/").status_code == 200


def test_every_page_is_under_100_kilobytes(client, front):
    for _number in range(30):
        ArticleFactory(service=front["plain"].service, lead="لید " * 80, tags=["بیمه"])
    for url in ("/", front["lead"].get_absolute_url(), "/tag/بیمه/", "/archive/", "/search/?q=لید"):
        response = client.get(url)
        assert response.status_code == 200
        assert len(response.content) <= 100 * 1024, url


def test_archive_link_and_month_picker_lead_to_a_jalali_month(client, front):
    home = client.get("/").content.decode()
    assert 'href="/archive/"' in home
    picker = client.get("/archive/")
    assert 'name="year"' in picker.content.decode() and 'name="month"' in picker.content.decode()
    response = client.get("/archive/", {"year": "1405", "month": "9"})
    assert response.status_code == 302
    assert response["Location"] == "/archive/1405/09/"


def test_a_month_the_picker_does_not_offer_is_refused_beside_its_field(client, front):
    response = client.get("/archive/", {"year": "1200", "month": "xx"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="field__error"') == 2
    assert 'aria-invalid="true"' in html


def test_about_and_contact_pages_are_the_editors(client, db):
    page = OfficePage.objects.get(kind="about")
    page.body = "<p>درباره روابط عمومی</p><script>alert(1)</script>"
    page.save()
    response = client.get("/about/")
    assert response.status_code == 200
    assert "درباره روابط عمومی" in text_of(response)
    assert "<script>alert" not in response.content.decode()
    assert client.get("/contact/").status_code == 200
    home = client.get("/").content.decode()
    assert 'href="/about/"' in home and 'href="/contact/"' in home


def test_the_offices_channels_are_in_the_footer(client, db, settings):
    settings.OFFICE_CHANNELS = {"eitaa": "https://eitaa.com/tamin", "bale": "https://ble.ir/tamin"}
    html = client.get("/").content.decode()
    footer = html[html.index("<footer") :]
    assert 'href="https://eitaa.com/tamin"' in footer and "ایتا" in footer
    assert footer.index("eitaa.com") < footer.index("ble.ir")


def test_no_channels_no_empty_list(client, db, settings):
    settings.OFFICE_CHANNELS = {}
    assert 'class="channels"' not in client.get("/").content.decode()


def test_home_page_describes_the_office_and_its_search_to_search_engines(client, front):
    html = client.get("/").content.decode()
    blocks = [json.loads(b) for b in re.findall(r'ld\+json">(.*?)</script>', html, flags=re.S)]
    graph = next(block["@graph"] for block in blocks if "@graph" in block)
    kinds = {node["@type"]: node for node in graph}
    assert kinds["Organization"]["logo"]["url"].endswith("/static/img/logo.png")
    action = kinds["WebSite"]["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"


@pytest.fixture
def editor_in_role(client):
    from django.contrib.auth.models import Group

    from tests.factories import StaffFactory

    user = StaffFactory(username="role-editor")
    user.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(user)
    return user


def test_editors_place_an_article_and_write_breaking_news_and_the_about_page(
    client, editor_in_role
):
    article = ArticleFactory()
    form = client.get(f"/admin/newsroom/article/{article.pk}/change/").content.decode()
    assert 'name="placement"' in form and "تیتر یک" in form
    assert client.get("/admin/newsroom/breakingnews/add/").status_code == 200
    about = OfficePage.objects.get(kind="about")
    assert client.get(f"/admin/newsroom/officepage/{about.pk}/change/").status_code == 200


def test_both_rankings_read_together_are_the_rankings_read_apart(db):
    from comments.templatetags.comment_rankings import count_most_commented, popular_articles
    from newsroom.articles import reading

    for number in range(12):
        article = ArticleFactory(published_at=timezone.now() - timedelta(hours=number % 4))
        CommentFactory.create_batch(number % 4, article=article)
        CommentFactory(article=article, status="pending")
        if number % 3:
            DailyViews.objects.create(
                article=article, day=timezone.localdate(), count=(number * 7) % 5 + 1
            )
    popular = popular_articles()

    def ranked(articles, number):
        return [(article.pk, getattr(article, number)) for article in articles]

    assert ranked(popular["most_viewed"], "week_views") == ranked(
        reading.most_viewed(), "week_views"
    )
    assert ranked(popular["most_commented"], "recent_comments") == ranked(
        count_most_commented(), "recent_comments"
    )
    assert len(popular["most_viewed"]) == len(popular["most_commented"]) == reading.RANKING_SIZE


def test_home_with_its_parts_kept_reads_no_article_to_know_its_pages(client, front):
    from django.test import override_settings

    assert client.get("/").status_code == 200
    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert not [query["sql"] for query in queries if "newsroom_article" in query["sql"]]
