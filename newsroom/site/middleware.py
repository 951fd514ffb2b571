"""A database that cannot be reached is an outage to wait out, not a server error.

While PostgreSQL restarts or fails over, a reader should get a short Persian
page saying so, with `Retry-After`, rather than the 500 page or a
traceback; nginx serves its cached copy of the page instead, where it has
one (it uses stale pages on 503). The site recovers by itself: Django opens
a new connection for the next request once the database is back.

A view's exception reaches the middleware below. One raised elsewhere (in
another middleware, or while saving the session) goes straight to Django's
500 handler; `server_error`, set as `handler500` in the root URLconf, gives
the same 503 page for those.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

# How long a reader (or a crawler) is asked to wait: about a database restart.
RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    """Answer 503 when a view fails because the database is unreachable.

    OperationalError covers a refused or dropped connection and a server
    shutting down (psycopg's errors arrive wrapped in Django's);
    InterfaceError a connection that was already closed. Errors that mean a
    bug in a query (ProgrammingError, IntegrityError) stay server errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unreachable(exception):
            return None
        return service_unavailable(request, exception)


def server_error(request, template_name="500.html"):
    """Django's 500 view, except that an unreachable database gives the 503 page.

    Django calls it while handling the exception, which is therefore still
    in `sys.exc_info()`.
    """
    exception = sys.exc_info()[1]
    if database_unreachable(exception):
        return service_unavailable(request, exception)
    return defaults.server_error(request, template_name)


def database_unreachable(exception) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


def service_unavailable(request, exception):
    # The message without the traceback: during an outage every request
    # fails the same way, and the cause is in the first line.
    logger.error(
        "Database unavailable, answered 503 to %s %s: %s",
        request.method,
        request.path,
        str(exception).strip() or type(exception).__name__,
    )
    return unavailable_page()


def unavailable_page():
    """The 503 page, rendered without the request: its context processors query the database."""
    html = render_to_string("503.html", {"site_name": settings.SITE_NAME})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
