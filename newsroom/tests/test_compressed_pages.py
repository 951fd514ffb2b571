"""Pages sent compressed to browsers that accept it, and kept as they are sent.

Every browser asks for gzip; a feed reader or a script may not. Each gets
a copy of the page in its own encoding, from the page cache as from the
view, and a kept page is sent as it was kept, never compressed again.
"""

import gzip

import pytest
from django.test import Client

from comments.models import Comment
from comments.services import moderate_comments
from newsroom.delivery.pages import HIT_HEADER
from tests.factories import ArticleFactory, CommentFactory, StaffFactory

pytestmark = pytest.mark.django_db

# What Chromium and Firefox send.
BROWSER = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def browser_get(url):
    return Client(headers=BROWSER).get(url)


def plain_get(url):
    return Client().get(url)


def html_of(response):
    if response.get("Content-Encoding") == "gzip":
        return gzip.decompress(response.content).decode()
    return response.content.decode()


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان", tags=["مستمری"])


@pytest.fixture
def compressions(monkeypatch):
    """How many times a page was compressed."""
    import django.middleware.gzip

    calls = []
    compress = django.middleware.gzip.compress_string

    def counted(*args, **kwargs):
        calls.append(args)
        return compress(*args, **kwargs)

    monkeypatch.setattr(django.middleware.gzip, "compress_string", counted)
    return calls


@pytest.mark.parametrize("first", ["browser", "plain"])
def test_a_browser_gets_the_page_compressed_and_a_reader_without_gzip_gets_it_plain(article, first):
    readers = {"browser": browser_get, "plain": plain_get}
    order = [first, *(name for name in readers if name != first)]
    seen = {}
    for name in order:
        seen[name] = [readers[name](article.get_absolute_url()) for _ in range(2)]

    for name, (fresh, again) in seen.items():
        assert [fresh[HIT_HEADER], again[HIT_HEADER]] == ["miss", "hit"], name
        assert fresh.content == again.content, name
        assert "Accept-Encoding" in again["Vary"], name
    assert all(r["Content-Encoding"] == "gzip" for r in seen["browser"])
    assert not any(r.has_header("Content-Encoding") for r in seen["plain"])
    # Compressed, the page is under a third of its size, and the same page.
    compressed, plain = seen["browser"][1], seen["plain"][1]
    assert len(compressed.content) * 3 < len(plain.content)
    assert html_of(compressed) == html_of(plain)
    assert "افزایش مستمری بازنشستگان" in html_of(compressed)


def test_a_kept_page_is_sent_as_it_was_kept_without_compressing_it_again(article, compressions):
    first = browser_get(article.get_absolute_url())
    assert first[HIT_HEADER] == "miss" and len(compressions) == 1
    for _ in range(3):
        assert browser_get(article.get_absolute_url())[HIT_HEADER] == "hit"
    assert len(compressions) == 1


def test_an_approval_reaches_readers_of_either_copy_at_once(article):
    comment = CommentFactory(article=article, status="pending", text="نظری که منتظر تأیید است")
    for get in (browser_get, plain_get):
        get(article.get_absolute_url())
        page = get(article.get_absolute_url())
        assert page[HIT_HEADER] == "hit"
        assert "نظری که منتظر تأیید است" not in html_of(page)

    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk),
        status="approved",
        moderator=StaffFactory(username="moderator"),
    )
    for get in (browser_get, plain_get):
        assert "نظری که منتظر تأیید است" in html_of(get(article.get_absolute_url())), get


@pytest.mark.parametrize("url", ["/feed/", "/sitemap.xml", "/search/?q=مستمری"])
def test_feeds_lists_and_search_leave_compressed_too(article, url):
    response = browser_get(url)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert html_of(response) == html_of(plain_get(url))


def test_pictures_are_sent_as_they_are(article):
    """A PNG gains nothing from gzip; only text is compressed, as nginx's gzip_types."""
    response = browser_get("/apple-touch-icon.png")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body.startswith(b"\x89PNG")


def test_a_refused_comment_comes_back_compressed_with_the_text_kept(article):
    """A form sent back with its errors leaves compressed like any page; nothing is lost."""
    client = Client(headers=BROWSER)
    response = client.post(
        f"/comments/{article.code}/",
        {"name": "خواننده", "text": "این متن کوتاه است"},
    )
    assert response.status_code in (200, 400)
    assert response["Content-Encoding"] == "gzip"
    assert "این متن کوتاه است" in html_of(response)


def test_a_feed_reader_with_the_compressed_copy_gets_a_304(article):
    """The compressed feed's ETag is marked weak; the reader's copy is still recognised."""
    first = browser_get("/feed/")
    assert first["Content-Encoding"] == "gzip"
    again = Client(headers={**BROWSER, "If-None-Match": first["ETag"]}).get("/feed/")
    assert again.status_code == 304
