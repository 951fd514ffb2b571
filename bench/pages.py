"""How fast the reader's pages are served, as production and `make run` serve them.

Run as `.venv/bin/python bench/pages.py` (`make bench-pages`) with PostgreSQL
on 127.0.0.1:5432 (trust auth), Redis on 127.0.0.1:6379 (database 13, which
it empties), nginx and wrk installed. It creates a database of its own,
`newsroom_bench_pages`, migrates it and seeds 10,000 published articles
(bench/seed.py) with one article everyone reads: ten tags and two hundred
approved comments. Then:

1. SQL queries per page, in this process through Django's test client: the
   article, home, tag, service and search pages and a comment being posted,
   with nothing cached (cold), with their parts kept and the page cache off
   (warm), and with the page cache on (the second request).
2. gunicorn on the production settings (gunicorn.conf.py, DEBUG off, Redis,
   no access log) with the page cache off ("uncached": parts kept, each page
   rendered) and on ("cached"); wrk on loopback against each page, every
   page taking turns with a bare Django response (bench/bare_django.py, same
   gunicorn settings) three times: requests per second, median and
   99th-percentile latency, and each worker's memory after the load. wrk
   asks for pages plain; the cached article is also asked for as browsers
   ask, compressed, in the same turns.
3. nginx: the article's HTML as a static file, and nginx as the documented
   micro-cache (deploy/nginx.conf.template through ops/nginx.py) in front
   of gunicorn, taking turns, each asked for the page as browsers ask
   (compressed: the file from the .gz beside it) and plain; also the same
   file from the template's /static/, for a comparison under the same
   server settings.
4. Readers posting comments as fast as the server takes them
   (bench/wrk/post_comments.lua), checked against the database.
5. The embedded default, as `make run` serves it: SQLite (seeded alike,
   with fewer articles), no Redis (the file cache its workers share), two
   workers; the article page in turns with bare Django on two workers,
   plain and compressed.

`--scale` does something else instead: it seeds a database of 1,000 and one
of 100,000 articles and times the home page and a tag's page in this
process on both, in turns; what lists cost must not grow with the archive.

The targets, as shares of bare Django measured in the same run (a summary
with PASS or MISS ends each run): through the micro-cache at least 90% of
nginx serving the file, compressed and plain; the cached article at least 50%; the uncached
article at least 17%, uncached home, tag and service at least 10%; the
embedded default's article at least 10% of bare Django on two workers; and
at most 6 queries for the article page whatever its comments and tags.
Every measurement is bounded in time, and the databases are dropped at the
end (`--keep` leaves them, for EXPLAIN) even when a step fails.
docs/performance.md has the figures of this machine. PORT_RANGE
(`8400-8499`) makes the servers take their ports from that range.
"""

import argparse
import gzip
import os
import platform
import re
import secrets
import shutil
import signal
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

import seed  # bench/seed.py, beside this script
from machine import cpu_model
from search import Writer, admin_execute, memory_gb, setup_django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ops.common import free_port  # noqa: E402  (PORT_RANGE chooses the ports)

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
COMMENT_SCRIPT = BENCH_DIR / "wrk" / "post_comments.lua"
DATABASE = "newsroom_bench_pages"
SCALE_DATABASE = "newsroom_bench_pages_scale"
RANDOM_SEED = 1405

SEARCH_QUERY = "بیمه بیکاری"
ARTICLE_QUERIES_TARGET = 6
# Shares of a bare Django response under the same gunicorn settings, measured
# in turns in the same run: this machine's speed moves from minute to minute.
SHARE_TARGETS = {
    ("cached", "article"): 0.50,
    ("uncached", "article"): 0.17,
    ("uncached", "home"): 0.10,
    ("uncached", "tag"): 0.10,
    ("uncached", "service"): 0.10,
    ("embedded", "article"): 0.10,
}
MICRO_CACHE_SHARE_TARGET = 0.90
# The embedded default: `make run`'s two workers, a smaller archive (SQLite is
# seeded in this process's turn; the article page does not depend on its size).
EMBEDDED_WORKERS = 2
EMBEDDED_ARTICLES = 2000
SCALE_TOLERANCE = 0.20


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=int, default=10, help="each wrk measurement")
    parser.add_argument("--warmup", type=int, default=2, help="wrk before each measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads")
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="gunicorn workers (WEB_CONCURRENCY); gunicorn.conf.py's default when not given",
    )
    parser.add_argument(
        "--scale", action="store_true", help="home and tag pages as the archive grows"
    )
    parser.add_argument("--scale-sizes", default="1000,100000")
    parser.add_argument(
        "--repeats", type=int, default=60, help="renders timed per page and size (--scale)"
    )
    parser.add_argument(
        "--minutes", type=float, default=15, help="bound on seeding; the report says if reached"
    )
    parser.add_argument("--admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--keep", action="store_true", help="leave the database (and work files)")
    parser.add_argument(
        "--embedded-articles", type=int, default=EMBEDDED_ARTICLES, help="the SQLite archive"
    )
    # The embedded default's SQLite file is seeded by a child process of its own.
    parser.add_argument("--seed-sqlite", metavar="PATH", help=argparse.SUPPRESS)
    return parser.parse_args()


class Stopped(Exception):
    """The run was told to stop (SIGTERM, SIGINT); cleaning up follows."""


def stop_on_signal(signum, frame):
    raise Stopped(signal.Signals(signum).name)


# The machine ---------------------------------------------------------------------


def command_version(*command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    return (result.stdout + result.stderr).strip().splitlines()[0]


def operating_system():
    try:
        with open("/etc/os-release") as release:
            for line in release:
                if line.startswith("PRETTY_NAME="):
                    return line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return platform.platform()


def print_machine(redis_url):
    import django
    import gunicorn
    import redis
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    redis_version = redis.Redis.from_url(redis_url).info("server")["redis_version"]
    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {memory_gb():.0f} GB memory")
    print(f"system: {operating_system()}, kernel {platform.release()}")
    print(
        f"python {platform.python_version()}, django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__}, PostgreSQL {postgres}, Redis {redis_version}"
    )
    print(f"{command_version('/usr/sbin/nginx', '-v')}; {command_version('wrk', '--version')}")
    print_load()


def print_load(when="now"):
    one, five, _fifteen = os.getloadavg()
    print(f"load average {when}: {one:.2f} (1 min), {five:.2f} (5 min)")


# The database --------------------------------------------------------------------


def database_url(admin_url, name):
    return admin_url.rsplit("/", 1)[0] + "/" + name


def create_database(admin_url, name):
    admin_execute(
        admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"
    )


def drop_database(admin_url, name):
    if "django" in sys.modules:
        from django.apps import apps
        from django.db import connections

        if apps.ready:
            write_counted_views()
        connections.close_all()
    admin_execute(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def write_counted_views():
    """Views counted in the cache are written before the database goes (they are not needed)."""
    from newsroom.articles import reading

    try:
        reading.flush_views()
    except Exception as error:  # the run is ending either way
        print(f"views not written: {error}", file=sys.stderr)


def start_django(url, *, redis_url, secret_key, workdir):
    """Django in this process, on the bench database and cache, with the server's secret key.

    The key is the server's so that a comment form's signed `issued` token
    made here is accepted there. The checkout's `.env` is not read: the
    bench says everything the server needs.
    """
    env_file = workdir / "empty.env"
    env_file.touch()
    # collectstatic fills it later; whitenoise warns about a missing one.
    (workdir / "static").mkdir(exist_ok=True)
    os.environ.update(
        {
            "ENV_FILE": str(env_file),
            "REDIS_URL": redis_url,
            "SECRET_KEY": secret_key,
            "STATIC_ROOT": str(workdir / "static"),
        }
    )
    return setup_django(url)


def migrate_and_seed(count, deadline):
    import random

    from django.core.management import call_command
    from django.db import connection

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.monotonic() - started:.1f} s")
    rng = random.Random(RANDOM_SEED)
    started = time.monotonic()
    seeder = seed.seed(Writer(rng), rng, count, deadline)
    if connection.vendor == "postgresql":
        vacuum()
    print(f"seeded {seeder.published:,} published articles in {time.monotonic() - started:.0f} s")
    print_archive(seeder)
    return seeder


def vacuum():
    from django.db import connection

    with connection.cursor() as cursor:
        for table in (
            "newsroom_article",
            "newsroom_taggedarticle",
            "newsroom_tag",
            "comments_comment",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def print_archive(seeder):
    from comments.models import Comment
    from newsroom.models import Article, TaggedArticle

    published = Article.objects.published().count()
    target = seeder.target_article
    print(
        f"archive: {Article.objects.count():,} articles ({published:,} published), "
        f"{TaggedArticle.objects.count():,} taggings of {len(seeder.pool) + 1} tags, "
        f"{Comment.objects.count():,} comments"
    )
    for label, tag in (("measured tag", seeder.measured_tag), ("most used tag", seeder.pool[0])):
        count = Article.objects.published().filter(tags=tag).count()
        print(f"{label} «{tag.name}»: {count:,} published articles ({count / published:.1%})")
    print(
        f"target article {target.code}: {target.tags.count()} tags, "
        f"{Comment.objects.approved().filter(article=target).count()} approved comments "
        f"({Comment.objects.approved().filter(article=target, parent__isnull=False).count()} "
        f"replies), {Comment.objects.filter(article=target).exclude(status='approved').count()} "
        f"pending or rejected"
    )


# Queries per page, in this process ------------------------------------------------


def page_paths(seeder):
    from django.urls import reverse

    from newsroom.models import Article

    plain = (
        Article.objects.published()
        .filter(tags=None, comments=None, published_at__lt=seeder.target_article.published_at)
        .first()
    )
    return {
        "article": seeder.target_article.get_absolute_url(),
        "article without tags or comments": plain.get_absolute_url(),
        "home": reverse("newsroom:home"),
        "tag": seeder.measured_tag.get_absolute_url(),
        "service": seeder.target_article.service.get_absolute_url(),
        "search": reverse("newsroom:search") + "?" + urllib.parse.urlencode({"q": SEARCH_QUERY}),
    }


def captured(client, path, *, data=None):
    """The response to one request and the SQL it ran, each statement with its time.

    Django's own record of the SQL keeps times to the millisecond; the
    statements of a page take less, so they are timed here as well.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    durations = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            durations.append((time.perf_counter() - started) * 1000)

    with CaptureQueriesContext(connection) as context, connection.execute_wrapper(timed):
        if data is None:
            response = client.get(path)
        else:
            response = client.post(path, data)
    # Django records COMMIT and ROLLBACK too, without running them through
    # the wrappers; they keep the time Django gave them.
    durations.reverse()
    queries = [
        {
            "sql": query["sql"],
            "ms": float(query["time"]) * 1000
            if query["sql"] in ("BEGIN", "COMMIT", "ROLLBACK")
            else durations.pop(),
        }
        for query in context.captured_queries
    ]
    return response, queries


def comment_post_data(article, client_number):
    """A valid comment form for one request: a fresh arithmetic question and its answer."""
    from captcha.models import CaptchaStore
    from django.utils import timezone

    from comments.forms import issue_token

    store = CaptchaStore.objects.create(
        challenge="6×7=", response="42", expiration=timezone.now() + timedelta(hours=3)
    )
    return {
        "name": "خواننده",
        "email": "",
        "text": f"این خبر برای ما بازنشستگان بسیار مفید بود، سپاس. شماره {client_number}",
        "parent": "",
        "website": "",
        "issued": issue_token(article.code),
        "captcha_0": store.hashkey,
        "captcha_1": "42",
    }


def count_queries(seeder, repeats=10):
    """Queries of each page with the page cache off (cold, then warm) and on (a hit).

    Cold: nothing was cached, so the parts kept with their versions (the
    menu, the rankings, the article's own parts, its comments) are rendered
    too, as after a publication; warm: the same request again, its parts
    kept, as after a comment was approved or with the page cache off.
    """
    from django.test import Client, override_settings

    client = Client()
    rows, details = [], {}
    for label, path in page_paths(seeder).items():
        with override_settings(PAGE_CACHE=False):
            empty_caches()
            response, cold = captured(client, path)
            assert response.status_code == 200, (label, response.status_code)
            _response, warm = captured(client, path)
            times = render_times(client, path, repeats, cold=False)
            cold_times = render_times(client, path, repeats, cold=True)
        with override_settings(PAGE_CACHE=True):
            client.get(path)
            response, hit = captured(client, path)
        rows.append(
            (
                label,
                len(cold),
                len(warm),
                len(hit),
                response.get("X-Page-Cache", "-"),
                times,
                cold_times,
            )
        )
        details[label] = {"warm": warm, "cold": cold}

    article = seeder.target_article
    with override_settings(COMMENT_MIN_SECONDS=0, COMMENT_RATE="1000000/1m"):
        path = f"/comments/{article.code}/"
        response, posted = captured(client, path, data=comment_post_data(article, 0))
        assert response.status_code == 302, ("comment", response.status_code)
    rows.append(("comment posted", len(posted), len(posted), len(posted), "-", [], []))
    details["comment posted"] = {"warm": posted, "cold": posted}

    print(f"\n== SQL queries per page ({seeder.published:,} published articles) ==")
    print(
        f"{'page':<34} {'cold':>5} {'warm':>5} {'cached':>7}  {'X-Page-Cache':<12} "
        f"{'warm ms':>8} {'cold ms':>8}"
    )
    for label, cold, warm, hit, header, times, cold_times in rows:
        render = "".join(
            f" {statistics.median(each):8.1f}" if each else f" {'':>8}"
            for each in (times, cold_times)
        )
        print(f"{label:<34} {cold:>5} {warm:>5} {hit:>7}  {header:<12}{render}")
    print(
        "cold: nothing cached, as after a publication; warm: the next request; cached: "
        "page cache on, second request; ms: median of "
        f"{repeats} renders of each through the test client, page cache off"
    )
    for label in ("article", "article without tags or comments"):
        for state in ("warm", "cold"):
            queries = details[label][state]
            if len(queries) > ARTICLE_QUERIES_TARGET:
                print(
                    f"\n-- {label}, {state}: {len(queries)} queries, "
                    f"more than {ARTICLE_QUERIES_TARGET}:"
                )
                print_queries(queries, width=160)
    print("\n-- the statements of the article page (cold), slowest first:")
    print_queries(sorted(details["article"]["cold"], key=lambda q: -q["ms"]), width=160)
    explain(max(details["article"]["cold"], key=lambda q: q["ms"])["sql"])
    return {label: (cold, warm, hit) for label, cold, warm, hit, *_rest in rows}


def print_queries(queries, width=400):
    for number, query in enumerate(queries, start=1):
        sql = " ".join(query["sql"].split())
        if len(sql) > width:
            sql = sql[: width - 1] + "…"
        print(f"{number:>3}. {query['ms']:7.2f} ms  {sql}")


def explain(sql):
    """The plan of a statement, to see which index (or none) answers it."""
    from django.db import connection

    if not sql.lstrip().upper().startswith("SELECT"):
        return
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
        print("-- EXPLAIN ANALYZE of the slowest:")
        for (line,) in cursor.fetchall():
            print("   ", line[:150])


# The application server ------------------------------------------------------------


def redis_flush(redis_url):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def server_environment(args, *, url, secret_key, workdir, static_root, page_cache):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_", "PAGE_CACHE", "COMMENT_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
            "ENV_FILE": str(workdir / "empty.env"),
            "DEBUG": "false",
            "SECRET_KEY": secret_key,
            "DATABASE_URL": url,
            "REDIS_URL": args.redis_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(static_root),
            "PAGE_CACHE": "true" if page_cache else "false",
            # Readers posting as fast as wrk can: no wait between showing
            # the form and sending it, and no limit per address.
            "COMMENT_MIN_SECONDS": "0",
            "COMMENT_RATE": "1000000/1m",
            "COMMENT_REFUSED_RATE": "1000000/1m",
            "COMMENT_QUESTION_RATE": "1000000/1m",
            "LOG_LEVEL": "WARNING",
        }
    )
    if args.workers:
        env["WEB_CONCURRENCY"] = str(args.workers)
    return env


def collect_static(env):
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    print(f"collected static files into {env['STATIC_ROOT']} in {time.monotonic() - started:.0f} s")


class AppServer:
    """gunicorn on gunicorn.conf.py, as production starts it; a context manager.

    The access log is off: writing a line per request costs throughput that
    a benchmark should not charge to the pages.
    """

    def __init__(self, env, log_path, application=()):
        self.application = list(application)  # gunicorn's arguments for another app
        self.env = env
        self.port = free_port()
        self.env["BIND"] = f"127.0.0.1:{self.port}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.log = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [
                str(gunicorn),
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
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within a minute:\n{self.log_tail()}")

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()  # graceful: workers finish their request
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if getattr(self, "log", None):
            self.log.close()

    def workers(self):
        """The pids of the master's children."""
        from ops.common import children_of

        return children_of(self.process.pid)

    def memory(self):
        """Resident and proportional memory (MB) of each worker, from /proc."""
        sizes = []
        for pid in self.workers():
            sizes.append((pid, proc_kilobytes(pid, "status", "VmRSS"), proc_pss(pid)))
        return sizes

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def proc_kilobytes(pid, name, field):
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return float("nan")


def proc_pss(pid):
    """The worker's share of memory it shares with others (its code, after fork)."""
    return proc_kilobytes(pid, "smaps_rollup", "Pss")


def fetch(url, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, response.read()


# wrk ----------------------------------------------------------------------------------

_LATENCY_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_latency(text):
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * _LATENCY_UNITS[unit]


def parse_wrk(output):
    """Requests per second, median and 99th-percentile latency (ms), and what went wrong."""
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": parse_latency(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": parse_latency(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "non_2xx": 0,
        "socket_errors": 0,
        "output": output,
    }
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        result["non_2xx"] = int(match.group(1))
    if match := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    ):
        result["socket_errors"] = sum(int(n) for n in match.groups())
    return result


def wrk(args, url, seconds, *, script=None, script_args=(), headers=()):
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for header in headers:
        command += ["-H", header]
    if script:
        command += ["-s", str(script)]
    command.append(url)
    if script_args:
        command += ["--", *script_args]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"wrk failed: {result.stderr.strip()}")
    return result.stdout


def quoted(url):
    """The address as wrk must send it: the Persian path and query percent-encoded."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(
        parts._replace(
            path=urllib.parse.quote(parts.path, safe="/%"),
            query=urllib.parse.quote(parts.query, safe="=&%+"),
        )
    )


class Measurements:
    """Every wrk run of this session, printed as it finishes and kept for the summary."""

    def __init__(self, args):
        self.args = args
        self.rows = {}

    def measure(
        self,
        phase,
        page,
        url,
        *,
        server=None,
        script=None,
        script_args=(),
        warmup_script_args=None,
        seconds=None,
        warmup=None,
        headers=(),
    ):
        """Warm up, then measure; `warmup_script_args` keep the warm-up off the measured data.

        With `server`, the gunicorn workers replaced meanwhile are counted:
        each worker is restarted after `max_requests` requests
        (gunicorn.conf.py), and a new one spends a moment importing Django.
        """
        url = quoted(url)
        seconds = self.args.seconds if seconds is None else seconds
        warmup_seconds = self.args.warmup if warmup is None else warmup
        workers_before = set(server.workers()) if server else set()
        warmup_output = ""
        if warmup_seconds > 0:
            warmup_args = script_args if warmup_script_args is None else warmup_script_args
            warmup_output = wrk(
                self.args,
                url,
                warmup_seconds,
                script=script,
                script_args=warmup_args,
                headers=headers,
            )
        workers = server.workers() if server else []
        cpu_before, busy_before = cpu_seconds(workers), machine_busy_seconds()
        output = wrk(
            self.args, url, seconds, script=script, script_args=script_args, headers=headers
        )
        cpu_after, busy_after = cpu_seconds(workers), machine_busy_seconds()
        result = parse_wrk(output)
        requests = max(result["requests"], 1)
        result["cpu_ms"] = (cpu_after - cpu_before) / requests * 1000 if workers else None
        result["busy_ms"] = (busy_after - busy_before) / requests * 1000
        result["warmup_output"] = warmup_output
        result["restarts"] = len(set(server.workers()) - workers_before) if server else 0
        self.rows[phase, page] = result
        trouble = []
        if result["non_2xx"] or result["socket_errors"]:
            trouble.append(
                f"{result['non_2xx']} not 2xx/3xx, {result['socket_errors']} socket errors"
            )
        if result["restarts"]:
            trouble.append(f"{result['restarts']} workers restarted")
        trouble = f"  ({'; '.join(trouble)})" if trouble else ""
        cpu = f"  CPU/request: machine {result['busy_ms']:.2f} ms" + (
            f", workers {result['cpu_ms']:.2f} ms" if workers else ""
        )
        print(
            f"{phase:<10} {page:<16} {result['rps']:>9,.0f} req/s  "
            f"median {result['p50']:7.2f} ms  p99 {result['p99']:7.2f} ms  "
            f"{result['requests']:>7,} requests{cpu}{trouble}",
            flush=True,
        )
        return result

    def get(self, phase, page):
        return self.rows.get((phase, page))


def cpu_seconds(pids):
    """CPU time (user and system) the processes have used so far, from /proc.

    A worker replaced meanwhile takes its time with it: measurements with a
    restart say so.
    """
    ticks = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds():
    """CPU time the machine's cores have spent working, from /proc/stat.

    User, nice, system, interrupts and soft interrupts: every process's work
    and the kernel's, not idling, waiting for the disk, or time the
    hypervisor gave to another machine.
    """
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = map(int, stat.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


# Each page and a bare Django response take turns this many times, and the
# median turn of each is compared: the machine's speed moves within a minute.
TURNS = 3
# nginx's turns move by up to a fifth of its rate on a 2-core machine, where
# wrk and nginx's two workers share the cores: more turns, a steadier median.
NGINX_TURNS = 9


def in_turns(measurements, contenders, turns=TURNS):
    """Measure `(phase, page, url, server[, headers])` contenders in turns; keep each median."""
    seconds = max(3, round(measurements.args.seconds / TURNS))
    runs = {(phase, page): [] for phase, page, *_rest in contenders}
    for turn in range(1, turns + 1):
        warmup = None if turn == 1 else 0
        for phase, page, url, server, *headers in contenders:
            runs[phase, page].append(
                measurements.measure(
                    phase,
                    f"{page} {turn}",
                    url,
                    server=server,
                    seconds=seconds,
                    warmup=warmup,
                    headers=headers[0] if headers else (),
                )
            )
            del measurements.rows[phase, f"{page} {turn}"]
    for (phase, page), results in runs.items():
        ranked = sorted(results, key=lambda result: result["rps"])
        measurements.rows[phase, page] = ranked[len(ranked) // 2]
    print(
        "median of {} turns of {} s: {}".format(
            turns,
            seconds,
            ", ".join(
                f"{phase} {page} {measurements.get(phase, page)['rps']:,.0f}"
                for phase, page in runs
            ),
        ),
        flush=True,
    )


def measure_pages(measurements, phase, server, paths, *, bare, judged, as_browsers=()):
    """Each judged page in turns with bare Django; the other pages once.

    A page in `as_browsers` is also asked for as a browser asks, compressed,
    in the same turns (shown beside the judged, plain, figure).
    """
    print(f"\n== {phase}: gunicorn at {server.url}, workers {server.workers()} ==", flush=True)
    for page in judged:
        contenders = [
            ("bare", f"{phase} {page}", bare.url + "/", bare),
            (phase, page, server.url + paths[page], server),
        ]
        if page in as_browsers:
            contenders.append(
                (phase, f"{page}, gzip", server.url + paths[page], server, BROWSER_HEADERS)
            )
        in_turns(measurements, contenders)
    for page in ("article", "home", "tag", "service", "search"):
        if measurements.get(phase, page) is None:
            measurements.measure(phase, page, server.url + paths[page], server=server)


def describe_caching(server, path):
    """What the app says about caching the article: the page cache's header and Cache-Control."""
    seen = []
    for _ in range(2):
        _status, headers, body = fetch(server.url + quoted(path))
        seen.append(
            f"X-Page-Cache {headers.get('X-Page-Cache', '-')}, "
            f"Cache-Control «{headers.get('Cache-Control', '-')}»"
        )
    print(f"article, two requests: {seen[0]}; then {seen[1]}")
    return body


def print_memory(server, phase, memory):
    sizes = server.memory()
    memory[phase] = sizes
    if not sizes:
        print("memory: no workers found")
        return
    rss = [size for _pid, size, _pss in sizes]
    pss = [size for _pid, _rss, size in sizes]
    print(
        f"memory after the load, {len(sizes)} workers: resident "
        + ", ".join(f"{size:.0f}" for size in rss)
        + f" MB (median {statistics.median(rss):.0f}); proportional median "
        f"{statistics.median(pss):.0f} MB"
    )


# Comments posted under load --------------------------------------------------------


def csrf_pair(server, code):
    """The csrftoken cookie and a form token that goes with it, as a reader's browser gets them."""
    _status, headers, body = fetch(f"{server.url}/comments/{code}/")
    cookie = None
    for header in headers.get_all("Set-Cookie") or []:
        if match := re.match(r"csrftoken=([^;]+)", header):
            cookie = match.group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if cookie is None or token is None:
        raise RuntimeError("the comment form page gave no CSRF cookie and token")
    return cookie, token.group(1).decode()


def prepare_comments(path, article, count, csrf_token, writer, rng):
    """`count` comment forms, one a line: each its own captcha, answer and text.

    Each text passes the posting rules (checked here), so what the server
    refuses is refused for a reason the benchmark should see.
    """
    from captcha.models import CaptchaStore
    from django.utils import timezone

    from comments import rules
    from comments.forms import issue_token
    from newsroom.text import persian

    expiration = timezone.now() + timedelta(hours=3)
    stores = CaptchaStore.objects.bulk_create(
        (
            CaptchaStore(
                challenge="6×7=",
                response="42",
                hashkey=secrets.token_hex(20),
                expiration=expiration,
            )
            for _ in range(count)
        ),
        batch_size=5000,
    )
    terms = rules.load_blocked_terms()
    with open(path, "w") as bodies:
        for number, store in enumerate(stores):
            while True:
                text = writer.sentence(rng.sample(writer.topics, 2))
                text = f"{text} {persian.to_persian_digits(number)}"
                if rules.check_comment(text, terms=terms).outcome == rules.ACCEPT:
                    break
            form = {
                "csrfmiddlewaretoken": csrf_token,
                "name": rng.choice(seed.READER_NAMES),
                "email": "",
                "text": text,
                "parent": "",
                "website": "",
                # A form token is accepted once: each post has its own.
                "issued": issue_token(article.code),
                "captcha_0": store.hashkey,
                "captcha_1": "42",
            }
            bodies.write(urllib.parse.urlencode(form) + "\n")


def comment_counts(output):
    """What bench/wrk/post_comments.lua printed: responses counted by what they meant."""
    return {name: int(value) for name, value in re.findall(r"^comments (\w+) (\d+)$", output, re.M)}


def measure_comments(args, measurements, server, article, workdir, writer, rng):
    """Readers posting comments as fast as the server takes them; counted, then checked."""
    from comments.models import Comment

    cookie, token = csrf_pair(server, article.code)
    # More forms than the fastest server could take in the time.
    count = int(1500 * args.seconds)
    warmup_count = int(1500 * args.warmup)
    measured, warmup = workdir / "comments.txt", workdir / "comments-warmup.txt"
    started = time.monotonic()
    prepare_comments(measured, article, count, token, writer, rng)
    prepare_comments(warmup, article, max(warmup_count, 1), token, writer, rng)
    print(
        f"\nprepared {count + warmup_count:,} comment forms in {time.monotonic() - started:.0f} s",
        flush=True,
    )
    before = Comment.objects.pending().filter(article=article).count()
    result = measurements.measure(
        "cached",
        "comment posting",
        f"{server.url}/comments/{article.code}/",
        server=server,
        script=COMMENT_SCRIPT,
        script_args=[str(measured), cookie, str(args.threads)],
        warmup_script_args=[str(warmup), cookie, str(args.threads)],
    )
    counts = comment_counts(result["output"])
    warmed = comment_counts(result["warmup_output"]).get("posted", 0)
    stored = Comment.objects.pending().filter(article=article).count() - before
    posted_per_second = counts.get("posted", 0) / args.seconds
    result["posted_per_second"] = posted_per_second
    print(
        f"comments: {counts.get('posted', 0):,} accepted (302), {posted_per_second:,.0f}/s; "
        f"shown again {counts.get('shown_again', 0)}, forbidden {counts.get('forbidden', 0)}, "
        f"limited {counts.get('limited', 0)}, failed {counts.get('failed', 0)}, "
        f"other {counts.get('other', 0)}; forms ran out {counts.get('restarted', 0)} times.\n"
        f"pending comments stored: {stored:,}; accepted by wrk's count: "
        f"{warmed + counts.get('posted', 0):,} (warm-up {warmed:,})"
    )
    return result


# nginx ---------------------------------------------------------------------------------


# What Chromium and Firefox send: every reader's browser asks for gzip.
BROWSER_HEADERS = ("Accept-Encoding: gzip, deflate, br, zstd",)


def measure_nginx(measurements, server, article_path, html, workdir, static_root):
    """nginx sending the article's HTML as a file, and as the micro-cache in front of gunicorn.

    Each is asked for the page as a browser asks, compressed, and as a
    script may, plain: the file is then sent from the `.gz` beside it
    (gzip_static), the micro-cache sends the app's compressed page as it
    kept it. The file is sent twice: by a server that does nothing else,
    with Debian's settings (sendfile and tcp_nopush on), which the target
    compares against; and from the template's /static/ location, by the
    same server as the micro-cache, with its settings (tcp_nopush off).
    The target is judged on what browsers get.
    """
    from ops.nginx import Nginx

    site = workdir / "static-site"
    site.mkdir(exist_ok=True)
    compressed = gzip.compress(html, compresslevel=9)
    for path in (site / "article.html", Path(static_root) / "bench-article.html"):
        path.write_bytes(html)
        path.with_name(path.name + ".gz").write_bytes(compressed)
    print(
        f"\n== nginx: the article's HTML ({len(html):,} bytes, {len(compressed):,} compressed) "
        "as a file, and the documented micro-cache in front of gunicorn (page cache on), "
        "in turns ==",
        flush=True,
    )
    static = Nginx.static(workdir / "nginx-static", f"127.0.0.1:{free_port()}", site)
    proxy = Nginx(
        workdir / "nginx-proxy",
        listen=f"127.0.0.1:{free_port()}",
        upstreams=[server.url.removeprefix("http://")],
        static_root=static_root,
    )
    browser = dict(header.split(": ", 1) for header in BROWSER_HEADERS)
    with static, proxy:
        for name, headers in (("a browser", browser), ("a script", {})):
            answers = []
            for _ in range(3):
                _status, got, body = fetch(proxy.url + quoted(article_path), headers=headers)
                answers.append(
                    f"{got.get('X-Cache-Status', '-')} "
                    f"{got.get('Content-Encoding', 'plain')} {len(body):,} bytes"
                )
            print(f"three requests as {name}: {', '.join(answers)}", flush=True)
        in_turns(
            measurements,
            [
                ("nginx", "file, gzip", static.url + "/article.html", None, BROWSER_HEADERS),
                ("nginx", "micro-cache, gzip", proxy.url + article_path, None, BROWSER_HEADERS),
                (
                    "nginx",
                    "file, template, gzip",
                    proxy.url + "/static/bench-article.html",
                    None,
                    BROWSER_HEADERS,
                ),
                ("nginx", "file", static.url + "/article.html", None),
                ("nginx", "micro-cache", proxy.url + article_path, None),
                ("nginx", "file, template", proxy.url + "/static/bench-article.html", None),
            ],
            turns=NGINX_TURNS,
        )
    shares = {}
    for encoding, suffix in (("compressed", ", gzip"), ("plain", "")):
        file = measurements.get("nginx", "file" + suffix)
        cached = measurements.get("nginx", "micro-cache" + suffix)
        beside = measurements.get("nginx", "file, template" + suffix)
        shares[encoding] = (file, cached)
        print(
            f"{encoding}: micro-cache / the file {cached['rps'] / file['rps']:.1%}, "
            f"/ the file from the template's /static/ {cached['rps'] / beside['rps']:.1%}",
            flush=True,
        )
        # A delayed ACK holds a response about 40 ms.
        if file["p99"] > 10 * file["p50"] and file["p99"] >= 30:
            print(
                f"note: the {encoding} file's p99 ({file['p99']:.1f} ms) is over ten times its "
                f"median ({file['p50']:.2f} ms): some of its responses waited for the client's "
                "delayed ACK (sendfile with tcp_nopush), which holds its rate down; the "
                "template turns tcp_nopush off",
                flush=True,
            )
    return shares


# The embedded default ---------------------------------------------------------------


def seed_sqlite(path, count):
    """In a process of its own: the SQLite file of the embedded default, seeded alike."""
    setup_django(f"sqlite:///{path}")
    migrate_and_seed(count, deadline=None)


def measure_embedded(args, measurements, workdir, bare_environment, article_path):
    """`make run`'s shape: SQLite, the file cache, two workers; the article in turns with bare."""
    path = workdir / "embedded.sqlite3"
    started = time.monotonic()
    subprocess.run(
        [sys.executable, __file__, "--seed-sqlite", str(path), "--articles",
         str(args.embedded_articles)],
        cwd=ROOT, check=True, timeout=args.minutes * 60, stdout=subprocess.DEVNULL,
        env={key: value for key, value in os.environ.items() if key != "REDIS_URL"},
    )  # fmt: skip
    print(f"\nseeded the embedded default's SQLite with {args.embedded_articles:,} articles "
          f"in {time.monotonic() - started:.0f} s")  # fmt: skip
    env = {key: value for key, value in bare_environment.items() if not key.startswith("REDIS_")}
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{path}",
            "CACHE_DIR": str(workdir / "embedded-cache"),
            "PAGE_CACHE": "true",
            "WEB_CONCURRENCY": str(EMBEDDED_WORKERS),
        }
    )
    bare_env = {**bare_environment, "WEB_CONCURRENCY": str(EMBEDDED_WORKERS)}
    bare_application = ["--pythonpath", str(BENCH_DIR), "bare_django:application"]
    with (
        AppServer(bare_env, workdir / "gunicorn-bare-2.log", bare_application) as bare,
        AppServer(env, workdir / "gunicorn-embedded.log") as server,
    ):
        path = article_path  # the same seed writes the same article 77759
        print(f"\n== embedded: gunicorn at {server.url}, workers {server.workers()}, "
              f"SQLite and the file cache ==", flush=True)  # fmt: skip
        describe_caching(server, path)
        in_turns(
            measurements,
            [
                ("bare", "embedded article", bare.url + "/", bare),
                ("embedded", "article", server.url + path, server),
                ("embedded", "article, gzip", server.url + path, server, BROWSER_HEADERS),
            ],
        )


# The default run -------------------------------------------------------------------------


def run_pages(args, workdir):
    import random

    from django.conf import settings

    secret_key = os.environ["SECRET_KEY"]
    url = os.environ["DATABASE_URL"]
    deadline = time.monotonic() + args.minutes * 60
    seeder = migrate_and_seed(args.articles, deadline)
    queries = count_queries(seeder)

    # STATIC_ROOT from the environment when the settings read it; the
    # project's own staticfiles/ (as `make run` uses) otherwise.
    static_root = Path(settings.STATIC_ROOT)
    if static_root != workdir / "static":
        print(f"(settings take STATIC_ROOT from the code, not the environment: {static_root})")
    environment = {
        page_cache: server_environment(
            args,
            url=url,
            secret_key=secret_key,
            workdir=workdir,
            static_root=static_root,
            page_cache=page_cache,
        )
        for page_cache in (False, True)
    }
    collect_static(environment[True])
    workers = environment[True].get("WEB_CONCURRENCY", f"{os.cpu_count() * 2 + 1} (default)")
    print(
        f"\ngunicorn: {workers} sync workers; wrk: {args.threads} threads, "
        f"{args.connections} connections, {args.warmup:g} s warm-up, {args.seconds:g} s measured"
    )
    paths = page_paths(seeder)
    measurements = Measurements(args)
    memory = {}

    bare_application = ["--pythonpath", str(BENCH_DIR), "bare_django:application"]
    with AppServer(environment[False], workdir / "gunicorn-bare.log", bare_application) as bare:
        print(f"\nbare Django (bench/bare_django.py): gunicorn at {bare.url}", flush=True)
        redis_flush(args.redis_url)
        with AppServer(environment[False], workdir / "gunicorn-uncached.log") as server:
            describe_caching(server, paths["article"])
            measure_pages(
                measurements,
                "uncached",
                server,
                paths,
                bare=bare,
                judged=("article", "home", "tag", "service"),
            )
            print_memory(server, "uncached", memory)
        print_load("after the uncached server")

        redis_flush(args.redis_url)
        with AppServer(environment[True], workdir / "gunicorn-cached.log") as server:
            html = describe_caching(server, paths["article"])
            measure_pages(
                measurements,
                "cached",
                server,
                paths,
                bare=bare,
                judged=("article",),
                as_browsers=("article",),
            )
            nginx_shares = measure_nginx(
                measurements, server, paths["article"], html, workdir, static_root
            )
            comments = measure_comments(
                args,
                measurements,
                server,
                seeder.target_article,
                workdir,
                Writer(random.Random(RANDOM_SEED + 1)),
                random.Random(RANDOM_SEED + 2),
            )
            print_memory(server, "cached", memory)
        print_load("after the cached server")
    measure_embedded(args, measurements, workdir, environment[False], paths["article"])
    print_load("at the end")

    summary_pages(args, queries, measurements, nginx_shares, comments, memory)


def summary_pages(args, queries, measurements, nginx_shares, comments, memory):
    rows = []

    def verdict(met):
        return "PASS" if met else "MISS"

    cold, warm, _hit = queries["article"]
    _cold, plain, _hit = queries["article without tags or comments"]
    rows.append(
        (
            "article: SQL queries, rendered (parts kept)",
            f"{warm}; without tags or comments {plain}; cold {cold}",
            f"<= {ARTICLE_QUERIES_TARGET}",
            verdict(max(warm, plain) <= ARTICLE_QUERIES_TARGET),
        )
    )

    def share_row(measure, result, base, target=None):
        """A share of `base`, with the rates it is made of; judged when it has a target."""
        if result is None or base is None:
            return (measure, "not measured", f">= {target:.0%}" if target else "", "MISS")
        share = result["rps"] / base["rps"]
        return (
            measure,
            f"{share:.1%} ({result['rps']:,.0f} / {base['rps']:,.0f} req/s)",
            f">= {target:.0%}" if target else "",
            verdict(share >= target) if target else "",
        )

    # As browsers ask (compressed), and as a script may (plain).
    for encoding in ("compressed", "plain"):
        static, proxied = nginx_shares[encoding]
        rows.append(
            share_row(
                f"article: nginx micro-cache / file, {encoding}",
                proxied,
                static,
                MICRO_CACHE_SHARE_TARGET,
            )
        )
    for (phase, page), target in SHARE_TARGETS.items():
        bare = measurements.get("bare", f"{phase} {page}")
        measure = f"{page}: {phase} / bare Django"
        rows.append(share_row(measure, measurements.get(phase, page), bare, target))
    # The judged figures are of plain requests, as in every run before pages
    # were compressed; a browser's request, compressed, measured in the same turns.
    for phase in ("cached", "embedded"):
        result = measurements.get(phase, "article, gzip")
        if result is not None:
            bare = measurements.get("bare", f"{phase} article")
            rows.append(share_row(f"article: {phase}, as browsers ask / bare", result, bare))
    for page in ("home", "tag", "service", "search"):
        before, after = measurements.get("uncached", page), measurements.get("cached", page)
        rows.append(
            (
                f"{page}: uncached / cached",
                f"{before['rps']:,.0f} / {after['rps']:,.0f} req/s",
                "",
                "",
            )
        )
    rows.append(
        ("comments accepted", f"{comments['posted_per_second']:,.0f}/s", "", ""),
    )
    for phase, sizes in memory.items():
        if sizes:
            rss = statistics.median(size for _pid, size, _pss in sizes)
            rows.append((f"worker memory ({phase})", f"{rss:.0f} MB resident (median)", "", ""))

    print(f"\n== summary ({args.seconds:g} s per measurement, {args.connections} connections) ==")
    print(f"{'measure':<44} {'result':<44} {'target':<10} verdict")
    for measure, result, target, met in rows:
        print(f"{measure:<44} {result:<44} {target:<10} {met}")
    print("\nlatency, median / p99 (ms):")
    for (phase, page), result in measurements.rows.items():
        print(f"  {phase:<10} {page:<20} {result['p50']:8.2f} / {result['p99']:8.2f}")


# --scale: home and tag pages as the archive grows ---------------------------------------

SCALE_PAGES = ("home", "tag", "most used tag", "article")
JUDGED_PAGES = ("home", "tag")


def scale_paths(seeder):
    from django.urls import reverse

    return {
        "home": reverse("newsroom:home"),
        "tag": seeder.measured_tag.get_absolute_url(),
        "most used tag": seeder.pool[0].get_absolute_url(),
        # Not a list, but it must not grow with the archive either.
        "article": seeder.target_article.get_absolute_url(),
    }


def empty_caches():
    """Nothing cached: pages, parts and versions."""
    from django.core.cache import cache

    cache.clear()


def use_database(name):
    """Point this process at another bench database, with nothing cached from the last one."""
    from django.db import connection

    write_counted_views()
    connection.close()
    connection.settings_dict["NAME"] = name
    empty_caches()


def render_times(client, path, count, *, cold):
    """Milliseconds of `count` renders; cold ones each start with an empty cache."""

    times = []
    for _ in range(count):
        if cold:
            empty_caches()
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def time_sizes(databases, paths, rounds, per_round):
    """Render times at each size, the sizes taking turns so that the machine's load falls alike.

    Others share the machine: timing one size, then the other minutes
    later, would compare two different loads as much as two archives.
    """
    from django.test import Client, override_settings

    client = Client()
    times = {
        (size, label, kind): []
        for size in databases
        for label in paths
        for kind in ("warm", "cold")
    }
    sizes = list(databases)
    with override_settings(PAGE_CACHE=False):
        for number in range(rounds):
            # Each size goes first in every other round.
            for size in sizes if number % 2 == 0 else reversed(sizes):
                name = databases[size]
                use_database(name)
                for label, path in paths.items():
                    client.get(path)
                    times[size, label, "warm"] += render_times(client, path, per_round, cold=False)
                    times[size, label, "cold"] += render_times(client, path, per_round, cold=True)
    return times


def print_queries_at(size, name, paths):
    """The statements of a warm render of each page, and the plan of the slowest."""
    from django.test import Client, override_settings

    use_database(name)
    client = Client()
    print(f"\n== the slowest statement of each page at {size:,} articles ==")
    with override_settings(PAGE_CACHE=False):
        for label, path in paths.items():
            client.get(path)
            _response, queries = captured(client, path)
            slowest = max(queries, key=lambda query: query["ms"])
            print(f"\n-- {label}: {len(queries)} queries; the slowest:")
            print_queries([slowest], width=300)
            explain(slowest["sql"])


def run_scale(args, workdir, databases):
    """Home and tag pages at a small and a large archive, each in a database of its own."""
    small, large = sorted(databases)
    deadline = time.monotonic() + args.minutes * 60
    seeders = {}
    for size in (small, large):
        use_database(databases[size])
        print(f"\n== {databases[size]}: {size:,} articles ==")
        seeders[size] = migrate_and_seed(size, deadline)
    seeded = {size: seeder.published for size, seeder in seeders.items()}
    if seeded[large] < large:
        print(f"the bound of {args.minutes:g} minutes was reached; timing what there is")
    # The same seed writes the same tags and target article in both.
    paths = scale_paths(seeders[large])
    rounds = 10
    per_round = max(1, args.repeats // rounds)
    print(
        f"\n== render times: {rounds} rounds, each size in turn, {per_round} warm and "
        f"{per_round} cold renders of each page per round; page cache off =="
    )
    print_load("before")
    times = time_sizes(databases, paths, rounds, per_round)
    print_load("after")
    print_queries_at(large, databases[large], paths)

    print(
        f"\n== summary: {seeded[small]:,} -> {seeded[large]:,} published articles, "
        f"median of {rounds * per_round} renders (ms) =="
    )
    print(
        f"{'page':<22} {'small':>7} {'large':>7} {'ratio':>6}  "
        f"{'spread of round medians, large':<32} {'target':<8} verdict"
    )
    for label in SCALE_PAGES:
        for kind in ("warm", "cold"):
            before = statistics.median(times[small, label, kind])
            after = statistics.median(times[large, label, kind])
            ratio = after / before
            samples = times[large, label, kind]
            round_medians = [
                statistics.median(samples[i : i + per_round])
                for i in range(0, len(samples), per_round)
            ]
            spread = f"{min(round_medians):.1f}-{max(round_medians):.1f}"
            judged = label in JUDGED_PAGES
            verdict = ("PASS" if abs(ratio - 1) <= SCALE_TOLERANCE else "MISS") if judged else ""
            print(
                f"{label + ' (' + kind + ')':<22} {before:7.1f} {after:7.1f} {ratio:6.2f}  "
                f"{spread:<32} {'±20%' if judged else '(info)':<8} {verdict}"
            )
    print(
        "warm: the once-a-minute values (menu, rankings) already cached; cold: the cache "
        "emptied before each render"
    )


def main():
    args = parse_args()
    if args.seed_sqlite:
        seed_sqlite(args.seed_sqlite, args.articles)
        return
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGINT, stop_on_signal)
    started = time.monotonic()
    if args.scale:
        sizes = sorted(int(size) for size in args.scale_sizes.split(","))
        databases = {size: f"{SCALE_DATABASE}_{size}" for size in (sizes[0], sizes[-1])}
    else:
        databases = {args.articles: DATABASE}
    workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    try:
        for name in databases.values():
            create_database(args.admin_url, name)
        start_django(
            database_url(args.admin_url, next(iter(databases.values()))),
            redis_url=args.redis_url,
            secret_key=secrets.token_urlsafe(50),
            workdir=workdir,
        )
        redis_flush(args.redis_url)
        print_machine(args.redis_url)
        if args.scale:
            run_scale(args, workdir, databases)
        else:
            run_pages(args, workdir)
    except Stopped as stop:
        print(f"\nstopped by {stop}; cleaning up", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        names = ", ".join(databases.values())
        if args.keep:
            print(f"kept the databases {names} and the work files in {workdir}")
        else:
            for name in databases.values():
                drop_database(args.admin_url, name)
            shutil.rmtree(workdir, ignore_errors=True)
        redis_flush(args.redis_url)
        print(f"took {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
