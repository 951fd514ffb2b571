"""Which e-mails comments cause, and what they say (in Persian); comments/outbox.py sends them.

- A reader who left an e-mail address and asked to be told hears once when
  the comment is published and once for each official answer; an answer
  that publishes the comment says both in one e-mail.
- Moderators, when `MODERATION_DIGEST` is on, get the waiting queue in one
  e-mail each time `manage.py commentdigest` runs.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Max, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from newsroom.text.persian import to_persian_digits

from .models import Comment, OutgoingEmail
from .outbox import enqueue
from .tracking import comment_link


def _in_persian(render):
    with translation.override(settings.LANGUAGE_CODE):
        return render()


def _body(template, context):
    return _in_persian(
        lambda: render_to_string(
            template,
            {**context, "site_url": settings.SITE_URL, "site_name": settings.SITE_NAME},
        )
    )


def wants_email(comment) -> bool:
    return bool(comment.notify and comment.email and not comment.is_official)


def comment_published(comment) -> None:
    """Tell the reader their comment is published, if they asked."""
    if not wants_email(comment):
        return
    enqueue(
        kind=OutgoingEmail.Kind.PUBLISHED,
        to=comment.email,
        subject=_in_persian(lambda: gettext("Your comment has been published")),
        body=_body(
            "comments/email/published.txt",
            {"comment": comment, "link": settings.SITE_URL + comment_link(comment)},
        ),
        event=f"published:{comment.pk}",
    )


def comment_answered(comment, answer, *, published_now=False) -> None:
    """Tell the reader the office answered, and that the comment is published if it just was."""
    if not wants_email(comment):
        return
    enqueue(
        kind=OutgoingEmail.Kind.ANSWERED,
        to=comment.email,
        subject=_in_persian(lambda: gettext("Public Relations has answered your comment")),
        body=_body(
            "comments/email/answered.txt",
            {
                "comment": comment,
                "answer": answer,
                "published_now": published_now,
                "link": settings.SITE_URL + comment_link(answer),
            },
        ),
        event=f"answered:{answer.pk}",
    )


def moderators_with_email():
    """Active staff who may decide on comments and have an e-mail address."""
    permission = Permission.objects.get(
        content_type__app_label="comments", codename="change_comment"
    )
    users = get_user_model().objects.filter(is_active=True, is_staff=True).exclude(email="")
    return users.filter(
        Q(is_superuser=True) | Q(user_permissions=permission) | Q(groups__permissions=permission)
    ).distinct()


DIGEST_ARTICLES = 10


def moderation_digest(*, now=None) -> int:
    """E-mail every moderator the waiting queue; how many e-mails were added (0: nothing waits)."""
    now = now or timezone.now()
    pending = Comment.objects.pending().filter(is_official=False)
    summary = pending.aggregate(count=Count("pk"), oldest=Min("created_at"))
    if not summary["count"]:
        return 0
    articles = (
        pending.values("article__code", "article__title")
        .annotate(waiting=Count("pk"), latest=Max("created_at"))
        .order_by("-waiting", "-latest")[:DIGEST_ARTICLES]
    )
    groups = (
        pending.exclude(likeness="")
        .values("likeness")
        .annotate(size=Count("pk"))
        .filter(size__gt=1)
        .count()
    )
    body = _body(
        "comments/email/digest.txt",
        {
            "count": summary["count"],
            "oldest_age": now - summary["oldest"],
            "articles": list(articles),
            "groups": groups,
            "queue_url": settings.SITE_URL
            + reverse("admin:comments_comment_changelist")
            + "?status__exact=pending",
        },
    )
    subject = _in_persian(
        lambda: (
            gettext("Comments waiting for moderation: %(count)s")
            % {"count": to_persian_digits(summary["count"])}
        )
    )
    sent = 0
    stamp = now.strftime("%Y%m%d%H%M")
    for moderator in moderators_with_email():
        added = enqueue(
            kind=OutgoingEmail.Kind.DIGEST,
            to=moderator.email,
            subject=subject,
            body=body,
            event=f"digest:{moderator.pk}:{stamp}",
        )
        sent += added is not None
    return sent
