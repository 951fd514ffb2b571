"""The versions of what pages show: one key per topic in Django's cache.

A part of a page is kept under a key that holds the versions of the
topics it shows, and a whole page with them (newsroom/delivery/pages.py);
giving a topic a new version (`renew`) leaves every such part and page
behind at once, on every worker and app server sharing the cache, without
searching for anything to delete. A part left behind expires by itself; a
page is rendered again over its old copy. A version that is lost
(evicted, or Redis restarted empty) is replaced by a new one, which is as
safe as a renewal.

The topics:

- `SITE`: articles, services and tags, which lists, menus, related and
  next news and the article pages themselves show. Its version also holds
  when the next scheduled article appears: the first request after that
  moment gives the site a new version, so a scheduled article is on every
  page at its time, with no job to run. So does a breaking news line
  that begins or ends, and midnight in Tehran, after which the header's
  date is another day: no page shows yesterday's date or an expired line.
- `RANKINGS`: the week's most commented and most viewed boxes, and the
  comment count beside each headline in lists, which change when comments
  are approved, rejected or answered.
- `article(code)`: what one article's page shows besides the site: its comments.

What renews which topic is decided in one place, `newsroom/delivery/invalidation.py`.
"""

import secrets
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from newsroom.models import Article, BreakingNews
from newsroom.text import jalali

SITE = "site"
RANKINGS = "rankings"


def article(code) -> str:
    return f"article:{code}"


def _key(topic):
    return f"version:{topic}"


@dataclass
class Versions:
    """The versions one request has read: each topic read once, the same for the whole request.

    A page is stored with the versions read before it was rendered, and its
    parts with the same ones, so that a change made while it rendered leaves
    all of it behind. `changes_at` is the moment one of them changes by
    itself (the next scheduled publication), as a timestamp, or None.
    """

    tokens: dict = field(default_factory=dict)
    changes_at: float | None = None

    def read(self, topics, found=None):
        """Read what this request has not read yet, in one round trip.

        `found` holds what was already asked of the cache along with
        something else (`keys`); only what is missing from it is asked again.
        """
        missing = [topic for topic in topics if topic not in self.tokens]
        if missing:
            for topic, (token, changes_at) in _current(missing, found).items():
                self.tokens[topic] = token
                if changes_at is not None:
                    self.changes_at = min(changes_at, self.changes_at or changes_at)
        return self

    def __getitem__(self, topic):
        # Templates read `versions.site`, `versions.rankings`.
        return self.read([topic]).tokens[topic]

    def key(self, topics) -> str:
        """The versions of these topics, as part of a cache key."""
        self.read(topics)
        return "-".join(self.tokens[topic] for topic in topics)


def keys(topics) -> list:
    """The cache keys of these topics' versions, to be read along with other keys."""
    return [_key(topic) for topic in topics]


def of_request(request) -> Versions:
    """The versions this request reads, kept on it."""
    versions = getattr(request, "page_versions", None)
    if versions is None:
        versions = request.page_versions = Versions()
    return versions


def template_versions(request):
    """A context processor: `versions.site` and `versions.rankings` for `{% cache %}` keys."""
    return {"versions": of_request(request)}


def _current(topics, found=None):
    """Each topic's (token, moment it changes by itself), giving a new version where needed."""
    keys = {topic: _key(topic) for topic in topics}
    if found is None:
        found = cache.get_many(list(keys.values()))
    now = timezone.now().timestamp()
    current = {}
    for topic, key in keys.items():
        value = found.get(key)
        if value is None:
            value = _new_value(topic)
            # Another worker may have given it one a moment ago; theirs wins.
            if not cache.add(key, value, timeout=None):
                value = cache.get(key, value)
        elif value[1] is not None and value[1] <= now:
            # The next scheduled article is due: the site has changed.
            value = _new_value(topic)
            cache.set(key, value, timeout=None)
        current[topic] = value
    return current


def renew(*topics):
    """Mark what these topics show as changed: what is kept with them is left behind.

    It happens now and again when the current transaction commits, so that
    a reader who renders a page between the two, from the database as it
    was before the commit, cannot leave the old page under the new version.
    """

    def store():
        cache.set_many({_key(topic): _new_value(topic) for topic in topics}, timeout=None)

    store()
    transaction.on_commit(store)


def _new_value(topic):
    return (secrets.token_hex(4), _next_change() if topic == SITE else None)


def _next_change():
    """When the site changes by itself: the next of these moments, in one query.

    A scheduled article is published; a breaking news line begins or ends;
    midnight in Tehran, after which the header's date is another day.
    """
    now = timezone.now()
    moments = (
        Article.objects.scheduled()
        .order_by()
        .values_list("published_at", flat=True)
        .union(
            BreakingNews.objects.filter(starts_at__gt=now).order_by().values_list("starts_at"),
            BreakingNews.objects.filter(ends_at__gt=now).order_by().values_list("ends_at"),
            all=True,
        )
        .order_by("published_at")[:1]
    )
    found = next(iter(moments), None)
    midnight = jalali.tomorrow_starts(now)
    moment = min(found, midnight) if found is not None else midnight
    return moment.timestamp()
