"""Only canonical pages are kept: no address a reader makes up fills the cache.

Each test counts what the cache holds (Redis keys, or the embedded
default's files) once the page's one copy is kept, then sends a flood of
addresses for it, and checks that the cache holds nothing more.
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from newsroom.delivery.pages import HIT_HEADER
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

pytestmark = pytest.mark.django_db

FLOOD = 25


def entries() -> int:
    """How many entries the cache holds."""
    if hasattr(cache, "_list_cache_files"):
        return len(cache._list_cache_files())
    return cache._cache.get_client().dbsize()


@pytest.fixture
def article():
    service = ServiceFactory(name="اخبار")
    return ArticleFactory(service=service, title="افزایش مستمری بازنشستگان", tags=["مستمری"])


@pytest.fixture
def reader():
    return Client()


def settled(reader, *urls, **headers):
    """Keep these pages (and what their 404s render), and return what the cache then holds."""
    for url in urls:
        reader.get(url, **headers)
        reader.get(url, **headers)
    return entries()


def test_unknown_query_parameters_share_the_one_copy(reader, article):
    address = article.get_absolute_url()
    before = settled(reader, address, "/")
    for number in range(FLOOD):
        for url in (address, "/"):
            response = reader.get(url, {"utm_source": number, "fbclid": f"x{number}"})
            assert response.status_code == 200
            assert response[HIT_HEADER] == "hit"
    assert entries() == before


@pytest.mark.parametrize("parameter", ["page", "comments"])
def test_page_numbers_that_are_not_pages_are_404s_and_kept_nowhere(reader, article, parameter):
    url = "/" if parameter == "page" else article.get_absolute_url()
    before = settled(reader, url, url + f"?{parameter}=2")
    values = ["0", "-1", "abc", "2", "99999", "1e3", "۲", " 1", "0" * 200 + "2"]
    values += [str(number) for number in range(3, 3 + FLOOD)]
    for value in values:
        assert reader.get(url, {parameter: value}).status_code == 404, value
    assert entries() == before


def test_one_page_number_spelled_many_ways_is_one_copy(reader, settings):
    settings.ARTICLES_PER_PAGE = 1
    ArticleFactory(title="خبر نخست")
    ArticleFactory(title="خبر دوم")
    before = settled(reader, "/", "/?page=2")
    for spelling in ("02", "002", "0000000002"):
        response = reader.get("/", {"page": spelling})
        assert response[HIT_HEADER] == "hit", spelling
    for spelling in ("1", "01", ""):
        assert reader.get("/", {"page": spelling})[HIT_HEADER] == "hit", spelling
    assert entries() == before


def test_the_note_after_a_comment_is_one_more_copy_whatever_is_asked(reader, article):
    address = article.get_absolute_url()
    before = settled(reader, address, address + "?comment=received")
    for number in range(FLOOD):
        response = reader.get(address, {"comment": f"received{number}"})
        assert response[HIT_HEADER] == "hit"
        assert "در انتظار" not in response.content.decode()
    assert entries() == before


def test_codes_with_zeros_and_wrong_slugs_redirect_and_keep_nothing(reader, article):
    address = article.get_absolute_url()
    slug = address.split("/")[3]
    before = settled(reader, address, f"/news/{article.code}/")
    for number in range(1, FLOOD):
        for url in (
            f"/news/{'0' * number}{article.code}/{slug}/",
            f"/news/{'0' * number}{article.code}/",
            f"/news/{article.code}/slug-{number}/",
        ):
            response = reader.get(url)
            assert response.status_code == 301, url
            assert response["Location"] == address
    assert entries() == before


def test_unknown_articles_tags_and_services_keep_nothing(reader, article):
    before = settled(reader, "/news/999999/", "/tag/ناموجود/", "/service/ناموجود/")
    for number in range(FLOOD):
        for url in (f"/news/{900000 + number}/", f"/tag/ناموجود-{number}/", f"/service/x{number}/"):
            assert reader.get(url).status_code == 404, url
    assert entries() == before


def test_the_hosts_port_does_not_split_the_cache(reader, article, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    address = article.get_absolute_url()
    before = settled(reader, address, "/", HTTP_HOST="localhost")
    for port in range(1, FLOOD + 1):
        for url in (address, "/"):
            response = reader.get(url, HTTP_HOST=f"localhost:{port}")
            assert response[HIT_HEADER] == "hit", port
            assert f"localhost:{port}" not in response.content.decode()
    for spelling in ("LOCALHOST", "localhost.", "Localhost:80"):
        assert reader.get(address, HTTP_HOST=spelling)[HIT_HEADER] == "hit", spelling
    assert entries() == before


def test_a_port_that_is_the_servers_own_stays_in_the_links(reader, article, settings):
    settings.ALLOWED_HOSTS = ["localhost"]
    html = reader.get(
        article.get_absolute_url(), HTTP_HOST="localhost:8000", SERVER_PORT="8000"
    ).content.decode()
    assert re.search(r'rel="canonical" href="http://localhost:8000/news/', html)


def test_readers_cookies_do_not_split_the_cache(article):
    address = article.get_absolute_url()
    before = settled(Client(), address)
    for number in range(FLOOD):
        reader = Client()
        reader.cookies["_ga"] = f"GA1.1.{number}"
        reader.cookies["csrftoken"] = f"{number:032d}"
        assert reader.get(address)[HIT_HEADER] == "hit"
    assert entries() == before


def test_comment_pages_within_range_are_kept_once_each(reader, article, settings):
    settings.COMMENTS_PER_PAGE = 1
    for number in range(3):
        CommentFactory(article=article, text=f"نظر {number}")
    address = article.get_absolute_url()
    pages = [address, address + "?comments=2", address + "?comments=3"]
    before = settled(reader, *pages, address + "?comments=4")  # a 404 renders the menu
    for spelling in ("1", "01", "02", "003"):
        assert reader.get(address, {"comments": spelling})[HIT_HEADER] == "hit", spelling
    for number in range(4, 4 + FLOOD):
        assert reader.get(address, {"comments": number}).status_code == 404
    assert entries() == before
