"""What may be done to comments, with the rules that apply; views and the admin call these."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import learning, notifications, tracking
from .models import Comment, PostedRule
from .rules import (
    INSULT_MESSAGE,
    REFUSE,
    Verdict,
    check_comment,
    clean_text,
    find_blocked_term,
    load_rules,
)


@dataclass
class CommentRefused(Exception):
    """A comment the rules do not let through; `field` is where the reader sees why."""

    field: str | None
    message: str
    verdict: Verdict | None = None


def comments_close_at(article):
    """When comments on an article close by themselves, COMMENTS_OPEN_DAYS after publication.

    None when they never do: closed by the editor already, or no limit set.
    """
    days = settings.COMMENTS_OPEN_DAYS
    if not article.comments_open or not days:
        return None
    return article.published_at + timedelta(days=days)


def comments_are_open(article) -> bool:
    """Open when the editor left them open and the article is not older than the setting says."""
    if not article.comments_open:
        return False
    closing = comments_close_at(article)
    return closing is None or closing >= timezone.now()


def replyable_comment(*, article, comment_id):
    """The comment a reader may answer: approved, and under the same article; else None."""
    if not comment_id:
        return None
    return (
        Comment.objects.approved()
        .filter(article=article, pk=comment_id)
        .only("id", "name", "parent_id", "thread_id", "article_id")
        .first()
    )


def submit_comment(
    *, article, name, email, text, parent_id=None, ip_address=None, notify=False
) -> Comment:
    """Store a reader's comment as pending, or refuse it with the reason.

    The posting rules decide; a comment they hold (a possible accusation, an
    advert, contact details, a link) is stored with its flags for the
    moderator, like any other pending comment. A comment the rules refuse is
    kept apart for the moderator, never published. A stored comment has a
    tracking code for its reader, `comment.tracking_code`, known only now;
    `notify` asks for e-mail when it is published or answered.
    """
    try:
        return _store_comment(
            article=article,
            name=name,
            email=email,
            text=text,
            parent_id=parent_id,
            ip_address=ip_address,
            notify=bool(notify and email),
        )
    except CommentRefused as refusal:
        if refusal.verdict is not None:
            learning.record_refusal(
                article=article,
                name=name,
                email=email,
                text=text,
                verdict=refusal.verdict,
                parent_id=parent_id,
                ip_address=ip_address,
            )
        raise


def record_form_refusal(*, form, article, ip_address=None) -> None:
    """Keep what the comment form refused by the posting rules alone, for the moderator.

    Only a form whose every other check passed (the arithmetic question, the
    timing, the hidden field) is kept: machines filling forms are not news.
    """
    verdicts = getattr(form, "rule_refusals", {})
    if not verdicts or set(form.errors) - set(verdicts):
        return
    verdict = verdicts.get("text") or verdicts["name"]
    learning.record_refusal(
        article=article,
        name=form.data.get("name", ""),
        email=form.cleaned_data.get("email", ""),
        text=form.data.get("text", ""),
        verdict=verdict,
        parent_id=form.cleaned_data.get("parent"),
        ip_address=ip_address,
    )


@transaction.atomic
def _store_comment(*, article, name, email, text, parent_id, ip_address, notify) -> Comment:
    if not comments_are_open(article):
        raise CommentRefused(None, _("Comments on this article are closed."))
    parent = None
    if parent_id:
        parent = replyable_comment(article=article, comment_id=parent_id)
        if parent is None:
            raise CommentRefused(None, _("The comment you are replying to cannot be answered."))
    terms, exceptions = load_rules()
    insult = find_blocked_term(name, terms)
    if insult:
        # A name is shown beside the comment: the insult rule holds for it too.
        raise CommentRefused("name", INSULT_MESSAGE, name_verdict(insult))
    verdict = check_comment(text, terms=terms, exceptions=exceptions)
    if verdict.outcome == REFUSE:
        raise CommentRefused("text", verdict.message, verdict)
    return tracking.create_with_code(
        article=article,
        parent=parent,
        thread_id=(parent.thread_id or parent.pk) if parent else None,
        name=clean_text(name),
        email=email,
        notify=notify,
        text=clean_text(text),
        flags=" ".join(verdict.flags),
        flag_reason=verdict.reason,
        ip_address=ip_address,
    )


def name_verdict(insult) -> Verdict:
    """The verdict kept for a name refused as an insult."""
    term, written = insult
    return Verdict(REFUSE, "insult", INSULT_MESSAGE, ("insult", "name"), f"«{term}» ({written})")


# The posted rule a flag of the posting rules points to, for a refusal whose
# moderator named none: insults and accusations are the first rule; another
# language, adverts, links and contact details are the second (not Persian,
# or unrelated to the news).
_RULE_OF_FLAG = {
    "insult": PostedRule.INSULT,
    "accusation": PostedRule.INSULT,
    "advert": PostedRule.LANGUAGE,
    "contact": PostedRule.LANGUAGE,
    "link": PostedRule.LANGUAGE,
    "links": PostedRule.LANGUAGE,
    "language": PostedRule.LANGUAGE,
    "language-unsure": PostedRule.LANGUAGE,
}


def rule_broken(comment, status, rule=None) -> str:
    """The posted rule a comment not published broke: as the moderator said, or from its flags.

    Spam is unrelated to the news. A comment with no flag and no rule named
    has none: its reader is told it did not follow the rules, without which.
    """
    if status == Comment.Status.APPROVED:
        return ""
    if rule:
        return PostedRule(rule).value
    for flag in comment.flags.split():
        if flag in _RULE_OF_FLAG:
            return _RULE_OF_FLAG[flag].value
    return PostedRule.LANGUAGE.value if status == Comment.Status.SPAM else ""


@transaction.atomic
def moderate_comments(*, comments, status, moderator, rule=None, notify_readers=True) -> int:
    """Set the status of comments, recording who decided and when, also in the admin's log.

    A comment not published keeps the posted rule it broke (`rule`, or the
    one its flags point to) for its reader's tracking page. Readers who
    asked are e-mailed when their comment is published, unless the caller
    tells them itself (`notify_readers=False`: an answer that publishes).
    """
    changed = list(comments.exclude(status=status).select_related("article"))
    if not changed:
        return 0
    now = timezone.now()
    by_rule = {}
    for comment in changed:
        by_rule.setdefault(rule_broken(comment, status, rule), []).append(comment.pk)
    # The queryset's update() renews what shows these comments (comments.signals).
    for broken_rule, pks in by_rule.items():
        Comment.objects.filter(pk__in=pks).update(
            status=status, moderated_by=moderator, moderated_at=now, broken_rule=broken_rule
        )
    learning.on_moderated(changed, status)
    if status == Comment.Status.APPROVED and notify_readers:
        for comment in changed:
            notifications.comment_published(comment)
    LogEntry.objects.log_actions(
        user_id=moderator.pk,
        queryset=changed,
        action_flag=CHANGE,
        change_message=str(
            _("Status set to «%(status)s».") % {"status": Comment.Status(status).label}
        ),
        single_object=False,
    )
    return len(changed)


ANSWER_NEEDS_PUBLISHED_MESSAGE = _(
    "Only a published comment can be answered; ask a moderator to approve it first."
)


class AnswerRefused(Exception):
    """An official answer that may not be given: the comment is not published."""


def may_moderate(user) -> bool:
    """Deciding what is published is changing a comment; answering is a permission of its own."""
    return user.has_perm("comments.change_comment")


@transaction.atomic
def answer_officially(*, comment, text, staff) -> Comment:
    """An answer in the organisation's name, shown under the comment at once.

    An answer under an invisible comment would make no sense to readers, so
    the comment must be published. Only someone who may moderate publishes
    it by answering; anyone else (an editor) is refused, so that answering
    never becomes a way round moderation.
    """
    comment = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
    published_now = comment.status != Comment.Status.APPROVED
    if published_now:
        if not may_moderate(staff):
            raise AnswerRefused(ANSWER_NEEDS_PUBLISHED_MESSAGE)
        moderate_comments(
            comments=Comment.objects.filter(pk=comment.pk),
            status=Comment.Status.APPROVED,
            moderator=staff,
            notify_readers=False,
        )
    answer = Comment.objects.create(
        article=comment.article,
        parent=comment,
        thread_id=comment.thread_id or comment.pk,
        name=str(_("Public Relations")),
        text=clean_text(text),
        status=Comment.Status.APPROVED,
        is_official=True,
        moderated_by=staff,
        moderated_at=timezone.now(),
    )
    LogEntry.objects.log_actions(
        user_id=staff.pk,
        queryset=[answer],
        action_flag=ADDITION,
        change_message=[{"added": {}}],
        single_object=True,
    )
    notifications.comment_answered(comment, answer, published_now=published_now)
    return answer
