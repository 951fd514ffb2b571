"""Whole pages for anonymous readers, kept by Django's cache middleware.

The home, service, tag and article pages are the same for every reader
without a session. `PageCacheMiddleware` keeps them whole in Django's cache
(Redis in production, files for the embedded default) with Django's own
`CacheMiddleware`, given per request:

- the versions of what the page shows (`KEPT_PAGES`,
  newsroom/delivery/versions.py), kept with it and read with it: a change
  renews a topic, and the next request, on any worker or server, finds the
  page's versions out of date and renders it afresh over the old copy;
- the page's canonical address: only the page's own query parameters, in
  one spelling each, and the site's origin (`seo.site_origin`), which leaves
  out a Host port that is not the server's. A reader cannot fill the cache
  with copies of a page under addresses of their making (`?utm_source=N`,
  `?page=0042`, `Host: site:1`);
- a lifetime of at most PAGE_CACHE_SECONDS, ending too at the next
  scheduled publication and when what the page shows says it ends
  (comments closing by themselves: `page_changes_at`, newsroom/delivery/invalidation.py).

Django's cache middleware keeps a response for as long as its `max-age`
says and adds `Expires` and `max-age` of its own; it keeps nothing that says
`max-age=0`. So the page's lifetime is given to it as `max-age`, and the
headers readers and nginx get are set here, after it, on hits and misses
alike (`shared_cache_headers`). A reader with a session (staff) gets a
fresh page that no cache may keep.
"""

import copy
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.middleware.cache import CacheMiddleware
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import _generate_cache_header_key, _generate_cache_key, patch_cache_control
from django.utils.encoding import escape_uri_path, iri_to_uri
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


class KeptPageCacheMiddleware(CacheMiddleware):
    """Django's cache middleware, asking for a page, its header list and its versions at once.

    Django first reads the list of request headers a page varies on, then
    the page under a key made from them. A kept page varies on none (a
    reader with a session is never given one), so its key is known before
    the list is read. The page is kept under its address alone, with the
    versions it was rendered under (`page_versions` on the response); the
    versions of what it shows are read in the same round trip, and a page
    whose versions are not the current ones is a miss, rendered again and
    stored over the old one. A hit is one round trip to the cache.

    A page stored with a header list of its own, or a HEAD request, goes
    Django's own way for the page itself.
    """

    def process_request(self, request):
        """`request` is the page's address (`canonical_address`), carrying its topics."""
        topics = request.page_topics
        header_key = _generate_cache_header_key(self.key_prefix, request)
        page_key = _generate_cache_key(request, "GET", [], self.key_prefix)
        found = self.cache.get_many([*versions.keys(topics), header_key, page_key])
        current = versions.of_request(request).read(topics, found).key(topics)
        if request.method != "GET" or (header_key in found and found[header_key] != []):
            response = super().process_request(request)
        else:
            response = found.get(page_key) if header_key in found else None
        if response is not None and getattr(response, "page_versions", None) != current:
            response = None  # rendered before something it shows changed
        # As in Django's: a miss is rendered and stored on its way out.
        request._cache_update_cache = response is None and request.method in ("GET", "HEAD")
        return response


class PageCacheMiddleware:
    """Answers kept pages from the cache before sessions, CSRF and the rest are looked at.

    It sits right after the security and static-file middleware (a request
    over plain HTTP is sent to HTTPS before the cache is asked): a miss goes
    through the rest of the stack and the view, and is stored on its way
    back with the headers the inner middleware gave it (the CSP among them).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Built once, as Django builds middleware; what differs between
        # requests comes with the page's address.
        self.kept = KeptPageCacheMiddleware(
            self._render,
            page_timeout=None,
            cache_timeout=settings.PAGE_CACHE_SECONDS,
            key_prefix="page",
        )

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
            response = self._cached(request, kept, topics)
        else:
            versions.of_request(request).read(topics)
            response = self.get_response(request)
        return shared_cache_headers(request, response)

    def _cached(self, request, kept, topics):
        versions.of_request(request)  # one Versions for the request and its address
        address = canonical_address(request, kept.parameters)
        address.reader_request, address.page_topics = request, topics
        response = self.kept(address)
        response[HIT_HEADER] = "miss" if address._cache_update_cache else "hit"
        return response

    def _render(self, address):
        """The view's response, with how long it may be kept as its max-age.

        It carries the versions read before it was rendered, so that a
        change made meanwhile leaves it behind.
        """
        request, topics = address.reader_request, address.page_topics
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies:
            patch_cache_control(response, max_age=lifetime(request))
            response.page_versions = versions.of_request(request).key(topics)
        return response


def canonical_address(request, parameters):
    """A copy of the request for Django's cache functions, with the page's canonical address.

    They build the key from `build_absolute_uri()`, so the copy's gives the
    site's origin (`site_origin`) and the page's own parameters, each in its
    one spelling, as the query. The view itself gets the reader's request.
    """
    query = []
    for name, canonical in parameters.items():
        value = canonical(request.GET.get(name))
        if value is not None:
            query.append((name, value))
    query = urlencode(query)
    origin = site_origin(request)
    address = copy.copy(request)
    # What `build_absolute_uri()` gives for the canonical address, put
    # together directly: Django's key functions ask for it twice, and
    # Django's own way quotes an address in Persian letter by letter twice
    # each time.
    uri = iri_to_uri(origin) + escape_uri_path(request.path) + (f"?{query}" if query else "")
    address.build_absolute_uri = partial(_absolute_uri, address, uri)
    return address


def _absolute_uri(address, uri, location=None):
    return uri if location is None else type(address).build_absolute_uri(address, location)


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
        for header in ("Expires", "Age"):
            if header in response:
                del response[header]
        response["Cache-Control"] = f"public, max-age=0, s-maxage={settings.PUBLIC_CACHE_SECONDS}"
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response
