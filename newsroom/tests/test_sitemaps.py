"""Sitemaps and robots.txt, parsed as XML and checked against what readers may see."""

from datetime import timedelta
from urllib.parse import unquote, urlsplit
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsroom.models import Article, Service
from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


def locations(root, element="url"):
    return [loc.text for loc in root.findall(f"sm:{element}/sm:loc", NS)]


def page_address(section, page):
    """A section's page as the index lists it: the first without `?p=`."""
    return f"/sitemap-{section}.xml" + (f"?p={page}" if page > 1 else "")


def path_of(url):
    parts = urlsplit(url)
    return unquote(parts.path) + (f"?{parts.query}" if parts.query else "")


@pytest.fixture
def mixed_articles():
    service = ServiceFactory(name="اخبار")
    published = [
        ArticleFactory(service=service, tags=["بیمه"]),
        ArticleFactory(published_at=timezone.now() - timedelta(days=30), tags=["درمان"]),
    ]
    ArticleFactory(draft=True, tags=["پیش‌نویس"])
    ArticleFactory(scheduled=True, tags=["آینده"])
    return published


def test_index_lists_every_section_and_the_news_sitemap(client, mixed_articles):
    root = xml_of(client, "/sitemap.xml")
    assert root.tag == f"{{{NS['sm']}}}sitemapindex"
    assert [path_of(url) for url in locations(root, "sitemap")] == [
        "/sitemap-articles.xml",
        "/sitemap-services.xml",
        "/sitemap-tags.xml",
        "/sitemap-news.xml",
    ]
    for lastmod in root.findall("sm:sitemap/sm:lastmod", NS):
        assert parse_datetime(lastmod.text).tzinfo is not None


def test_article_sitemap_is_exactly_the_published_articles(client, mixed_articles):
    root = xml_of(client, "/sitemap-articles.xml")
    expected = {
        "http://testserver" + article.get_absolute_url() for article in Article.objects.published()
    }
    assert set(locations(root)) == expected
    assert len(expected) == len(mixed_articles)


def test_article_lastmod_is_a_full_w3c_datetime(client, mixed_articles):
    root = xml_of(client, "/sitemap-articles.xml")
    for lastmod in root.findall("sm:url/sm:lastmod", NS):
        moment = parse_datetime(lastmod.text)
        assert moment is not None and moment.tzinfo is not None


def test_tag_sitemap_lists_only_tags_of_published_articles(client, mixed_articles):
    root = xml_of(client, "/sitemap-tags.xml")
    assert {path_of(url) for url in locations(root)} == {"/tag/بیمه/", "/tag/درمان/"}


def test_service_sitemap_lists_the_services(client, mixed_articles):
    ServiceFactory(name="اطلاعیه‌ها")
    root = xml_of(client, "/sitemap-services.xml")
    paths = [path_of(url) for url in locations(root)]
    assert sorted(paths) == sorted(unquote(s.get_absolute_url()) for s in Service.objects.all())
    assert "/service/اطلاعیه-ها/" in paths


def test_long_sections_continue_on_pages_listed_in_the_index(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    articles = [ArticleFactory() for _number in range(5)]

    index = [path_of(url) for url in locations(xml_of(client, "/sitemap.xml"), "sitemap")]
    assert index[:3] == [
        "/sitemap-articles.xml",
        "/sitemap-articles.xml?p=2",
        "/sitemap-articles.xml?p=3",
    ]
    seen = []
    for page in ("", "?p=2", "?p=3"):
        seen.extend(locations(xml_of(client, f"/sitemap-articles.xml{page}")))
    assert sorted(seen) == sorted("http://testserver" + a.get_absolute_url() for a in articles)
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404


def test_unknown_section_is_a_404(client):
    assert client.get("/sitemap-drafts.xml").status_code == 404


def test_news_sitemap_has_the_last_two_days_in_googles_format(client, mixed_articles):
    yesterday = ArticleFactory(
        title="خبر دیروز", published_at=timezone.now() - timedelta(days=1, hours=12)
    )
    ArticleFactory(published_at=timezone.now() - timedelta(days=3))

    root = xml_of(client, "/sitemap-news.xml")
    urls = root.findall("sm:url", NS)
    expected = [mixed_articles[0], yesterday]
    assert [url.find("sm:loc", NS).text for url in urls] == [
        "http://testserver" + article.get_absolute_url() for article in expected
    ]
    news = urls[1].find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text
    assert news.find("news:publication/news:language", NS).text == "fa"
    assert news.find("news:title", NS).text == "خبر دیروز"
    published = parse_datetime(news.find("news:publication_date", NS).text)
    assert published == yesterday.published_at.replace(microsecond=0)


def test_no_draft_or_scheduled_article_in_any_sitemap(client):
    hidden = [
        ArticleFactory(draft=True, title="پیش‌نویس محرمانه", tags=["پنهان"]),
        ArticleFactory(scheduled=True, title="زمان‌بندی‌شده", tags=["پنهان"]),
    ]
    ArticleFactory()
    for url in (
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-tags.xml",
        "/sitemap-news.xml",
    ):
        body = client.get(url).content.decode()
        for article in hidden:
            assert f"/news/{article.code}/" not in body
        assert "پنهان" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/sitemap-services.xml",
        "/sitemap-tags.xml",
        "/sitemap-news.xml",
    ],
)
def test_sitemap_query_count_does_not_grow_with_articles_and_tags(
    client, django_assert_max_num_queries, url
):
    ArticleFactory(tags=["بیمه"])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        ArticleFactory(service=ServiceFactory(), tags=[f"برچسب {number}", "بیمه"])
    cache.clear()  # rendered again, not read from the cache
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200


def test_robots_txt_points_to_both_sitemaps(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def test_robots_txt_answers_a_head_request(client):
    assert client.head("/robots.txt").status_code == 200


SITEMAP_URLS = [
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/sitemap-services.xml",
    "/sitemap-tags.xml",
    "/sitemap-news.xml",
]


@pytest.mark.parametrize("url", SITEMAP_URLS)
def test_a_sitemap_is_rendered_once_then_answered_from_the_cache(
    client, django_assert_num_queries, url
):
    ArticleFactory(tags=["بیمه"])
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(url)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]


def test_each_page_of_a_long_section_is_kept_separately(client, settings):
    settings.SITEMAP_PAGE_SIZE = 2
    for _number in range(3):
        ArticleFactory()
    first, second = client.get("/sitemap-articles.xml"), client.get("/sitemap-articles.xml?p=2")
    assert len(locations(ElementTree.fromstring(first.content))) == 2
    assert len(locations(ElementTree.fromstring(second.content))) == 1
    assert client.get("/sitemap-articles.xml?p=2").content == second.content


def test_a_new_article_reaches_the_sitemaps_once_the_kept_copy_expires(client, settings):
    settings.SITEMAP_CACHE_SECONDS = 1800
    ArticleFactory()
    client.get("/sitemap-articles.xml")
    new = ArticleFactory(title="خبر تازه")
    assert "http://testserver" + new.get_absolute_url() not in locations(
        xml_of(client, "/sitemap-articles.xml")
    )
    assert client.get("/sitemap-articles.xml")["Cache-Control"] == "max-age=1800"
    cache.clear()  # what the timeout does
    assert "http://testserver" + new.get_absolute_url() in locations(
        xml_of(client, "/sitemap-articles.xml")
    )


def test_a_page_holds_at_most_the_configured_number_of_addresses(client, settings):
    from django.conf import settings as defaults

    # Pages of 50,000 took seconds each at 30,000 articles; five hundred
    # render in well under 200 ms at 100,000 (bench/sitemaps.py).
    assert defaults.SITEMAP_PAGE_SIZE <= 1000
    settings.SITEMAP_PAGE_SIZE = 3
    for number in range(7):
        ArticleFactory(tags=[f"برچسب {number}"])
    for section, pages in (("articles", 3), ("tags", 3)):
        sizes = [
            len(locations(xml_of(client, page_address(section, page))))
            for page in range(1, pages + 1)
        ]
        assert sizes == [3, 3, 1], section
        assert client.get(f"/sitemap-{section}.xml?p={pages + 1}").status_code == 404


def test_the_tag_sitemap_reads_the_tags_own_index_not_the_articles(client):
    # Which tags have a published article, and its time, come from the
    # taggings alone (their (tag, publication time) index): the plan then
    # does not hang on the articles table's statistics, which were stale
    # after a large import and let the old join scan the archive per tag.
    ArticleFactory(tags=["بیمه"])
    with CaptureQueriesContext(connection) as queries:
        xml_of(client, "/sitemap-tags.xml")
    assert queries.captured_queries
    for query in queries.captured_queries:
        assert '"newsroom_article"' not in query["sql"], query["sql"]


def test_a_deep_page_of_articles_costs_one_short_query_once_the_pages_are_known(
    client, settings, django_assert_num_queries
):
    # Django's paginator counted the archive for every page and read page p
    # past all the articles before it; here each page is a range of codes.
    settings.SITEMAP_PAGE_SIZE = 2
    articles = [ArticleFactory() for _number in range(7)]
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)
    xml_of(client, "/sitemap.xml")  # finds where each page starts
    for page in (4, 3):
        with CaptureQueriesContext(connection) as queries:
            root = xml_of(client, page_address("articles", page))
        assert len(queries.captured_queries) == 1
        assert "OFFSET" not in queries.captured_queries[0]["sql"].upper()
        assert len(locations(root)) == (1 if page == 4 else 2)
    seen = []
    for page in (1, 2, 3, 4):
        seen.extend(locations(xml_of(client, page_address("articles", page))))
    assert sorted(seen) == sorted("http://testserver" + a.get_absolute_url() for a in articles)


@pytest.mark.parametrize(
    ("asked", "canonical"),
    [
        ("/sitemap-articles.xml?p=02", "/sitemap-articles.xml?p=2"),
        ("/sitemap-articles.xml?p=2&utm_source=1", "/sitemap-articles.xml?p=2"),
        ("/sitemap-articles.xml?p=1", "/sitemap-articles.xml"),
        ("/sitemap-tags.xml?x=1", "/sitemap-tags.xml"),
        ("/sitemap.xml?p=3", "/sitemap.xml"),
        ("/sitemap-news.xml?anything", "/sitemap-news.xml"),
    ],
)
def test_another_spelling_of_a_sitemap_is_sent_to_its_one_address_and_not_kept(
    client, settings, asked, canonical
):
    settings.SITEMAP_PAGE_SIZE = 1
    ArticleFactory(tags=["بیمه"])
    ArticleFactory(tags=["درمان"])
    cache.clear()
    response = client.get(asked)
    assert (response.status_code, response["Location"]) == (301, "http://testserver" + canonical)
    assert _cache_is_empty()
    assert client.get(canonical).status_code == 200


def test_a_page_number_that_names_no_page_is_a_404_and_not_kept(client):
    ArticleFactory()
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404
    kept = _cache_size()  # the 404 page's own parts (menu, side boxes) are kept
    for asked in ("0", "-1", "1e3", "۲", "9999999", "x" * 50):
        assert client.get(f"/sitemap-articles.xml?p={asked}").status_code == 404
    assert _cache_size() == kept


def test_a_port_in_the_host_header_never_reaches_a_sitemaps_links_or_the_cache(client):
    article = ArticleFactory()
    cache.clear()
    response = client.get("/sitemap-articles.xml", HTTP_HOST="testserver:6666")
    assert (response.status_code, response["Location"]) == (
        301,
        "http://testserver/sitemap-articles.xml",
    )
    assert _cache_is_empty()
    assert locations(xml_of(client, "/sitemap-articles.xml")) == [
        "http://testserver" + article.get_absolute_url()
    ]


def _cache_size():
    """How many entries the cache holds, whichever backend the tests run on."""
    if hasattr(cache, "_list_cache_files"):  # the embedded default's files
        return len(cache._list_cache_files())
    if hasattr(cache, "_cache") and hasattr(
        cache._cache, "get_client"
    ):  # Redis, a database of its own
        return cache._cache.get_client().dbsize()
    return len(cache._cache)  # local memory


def _cache_is_empty():
    return _cache_size() == 0
