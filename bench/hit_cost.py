"""What one page answered from the cache costs this process, in CPU time.

Run as `.venv/bin/python bench/hit_cost.py` with Redis on 127.0.0.1:6379.
It builds the demo site in a temporary SQLite database, empties Redis
database 2 (`--redis-url` for another), asks Django's WSGI handler for the
article and the home page once to store them, then times `--requests`
hits of each in `--rounds` rounds and prints the median CPU time of one
hit. No server, no socket between client and Django: what is left is the
middleware, the cache read (the page with its versions)
and the unpickling of the stored response. CPU time (`time.process_time`)
is what this process spent, which other work on a shared machine lengthens
far less than wall time; Redis's own work is not in it.

`--rendered` turns the page cache off (`PAGE_CACHE=false`, as bench/pages.py's
"uncached" server): each request renders the page from its kept parts, and
the CPU time of one render is printed instead.

`--profile` prints the functions that took the most time under cProfile
(sorted by `SORT`, `tottime` unless given).

`--parts` splits the article's hit: each step of the page cache timed
alone on the same request (URL resolution, the page's key from its
canonical address, the one round trip to Redis), the page cache's
middleware whole with and without its round trip, and what is left to
Django's handler, the middleware before the page cache and this harness.
"""

import argparse
import cProfile
import io
import os
import pickle
import pstats
import statistics
import sys
import tempfile
import time
import timeit
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[1]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/2")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--rendered", action="store_true", help="page cache off: time renders")
    parser.add_argument("--parts", action="store_true", help="split the article's hit")
    return parser.parse_args()


def setup(redis_url, workdir, rendered=False):
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.site.settings",
        DATABASE_URL=f"sqlite:///{workdir}/db.sqlite3",
        STATIC_ROOT=f"{workdir}/static",
        REDIS_URL=redis_url,
        SECRET_KEY="hit-cost-" * 8,
        ALLOWED_HOSTS="127.0.0.1",
        ENV_FILE=f"{workdir}/none.env",
    )
    if rendered:
        os.environ["PAGE_CACHE"] = "false"
    import django

    django.setup()
    import logging

    from django.core.cache import cache
    from django.core.management import call_command

    logging.disable(logging.WARNING)
    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    call_command("load_demo", verbosity=0)
    cache.clear()


def wsgi_environ(path):
    return {
        "REQUEST_METHOD": "GET",
        # WSGI carries the path as bytes read as Latin-1.
        "PATH_INFO": unquote(path).encode().decode("latin-1"),
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }


def wsgi_caller():
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    def call(path):
        environ = wsgi_environ(path)
        answer = {}

        def start_response(status, headers, exc_info=None):
            answer["status"], answer["headers"] = status, dict(headers)

        body = b"".join(application(environ, start_response))
        return answer["status"], answer["headers"], body

    return call


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="hit-cost-") as workdir:
        setup(args.redis_url, workdir, args.rendered)
        from newsroom.articles.models import Article

        call = wsgi_caller()
        article = Article.objects.published().order_by("-published_at").first()
        pages = {"article": article.get_absolute_url(), "home": "/"}
        for name, path in pages.items():
            call(path)
            status, headers, body = call(path)
            expected = None if args.rendered else "hit"
            assert status.startswith("200") and headers.get("X-Page-Cache") == expected, (
                name,
                status,
                headers.get("X-Page-Cache"),
            )
            rounds = []
            for _ in range(args.rounds):
                start = time.process_time()
                for _ in range(args.requests):
                    call(path)
                rounds.append((time.process_time() - start) / args.requests * 1000)
            median = statistics.median(rounds)
            print(
                f"{name:8} {len(body):7,} bytes  CPU per {'render' if args.rendered else 'hit'}:"
                f" median {median:.3f} ms"
                f" (rounds {min(rounds):.3f}–{max(rounds):.3f})"
            )
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(args.requests):
                    call(path)
                profile.disable()
                pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime")).print_stats(25)
            if args.parts and name == "article" and not args.rendered:
                print_parts(path, call, requests=args.requests)


def cpu_ms(step, requests):
    """The CPU time of one `step()`: the least of five rounds of `requests` calls."""
    rounds = timeit.repeat(step, number=requests, repeat=5, timer=time.process_time)
    return min(rounds) / requests * 1000


def print_parts(path, call, *, requests):
    """Where the article's hit goes: each step of the page cache alone, on the same request."""
    from django.core.cache import caches
    from django.core.handlers.wsgi import WSGIRequest
    from django.urls import resolve

    from newsroom.delivery import pages, versions

    environ = wsgi_environ(path)
    request = WSGIRequest(dict(environ))
    match = resolve(request.path_info)
    kept = pages.KEPT_PAGES[match.view_name]
    topics = kept.topics(match.kwargs)
    page_key = pages.page_key(request, kept.parameters)
    keys = [*versions.keys(topics), page_key]
    cache = caches["default"]
    found = cache.get_many(keys)
    assert page_key in found, "the article is not kept: nothing to split"

    def fresh_request():
        return WSGIRequest({**environ, "wsgi.input": io.BytesIO()})

    middleware = pages.PageCacheMiddleware(lambda request: None)
    steps = {
        "URL resolution": lambda: resolve(request.path_info),
        "the page's key (its canonical address)": lambda: pages.page_key(request, kept.parameters),
        "the round trip (versions and page)": lambda: cache.get_many(keys),
        "a request object": fresh_request,
        "the page cache's middleware, whole": lambda: middleware(fresh_request()),
    }
    measured = {label: cpu_ms(step, requests) for label, step in steps.items()}
    whole = cpu_ms(lambda: call(path), requests)
    # The same middleware with its round trip answered from memory: what it
    # does besides asking Redis. The stored answers are unpickled each time,
    # as the backend unpickles what Redis returns.
    stored = {key: pickle.dumps(value) for key, value in found.items()}
    cache.get_many = lambda keys, version=None: {k: pickle.loads(v) for k, v in stored.items()}
    try:
        without = cpu_ms(lambda: middleware(fresh_request()), requests)
    finally:
        del cache.get_many
    print("\nthe article's hit, step by step (CPU ms; each step alone, least of five rounds):")
    for label, value in measured.items():
        print(f"  {label:52} {value:.3f}")
    print(f"  {'the middleware, its round trip from memory':52} {without:.3f}")
    rest = whole - measured["the page cache's middleware, whole"] + measured["a request object"]
    print(f"  {'the rest: handler, earlier middleware, harness':52} {rest:.3f}")
    print(f"  {'the whole hit':52} {whole:.3f}")


if __name__ == "__main__":
    main()
