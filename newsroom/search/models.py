"""What search keeps besides the articles: the words they use, and editors' synonyms."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from newsroom.text import persian


class SearchWord(models.Model):
    """A word of the articles in the matching form, with the keys it is looked up by.

    Kept in step with the articles on every save (newsroom/search/words.py);
    a query word is looked up here to find the other forms of it that the
    articles use (same stem), and, when no article has it, the words it may
    be a slip for (same sound key, or one edit away).
    """

    word = models.CharField(_("word"), max_length=40, unique=True)
    stem = models.CharField(_("stem"), max_length=40, db_index=True)
    sound = models.CharField(_("sound key"), max_length=40, db_index=True)
    articles = models.PositiveIntegerField(_("articles that have it"), default=0)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self):
        return self.word


class Synonym(models.Model):
    """A reader's word or phrase and the official one it stands for («قبض» → «صورتحساب»).

    A query with the reader's word also finds the articles that use the
    official one. Both are compared in the matching form, so Arabic
    letters, ZWNJ and spaces between the parts of a word do not matter.
    """

    reader_words = models.CharField(
        _("reader's word"),
        max_length=100,
        help_text=_("What a reader may type, e.g. «قبض» or «حقوق بازنشستگی»."),
    )
    official_words = models.CharField(
        _("official word"),
        max_length=100,
        help_text=_("The word the articles use for it, e.g. «صورتحساب» or «مستمری»."),
    )
    reader_key = models.CharField(max_length=100, editable=False, db_index=True)
    official_key = models.CharField(max_length=100, editable=False)

    class Meta:
        verbose_name = _("synonym")
        verbose_name_plural = _("synonyms")
        ordering = ["reader_key", "official_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["reader_key", "official_key"], name="unique_synonym_pair"
            ),
        ]

    def __str__(self):
        return f"{self.reader_words} → {self.official_words}"

    def save(self, *args, **kwargs):
        self.reader_words = persian.fold(self.reader_words).strip()
        self.official_words = persian.fold(self.official_words).strip()
        self.reader_key = self.key_for(self.reader_words)
        self.official_key = self.key_for(self.official_words)
        super().save(*args, **kwargs)

    @staticmethod
    def key_for(text: str) -> str:
        """The matching form of a word or phrase: its words, one space apart."""
        return " ".join(persian.words(text))

    def clean(self):
        self.reader_words = persian.fold(self.reader_words).strip()
        self.official_words = persian.fold(self.official_words).strip()
        errors = {}
        if not self.key_for(self.reader_words):
            errors["reader_words"] = _("Type a word.")
        if not self.key_for(self.official_words):
            errors["official_words"] = _("Type a word.")
        if errors:
            raise ValidationError(errors)
        self.reader_key = self.key_for(self.reader_words)
        self.official_key = self.key_for(self.official_words)
        if self.reader_key == self.official_key:
            raise ValidationError(
                {"official_words": _("The official word is the reader's word itself.")}
            )
        pair = Synonym.objects.filter(reader_key=self.reader_key, official_key=self.official_key)
        if pair.exclude(pk=self.pk).exists():
            raise ValidationError({"official_words": _("This pair is in the list already.")})
