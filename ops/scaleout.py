"""Two app servers behind nginx, sharing PostgreSQL and Redis, agree at once; nginx after its TTL.

Run from the repository root: `.venv/bin/python ops/scaleout.py`.

It needs the machine's PostgreSQL on 127.0.0.1:5432 (trust auth) and Redis
on 127.0.0.1:6379, and nginx installed. It creates a database of its own
(`portal_scaleout`) and uses Redis database 14, collects the static files
into a temporary directory, loads the demo and creates a moderator, then
starts two gunicorn app servers with production settings (DEBUG off) and
a private nginx in front of them as the load balancer, and plays what
scaling out must not break:

1. a reader posts a comment on article 77759 through app server 1, the
   way a browser does (the form's page, its token and arithmetic question);
2. the comment is pending: no page shows it, through either server or nginx,
   and nginx now answers the article from its micro-cache;
3. a moderator logs into the admin through app server 2 and approves it
   with the changelist's bulk action;
4. right away, the article page shows it through server 1 and server 2
   (the versions of the pages they keep are renewed in the shared Redis),
   and through nginx on the first request after its copy's time-to-live
   (PUBLIC_CACHE_SECONDS, 2 s by default);
5. the moderator rejects it: gone through both servers at once, and from
   nginx on the first request after the time-to-live;
6. an editor unpublishes one article (the publishing service), gives
   another a new title and a third a new news code (saved as the admin
   saves): both servers answer 404, 301 and 404 at once, and nginx, whose
   copies of the three pages were fresh a moment before, does on the first
   request after the time-to-live, and on every request after that.

Every step is printed; the last line says PASS or FAIL, and the exit status
is non-zero on failure. Processes, the database, Redis database 14 and the
temporary files are removed at the end, also after a failure or Ctrl-C.
"""

import argparse
import json
import secrets
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ops.common import (  # noqa: E402
    Browser,
    Gunicorn,
    OpsError,
    admin_login,
    cleanup_on_signals,
    create_database,
    drop_database,
    free_port,
    manage,
    persian_digits,
    post_comment,
    prepare_site,
    read_form,
    report,
    require,
    say,
    show_errors,
    site_environment,
    temporary_directory,
)
from ops.nginx import Nginx, NginxError  # noqa: E402

POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
DATABASE = "portal_scaleout"
REDIS = "redis://127.0.0.1:6379/14"
NEWS_CODE = 77759
ADMIN_PATH = "admin/"
MODERATOR = "ops-moderator"
# How long nginx may keep a page (the app's s-maxage); the settings' default.
PUBLIC_CACHE_SECONDS = 2


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep-logs", action="store_true", help="print the end of the app servers' logs"
    )
    arguments = parser.parse_args(argv)
    checks = []
    try:
        with cleanup_on_signals() as stack:
            run(stack, checks, keep_logs=arguments.keep_logs)
    except (OpsError, NginxError) as error:
        checks.append((False, f"stopped: {error}"))
    except Exception as error:
        # Unforeseen: the traceback shows where.
        traceback.print_exc()
        checks.append((False, f"stopped: {type(error).__name__}: {error}"))
    except KeyboardInterrupt as interruption:
        checks.append((False, f"interrupted {interruption}".strip()))
    return report(checks, "two app servers and nginx agree")


def run(stack, checks, *, keep_logs):
    def check(passed, message):
        checks.append((passed, message))
        say(("ok    " if passed else "FAIL  ") + message)
        return passed

    require("/usr/sbin/nginx")
    workdir = temporary_directory(stack, "portal-scaleout-")
    say(f"work directory {workdir}")

    create_database(POSTGRES, DATABASE)
    stack.callback(drop_database, POSTGRES, DATABASE)
    flush_redis(REDIS)
    stack.callback(flush_redis, REDIS)
    database_url = POSTGRES.rsplit("/", 1)[0] + "/" + DATABASE
    say(f"database {DATABASE} created; cache {REDIS}")

    env = site_environment(
        workdir=workdir,
        database_url=database_url,
        redis_url=REDIS,
        ADMIN_PATH=ADMIN_PATH,
        PUBLIC_CACHE_SECONDS=PUBLIC_CACHE_SECONDS,
    )
    moderator, password = prepare_site(env, moderator=MODERATOR)
    say(f"migrated, static files collected, demo loaded, moderator {moderator!r} created")

    servers = []

    def explain(error_type, error, error_traceback):
        if keep_logs:
            for server in servers:
                print(f"--- {server.name}'s log ---\n{server.log_tail(80)}")
        elif error_type is not None or not all(passed for passed, _ in checks):
            for server in servers:
                show_errors(server)

    # Runs at the end, before the work directory and the logs in it are removed.
    stack.push(explain)

    for number in (1, 2):
        server = Gunicorn(f"app{number}", port=free_port(), env=env, workdir=workdir)
        stack.callback(server.stop)
        servers.append(server.start())
        say(f"app server {number} (gunicorn, {len(server.workers())} workers) on {server.url}")
    one, two = servers

    nginx = Nginx(
        workdir / "nginx",
        listen=f"127.0.0.1:{free_port()}",
        upstreams=[f"127.0.0.1:{server.port}" for server in servers],
        static_root=workdir / "static",
        media_root=workdir / "media",
        admin_path=ADMIN_PATH,
    )
    stack.enter_context(nginx)
    say(f"nginx load balancer on {nginx.url}, in front of both")

    # The author's name finds the comment in the moderation list; the text is unique too.
    number = persian_digits(secrets.randbelow(900000) + 100000)
    name = f"خواننده آزمایشی {number}"
    text = f"از اطلاع‌رسانی شفاف و به‌موقع درباره این خبر سپاسگزارم، شماره {number}."
    reader = Browser(one.url)
    attempt = post_comment(reader, NEWS_CODE, name=name, text=text)
    if not check(
        attempt.accepted,
        f"reader posted a comment through app server 1 (form {attempt.form_status}, "
        f"post {attempt.post_status})",
    ):
        return

    places = {"app server 1": one.url, "app server 2": two.url, "nginx": nginx.url}
    for place, url in places.items():
        html_text, status, _headers = article_page(url)
        check(
            status == 200 and text not in html_text,
            f"pending comment not shown through {place} (status {status})",
        )

    for compressed in (True, False):
        article_page(nginx.url, compressed=compressed)
        headers = article_page(nginx.url, compressed=compressed)[2]
        cache_status, encoding = headers.get("X-Cache-Status"), headers.get("Content-Encoding")
        check(
            cache_status == "HIT" and encoding == ("gzip" if compressed else None),
            f"nginx answers the article from its micro-cache, "
            f"{'compressed to a browser' if compressed else 'plain to a reader without gzip'} "
            f"({cache_status}, {encoding or 'plain'})",
        )

    moderator_browser = Browser(two.url)
    admin_login(moderator_browser, ADMIN_PATH, moderator, password)
    check(True, "moderator logged into the admin through app server 2")
    approved = moderate(moderator_browser, name, "mark_approved")
    if not check(approved, "moderator approved it with the changelist action on app server 2"):
        return
    approved_at = time.monotonic()

    for place in ("app server 1", "app server 2"):
        html_text, status, _headers = article_page(places[place])
        check(
            status == 200 and text in html_text, f"approved comment shown through {place} at once"
        )

    # nginx may serve its copy from before the approval until it expires.
    after_ttl(
        check,
        nginx.url,
        canonical_path(one.url),
        approved_at,
        lambda response: response.status == 200 and text in response.text,
        "the approved comment is shown",
    )
    check(
        all(text in article_page(url)[0] for url in places.values()),
        "then all three show it",
    )

    rejected = moderate(moderator_browser, name, "mark_rejected")
    if not check(rejected, "moderator rejected it with the changelist action on app server 2"):
        return
    rejected_at = time.monotonic()
    for place in ("app server 1", "app server 2"):
        html_text, status, _headers = article_page(places[place])
        check(status == 200 and text not in html_text, f"rejected comment gone through {place}")
    after_ttl(
        check,
        nginx.url,
        canonical_path(one.url),
        rejected_at,
        lambda response: response.status == 200 and text not in response.text,
        "the rejected comment is gone",
    )

    change_articles(check, env, servers, nginx)


def canonical_path(base_url, code=NEWS_CODE):
    response = Browser(base_url).get(f"/news/{code}/")
    return response.headers["Location"]


def after_ttl(check, base_url, path, changed_at, is_new, what):
    """Through nginx: the first request after the copy's time-to-live, and those after, are new.

    The copy nginx holds was made at the latest when the change was, so it
    has expired `PUBLIC_CACHE_SECONDS` after the change, and at most a second
    later, as nginx counts a copy's time-to-live in whole seconds of its
    clock. Before the fix of `updating` and background updates, nginx kept
    answering `STALE` here.
    """
    time.sleep(max(0.0, changed_at + PUBLIC_CACHE_SECONDS + 1.1 - time.monotonic()))
    # A browser's compressed copy and a plain one are two copies in nginx.
    browsers = [Browser(base_url), Browser(base_url, compressed=False)]
    seen = []
    deadline = time.monotonic() + 2 * PUBLIC_CACHE_SECONDS + 1
    while True:
        for browser in browsers:
            response = browser.get(path)
            status = response.headers.get("X-Cache-Status")
            seen.append((is_new(response), response.status, status))
        if time.monotonic() > deadline:
            break
        time.sleep(0.25)
    waited = time.monotonic() - changed_at
    firsts = seen[: len(browsers)]
    check(
        all(new for new, _status, _cache in firsts),
        f"through nginx, {what} on the first request after the time-to-live, compressed "
        f"and plain ({', '.join(f'{status} {cache}' for _new, status, cache in firsts)})",
    )
    stale = [entry for entry in seen if not entry[0]]
    check(
        not stale,
        f"through nginx, {what} on all {len(seen)} requests until {waited:.1f} s after "
        f"the change{f' (not on {len(stale)}: {stale[:3]})' if stale else ''}",
    )


def change_articles(check, env, servers, nginx):
    """Unpublish, retitle and renumber three published articles; nginx follows after its TTL."""
    found = manage_json(
        env,
        "from newsroom.models import Article\n"
        "print(json.dumps([a.code for a in Article.objects.published()"
        f".exclude(code={NEWS_CODE}).order_by('-published_at')[:3]]))",
    )
    unpublished, retitled, renumbered = found
    new_code = max(found) + 100000
    paths = {code: canonical_path(servers[0].url, code) for code in found}
    for code, path in paths.items():
        for compressed in (True, False, True, False):
            response = Browser(nginx.url, compressed=compressed).get(path)
            if response.status != 200:
                raise OpsError(f"article {code} answered {response.status} through nginx")
    say(f"articles {unpublished}, {retitled} and {renumbered} kept by nginx")
    manage_json(
        env,
        "from django.contrib.auth import get_user_model\n"
        "from newsroom.articles.services import unpublish_articles\n"
        "from newsroom.models import Article\n"
        f"editor = get_user_model().objects.get(username={MODERATOR!r})\n"
        "print(json.dumps(unpublish_articles("
        f"articles=Article.objects.filter(code={unpublished}), editor=editor)))\n"
        f"article = Article.objects.get(code={retitled})\n"
        "article.title = 'تیتری تازه برای آزمودن نشانی‌ها'\n"
        "article.save()\n"
        f"article = Article.objects.get(code={renumbered})\n"
        f"article.code = {new_code}\n"
        "article.save()\n",
    )
    changed_at = time.monotonic()
    new_path = canonical_path(servers[0].url, retitled)
    expected = {
        unpublished: (lambda r: r.status == 404, "the unpublished article is a 404"),
        retitled: (
            lambda r: r.status == 301 and r.headers.get("Location") == new_path,
            "the retitled article's old address redirects to its new one",
        ),
        renumbered: (lambda r: r.status == 404, "the renumbered article's old address is a 404"),
    }
    check(True, f"editor unpublished {unpublished}, retitled {retitled}, renumbered "
          f"{renumbered} as {new_code}")  # fmt: skip
    for code, (is_new, what) in expected.items():
        for server in servers:
            response = Browser(server.url).get(paths[code])
            check(is_new(response), f"{what} through {server.name} at once ({response.status})")
    for code, (is_new, what) in expected.items():
        after_ttl(check, nginx.url, paths[code], changed_at, is_new, what)
    response = Browser(nginx.url).get(f"/news/{new_code}/")
    check(response.status == 301, f"the renumbered article answers at /news/{new_code}/")


def manage_json(env, code):
    """Run Python in `manage.py shell`, as an operator would; what it printed, read as JSON."""
    output = manage(env, "shell", "--no-imports", "-c", "import json\n" + code)
    return json.loads(output.strip().splitlines()[-1])


def article_page(base_url, compressed=True):
    """The article's page as a reader reaches it (the short address, then its redirect).

    Its HTML, status and headers.
    """
    browser = Browser(base_url, compressed=compressed)
    response = browser.get(f"/news/{NEWS_CODE}/")
    if response.status in (301, 302):
        response = browser.get(response.headers["Location"])
    return response.text, response.status, response.headers


def moderate(browser, name, action) -> bool:
    """Find the comment by its author's name in the moderation list and decide on it in bulk."""
    changelist = "/" + ADMIN_PATH + "comments/comment/"
    page = browser.get(changelist + "?" + urlencode({"q": name}))
    if page.status != 200:
        raise OpsError(f"the comments changelist answered {page.status}")
    form = read_form(page.text, action=None)
    selected = [value for field, value in form.checkboxes if field == "_selected_action"]
    if len(selected) != 1:
        raise OpsError(f"expected one comment by {name!r} in the changelist, found {len(selected)}")
    response = browser.post(
        changelist + "?" + urlencode({"q": name}),
        {
            "csrfmiddlewaretoken": form.fields["csrfmiddlewaretoken"],
            "action": action,
            "_selected_action": selected[0],
            "index": "0",
            "select_across": "0",
        },
        headers={"Referer": browser.base_url + changelist},
    )
    return response.status == 302


def flush_redis(url):
    """Empty this run's Redis database (14 is the scale-out check's own)."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    finally:
        client.close()


if __name__ == "__main__":
    sys.exit(main())
