"""How fast search answers at 10,000 and 100,000 articles, and what its word index costs.

Run as `.venv/bin/python bench/search.py` with PostgreSQL on 127.0.0.1:5432
(trust auth), Redis on 127.0.0.1:6379 and wrk installed. It creates a
database of its own, `search_bench`, migrates it, seeds articles written
from the vocabulary of the demo content (with a long tail of rarer words,
numbers and dates, so that the index is the size a real archive's would
be), builds the word index, and at each size:

1. the word index: how long building it takes, its rows and size, and what
   it adds to an editor's save (articles saved with and without it, in turns);
2. in this process, with no cache: the search (`search_page`, as the view
   asks for it) and the whole page through Django's test client, for twenty
   typical queries (each REPEATS times) and the queries of the recall table
   (newsroom/tests/test_search_recall.py, three times each);
3. at the first size only, gunicorn (gunicorn.conf.py, production settings,
   Redis database 8, which it empties) on port 8800 and wrk with 16
   connections: one popular query with the search cache on, the mix of all
   the queries with it on and off, and a bare Django response (bench/bare_django.py,
   port 8801) in turns with the first, to show how fast the shared machine
   is at that moment.

Targets: at least 150 requests/s under 16 connections at 10,000 articles;
a median of at most 50 ms for the whole page at 100,000 (no cache).
The database is dropped at the end (`--keep` leaves it for EXPLAIN);
`--reuse` times a database kept by an earlier run as it is, without
seeding it again or timing an editor's save, and keeps it (only the sizes
it already has are timed).

Options: `--sizes 10000,100000`, `--repeats 15`, `--minutes 60` (a bound on
seeding), `--seconds 10` (each wrk run), `--port 8800`, `--no-wrk`,
`--redis-url redis://127.0.0.1:6379/8`,
`--admin-url postgres://postgres@127.0.0.1:5432/postgres`.
"""

import argparse
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

from machine import cpu_model  # bench/machine.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
MIX_SCRIPT = BENCH_DIR / "wrk" / "search_mix.lua"
BENCH_DATABASE = "search_bench"
SEED = 1405
BATCH = 2000
THROUGHPUT_TARGET = 150
PAGE_MEDIAN_TARGET = 50.0
POPULAR_QUERY = "بیمه بیکاری"
# The bare response and the popular query take turns this many times.
TURNS = 3

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


def table_queries():
    """The queries of the recall table, as readers typed them."""
    sys.path.insert(0, str(ROOT))
    from newsroom.tests.test_search_recall import QUERIES as TABLE

    return [query for _kind, query, _code in TABLE]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--seconds", type=int, default=10, help="each wrk measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument("--port", type=int, default=8800, help="gunicorn; the bare one on +1")
    parser.add_argument("--no-wrk", action="store_true", help="skip the gunicorn and wrk step")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--keep", action="store_true", help="leave the database for EXPLAIN")
    parser.add_argument(
        "--reuse", action="store_true", help="time the database a --keep run left, as it is"
    )
    parser.add_argument("--rows", action="store_true", help="a row for each recall-table query")
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


def bench_url(admin_url, name=None):
    return admin_url.rsplit("/", 1)[0] + "/" + (name or BENCH_DATABASE)


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
        from newsroom.search.highlight import plain_text
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


# The word index ----------------------------------------------------------------


def build_word_index():
    from newsroom.search import words

    started = time.monotonic()
    count = words.rebuild()
    print(f"word index built in {time.monotonic() - started:.1f} s: {count:,} words")


def database_facts():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_size_pretty(pg_table_size('newsroom_article')),"
            " pg_size_pretty(pg_relation_size('newsroom_article_search_vector')),"
            " (SELECT count(*) FROM newsroom_searchword),"
            " pg_size_pretty(pg_total_relation_size('newsroom_searchword'))"
        )
        table, vector_index, words, words_size = cursor.fetchone()
    print(
        f"sizes: articles {table}, full-text index {vector_index}; "
        f"word index {words:,} words, {words_size} with its indexes"
    )


SEARCH_RECEIVERS = [
    ("pre_save", "newsroom.search.article_saving"),
    ("post_save", "newsroom.search.article_saved"),
]


def save_cost(samples=30):
    """What keeping the word index adds to an editor's save: saves with and without it, in turns."""
    from django.db.models import signals

    from newsroom.models import Article
    from newsroom.search import signals as search_signals

    receivers = {
        "pre_save": search_signals.remember_the_words_before,
        "post_save": search_signals.count_the_words_of_a_saved_article,
    }
    articles = list(Article.objects.order_by("?")[: samples * 2])
    timings = {"with": [], "without": []}
    for i, article in enumerate(articles):
        with_index = i % 2 == 0
        if not with_index:
            for signal, uid in SEARCH_RECEIVERS:
                getattr(signals, signal).disconnect(sender=Article, dispatch_uid=uid)
        try:
            # An editor's fix: a word of the lead replaced, so words come and go.
            article.lead = article.lead.replace(" ", " ویرایش ", 1)
            started = time.perf_counter()
            article.save()
            timings["with" if with_index else "without"].append(
                (time.perf_counter() - started) * 1000
            )
        finally:
            if not with_index:
                for signal, uid in SEARCH_RECEIVERS:
                    getattr(signals, signal).connect(
                        receivers[signal], sender=Article, dispatch_uid=uid
                    )
    with_index, without = (statistics.median(timings[key]) for key in ("with", "without"))
    print(
        f"an editor's save: median {with_index:.1f} ms with the word index kept in step, "
        f"{without:.1f} ms without ({len(timings['with'])} and {len(timings['without'])} saves, "
        f"in turns): {with_index - without:+.1f} ms"
    )


# Timing in this process ----------------------------------------------------------


def percentile(values, fraction):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def time_queries(queries, repeats):
    from django.conf import settings
    from django.test import Client

    from newsroom.search.engine import search_page

    settings.SEARCH_CACHE_SECONDS = 0  # every search is searched, as on a miss
    client = Client()
    results = {}
    for query in queries:
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
            "partial": found.partial,
            "search": search_times,
            "page": page_times,
        }
    return results


def report(label, results, *, rows=True):
    if rows:
        print(f"{'query':<36} {'found':>6} {'median':>7} {'p95':>7} {'max':>7}  {'page':>7}")
        for query, row in results.items():
            times = row["search"]
            note = " (part of the words)" if row["partial"] else ""
            print(
                f"{query[:36]:<36} {row['found']:>6} {statistics.median(times):7.1f} "
                f"{percentile(times, 0.95):7.1f} {max(times):7.1f}  "
                f"{statistics.median(row['page']):7.1f}{note}"
            )
    every = [t for row in results.values() for t in row["search"]]
    pages = [t for row in results.values() for t in row["page"]]
    summary = {
        "median": statistics.median(every),
        "p95": percentile(every, 0.95),
        "page median": statistics.median(pages),
        "page p95": percentile(pages, 0.95),
    }
    print(
        f"{label}: {len(every)} searches (ms): median {summary['median']:.1f}, "
        f"p95 {summary['p95']:.1f}, max {max(every):.1f}; "
        f"whole page: median {summary['page median']:.1f}, p95 {summary['page p95']:.1f}"
    )
    return summary


def explain(query):
    """The plan of the query that finds and ranks the matches, to see which indexes answer it."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from newsroom.search import engine
    from newsroom.search import query as parsing

    terms = parsing.parse(query).terms
    with CaptureQueriesContext(connection) as captured:
        engine._ranked(terms, {})
    with transaction.atomic(), connection.cursor() as cursor:
        ranking = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
        plan_off = [q["sql"] for q in captured.captured_queries if "set_config" in q["sql"]]
        for statement in plan_off:  # the plan search.py chose, as in _ranked
            cursor.execute(statement)
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {ranking[-1]}")
        print(f"-- EXPLAIN ANALYZE of the ranking query for «{query}»")
        for (line,) in cursor.fetchall():
            if "Scan" in line or "Limit" in line or "Sort" in line or "Time" in line:
                print("   ", line[:140])


# gunicorn and wrk ---------------------------------------------------------------------


class Server:
    """gunicorn on gunicorn.conf.py on one of this bench's ports; a context manager."""

    def __init__(self, env, port, log_path, application=()):
        self.env = {**env, "BIND": f"127.0.0.1:{port}"}
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.application = list(application)
        self.process = None

    def __enter__(self):
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--config",
                "gunicorn.conf.py",
                "--access-logfile",
                "/dev/null",
                *self.application,
            ],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start, see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5):
                    return self
            except urllib.error.HTTPError:
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within a minute, see {self.log_path}")

    def __exit__(self, *exc_info):
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.log.close()


def search_path(query):
    return "/search/?" + urllib.parse.urlencode({"q": query})


def run_wrk(args, url, seconds, script_args=()):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    command += ["--timeout", "10s", "--latency"]
    if script_args:
        command += ["-s", str(MIX_SCRIPT)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    ).stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    number, unit = re.search(r"^\s+50%\s+([\d.]+)([a-z]+)", output, re.M).groups()
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": float(number) * units[unit],
        "errors": int(non_2xx.group(1)) if non_2xx else 0,
    }


def print_wrk(label, result):
    errors = f"  ({result['errors']} not 2xx/3xx)" if result["errors"] else ""
    print(f"{label:<44} {result['rps']:>8,.0f} req/s  median {result['p50']:7.1f} ms{errors}")
    return result


def server_environment(args, url, workdir, *, search_cache):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PAGE_CACHE", "SEARCH_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
            "ENV_FILE": str(workdir / "empty.env"),
            "DEBUG": "false",
            "SECRET_KEY": "bench-only-not-a-secret",
            "DATABASE_URL": url,
            "REDIS_URL": args.redis_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(workdir / "static"),
            "PAGE_CACHE": "false",
            "SEARCH_CACHE_SECONDS": "60" if search_cache else "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def measure_throughput(args, url, size):
    """Search under wrk: the popular query and the mix, with the search cache on and off."""
    import redis

    print(f"\n== gunicorn and wrk at {size:,} articles: {args.connections} connections ==")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    workdir = Path(tempfile.mkdtemp(prefix="search_bench_"))
    (workdir / "empty.env").touch()
    (workdir / "static").mkdir()
    mix = workdir / "paths.txt"
    queries = list(dict.fromkeys(QUERIES + table_queries()))
    mix.write_text("".join(search_path(q) + "\n" for q in queries), encoding="utf-8")
    bare_env = {**server_environment(args, url, workdir, search_cache=False)}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=bare_env,
        check=True,
        timeout=300,
    )
    results = {}
    for search_cache in (True, False):
        redis.Redis.from_url(args.redis_url).flushdb()
        env = server_environment(args, url, workdir, search_cache=search_cache)
        state = "on" if search_cache else "off"
        with Server(env, args.port, workdir / "gunicorn.log") as server:
            popular = server.url + urllib.parse.quote(search_path(POPULAR_QUERY), safe="/?=&%")
            run_wrk(args, popular, 2)  # warm-up: workers started, plans and caches filled
            if search_cache:
                with Server(
                    bare_env,
                    args.port + 1,
                    workdir / "bare.log",
                    ["--pythonpath", str(BENCH_DIR), "bare_django:application"],
                ) as bare:
                    turns = {"bare": [], "popular": []}
                    for turn in range(1, TURNS + 1):
                        turns["bare"].append(
                            print_wrk(f"bare Django, turn {turn}", run_wrk(args, bare.url + "/", 4))
                        )
                        turns["popular"].append(
                            print_wrk(
                                f"«{POPULAR_QUERY}», search cache on, turn {turn}",
                                run_wrk(args, popular, 4),
                            )
                        )
                    for key, rows in turns.items():
                        results[key] = sorted(rows, key=lambda r: r["rps"])[len(rows) // 2]
            else:
                results["popular off"] = print_wrk(
                    f"«{POPULAR_QUERY}», search cache off", run_wrk(args, popular, args.seconds)
                )
            run_wrk(args, server.url + "/", 2, [str(mix)])  # every query asked once
            results[f"mix {state}"] = print_wrk(
                f"{len(queries)} queries in turn, search cache {state}",
                run_wrk(args, server.url + "/", args.seconds, [str(mix)]),
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return results


# The run ------------------------------------------------------------------------------


def main():
    args = parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    deadline = time.monotonic() + args.minutes * 60
    rng = random.Random(SEED)
    sys.path.insert(0, str(BENCH_DIR))

    if args.reuse:
        args.keep = True
    else:
        admin_execute(
            args.admin_url,
            f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)",
            f"CREATE DATABASE {BENCH_DATABASE}",
        )
    url = bench_url(args.admin_url)
    try:
        django = setup_django(url)
        from django.core.management import call_command
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            server = cursor.fetchone()[0]
        print(f"machine: nproc {os.cpu_count()}, CPU {cpu_model()}, memory {memory_gb():.0f} GB")
        print(f"load average at the start: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
        print(f"python {platform.python_version()}, django {django.get_version()}")
        print(f"database: {server}")
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"migrated in {time.monotonic() - started:.1f} s")

        table = table_queries()
        summaries, written, throughput = {}, 0, None
        if args.reuse:
            from newsroom.models import Article

            written = Article.objects.count()
            sizes = [size for size in sizes if size <= written] or [written]
            print(f"\n== {written:,} articles, as an earlier run left them ==")
            database_facts()
        else:
            writer = Writer(rng)
            print(
                f"vocabulary: {writer.vocabulary:,} words in {len(writer.topics)} topics "
                f"of the demo content ({len(writer.common[0])} used by every topic), "
                f"and {len(writer.rare[0]):,} rarer ones"
            )
        for size in sizes:
            if not args.reuse:
                started = time.monotonic()
                written = seed(writer, rng, written, size, deadline)
                seconds = time.monotonic() - started
                print(f"\n== {written:,} articles (seeded in {seconds:.0f} s) ==")
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE newsroom_article")
                build_word_index()
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE newsroom_searchword")
                database_facts()
                save_cost()
            if written < size:
                print(f"time bound of {args.minutes:g} minutes reached; timing what there is")
            typical = report("typical queries", time_queries(QUERIES, args.repeats))
            whole = report("the recall table", time_queries(table, 3), rows=args.rows)
            summaries[written] = (typical, whole)
            if throughput is None and not args.no_wrk:
                connection.close()
                throughput = measure_throughput(args, url, written)
            if written < size:
                break
        for query in ("بیمه", "درمان رایگان", "نوروزپور"):
            explain(query)
        print("\n== summary ==")
        for size, (typical, whole) in summaries.items():
            print(
                f"{size:,} articles, whole page without cache: median "
                f"{typical['page median']:.1f} ms (typical queries), "
                f"{whole['page median']:.1f} ms (the recall table); "
                f"search alone {typical['median']:.1f} and {whole['median']:.1f} ms"
            )
        largest = max(summaries)
        median = max(summaries[largest][0]["page median"], summaries[largest][1]["page median"])
        verdict = "met" if median <= PAGE_MEDIAN_TARGET else "NOT met"
        print(f"target: median whole page <= {PAGE_MEDIAN_TARGET:g} ms at {largest:,}: {verdict}")
        if throughput:
            labels = {
                "popular": "the popular query, search cache on",
                "mix on": f"{len(QUERIES) + len(table)} queries in turn, cache on",
                "mix off": "the same, cache off",
                "popular off": "the popular query, cache off",
            }
            for key, label in labels.items():
                row = throughput[key]
                verdict = "met" if row["rps"] >= THROUGHPUT_TARGET else "NOT met"
                print(
                    f"target: {THROUGHPUT_TARGET} req/s at {sizes[0]:,} ({label}): "
                    f"{row['rps']:,.0f} req/s, {verdict}"
                )
            print(
                f"bare Django in the same minutes: {throughput['bare']['rps']:,.0f} req/s "
                f"(the popular query, cached: {throughput['popular']['rps']:,.0f} req/s)"
            )
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if not args.keep:
            admin_execute(args.admin_url, f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")


if __name__ == "__main__":
    main()
