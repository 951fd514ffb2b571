"""When Redis or PostgreSQL is away, readers get pages or a clear Persian 503, never a 500."""

import logging
import re
import shutil
import socket
import subprocess
import time

import pytest
from captcha.models import CaptchaStore
from django.db import OperationalError, ProgrammingError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path

from comments.models import Comment
from newsroom.delivery import backends as resilient_cache
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db

# Nothing listens here: every connection is refused at once.
DEAD_REDIS = "redis://127.0.0.1:6399/0"

UNAVAILABLE_TITLE = "موقتاً در دسترس نیست"


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.delivery.backends.ResilientRedisCache",
            "LOCATION": DEAD_REDIS,
        }
    }
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان")


def post_comment(client, article, text):
    """Open the comment form's own page as a reader, answer the question and send it."""
    page = client.get(f"/comments/{article.code}/").content.decode()
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    answer = CaptchaStore.objects.get(hashkey=fields["captcha_0"]).response
    return client.post(
        f"/comments/{article.code}/",
        {**fields, "name": "مریم رضایی", "email": "", "text": text, "captcha_1": answer},
    )


def test_home_page_is_served_while_redis_is_down(client, redis_down, article):
    response = client.get("/")
    assert response.status_code == 200
    assert article.title in text_of(response)


def test_the_home_page_reads_the_services_once_while_redis_is_down(client, redis_down, article):
    # The menu and the service sections both list them; nothing keeps them between the two.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert article.service.name in text_of(response)
    read = [query["sql"] for query in queries if 'FROM "newsroom_service"' in query["sql"]]
    assert len(read) == 1, read


def test_article_page_is_served_while_redis_is_down(client, redis_down, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in text_of(response)


def test_a_comment_is_accepted_while_redis_is_down(client, redis_down, article):
    text = "از اطلاع‌رسانی سریع درباره افزایش مستمری سپاسگزارم."
    response = post_comment(client, article, text)
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{article.code}/sent/"
    assert Comment.objects.get().text == text


def test_staff_can_log_in_to_the_admin_while_redis_is_down(client, redis_down, settings):
    StaffFactory(username="moderator")
    admin_index = f"/{settings.ADMIN_PATH}"
    login_page = client.get(admin_index, follow=True)
    assert login_page.status_code == 200
    form = login_page.content.decode()
    next_url = re.search(r'name="next" value="([^"]*)"', form).group(1)
    response = client.post(
        login_page.request["PATH_INFO"],
        {"username": "moderator", "password": "a-long-test-password", "next": next_url},
        follow=True,
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == admin_index
    assert response.context["user"].username == "moderator"


# A full Redis: maxmemory reached under noeviction, so that every write is refused with OOM.


def _free_port(first=8400, last=8499):
    """A port of this project's range on which nothing listens."""
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip(f"no free port between {first} and {last}")


@pytest.fixture(scope="module")
def private_redis(tmp_path_factory):
    """A redis-server of the tests' own that refuses writes past its maxmemory (noeviction)."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    import redis

    port = _free_port()
    directory = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(directory), "--maxmemory-policy", "noeviction"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client = redis.Redis(port=port, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.skip("the private redis-server did not start")
            time.sleep(0.05)
    yield client
    client.close()
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def redis_full(private_redis, settings):
    """Django's cache on a Redis that refuses every write: its maxmemory is below what it holds."""
    import redis

    private_redis.flushall()
    private_redis.config_set("maxmemory", 0)
    for number in range(16):
        private_redis.set(f"filler:{number}", b"x" * 64 * 1024)
    used = private_redis.info("memory")["used_memory"]
    private_redis.config_set("maxmemory", used - 512 * 1024)
    with pytest.raises(redis.exceptions.OutOfMemoryError):
        private_redis.set("one more", b"x")
    port = private_redis.connection_pool.connection_kwargs["port"]
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.delivery.backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    settings.COMMENT_MIN_SECONDS = 0
    return private_redis


def test_a_full_redis_refuses_writes_and_serves_reads(redis_full):
    from django.core.cache import cache

    assert cache.add("new", 1) is True  # "stored", as an empty cache forgets it
    assert cache.get("new") is None
    cache.set("page", "html")
    assert cache.get("page") is None
    assert cache.get_many(["filler:1"]) == {}  # Django's keys are prefixed: a miss, no error


@pytest.mark.parametrize("page", ["home", "article", "search"])
def test_pages_are_served_while_redis_is_full(client, redis_full, article, page):
    url = {"home": "/", "article": article.get_absolute_url(), "search": "/search/?q=مستمری"}[page]
    for _reader in range(2):
        response = client.get(url)
        assert response.status_code == 200
    assert "مستمری" in text_of(response)


def test_a_comment_is_accepted_while_redis_is_full(client, redis_full, article):
    text = "از اطلاع‌رسانی سریع درباره افزایش مستمری سپاسگزارم."
    response = post_comment(client, article, text)
    assert response.status_code == 302
    assert Comment.objects.get().text == text


def test_a_full_redis_is_noted_once_and_still_read(redis_full, caplog, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(resilient_cache, "_troubles", {})
    cache._trouble = resilient_cache._trouble_for("full", 5.0)
    with caplog.at_level(logging.WARNING, logger="newsroom.delivery.backends"):
        for _attempt in range(3):
            cache.set("page", "html")
    assert len(caplog.records) == 1
    assert "refused an operation" in caplog.records[0].getMessage()
    assert "OutOfMemoryError" in caplog.records[0].getMessage()
    # Redis answered: no pause, the next read is asked of it.
    assert cache._trouble.allows_attempt()


@pytest.fixture
def redis_private(private_redis, settings):
    """Django's cache on the tests' own redis-server, empty and taking writes."""
    private_redis.flushall()
    private_redis.config_set("maxmemory", 0)
    port = private_redis.connection_pool.connection_kwargs["port"]
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.delivery.backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    return private_redis


def test_a_connection_redis_closed_is_made_again_for_the_next_reader(
    redis_private, article, caplog, monkeypatch
):
    """A restart or an idle timeout closes the worker's connection: the next page is still kept."""
    monkeypatch.setattr(resilient_cache, "_troubles", {})
    url = article.get_absolute_url()
    assert Client().get(url)["X-Page-Cache"] == "miss"
    assert Client().get(url)["X-Page-Cache"] == "hit"
    assert redis_private.client_kill_filter(_type="normal", skipme=True) >= 1
    with caplog.at_level(logging.WARNING, logger="newsroom.delivery.backends"):
        response = Client().get(url)
    assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")
    assert not caplog.records  # no outage was noted, so no pause without the cache


def test_health_reports_the_cache_down_and_the_site_up(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "unavailable"}


def test_an_outage_is_logged_once_and_redis_left_alone_meanwhile(redis_down, caplog, monkeypatch):
    from django.core.cache import cache

    attempts = []
    real_get = cache._cache.get

    def counting_get(*args):
        attempts.append(args)
        return real_get(*args)

    monkeypatch.setattr(cache._cache, "get", counting_get)
    # A fresh outage record, whatever earlier tests left for this address.
    monkeypatch.setattr(resilient_cache, "_troubles", {})
    cache._trouble = resilient_cache._trouble_for(DEAD_REDIS, 5.0)
    with caplog.at_level(logging.WARNING, logger="newsroom.delivery.backends"):
        assert [cache.get("key", "default") for _ in range(5)] == ["default"] * 5
    assert len(attempts) == 1
    assert len(caplog.records) == 1
    assert "Cache unavailable" in caplog.records[0].getMessage()


def test_redis_is_asked_again_after_the_pause(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(resilient_cache.time, "monotonic", lambda: clock[0])
    outage = resilient_cache._Trouble(DEAD_REDIS, pause=5.0)
    outage.failed(ConnectionError("refused"), unreachable=True)
    assert not outage.allows_attempt()
    clock[0] += 5.0
    assert outage.allows_attempt()
    outage.succeeded()
    assert outage.since is None


def test_incr_of_an_unreachable_cache_is_a_missing_key(redis_down):
    from django.core.cache import cache

    with pytest.raises(ValueError):
        cache.incr("views")
    assert cache.add("views", 1) is True
    assert cache.get_many(["views"]) == {}


# The database: a view that cannot reach it.


def database_gone(request):
    raise OperationalError(
        'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
    )


def broken_query(request):
    raise ProgrammingError('relation "newsroom_article" does not exist')


urlpatterns = [
    path("database-gone/", database_gone),
    path("broken-query/", broken_query),
]
handler500 = "newsroom.site.middleware.server_error"


@pytest.mark.urls(__name__)
def test_unreachable_database_gives_a_persian_503_page():
    response = Client(raise_request_exception=False).get("/database-gone/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fa" dir="rtl">' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert UNAVAILABLE_TITLE in text_of(response)
    assert "Traceback" not in html and "Connection refused" not in html


@pytest.mark.urls(__name__)
def test_unreachable_database_outside_a_view_gives_the_503_page_too(settings):
    # Without the middleware the exception goes to the 500 handler, as one
    # raised by another middleware or by saving the session would.
    settings.MIDDLEWARE = [
        name for name in settings.MIDDLEWARE if not name.endswith("DatabaseUnavailableMiddleware")
    ]
    response = Client(raise_request_exception=False).get("/database-gone/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert UNAVAILABLE_TITLE in text_of(response)


@pytest.mark.urls(__name__)
def test_a_broken_query_is_still_a_server_error():
    response = Client(raise_request_exception=False).get("/broken-query/")
    assert response.status_code == 500
    assert "خطای سرور" in text_of(response)


def test_home_page_gives_503_when_every_query_fails(client, article, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    # The page cache is empty, so the page must be read from the database.
    monkeypatch.setattr(connection, "cursor", refuse)
    response = client.get("/")
    assert response.status_code == 503
    assert UNAVAILABLE_TITLE in text_of(response)
