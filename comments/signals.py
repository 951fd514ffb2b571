"""When what readers see under an article changes: its section is rendered again, and pages follow.

`comments_changed` is called by `CommentQuerySet.update()`, through which
the moderation services decide, and by the model signals below, for
changes made one comment at a time (an official answer, a comment deleted
in the admin, the shell). It renews the version of the articles' comment
sections, which this app keeps in Django's cache itself
(comments/templatetags/comment_tags.py), and tells whoever keeps whole
pages through the articles domain's signal.
"""

import secrets

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from newsroom.articles.signals import article_comments_changed


def read_section(article_id, section_key):
    """The current version of an article's comment section, and the section kept at `section_key`.

    One round trip for both; the section kept is (its version, its HTML), or None.
    """
    key = _section_key(article_id)
    found = cache.get_many([key, section_key])
    token = found.get(key)
    if token is None:
        token = secrets.token_hex(4)
        if not cache.add(key, token, timeout=None):
            token = cache.get(key, token)
    return token, found.get(section_key)


def _section_key(article_id):
    return f"comments:section-version:{article_id}"


def comments_changed(article_ids):
    """The comments shown under these articles changed (approved, rejected, answered, deleted).

    The versions are renewed now and again once the transaction commits,
    so that a section rendered in between, from the comments as they were
    before, is not kept under the new version.
    """
    article_ids = set(article_ids)

    def renew():
        cache.set_many({_section_key(pk): secrets.token_hex(4) for pk in article_ids}, timeout=None)

    renew()
    transaction.on_commit(renew)
    article_comments_changed.send(sender="comments.Comment", article_ids=article_ids)


@receiver(post_save, sender="comments.Comment", dispatch_uid="comments.comment_saved")
def comment_saved(sender, instance, created, **kwargs):
    # A reader's new comment waits for a moderator: no page changes yet.
    # That is most saves during a busy hour, and they cost nothing here.
    if created and instance.status != sender.Status.APPROVED:
        return
    comments_changed([instance.article_id])


@receiver(post_delete, sender="comments.Comment", dispatch_uid="comments.comment_deleted")
def comment_deleted(sender, instance, **kwargs):
    comments_changed([instance.article_id])
