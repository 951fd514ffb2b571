"""How the article page shows comments, without the articles app knowing about them."""

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.utils.translation import gettext, ngettext

from comments.forms import CommentForm
from comments.models import Comment
from comments.services import comments_are_open, replyable_comment
from newsroom.persian import to_persian_digits

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    request = context["request"]
    approved = Comment.objects.approved().filter(article=article)
    top_level = approved.filter(parent=None).only("id", "name", "text", "created_at", "is_official")
    page = Paginator(top_level, settings.COMMENTS_PER_PAGE).get_page(request.GET.get("comments"))
    threads = [(comment, []) for comment in page.object_list]
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

    form = context.get("comment_form")
    reply_to = None
    is_open = comments_are_open(article)
    if is_open:
        if form is None:
            reply_to = replyable_comment(
                article=article, comment_id=_int(request.GET.get("reply_to"))
            )
            form = CommentForm(
                article=article, initial={"parent": reply_to.pk if reply_to else None}
            )
        else:
            parent_id = _int(form["parent"].value())
            reply_to = replyable_comment(article=article, comment_id=parent_id)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "article": article,
        "is_open": is_open,
        "count": approved.count(),
        "page": page,
        "threads": threads,
        "form": form,
        "reply_to": reply_to,
        "received": request.GET.get("comment") == "received",
        "max_length": settings.COMMENT_MAX_LENGTH,
    }


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
