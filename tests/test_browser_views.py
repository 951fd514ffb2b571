"""The view beacon in a real Chromium: a page served from the cache is counted, once."""

import time

import pytest

from newsroom.articles import reading
from newsroom.models import Article
from tests.factories import ArticleFactory
from tests.support import needs_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


def views_of(article):
    reading.flush_views()
    return Article.objects.get(pk=article.pk).view_count


def wait_for_views(article, expected, seconds=5):
    deadline = time.monotonic() + seconds
    while views_of(article) < expected and time.monotonic() < deadline:
        time.sleep(0.1)
    return views_of(article)


def test_a_reader_of_a_kept_page_is_counted_once_however_often_they_reload(live_server, browser):
    article = ArticleFactory(title="افزایش مستمری بازنشستگان")
    address = live_server.url + article.get_absolute_url()
    first = browser.new_context()
    page = first.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content" in message.text
            else None)  # fmt: skip
    page.goto(address)
    assert wait_for_views(article, 1) == 1
    for number in range(3):
        page.goto(f"{address}?utm_source={number}")
    page.reload()
    time.sleep(0.5)
    assert views_of(article) == 1
    assert refused == []  # the Content-Security-Policy let the beacon through
    first.close()

    # Another browser behind the same address is another reader.
    second = browser.new_context()
    second.new_page().goto(address)
    assert wait_for_views(article, 2) == 2
    second.close()
