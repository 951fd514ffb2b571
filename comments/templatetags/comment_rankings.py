"""Rankings of articles by their readers' comments, for the home and article pages.

They live in the comments app because articles must not know about comments.
The pages keep the box that shows them with `{% cache %}`, renewed when a
moderator's decision changes the rankings.
"""

from datetime import timedelta

from django import template
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from comments.models import Comment
from newsroom.models import Article

register = template.Library()

RANKING_DAYS = 7
RANKING_SIZE = 5


@register.simple_tag(name="most_commented_articles")
def count_most_commented(count=RANKING_SIZE, days=RANKING_DAYS):
    """The published articles with the most approved comments of the last days, in one query.

    Each article carries `recent_comments`, the number it got in that time.
    """
    recent = Comment.objects.approved().filter(
        created_at__gte=timezone.now() - timedelta(days=days)
    )
    per_article = (
        recent.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return list(
        Article.objects.published()
        .filter(pk__in=recent.values("article"))
        .annotate(recent_comments=Subquery(per_article))
        .order_by("-recent_comments", "-published_at", "-code")
        .only("code", "title", "published_at", "image", "image_width")[:count]
    )
