"""What changes in the articles domain, told to whoever keeps copies of pages.

Three domain signals; newsroom/delivery/invalidation.py decides what each
one invalidates.

- `article_changed`: an article was published, unpublished, edited,
  rescheduled or deleted, or a service or tag changed (then `article_ids`
  is None: any article's page may show it). The publishing services send
  it; so do the model signals below, so that a change made elsewhere (the
  admin's save, a delete, `load_demo`, the shell) is never missed, and
  `ArticleQuerySet.update()` does for `update()` calls.
- `article_comments_changed`: what readers see under these articles
  changed (a comment approved, rejected, answered or deleted). The comments
  app's moderation services send it.
- `page_changes_at`: sent while a page is rendered, by a part of it that
  knows when what it shows stops being true without anything being saved
  (comments closing by themselves at `moment`).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver

article_changed = Signal()  # article_ids: the articles, or None for any
article_comments_changed = Signal()  # article_ids
page_changes_at = Signal()  # request, moment


@receiver(post_save, sender="newsroom.Article", dispatch_uid="newsroom.article_saved")
@receiver(post_delete, sender="newsroom.Article", dispatch_uid="newsroom.article_deleted")
def _article_saved_or_deleted(sender, instance, **kwargs):
    article_changed.send(sender=sender, article_ids=[instance.pk])


@receiver(post_save, sender="newsroom.Photo", dispatch_uid="newsroom.photo_saved")
@receiver(post_delete, sender="newsroom.Photo", dispatch_uid="newsroom.photo_deleted")
def _photo_saved_or_deleted(sender, instance, **kwargs):
    # A photo report's photos are saved after the article (the admin's inline).
    article_changed.send(sender=sender, article_ids=[instance.article_id])


@receiver(post_save, sender="newsroom.Service", dispatch_uid="newsroom.service_saved")
@receiver(post_delete, sender="newsroom.Service", dispatch_uid="newsroom.service_deleted")
@receiver(post_save, sender="newsroom.Tag", dispatch_uid="newsroom.tag_saved")
@receiver(post_delete, sender="newsroom.Tag", dispatch_uid="newsroom.tag_deleted")
def _menu_or_tag_changed(sender, **kwargs):
    article_changed.send(sender=sender, article_ids=None)


@receiver(m2m_changed, sender="newsroom.TaggedArticle", dispatch_uid="newsroom.tags_changed")
def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # Tags are part of the search document; adding or removing one rewrites it.
    if not reverse:
        instance.refresh_search_document()
    article_changed.send(sender=sender, article_ids=None if reverse else [instance.pk])


@receiver(post_save, sender="newsroom.BreakingNews", dispatch_uid="newsroom.breaking_saved")
@receiver(post_delete, sender="newsroom.BreakingNews", dispatch_uid="newsroom.breaking_deleted")
def _breaking_news_changed(sender, **kwargs):
    # The home page shows it; a new or corrected line must be seen at once.
    article_changed.send(sender=sender, article_ids=None)
