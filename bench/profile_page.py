"""Where the time of one page's render goes, function by function.

Run as `.venv/bin/python bench/profile_page.py [article|home|tag|PATH]` with
PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 (database 11,
which it empties). The first run creates the database `newsroom_bench_profile`
and seeds it as bench/pages.py does (10,000 articles, the busy article with
ten tags and two hundred comments; about a minute); later runs reuse it,
`--reseed` starts again and `--drop` removes it.

The page is rendered through Django's test client with the page cache off,
as `bench/pages.py` measures it "uncached": the kept parts (menu, side
boxes, the article's own parts, its comments) come from Redis as they
would in a worker. After a few
renders to warm up, it prints the median time of `--repeats` renders, then
runs `--profile` more under cProfile and prints the functions with the most
time of their own and the most time in all they call. The profile adds to
every call it sees, so its times are larger than the median; read it for
the shares.
"""

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

import seed  # bench/seed.py, beside this script
from search import Writer, admin_execute, setup_django

ROOT = Path(__file__).resolve().parents[1]
DATABASE = "newsroom_bench_profile"
RANDOM_SEED = 1405


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", default="article", help="article, home, tag or a path")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--profile", type=int, default=50, help="renders under cProfile")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--reseed", action="store_true")
    parser.add_argument("--drop", action="store_true", help="remove the database and stop")
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    return parser.parse_args()


def database_exists(admin_url, name):
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def prepare(args):
    """Django on the profile database, seeded unless it already was."""
    url = args.admin_url.rsplit("/", 1)[0] + "/" + DATABASE
    fresh = args.reseed or not database_exists(args.admin_url, DATABASE)
    if fresh:
        admin_execute(
            args.admin_url,
            f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)",
            f"CREATE DATABASE {DATABASE}",
        )
    os.environ["REDIS_URL"] = args.redis_url
    setup_django(url)
    from django.core.cache import cache
    from django.core.management import call_command

    cache.clear()
    if fresh:
        call_command("migrate", verbosity=0)
        rng = random.Random(RANDOM_SEED)
        started = time.monotonic()
        seed.seed(Writer(rng), rng, args.articles)
        print(f"seeded {args.articles:,} articles in {time.monotonic() - started:.0f} s")
        vacuum()


def vacuum():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def page_path(page):
    from newsroom.models import Article, Tag

    if page == "article":
        return Article.objects.get(code=seed.TARGET_CODE).get_absolute_url()
    if page == "home":
        return "/"
    if page == "tag":
        return Tag.objects.get(name=seed.MEASURED_TAG).get_absolute_url()
    return page


def main():
    args = parse_args()
    sys.path.insert(0, str(ROOT))
    if args.drop:
        admin_execute(args.admin_url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        return
    prepare(args)
    from django.test import Client, override_settings

    path = page_path(args.page)
    client = Client()
    with override_settings(PAGE_CACHE=False):
        for _ in range(5):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        times = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{path}: {len(response.content):,} bytes; median {statistics.median(times):.2f} ms, "
            f"fastest {min(times):.2f} ms over {args.repeats} renders"
        )
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.profile):
            client.get(path)
        profiler.disable()
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
