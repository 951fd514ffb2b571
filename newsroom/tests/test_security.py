"""What every response tells the browser about how the page may be used."""

import json

import pytest
from django.db import connection

from newsroom.site.health import healthz
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_pages_forbid_inline_script_style_framing_and_other_hosts(client):
    article = ArticleFactory()
    response = client.get(article.get_absolute_url())
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    # Only our own files, and on pages that ask for it a nonce or a known hash.
    assert directives["script-src"].split()[0] == "'self'"
    assert all(
        part == "'self'" or part.startswith(("'nonce-", "'sha256-"))
        for part in directives["script-src"].split() + directives["style-src"].split()
    )
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_script_or_style(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<style" not in html
    assert ' style="' not in html
    for tag in html.split("<script")[1:]:
        opening = tag.split(">", 1)[0]
        assert "src=" in opening or 'type="application/ld+json"' in opening


def test_health_reports_database_and_cache(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}


def test_health_is_503_when_the_database_is_gone(rf, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise ConnectionError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = healthz(rf.get("/healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unavailable"


def test_production_settings_pass_the_deployment_checks(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
        "HTTPS": "true",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "news.example.ir",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ENV_FILE": str(tmp_path / "no.env"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_site_refuses_to_serve_without_a_secret_key_unless_debugging(tmp_path):
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.site.settings",
        DEBUG="false",
        ENV_FILE=str(tmp_path / "no.env"),
    )
    serve = [sys.executable, "-c", "import newsroom.site.wsgi"]
    result = subprocess.run(
        serve, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    # Management commands still run, so that migrations need no secret.
    check = [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"]
    result = subprocess.run(
        check, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_admin_login_stops_an_address_after_repeated_failures(client, settings):
    from django.contrib.auth import get_user_model

    settings.ADMIN_LOGIN_RATE = "3/15m"
    get_user_model().objects.create_user("editor", password="the-right-password-9", is_staff=True)
    for _ in range(3):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    right = {"username": "editor", "password": "the-right-password-9"}
    assert client.post("/admin/login/", right).status_code == 200  # refused: form again
    other_address = client.post("/admin/login/", right, REMOTE_ADDR="198.51.100.20")
    assert other_address.status_code == 302


def test_behind_nginx_the_login_limit_counts_each_client_not_the_proxy(client, settings):
    from django.contrib.auth import get_user_model

    settings.ADMIN_LOGIN_RATE = "3/15m"
    settings.TRUST_X_FORWARDED_FOR = True
    get_user_model().objects.create_user("editor", password="the-right-password-9", is_staff=True)
    for _ in range(3):
        client.post(
            "/admin/login/",
            {"username": "editor", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    right = {"username": "editor", "password": "the-right-password-9"}
    assert (
        client.post("/admin/login/", right, HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 200
    )
    moderator = client.post("/admin/login/", right, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert moderator.status_code == 302


def _in_production_settings(tmp_path, script, **environment):
    """Run `script` with the settings an HTTPS production server reads from its environment."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
        "HTTPS": "true",
        "SECRET_KEY": "production-settings-test-only",
        "ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ENV_FILE": str(tmp_path / "no.env"),
        **environment,
    }
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


HSTS_HEADER = """
from django.test import Client
print(Client().get("/healthz", secure=True)["Strict-Transport-Security"])
"""


def test_hsts_preload_is_the_operators_choice_and_off_by_default(tmp_path):
    assert _in_production_settings(tmp_path, HSTS_HEADER) == "max-age=31536000; includeSubDomains"
    chosen = _in_production_settings(tmp_path, HSTS_HEADER, HSTS_PRELOAD="true")
    assert chosen == "max-age=31536000; includeSubDomains; preload"


def _free_port():
    import socket

    for port in range(8600, 8700):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8600-8699")


def test_nginx_does_not_tell_its_version(tmp_path):
    import shutil
    import subprocess
    import urllib.error
    import urllib.request

    from ops.nginx import NGINX_BINARY, Nginx

    if shutil.which(NGINX_BINARY) is None:
        pytest.skip("nginx is not installed")
    version = subprocess.run([NGINX_BINARY, "-v"], capture_output=True, text=True).stderr
    version = version.strip().rsplit(" ", 1)[-1]  # "nginx/1.22.1"
    assert version.startswith("nginx/")
    (tmp_path / "static").mkdir()
    nginx = Nginx(
        tmp_path / "nginx",
        listen=f"127.0.0.1:{_free_port()}",
        # No app server listens there: nginx answers 502 itself.
        upstreams=["127.0.0.1:9"],
        static_root=tmp_path / "static",
    )
    with nginx:
        for path in ("/static/missing.css", "/news/1/"):
            try:
                response = urllib.request.urlopen(nginx.url + path, timeout=10)
            except urllib.error.HTTPError as error:
                response = error
            assert response.status in (404, 502)
            assert response.headers["Server"] == "nginx"
            assert version not in response.read().decode()


SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Content-Security-Policy",
)


def test_a_page_from_the_cache_carries_the_headers_it_was_rendered_with(settings):
    """A hit carries what a miss did; over plain HTTP a reader is never given a kept page."""
    from django.test import Client

    from newsroom.delivery.pages import HIT_HEADER

    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_SSL_REDIRECT = True
    address = ArticleFactory().get_absolute_url()
    reader = Client()
    pages = [reader.get(address, secure=True) for _ in range(2)]
    assert [page[HIT_HEADER] for page in pages] == ["miss", "hit"]
    for header in SECURITY_HEADERS:
        assert pages[0][header] and pages[1][header] == pages[0][header]
    assert pages[1]["Strict-Transport-Security"] == "max-age=3600"
    # Over plain HTTP a reader is always sent to HTTPS, never given a kept page.
    for _ in range(2):
        plain = reader.get(address)
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
