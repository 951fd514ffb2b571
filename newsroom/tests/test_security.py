"""What every response tells the browser about how the page may be used."""

import json

import pytest
from django.db import connection

from newsroom.health import healthz
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
