"""Tracking codes: how a reader follows a comment without an account.

A code is 12 random digits, made with `secrets`, shown once to the reader
who posted (on the page that confirms the comment, never on the article
page every reader shares) and stored only as a digest. The reader types it
back, in Persian, Arabic or Latin digits, with or without spaces, at
`/comments/track/`.

Why 12 digits: 10¹² codes. Lookups that find nothing are limited per
address (an IPv6 /64), `COMMENT_TRACK_RATE`, 10 an hour by default, so one
address can try 240 codes a day. Even with a million comments on file, a
guess finds one with a chance of one in a million: a thousand addresses
guessing all day find about one comment every four days, and learn only
whether an unknown comment was published. Shorter codes would be easier to
copy by hand but give such guessers too much; longer ones buy little.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.http import urlencode

from newsroom.text import persian

from .models import Comment

CODE_DIGITS = 12
_GROUP = 4
# What a reader may type between the digits: spaces of any kind, dashes, dots.
_SEPARATORS_RE = re.compile(r"[\s\u200c\u200f\u200e\u00a0\-_.\u2010-\u2015\u2212/]+")


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def digest(code: str) -> str:
    return hashlib.sha256(f"comments.tracking:{code}".encode()).hexdigest()


def typed_code(text: str) -> str | None:
    """The code a reader typed, in ASCII digits; None when it is not one."""
    digits = persian.to_ascii_digits(_SEPARATORS_RE.sub("", persian.strip_invisible(text or "")))
    if len(digits) != CODE_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return digits


def shown(code: str) -> str:
    """The code as readers see it: Persian digits in groups of four, «۰۴۸۲ ۱۹۰۳ ۳۱۷۵»."""
    groups = [code[i : i + _GROUP] for i in range(0, len(code), _GROUP)]
    return persian.to_persian_digits(" ".join(groups))


def create_with_code(**fields) -> Comment:
    """Create a reader's comment with a new tracking code, kept on it as `tracking_code`.

    Two comments drawing the same code is a one-in-a-million chance per
    million comments; the database refuses the second, and it draws again.
    """
    for _attempt in range(5):
        code = new_code()
        try:
            with transaction.atomic():
                comment = Comment.objects.create(tracking_digest=digest(code), **fields)
        except IntegrityError:
            if Comment.objects.filter(tracking_digest=digest(code)).exists():
                continue
            raise
        comment.tracking_code = code
        return comment
    raise RuntimeError("no free tracking code after five draws")


@dataclass
class TrackedComment:
    """What the tracking page tells a reader about their own comment."""

    comment: Comment
    state: str  # "pending" | "published" | "not-published"
    link: str = ""  # where the comment is shown, when it is
    rule: str = ""  # the posted rule it broke, when it is not published
    answers: list[Comment] = field(default_factory=list)


def find_comment(code: str) -> TrackedComment | None:
    """The comment a code belongs to, with its state; None for a code of no comment."""
    comment = (
        Comment.objects.filter(tracking_digest=digest(code), is_official=False)
        .select_related("article", "article__service")
        .first()
    )
    if comment is None:
        return None
    if comment.status == Comment.Status.PENDING:
        return TrackedComment(comment, "pending")
    if comment.status != Comment.Status.APPROVED:
        rule = comment.get_broken_rule_display() if comment.broken_rule else ""
        return TrackedComment(comment, "not-published", rule=rule)
    answers = list(
        Comment.objects.approved().filter(parent=comment, is_official=True).order_by("created_at")
    )
    link = comment_link(comment) if comment.article.is_published else ""
    return TrackedComment(comment, "published", link=link, answers=answers)


def comment_link(comment: Comment) -> str:
    """The address of the page of the article's comments where this comment is shown.

    Top-level comments are shown oldest first, COMMENTS_PER_PAGE a page, each
    with its replies; a reply is on its thread's page.
    """
    top = comment if comment.thread_id is None else comment.thread
    earlier = (
        Comment.objects.approved()
        .filter(article_id=comment.article_id, parent=None)
        .filter(Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, pk__lt=top.pk))
        .count()
    )
    number = earlier // settings.COMMENTS_PER_PAGE + 1
    query = f"?{urlencode({'comments': number})}" if number > 1 else ""
    return f"{comment.article.get_absolute_url()}{query}#comment-{comment.pk}"
