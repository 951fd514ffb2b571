import pytest
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIServer
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.testcases import LiveServerThread


class _OneRequestAtATime(WSGIServer):
    """The browser tests' server when the tests' database is SQLite.

    The tests' SQLite database lives in memory, in a cache its connections
    share; two requests at once (a page's script fetching the comment form
    while the page itself or a vote is answered) then trip over each other
    ("database table is locked", or a transaction inside another) and
    answer 503, and the script sends the reader to the form's own page.
    Served one at a time, each connection closed after its answer
    (Django's way for a server without threads), they cannot.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        # LiveServerThread.run() gives its own thread any shared connection.
        super().__init__(*args, **kwargs)


def _live_server(*args, **kwargs):
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        return _OneRequestAtATime(*args, **kwargs)
    return ThreadedWSGIServer(*args, **kwargs)


LiveServerThread.server_class = staticmethod(_live_server)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Templates find static files without a collectstatic run before the tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """Content types as the database holds them now.

    Django keeps each model's content type in memory once read. A test on a
    transactional database (the browser tests) ends by emptying every
    table, content types included, and the memory outlives them: a later
    test that logged an admin action (moderation does) named a content
    type the table no longer held, and failed at commit on SQLite's
    foreign key check (tests/test_browser.py after test_browser_tracking.py).
    """
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (no page, version or pending view): nothing leaks."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
