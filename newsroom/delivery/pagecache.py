"""Whole pages for anonymous readers, kept in the shared cache and dropped the
moment what they show changes.

When one announcement brings a large share of the insured to one article
within the hour, every reader but the first of each minute should cost a
cache read, not a dozen queries. What a page shows depends on *topics*:

- `SITE`: articles, services and tags. Publishing or editing an article
  changes lists, menus, related news and neighbours on many pages, so every
  page depends on it.
- `comments_topic(code)`: the approved comments under one article. Approving
  or rejecting a comment changes that article's page and no other.

Each topic has a version, a random token in the cache. A page is stored
under its address together with the versions of its topics when it was
rendered; changing something gives its topics new versions (`touch`), so
the next request finds the page out of date and renders it again. Nothing
is ever searched for and deleted, which also holds when several app
servers share the cache.

Because a stored page or part is good only while the versions it was
stored with are current, what a worker has just read can be kept in its own
memory too (`LocalCopies`), and the versions themselves need not be asked
for each time: `touch` announces new ones on a Redis channel that every
process listens to (`VersionFeed`). A hit then costs no round trip at all;
the first hit of a page in a worker costs one. `PageCacheApplication`
answers hits before Django's handler; `PageCacheMiddleware` stores misses
(and answers hits where the application is not in front).

A page is only stored for a reader without a session (staff, logged in,
always get a fresh page) and only when it is a plain 200 that sets no
cookie: the comment form, with its security token and arithmetic question,
is fetched separately by each reader and never part of a cached page.
"""

import hashlib
import json
import os
import secrets
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone
from django.utils.cache import patch_cache_control
from redis.exceptions import RedisError

SITE = "site"

# Query parameters that change what a cached page shows; any other is
# ignored, so that `?utm_source=…` neither misses nor fills the cache.
PAGE_PARAMETERS = ("page", "comments", "comment")

HIT_HEADER = "X-Page-Cache"
# Part of every page's key: a release that stores pages differently does not
# read the pages of the one before it while both run during a deploy.
ENTRY_FORMAT = 3
UNSTORED_HEADERS = {"x-page-cache", "set-cookie", "date", "content-length", "cache-control"}

# How long the time of the next scheduled article is trusted before it is
# read again (it is read again at once when an article is saved).
NEXT_PUBLICATION_SECONDS = 600
LOCAL_VALUE_SECONDS = 30
# What each process keeps of the pages and parts it read from the shared
# cache, at most (the sizes of pages and rendered parts; other values are
# counted as `LOCAL_ITEM_BYTES`).
LOCAL_COPY_BYTES = 16 * 1024 * 1024
LOCAL_ITEM_BYTES = 4096


class LocalCopies:
    """The pages and parts this process read last, in its own memory, the oldest dropped first.

    A copy is used only as the shared cache's entry would be: parts are
    kept under keys holding their topics' versions, pages with the versions
    they were rendered at, and both with the moment they stop being valid.
    So a copy is never newer or older than what Redis has, only nearer.
    """

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.size = 0
        self.items = OrderedDict()  # key -> (value, expires timestamp, size)
        self.lock = threading.Lock()

    def get(self, key, now):
        with self.lock:
            found = self.items.get(key)
            if found is None:
                return None
            value, expires, _size = found
            if expires <= now:
                self._drop(key)
                return None
            self.items.move_to_end(key)
            return value

    def put(self, key, value, expires, size):
        if size > self.max_bytes // 8:
            return
        with self.lock:
            if key in self.items:
                self._drop(key)
            self.items[key] = (value, expires, size)
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self.items)))

    def _drop(self, key):
        _value, _expires, size = self.items.pop(key)
        self.size -= size

    def clear(self):
        with self.lock:
            self.items.clear()
            self.size = 0


local_copies = LocalCopies(LOCAL_COPY_BYTES)


def _local_size(value):
    if isinstance(value, (str, bytes)):
        return len(value)
    if isinstance(value, dict) and isinstance(value.get("content"), bytes):
        return len(value["content"])
    return LOCAL_ITEM_BYTES


def comments_topic(code) -> str:
    return f"comments:{code}"


def _version_key(topic):
    return f"pagecache:version:{topic}"


# The versions read during the current request: a page asks for the site's
# version for each part it keeps, and one round trip is enough for all.
_request_versions = ContextVar("request_versions", default=None)


def versions(topics) -> list[str]:
    """The current version of each topic, giving a new one to a topic that has none."""
    return versions_of([_version_key(topic) for topic in topics])


def versions_of(keys) -> list[str]:
    known = _request_versions.get()
    if known is not None and all(key in known for key in keys):
        return [known[key] for key in keys]
    heard = version_feed.current(keys)
    if heard is not None:
        if known is not None:
            known.update(zip(keys, heard, strict=True))
        return heard
    return _versions_found(keys, cache.get_many(keys))


def _versions_found(keys, found) -> list[str]:
    versions = []
    for key in keys:
        token = found.get(key)
        if token is None:
            token = secrets.token_hex(6)
            # Another server may have given it one a moment ago; theirs wins.
            if not cache.add(key, token, timeout=None):
                token = cache.get(key, token)
        versions.append(token)
    tokens = dict(zip(keys, versions, strict=True))
    version_feed.learn(tokens)
    known = _request_versions.get()
    if known is not None:
        known.update(tokens)
    return versions


def touch(*topics):
    """Mark what these topics show as changed: pages depending on them render again.

    It happens now and once more when the current transaction commits, so
    that a reader who renders the page between the two, from the database
    as it was before the commit, cannot leave the old page in the cache.
    """
    keys = [_version_key(topic) for topic in topics]

    def renew():
        tokens = {key: secrets.token_hex(6) for key in keys}
        announce(tokens)
        version_feed.learn(tokens)
        known = _request_versions.get()
        if known is not None:
            known.update(tokens)

    renew()
    transaction.on_commit(renew)


def announce(tokens):
    """Store new versions and tell every process listening (`VersionFeed`)."""
    cache.set_many(tokens, timeout=None)
    publish = getattr(cache, "publish", None)
    if publish is not None and settings.CACHE_IS_SHARED:
        publish(_feed_channel(), json.dumps(tokens))


def _feed_channel():
    return cache.channel("pagecache:versions")


class VersionFeed:
    """The current versions, as every process announces them, without asking Redis each time.

    Checking a page's versions is the one round trip to Redis left on a
    cached page, and it costs about as much as the rest of the answer. So
    each process subscribes to a Redis channel on which `touch`, wherever
    it runs, announces the versions it gives (after storing them), and
    reads what arrived without waiting before it trusts what it knows:
    an approval announced before a request began is heard by the time that
    request looks at versions. A version read from Redis is remembered
    too. What is known is trusted at most `trust_seconds`, then read
    again: the bound on staleness should a message be lost or reordered
    on the network. While the channel cannot be heard (no Redis, or not
    Redis), nothing is known, and versions are read from Redis each time.
    """

    def __init__(self, trust_seconds):
        self.trust_seconds = trust_seconds
        self.lock = threading.RLock()
        self.pubsub = None
        self.known = {}  # version key -> (token, when heard, on the monotonic clock)
        self.retry_at = 0.0
        # A process forked from this one (gunicorn's workers, when the app
        # is loaded first) must not read from its parent's connection.
        os.register_at_fork(after_in_child=self._start_afresh)

    def _start_afresh(self):
        self.lock = threading.RLock()
        self.pubsub = None
        self.known = {}
        self.retry_at = 0.0

    def current(self, keys):
        """The versions of `keys` as last heard, or None if one of them must be read."""
        with self.lock:
            if not self._listening():
                return None
            now = time.monotonic()
            tokens = []
            for key in keys:
                found = self.known.get(key)
                if found is None or now - found[1] > self.trust_seconds:
                    return None
                tokens.append(found[0])
            return tokens

    def learn(self, tokens):
        """Remember versions just read or given; what arrives afterwards still comes on top."""
        with self.lock:
            if self.pubsub is not None:
                now = time.monotonic()
                self.known.update((key, (token, now)) for key, token in tokens.items())

    def forget(self):
        """Forget what was heard, and listen again at once if not listening (tests, benchmarks)."""
        with self.lock:
            self.known.clear()
            self.retry_at = 0.0

    def _listening(self):
        """Subscribed in this process, with every message that arrived applied."""
        if self.pubsub is None:
            subscribe = getattr(cache, "subscribe", None)
            if (
                subscribe is None
                or not settings.CACHE_IS_SHARED
                or time.monotonic() < self.retry_at
            ):
                return False
            self.pubsub = subscribe(_feed_channel())
            if self.pubsub is None:
                self.retry_at = time.monotonic() + FEED_RETRY_SECONDS
                return False
            self.known.clear()  # only what is heard or read from now on
        try:
            while (message := self.pubsub.get_message(timeout=0.0)) is not None:
                if message["type"] == "message":
                    now = time.monotonic()
                    tokens = json.loads(message["data"])
                    self.known.update((key, (token, now)) for key, token in tokens.items())
        except (RedisError, OSError, ValueError):
            self._stop_listening()
            return False
        return True

    def _stop_listening(self):
        pubsub, self.pubsub = self.pubsub, None
        self.known.clear()
        self.retry_at = time.monotonic() + FEED_RETRY_SECONDS
        try:
            pubsub.close()
        except (RedisError, OSError):
            pass


# Versions heard are trusted this long before being read from Redis again.
VERSION_TRUST_SECONDS = 2
FEED_RETRY_SECONDS = 5
version_feed = VersionFeed(VERSION_TRUST_SECONDS)


def forget_local():
    """Drop this process's copies and the versions it heard: with `cache.clear()`, nothing kept.

    For tests and benchmarks; in production the shared cache is never emptied under a worker.
    """
    local_copies.clear()
    version_feed.forget()


def cached_value(name, topics, compute, timeout, *, shared_only=False):
    """A value computed from the database, kept until its topics change or `timeout` passes.

    For what many pages show (the menu, the week's rankings) or what is
    costly to render (an article's comments), so that a page rendered anew
    does not do it again. With a cache of each process's own (no Redis),
    one worker does not hear of another's changes: values are then kept
    `LOCAL_VALUE_SECONDS` at most, and those marked `shared_only` not at all.
    """
    if not settings.CACHE_IS_SHARED:
        if shared_only:
            return compute()
        timeout = min(timeout, LOCAL_VALUE_SECONDS)
    # None is never kept: a value that is not there (an unknown news code)
    # must not fill the cache for whoever asks for one.
    key = "pagecache:value:{}:{}:{}".format(ENTRY_FORMAT, name, ":".join(versions(topics)))
    now = timezone.now().timestamp()
    shared = settings.CACHE_IS_SHARED
    if shared:
        value = local_copies.get(key, now)
        if value is not None:
            return value
    # Stored with the moment it stops being valid, for the local copies.
    entry = cache.get(key)
    if entry is None:
        value = compute()
        if value is None:
            return None
        next_publication = _next_publication()
        if next_publication is not None:
            timeout = min(timeout, int(next_publication.timestamp() - now))
        if timeout <= 0:
            return value
        entry = (value, now + timeout)
        cache.set(key, entry, timeout)
    value, expires = entry
    if shared:
        local_copies.put(key, value, expires, _local_size(value))
    return value


def _next_publication():
    """When the next scheduled article appears; pages must not outlive that moment.

    Kept with the site's version: publishing or rescheduling gives it a new one.
    """
    from newsroom.models import Article

    key = "pagecache:next-publication:" + versions([SITE])[0]
    now = timezone.now()
    moment = cache.get(key)
    if moment is None or (moment and moment <= now):
        moment = (
            Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        ) or False  # False: nothing scheduled, and known to be so
        cache.set(key, moment, NEXT_PUBLICATION_SECONDS)
    return moment or None


def is_anonymous_reader(request) -> bool:
    """A reader without a session: what they see is what every such reader sees.

    The session cookie is checked rather than `request.user`, which would
    read the session (and vary the response on the cookie) for nothing.
    """
    return settings.SESSION_COOKIE_NAME not in request.COOKIES


class CachedPage:
    """One page's place in the cache.

    The page is kept under its address, with the versions of its topics as
    they were when it was rendered; it is served only while they are still
    the current ones. The page and the versions come back in one round trip.
    """

    def __init__(self, request, topics):
        self.request = request
        self.enabled = (
            settings.PAGE_CACHE
            and request.method in ("GET", "HEAD")
            and is_anonymous_reader(request)
        )
        self.topic_keys = [_version_key(topic) for topic in topics]
        self.key = self._key(request) if self.enabled else None
        self.versions = None

    @staticmethod
    def _key(request):
        parameters = sorted(
            (name, request.GET.get(name, "")) for name in PAGE_PARAMETERS if name in request.GET
        )
        address = "|".join([request.scheme, request.get_host(), request.path, repr(parameters)])
        return f"pagecache:page:{ENTRY_FORMAT}:" + hashlib.sha256(address.encode()).hexdigest()

    def get(self):
        """The stored response, and what the view stored with it; or (None, None)."""
        entry = self.entry()
        if entry is None:
            return None, None
        response = HttpResponse(entry["content"])
        for header, value in entry["headers"].items():
            response[header] = value
        response[HIT_HEADER] = "hit"
        return response, entry["extra"]

    def entry(self):
        """What is stored for this page while it is current: content, headers, extra; or None.

        When this process has a copy of the page, only the versions are
        checked (`versions_of`), which rarely needs Redis at all.
        """
        if not self.enabled:
            return None
        now = timezone.now().timestamp()
        entry = local_copies.get(self.key, now) if settings.CACHE_IS_SHARED else None
        if entry is not None:
            self.versions = versions_of(self.topic_keys)
            if entry["versions"] != self.versions:
                entry = None
        if entry is None:
            found = cache.get_many([self.key, *self.topic_keys])
            self.versions = _versions_found(self.topic_keys, found)
            entry = found.get(self.key)
            if not isinstance(entry, dict) or entry.get("versions") != self.versions:
                return None
            if entry["expires"] <= now:
                return None
            if settings.CACHE_IS_SHARED:
                local_copies.put(self.key, entry, entry["expires"], _local_size(entry))
        return entry

    def store(self, response, *, until: datetime | None = None, extra=None):
        """Keep a response for the next readers, at most until `until` (or the next publication)."""
        if not self.enabled or self.request.method != "GET":
            return response
        if response.status_code != 200 or response.cookies or response.streaming:
            return response
        timeout = settings.PAGE_CACHE_SECONDS
        now = timezone.now()
        for moment in (until, _next_publication()):
            if moment is not None:
                timeout = min(timeout, int((moment - now).total_seconds()))
        response[HIT_HEADER] = "miss"
        if timeout > 0:
            # The headers the inner middleware gave the page (its type, the
            # CSP, the frame rule) are the same for every anonymous reader.
            headers = {
                header: value
                for header, value in response.items()
                if header.lower() not in UNSTORED_HEADERS
            }
            # The versions `get` read before the page was rendered: a change
            # made while it rendered leaves it already out of date, as it should.
            entry = {
                "content": response.content,
                "headers": headers,
                "extra": extra,
                "versions": self.versions,
                "expires": now.timestamp() + timeout,
            }
            cache.set(self.key, entry, timeout)
            if settings.CACHE_IS_SHARED:
                local_copies.put(self.key, entry, entry["expires"], _local_size(entry))
        return response


def public_cache_headers(request, response):
    """Let a CDN or nginx keep an anonymous page briefly; never a page for staff.

    Browsers revalidate (max-age=0) so that a reader who reloads sees an
    approval at once; shared caches keep the page `PUBLIC_CACHE_SECONDS`.
    """
    if response.status_code == 200 and is_anonymous_reader(request) and not response.cookies:
        patch_cache_control(
            response, public=True, max_age=0, s_maxage=settings.PUBLIC_CACHE_SECONDS
        )
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


# The pages kept, by URL name, with the topics each depends on.
TOPICS = {
    "newsroom:home": lambda kwargs: [SITE],
    "newsroom:service": lambda kwargs: [SITE],
    "newsroom:tag": lambda kwargs: [SITE],
    "newsroom:article": lambda kwargs: [SITE, comments_topic(kwargs["code"])],
}

# What `PageCacheApplication` tells the middleware behind it, in the WSGI
# environment: the versions it read, and that the page was not in the cache.
VERSIONS_READ = "newsroom.delivery.pagecache.versions"
ALREADY_MISSED = "newsroom.delivery.pagecache.missed"


def kept_page(request):
    """The URL's name and the cache place of a page that is kept; (None, None) for any other."""
    found = _kept_topics(request.path_info, get_urlconf())
    if found is None:
        return None, None
    view_name, topics = found
    return view_name, CachedPage(request, topics)


@lru_cache(maxsize=4096)
def _kept_topics(path, urlconf):
    """What an address shows, if it is a kept page: its URL's name and topics; else None.

    Resolving an address is a tenth of what answering a cached page costs,
    and readers of a spike ask for the same few addresses: each process
    remembers the answers for the last few thousand.
    """
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    topics = TOPICS.get(match.view_name)
    if topics is None:
        return None
    return match.view_name, tuple(topics(match.kwargs))


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _kept_topics.cache_clear()


def serve_from_cache(request, view_name, page):
    """The cached page for this request, counted as a view when it is an article; or None."""
    response, extra = page.get()
    if response is None:
        return None
    count_cached_view(request, view_name, extra)
    return public_cache_headers(request, response)


def count_cached_view(request, view_name, extra):
    if view_name == "newsroom:article" and request.method == "GET":
        from newsroom.articles.reading import count_view

        count_view(extra)


class PageCacheMiddleware:
    """Serves the cached pages before sessions, CSRF and the rest are even looked at.

    It sits right after the security and static-file middleware. A cached
    page is answered from here, with the headers the inner middleware gave
    it when it was rendered (the CSP among them); a miss goes through the
    whole stack and the view, and is stored on its way out. Views tell it
    how long their page may live (`response.cache_until`) and what to keep
    beside it (`response.cache_extra`).

    In production `PageCacheApplication` answers the hits before Django's
    handler; this middleware then sees the misses, and stores them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        memo = _request_versions.set(request.META.get(VERSIONS_READ, {}))
        try:
            return self._respond(request)
        finally:
            _request_versions.reset(memo)

    def _respond(self, request):
        view_name, page = kept_page(request)
        if page is None:
            return self.get_response(request)
        response = None
        if not page.enabled or request.META.get(ALREADY_MISSED):
            # The page's parts, and storing it, need these versions: one
            # round trip for all (none when the application read them).
            page.versions = versions_of(page.topic_keys)
        else:
            response = serve_from_cache(request, view_name, page)
        if response is None:
            response = self.get_response(request)
            page.store(
                response,
                until=getattr(response, "cache_until", None),
                extra=getattr(response, "cache_extra", None),
            )
            public_cache_headers(request, response)
        return response


class PageCacheApplication:
    """The WSGI application in production: cached pages answered before Django's handler runs.

    A hit through `PageCacheMiddleware` still pays for Django's handler, its
    signals and the outer middleware; at the thousands of requests a second
    of a spike that is most of the cost of a cached page. Here a reader
    without a session asking for a kept page is answered with what the
    middleware would have answered: the same stored page, checked against
    the same versions, counted as a view the same way, with the security
    middleware's own redirect and headers. Anything else (a session, a
    miss, a host that is not allowed, a redirect to HTTPS) goes to Django,
    which renders and stores the page as always.
    """

    def __init__(self, django_application):
        from django.middleware.security import SecurityMiddleware

        self.django_application = django_application
        self.security = SecurityMiddleware(lambda request: None)
        # What every hit adds to the stored headers, over HTTPS and not.
        self.added_headers = {}

    def __call__(self, environ, start_response):
        if settings.PAGE_CACHE and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            found = self._from_cache(environ)
            if found is not None:
                return self._send(environ, *found, start_response)
        return self.django_application(environ, start_response)

    def _from_cache(self, environ):
        """The stored entry and the headers to add, or None for Django to answer."""
        from django.core.exceptions import SuspiciousOperation
        from django.core.handlers.wsgi import WSGIRequest

        # WSGIRequest rewrites PATH_INFO in the environment it is given
        # (decoded): Django's handler must get the server's environment intact.
        request = WSGIRequest(environ.copy())
        memo = _request_versions.set({})
        try:
            view_name, page = kept_page(request)
            if page is None or not page.enabled:
                return None
            if self.security.process_request(request) is not None:
                return None  # to HTTPS first, as Django answers it
            entry = page.entry()
            if entry is None:
                environ[VERSIONS_READ] = _request_versions.get()
                environ[ALREADY_MISSED] = True
                return None
            count_cached_view(request, view_name, entry["extra"])
            return entry, self._added_headers(request)
        except SuspiciousOperation:
            return None  # a host that is not allowed: Django's 400
        finally:
            _request_versions.reset(memo)

    def _added_headers(self, request):
        """What `serve_from_cache` and the security middleware add to a hit, worked out once."""
        secure = request.is_secure()
        headers = self.added_headers.get(secure)
        if headers is None:
            response = HttpResponse()
            del response["Content-Type"]
            response[HIT_HEADER] = "hit"
            public_cache_headers(request, response)
            self.security.process_response(request, response)
            headers = self.added_headers[secure] = list(response.items())
        return headers

    @staticmethod
    def _send(environ, entry, added_headers, start_response):
        content = entry["content"]
        headers = [
            *entry["headers"].items(),
            *added_headers,
            ("Content-Length", str(len(content))),
        ]
        start_response("200 OK", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [content]
