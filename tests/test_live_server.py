"""The server the browser tests talk to answers a page's requests sent at once.

A page's scripts ask for several things together (the comment form, the
reader's votes, a view counted). On SQLite the tests' database is in memory,
in a cache its connections share, and two requests at once found a table
locked by the other (503): the server answers them one at a time there
(conftest.py). On PostgreSQL each request has its own connection.
"""

from concurrent.futures import ThreadPoolExecutor
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db(transaction=True)


def status_of(url):
    try:
        with urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except HTTPError as error:
        return error.code


def test_requests_sent_together_are_all_answered(live_server, settings):
    settings.PAGE_CACHE = False  # every request reads the database
    article = ArticleFactory()
    CommentFactory(article=article, name="حسن", text="نظری خواندنی")
    addresses = [
        live_server.url + article.get_absolute_url(),
        f"{live_server.url}/comments/{article.code}/form/",
    ] * 12
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(status_of, addresses))
    assert statuses == [200] * len(addresses)
