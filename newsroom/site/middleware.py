"""Requests and outages that must give a page, not a server error.

A request whose body is declared in an encoding other than UTF-8 is refused
with 400 before anything reads it (`RequestEncodingMiddleware`).

A database that cannot be reached is an outage to wait out, not a server error.

While PostgreSQL restarts or fails over, a reader should get a short Persian
page saying so, with `Retry-After`, rather than the 500 page or a
traceback; nginx serves its cached copy of the page instead, where it has
one (it uses stale pages on 503). The site recovers by itself: Django opens
a new connection for the next request once the database is back.

A view's exception reaches the middleware below. One raised elsewhere (in
another middleware, or while saving the session) goes straight to Django's
500 handler; `server_error`, set as `handler500` in the root URLconf, gives
the same 503 page for those.

Pages, feeds and scripts leave compressed for readers who accept it
(`CompressedTextMiddleware`); pictures, videos and fonts, compressed
already, are sent as they are.
"""

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.middleware.gzip import GZipMiddleware
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.http import parse_header_parameters
from django.views import defaults

from newsroom.site import network

logger = logging.getLogger(__name__)

# Methods whose requests have no body for Django to decode.
BODILESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


# Types worth compressing: what a browser reads as text.
TEXT_TYPE_SUFFIXES = ("/json", "/xml", "+xml", "/javascript")


class CompressedTextMiddleware(GZipMiddleware):
    """Django's `GZipMiddleware` for text only, as nginx's `gzip_types`.

    It sits inside the page cache, so that a page is kept as it is sent,
    compressed or plain (`newsroom.delivery.pages.encoding`), and a kept
    page is never compressed again.
    """

    def process_response(self, request, response):
        content_type, _params = parse_header_parameters(response.get("Content-Type", ""))
        if content_type.startswith("text/") or content_type.endswith(TEXT_TYPE_SUFFIXES):
            return super().process_response(request, response)
        return response


class RequestEncodingMiddleware:
    """Refuse (400) a request body declared in a character set other than UTF-8.

    Browsers send forms in UTF-8, the encoding of every page here, without
    naming it. Django refuses a form body in any other charset when the
    view reads it; but the 400, 403 and 500 pages check the CSRF token, and
    so read the same body again and fail in turn: a POST with `charset=utf-16`
    and a csrftoken cookie ended as a server error, and a charset that is no
    text encoding at all (`rot13`) failed inside the form parser. Refusing it
    here, before the CSRF check, answers a plain 400 page instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in BODILESS_METHODS and not _declared_utf8(request):
            return bad_request_page()
        return self.get_response(request)


class ForwardedProtoMiddleware:
    """Believe `X-Forwarded-Proto` only from a proxy the operator named.

    With HTTPS on, Django takes a request for secure when it says
    `X-Forwarded-Proto: https` (SECURE_PROXY_SSL_HEADER), whoever sent it:
    a client reaching an app server directly could skip the redirect to
    HTTPS. The header is dropped unless the connection comes from
    TRUSTED_PROXIES (by default nginx on this machine, as gunicorn's
    FORWARDED_ALLOW_IPS), before anything reads the request's scheme.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "HTTP_X_FORWARDED_PROTO" in request.META and not network.from_trusted_proxy(
            request, default=network.LOCAL_PROXY
        ):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return self.get_response(request)


class AdminRegexFilterMiddleware:
    """Refuse (400) an admin list filtered by a regular expression in its address.

    The admin accepts any lookup on a model's own fields from the query
    string, `?title__regex=` included. A pattern the database cannot compile
    then fails inside the query: a server error on PostgreSQL, an "outage"
    on SQLite (its error is an OperationalError). No page links to such a
    filter, so it is refused before the admin reads it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_PATH

    def __call__(self, request):
        if request.path.startswith(self.admin_prefix) and any(
            name.endswith(("__regex", "__iregex")) for name in request.GET
        ):
            return bad_request_page()
        return self.get_response(request)


def _declared_utf8(request) -> bool:
    """Whether the body names no charset, or UTF-8 as Django spells it."""
    _content_type, parameters = parse_header_parameters(request.META.get("CONTENT_TYPE", ""))
    charset = parameters.get("charset")
    return charset is None or charset.strip().lower() == "utf-8"


def bad_request_page():
    """The 400 page, rendered without the request (whose body is what went wrong)."""
    response = HttpResponse(render_to_string("400.html"), status=400)
    add_never_cache_headers(response)
    return response


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
