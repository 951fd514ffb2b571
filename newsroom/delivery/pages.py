"""Whole pages for anonymous readers, kept in Django's cache with the versions of what they show.

The home, service, tag and article pages are the same for every reader
without a session. `PageCacheMiddleware` keeps each of them whole in
Django's cache (Redis in production, files for the embedded default)
through the cache API, `get_many` and `set`, as one entry holding the
response, under the page's canonical address (`page_key`): only the
page's own query parameters, in one spelling each, and the site's origin
(`seo.site_origin`), which leaves out a Host port that is not the
server's. A reader cannot fill the cache with copies of a page under
addresses of their making (`?utm_source=N`, `?page=0042`, `Host: site:1`).

The stored response carries the versions of what the page showed when it
was rendered (`KEPT_PAGES`, newsroom/delivery/versions.py), and they are
read with it in one round trip: a change renews a topic, and the next
request, on any worker or server, finds the page's versions out of date
and renders it afresh over the old copy. A page is kept at most
PAGE_CACHE_SECONDS, less when a scheduled publication is due sooner or
when what the page shows says it ends (comments closing by themselves:
`page_changes_at`, newsroom/delivery/invalidation.py).

Django's `CacheMiddleware` is not used for these pages: it keys a page by
the address the reader typed (so the canonical one would have to be put
on a copy of the request), reads the page and the list of headers it
varies on as two entries, and sets `Expires` and `max-age` headers that
readers must not get. A page is kept as it is sent, compressed for
readers who accept gzip and plain for the others: two copies, as the key
carries the `encoding`, and `site.middleware.CompressedTextMiddleware`
compresses inside this middleware, so a kept page is never compressed
again. A response that varies on anything else (`Vary`), sets a cookie
or must not be stored is rendered for each reader and never kept. The
headers readers and nginx get are set here on hits and misses alike
(`shared_cache_headers`). A reader with a session (staff) gets a fresh
page that no cache may keep.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_max_age, patch_cache_control
from django.utils.http import urlencode

from newsroom.articles.seo import site_origin
from newsroom.articles.views import page_number
from newsroom.delivery import versions
from newsroom.delivery.versions import RANKINGS, SITE

HIT_HEADER = "X-Page-Cache"


def number(value):
    """A page number's one spelling; 1 is the page without one."""
    found = page_number(value)
    if found is None:
        return value  # not a page: the view answers 404, and nothing is kept under it
    return None if found == 1 else str(found)


def only(*accepted):
    """A parameter the page reads only when it has one of these values, and ignores otherwise."""
    return lambda value: value if value in accepted else None


@dataclass(frozen=True)
class KeptPage:
    topics: object  # the URL's arguments -> the version topics the page shows
    parameters: dict  # query parameter -> its canonical spelling (None: as if absent)


KEPT_PAGES = {
    # Lists show each article's comment count, which changes with RANKINGS.
    "newsroom:home": KeptPage(lambda kwargs: [SITE, RANKINGS], {"page": number}),
    "newsroom:service": KeptPage(lambda kwargs: [SITE, RANKINGS], {"page": number}),
    "newsroom:tag": KeptPage(lambda kwargs: [SITE, RANKINGS], {"page": number}),
    # The comment section's page and order, and the note after a comment was sent.
    "newsroom:article": KeptPage(
        lambda kwargs: [SITE, RANKINGS, versions.article(kwargs["code"])],
        {"comments": number, "order": only("liked"), "comment": only("received")},
    ),
}


def keep(view_name: str, page: KeptPage) -> None:
    """Keep another app's page like the site's own: it says what it shows and reads.

    Called from the app's `ready()` (the comments app's own pages), so that
    the site need not know the app.
    """
    KEPT_PAGES[view_name] = page


# Their short addresses and errors too may be kept briefly by nginx (see
# `shared_cache_headers`), so that a 404 or a redirect replaces its old copy.
SHORT_ADDRESSES = {"newsroom:article-by-code"}


def is_anonymous_reader(request) -> bool:
    """A reader without a session: what they see is what every such reader sees.

    The session cookie is checked rather than `request.user`, which would
    read the session (and vary the response on the cookie) for nothing.
    """
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class PageCacheMiddleware:
    """Answers kept pages from the cache before sessions, CSRF and the rest are looked at.

    It sits right after the security and static-file middleware (a request
    over plain HTTP is sent to HTTPS before the cache is asked): a miss goes
    through the rest of the stack and the view, and is stored on its way
    back with the headers the inner middleware gave it (the CSP among them).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        kept = KEPT_PAGES.get(match.view_name)
        if kept is None:
            response = self.get_response(request)
            if match.view_name in SHORT_ADDRESSES:
                shared_cache_headers(request, response)
            return response
        # The page and its parts are kept under the versions of what they show.
        topics = kept.topics(match.kwargs)
        if (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and is_anonymous_reader(request)
        ):
            response = self._kept(request, kept, topics)
        else:
            versions.of_request(request).read(topics)
            response = self.get_response(request)
        return shared_cache_headers(request, response)

    def _kept(self, request, kept, topics):
        """The kept page if it is as current as what it shows, else the view's, kept for the next.

        One round trip asks for the page and the versions of its topics. A
        page rendered now carries the versions read before it was rendered,
        so that a change made meanwhile leaves it behind.
        """
        key = page_key(request, kept.parameters)
        found = cache.get_many([*versions.keys(topics), key])
        current = versions.of_request(request).read(topics, found).key(topics)
        response = found.get(key)
        if response is not None and getattr(response, "page_versions", None) == current:
            response[HIT_HEADER] = "hit"
            return response
        response = self.get_response(request)
        seconds = lifetime(request)
        if seconds and may_be_kept(response):
            response.page_versions = current
            cache.set(key, response, seconds)
        response[HIT_HEADER] = "miss"
        return response


def page_key(request, parameters) -> str:
    """The cache key of the page at the request's canonical address.

    The address is the site's origin, the path and the page's own
    parameters, each in its one spelling; a parameter the page does not
    read, or a value it ignores, is left out.
    """
    query = []
    for name, canonical in parameters.items():
        value = canonical(request.GET.get(name))
        if value is not None:
            query.append((name, value))
    address = f"{site_origin(request)}{request.path}?{urlencode(query)} {encoding(request)}"
    return "page:" + hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def encoding(request) -> str:
    """How the page is sent to this reader: compressed when the reader accepts gzip.

    The question is Django's `GZipMiddleware`'s own, so that a page kept
    compressed is only ever given to readers who asked for it.
    """
    return "gzip" if re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""


def may_be_kept(response) -> bool:
    """Whether every anonymous reader may get this page: no cookie, nothing against it.

    It may vary on the reader's encoding alone, which its key carries.
    """
    cache_control = response.get("Cache-Control", "")
    varies_on = {name.lower() for name in cc_delim_re.split(response.get("Vary", "")) if name}
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and varies_on <= {"accept-encoding"}
        and "private" not in cache_control
        and "no-store" not in cache_control
        and get_max_age(response) != 0
    )


def lifetime(request) -> int:
    """Seconds a freshly rendered page may be kept: 0 when it must not be."""
    seconds = settings.PAGE_CACHE_SECONDS
    ends = versions.of_request(request).changes_at
    if ends is not None:
        seconds = min(seconds, int(ends - timezone.now().timestamp()))
    return max(seconds, 0)


def shared_cache_headers(request, response):
    """Let nginx or a CDN keep an anonymous answer briefly; never an answer for staff.

    Browsers revalidate every time (max-age=0), so a reader who reloads sees
    an approval at once; shared caches keep the answer PUBLIC_CACHE_SECONDS.
    A 404 or a redirect is kept as briefly as a page, so that it replaces
    the copy of a page that was unpublished, retitled or renumbered.
    """
    anonymous = is_anonymous_reader(request) and request.method in ("GET", "HEAD")
    if anonymous and response.status_code in (200, 301, 302, 404) and not response.cookies:
        response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.PUBLIC_CACHE_SECONDS}"
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response
