"""How the article page shows comments, without the articles app knowing about them."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from comments import threads
from comments.models import Comment
from comments.services import comments_are_open, comments_close_at
from comments.signals import read_section
from newsroom.articles.signals import page_changes_at
from newsroom.articles.views import page_number
from newsroom.text.persian import to_persian_digits

register = template.Library()

# The longest a rendered section is kept; a moderator's decision renews it at once.
SECTION_SECONDS = 600


@register.simple_tag(takes_context=True)
def comment_section(context, article):
    """The approved comments under an article, and the way to write one.

    The same for every reader, so that the page can be cached: the form
    itself, with its security token and question, is fetched on its own
    (`comments:form`) or opened on a page of its own without JavaScript.

    Rendering a few hundred comments is most of the cost of an article
    page, so the section's HTML is kept until the article's comments
    change (`comments.signals`): a page rendered anew, because an article
    was published, does not render its comments again. A comment page
    that is not one (`?comments=0`, past the last) is a 404.
    """
    request = context["request"]
    number = page_number(request.GET.get("comments"))
    if number is None:
        raise Http404("not a page of comments")
    received = request.GET.get("comment") == "received"
    # «پسندیده‌ترین»: a parameter the page declares (newsroom/delivery/pages.py).
    order = threads.order_of(request.GET.get("order"))
    is_open = comments_are_open(article)
    closing = comments_close_at(article) if is_open else None
    seconds = SECTION_SECONDS
    if closing is not None:
        # The page shows the form until then, and must not be kept longer.
        page_changes_at.send(sender=Comment, request=request, moment=closing)
        seconds = min(seconds, int((closing - timezone.now()).total_seconds()) + 1)
    # Kept with the version it was rendered at, read with the current one in one round trip.
    key = f"comments:section:{article.pk}:{number}:{order}:{received:d}:{is_open:d}"
    version, kept = read_section(article.pk, key)
    if kept is not None and kept[0] == version:
        return mark_safe(kept[1])
    html = render_to_string(
        "comments/section.html", _section_context(article, number, received, is_open, order)
    )
    cache.set(key, (version, html), seconds)
    return mark_safe(html)


def _section_context(article, number, received, is_open, order=threads.OLDEST):
    """Two queries, whatever the number of comments."""
    page, comments = _comment_page(article, number, order)
    first = comments[0] if comments else None
    return {
        "article": article,
        "is_open": is_open,
        "count": first.approved_count if first else 0,
        "answered_count": (first.answered_count or 0) if first else 0,
        "page": page,
        "order": order,
        "threads": threads.threads_of(comments, replies_shown=settings.COMMENT_REPLIES_SHOWN),
        "received": received,
    }


def _comment_page(article, number, order):
    """One page of top-level comments, counted in the same query as it is read.

    The count of the top-level comments (for the pages) and of every approved
    comment (for the heading) come as window and subquery columns of the
    page's own rows (comments/threads.py). A page past the last is a 404, as
    for lists of articles.
    """
    per_page = settings.COMMENTS_PER_PAGE
    top_level = threads.top_level(article, order)
    counted = top_level.annotate(top_level_count=Window(Count("pk")))
    comments = list(counted[(number - 1) * per_page : number * per_page])
    if not comments and number > 1:
        raise Http404("past the last page of comments")
    paginator = Paginator(top_level, per_page)
    paginator.count = comments[0].top_level_count if comments else 0
    return paginator.page(number), comments


@register.inclusion_tag("comments/pending_notice.html", takes_context=True)
def pending_comments_notice(context):
    """The admin index tells those who moderate how many comments wait."""
    user = context["request"].user
    can_moderate = user.has_perm("comments.change_comment")
    count = Comment.objects.pending().count() if can_moderate else 0
    return {"can_moderate": can_moderate, "count": count}


@register.inclusion_tag("comments/pending_link.html", takes_context=True)
def pending_comments_link(context):
    """The admin's header tells those who moderate, on every page, how many comments wait."""
    user = context["request"].user
    can_moderate = user.has_perm("comments.change_comment")
    count = Comment.objects.pending().filter(is_official=False).count() if can_moderate else 0
    return {"can_moderate": can_moderate, "count": count}


@register.filter
def duration_fa(delta):
    """«۲ روز و ۳ ساعت», «۴۵ دقیقه»: a waiting time as a moderator reads it."""
    if delta is None:
        return ""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)s day", "%(n)s days", days) % {"n": to_persian_digits(days)})
    if hours:
        parts.append(ngettext("%(n)s hour", "%(n)s hours", hours) % {"n": to_persian_digits(hours)})
    if minutes or not parts:
        parts.append(
            ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": to_persian_digits(minutes)}
        )
    return gettext(" and ").join(parts[:2])
