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


@register.simple_tag
def approved_comment_counts(articles):
    """Approved comments per listed article, by article id; articles without any are left out."""
    ids = [article.pk for article in articles]
    if not ids:
        return {}
    rows = (
        Comment.objects.approved()
        .filter(article_id__in=ids)
        .order_by()
        .values("article_id")
        .annotate(number=Count("pk"))
        .values_list("article_id", "number")
    )
    return dict(rows)


@register.filter
def count_for(counts, article):
    return counts.get(article.pk, 0) if counts else 0
