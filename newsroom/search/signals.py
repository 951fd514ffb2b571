"""Keeping the word index and the cached searches in step with the articles and synonyms."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from newsroom.models import Article, TaggedArticle
from newsroom.search import engine, words
from newsroom.search.models import Synonym


@receiver(pre_save, sender=Article, dispatch_uid="newsroom.search.article_saving")
def remember_the_words_before(sender, instance, raw=False, **kwargs):
    """The document as stored, before this save replaces it."""
    before = ""
    if instance.pk and not raw:
        before = (
            Article.objects.filter(pk=instance.pk).values_list("search_document", flat=True).first()
        ) or ""
    instance._search_document_before = before


@receiver(post_save, sender=Article, dispatch_uid="newsroom.search.article_saved")
def count_the_words_of_a_saved_article(sender, instance, raw=False, **kwargs):
    if raw:
        return
    words.record_change(getattr(instance, "_search_document_before", ""), instance.search_document)
    instance._search_document_before = instance.search_document
    engine.forget_searches()


@receiver(post_delete, sender=Article, dispatch_uid="newsroom.search.article_deleted")
def uncount_the_words_of_a_deleted_article(sender, instance, **kwargs):
    words.record_change(instance.search_document, "")
    engine.forget_searches()


@receiver(m2m_changed, sender=TaggedArticle, dispatch_uid="newsroom.search.tags_changed")
def count_the_words_of_tags(sender, instance, action, **kwargs):
    """Tags are part of the search document (newsroom/articles/signals.py rewrites it)."""
    if not isinstance(instance, Article):
        if action.startswith("post_"):
            engine.forget_searches()
        return
    if action.startswith("pre_"):
        instance._search_document_before = instance.search_document
    elif action.startswith("post_"):
        # The articles' own receiver, connected first, has rewritten the document.
        before = getattr(instance, "_search_document_before", instance.search_document)
        words.record_change(before, instance.search_document)
        instance._search_document_before = instance.search_document
        engine.forget_searches()


@receiver(post_save, sender=Synonym, dispatch_uid="newsroom.search.synonym_saved")
@receiver(post_delete, sender=Synonym, dispatch_uid="newsroom.search.synonym_deleted")
def synonyms_changed(sender, **kwargs):
    words.forget_synonyms()
    engine.forget_searches()
