"""Lighthouse's four scores for the reader's pages, on its mobile preset.

Run as `make lighthouse` (or `.venv/bin/python bench/lighthouse.py [PATH …]`).
It serves the site as `make run` does — a fresh SQLite database of its own,
migrated, with the demo content and collected static files, under gunicorn
on the production settings (DEBUG off, the page cache on) — on
127.0.0.1:PORT, then runs the npm package `lighthouse` (installed by `make
lighthouse` into .cache/lighthouse, never globally) with Debian's Chromium
(CHROME_PATH, /usr/bin/chromium by default) against the home page, an
article (the demo's sample, 77759) and any further paths given, such as a
photo report's: `make lighthouse LIGHTHOUSE_PATHS="/news/77802/"`.

It prints each page's size in bytes of HTML, its performance,
accessibility, best practices and SEO scores, and what the performance
score is made of most here: the largest contentful paint and the total
blocking time in milliseconds, and the bytes the page fetched in all; it
exits non-zero when a score is under --minimum (0.95). Each page is measured
`--runs` times and its median kept, as Lighthouse's own guidance suggests
for a noisy machine. The server is stopped and its files removed at the end.
"""

import argparse
import json
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIGHTHOUSE = ROOT / ".cache/lighthouse/node_modules/.bin/lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEFAULT_PATHS = ("/", "/news/77759/")
# What the performance score is made of, printed beside the scores: the
# largest paint and the blocking time (ms) and every byte the page fetched.
METRICS = {
    "LCP ms": "largest-contentful-paint",
    "TBT ms": "total-blocking-time",
    "bytes": "total-byte-weight",
}


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="more pages to measure, e.g. /news/77802/")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8090)))
    parser.add_argument("--runs", type=int, default=3, help="runs per page; the median is kept")
    parser.add_argument("--minimum", type=float, default=0.95)
    return parser.parse_args()


def serve(port, workdir):
    """gunicorn serving a fresh copy of the demo site, as `make run` does.

    Returns the server's process and origin; the caller stops it.
    """
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DEBUG": "false",
        "SERVE_MEDIA": "true",
        "STATIC_ROOT": str(workdir / "static"),
        "MEDIA_ROOT": str(workdir / "media"),
        "CACHE_DIR": str(workdir / "cache"),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    manage = [PYTHON, str(ROOT / "manage.py")]
    quiet = {"cwd": ROOT, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "--noinput"], **quiet)
    subprocess.run([*manage, "collectstatic", "--noinput", "--verbosity", "0"], **quiet)
    subprocess.run([*manage, "load_demo", "--site", f"http://127.0.0.1:{port}"], **quiet)
    subprocess.run([*manage, "load_demo_comments"], **quiet)
    gunicorn = Path(PYTHON).with_name("gunicorn")
    log = open(workdir / "server.log", "wb")  # noqa: SIM115 (closed with the directory)
    server = subprocess.Popen(
        [str(gunicorn), "--config", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    origin = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(origin + "/healthz", timeout=2):
                return server, origin
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(0.5)
    server.terminate()
    server.wait(timeout=30)
    raise SystemExit("the server did not answer within a minute")


def final_address(origin, path):
    """Where a path ends after its redirects (/news/77759/ → the canonical address), and
    how many bytes of HTML it has there."""
    with urllib.request.urlopen(origin + quote(path, safe="/?=&"), timeout=10) as response:
        return response.geturl(), len(response.read())


def scores(url, workdir, attempts=3):
    """One Lighthouse run: each category's score, 0 to 1.

    A run Lighthouse itself gives up («NO_NAVSTART», a trace it could not
    record, which happens now and then on a busy machine) is tried again.
    """
    report = workdir / "report.json"
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    for attempt in range(1, attempts + 1):
        try:
            subprocess.run(command, env=env, check=True, timeout=300)
            break
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            if attempt == attempts:
                raise
            print(f"Lighthouse failed on {url}; trying again.", file=sys.stderr)
    result = json.loads(report.read_text())
    found = {name: result["categories"][name]["score"] or 0.0 for name in CATEGORIES}
    for name, audit in METRICS.items():
        found[name] = result["audits"][audit]["numericValue"]
    return found


def main():
    options = arguments()
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is not installed: `make lighthouse` installs it")
    workdir = Path(tempfile.mkdtemp(prefix="newsroom-lighthouse-"))
    server = None
    failed = False
    try:
        server, origin = serve(options.port, workdir)
        print(
            f"{'page':<24} {'HTML bytes':>10} "
            + " ".join(f"{n:>15}" for n in CATEGORIES)
            + "".join(f"{n:>10}" for n in METRICS)
        )
        for path in (*DEFAULT_PATHS, *options.paths):
            url, size = final_address(origin, path)
            runs = [scores(url, workdir) for _run in range(options.runs)]
            median = {name: statistics.median(run[name] for run in runs) for name in runs[0]}
            failed |= any(median[name] < options.minimum for name in CATEGORIES)
            print(
                f"{path:<24} {size:>10,} "
                + " ".join(f"{median[n]:>15.2f}" for n in CATEGORIES)
                + "".join(f"{median[n]:>10,.0f}" for n in METRICS)
            )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    if failed:
        print(f"A score is under {options.minimum}.")
        sys.exit(1)


if __name__ == "__main__":
    main()
