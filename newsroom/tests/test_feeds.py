"""RSS and Atom feeds, read the way a news reader reads them: with feedparser."""

import calendar
import shutil
from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

import feedparser
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from newsroom.articles import feeds
from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db

FEED_KINDS = ["rss", "atom"]


def feed_url(base, kind):
    return base + ("atom/" if kind == "atom" else "")


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def codes_in(parsed):
    return [int(entry.id.rstrip("/").rsplit("/", 1)[1]) for entry in parsed.entries]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def small_jpeg(width=64, height=40):
    buffer = BytesIO()
    Image.new("RGB", (width, height), "#0b4f8a").save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_site_feed_lists_only_published_articles_newest_first(client, kind):
    older = ArticleFactory(published_at=timezone.now() - timedelta(days=3))
    newer = ArticleFactory()
    ArticleFactory(draft=True)
    ArticleFactory(scheduled=True)

    response, parsed = parse(client, feed_url("/feed/", kind))
    assert codes_in(parsed) == [newer.code, older.code]
    expected_type = "application/atom+xml" if kind == "atom" else "application/rss+xml"
    assert response["Content-Type"].startswith(expected_type)


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_feed_item_has_title_link_lead_dates_and_tag_categories(client, kind):
    article = ArticleFactory(
        title="افزایش مستمری بازنشستگان",
        lead="مستمری بازنشستگان از فروردین افزایش می‌یابد.",
        tags=["بازنشستگان", "مستمری"],
    )

    _response, parsed = parse(client, feed_url("/feed/", kind))
    entry = parsed.entries[0]
    assert entry.title == "افزایش مستمری بازنشستگان"
    assert entry.link == "http://testserver" + article.get_absolute_url()
    assert entry.summary == "مستمری بازنشستگان از فروردین افزایش می‌یابد."
    assert {tag.term for tag in entry.tags} == {"بازنشستگان", "مستمری"}
    # Dates are machine dates (RFC 822 / RFC 3339), not the Jalali calendar of the pages.
    published = calendar.timegm(entry.published_parsed)
    assert published == int(article.published_at.timestamp())
    assert parsed.feed.language == "fa"


def test_rss_dates_are_rfc_822_in_english_whatever_the_language(client):
    ArticleFactory()
    xml = client.get("/feed/").content.decode()
    pub_date = xml.split("<pubDate>")[1].split("</pubDate>")[0]
    assert pub_date[:3] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
    assert pub_date.endswith("+0000")
    assert not any("\u0600" <= ch <= "\u06ff" for ch in pub_date)


def test_guid_is_the_short_link_so_a_corrected_title_is_not_a_new_item(client):
    article = ArticleFactory(title="عنوان با غلط")
    before = parse(client, "/feed/")[1].entries[0].id
    article.title = "عنوان درست"
    article.save()
    after = parse(client, "/feed/")[1].entries[0]
    assert before == after.id == f"http://testserver/news/{article.code}/"
    assert after.link.endswith(quote("/عنوان-درست/"))


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_image_is_an_enclosure_of_its_resized_copy_with_its_type_and_size(client, media, kind):
    article = ArticleFactory(image=small_jpeg(3000, 2000))
    ArticleFactory()  # one without an image has no enclosure

    _response, parsed = parse(client, feed_url("/feed/", kind))
    with_image, without_image = parsed.entries[1], parsed.entries[0]
    assert without_image.get("enclosures", []) == []
    (enclosure,) = with_image.enclosures
    assert enclosure.href != "http://testserver" + article.image.url  # not the original
    assert enclosure.href.startswith("http://testserver/media/renditions/")
    assert enclosure.type == "image/jpeg"
    copy = media / enclosure.href.split("/media/", 1)[1]
    assert int(enclosure.length) == copy.stat().st_size < article.image.size
    with Image.open(copy) as picture:
        assert picture.size == (960, 640)


def test_a_missing_image_file_gives_no_enclosure_rather_than_an_error(client, media):
    article = ArticleFactory(image=small_jpeg())
    article.image.storage.delete(article.image.name)
    shutil.rmtree(media / "renditions")
    _response, parsed = parse(client, "/feed/")
    assert parsed.entries[0].get("enclosures", []) == []


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_service_feed_has_only_that_services_published_articles(client, kind):
    pensions = ServiceFactory(name="بازنشستگان")
    mine = ArticleFactory(service=pensions)
    ArticleFactory(service=pensions, draft=True)
    ArticleFactory()

    _response, parsed = parse(client, feed_url(pensions.get_absolute_url() + "feed/", kind))
    assert codes_in(parsed) == [mine.code]
    assert "بازنشستگان" in parsed.feed.title
    assert parsed.feed.link == "http://testserver" + pensions.get_absolute_url()


@pytest.mark.parametrize("kind", FEED_KINDS)
def test_tag_feed_has_only_published_articles_with_that_tag(client, kind):
    tagged = ArticleFactory(tags=["همسان‌سازی"])
    ArticleFactory(tags=["همسان‌سازی"], scheduled=True)
    ArticleFactory(tags=["درمان"])

    _response, parsed = parse(client, feed_url("/tag/همسان-سازی/feed/", kind))
    assert codes_in(parsed) == [tagged.code]
    assert "همسان‌سازی" in parsed.feed.title


@pytest.mark.parametrize(
    "url",
    [
        "/tag/ناموجود/feed/",
        "/tag/ناموجود/feed/atom/",
        "/service/ناموجود/feed/",
        "/service/ناموجود/feed/atom/",
    ],
)
def test_unknown_tag_or_service_feed_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_feed_carries_at_most_its_length(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LENGTH", 3)
    for _number in range(5):
        ArticleFactory()
    assert len(parse(client, "/feed/")[1].entries) == 3


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/", "/tag/بیمه/feed/"])
def test_feed_query_count_does_not_grow_with_articles_and_tags(
    client, django_assert_max_num_queries, url
):
    ArticleFactory(tags=["بیمه"])
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for number in range(10):
        ArticleFactory(tags=["بیمه", f"برچسب {number}", f"دیگر {number}"])
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_pages_announce_the_feeds(client):
    ArticleFactory()
    html = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/feed/"' in html
    assert 'href="/feed/atom/"' in html
