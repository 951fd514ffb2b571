from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models import TaggedArticle


@receiver(m2m_changed, sender=TaggedArticle)
def keep_search_document_in_step(sender, instance, action, **kwargs):
    """Tags are part of the search document; adding or removing one rewrites it."""
    if action in ("post_add", "post_remove", "post_clear") and hasattr(
        instance, "refresh_search_document"
    ):
        instance.refresh_search_document()
