"""The home page's SQL queries and the reader's pages' HTML sizes, on the demo content.

Run as `.venv/bin/python bench/front_page.py`. It makes a fresh SQLite
database and file cache of its own (removed at the end), migrates it, loads
the demo content (`load_demo`: a lead, featured stories, a breaking line)
and asks, through Django's test client in this process:

- the home page with every cache empty (versions, menu, parts, page), as
  after a restart with an empty Redis;
- the home page rendered anew with its parts kept (the page cache off), as
  after a comment is approved or when the page cache is full;
- the home page from the page cache;

printing each one's number of queries, then the bytes of HTML of home, an
article, a tag, a service, the archive and a search.
"""

import io
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-front-page-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "CACHE_DIR": str(workdir / "cache"),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "testserver",
        }
    )
    os.environ.pop("REDIS_URL", None)
    try:
        measure()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure():
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    client = Client()

    def queries(**overrides):
        with override_settings(**overrides), CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    cache.clear()
    cold = queries()
    kept_parts = queries(PAGE_CACHE=False)
    cached = queries()
    print("home page, SQL queries")
    print(f"  every cache empty              {cold:>4}")
    print(f"  rendered anew, parts kept      {kept_parts:>4}")
    print(f"  from the page cache            {cached:>4}")

    print("HTML, bytes")
    for name, url in (
        ("home", "/"),
        ("article", "/news/77759/"),
        ("tag", "/tag/بیمه‌شدگان/"),
        ("service", "/service/اخبار/"),
        ("archive", "/archive/"),
        ("search", "/search/?q=بیمه"),
    ):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        print(f"  {name:<30} {len(response.content):>7,}")


if __name__ == "__main__":
    main()
