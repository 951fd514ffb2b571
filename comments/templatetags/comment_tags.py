"""How the article page shows comments, without the articles app knowing about them."""

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Subquery, Window
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

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
    is_open = comments_are_open(article)
    closing = comments_close_at(article) if is_open else None
    seconds = SECTION_SECONDS
    if closing is not None:
        # The page shows the form until then, and must not be kept longer.
        page_changes_at.send(sender=Comment, request=request, moment=closing)
        seconds = min(seconds, int((closing - timezone.now()).total_seconds()) + 1)
    # Kept with the version it was rendered at, read with the current one in one round trip.
    key = f"comments:section:{article.pk}:{number}:{received:d}:{is_open:d}"
    version, kept = read_section(article.pk, key)
    if kept is not None and kept[0] == version:
        return mark_safe(kept[1])
    html = render_to_string(
        "comments/section.html", _section_context(article, number, received, is_open)
    )
    cache.set(key, (version, html), seconds)
    return mark_safe(html)


def _section_context(article, number, received, is_open):
    """Two queries, whatever the number of comments."""
    approved = Comment.objects.approved().filter(article=article)
    page, comments = _comment_page(approved, number)
    threads = [(comment, []) for comment in comments]
    if threads:
        replies_of = {comment.pk: replies for comment, replies in threads}
        for reply in (
            approved.filter(thread__in=list(replies_of))
            .select_related("parent")
            .only(
                "id",
                "name",
                "text",
                "created_at",
                "is_official",
                "thread_id",
                "parent__name",
            )
        ):
            replies_of[reply.thread_id].append(reply)
    return {
        "article": article,
        "is_open": is_open,
        "count": comments[0].approved_count if comments else 0,
        "page": page,
        "threads": threads,
        "received": received,
    }


def _comment_page(approved, number):
    """One page of top-level comments, counted in the same query as it is read.

    The count of the top-level comments (for the pages) and of every approved
    comment (for the heading) come as window and subquery columns of the
    page's own rows. A page past the last is a 404, as for lists of articles.
    """
    per_page = settings.COMMENTS_PER_PAGE
    top_level = approved.filter(parent=None).only("id", "name", "text", "created_at", "is_official")
    counted = top_level.annotate(
        top_level_count=Window(Count("pk")),
        approved_count=Subquery(
            approved.order_by().values("article").annotate(number=Count("pk")).values("number")
        ),
    )
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
