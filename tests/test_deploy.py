"""The nginx configuration operators install: valid for nginx, and the one the guide shows."""

import re
import shutil
import socket
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from ops.common import free_port
from ops.nginx import NGINX_BINARY, TEMPLATE, Nginx
from tests.support import html_errors, needs_vnu

ROOT = Path(settings.BASE_DIR)
needs_nginx = pytest.mark.skipif(
    shutil.which(NGINX_BINARY) is None, reason="nginx is not installed"
)


def test_the_deployment_guide_shows_the_template_as_it_is():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert "```nginx\n" + TEMPLATE.read_text() + "```" in guide


@needs_nginx
def test_nginx_accepts_the_rendered_template(tmp_path):
    Nginx(
        tmp_path,
        listen="127.0.0.1:8499",
        upstreams=["127.0.0.1:8498", "127.0.0.1:8497"],
        static_root=tmp_path,
        media_root=tmp_path,
    ).test()


def test_stale_copies_are_used_only_when_the_app_cannot_answer():
    lines = [line.strip() for line in TEMPLATE.read_text().splitlines()]
    directives = [line for line in lines if not line.startswith("#")]
    use_stale = [line for line in directives if line.startswith("proxy_cache_use_stale")]
    assert use_stale == ["proxy_cache_use_stale error timeout http_502 http_503 http_504;"]
    assert not [line for line in directives if line.startswith("proxy_cache_background_update")]


class _App(BaseHTTPRequestHandler):
    """A stand-in for an app server behind nginx, answering a line of text."""

    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class _CountingApp(_App):
    """An app server that reads a request's body and answers how many bytes it got."""

    def do_POST(self):
        self.answer(200, str(len(self.rfile.read(int(self.headers["Content-Length"])))))


class _UnavailableApp(_App):
    """An app server whose database is down: it answers its own 503 page."""

    def do_GET(self):
        self.answer(503, "the app's own 503 page")


@contextmanager
def _nginx_in_front_of(app, workdir):
    """The template's nginx before a stand-in app server, or before none when `app` is None.

    The static files are the source folder's, as collectstatic would copy
    them; the admin is at /desk/.
    """
    server = None
    if app is None:
        port = free_port()  # nothing listens there: every app server is down
    else:
        server = ThreadingHTTPServer(("127.0.0.1", free_port()), app)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_port
    try:
        with Nginx(
            workdir,
            listen=f"127.0.0.1:{free_port()}",
            upstreams=[f"127.0.0.1:{port}"],
            static_root=ROOT / "static",
            media_root=workdir,
            admin_path="desk/",
        ) as nginx:
            yield nginx
    finally:
        if server is not None:
            server.shutdown()
            server.server_close()


def _request(url, data=None):
    """(status, headers, text) of a GET, or of a POST of `data`; an error status too."""
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    if data is not None:
        request.add_header("Content-Type", "application/octet-stream")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@needs_nginx
def test_an_editors_large_upload_reaches_the_app_and_a_readers_post_stays_small(tmp_path):
    """A save with a camera's photos passes nginx, so the app can answer beside the field.

    nginx refusing it would give its own 413 page instead of the app's
    message. Outside the admin a body is still bounded at 10 MB, and a
    body over a bound gets the site's Persian page, not nginx's English one.
    """
    photos = b"x" * (24 * 1024 * 1024)  # a few photos of a photo report, in one save
    with _nginx_in_front_of(_CountingApp, tmp_path) as nginx:
        status, _headers, text = _request(nginx.url + "/desk/newsroom/article/add/", photos)
        assert (status, text) == (200, str(len(photos)))
        status, _headers, html = _request(nginx.url + "/comments/77759/", photos)
        assert status == 413
        assert "<h1>بیش از اندازهٔ مجاز</h1>" in html

        # Beyond the admin's own bound, nginx answers as soon as it reads the
        # declared length, before the body, with the same Persian page.
        with socket.create_connection((nginx.host, nginx.port), timeout=10) as connection:
            connection.sendall(
                b"POST /desk/newsroom/article/add/ HTTP/1.1\r\nHost: localhost\r\n"
                b"Content-Type: multipart/form-data; boundary=x\r\n"
                b"Content-Length: 209715200\r\nConnection: close\r\n\r\n"
            )
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        head, _, body = answer.decode().partition("\r\n\r\n")
        assert head.startswith("HTTP/1.1 413")
        assert "<h1>بیش از اندازهٔ مجاز</h1>" in body


@needs_nginx
def test_with_no_app_server_answering_readers_get_the_persian_page_not_nginxs(tmp_path):
    from newsroom.site.middleware import RETRY_AFTER_SECONDS

    with _nginx_in_front_of(None, tmp_path) as nginx:
        for path in ("/news/77759/", "/", "/desk/"):
            status, headers, html = _request(nginx.url + path)
            assert status == 502, path
            assert '<html lang="fa" dir="rtl">' in html
            assert "<h1>موقتاً در دسترس نیست</h1>" in html
            assert "nginx" not in html
            assert headers["Content-Type"] == "text/html; charset=utf-8"
            assert headers["Cache-Control"] == "no-store"
            assert headers["Retry-After"] == str(RETRY_AFTER_SECONDS)  # as the app's 503 says
        # The page itself is no address of the site.
        assert _request(nginx.url + "/errors/unavailable.html")[0] == 404


@needs_nginx
def test_the_apps_own_503_page_passes_through_nginx_as_it_is(tmp_path):
    with _nginx_in_front_of(_UnavailableApp, tmp_path) as nginx:
        status, _headers, html = _request(nginx.url + "/news/77759/")
        assert (status, html) == (503, "the app's own 503 page")


def test_nginxs_outage_page_says_what_the_apps_503_page_says():
    from newsroom.site.middleware import unavailable_page

    def parts(html):
        return re.search(r"<title>.*?</title>", html)[0], re.search(r"<main.*</main>", html, re.S)[
            0
        ]

    kept = (ROOT / "static" / "errors" / "unavailable.html").read_text()
    assert parts(kept) == parts(unavailable_page().content.decode())


@needs_vnu
def test_nginxs_own_pages_are_valid_html():
    pages = sorted((ROOT / "static" / "errors").glob("*.html"))
    assert len(pages) == 2
    assert html_errors(pages) == []
