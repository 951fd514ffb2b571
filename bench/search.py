"""How fast search answers at 10,000 and 100,000 articles on PostgreSQL.

Run as `.venv/bin/python bench/search.py` with PostgreSQL on 127.0.0.1:5432
(trust auth). It creates a database of its own, `newsroom_bench_search`,
migrates it, seeds articles written from the vocabulary of the demo content
(with a long tail of rarer words, numbers and dates, so that the index is
the size a real archive's would be), times twenty typical queries at each
size and drops the database at the end (`--keep` leaves it for EXPLAIN).

What is timed is `newsroom.search.engine.search_page` for the first page: the
count, the page of articles and their highlighted snippets, as the search
view asks for them; the whole page through Django's test client is shown
beside it. Target: a median under 50 ms at 100,000 articles.

Options: `--sizes 10000,100000`, `--repeats 15`, `--minutes 40` (a bound on
the whole run: seeding stops and the report says so when it is reached),
`--admin-url postgres://postgres@127.0.0.1:5432/postgres`.
"""

import argparse
import os
import platform
import random
import re
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from machine import cpu_model  # bench/machine.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
BENCH_DATABASE = "newsroom_bench_search"
SEED = 1405
BATCH = 2000

QUERIES = [
    "بیمه",
    "بیمه بیکاری",
    "مستمری بازنشستگان",
    "اطلاع‌رسانی",
    "اطلاع رسانی",
    "نمیتواند",
    "۱۴۰۵",
    "همسان‌سازی مستمری",
    "کارفرمایان",
    "بيمه تكميلي",
    "سازمان تأمین اجتماعی",
    "روابط عمومی استان",
    "بیمارستان",
    "حق بیمه کارگران ساختمانی",
    "خدمات غیرحضوری",
    "نوروزپور",
    "بازنشستگن",
    "درمان رایگان",
    "1404/12/20",
    "مشاغل آزاد",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--minutes", type=float, default=40.0)
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="leave the database for EXPLAIN")
    return parser.parse_args()


# The machine -------------------------------------------------------------------


def memory_gb():
    try:
        with open("/proc/meminfo") as meminfo:
            return int(meminfo.readline().split()[1]) / 2**20
    except (OSError, ValueError, IndexError):
        return float("nan")


# The database ------------------------------------------------------------------


def admin_execute(admin_url, *statements):
    """Statements on the maintenance database, outside a transaction (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def bench_url(admin_url):
    return admin_url.rsplit("/", 1)[0] + "/" + BENCH_DATABASE


def setup_django(url):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.site.settings"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    os.environ["ALLOWED_HOSTS"] = "testserver"
    import django
    from django.conf import settings

    django.setup()
    # Pages find static files without a collectstatic run, as in the tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return django


# Articles ----------------------------------------------------------------------


class Writer:
    """Persian news text from the demo content's vocabulary.

    Each demo article is a topic with its own word frequencies; an article
    is written mostly in the words of two topics, with the words that every
    topic uses, rarer words (names, places) and numbers and dates among them.
    So a topical word is in a share of the articles, as in a real archive,
    and the organisation's everyday words («بیمه», «تأمین اجتماعی») in most.
    """

    SYLLABLES = "با بر پا تا جو دا را زا سا شا فر کا گل لا ما نو ها وا یز مه ری ان ون اد ید".split()
    WORD_RE = re.compile(r"[^\W\d_][\w\u200c]*")

    def __init__(self, rng):
        from newsroom.demo import articles as demo
        from newsroom.search.engine import plain_text
        from newsroom.text import persian

        self.rng = rng
        self.topics = []
        overall, spread = {}, {}
        for article in [demo.sample_article(), *demo.ARTICLES]:
            text = persian.fold(
                " ".join([article["title"], article["lead"], plain_text(article["body"])])
            )
            counts = {}
            for word in self.WORD_RE.findall(text):
                counts[word] = counts.get(word, 0) + 1
                overall[word] = overall.get(word, 0) + 1
            for word in counts:
                spread[word] = spread.get(word, 0) + 1
            self.topics.append(self._distribution(counts))
        # The words every topic uses («و», «در», «سازمان» …): those of at least
        # a third of the demo articles.
        self.common = self._distribution(
            {word: overall[word] for word in overall if spread[word] * 3 >= len(self.topics)}
        )
        # The long tail: names and rare words the demo does not have.
        rare = {
            "".join(rng.choice(self.SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(40_000)
        }
        ranked = sorted(rare)
        rng.shuffle(ranked)
        self.rare = (ranked, self._zipf(len(ranked)))
        self.vocabulary = len(overall)
        self.tags = demo.TAGS

    def _distribution(self, counts):
        words = sorted(counts, key=lambda word: (-counts[word], word))
        cumulative, total = [], 0
        for word in words:
            total += counts[word]
            cumulative.append(total)
        return words, cumulative

    @staticmethod
    def _zipf(n):
        total, cumulative = 0.0, []
        for rank in range(1, n + 1):
            total += 1 / rank
            cumulative.append(total)
        return cumulative

    def _number(self):
        from newsroom.text import persian

        rng = self.rng
        kind = rng.random()
        if kind < 0.4:
            text = str(rng.randint(1390, 1405))
        elif kind < 0.7:
            text = f"{rng.randint(1398, 1405)}/{rng.randint(1, 12):02d}/{rng.randint(1, 29):02d}"
        else:
            text = str(rng.randint(2, 5000))
        return persian.to_persian_digits(text)

    def words(self, count, topics):
        rng = self.rng
        chosen = []
        for _ in range(count):
            roll = rng.random()
            if roll < 0.55:
                source = topics[0]
            elif roll < 0.70:
                source = topics[1]
            elif roll < 0.93:
                source = self.common
            elif roll < 0.98:
                source = self.rare
            else:
                chosen.append(self._number())
                continue
            chosen.append(rng.choices(source[0], cum_weights=source[1])[0])
        return " ".join(chosen)

    def sentence(self, topics):
        return self.words(self.rng.randint(8, 22), topics) + "."

    def article(self):
        rng = self.rng
        topics = rng.sample(self.topics, 2)
        paragraphs = [
            " ".join(self.sentence(topics) for _ in range(rng.randint(2, 5)))
            for _ in range(rng.randint(3, 7))
        ]
        return {
            "surtitle": self.words(rng.randint(2, 5), topics) if rng.random() < 0.3 else "",
            "title": self.words(rng.randint(6, 12), topics),
            "lead": " ".join(self.sentence(topics) for _ in range(rng.randint(1, 2))),
            "paragraphs": paragraphs,
            "tags": rng.sample(self.tags, rng.randint(0, 3)),
        }


def seed(writer, rng, start, stop, deadline):
    """Articles number start..stop-1; returns how many were written before the deadline."""
    from django.db import transaction
    from django.utils import timezone

    from newsroom.models import Article, Service, Tag, TaggedArticle
    from newsroom.text import persian

    services = list(Service.objects.all())
    if not services:
        services = [
            Service.objects.create(name=name, position=i)
            for i, name in enumerate(
                ["اخبار", "اطلاعیه‌ها", "استان‌ها", "بیمه‌شدگان", "بازنشستگان"], start=1
            )
        ]
    tags = {tag.name: tag for tag in Tag.objects.all()}
    for name in writer.tags:
        if name not in tags:
            tags[name] = Tag.objects.create(name=name)
    now = timezone.now()
    written = start
    while written < stop:
        if time.monotonic() > deadline:
            return written
        batch, batch_tags = [], []
        for number in range(written, min(written + BATCH, stop)):
            text = writer.article()
            roll = rng.random()
            status = Article.Status.DRAFT if roll < 0.02 else Article.Status.PUBLISHED
            ahead = roll > 0.99
            published_at = (
                now + timedelta(days=rng.randint(1, 20))
                if ahead
                else now - timedelta(minutes=rng.randint(10, 5 * 365 * 24 * 60))
            )
            body_text = " ".join(text["paragraphs"])
            batch.append(
                Article(
                    code=100_000 + number,
                    surtitle=text["surtitle"],
                    title=text["title"],
                    lead=text["lead"],
                    body="".join(f"<p>{p}</p>" for p in text["paragraphs"]),
                    service=services[number % len(services)],
                    status=status,
                    published_at=published_at,
                    # What Article.build_search_document makes, normalised once here.
                    search_document=persian.normalize(
                        " ".join(
                            [
                                text["surtitle"],
                                text["title"],
                                text["lead"],
                                body_text,
                                *text["tags"],
                            ]
                        )
                    ),
                )
            )
            batch_tags.append(text["tags"])
        with transaction.atomic():
            created = Article.objects.bulk_create(batch)
            TaggedArticle.objects.bulk_create(
                TaggedArticle(
                    content_object=article, tag=tags[name], published_at=article.published_at
                )
                for article, names in zip(created, batch_tags, strict=True)
                for name in names
            )
        written += len(batch)
    return written


# Timing ------------------------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_queries(repeats):
    from django.test import Client

    from newsroom.search.engine import search_page

    client = Client()
    results = {}
    for query in QUERIES:
        search_page(query)  # warm: plans, caches, the first connection
        search_times, page_times = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            found = search_page(query)
            search_times.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            page_times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        results[query] = {
            "found": found.page.paginator.count,
            "similar": found.similar,
            "search": search_times,
            "page": page_times,
        }
    return results


def report(size, results):
    print(f"\n== {size:,} articles ==")
    print(
        f"{'query':<28} {'found':>7}  {'median':>7} {'p95':>7} {'min':>7} {'max':>7}  {'page':>7}"
    )
    for query, row in results.items():
        times = row["search"]
        note = " (similar words)" if row["similar"] else ""
        print(
            f"{query:<28} {row['found']:>7}  {statistics.median(times):7.1f} "
            f"{percentile(times, 0.95):7.1f} {min(times):7.1f} {max(times):7.1f}  "
            f"{statistics.median(row['page']):7.1f}{note}"
        )
    every = [t for row in results.values() for t in row["search"]]
    pages = [t for row in results.values() for t in row["page"]]
    medians = [statistics.median(row["search"]) for row in results.values()]
    summary = {
        "median": statistics.median(every),
        "p95": percentile(every, 0.95),
        "median of medians": statistics.median(medians),
        "page median": statistics.median(pages),
        "page p95": percentile(pages, 0.95),
    }
    print(
        f"all {len(every)} searches (ms): median {summary['median']:.1f}, "
        f"p95 {summary['p95']:.1f}, min {min(every):.1f}, max {max(every):.1f}; "
        f"whole page: median {summary['page median']:.1f}, p95 {summary['page p95']:.1f}"
    )
    return summary


def database_facts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('newsroom_article')),"
            " pg_size_pretty(pg_relation_size('newsroom_article_search_vector')),"
            " (SELECT count(*) FROM newsroom_search_word),"
            " pg_size_pretty(pg_total_relation_size('newsroom_search_word'))"
        )
        table, vector_index, words, words_size = cursor.fetchone()
    print(
        f"sizes: articles {table}, full-text index {vector_index}; "
        f"{words:,} distinct words for the fallback, {words_size} with their indexes"
    )


def explain(query):
    """The plan of the query that ranks the matches, to see which indexes answer it."""
    from django.db import connection

    from newsroom.search import engine as search

    ranked = search._ranked(search.parse_query(query), {}, search.RANKED_WINDOW + 1)
    sql, params = ranked.values_list("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        print(f"-- EXPLAIN ANALYZE of the ranking query for «{query}»")
        for (line,) in cursor.fetchall():
            if "Scan" in line or "Limit" in line or "Sort" in line or "Time" in line:
                print("   ", line[:140])


def main():
    args = parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    deadline = time.monotonic() + args.minutes * 60
    rng = random.Random(SEED)

    admin_execute(
        args.admin_url,
        f"DROP DATABASE IF EXISTS {BENCH_DATABASE}",
        f"CREATE DATABASE {BENCH_DATABASE}",
    )
    try:
        django = setup_django(bench_url(args.admin_url))
        from django.core.management import call_command
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0]
        print(f"machine: nproc {os.cpu_count()}, CPU {cpu_model()}, memory {memory_gb():.0f} GB")
        print(f"python {platform.python_version()}, django {django.get_version()}")
        print(f"database: {server}")
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.monotonic() - started:.1f} s")

        writer = Writer(rng)
        print(
            f"vocabulary: {writer.vocabulary:,} words in {len(writer.topics)} topics "
            f"of the demo content ({len(writer.common[0])} used by every topic), "
            f"and {len(writer.rare[0]):,} rarer ones"
        )
        summaries, written = {}, 0
        for size in sizes:
            started = time.monotonic()
            written = seed(writer, rng, written, size, deadline)
            seconds = time.monotonic() - started
            print(f"\nseeded {written:,} articles ({seconds:.0f} s for this step)")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE newsroom_article")
            database_facts()
            if written < size:
                print(f"time bound of {args.minutes:g} minutes reached; timing what there is")
            summaries[written] = report(written, time_queries(args.repeats))
            if written < size:
                break
        if len(summaries) > 1:
            (small, first), (large, last) = list(summaries.items())[0], list(summaries.items())[-1]
            print(f"\n== growth from {small:,} to {large:,} articles ({large / small:.0f}x) ==")
            for key in ("median", "p95", "median of medians", "page median", "page p95"):
                print(
                    f"{key:<18} {first[key]:7.1f} ms -> {last[key]:7.1f} ms "
                    f"(x{last[key] / first[key]:.2f})"
                )
            print(
                f"target median < 50 ms at {large:,}: {'met' if last['median'] < 50 else 'NOT met'}"
            )
        for query in ("بیمه", "درمان رایگان", "نوروزپور"):
            explain(query)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            admin_execute(args.admin_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")


if __name__ == "__main__":
    main()
