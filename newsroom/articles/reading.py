"""What helps a reader read on: reading time, views, the week's most read, neighbours.

Views are counted by a beacon the article page sends once it is shown
(static/js/views.js, `count_view`), since most readers get the page from a
cache and never reach the view. Each browser counts once per article an
hour (it sends a random name of its own, so that readers sharing an
address, behind a carrier's NAT, are told apart), and one address counts
at most VIEW_RATE views whatever it sends: the reader's address bounds
the count, not the page's address, so `?utm_source=N` adds nothing.

Pending counts live in Django's cache, the one every worker and app server
shares (Redis in production, files for the embedded default): an increment
per view, no database write. They are written to the views of each day
(`DailyViews`, and the article's total) in batches, at most every
FLUSH_SECONDS, by whichever request comes after that, or by `manage.py
flush_views`. In the cache rather than in each worker's memory, so that a
worker killed outright, recycled or restarted loses nothing, and the
command can write them before Redis is restarted or emptied; what is lost
is at most a flush's worth, if Redis itself is lost first.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from newsroom.models import Article, DailyViews
from newsroom.site.counters import Limit, address_key
from newsroom.site.network import client_ip

logger = logging.getLogger(__name__)

# Persian prose is read at about two hundred words a minute.
WORDS_PER_MINUTE = 200

# The same reader reloading the page, or coming back to it, within the hour is one view.
REPEAT_SECONDS = 3600
FLUSH_SECONDS = 60
# Pending counts of a day wait this long for a flush before they expire.
PENDING_DAYS = 3
PENDING_SECONDS = PENDING_DAYS * 24 * 3600
# What a browser calls itself: letters and digits, as static/js/views.js makes it.
READER_RE = re.compile(r"[a-z0-9]{1,32}")

RANKING_DAYS = 7
RANKING_SIZE = 5

RANKED_FIELDS = ("code", "title", "published_at", "image", "image_width", "image_height")


_TAG_RE = re.compile(r"<[^>]*>")


def reading_minutes(article) -> int:
    """Whole minutes to read the title, lead and body; never less than one.

    The body was sanitised when it was saved, so dropping its tags is enough
    to count its words; parsing it again cost more than the rest of the page.
    """
    body = _TAG_RE.sub(" ", article.body)
    words = len(" ".join((article.title, article.lead, body)).split())
    return max(1, round(words / WORDS_PER_MINUTE))


def count_view(request, code, reader="") -> bool:
    """Count one view of the published article `code` by this reader; whether it was counted."""
    address = address_key(client_ip(request))
    if not READER_RE.fullmatch(reader):
        reader = "-"
    if Limit("views", settings.VIEW_RATE).exceeded_by_hit(address):
        return False
    if not cache.add(f"views:seen:{address}:{reader}:{code}", True, REPEAT_SECONDS):
        return False
    article_id = Article.objects.published().filter(code=code).values_list("pk", flat=True).first()
    if article_id is None:
        return False
    day = timezone.localdate()
    pending = _pending_key(article_id, day)
    try:
        cache.incr(pending)
    except ValueError:
        if not cache.add(pending, 1, PENDING_SECONDS):
            cache.incr(pending)
    if cache.add(f"views:row:{article_id}:{day}", True, PENDING_SECONDS):
        # The day's row, which tells a flush where to look, is made with the day's first view.
        try:
            DailyViews.objects.get_or_create(article_id=article_id, day=day)
        except DatabaseError:
            cache.delete(f"views:row:{article_id}:{day}")
            raise
    if cache.add("views:flush-due", True, FLUSH_SECONDS):
        flush_views()
    return True


def _pending_key(article_id, day):
    return f"views:pending:{article_id}:{day}"


def flush_is_running() -> bool:
    return cache.has_key("views:flushing")


def flush_views() -> int:
    """Write the views pending in the cache; how many were written.

    One flush at a time, wherever it runs. Each count is taken from the
    cache before it is written, so views counted meanwhile wait for the
    next flush; a count the database cannot take is put back.
    """
    if not cache.add("views:flushing", True, 120):
        return 0
    written = 0
    try:
        since = timezone.localdate() - timedelta(days=PENDING_DAYS)
        rows = {
            _pending_key(article_id, day): (pk, article_id)
            for pk, article_id, day in DailyViews.objects.filter(day__gte=since).values_list(
                "pk", "article_id", "day"
            )
        }
        for key, count in cache.get_many(list(rows)).items():
            if count <= 0:
                continue
            try:
                cache.decr(key, count)
            except ValueError:  # expired a moment ago
                continue
            pk, article_id = rows[key]
            try:
                DailyViews.objects.filter(pk=pk).update(count=F("count") + count)
                Article.objects.filter(pk=article_id).update(view_count=F("view_count") + count)
            except DatabaseError as error:
                logger.warning("Views not written, kept for the next flush: %s", error)
                cache.incr(key, count)
                continue
            written += count
    finally:
        cache.delete("views:flushing")
    return written


def _ranking_start():
    return timezone.localdate() - timedelta(days=RANKING_DAYS - 1)


def most_viewed(count=RANKING_SIZE):
    """The published articles read most in the last seven days, by their days' views; one query."""
    return list(
        Article.objects.published()
        .filter(daily_views__day__gte=_ranking_start())
        .annotate(week_views=Sum("daily_views__count"))
        .filter(week_views__gt=0)
        .order_by("-week_views", "-published_at", "-code")
        .only(*RANKED_FIELDS)[:count]
    )


def most_viewed_ids(count=RANKING_SIZE):
    """The ids of `most_viewed()`, as a subquery for a query of articles."""
    return (
        Article.objects.published()
        .filter(daily_views__day__gte=_ranking_start())
        .values("pk")
        .annotate(week_views=Sum("daily_views__count"))
        .filter(week_views__gt=0)
        .order_by("-week_views", "-published_at", "-code")
        .values("pk")[:count]
    )


def week_views():
    """An article's views of the last seven days, to annotate a query of articles with."""
    return Subquery(
        DailyViews.objects.filter(article=OuterRef("pk"), day__gte=_ranking_start())
        .order_by()
        .values("article")
        .annotate(total=Sum("count"))
        .values("total")
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
