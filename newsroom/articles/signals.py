from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from newsroom.delivery import pagecache
from newsroom.models import Article, Service, Tag, TaggedArticle


@receiver(m2m_changed, sender=TaggedArticle)
def keep_search_document_in_step(sender, instance, action, **kwargs):
    """Tags are part of the search document; adding or removing one rewrites it."""
    if action in ("post_add", "post_remove", "post_clear") and hasattr(
        instance, "refresh_search_document"
    ):
        instance.refresh_search_document()


@receiver(post_save, sender=Article, dispatch_uid="newsroom.article_saved")
@receiver(post_delete, sender=Article, dispatch_uid="newsroom.article_deleted")
@receiver(post_save, sender=Service, dispatch_uid="newsroom.service_saved")
@receiver(post_delete, sender=Service, dispatch_uid="newsroom.service_deleted")
@receiver(post_save, sender=Tag, dispatch_uid="newsroom.tag_saved")
@receiver(post_delete, sender=Tag, dispatch_uid="newsroom.tag_deleted")
def site_changed(sender, **kwargs):
    """Publishing, editing or removing what lists and menus show renews every cached page.

    View counts are written with `update()`, which sends no signal: a read
    article does not empty the cache.
    """
    pagecache.touch(pagecache.SITE)


@receiver(m2m_changed, sender=TaggedArticle, dispatch_uid="newsroom.tags_changed")
def tags_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        pagecache.touch(pagecache.SITE)
