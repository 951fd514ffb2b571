"""Each article's comment count beside its headline in lists, without the articles app knowing.

The project's list template (templates/includes/article_list.html) asks for
the counts of the articles it lists, in one query for the whole list:

    {% load comment_counts %}{% approved_comment_counts articles as counts %}
    … {{ counts|count_for:article }} …
"""

from django import template
from django.db.models import Count

from comments.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def approved_comment_counts(context, articles):
    """Approved comments per listed article, by article id; articles without any are left out.

    Counts are remembered for the request: a page with several lists (the
    home page's lead, featured and service sections) asks once for all of
    them, then each list finds its own without a query.
    """
    request = context.get("request")
    known = getattr(request, "_approved_comment_counts", None)
    if known is None:
        known = {}
        if request is not None:
            request._approved_comment_counts = known
    asked = {article.pk for article in articles if article is not None}
    missing = asked - known.keys()
    if missing:
        rows = dict(
            Comment.objects.approved()
            .filter(article_id__in=missing)
            .order_by()
            .values("article_id")
            .annotate(number=Count("pk"))
            .values_list("article_id", "number")
        )
        known.update({pk: rows.get(pk, 0) for pk in missing})
    return {pk: known[pk] for pk in asked if known[pk]}


@register.filter
def count_for(counts, article):
    return counts.get(article.pk, 0) if counts else 0
