"""nginx as production runs it, started by a script in a directory of its own.

`render()` fills in `deploy/nginx.conf.template`, the configuration the
operator installs (docs/deploy.md). `Nginx` wraps that, or a plain file
server, in a complete nginx.conf of its own and runs the system's nginx on
it as a child process: its pid file, logs, temporary files and cache all
live in the given work directory, so it runs beside the machine's own nginx
(if any) on any free port, and leaves /etc/nginx alone.

    with Nginx(workdir, listen="127.0.0.1:8080", upstreams=["127.0.0.1:8001"],
               static_root=..., media_root=...) as nginx:
        urllib.request.urlopen(nginx.url + "/")
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
NGINX_BINARY = "/usr/sbin/nginx"


class NginxError(RuntimeError):
    pass


def render(
    *,
    listen,
    upstreams,
    static_root,
    media_root,
    cache_dir,
    server_name="_",
    admin_path="/admin/",
) -> str:
    """The production template with its placeholders filled in.

    `upstreams` are the app servers' "host:port" addresses; `admin_path` is
    the admin's path as ADMIN_PATH sets it (with or without slashes).
    """
    upstreams = list(upstreams)
    if not upstreams:
        raise ValueError("nginx needs at least one app server")
    admin_path = "/" + str(admin_path).strip("/") + "/"
    values = {
        "LISTEN": str(listen),
        "SERVER_NAME": server_name,
        "UPSTREAM_SERVERS": "\n    ".join(f"server {address};" for address in upstreams),
        "STATIC_ROOT": _directory(static_root),
        "MEDIA_ROOT": _directory(media_root),
        "CACHE_DIR": _directory(cache_dir),
        "ADMIN_PATH": admin_path,
    }
    text = TEMPLATE.read_text()
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    left = re.findall(r"@[A-Z_]+@", text)
    if left:
        raise NginxError(f"placeholders of the nginx template left unfilled: {left}")
    return text


def _directory(path) -> str:
    # alias and proxy_cache_path want plain absolute paths without a trailing
    # slash (the template adds its own); nginx cannot quote spaces here.
    text = str(Path(path).resolve()).rstrip("/")
    if any(character.isspace() for character in text):
        raise ValueError(f"nginx cannot use a path with spaces: {text!r}")
    return text


def _static_server(*, listen, root, server_name="_") -> str:
    """A server that only sends the files of one directory, as a CDN's origin would.

    A file with a `.gz` beside it is sent from that to a reader who takes
    gzip, as the template sends static files.
    """
    return f"""\
server {{
    listen {listen};
    server_name {server_name};
    root {_directory(root)};
    index index.html;
    gzip_static on;
    location / {{
        try_files $uri $uri/ =404;
    }}
}}
"""


class Nginx:
    """A private nginx on a configuration of its own; a context manager.

    It is started on entering and stopped (and waited for) on leaving, also
    when the body raises. `url` is the address to send requests to.
    """

    def __init__(
        self,
        workdir,
        *,
        listen,
        upstreams=None,
        static_root=None,
        media_root=None,
        server_name="_",
        admin_path="/admin/",
        http_config=None,
        startup_timeout=10.0,
    ):
        self.workdir = Path(workdir).resolve()
        self.listen = str(listen)
        self.startup_timeout = startup_timeout
        self.process = None
        self.host, self.port = _host_and_port(self.listen)
        self.url = f"http://{f'[{self.host}]' if ':' in self.host else self.host}:{self.port}"
        if http_config is None:
            http_config = render(
                listen=self.listen,
                upstreams=upstreams or [],
                static_root=static_root,
                media_root=media_root if media_root is not None else static_root,
                cache_dir=self.workdir / "cache",
                server_name=server_name,
                admin_path=admin_path,
            )
        self.http_config = http_config

    @classmethod
    def static(cls, workdir, listen, root, **options):
        """nginx serving the files under `root` and nothing else (no app, no cache)."""
        return cls(
            workdir, listen=listen, http_config=_static_server(listen=listen, root=root), **options
        )

    @property
    def config_path(self) -> Path:
        return self.workdir / "nginx.conf"

    @property
    def error_log(self) -> Path:
        return self.workdir / "error.log"

    def configuration(self) -> str:
        """The whole nginx.conf: the rendered `http` part and a private frame around it."""
        workdir = self.workdir
        # Run as root, nginx would hand its workers to `nobody`, who can read
        # neither a private work directory nor files made by the caller; they
        # run as the caller instead (this is a harness, not the production
        # setup, where the packaged nginx.conf says which user to use).
        user = "user root root;\n" if os.geteuid() == 0 else ""
        return f"""\
# Written by ops/nginx.py for a private nginx; not for production.
{user}worker_processes auto;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;

events {{
    worker_connections 4096;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_timeout 65;
    client_body_temp_path {workdir}/temp/client_body;
    proxy_temp_path {workdir}/temp/proxy;
    fastcgi_temp_path {workdir}/temp/fastcgi;
    uwsgi_temp_path {workdir}/temp/uwsgi;
    scgi_temp_path {workdir}/temp/scgi;

{_indent(self.http_config)}
}}
"""

    def write(self) -> Path:
        # Pages cached by an earlier run would be served as if fresh.
        shutil.rmtree(self.workdir / "cache", ignore_errors=True)
        for name in ("temp", "cache"):
            (self.workdir / name).mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self.configuration())
        return self.config_path

    def test(self):
        """Have nginx check the configuration; raise with its message when it is wrong."""
        self.write()
        result = subprocess.run(
            self._command("-t", "-q"), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise NginxError(f"nginx rejected {self.config_path}:\n{result.stderr.strip()}")

    def start(self):
        if shutil.which(NGINX_BINARY) is None:
            raise NginxError(f"{NGINX_BINARY} is not installed (apt-get install nginx)")
        self.test()
        if _answers(self.host, self.port):
            raise NginxError(f"something already listens on {self.listen}")
        self.process = subprocess.Popen(
            self._command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                message = self.process.stderr.read().decode(errors="replace")
                raise NginxError(f"nginx exited at start:\n{message}{self._log_tail()}")
            if _answers(self.host, self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise NginxError(f"nginx did not answer on {self.listen} in time{self._log_tail()}")

    def stop(self):
        """Stop gracefully (SIGQUIT lets requests finish), then for good."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            # The workers are in the master's process group.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        finally:
            if process.stderr:
                process.stderr.close()

    def _command(self, *arguments):
        return [
            NGINX_BINARY,
            "-p", f"{self.workdir}/",
            "-c", str(self.config_path),
            # Before reading the configuration nginx opens the error log it
            # was built with (/var/log/nginx); this one is ours.
            "-e", str(self.error_log),
            *arguments,
        ]  # fmt: skip

    def _log_tail(self, lines=20) -> str:
        try:
            text = self.error_log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n" + "\n".join(text.splitlines()[-lines:])

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def _host_and_port(listen: str):
    """The address to connect to for a `listen` value: "8080", "127.0.0.1:8080", "[::1]:8080"."""
    listen = listen.split()[0]
    host, _, port = listen.rpartition(":")
    if not port.isdigit():
        raise ValueError(f"listen needs a port: {listen!r}")
    host = host.strip("[]") or "127.0.0.1"
    if host in ("*", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return host, int(port)


def _answers(host, port) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _indent(text, prefix="    "):
    return "\n".join(prefix + line if line.strip() else "" for line in text.splitlines())
