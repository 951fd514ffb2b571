"""What the operations scripts share: processes, services, a site to run, a reader's browser.

Everything here is started by the script that uses it and registered with
a `contextlib.ExitStack`, so it is stopped and removed again when the
script ends, fails or is interrupted. Only the standard library, psycopg
and redis-py (both installed with the project) are used; the site itself
runs in child processes with its settings in their environment.
"""

import collections
import contextlib
import gzip
import html.parser
import http.client
import http.cookiejar
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
MODERATOR_PASSWORD = "ops-" + secrets.token_urlsafe(12)

_started = time.monotonic()


class OpsError(RuntimeError):
    """A step could not be carried out; the message says which and why."""


def say(message):
    """One line of the script's report, with the seconds since it started."""
    print(f"[{time.monotonic() - _started:6.1f}s] {message}", flush=True)


def report(checks, success) -> int:
    """The summary of `(passed, message)` checks; the exit status to return."""
    failed = [message for passed, message in checks if not passed]
    print()
    if failed or not checks:
        print(f"FAIL: {len(failed)} of {len(checks)} checks failed")
        for message in failed:
            print(f"  - {message}")
        return 1
    print(f"PASS: {len(checks)} checks; {success}")
    return 0


def persian_digits(value) -> str:
    return str(value).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def require(*programs):
    """Stop at once, saying what to install, when a program the script runs is missing."""
    missing = [program for program in programs if shutil.which(program) is None]
    if missing:
        raise OpsError(f"missing {', '.join(missing)}: apt-get install the Debian packages")


def free_port() -> int:
    """A TCP port nothing listens on now (others' services on this machine keep theirs).

    With PORT_RANGE set (`8400-8499`), one of those, for a machine whose
    ports are shared out; otherwise whichever the system gives.
    """
    first, _, last = os.environ.get("PORT_RANGE", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            if port == 0:
                return probe.getsockname()[1]
            if port not in _handed_out:
                _handed_out.add(port)
                return port
    raise OpsError(f"no free port in PORT_RANGE {os.environ['PORT_RANGE']}")


# Ports already given to a server that may not listen yet.
_handed_out = set()


def port_answers(port, host="127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def wait_until(predicate, *, timeout, interval=0.1, what="a condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise OpsError(f"timed out after {timeout:g} s waiting for {what}")


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP."""


@contextlib.contextmanager
def cleanup_on_signals():
    """An ExitStack whose callbacks run however the script ends: Ctrl-C, SIGTERM, SIGHUP.

    After the first signal the others are ignored, so that a second Ctrl-C
    does not cut the cleanup short and leave servers behind.
    """
    signals = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

    def stop(signum, frame):
        for sig in signals:
            signal.signal(sig, signal.SIG_IGN)
        raise Interrupted(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, stop) for sig in signals}
    try:
        with contextlib.ExitStack() as stack:
            yield stack
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def temporary_directory(stack, prefix) -> Path:
    path = Path(tempfile.mkdtemp(prefix=prefix))
    stack.callback(shutil.rmtree, path, ignore_errors=True)
    return path


# Processes


class Service:
    """A child process in a session of its own, stopped with its children at the end."""

    def __init__(self, name, command, *, env=None, log_path=None, cwd=ROOT):
        self.name = name
        self.command = [str(part) for part in command]
        self.env = env
        self.log_path = log_path
        self.cwd = cwd
        self.process = None

    def start(self):
        with contextlib.ExitStack() as files:
            log = (
                files.enter_context(open(self.log_path, "ab"))
                if self.log_path
                else subprocess.DEVNULL
            )
            # A session of its own: a Ctrl-C meant for the script does not
            # reach it, and stop() can end it with all its children.
            self.process = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        process = self.process
        if process is None:
            return
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        # Whatever the process left in its group (a worker that outlived its master).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        self.process = None

    def log_tail(self, lines=30) -> str:
        if not self.log_path:
            return ""
        try:
            text = Path(self.log_path).read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def children_of(pid) -> list[int]:
    """The processes whose parent is `pid`, read from /proc."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name, in parentheses, may hold spaces: split after it.
        fields = stat.rpartition(")")[2].split()
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return sorted(children)


# The site


def site_environment(*, workdir, database_url, redis_url, **extra) -> dict:
    """The environment of a production app server: DEBUG off, a secret key, these services.

    The static files are collected into `workdir` (STATIC_ROOT), not into
    the checkout's `staticfiles/`, which others may be using.
    """
    static_root = Path(workdir) / "static"
    media_root = Path(workdir) / "media"
    media_root.mkdir(parents=True, exist_ok=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
            "STATIC_ROOT": str(static_root),
            # The checkout's .env is a developer's; this run has its own settings.
            "ENV_FILE": str(Path(workdir) / "no.env"),
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "MEDIA_ROOT": str(media_root),
            "LOG_LEVEL": "WARNING",
            # A script posts comments as fast as it can, all from one address.
            "COMMENT_MIN_SECONDS": "0",
            "COMMENT_RATE": "100000/m",
            "COMMENT_REFUSED_RATE": "100000/m",
            "COMMENT_QUESTION_RATE": "100000/m",
            "TRUST_X_FORWARDED_FOR": "true",
        }
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *arguments, stdin_text=None, timeout=300) -> str:
    """Run a management command as the operator would; its output, or OpsError."""
    result = subprocess.run(
        [PYTHON, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        input=stdin_text,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise OpsError(
            f"manage.py {' '.join(arguments)} failed:\n{result.stdout}{result.stderr}".strip()
        )
    return result.stdout


def prepare_site(env, *, moderator="ops-moderator"):
    """Migrate, collect the static files, load the demo and create a moderator."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_demo")
    manage(
        env,
        "createstaff",
        moderator,
        "--role",
        "moderator",
        "--password-stdin",
        stdin_text=MODERATOR_PASSWORD + "\n",
    )
    return moderator, MODERATOR_PASSWORD


class Gunicorn(Service):
    """An app server as production runs it: `gunicorn --config gunicorn.conf.py`."""

    def __init__(self, name, *, port, env, workdir, workers=2, timeout=30):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        env = {
            **env,
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_TIMEOUT": str(timeout),
        }
        super().__init__(
            name,
            [PYTHON, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            env=env,
            log_path=Path(workdir) / f"{name}.log",
        )

    def start(self, timeout=60):
        super().start()
        try:
            wait_until(self._healthy, timeout=timeout, interval=0.2, what=f"{self.name} to answer")
        except OpsError:
            raise OpsError(f"{self.name} did not start:\n{self.log_tail()}") from None
        return self

    def _healthy(self):
        if not self.running():
            raise OpsError(f"{self.name} exited:\n{self.log_tail()}")
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                return response.status == 200
        except (OSError, urllib.error.URLError):
            return False

    def workers(self) -> list[int]:
        return children_of(self.pid) if self.pid else []


def show_errors(server, limit=5):
    """Where an app server's errors came from, by the project's last frame in each traceback.

    Printed when a check fails, before the log goes with the temporary files.
    """
    origins = collections.Counter()
    for block in server.log_tail(lines=1_000_000).split("Traceback (most recent call last):")[1:]:
        lines = block.strip("\n").splitlines()
        ours = [
            line.strip()
            for line in lines
            if line.lstrip().startswith(f'File "{ROOT}') and "/.venv/" not in line
        ]
        # A chained exception's first part (psycopg's own, say) names no file of ours.
        if ours:
            error = next((line for line in lines if not line.startswith(" ")), "?")
            origins[(ours[-1], error[:160])] += 1
    if origins:
        say(f"errors in {server.name}'s log, by the project's last frame:")
        for (frame, error), count in origins.most_common(limit):
            print(f"  {count} × {frame}\n      {error}")


# Services: the machine's PostgreSQL and Redis, or private ones


def postgres_bin(program) -> str:
    """A PostgreSQL program from Debian's versioned directory, the newest there."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{program}"))
    if candidates:
        return str(candidates[-1])
    found = shutil.which(program)
    if found is None:
        raise OpsError(f"PostgreSQL's {program} is not installed")
    return found


def create_database(server_url, name):
    """A fresh database on a shared server (dropped first if a crashed run left it)."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url, name):
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class PostgresCluster:
    """A PostgreSQL server of the script's own, in a temporary directory, on its own port.

    It is run by the `postgres` system user (PostgreSQL refuses root), with
    trust authentication on 127.0.0.1 and without fsync: it lives for one
    run, and is only ever shut down cleanly.
    """

    def __init__(self, directory, *, port):
        self.directory = Path(directory)
        self.data = self.directory / "data"
        self.port = port
        self.log_path = self.directory / "postgres.log"

    def url(self, database="postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command, timeout=60):
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            shown = " ".join(str(part) for part in command)
            raise OpsError(f"{shown} failed:\n{result.stdout}{result.stderr}")
        return result

    def init(self):
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres", "postgres")
            self.directory.chmod(0o700)
        self._run(
            postgres_bin("initdb"),
            "--pgdata", self.data,
            "--username", "postgres",
            "--auth", "trust",
            "--encoding", "UTF8",
            "--locale", "C.UTF-8",
            "--no-sync",
        )  # fmt: skip
        return self

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            postgres_bin("pg_ctl"), "start", "--wait", "--timeout", "30",
            "--pgdata", self.data, "--log", self.log_path, "-o", options,
        )  # fmt: skip
        return self

    def stop(self, mode="fast"):
        """Stop the server; `fast` disconnects every client at once, as a crash or failover does."""
        if not (self.data / "postmaster.pid").exists():
            return
        self._run(
            postgres_bin("pg_ctl"), "stop", "--wait", "--timeout", "30",
            "--pgdata", self.data, "--mode", mode,
        )  # fmt: skip

    def create_database(self, name):
        create_database(self.url(), name)


class RedisServer(Service):
    """A Redis of the script's own: no persistence, nothing shared with the machine's."""

    def __init__(self, directory, *, port):
        self.port = port
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        redis_server = shutil.which("redis-server")
        if redis_server is None:
            raise OpsError("redis-server is not installed")
        super().__init__(
            "redis",
            [
                redis_server,
                "--port", port,
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--dir", self.directory,
                # As a production Redis that holds rate limits should be:
                # when full it refuses writes rather than evicting them.
                "--maxmemory-policy", "noeviction",
            ],
            log_path=self.directory / "redis.log",
        )  # fmt: skip

    def url(self, database=0) -> str:
        return f"redis://127.0.0.1:{self.port}/{database}"

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_connect_timeout=2, socket_timeout=5)

    def fill(self):
        """Make it full: `maxmemory` set below what it holds, so that every write is refused."""
        import redis

        client = self.client()
        try:
            client.config_set("maxmemory", 0)
            for number in range(32):
                client.set(f"ops:filler:{number}", b"x" * 65536)
            used = client.info("memory")["used_memory"]
            client.config_set("maxmemory", used - 1024 * 1024)
            try:
                client.set("ops:one-more", b"x")
            except redis.exceptions.OutOfMemoryError:
                return
            raise OpsError("Redis took a write after it was filled")
        finally:
            client.close()

    def unfill(self):
        client = self.client()
        try:
            client.config_set("maxmemory", 0)
            client.delete(*(f"ops:filler:{number}" for number in range(32)))
        finally:
            client.close()

    def start(self):
        super().start()
        wait_until(lambda: port_answers(self.port), timeout=10, what="redis to answer")
        return self


# A reader's browser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """Cookies kept between requests, redirects not followed: what a script needs of a browser.

    Like a browser it asks for pages compressed and unpacks them; with
    `compressed=False` it asks for them plain, as a feed reader may. A
    request that gets no HTTP answer at all (refused, reset, timed out)
    comes back with status 0, so that callers can count it.
    """

    def __init__(self, base_url, timeout=15, compressed=True):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.compressed = compressed
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(self, path, data=None, headers=None) -> Response:
        url = path if path.startswith("http") else self.base_url + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        headers = {"Accept-Encoding": "gzip" if self.compressed else "identity", **(headers or {})}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Response(response.status, response.headers, _unpacked(response))
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, error.headers, _unpacked(error))
        except (OSError, http.client.HTTPException, EOFError, zlib.error) as error:
            # URLError is an OSError; a connection cut mid-answer is an HTTPException.
            return Response(0, {}, str(error).encode())

    def get(self, path, **kwargs) -> Response:
        return self.request(path, **kwargs)

    def post(self, path, data, **kwargs) -> Response:
        return self.request(path, data=data, **kwargs)


def _unpacked(response) -> bytes:
    body = response.read()
    if response.headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(body)
    return body


class _FormReader(html.parser.HTMLParser):
    """The inputs of the form sent to `action`, and the text of the arithmetic question."""

    def __init__(self, action=None):
        super().__init__()
        self.action = action
        self.inside = False
        self.fields = {}
        self.checkboxes = []
        self.question = None
        self._in_question = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = self.action is None or attrs.get("action") == self.action
        elif tag == "input" and self.inside and attrs.get("name"):
            if attrs.get("type") == "checkbox":
                self.checkboxes.append((attrs["name"], attrs.get("value", "on")))
            elif attrs.get("type") in ("hidden", "text", "email", "password", None):
                self.fields.setdefault(attrs["name"], attrs.get("value", ""))
        elif tag == "span" and "question__text" in attrs.get("class", ""):
            self._in_question = True
            self.question = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "span":
            self._in_question = False

    def handle_data(self, data):
        if self._in_question:
            self.question += data


def read_form(html_text, action=None) -> _FormReader:
    reader = _FormReader(action)
    reader.feed(html_text)
    return reader


PERSIAN_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


def answer_question(question: str) -> str:
    """The answer to «۸ + ۲ =», «۹ − ۴ =» or «۳ × ۷ =», as a reader works it out."""
    text = question.translate(PERSIAN_DIGITS)
    match = re.search(r"(\d+)\s*([-+×*−])\s*(\d+)\s*=", text)
    if match is None:
        raise OpsError(f"cannot read the arithmetic question {question!r}")
    first, operator, second = int(match[1]), match[2], int(match[3])
    if operator == "+":
        return str(first + second)
    if operator in "×*":
        return str(first * second)
    return str(first - second)


class CommentAttempt:
    """What happened to one comment a script tried to post."""

    def __init__(self, text):
        self.text = text
        self.form_status = None
        self.post_status = None

    @property
    def accepted(self) -> bool:
        return self.post_status == 302


def post_comment(browser, code, *, name, text) -> CommentAttempt:
    """Post a comment the way a reader does: open the form's page, answer, send.

    The standalone form page `/comments/<code>/` holds the CSRF token, the
    signed `issued` field and the question; success redirects (302) to the
    article.
    """
    attempt = CommentAttempt(text)
    form_path = f"/comments/{code}/"
    page = browser.get(form_path)
    attempt.form_status = page.status
    if page.status != 200:
        return attempt
    form = read_form(page.text, action=form_path)
    if form.question is None or "csrfmiddlewaretoken" not in form.fields:
        raise OpsError(f"the comment form at {form_path} has changed: no question or token")
    data = {
        **form.fields,
        "name": name,
        "email": "",
        "text": text,
        "website": "",
        "captcha_1": answer_question(form.question),
    }
    attempt.post_status = browser.post(
        form_path, data, headers={"Referer": browser.base_url + form_path}
    ).status
    return attempt


def admin_login(browser, admin_path, username, password):
    """Log in to the admin through its login form; OpsError if it does not let us in."""
    admin_index = f"/{admin_path.strip('/')}/"
    login_path = f"{admin_index}login/?next={urllib.parse.quote(admin_index)}"
    page = browser.get(login_path)
    if page.status != 200:
        raise OpsError(f"the admin login page answered {page.status}")
    form = read_form(page.text)
    response = browser.post(
        login_path,
        {**form.fields, "username": username, "password": password, "next": admin_index},
    )
    if response.status != 302 or response.headers.get("Location") != admin_index:
        raise OpsError(f"admin login refused (status {response.status})")
