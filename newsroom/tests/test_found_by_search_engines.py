"""What search engines, browsers and feed readers read: list pages' head, OpenSearch, 304s."""

import json
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
from django.utils import timezone
from django.utils.http import http_date

from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(service=ServiceFactory(name="اخبار"), tags=["بیمه"])


def head(response):
    html = response.content.decode()
    return html[: html.index("</head>")]


def json_ld_blocks(response):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', head(response), re.S)
    return [json.loads(block) for block in found]


def breadcrumb_names(response):
    for block in json_ld_blocks(response):
        if block.get("@type") == "BreadcrumbList":
            return [item["name"] for item in block["itemListElement"]]
    return None


@pytest.mark.parametrize(
    "url, canonical",
    [
        ("/", "http://testserver/"),
        ("/?page=1", "http://testserver/"),
        ("/service/اخبار/", "http://testserver/service/اخبار/"),
        ("/tag/بیمه/", "http://testserver/tag/بیمه/"),
        ("/archive/1405/09/", "http://testserver/archive/1405/09/"),
        ("/archive/", "http://testserver/archive/"),
        ("/search/?q=بیمه", "http://testserver/search/?q=%D8%A8%DB%8C%D9%85%D9%87"),
    ],
)
def test_every_list_page_has_a_canonical_address_and_open_graph(client, article, url, canonical):
    page = unquote(head(client.get(url)))
    canonical = unquote(canonical)
    assert f'<link rel="canonical" href="{canonical}">' in page
    assert f'<meta property="og:url" content="{canonical}">' in page
    assert '<meta property="og:type" content="website">' in page
    assert '<meta property="og:image" content="http://testserver/static/img/logo.png">' in page
    assert '<meta property="og:title" content="' in page


@pytest.mark.parametrize(
    "url, trail",
    [
        ("/service/اخبار/", ["صفحه نخست", "اخبار"]),
        ("/tag/بیمه/", ["صفحه نخست", "بیمه"]),
        ("/archive/1405/09/", ["صفحه نخست", "آرشیو", "آذر ۱۴۰۵"]),
    ],
)
def test_list_pages_carry_their_breadcrumbs(client, article, url, trail):
    assert breadcrumb_names(client.get(url)) == trail


def test_an_article_carries_its_breadcrumbs(client, article):
    names = breadcrumb_names(client.get(article.get_absolute_url()))
    assert names == ["صفحه نخست", "اخبار", article.title]


def test_the_publisher_logo_is_the_png(client, article):
    blocks = json_ld_blocks(client.get(article.get_absolute_url()))
    news = next(block for block in blocks if block.get("@type") == "NewsArticle")
    assert news["publisher"]["logo"]["url"] == "http://testserver/static/img/logo.png"


def test_the_opensearch_description_is_linked_and_searches_the_site(client, article):
    page = head(client.get("/"))
    assert (
        'rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"' in page
    )
    response = client.get("/opensearch.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/opensearchdescription+xml")
    body = response.content.decode()
    assert 'template="http://testserver/search/?q={searchTerms}"' in body
    short_name = re.search(r"<ShortName>(.*?)</ShortName>", body).group(1)
    assert 0 < len(short_name) <= 16


@pytest.mark.parametrize(
    "url", ["/feed/", "/feed/atom/", "/tag/بیمه/feed/", "/service/اخبار/feed/"]
)
def test_a_feed_unchanged_since_the_readers_copy_is_a_304(client, article, url):
    first = client.get(url)
    assert first.status_code == 200
    assert "Last-Modified" in first and "ETag" in first
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304 and by_date.content == b""
    by_tag = client.get(url, headers={"if-none-match": first["ETag"]})
    assert by_tag.status_code == 304


def test_a_feed_with_a_newer_article_is_sent_whole(client, article):
    old = http_date((timezone.now() - timedelta(days=1)).timestamp())
    response = client.get("/feed/", headers={"if-modified-since": old})
    assert response.status_code == 200
    assert article.title in response.content.decode()
