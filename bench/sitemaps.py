"""How long each sitemap page takes at 100,000 articles, with stale and with fresh statistics.

Run as `.venv/bin/python bench/sitemaps.py` with PostgreSQL on 127.0.0.1:5432
(trust auth). It creates a database of its own (`newsroom_bench_sitemaps`,
or `--database NAME`), migrates it and seeds it with bench/seed.py in two
steps: 1,000 published articles, then ANALYZE, then, with autovacuum off
for the seeded tables, the rest up to `--articles` (100,000). The planner
then works from the statistics of a small archive, as after a large
import: that is when `/sitemap-tags.xml` once ran past gunicorn's 30 s
timeout. Twice, with those stale statistics and again after VACUUM
ANALYZE (what autovacuum leaves):

- every sitemap page (the index, each `?p=` page of each section, the news
  sitemap) through Django's test client, the cache emptied first: the time
  of each (cold, rendered from the database) and the CPU time this
  process spent on it (which other work on a shared machine does not
  lengthen, unlike the time), its queries, bytes and addresses;
- each page again, answered from the cache (warm): the median of
  `--repeats` requests;
- EXPLAIN ANALYZE of the tag sitemap's first page and of the article
  sitemap's last page.

Target: every page under 200 ms cold at 100,000 articles. Every statement
is cut off at 60 s, so that a plan gone wrong shows as such instead of
holding the run. The cache is the settings' (a local memory cache, or
Redis with `--redis-url`, whose database the run empties). The database is
dropped at the end unless `--keep`; `--reuse` measures a kept one again
without seeding (fresh statistics only).
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from xml.etree import ElementTree

import seed  # bench/seed.py, beside this script
from machine import cpu_model
from search import Writer, admin_execute, memory_gb, setup_django

ROOT = Path(__file__).resolve().parents[1]
RANDOM_SEED = 1405
FIRST_STEP = 1000
TARGET_MS = 200
STATEMENT_TIMEOUT_MS = 60_000
SEEDED_TABLES = (
    "newsroom_article",
    "newsroom_taggedarticle",
    "newsroom_tag",
    "newsroom_service",
    "comments_comment",
)
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=20, help="warm requests per page")
    parser.add_argument("--minutes", type=float, default=30, help="bound on seeding")
    parser.add_argument("--database", default="newsroom_bench_sitemaps")
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="", help="e.g. redis://127.0.0.1:6379/6")
    parser.add_argument("--keep", action="store_true", help="leave the database")
    parser.add_argument("--reuse", action="store_true", help="measure a kept database again")
    return parser.parse_args()


def database_url(args):
    base = args.admin_url.rsplit("/", 1)[0] + "/" + args.database
    options = urllib.parse.quote(f"-c statement_timeout={STATEMENT_TIMEOUT_MS}")
    return f"{base}?options={options}"


def execute(*statements):
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def autovacuum(enabled):
    execute(
        *(
            f"ALTER TABLE {table} SET (autovacuum_enabled = {'on' if enabled else 'off'})"
            for table in SEEDED_TABLES
        )
    )


def analyze(vacuum=False):
    command = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    execute(*(f"{command} {table}" for table in SEEDED_TABLES))


def seed_in_two_steps(count, deadline):
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.monotonic() - started:.1f} s")
    rng = random.Random(RANDOM_SEED)
    started = time.monotonic()
    seeder = seed.seed(Writer(rng), rng, min(FIRST_STEP, count), deadline)
    analyze()
    autovacuum(False)
    print(
        f"seeded {seeder.published:,} published articles and analyzed "
        f"({time.monotonic() - started:.0f} s); autovacuum off for the seeded tables"
    )
    started = time.monotonic()
    seeder.grow(count, deadline)
    print(f"seeded up to {seeder.published:,} ({time.monotonic() - started:.0f} s)")
    if seeder.published < count:
        print("the time bound on seeding was reached: measuring what there is")


def archive_facts():
    from newsroom.models import Article, Service, Tag, TaggedArticle

    print(
        f"archive: {Article.objects.published().count():,} published articles of "
        f"{Article.objects.count():,}, {Service.objects.count()} services, "
        f"{Tag.objects.count()} tags, {TaggedArticle.objects.count():,} taggings"
    )


def sitemap_paths(client):
    """The index and every page it lists, then the news sitemap (listed in the index too)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200, response.status_code
    root = ElementTree.fromstring(response.content)
    paths = ["/sitemap.xml"]
    for loc in root.findall("sm:sitemap/sm:loc", NS):
        parts = urllib.parse.urlsplit(loc.text)
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return paths


def timed(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get(path)
        content = response.content
        elapsed = (time.perf_counter() - started) * 1000
        cpu = (time.process_time() - cpu_started) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return elapsed, len(queries), len(content), content.count(b"<loc>"), cpu


def measure(label, repeats):
    from django.core.cache import cache
    from django.test import Client

    print(f"\n== {label} ==")
    client = Client()
    cache.clear()
    paths = sitemap_paths(client)
    cache.clear()
    rows = []
    for path in paths:
        cold, queries, size, addresses, cpu = timed(client, path)
        warm = statistics.median(timed(client, path)[0] for _ in range(repeats))
        rows.append((path, cold, warm, queries, size, addresses, cpu))
    width = max(len(row[0]) for row in rows)
    print(
        f"{'page':<{width}}  {'cold ms':>8}  {'cpu ms':>7}  {'warm ms':>8}  queries  "
        f"{'bytes':>9}  addresses"
    )
    shown = rows if len(rows) <= 12 else rows[:6] + [None] + rows[-5:]
    for row in shown:
        if row is None:
            print(f"{'… (' + str(len(rows) - 11) + ' pages more)':<{width}}")
            continue
        path, cold, warm, queries, size, addresses, cpu = row
        print(
            f"{path:<{width}}  {cold:8.1f}  {cpu:7.1f}  {warm:8.2f}  {queries:7d}  "
            f"{size:9,d}  {addresses:9,d}"
        )
    index, pages = rows[0], rows[1:]
    colds = sorted(row[1] for row in pages)
    warms = [row[2] for row in rows]
    worst = max(pages, key=lambda row: row[1])
    cpus = sorted(row[6] for row in pages)
    print(
        f"the index: {index[1]:.1f} ms cold, {index[6]:.1f} ms of it this process's CPU "
        "(it finds where each page of articles starts)"
    )
    print(
        f"{len(pages)} pages it lists: cold median {statistics.median(colds):.1f} ms, "
        f"95th percentile {colds[int(0.95 * (len(colds) - 1))]:.1f} ms, slowest {worst[1]:.1f} ms "
        f"({worst[0]}); warm (from the cache) median {statistics.median(warms):.2f} ms, "
        f"slowest {max(warms):.2f} ms; largest page {max(row[4] for row in rows):,} bytes"
    )
    print(
        f"this process's CPU time per page, cold (what other work on the machine does not "
        f"lengthen): median {statistics.median(cpus):.1f} ms, 95th percentile "
        f"{cpus[int(0.95 * (len(cpus) - 1))]:.1f} ms, most {cpus[-1]:.1f} ms"
    )
    met = max(worst[1], index[1]) < TARGET_MS
    print(f"target: every page under {TARGET_MS} ms cold: {'met' if met else 'NOT met'}")
    explain()
    return met


def explain():
    from newsroom.articles.sitemaps import ArticleSitemap, TagSitemap

    tags = TagSitemap().paginator.page(1).object_list
    articles = ArticleSitemap()
    last = articles.paginator.page(articles.paginator.num_pages).object_list
    for name, queryset in (("tag sitemap, page 1", tags), ("article sitemap, last page", last)):
        print(f"-- EXPLAIN ANALYZE: {name}")
        for line in queryset.explain(analyze=True).splitlines():
            print("   ", line[:150])


def main():
    args = parse_args()
    deadline = time.monotonic() + args.minutes * 60
    if args.redis_url:
        os.environ["REDIS_URL"] = args.redis_url
    else:
        os.environ.pop("REDIS_URL", None)
    if not args.reuse:
        admin_execute(
            args.admin_url,
            f"DROP DATABASE IF EXISTS {args.database}",
            f"CREATE DATABASE {args.database}",
        )
    results = {}
    try:
        django = setup_django(database_url(args))
        from django.conf import settings
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0]
        print(f"machine: nproc {os.cpu_count()}, CPU {cpu_model()}, memory {memory_gb():.0f} GB")
        print(f"python {platform.python_version()}, django {django.get_version()}")
        print(f"database: {server}")
        print(
            f"cache: {settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; "
            f"SITEMAP_PAGE_SIZE {getattr(settings, 'SITEMAP_PAGE_SIZE', '(none)')}, "
            f"SITEMAP_CACHE_SECONDS {getattr(settings, 'SITEMAP_CACHE_SECONDS', '(none)')}"
        )
        if not args.reuse:
            seed_in_two_steps(args.articles, deadline)
            archive_facts()
            results["stale"] = measure(
                f"statistics of the first {FIRST_STEP:,} articles (as after a large import)",
                args.repeats,
            )
        else:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            archive_facts()
        # What autovacuum leaves once it has been through: statistics and
        # the visibility map that lets a scan read an index alone.
        analyze(vacuum=True)
        results["fresh"] = measure("fresh statistics (after VACUUM ANALYZE)", args.repeats)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            if args.keep and not args.reuse:
                try:
                    autovacuum(True)
                except Exception as error:  # the run's own failure is the one to see
                    print(f"could not turn autovacuum back on: {error}")
            connections.close_all()
        if not args.keep:
            admin_execute(args.admin_url, f"DROP DATABASE IF EXISTS {args.database}")
    print("\nsummary: " + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in results.items()))
    return 0 if results and all(results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
