"""Rankings of articles by their readers' comments, for the home and article pages.

They live in the comments app because articles must not know about comments;
the box beside them, the most viewed (newsroom/articles/reading.py), is read
in the same query (`popular_articles`).
The pages keep the box that shows them under the rankings' version, which a
moderator's decision renews: home with `{% cache %}`, the article page's view
with the low-level API (newsroom/articles/views.py).
"""

from datetime import timedelta

from django import template
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from comments.models import Comment
from newsroom.articles import reading
from newsroom.models import Article

register = template.Library()

RANKING_DAYS = 7
RANKING_SIZE = 5


def _recent_comments(days):
    return Comment.objects.approved().filter(created_at__gte=timezone.now() - timedelta(days=days))


def _per_article(recent):
    """How many of `recent` each article of the outer query has."""
    return Subquery(
        recent.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(number=Count("pk"))
        .values("number")
    )


def _ranked_by_comments(count, recent):
    return (
        Article.objects.published()
        .filter(pk__in=recent.values("article"))
        .annotate(recent_comments=_per_article(recent))
        .order_by("-recent_comments", "-published_at", "-code")
        .only(*reading.RANKED_FIELDS)[:count]
    )


@register.simple_tag(name="most_commented_articles")
def count_most_commented(count=RANKING_SIZE, days=RANKING_DAYS):
    """The published articles with the most approved comments of the last days, in one query.

    Each article carries `recent_comments`, the number it got in that time.
    """
    return list(_ranked_by_comments(count, _recent_comments(days)))


@register.simple_tag
def popular_articles(count=RANKING_SIZE, days=RANKING_DAYS):
    """The week's most viewed and most commented articles: both rankings in one query.

    The query returns the articles of both, each with both its numbers
    (`week_views`, `recent_comments`); a ranking is then the first of them
    by its own number, since what the other ranking brings in ranks below
    its last.
    """
    recent = _recent_comments(days)
    articles = list(
        Article.objects.published()
        .with_any_of(
            reading.most_viewed_ids(count), _ranked_by_comments(count, recent).values("pk")
        )
        .annotate(
            week_views=reading.week_views(),
            recent_comments=_per_article(recent),
        )
        .only(*reading.RANKED_FIELDS)
    )

    def ranked(number):
        by_number = [article for article in articles if getattr(article, number)]
        by_number.sort(
            key=lambda article: (getattr(article, number), article.published_at, article.code),
            reverse=True,
        )
        return by_number[:count]

    return {"most_viewed": ranked("week_views"), "most_commented": ranked("recent_comments")}
