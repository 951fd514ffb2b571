"""Cached article pages follow their comments: when what readers see changes, they render again."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsroom.delivery import pagecache
from newsroom.models import Article

from .models import Comment


def comments_changed(article_ids):
    """The pages of these articles show other comments now."""
    codes = Article.objects.filter(pk__in=set(article_ids)).values_list("code", flat=True)
    pagecache.touch(*(pagecache.comments_topic(code) for code in codes))


@receiver(post_save, sender=Comment, dispatch_uid="comments.comment_saved")
def comment_saved(sender, instance, created, **kwargs):
    # A reader's new comment waits for a moderator: no page changes yet.
    # That is most saves during a busy hour, and they cost nothing here.
    if created and instance.status != Comment.Status.APPROVED:
        return
    comments_changed([instance.article_id])


@receiver(post_delete, sender=Comment, dispatch_uid="comments.comment_deleted")
def comment_deleted(sender, instance, **kwargs):
    comments_changed([instance.article_id])
