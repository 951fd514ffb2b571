"""The operator's health URL: is the database there, is the cache there."""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure means the same thing to a load balancer
        # One line, not a traceback: the probe asks every few seconds.
        logger.warning("health: database unavailable: %s", str(error).strip() or repr(error))
        return "unavailable"
    return "ok"


def _cache_state():
    try:
        cache.set("healthz", "ok", 10)
        if cache.get("healthz") != "ok":
            return "unavailable"
    except Exception as error:
        logger.warning("health: cache unavailable: %s", str(error).strip() or repr(error))
        return "unavailable"
    return "ok"


@never_cache
def healthz(request):
    """200 while pages can be served; 503 when the database is gone.

    A cache that is down is reported but is not fatal: pages are then served
    uncached, so a load balancer should keep sending readers here.
    """
    state = {"database": _database_state(), "cache": _cache_state()}
    status = 200 if state["database"] == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "unavailable", **state}, status=status
    )
