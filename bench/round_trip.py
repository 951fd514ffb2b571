"""What one Redis round trip costs a gunicorn worker, as a share of bare Django.

Run as `.venv/bin/python bench/round_trip.py` with Redis on 127.0.0.1:6379
(database 14, `--redis-url` for another) and wrk installed. It serves
bench/round_trip_app.py with gunicorn.conf.py's settings, as the portal
is served, and measures with wrk, in turns with bare Django, `--rounds`
times:

- `page`: bare Django answering an 81 KB page from memory;
- `socket-get`: one GET of a small value on a socket, written by hand;
- `cache-get`: the same read through the portal's cache backend (Django's
  Redis cache and redis-py);
- `cache-get-page`: an 81 KB page kept as Django's cache middleware keeps
  it, read through the same backend and returned: what a kept page costs
  before any of the portal's own work (its address, its versions, the
  middleware).

The last is the ceiling of bench/pages.py's "cached article" share on
this machine: a page answered from Redis can be no cheaper.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
from ops.common import free_port  # noqa: E402

VIEWS = ["page", "socket-get", "cache-get", "cache-get-page"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args()


def requests_per_second(args, url):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}"]
    subprocess.run([*command, "-d2s", url], capture_output=True, timeout=60, check=True)
    output = subprocess.run(
        [*command, f"-d{args.seconds}s", url],
        capture_output=True,
        text=True,
        timeout=args.seconds + 60,
        check=True,
    ).stdout
    if "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"{url} answered with errors:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main():
    args = parse_args()
    env = {
        **os.environ,
        "ROUND_TRIP_REDIS_URL": args.redis_url,
        "PYTHONPATH": f"{BENCH_DIR}{os.pathsep}{ROOT}",
    }
    subprocess.run(
        [sys.executable, "-c", "import round_trip_app; round_trip_app.store()"],
        env=env,
        check=True,
        timeout=60,
    )
    port = free_port()
    env.update(BIND=f"127.0.0.1:{port}", LOG_LEVEL="warning")
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--access-logfile",
        "/dev/null",
        "round_trip_app:application",
    ]
    server = subprocess.Popen(command, env=env, cwd=BENCH_DIR)
    base = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "cache-get-page", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        workers = os.environ.get("WEB_CONCURRENCY", f"{os.cpu_count() * 2 + 1} (default)")
        print(
            f"gunicorn.conf.py, {workers} workers; wrk {args.threads} threads, "
            f"{args.connections} connections, {args.seconds} s each, in turns with bare Django"
        )
        shares = {view: [] for view in VIEWS}
        for number in range(1, args.rounds + 1):
            for view in VIEWS:
                bare = requests_per_second(args, base)
                measured = requests_per_second(args, base + view)
                shares[view].append(measured / bare)
                print(
                    f"round {number}  {view:15} {measured:8,.0f} req/s  bare {bare:8,.0f}"
                    f"  share {measured / bare:6.1%}",
                    flush=True,
                )
        print("\nmedian share of bare Django (lowest–highest):")
        for view, values in shares.items():
            print(
                f"  {view:15} {statistics.median(values):6.1%}"
                f"  ({min(values):.1%}–{max(values):.1%})"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
