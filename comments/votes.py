"""Readers' likes and dislikes of comments, without making the article page per reader.

- One vote per reader and comment, a like or a dislike: the reader's votes
  are kept in a signed cookie (`comment_votes`, «12l.40d»), which the
  server trusts for what this reader voted before, and the page's script
  reads (its value is readable; the signature only proves we wrote it) to
  show the reader's own votes as pressed. Voting again the same way takes
  the vote back; the other way moves it.
- A reader who clears the cookie could vote again: per-address limits
  bound that (`COMMENT_VOTE_RATE` in all, `COMMENT_VOTES_PER_COMMENT_RATE`
  on one comment).
- Counts live in `CommentVotes`, apart from the comment, so a vote renews
  no page: the article page, shared by every reader and cached whole,
  shows the counts it was rendered with, and its script refreshes them
  from a small JSON answer (`counts_of`) kept a few seconds for everyone.
- A vote never shows or hides a comment: only approved comments can be
  voted on, and only a moderator changes what is approved.
"""

import re
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import Case, F, When

from .models import Comment, CommentVotes

LIKE, DISLIKE = "like", "dislike"
VALUES = (LIKE, DISLIKE)
_FIELD = {LIKE: "likes", DISLIKE: "dislikes"}
_LETTER = {LIKE: "l", DISLIKE: "d"}
_VALUE_OF_LETTER = {letter: value for value, letter in _LETTER.items()}

COOKIE = "comment_votes"
SALT = "comments.votes"
COOKIE_MAX_AGE = 365 * 24 * 3600
# Kept in the cookie, the latest last: about 2.5 KB, under browsers' 4 KB.
REMEMBERED = 300
_ENTRY_RE = re.compile(r"^(\d{1,18})([ld])$")

# The counts of an article's comments are read at most this often for all readers.
COUNTS_SECONDS = 5


def read_cookie(request) -> dict[int, str]:
    """The reader's votes, comment id → like or dislike, from their signed cookie."""
    value = request.get_signed_cookie(COOKIE, default="", salt=SALT)
    votes = {}
    for entry in value.split("."):
        match = _ENTRY_RE.match(entry)
        if match:
            votes[int(match.group(1))] = _VALUE_OF_LETTER[match.group(2)]
    return votes


def write_cookie(response, votes: dict[int, str], *, secure: bool) -> None:
    entries = [f"{pk}{_LETTER[value]}" for pk, value in votes.items()][-REMEMBERED:]
    response.set_signed_cookie(
        COOKIE,
        ".".join(entries),
        salt=SALT,
        max_age=COOKIE_MAX_AGE,
        secure=secure,
        httponly=False,  # the page's script shows the reader's own votes
        samesite="Lax",
    )


def votable(comment_id):
    """The approved comment a reader may vote on, or None."""
    return (
        Comment.objects.approved()
        .filter(pk=comment_id)
        .select_related("article")
        .only("id", "article_id", "thread_id", "created_at", "article__code")
        .first()
    )


@transaction.atomic
def cast_vote(*, comment, value, previous=None) -> tuple[str | None, CommentVotes]:
    """Record a reader's vote; their vote now (None when taken back) and the counts.

    `previous` is what this reader voted on the comment before, from their
    cookie. The same vote again takes it back; the other one replaces it.
    """
    if value not in VALUES:
        raise ValueError(value)
    CommentVotes.objects.get_or_create(comment_id=comment.pk)
    changes = {}
    if previous == value:
        now = None
        changes[_FIELD[value]] = _less(_FIELD[value])
    else:
        now = value
        changes[_FIELD[value]] = F(_FIELD[value]) + 1
        if previous in VALUES:
            changes[_FIELD[previous]] = _less(_FIELD[previous])
    CommentVotes.objects.filter(pk=comment.pk).update(**changes)
    return now, CommentVotes.objects.get(pk=comment.pk)


def _less(name):
    # Never below zero, whatever a stale cookie says.
    return Case(When(**{f"{name}__gt": 0}, then=F(name) - 1), default=0)


def counts_of(article) -> dict:
    """Likes and dislikes of the article's approved comments that have any, by comment id,
    and `at`, when they were counted.

    Kept COUNTS_SECONDS in the shared cache: however many readers' pages
    ask, the database is asked once in that time. So the counts may be a few
    seconds older than a reader's own vote; the page's script knows when
    both were counted (`at`) and keeps the newer.
    """
    key = f"comments:votes:{article.pk}"
    found = cache.get(key)
    if found is None:
        rows = CommentVotes.objects.filter(
            comment__article=article, comment__status=Comment.Status.APPROVED
        ).exclude(likes=0, dislikes=0)
        found = {
            "at": time.time(),
            "counts": {
                str(pk): [likes, dislikes]
                for pk, likes, dislikes in rows.values_list("comment_id", "likes", "dislikes")
            },
        }
        cache.set(key, found, COUNTS_SECONDS)
    return found
