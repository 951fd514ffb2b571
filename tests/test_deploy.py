"""The nginx configuration operators install: valid for nginx, and the one the guide shows."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

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
