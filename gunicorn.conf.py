"""gunicorn's settings for the portal, read from the environment like Django's."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 1))
# A worker that takes longer than this for one request is restarted; the
# request is lost, the others are not.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
keepalive = 5
# Restarting workers now and then bounds what a slow leak can cost.
# At a spike's thousand requests a second, 5,000 restarted every worker every
# few seconds, all at once; each restart is a second of Django starting up.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 100_000))
max_requests_jitter = max_requests // 10
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Whose X-Forwarded-Proto gunicorn believes: the same proxies as Django's
# TRUSTED_PROXIES (docs/deploy.md), unless said otherwise.
forwarded_allow_ips = (
    os.environ.get("FORWARDED_ALLOW_IPS") or os.environ.get("TRUSTED_PROXIES") or "127.0.0.1,::1"
)
# gunicorn 25.1 and later open a control socket for `gunicornc` by default, at
# one path per user ($XDG_RUNTIME_DIR/gunicorn.ctl or ~/.gunicorn/gunicorn.ctl):
# a second app server on the machine (another site, ops/scaleout.py, the
# benchmarks) takes it over, and stopping either removes it for both. The
# portal does not use it; an operator who wants it names a path of its own
# per app server.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
wsgi_app = "newsroom.site.wsgi:application"
