"""What helps a reader read on: reading time, view counts, the neighbours in a service.

View counts are kept in the cache and written to `Article.view_count` in
batches, so that a popular article costs one database write per
`FLUSH_EVERY` views (or per `FLUSH_SECONDS`), never one per reader.
"""

import time
from datetime import timedelta

from django.core.cache import cache
from django.db.models import F, Q, Subquery
from django.utils import timezone

from .models import Article
from .sanitize import body_text

# Persian prose is read at about two hundred words a minute.
WORDS_PER_MINUTE = 200

FLUSH_EVERY = 50
FLUSH_SECONDS = 60
# Long enough for the slowest flush; a crashed one only delays the next.
FLUSH_LOCK_SECONDS = 10

RANKING_DAYS = 7
RANKING_SIZE = 5
# The week's rankings are counted again at most once a minute.
RANKING_SECONDS = 60

RANKED_FIELDS = ("code", "title", "published_at")


def reading_minutes(article) -> int:
    """Whole minutes to read the title, lead and body; never less than one."""
    words = len(" ".join((article.title, article.lead, body_text(article.body))).split())
    return max(1, round(words / WORDS_PER_MINUTE))


def _clock():
    return time.time()


def _pending_key(article_id):
    return f"article-views:pending:{article_id}"


def _due_key(article_id):
    return f"article-views:due:{article_id}"


def _lock_key(article_id):
    return f"article-views:lock:{article_id}"


def count_view(article_id) -> None:
    """One more view of an article: counted in the cache, written to the database in batches."""
    key = _pending_key(article_id)
    try:
        pending = cache.incr(key)
    except ValueError:
        # The first view since the last flush (or since the cache forgot it).
        pending = 1 if cache.add(key, 1, timeout=None) else cache.incr(key)
    now = _clock()
    due = cache.get(_due_key(article_id))
    if due is None:
        cache.add(_due_key(article_id), now + FLUSH_SECONDS, timeout=None)
        due = now + FLUSH_SECONDS
    if pending >= FLUSH_EVERY or now >= due:
        flush_views(article_id)


def flush_views(article_id) -> int:
    """Write an article's counted views to the database; returns how many were written.

    Views counted while the write runs stay in the cache for the next flush.
    """
    if not cache.add(_lock_key(article_id), 1, timeout=FLUSH_LOCK_SECONDS):
        return 0  # another request is writing them now
    try:
        cache.set(_due_key(article_id), _clock() + FLUSH_SECONDS, timeout=None)
        taken = cache.get(_pending_key(article_id)) or 0
        if taken <= 0:
            return 0
        cache.decr(_pending_key(article_id), taken)
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + taken)
        return taken
    finally:
        cache.delete(_lock_key(article_id))


def flush_all_views(article_ids) -> int:
    """Write every counted view of these articles (for a periodic job or before a shutdown)."""
    ids = list(article_ids)
    pending = cache.get_many([_pending_key(pk) for pk in ids])
    return sum(flush_views(pk) for pk in ids if pending.get(_pending_key(pk)))


def _ranking_window():
    return timezone.now() - timedelta(days=RANKING_DAYS)


def most_viewed(count=RANKING_SIZE):
    """The most read of the articles published in the last seven days, in one query."""
    return list(
        Article.objects.published()
        .filter(published_at__gte=_ranking_window(), view_count__gt=0)
        .order_by("-view_count", "-published_at", "-code")
        .only(*RANKED_FIELDS)[:count]
    )


def cached_most_viewed():
    """`most_viewed`, counted at most once a minute for all pages, and again after a publication."""
    from .pagecache import SITE, cached_value

    return cached_value("most-viewed", [SITE], most_viewed, RANKING_SECONDS)


def service_neighbours(article):
    """The articles published just before and just after this one in its service.

    Both come from one query, whatever the size of the service.
    """
    same_service = Article.objects.published().filter(service_id=article.service_id)
    moment, code = article.published_at, article.code
    earlier = same_service.filter(
        Q(published_at__lt=moment) | Q(published_at=moment, code__lt=code)
    ).order_by("-published_at", "-code")
    later = same_service.filter(
        Q(published_at__gt=moment) | Q(published_at=moment, code__gt=code)
    ).order_by("published_at", "code")
    neighbours = Article.objects.filter(
        Q(pk=Subquery(earlier.values("pk")[:1])) | Q(pk=Subquery(later.values("pk")[:1]))
    ).only(*RANKED_FIELDS)
    found = {"earlier": None, "later": None}
    for other in neighbours:
        side = "earlier" if (other.published_at, other.code) < (moment, code) else "later"
        found[side] = other
    return found
