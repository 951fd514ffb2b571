"""The reader's pages, through the test client, as a reader sees them."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from newsroom.delivery import pages
from newsroom.models import Article
from tests.factories import ArticleFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    """What a reader reads: the page without tags, with spaces made single."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def sample_article():
    service = ServiceFactory(name="اخبار")
    return ArticleFactory(
        code=77759,
        surtitle="در نشست با روابط عمومی استان‌ها",
        title="ضرورت بازتعریف فعالیت‌ها و نحوه مواجهه با افکار عمومی",
        lead=(
            "روابط عمومی در سازمانی که حدود ۵۰ میلیون ذینفع دارد "
            "دیگر با رویکرد سنتی نمیتواند پیش برود."
        ),
        body="<p>به گزارش روابط عمومی سازمان تأمین اجتماعی، جلسه برگزار شد.</p>",
        service=service,
        published_at=datetime(2026, 11, 28, 11, 0, tzinfo=UTC),
        tags=["تأمین اجتماعی", "روابط عمومی"],
    )


def test_short_address_redirects_permanently_to_the_canonical_one(client, sample_article):
    response = client.get("/news/77759/")
    assert response.status_code == 301
    assert response["Location"] == quote(
        "/news/77759/ضرورت-بازتعریف-فعالیت-ها-و-نحوه-مواجهه-با-افکار-عمومی/"
    )


def test_wrong_slug_redirects_permanently_to_the_canonical_one(client, sample_article):
    response = client.get(quote("/news/77759/عنوان-قدیمی/"))
    assert response.status_code == 301
    assert response["Location"] == sample_article.get_absolute_url()


def test_article_page_shows_the_article_in_persian_right_to_left(client, sample_article):
    response = client.get(sample_article.get_absolute_url())
    html = response.content.decode()
    text = text_of(response)
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in html
    assert "در نشست با روابط عمومی استان‌ها" in text
    assert "<h1>ضرورت بازتعریف فعالیت‌ها و نحوه مواجهه با افکار عمومی</h1>" in html
    assert "حدود ۵۰ میلیون ذینفع" in text
    assert "جلسه برگزار شد." in text
    assert "منبع: روابط عمومی سازمان تأمین اجتماعی" in text
    assert "۷ آذر ۱۴۰۵ - ۱۴:۳۰" in text
    assert "کد خبر: ۷۷۷۵۹" in text
    assert 'href="/tag/' + quote("تأمین-اجتماعی") + '/"' in html or (
        'href="/tag/تأمین-اجتماعی/"' in html
    )


def test_related_articles_share_tags_and_are_at_most_five(client, sample_article):
    sharing_both = ArticleFactory(title="هر دو برچسب", tags=["تأمین اجتماعی", "روابط عمومی"])
    for number in range(6):
        ArticleFactory(title=f"هم‌برچسب {number}", tags=["تأمین اجتماعی"])
    ArticleFactory(title="بی‌ربط", tags=["درمان"])
    ArticleFactory(title="پیش‌نویس هم‌برچسب", tags=["تأمین اجتماعی"], draft=True)

    response = client.get(sample_article.get_absolute_url())
    related = response.context["related"]
    assert len(related) == 5
    assert related[0] == sharing_both
    titles = {article.title for article in related}
    assert "بی‌ربط" not in titles
    assert "پیش‌نویس هم‌برچسب" not in titles


@pytest.mark.parametrize("kind", ["unknown", "draft", "scheduled"])
def test_readers_get_a_persian_404_for_what_is_not_published(client, kind):
    code = 99999
    if kind == "draft":
        code = ArticleFactory(draft=True).code
    elif kind == "scheduled":
        code = ArticleFactory(scheduled=True).code
    for url in (f"/news/{code}/", f"/news/{code}/عنوان/"):
        response = client.get(url)
        assert response.status_code == 404
        assert '<html lang="fa" dir="rtl">' in response.content.decode()
        assert "صفحه پیدا نشد" in text_of(response)


@pytest.mark.parametrize("kind", ["draft", "scheduled"])
def test_staff_preview_unpublished_articles_unindexed_and_uncached(client, kind):
    article = ArticleFactory(**{kind: True})
    client.force_login(StaffFactory())
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_home_lists_latest_published_articles_paginated(client, settings):
    settings.ARTICLES_PER_PAGE = 3
    older = ArticleFactory(title="خبر قدیمی", published_at=timezone.now() - timedelta(days=9))
    newest = [ArticleFactory(title=f"خبر تازه {n}") for n in range(3)]
    ArticleFactory(title="خبر پیش‌نویس", draft=True)
    ArticleFactory(title="خبر زمان‌بندی‌شده", scheduled=True)

    first = client.get("/")
    assert list(first.context["page"].object_list) == sorted(
        newest, key=lambda a: (a.published_at, a.code), reverse=True
    )
    assert "خبر پیش‌نویس" not in text_of(first)
    assert "خبر زمان‌بندی‌شده" not in text_of(first)
    second = client.get("/?page=2")
    assert list(second.context["page"].object_list) == [older]


def test_home_shows_each_services_latest(client):
    pensions = ServiceFactory(name="بازنشستگان")
    notices = ServiceFactory(name="اطلاعیه‌ها")
    for number in range(6):
        ArticleFactory(title=f"بازنشستگی {number}", service=pensions)
    ArticleFactory(title="اطلاعیه مهم", service=notices)

    sections = dict(client.get("/").context["service_sections"])
    assert len(sections[pensions]) == 4
    assert [a.title for a in sections[notices]] == ["اطلاعیه مهم"]


@pytest.mark.parametrize("number", ["abc", "0", "-1", "2", "99999", "1.5", "۲", "9" * 40])
def test_a_page_that_is_not_one_is_a_persian_404_not_an_error(client, number):
    ArticleFactory()
    response = client.get("/", {"page": number})
    assert response.status_code == 404
    assert "صفحه پیدا نشد" in text_of(response)


def test_the_first_page_may_be_named_or_not(client):
    ArticleFactory(title="تنها خبر")
    for query in ({}, {"page": "1"}, {"page": ""}, {"page": "01"}):
        assert "تنها خبر" in text_of(client.get("/", query)), query


def test_service_page_has_a_persian_address_and_lists_its_articles(client):
    service = ServiceFactory(name="بیمه‌شدگان")
    mine = ArticleFactory(service=service, title="ویژه بیمه‌شدگان")
    ArticleFactory(title="خبر دیگر")
    response = client.get(quote("/service/بیمه-شدگان/"))
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    assert "<h1>بیمه‌شدگان</h1>" in response.content.decode()


def test_tag_page_has_a_persian_address_and_lists_only_published(client):
    tagged = ArticleFactory(title="درباره تأمین", tags=["تأمین اجتماعی"])
    ArticleFactory(title="پیش‌نویس", tags=["تأمین اجتماعی"], draft=True)
    ArticleFactory(title="آینده", tags=["تأمین اجتماعی"], scheduled=True)
    response = client.get("/tag/تأمین-اجتماعی/")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [tagged]
    assert "برچسب: تأمین اجتماعی" in text_of(response)


def test_unknown_tag_or_service_is_a_404(client):
    assert client.get("/tag/ناموجود/").status_code == 404
    assert client.get("/service/ناموجود/").status_code == 404


def queries_for(client, url):
    """The queries of a page rendered anew while its parts are kept (menu, rankings, lists).

    As after a comment is approved, or with the page cache off: the page
    itself is rendered, its parts come from the cache.
    """
    assert client.get(url).status_code == 200
    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert pages.HIT_HEADER not in response
    return len(queries)


@pytest.mark.parametrize("page", ["home", "tag", "service", "article"])
def test_query_count_does_not_grow_with_articles_and_tags(client, page):
    service = ServiceFactory(name="اخبار")
    target = ArticleFactory(service=service, tags=["بیمه", "درمان"])

    def url():
        return {
            "home": "/",
            "tag": "/tag/بیمه/",
            "service": "/service/اخبار/",
            "article": target.get_absolute_url(),
        }[page]

    few = queries_for(client, url())
    for number in range(25):
        other = ServiceFactory(name=f"خدمت {number % 5}")
        ArticleFactory(
            service=other if number % 2 else service, tags=["بیمه", "درمان", f"برچسب {number}"]
        )
    target.tags.add(*[f"افزوده {n}" for n in range(8)])
    many = queries_for(client, url())
    assert many == few
    assert many <= 6


@pytest.mark.parametrize("url", ["/service/اخبار/", "/tag/بیمه/"])
def test_a_list_whose_parts_are_kept_reads_nothing_and_follows_publication(client, url):
    """Its count is kept with the list, under the site's version: a new page appears at once."""
    service = ServiceFactory(name="اخبار")
    with override_settings(ARTICLES_PER_PAGE=3):
        ArticleFactory.create_batch(3, service=service, tags=["بیمه"])
        assert client.get(url).status_code == 200
        with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        # The service or tag, the count and the list are all kept.
        assert len(queries) == 0, queries.captured_queries
        assert client.get(url + "?page=2").status_code == 404

        ArticleFactory(service=service, tags=["بیمه"], title="خبر چهارم فهرست")
        with override_settings(PAGE_CACHE=False):
            second = client.get(url + "?page=2")
        assert second.status_code == 200
        assert "خبر چهارم فهرست" in text_of(client.get(url))


def test_an_article_whose_parts_are_kept_reads_nothing_and_a_draft_stays_hidden(client):
    article = ArticleFactory(tags=["بیمه"])
    assert client.get(article.get_absolute_url()).status_code == 200
    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert len(queries) == 0, queries.captured_queries

    # A draft an editor previewed is kept for the preview, never shown to readers.
    draft = ArticleFactory(draft=True, service=article.service)
    editor = type(client)()
    editor.force_login(StaffFactory())
    assert editor.get(draft.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(f"/news/{draft.code}/").status_code == 404


def test_search_by_news_code_in_persian_digits_goes_to_the_article(client, sample_article):
    response = client.get("/search/", {"q": "۷۷۷۵۹"})
    assert response.status_code == 302
    assert response["Location"] == sample_article.get_absolute_url()


def test_search_finds_words_typed_with_arabic_letters_and_without_zwnj(client, sample_article):
    response = client.get("/search/", {"q": "بازتعريف فعاليتها"})
    assert list(response.context["page"].object_list) == [sample_article]


def test_news_code_is_assigned_from_77759_and_then_the_next_free_number():
    first = ArticleFactory()
    second = ArticleFactory()
    assert (first.code, second.code) == (77759, 77760)
    ArticleFactory(code=80000)
    assert ArticleFactory().code == 80001


def test_tags_differing_only_in_arabic_letters_or_zwnj_are_one_tag():
    one = ArticleFactory(tags=["بیمه‌شدگان"])
    two = ArticleFactory(tags=["بيمه شدگان", "بیمهشدگان"])
    assert list(one.tags.all()) == list(two.tags.all())
    assert [tag.name for tag in two.tags.all()] == ["بیمه‌شدگان"]


def test_changing_tags_updates_the_search_document():
    article = ArticleFactory(title="خبر", tags=[])
    article.tags.add("همسان‌سازی")
    assert "همسانسازی" in Article.objects.get(pk=article.pk).search_document


def test_home_canonical_link_names_the_home(client):
    ArticleFactory()
    assert (
        '<link rel="canonical" href="http://testserver/">'
        in client.get(reverse("newsroom:home")).content.decode()
    )


def test_tag_and_service_pages_announce_their_own_feeds(client):
    service = ServiceFactory(name="اخبار")
    ArticleFactory(service=service, tags=["بیمه"])
    feed_link = r'<link rel="alternate" type="application/rss\+xml"[^>]*href="/{}/[^"/]+/feed/">'
    assert re.search(feed_link.format("tag"), client.get("/tag/بیمه/").content.decode())
    assert re.search(feed_link.format("service"), client.get("/service/اخبار/").content.decode())


def test_long_lists_stop_counting_and_send_older_news_to_the_archive(client, settings, monkeypatch):
    from newsroom.articles import views

    settings.ARTICLES_PER_PAGE = 2
    monkeypatch.setattr(views, "LIST_PAGES", 3)
    moment = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)  # 10 Aban 1405
    for number in range(8):
        ArticleFactory(title=f"خبر {number}", published_at=moment - timedelta(days=number))
    last = client.get("/", {"page": 3})
    assert "صفحه ۳ از ۳" in text_of(last)
    assert 'href="/archive/1405/8/"' in last.content.decode()
    assert client.get("/", {"page": 4}).status_code == 404
    first = client.get("/")
    pagination = first.content.decode().split('class="pagination"')[1].split("</nav>")[0]
    assert "/archive/" not in pagination


def test_a_tag_lists_its_articles_by_publication_even_after_a_reschedule(client):
    now = timezone.now()
    first = ArticleFactory(
        title="نخستین خبر", tags=["مستمری"], published_at=now - timedelta(days=3)
    )
    second = ArticleFactory(
        title="دومین خبر", tags=["مستمری"], published_at=now - timedelta(days=2)
    )
    assert list(client.get("/tag/مستمری/").context["page"].object_list) == [second, first]
    first.published_at = now - timedelta(hours=1)
    first.save()
    assert list(client.get("/tag/مستمری/").context["page"].object_list) == [first, second]
    first.published_at = now + timedelta(days=1)
    first.save()
    assert list(client.get("/tag/مستمری/").context["page"].object_list) == [second]


def test_a_tag_counts_its_pages_from_published_articles_only(client, settings):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory(title="خبر منتشرشده", tags=["مستمری"])
    draft = ArticleFactory(title="پیش‌نویس", tags=["مستمری"], draft=True)
    ArticleFactory(title="خبر آینده", tags=["مستمری"], scheduled=True)
    assert client.get("/tag/مستمری/").context["page"].paginator.num_pages == 1
    draft.status = Article.Status.PUBLISHED
    draft.published_at = timezone.now() - timedelta(minutes=5)
    draft.save()
    page = client.get("/tag/مستمری/").context["page"]
    assert page.paginator.num_pages == 2
    assert [article.title for article in page.object_list] == ["پیش‌نویس"]
    draft.status = Article.Status.DRAFT
    draft.save()
    assert client.get("/tag/مستمری/").context["page"].paginator.num_pages == 1


def test_related_news_are_those_sharing_most_tags(client):
    article = ArticleFactory(tags=["مستمری", "بازنشستگان", "همسان‌سازی"])
    one = ArticleFactory(title="یک برچسب مشترک", tags=["مستمری"])
    three = ArticleFactory(title="سه برچسب مشترک", tags=["مستمری", "بازنشستگان", "همسان‌سازی"])
    ArticleFactory(title="بی‌ربط", tags=["درمان"])
    ArticleFactory(title="پیش‌نویس مرتبط", tags=["مستمری"], draft=True)
    related = client.get(article.get_absolute_url()).context["related"]
    assert related == [three, one]
