"""What editors do to articles beyond one form's save; the admin's actions call these."""

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from newsroom.models import Article, TaggedArticle


def publish_articles(*, articles, editor) -> int:
    """Publish these articles at their publication time (a time to come schedules them)."""
    return _set_status(articles, Article.Status.PUBLISHED, editor)


def unpublish_articles(*, articles, editor) -> int:
    """Take these articles back to drafts: readers no longer see them anywhere."""
    return _set_status(articles, Article.Status.DRAFT, editor)


@transaction.atomic
def _set_status(articles, status, editor) -> int:
    """Set the status of the articles that do not have it, as the admin's log records.

    Returns how many changed. Their tags' copy of the publication time
    follows (Article.save does the same for one article). Caches are told
    once for all of them, by `ArticleQuerySet.update()` (`article_changed`).
    """
    ids = [article.pk for article in articles if article.status != status]
    if not ids:
        return 0
    changed = Article.objects.filter(pk__in=ids)
    changed.update(status=status)
    TaggedArticle.objects.filter(content_object__in=ids).update(
        published_at=Subquery(
            Article.objects.filter(
                pk=OuterRef("content_object_id"), status=Article.Status.PUBLISHED
            ).values("published_at")[:1]
        )
    )
    LogEntry.objects.log_actions(
        user_id=editor.pk,
        queryset=list(changed),
        action_flag=CHANGE,
        change_message=_("Status set to «%(status)s».") % {"status": Article.Status(status).label},
        single_object=False,
    )
    return len(ids)
