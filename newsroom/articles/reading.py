"""What helps a reader read on: reading time, view counts, the neighbours in a service.

View counts are kept in each worker's memory and added to
`Article.view_count` in batches, so that a popular article costs one
database write per `FLUSH_EVERY` views of a worker (or per
`FLUSH_SECONDS`), never one per reader, and a page served from the cache
costs no round trip to count it. Each worker adds its own views with
`F()`, so any number of workers and servers add up. What a worker holds
when it is killed outright is lost: a few hundred views at most. A worker
that stops normally (gunicorn's max_requests, a restart) writes them first.
"""

import atexit
import logging
import re
import threading
import time
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import F, Q, Subquery
from django.utils import timezone

from newsroom.models import Article

logger = logging.getLogger(__name__)

# Persian prose is read at about two hundred words a minute.
WORDS_PER_MINUTE = 200

# During a spike each worker serves hundreds of cached pages a second, all
# of one article: a write every fifty views was dozens of updates a second
# of the same row.
FLUSH_EVERY = 500
FLUSH_SECONDS = 60

RANKING_DAYS = 7
RANKING_SIZE = 5

RANKED_FIELDS = ("code", "title", "published_at")


_TAG_RE = re.compile(r"<[^>]*>")


def reading_minutes(article) -> int:
    """Whole minutes to read the title, lead and body; never less than one.

    The body was sanitised when it was saved, so dropping its tags is enough
    to count its words; parsing it again cost more than the rest of the page.
    """
    body = _TAG_RE.sub(" ", article.body)
    words = len(" ".join((article.title, article.lead, body)).split())
    return max(1, round(words / WORDS_PER_MINUTE))


def _clock():
    return time.monotonic()


# article id -> [views not yet written, when the first of them was counted]
_pending = {}
_pending_lock = threading.Lock()


def count_view(article_id) -> None:
    """One more view of an article, written to the database with the next batch."""
    with _pending_lock:
        entry = _pending.setdefault(article_id, [0, _clock()])
        entry[0] += 1
        due = entry[0] >= FLUSH_EVERY or _clock() - entry[1] >= FLUSH_SECONDS
    if due:
        flush_views(article_id)


def flush_views(article_id) -> int:
    """Write this worker's counted views of an article; returns how many were written.

    If the database cannot take them (it is restarting, say), they are kept
    for the next flush and the reader's page is served all the same.
    """
    with _pending_lock:
        taken = _pending.pop(article_id, [0])[0]
    if not taken:
        return 0
    try:
        Article.objects.filter(pk=article_id).update(view_count=F("view_count") + taken)
    except DatabaseError as error:
        logger.warning("Could not write %d views of article %s: %s", taken, article_id, error)
        with _pending_lock:
            entry = _pending.setdefault(article_id, [0, _clock()])
            entry[0] += taken
        return 0
    return taken


def flush_all_views(article_ids=None) -> int:
    """Write every view this worker holds (of these articles only, if given)."""
    with _pending_lock:
        ids = (
            list(_pending) if article_ids is None else [pk for pk in article_ids if pk in _pending]
        )
    return sum(flush_views(pk) for pk in ids)


@atexit.register
def _flush_at_exit():
    try:
        flush_all_views()
    except Exception:  # the process is ending; nothing more can be done
        logger.exception("Views not written at exit")


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
