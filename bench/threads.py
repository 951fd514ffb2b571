"""The article page with 1,000 approved comments: its size, its queries, its time to render.

    .venv/bin/python bench/threads.py                 # SQLite in memory
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/threads.py

Creates a test database of its own (test_NAME on PostgreSQL), writes one
article with 1,000 approved comments in four shapes, and asks for its page
as a reader would:

- size: the page's HTML in bytes (the target: at most 100 KB);
- queries: the page rendered for its first reader, while what every
  article page shares (the menu, the week's rankings) is kept, and rendered
  again after a moderator's decision on one of its comments (its comments
  and the rankings rendered again, the rest kept) (the target: 6);
- render: the median time of the rendering after a decision (the whole
  page, not only the comments), over --runs runs, with the fastest and
  slowest, in ms; and the same with nothing kept at all (a cold cache).

Comments are one to six sentences of the project's own corpus of clean
comments (about 150 characters on average); one in four top-level comments
has an official answer. The times are wall-clock on a shared machine: read
them with the spread printed beside them.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

# Templates name static files without a collectstatic run first.
PLAIN_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

SHAPES = {
    "1,000 top-level comments": 0,
    "200 threads of five": 4,
    "one thread of 1,000": 999,
}


def texts(count=400):
    lines = [
        line.strip()
        for line in (ROOT / "comments/tests/corpus/clean.txt").read_text().splitlines()
        if line.strip()
    ]
    rng = random.Random(14)
    return [" ".join(rng.sample(lines, rng.randint(1, 6))) for _ in range(count)]


def seed(code, replies_per_thread):
    from comments.models import Comment, CommentVotes
    from tests.factories import ArticleFactory

    article = ArticleFactory(code=code)
    pool, rng = texts(), random.Random(16)
    top_count = 1000 // (1 + replies_per_thread)
    tops = Comment.objects.bulk_create(
        Comment(article=article, name=f"خواننده {n}", text=rng.choice(pool), status="approved")
        for n in range(top_count)
    )
    rows = [
        Comment(
            article=article,
            parent=top,
            thread=top,
            name="پاسخ‌دهنده",
            text=rng.choice(pool),
            status="approved",
        )
        for top in tops
        for _ in range(replies_per_thread)
    ]
    left = 1000 - top_count - len(rows)
    rows += [
        Comment(
            article=article,
            parent=top,
            thread=top,
            name="روابط عمومی",
            text=rng.choice(pool),
            status="approved",
            is_official=True,
        )
        for top in tops[:left]
    ]
    Comment.objects.bulk_create(rows)
    CommentVotes.objects.bulk_create(
        CommentVotes(comment=top, likes=rng.randrange(50), dislikes=rng.randrange(9))
        for top in tops
    )
    return article


def measure(article, url, runs, other):
    from comments.signals import comments_changed

    client = Client()
    with override_settings(PAGE_CACHE=False, STORAGES=PLAIN_STATIC):
        # What every article page shares (the menu, the week's rankings), kept
        # by an earlier reader of another article.
        client.get(other)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        first = len(queries)
        comments_changed([article.pk])
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        after_decision = len(queries)
        kept = []
        for _ in range(runs):
            # The comments are rendered again each time, as after a moderator's decision.
            comments_changed([article.pk])
            start = time.perf_counter()
            client.get(url)
            kept.append((time.perf_counter() - start) * 1000)
        cold = []
        for _ in range(runs):
            cache.clear()
            start = time.perf_counter()
            client.get(url)
            cold.append((time.perf_counter() - start) * 1000)
    return len(response.content), (first, after_decision), kept, cold


def spread(values):
    return f"{statistics.median(values):.0f} ms ({min(values):.0f}–{max(values):.0f})"


def main():
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 15
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
        print(f"database: {connection.vendor} ({name}), cache: {backend}")
        print(
            f"{'shape':26} {'order':7} {'size':>8} {'queries':>7}  "
            "render after a decision   cold cache"
        )
        other = seed(89999, 0).get_absolute_url()
        for number, (label, replies) in enumerate(SHAPES.items()):
            article = seed(90000 + number, replies)
            orders = ["", "liked"] if replies == 0 else [""]
            for order in orders:
                url = article.get_absolute_url() + (f"?order={order}" if order else "")
                size, queries, kept, cold = measure(article, url, runs, other)
                print(
                    f"{label:26} {order or 'oldest':7} {size / 1024:5.1f} KB {queries[0]:3} / "
                    f"{queries[1]:<3} {spread(kept):24} {spread(cold)}"
                )
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
