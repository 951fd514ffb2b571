"""What bench/round_trip.py serves: bare Django, and bare Django with one Redis read.

Each view answers at once after at most one thing: a page-sized body,
one read through the portal's cache backend (newsroom/delivery/backends.py,
Django's Redis cache over redis-py), or the same read made on a socket by
hand. No middleware, template or database, as bench/bare_django.py.
"""

import os
import socket
import sys
from pathlib import Path

from django.conf import settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
REDIS_URL = os.environ.get("ROUND_TRIP_REDIS_URL", "redis://127.0.0.1:6379/14")
PAGE_BYTES = int(os.environ.get("ROUND_TRIP_PAGE_BYTES", 81_000))

settings.configure(
    DEBUG=False,
    SECRET_KEY="round-trip-for-the-benchmark-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    CACHES={
        "default": {
            "BACKEND": "newsroom.delivery.backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
        }
    },
)

from django.core.cache import cache  # noqa: E402 (after the settings)
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402

PAGE = ("<p>" + "ب" * 40 + "</p>\n").encode() * (PAGE_BYTES // 85)
SMALL_KEY, PAGE_KEY = "round-trip:small", "round-trip:page"
_socket = None


def hello():
    return HttpResponse("Hello, world.\n", content_type="text/plain")


def bare(request):
    return hello()


def page(request):
    return HttpResponse(PAGE)


def cache_get(request):
    cache.get(SMALL_KEY)
    return hello()


def cache_get_page(request):
    # As Django's cache middleware keeps a page: the response itself, pickled.
    return cache.get(PAGE_KEY)


def socket_get(request):
    """One GET as Redis's protocol spells it, on a socket this worker keeps: no client library."""
    global _socket
    if _socket is None:
        host, port_db = REDIS_URL.removeprefix("redis://").split(":")
        port, database = port_db.split("/")
        _socket = socket.create_connection((host, int(port)))
        _socket.sendall(f"SELECT {database}\r\n".encode())
        _socket.recv(64)
    _socket.sendall(b"*2\r\n$3\r\nGET\r\n$16\r\nround-trip:small\r\n")
    _socket.recv(4096)
    return hello()


urlpatterns = [
    path("", bare),
    path("page", page),
    path("socket-get", socket_get),
    path("cache-get", cache_get),
    path("cache-get-page", cache_get_page),
]

application = get_wsgi_application()


def store():
    """What the views read, stored before the server starts."""
    cache.set(SMALL_KEY, "x", None)
    cache.set(PAGE_KEY, HttpResponse(PAGE), None)
    # socket_get reads the raw value Django's backend would have pickled.
    cache._cache.get_client(write=True).set(SMALL_KEY, b"x")
