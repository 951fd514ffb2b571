"""Fault drill: the site under load while PostgreSQL restarts, Redis stops and a worker dies.

Run from the repository root: `.venv/bin/python ops/faults.py --short` (CI,
about a minute) or without `--short` for longer phases.

Everything runs on services of the drill's own, so that stopping them harms
nobody: a PostgreSQL cluster made with initdb in a temporary directory (run
by the `postgres` system user), a Redis server without persistence, and
gunicorn with production settings (DEBUG off) on both, with the demo
loaded. Throughout, wrk loads the home and article pages, a thread posts
comments with unique texts through the comment form as a reader does, and
a probe reads /healthz every 0.2 s. The phases:

1. PostgreSQL is stopped (fast shutdown: every connection is cut), left
   down a few seconds and started again. While it is down every answer
   must be a 503 page (or a page still cached in Redis), never a 500; the
   site must recover by itself, without restarting gunicorn.
2. Redis is stopped: pages are still served and comments accepted
   (302). Then it is started again and the cache comes back.
3. Redis is full: its maxmemory is set below what it holds, under
   noeviction, so every write is refused with OOM. Home, article and
   search pages must answer 200, never 500, and comments be accepted;
   then it has room again.
4. One gunicorn worker is killed with SIGKILL: the master replaces it and
   only the request that worker held may fail.

At the end the database must hold every comment whose POST succeeded,
exactly once, and no comment twice. Each phase prints its counts of status
codes and timings; the last line says PASS or FAIL and the exit status is
non-zero on failure. Everything started is stopped and removed, also after
a failure or Ctrl-C.
"""

import argparse
import collections
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ops.common import (  # noqa: E402
    Browser,
    CommentAttempt,
    Gunicorn,
    OpsError,
    PostgresCluster,
    RedisServer,
    cleanup_on_signals,
    free_port,
    persian_digits,
    post_comment,
    postgres_bin,
    prepare_site,
    report,
    require,
    say,
    show_errors,
    site_environment,
    temporary_directory,
    wait_until,
)

NEWS_CODE = 77759
WORKERS = 2
# A request taking longer than this is counted as failed by wrk.
WRK_TIMEOUT = "5s"

# Status codes per wrk thread, added up at the end and printed one per line.
WRK_SCRIPT = """
local threads = {}
local paths = {}
local next_path = 0

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    for _, path in ipairs(args) do table.insert(paths, path) end
    codes = {}
end

function request()
    next_path = next_path % #paths + 1
    return wrk.format("GET", paths[next_path])
end

function response(status, headers, body)
    codes[status] = (codes[status] or 0) + 1
end

function done(summary, latency, requests)
    local total = {}
    for _, thread in ipairs(threads) do
        for status, count in pairs(thread:get("codes")) do
            total[status] = (total[status] or 0) + count
        end
    end
    for status, count in pairs(total) do
        io.write(string.format("status %d %d\\n", status, count))
    end
    local e = summary.errors
    io.write(string.format("errors %d %d %d %d\\n", e.connect, e.read, e.write, e.timeout))
end
"""


class Timings:
    """How long each phase lasts: `--short` for CI, the default for a closer look."""

    def __init__(self, short):
        self.warm_up = 3 if short else 5
        self.database_down = 4 if short else 10
        self.redis_down = 4 if short else 10
        self.redis_full = 4 if short else 10
        self.after_restart = 3 if short else 6
        self.worker_phase = 4 if short else 8
        # The site must be back this long after PostgreSQL is.
        self.recovery_limit = 15


class Load:
    """wrk on the home and article pages for one phase, in the background."""

    def __init__(self, base_url, paths, script, seconds):
        self.command = [
            shutil.which("wrk") or "wrk",
            "-t2",
            "-c4",
            f"-d{seconds}s",
            f"--timeout={WRK_TIMEOUT}",
            "-s",
            str(script),
            base_url,
            "--",
            *paths,
        ]
        self.process = None
        self.codes = collections.Counter()
        self.errors = 0

    def start(self):
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        return self

    def finish(self):
        output, _ = self.process.communicate(timeout=120)
        for line in output.splitlines():
            if line.startswith("status "):
                _, status, count = line.split()
                self.codes[int(status)] += int(count)
            elif line.startswith("errors "):
                self.errors = sum(int(number) for number in line.split()[1:])
        return self

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Recorder(threading.Thread):
    """A background loop recording what it saw, with the time, until stopped."""

    def __init__(self, interval):
        super().__init__(daemon=True)
        self.interval = interval
        self.stopping = threading.Event()
        self.records = []
        self.lock = threading.Lock()

    def run(self):
        while not self.stopping.is_set():
            record = self.once()
            with self.lock:
                self.records.append(record)
            self.stopping.wait(self.interval)

    def since(self, start, end=None):
        with self.lock:
            return [r for r in self.records if r["at"] >= start and (end is None or r["at"] < end)]

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)


class HealthProbe(Recorder):
    def __init__(self, base_url):
        super().__init__(interval=0.2)
        self.browser = Browser(base_url, timeout=5)

    def once(self):
        started = time.monotonic()
        response = self.browser.get("/healthz")
        try:
            state = json.loads(response.body)
        except ValueError:
            state = {}
        return {
            "at": started,
            "status": response.status,
            "database": state.get("database"),
            "cache": state.get("cache"),
        }


class CommentPoster(Recorder):
    """A reader posting comments, each with a text of its own, as fast as the site lets them."""

    def __init__(self, base_url, run_token):
        super().__init__(interval=0.05)
        self.base_url = base_url
        self.run_token = run_token
        self.count = 0

    def once(self):
        self.count += 1
        number = persian_digits(self.count)
        text = f"نظر آزمایشی {self.run_token} شماره {number} درباره خدمات بیمه، با سپاس."
        started = time.monotonic()
        # A new browser each time, like many readers: no connection or cookie is reused.
        browser = Browser(self.base_url, timeout=10)
        try:
            attempt = post_comment(browser, NEWS_CODE, name="خواننده", text=text)
        except OpsError:
            # A 200 that is not the form: counted as a failure to serve it.
            attempt = CommentAttempt(text)
            attempt.form_status = -1
        return {
            "at": started,
            "text": text,
            "form": attempt.form_status,
            "post": attempt.post_status,
            "accepted": attempt.accepted,
        }


class UnavailablePageCheck(Recorder):
    """Reads a page that always needs the database: while it is down, the 503 page must answer."""

    def __init__(self, base_url):
        super().__init__(interval=0.25)
        self.browser = Browser(base_url, timeout=5)

    def once(self):
        started = time.monotonic()
        response = self.browser.get(f"/comments/{NEWS_CODE}/")
        return {
            "at": started,
            "status": response.status,
            "retry_after": response.headers.get("Retry-After") if response.status else None,
            "persian": '<html lang="fa" dir="rtl">' in response.text,
            "traceback": "Traceback" in response.text,
        }


def codes_text(codes) -> str:
    if not codes:
        return "no answers"
    return ", ".join(f"{status or 'no answer'}×{count}" for status, count in sorted(codes.items()))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="shorter phases, for CI")
    arguments = parser.parse_args(argv)
    checks = []
    try:
        with cleanup_on_signals() as stack:
            Drill(stack, checks, Timings(arguments.short)).run()
    except OpsError as error:
        checks.append((False, f"stopped: {error}"))
    except Exception as error:
        # Unforeseen: the traceback shows where.
        traceback.print_exc()
        checks.append((False, f"stopped: {type(error).__name__}: {error}"))
    except KeyboardInterrupt as interruption:
        checks.append((False, f"interrupted {interruption}".strip()))
    return report(checks, "the site rode out every fault")


class Drill:
    def __init__(self, stack, checks, timings):
        self.stack = stack
        self.checks = checks
        self.timings = timings
        self.run_token = persian_digits(secrets.randbelow(900000) + 100000)

    def check(self, passed, message):
        self.checks.append((bool(passed), message))
        say(("ok    " if passed else "FAIL  ") + message)
        return passed

    def run(self):
        self.set_up()
        try:
            self.warm_up()
            self.restart_postgres()
            self.stop_redis()
            self.fill_redis()
            self.kill_a_worker()
            self.finish()
            self.count_comments()
        finally:
            if not all(passed for passed, _ in self.checks):
                show_errors(self.app)

    # Setting up

    def set_up(self):
        require("wrk", "redis-server", postgres_bin("initdb"), postgres_bin("pg_ctl"))
        stack = self.stack
        self.workdir = temporary_directory(stack, "portal-faults-")
        # PostgreSQL's files belong to the postgres user, in a directory of their own.
        cluster_dir = Path(tempfile.mkdtemp(prefix="portal-faults-pg-"))
        stack.callback(shutil.rmtree, cluster_dir, ignore_errors=True)
        self.postgres = PostgresCluster(cluster_dir, port=free_port()).init()
        self.postgres.start()
        stack.callback(self.postgres.stop, "immediate")
        self.postgres.create_database("portal")
        say(f"private PostgreSQL on port {self.postgres.port}")

        self.redis = RedisServer(self.workdir / "redis", port=free_port()).start()
        stack.callback(self.redis.stop)
        say(f"private Redis on port {self.redis.port}")

        env = site_environment(
            workdir=self.workdir,
            database_url=self.postgres.url("portal"),
            redis_url=self.redis.url(),
        )
        prepare_site(env)
        say("migrated, static files collected, demo loaded")

        # Workers are not recycled after a number of requests: the drill kills one itself.
        env["GUNICORN_MAX_REQUESTS"] = "0"
        self.app = Gunicorn("app", port=free_port(), env=env, workdir=self.workdir, workers=WORKERS)
        stack.callback(self.app.stop)
        self.app.start()
        self.master = self.app.pid
        say(f"gunicorn (master {self.master}, workers {self.app.workers()}) on {self.app.url}")

        article = Browser(self.app.url).get(f"/news/{NEWS_CODE}/")
        if article.status != 301:
            raise OpsError(f"/news/{NEWS_CODE}/ answered {article.status}, not a redirect")
        self.paths = ["/", article.headers["Location"]]
        self.search_path = "/search/?q=" + urllib.parse.quote("بیمه")
        self.wrk_script = self.workdir / "codes.lua"
        self.wrk_script.write_text(WRK_SCRIPT)

        self.health = HealthProbe(self.app.url)
        self.poster = CommentPoster(self.app.url, self.run_token)
        self.unavailable = UnavailablePageCheck(self.app.url)
        for recorder in (self.health, self.poster, self.unavailable):
            recorder.start()
            self.stack.callback(recorder.stop)

    def load(self, seconds, paths=None) -> Load:
        load = Load(self.app.url, paths or self.paths, self.wrk_script, seconds).start()
        self.stack.callback(load.stop)
        return load

    def comments_between(self, start, end=None):
        records = self.poster.since(start, end)
        posts = collections.Counter(r["post"] for r in records if r["post"] is not None)
        forms = collections.Counter(r["form"] for r in records)
        return records, forms, posts

    # The phases

    def warm_up(self):
        say("phase 0: everything up")
        start = time.monotonic()
        load = self.load(self.timings.warm_up).finish()
        records, forms, posts = self.comments_between(start)
        say(f"  pages (wrk): {codes_text(load.codes)}; failed requests {load.errors}")
        say(f"  comment forms {codes_text(forms)}; comment posts {codes_text(posts)}")
        self.check(
            set(load.codes) == {200} and load.errors == 0 and set(posts) == {302},
            "with every service up, pages answer 200 and comments are accepted",
        )

    def restart_postgres(self):
        timings = self.timings
        say(f"phase 1: PostgreSQL stopped for {timings.database_down} s, then started")
        load = self.load(timings.database_down + timings.after_restart + 5)
        time.sleep(1.5)
        self.postgres.stop("fast")
        down_at = time.monotonic()
        time.sleep(timings.database_down)
        # "Down" ends when it is being started: it may answer before pg_ctl returns.
        starting_at = time.monotonic()
        self.postgres.start()
        up_at = time.monotonic()
        say(
            f"  PostgreSQL down for {starting_at - down_at:.1f} s, "
            f"started again in {up_at - starting_at:.1f} s"
        )

        def recovered():
            after = [r for r in self.health.since(up_at) if r["status"] == 200]
            return after[0]["at"] if after else None

        try:
            wait_until(recovered, timeout=timings.recovery_limit, what="/healthz to answer 200")
        except OpsError:
            pass
        back_at = recovered()
        load.finish()

        # Requests that were under way when it stopped may still have been answered.
        health_down = collections.Counter(
            r["status"] for r in self.health.since(down_at + 0.5, starting_at)
        )
        pages_down = self.unavailable.since(down_at + 0.5, starting_at)
        records, forms, posts = self.comments_between(down_at + 0.5, starting_at)
        say(f"  pages (wrk, whole phase): {codes_text(load.codes)}; failed requests {load.errors}")
        say(f"  /healthz while down: {codes_text(health_down)}")
        say(
            "  comment form page while down: "
            + codes_text(collections.Counter(r["status"] for r in pages_down))
        )
        say(f"  comment forms while down {codes_text(forms)}; posts {codes_text(posts)}")
        self.check(
            not (set(load.codes) - {200, 503}) and 500 not in forms and 500 not in posts,
            "while PostgreSQL was down: only 200 (cached) and 503, never a 500",
        )
        self.check(
            pages_down
            and all(
                r["status"] == 503 and r["retry_after"] and r["persian"] and not r["traceback"]
                for r in pages_down
            ),
            "a page that needs the database answered the Persian 503 page with Retry-After",
        )
        self.check(
            health_down and set(health_down) == {503},
            "/healthz said 503 while PostgreSQL was down, for the load balancer",
        )
        if back_at is None:
            self.check(False, f"site not back within {timings.recovery_limit} s of PostgreSQL")
        else:
            self.check(
                self.app.pid == self.master and self.app.running(),
                f"site back by itself {back_at - up_at:.1f} s after PostgreSQL "
                "(same gunicorn master, no restart)",
            )
        time.sleep(1)
        after = self.comments_between(back_at or up_at)[2]
        self.check(302 in after, f"comments accepted again after the restart ({codes_text(after)})")

    def stop_redis(self):
        timings = self.timings
        say(f"phase 2: Redis stopped for {timings.redis_down} s, then started")
        load = self.load(timings.redis_down + 1)
        time.sleep(0.5)
        self.redis.stop()
        down_at = time.monotonic()
        time.sleep(timings.redis_down)
        up_at = time.monotonic()
        load.finish()
        self.redis.start()
        restarted_at = time.monotonic()

        records, forms, posts = self.comments_between(down_at, up_at)
        health = self.health.since(down_at + 0.5, up_at)
        say(f"  pages (wrk): {codes_text(load.codes)}; failed requests {load.errors}")
        say(f"  comment forms {codes_text(forms)}; comment posts {codes_text(posts)}")
        self.check(
            set(load.codes) == {200} and load.errors == 0,
            "without Redis, pages are still served (200)",
        )
        self.check(
            posts and set(posts) == {302},
            "without Redis, comments are still accepted (302)",
        )
        self.check(
            health and all(r["status"] == 200 and r["cache"] == "unavailable" for r in health),
            "/healthz said the cache was unavailable, the site up",
        )

        def cache_back():
            return any(r["cache"] == "ok" for r in self.health.since(restarted_at))

        try:
            wait_until(cache_back, timeout=15, what="the cache to come back")
        except OpsError:
            pass
        back = [r for r in self.health.since(restarted_at) if r["cache"] == "ok"]
        self.check(
            back,
            f"cache in use again {back[0]['at'] - restarted_at:.1f} s after Redis restarted"
            if back
            else "cache in use again after Redis restarted",
        )

    def fill_redis(self):
        timings = self.timings
        say(f"phase 3: Redis full (writes refused with OOM) for {timings.redis_full} s")
        self.redis.fill()
        self.stack.callback(self.redis.unfill)
        full_at = time.monotonic()
        load = self.load(timings.redis_full, paths=[*self.paths, self.search_path]).finish()
        self.redis.unfill()
        room_at = time.monotonic()
        records, forms, posts = self.comments_between(full_at, room_at)
        say(f"  pages (wrk, home, article, search): {codes_text(load.codes)}; "
            f"failed requests {load.errors}")  # fmt: skip
        say(f"  comment forms {codes_text(forms)}; comment posts {codes_text(posts)}")
        self.check(
            set(load.codes) == {200} and load.errors == 0,
            "with Redis full, home, article and search answer 200, never a 500",
        )
        self.check(posts and set(posts) == {302}, "with Redis full, comments are accepted (302)")

    def kill_a_worker(self):
        say("phase 4: one gunicorn worker killed with SIGKILL")
        before = self.app.workers()
        if not before:
            raise OpsError("gunicorn has no workers to kill")
        victim = before[0]
        start = time.monotonic()
        load = self.load(self.timings.worker_phase)
        time.sleep(1)
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            say(f"  worker {victim} had already gone")

        def replaced():
            workers = self.app.workers()
            return len(workers) == WORKERS and victim not in workers

        try:
            wait_until(replaced, timeout=15, what="gunicorn to replace the worker")
        except OpsError:
            pass
        after = self.app.workers()
        load.finish()
        records, forms, posts = self.comments_between(start)
        failed_comments = sum(1 for r in records if r["form"] == 0 or r["post"] == 0)
        bad = sum(count for status, count in load.codes.items() if status != 200)
        failed = load.errors + bad + failed_comments
        say(f"  workers before {before}, after {after}")
        say(f"  pages (wrk): {codes_text(load.codes)}; failed requests {load.errors}")
        say(f"  comment forms {codes_text(forms)}; comment posts {codes_text(posts)}")
        self.check(
            victim not in after and len(after) == WORKERS and self.app.pid == self.master,
            "the master replaced the killed worker",
        )
        # A sync worker holds one request at a time: that one may fail.
        self.check(failed <= 1, f"{failed} failed request(s), at most the one the worker held")

    def finish(self):
        for recorder in (self.health, self.poster, self.unavailable):
            recorder.stop()
        with self.poster.lock:
            self.attempts = list(self.poster.records)

    # The comments in the database

    def count_comments(self):
        import psycopg

        with psycopg.connect(self.postgres.url("portal")) as connection:
            rows = connection.execute(
                "SELECT text, count(*) FROM comments_comment WHERE text LIKE %s GROUP BY text",
                [f"%{self.run_token}%"],
            ).fetchall()
        stored = dict(rows)
        accepted = [a["text"] for a in self.attempts if a["accepted"]]
        refused = [a["text"] for a in self.attempts if not a["accepted"]]
        missing = [text for text in accepted if text not in stored]
        twice = [text for text, count in stored.items() if count > 1]
        stored_anyway = [text for text in refused if text in stored]
        say(
            f"comments: {len(self.attempts)} tried, {len(accepted)} accepted, "
            f"{len(stored)} distinct texts stored"
        )
        if stored_anyway:
            say(f"  note: {len(stored_anyway)} stored although the reader saw no success")
        self.check(not missing, f"every accepted comment is stored ({len(missing)} missing)")
        self.check(not twice, f"no comment is stored twice ({len(twice)} duplicated)")


if __name__ == "__main__":
    sys.exit(main())
