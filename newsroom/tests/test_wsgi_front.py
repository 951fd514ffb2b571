"""The WSGI application in front of Django answers cached pages exactly as Django would."""

from urllib.parse import unquote_to_bytes, urlsplit
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from newsroom.articles import reading
from newsroom.delivery import pagecache
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


class CountingDjango:
    """Django's own WSGI handler, counting the requests that reach it."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.handler(environ, start_response)


@pytest.fixture
def django_app():
    return CountingDjango()


@pytest.fixture
def front(django_app):
    return pagecache.PageCacheApplication(django_app)


def request(path, method="GET", **headers):
    """The environment a WSGI server gives for a request: the path's bytes as ISO-8859-1."""
    parts = urlsplit(path)
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote_to_bytes(parts.path).decode("iso-8859-1"),
        "QUERY_STRING": parts.query,
        "HTTP_HOST": "testserver",
        "SERVER_NAME": "testserver",
        **headers,
    }
    setup_testing_defaults(environ)
    return environ


def call(application, environ):
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = status
        answer["headers"] = dict(headers)

    # As Django's test client does: a request's end must not close the
    # connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], body


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان", tags=["مستمری"])


def test_a_cached_page_is_answered_before_django_with_djangos_headers(front, django_app, article):
    path = article.get_absolute_url()
    status, headers, rendered = call(front, request(path))
    assert status == "200 OK" and headers[pagecache.HIT_HEADER] == "miss"
    assert django_app.calls == 1
    reading._pending.clear()

    with CaptureQueriesContext(connection) as queries:
        status, headers, body = call(front, request(path))
    assert django_app.calls == 1, "the hit reached Django"
    assert len(queries) == 0
    assert status == "200 OK" and headers[pagecache.HIT_HEADER] == "hit"
    assert body == rendered
    assert headers["Content-Length"] == str(len(body))
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "public, max-age=0, s-maxage=2"
    # The security middleware's headers, and those stored with the page.
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert reading._pending[article.pk][0] == 1, "the reader was not counted"


def test_head_gets_the_headers_alone(front, article):
    path = article.get_absolute_url()
    _status, _headers, rendered = call(front, request(path))
    status, headers, body = call(front, request(path, "HEAD"))
    assert status == "200 OK" and headers[pagecache.HIT_HEADER] == "hit"
    assert body == b""
    assert headers["Content-Length"] == str(len(rendered))


def test_sessions_misses_and_changes_go_to_django(front, django_app, article):
    path = article.get_absolute_url()
    call(front, request(path))
    status, headers, _body = call(front, request(path, HTTP_COOKIE="sessionid=x"))
    assert django_app.calls == 2
    assert "private" in headers["Cache-Control"]

    call(front, request("/search/?q=%D9%85%D8%B3%D8%AA%D9%85%D8%B1%DB%8C"))  # a page never kept
    assert django_app.calls == 3

    type(article).objects.filter(pk=article.pk).update(lead="خلاصه‌ای تازه برای این خبر")
    pagecache.touch(pagecache.SITE)
    status, headers, body = call(front, request(path))
    assert django_app.calls == 4
    assert headers[pagecache.HIT_HEADER] == "miss"
    assert "خلاصه‌ای تازه برای این خبر" in body.decode()


def test_behind_https_the_redirect_and_hsts_are_djangos(settings, article):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 3600
    django_app = CountingDjango()  # its middleware reads these settings when made
    front = pagecache.PageCacheApplication(django_app)
    path = article.get_absolute_url()
    secure = {"HTTP_X_FORWARDED_PROTO": "https"}
    call(front, request(path, **secure))
    status, headers, _body = call(front, request(path, **secure))
    assert django_app.calls == 1
    assert headers[pagecache.HIT_HEADER] == "hit"
    assert headers["Strict-Transport-Security"] == "max-age=3600"

    status, headers, _body = call(front, request(path))
    assert status.startswith("301") and headers["Location"].startswith("https://")
    assert django_app.calls == 2


def test_a_host_that_is_not_allowed_is_refused_by_django(front, django_app, article):
    path = article.get_absolute_url()
    Client().get(path)
    status, _headers, _body = call(front, request(path, HTTP_HOST="evil.example"))
    assert status.startswith("400")
    assert django_app.calls == 1


def test_a_miss_reads_the_versions_once(front, article):
    from django.core.cache import cache

    reads = []
    original = cache.get_many

    def counted(keys, *args, **kwargs):
        reads.append(list(keys))
        return original(keys, *args, **kwargs)

    cache.get_many = counted
    try:
        call(front, request(article.get_absolute_url()))
    finally:
        cache.get_many = original
    version_reads = [keys for keys in reads if any(":version:" in key for key in keys)]
    assert len(version_reads) == 1, version_reads


def test_the_hit_has_the_headers_of_djangos_own_hit(front, article):
    path = article.get_absolute_url()
    call(front, request(path))
    django_hit = Client().get(path)
    assert django_hit[pagecache.HIT_HEADER] == "hit"
    _status, headers, body = call(front, request(path))
    assert body == django_hit.content
    headers.pop("Content-Length")
    assert headers == dict(django_hit.items())
