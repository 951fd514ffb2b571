"""How the article page shows comments, without the articles app knowing about them."""

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Window
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from comments import threads
from comments.models import Comment
from comments.services import comments_are_open
from newsroom.delivery import pagecache
from newsroom.text.persian import to_persian_digits

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_section(context, article):
    """The approved comments under an article, and the way to write one.

    The same for every reader, so that the page can be cached: the form
    itself, with its security token and question, is fetched on its own
    (`comments:form`) or opened on a page of its own without JavaScript.

    Rendering a few hundred comments is most of the cost of an article
    page, so the section's HTML is kept until the article's comments
    change (approved, rejected, answered): a page rendered anew, because
    the site changed or the page was not cached, does not render them again.
    """
    request = context["request"]
    number = request.GET.get("comments") or "1"
    received = request.GET.get("comment") == "received"
    is_open = comments_are_open(article)
    return mark_safe(
        pagecache.cached_value(
            f"comment-section:{article.pk}:{number[:10]}:{int(received)}:{int(is_open)}",
            [pagecache.comments_topic(article.code)],
            lambda: render_to_string(
                "comments/section.html",
                _section_context(request, article, number, received, is_open),
            ),
            settings.PAGE_CACHE_SECONDS,
            shared_only=True,
        )
    )


def _section_context(request, article, number, received, is_open, order=threads.OLDEST):
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
    page's own rows. Only a page number past the end costs more queries: it
    gives the last page, as a paginator would.
    """
    per_page = settings.COMMENTS_PER_PAGE
    number = max(_int(number) or 1, 1)
    top_level = threads.top_level(article, order)
    counted = top_level.annotate(top_level_count=Window(Count("pk")))
    comments = list(counted[(number - 1) * per_page : number * per_page])
    paginator = Paginator(top_level, per_page)
    if not comments and number > 1:
        page = paginator.get_page(number)
        if paginator.count:
            comments = list(counted[page.start_index() - 1 : page.end_index()])
        return page, comments
    paginator.count = comments[0].top_level_count if comments else 0
    return paginator.page(number if comments else 1), comments


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


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
