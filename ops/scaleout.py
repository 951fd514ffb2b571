"""Two app servers behind nginx, sharing PostgreSQL and Redis, agree at once.

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
   (the cached pages of both were dropped through the shared Redis), and
   through nginx once its micro-cache entry expires (at most
   PUBLIC_CACHE_SECONDS, 2 s by default).

Every step is printed; the last line says PASS or FAIL, and the exit status
is non-zero on failure. Processes, the database, Redis database 14 and the
temporary files are removed at the end, also after a failure or Ctrl-C.
"""

import argparse
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
    moderator, password = prepare_site(env)
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

    cache_status = article_page(nginx.url)[2].get("X-Cache-Status")
    check(cache_status == "HIT", f"nginx answers the article from its micro-cache ({cache_status})")

    moderator_browser = Browser(two.url)
    admin_login(moderator_browser, ADMIN_PATH, moderator, password)
    check(True, "moderator logged into the admin through app server 2")
    approved = approve(moderator_browser, name)
    if not check(approved, "moderator approved it with the changelist action on app server 2"):
        return
    approved_at = time.monotonic()

    for place in ("app server 1", "app server 2"):
        html_text, status, _headers = article_page(places[place])
        check(
            status == 200 and text in html_text, f"approved comment shown through {place} at once"
        )

    # nginx may serve its copy from before the approval until it expires.
    deadline = approved_at + PUBLIC_CACHE_SECONDS + 2
    while True:
        html_text, status, _headers = article_page(nginx.url)
        shown = status == 200 and text in html_text
        if shown or time.monotonic() > deadline:
            break
        time.sleep(0.25)
    waited = time.monotonic() - approved_at
    check(
        shown,
        f"approved comment shown through nginx after {waited:.1f} s (its copy lives "
        f"{PUBLIC_CACHE_SECONDS} s, then one request refreshes it)",
    )
    check(
        all(text in article_page(url)[0] for url in places.values()),
        "then all three show it",
    )


def article_page(base_url):
    """The article's page as a reader reaches it (the short address, then its redirect).

    Its HTML, status and headers.
    """
    browser = Browser(base_url)
    response = browser.get(f"/news/{NEWS_CODE}/")
    if response.status in (301, 302):
        response = browser.get(response.headers["Location"])
    return response.text, response.status, response.headers


def approve(browser, name) -> bool:
    """Find the comment by its author's name in the moderation list and approve it in bulk."""
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
            "action": "mark_approved",
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
