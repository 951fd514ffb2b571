"""What editors do to articles, as plain functions the admin and commands call.

Each article is saved through `Article.save()`, so its text is cleaned, its
taggings follow its publication and the caches hear of it through the
article's signals.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from newsroom.articles.models import Article
from newsroom.text import zwnj


def publish_articles(*, articles, editor):
    """Publish these articles; return how many changed.

    A draft whose publication time has passed is published now, so that it
    comes first in the lists rather than under the day it was begun; one
    whose time is still to come is scheduled for that time.
    """
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        for article in _locked(articles):
            if article.status == Article.Status.PUBLISHED:
                continue
            article.status = Article.Status.PUBLISHED
            if article.published_at <= now:
                article.published_at = now
            _save_by(article, editor)
            changed += 1
    return changed


def unpublish_articles(*, articles, editor):
    """Take these articles back to drafts (scheduled ones too); return how many changed."""
    changed = 0
    with transaction.atomic():
        for article in _locked(articles):
            if article.status == Article.Status.DRAFT:
                continue
            article.status = Article.Status.DRAFT
            _save_by(article, editor)
            changed += 1
    return changed


def _locked(articles):
    """The articles, read again and locked until the transaction ends."""
    if isinstance(articles, QuerySet):
        pks = articles.values("pk")
    else:
        pks = [article.pk for article in articles]
    return Article.objects.select_for_update().filter(pk__in=pks).order_by("pk")


def _save_by(article, editor):
    # The version this save makes is the editor's in the article's history.
    article._history_user = editor
    article.save()


ZWNJ_FIELDS = ("surtitle", "title", "lead", "body", "image_caption")


def zwnj_changes(article):
    """The ZWNJs `restore_zwnj` would put back in an article: [(field, [Change, …]), …]."""
    found = []
    for field in ZWNJ_FIELDS:
        changes = zwnj.suggest(getattr(article, field))
        if changes:
            found.append((field, changes))
    return found


def restore_zwnj(*, articles, accepted, editor):
    """Put back the ZWNJs the editor accepted; return how many articles changed.

    `accepted` maps an article's pk to the words (as they are written now)
    whose ZWNJs the editor chose to restore; any other word stays as it is.
    """
    changed = 0
    with transaction.atomic():
        for article in _locked(articles):
            words = set(accepted.get(article.pk, ()))
            if not words:
                continue
            edited = False
            for field in ZWNJ_FIELDS:
                before = getattr(article, field)
                after = zwnj.apply(before, words)
                if after != before:
                    setattr(article, field, after)
                    edited = True
            if edited:
                _save_by(article, editor)
                changed += 1
    return changed
