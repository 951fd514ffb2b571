"""The app server as gunicorn.conf.py runs it: two of them on one machine.

Each test starts real gunicorn masters (one worker each) on the portal's
WSGI application over an SQLite file, on ports 8600-8699, with a home
directory of their own, and stops them before it ends.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from django.conf import settings

GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORNC = Path(sys.executable).with_name("gunicornc")
PORTS = range(8600, 8700)

pytestmark = pytest.mark.skipif(not GUNICORN.exists(), reason="gunicorn is not installed")


def free_port():
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 8600-8699")


@contextmanager
def app_server(tmp_path, name, **environment):
    """gunicorn with gunicorn.conf.py, answering /healthz; stopped on leaving."""
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("XDG_RUNTIME_DIR", "REDIS_URL", "GUNICORN_CONTROL_SOCKET")
    }
    env.update(
        HOME=str(tmp_path / "home"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
        SECRET_KEY="app-server-test-only",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        ENV_FILE=str(tmp_path / "no.env"),
        STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_SETTINGS_MODULE="newsroom.site.settings",
        **environment,
    )
    log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [str(GUNICORN), "--config", "gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        url = f"http://127.0.0.1:{port}/healthz"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError((tmp_path / f"{name}.log").read_text()) from None
                time.sleep(0.2)
        yield process, url
    finally:
        stop(process)
        log.close()


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def parent_of(pid):
    # /proc/<pid>/stat: "pid (name) state ppid ..."; the name may hold spaces.
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[1])


def answers(url):
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status == 200


def test_two_app_servers_on_one_machine_open_no_shared_control_socket(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with ExitStack() as servers:
        first, first_url = servers.enter_context(app_server(tmp_path, "first"))
        _second, second_url = servers.enter_context(app_server(tmp_path, "second"))
        # gunicorn's default, one path per user, is where they would collide.
        assert not (home / ".gunicorn" / "gunicorn.ctl").exists()
        stop(first)
        assert answers(second_url)
    assert not (home / ".gunicorn").exists()


@pytest.mark.skipif(not GUNICORNC.exists(), reason="gunicornc is not installed")
def test_each_app_server_can_be_given_a_control_socket_of_its_own(tmp_path):
    sockets = tmp_path / "run"
    sockets.mkdir()
    first_socket, second_socket = sockets / "first.ctl", sockets / "second.ctl"
    with ExitStack() as servers:
        first, _url = servers.enter_context(
            app_server(tmp_path, "first", GUNICORN_CONTROL_SOCKET=str(first_socket))
        )
        second, _url = servers.enter_context(
            app_server(tmp_path, "second", GUNICORN_CONTROL_SOCKET=str(second_socket))
        )
        assert first_socket.is_socket() and second_socket.is_socket()
        stop(first)
        assert not first_socket.exists()
        # The second server's socket outlives the first, and it is the second's.
        shown = subprocess.run(
            [str(GUNICORNC), "-s", str(second_socket), "-c", "show workers", "-j"],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert shown.returncode == 0, shown.stderr
        (worker,) = json.loads(shown.stdout)["workers"]
        assert parent_of(worker["pid"]) == second.pid
    shutil.rmtree(sockets, ignore_errors=True)


def test_the_log_level_is_read_as_gunicorn_reads_it(tmp_path):
    """`LOG_LEVEL=warning`, as gunicorn's own setting is spelt, sets Django's level too.

    Django's logging takes level names in capitals only: in lower case every
    worker stopped at start with "Unable to configure root logger".
    """
    from newsroom.tests.test_security import _in_production_settings

    script = "import logging; print(logging.getLevelName(logging.getLogger().level))"
    assert _in_production_settings(tmp_path, script, LOG_LEVEL="warning") == "WARNING"
