"""The nginx configuration operators install: valid for nginx, and the one the guide shows."""

import shutil
import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from ops.common import free_port
from ops.nginx import NGINX_BINARY, TEMPLATE, Nginx

ROOT = Path(settings.BASE_DIR)


def test_the_deployment_guide_shows_the_template_as_it_is():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert "```nginx\n" + TEMPLATE.read_text() + "```" in guide


@pytest.mark.skipif(shutil.which(NGINX_BINARY) is None, reason="nginx is not installed")
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


class _CountingApp(BaseHTTPRequestHandler):
    """An app server that reads a request's body and answers how many bytes it got."""

    def do_POST(self):
        received = len(self.rfile.read(int(self.headers["Content-Length"])))
        body = str(received).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which(NGINX_BINARY) is None, reason="nginx is not installed")
def test_an_editors_large_upload_reaches_the_app_and_a_readers_post_stays_small(tmp_path):
    """A save with a camera's photos passes nginx, so the app can answer beside the field.

    nginx refusing it would give its own English 413 page and lose the
    editor's form. Outside the admin a body is still bounded at 10 MB.
    """
    app = ThreadingHTTPServer(("127.0.0.1", free_port()), _CountingApp)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    photos = b"x" * (24 * 1024 * 1024)  # a few photos of a photo report, in one save
    try:
        with Nginx(
            tmp_path,
            listen=f"127.0.0.1:{free_port()}",
            upstreams=[f"127.0.0.1:{app.server_port}"],
            static_root=tmp_path,
            media_root=tmp_path,
            admin_path="desk/",
        ) as nginx:

            def post(path):
                request = urllib.request.Request(nginx.url + path, data=photos, method="POST")
                request.add_header("Content-Type", "application/octet-stream")
                try:
                    with urllib.request.urlopen(request, timeout=30) as response:
                        return response.status, response.read().decode()
                except urllib.error.HTTPError as error:
                    return error.code, ""

            assert post("/desk/newsroom/article/add/") == (200, str(len(photos)))
            assert post("/news/77759/comment/")[0] == 413
    finally:
        app.shutdown()
        app.server_close()
