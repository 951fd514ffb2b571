from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from newsroom.models import Article
from newsroom.text import persian

from .signals import comments_changed


class CommentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """`QuerySet.update()`, which sends no model signal, renewing what shows the comments."""
        article_ids = set(self.values_list("article_id", flat=True))
        count = super().update(**kwargs)
        if count:
            comments_changed(article_ids)
        return count

    def approved(self):
        """What readers may see: approved comments on published articles."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        return self.filter(status=Comment.Status.PENDING)


class PostedRule(models.TextChoices):
    """The two rules printed above the comment form, as readers read them.

    A moderator who does not publish a comment names the one it broke; the
    reader sees that text on the tracking page, never the moderator's reasons.
    """

    INSULT = (
        "insult",
        _(
            "Comments containing insults or any false accusation against natural or legal persons "
            "are not published."
        ),
    )
    LANGUAGE = (
        "language",
        _("Comments in a language other than Persian or unrelated to the news are not published."),
    )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        SPAM = "spam", _("spam")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=50)
    email = models.EmailField(_("e-mail"), blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    thread = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="thread_replies",
        editable=False,
        help_text=_("The top-level comment a reply belongs under, however deep it is."),
    )
    flags = models.CharField(
        _("flags"),
        max_length=100,
        blank=True,
        help_text=_("What the posting rules noticed, for the moderator (space-separated)."),
    )
    flag_reason = models.TextField(_("why it was flagged"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_comments",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    is_official = models.BooleanField(
        _("official answer"),
        default=False,
        help_text=_("An answer in the organisation's name."),
    )
    # What the reader keeps to follow the comment (comments/tracking.py): only
    # its digest is stored, so the code itself is shown once, to its reader.
    tracking_digest = models.CharField(
        _("tracking code digest"),
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        editable=False,
    )
    notify = models.BooleanField(
        _("reader asked for e-mail"),
        default=False,
        help_text=_("E-mail the reader when the comment is published or answered."),
    )
    broken_rule = models.CharField(
        _("posted rule broken"),
        max_length=10,
        choices=PostedRule.choices,
        blank=True,
        help_text=_(
            "When the comment is not published: the rule printed above the form that it broke, "
            "shown to the reader on the tracking page."
        ),
    )
    # The text in the rules' matching form, hashed: comments with the same
    # one are near-identical and can be decided together (comments/grouping.py).
    likeness = models.CharField(_("likeness"), max_length=32, blank=True, editable=False)
    is_question = models.BooleanField(_("question"), default=False, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        # Editors answer readers in the organisation's name without deciding
        # what is published; deciding is changing a comment.
        permissions = [("answer_comment", _("Can answer comments officially"))]
        indexes = [
            models.Index(fields=["article", "status", "created_at"], name="comment_article_status"),
            models.Index(fields=["status", "created_at"], name="comment_status_created"),
            models.Index(fields=["status", "likeness"], name="comment_status_likeness"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"
            ),
        ]

    def __str__(self):
        return f"{self.name}: {self.text[:40]}"

    def save(self, *args, **kwargs):
        # Both are read from the text, which a reader's comment never changes.
        from .grouping import likeness
        from .questions import is_question

        if self.text and not self.likeness and not self.is_official:
            self.likeness = likeness(self.text)
            self.is_question = is_question(self.text)
        super().save(*args, **kwargs)

    # Readers' votes, 0 where there is none; pages read them with
    # `select_related("votes")`, so that they cost no query of their own.
    @property
    def like_count(self):
        return getattr(getattr(self, "votes", None), "likes", 0)

    @property
    def dislike_count(self):
        return getattr(getattr(self, "votes", None), "dislikes", 0)


class CommentVotes(models.Model):
    """Readers' likes and dislikes of a comment, kept apart from the comment.

    A vote changes only this row: the comment, and so the pages that show
    it, stay as they were; the counts reach readers through their own small
    JSON address (comments/votes.py).
    """

    comment = models.OneToOneField(
        Comment,
        verbose_name=_("comment"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="votes",
    )
    likes = models.PositiveIntegerField(_("likes"), default=0)
    dislikes = models.PositiveIntegerField(_("dislikes"), default=0)

    class Meta:
        verbose_name = _("readers' votes")
        verbose_name_plural = _("readers' votes")

    def __str__(self):
        return f"+{self.likes} -{self.dislikes}"


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, now):
        """Waiting to be sent and due now, not being sent by another process."""
        return self.filter(
            sent_at=None,
            given_up_at=None,
            next_attempt_at__lte=now,
        ).filter(Q(claimed_until=None) | Q(claimed_until__lt=now))

    def waiting(self):
        return self.filter(sent_at=None, given_up_at=None)


class OutgoingEmail(models.Model):
    """An e-mail to send, kept until it is sent (comments/outbox.py).

    Requests only add rows; sending happens outside them, is retried with
    growing pauses, and an e-mail that could not be sent after every attempt
    stays here, marked, for an operator to see and send again.
    """

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("comment published")
        ANSWERED = "answered", _("comment answered")
        DIGEST = "digest", _("moderation digest")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    # One e-mail per event: approving a comment twice tells its reader once.
    event = models.CharField(_("event"), max_length=60, unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    claimed_until = models.DateTimeField(_("being sent until"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    given_up_at = models.DateTimeField(_("given up"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return f"{self.to}: {self.subject}"


class BlockedTerm(models.Model):
    """A word or phrase that keeps a comment from being published, or holds it.

    Matched on whole words in the matching form, never inside another word:
    with its endings, sound-alike spellings and look-alike letters, unless it
    asks for its exact spelling.
    """

    class Kind(models.TextChoices):
        INSULT = "insult", _("insult (refused)")
        ACCUSATION = "accusation", _("possible accusation (held)")
        ADVERT = "advert", _("advert (held)")

    term = models.CharField(
        _("term"),
        max_length=100,
        help_text=_(
            "A word or phrase in its base form; endings, sound-alike spellings and split "
            "forms are matched too. A phrase ending in an infinitive («رشوه گرفتن») matches "
            "the verb's forms."
        ),
    )
    key = models.CharField(_("matching form"), max_length=100, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.INSULT)
    exact = models.BooleanField(
        _("exact spelling"),
        default=False,
        help_text=_(
            "Match this spelling only, without sound-alike letters or «آ» read as «ا»: "
            "«آشغال» must not match «اشغال»."
        ),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["term"]
        verbose_name = _("blocked term")
        verbose_name_plural = _("blocked terms")

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = persian.fold(self.term).strip()
        self.key = persian.normalize(self.term)
        super().save(*args, **kwargs)


class RuleException(models.Model):
    """A phrase the rules must leave alone, proposed when a moderator overrules them.

    A comment the rules held and a moderator approved, or a refusal a
    moderator sent to the queue, proposes the words that matched with their
    neighbours; once a moderator confirms it, the phrase is innocent
    everywhere, as «هیچ کس» is.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        CONFIRMED = "confirmed", _("confirmed")
        DISMISSED = "dismissed", _("dismissed")

    phrase = models.CharField(_("phrase"), max_length=200)
    rule = models.CharField(_("rule"), max_length=30)
    term = models.CharField(_("term that matched"), max_length=100, blank=True)
    example = models.TextField(_("example"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("rule exception")
        verbose_name_plural = _("rule exceptions")
        constraints = [
            models.UniqueConstraint(fields=["phrase", "rule"], name="rule_exception_unique"),
        ]

    def __str__(self):
        return self.phrase


class RefusalQuerySet(models.QuerySet):
    def expired(self, days):
        from django.utils import timezone

        return self.filter(created_at__lt=timezone.now() - timezone.timedelta(days=days))


class Refusal(models.Model):
    """A comment the rules refused, kept for the moderator for a limited time; never published."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="refusals",
        null=True,
        blank=True,
    )
    parent_id_sent = models.PositiveBigIntegerField(_("in reply to"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    text = models.TextField(_("text"))
    rule = models.CharField(_("rule"), max_length=30)
    flags = models.CharField(_("flags"), max_length=100, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("refused"), auto_now_add=True, db_index=True)
    sent_to_queue_at = models.DateTimeField(_("sent to the queue"), null=True, blank=True)
    comment = models.ForeignKey(
        Comment,
        verbose_name=_("comment made of it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = RefusalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("refused comment")
        verbose_name_plural = _("refused comments")

    def __str__(self):
        return self.text[:40]
