"""How approved comments are arranged for readers: pages of threads, answers first.

A thread is a top-level comment with its replies. Under each comment the
office's answer to it comes first («پاسخ روابط عمومی»), then readers'
replies, each followed by the office's answer to it. The article page shows
the first COMMENT_REPLIES_SHOWN readers' replies of each thread and links to
the thread's own page for the rest, so that one busy thread cannot make the
page long. Everything here takes a fixed number of queries, whatever the
number of comments.
"""

from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber

from .models import Comment

# The orders a reader may choose for top-level comments, by the value of `?order=`.
OLDEST = ""
LIKED = "liked"
ORDERS = (OLDEST, LIKED)

_SHOWN_FIELDS = (
    "id",
    "name",
    "text",
    "created_at",
    "is_official",
    "parent_id",
    "thread_id",
    "votes__likes",
    "votes__dislikes",
)


def order_of(value) -> str:
    """The order a query parameter asks for; the default for anything else."""
    return value if value in ORDERS else OLDEST


def _ordering(order):
    if order == LIKED:
        # Most liked first; of equals, the less disliked, then the older.
        return [
            Coalesce(F("votes__likes"), 0).desc(),
            Coalesce(F("votes__dislikes"), 0).asc(),
            "created_at",
            "pk",
        ]
    return ["created_at", "pk"]


def _readers_replies(approved):
    return approved.filter(thread=OuterRef("pk"), is_official=False)


def top_level(article, order=OLDEST):
    """The article's approved top-level comments in the reader's order, ready to be shown.

    Each carries `more_replies`, its readers' replies in all, and the
    article's counts, the same on every row: `approved_count` (every
    approved comment) and `answered_count` (comments the office answered).
    """
    approved = Comment.objects.approved().filter(article=article)
    answered = approved.filter(
        Exists(Comment.objects.approved().filter(parent=OuterRef("pk"), is_official=True))
    )
    return (
        approved.filter(parent=None)
        .select_related("votes")
        .only(*_SHOWN_FIELDS)
        .annotate(
            more_replies=Subquery(
                _readers_replies(approved)
                .order_by()
                .values("thread")
                .annotate(number=Count("pk"))
                .values("number"),
                output_field=IntegerField(),
            ),
            approved_count=Subquery(
                approved.order_by().values("article").annotate(number=Count("pk")).values("number")
            ),
            answered_count=Subquery(
                answered.order_by().values("article").annotate(number=Count("pk")).values("number")
            ),
        )
        .order_by(*_ordering(order))
    )


# The office's answers loaded per thread at most, on the article page: far
# more than it ever gives under one comment and its first replies.
ANSWERS_PER_THREAD = 20


@dataclass
class Thread:
    comment: Comment
    answers: list = field(default_factory=list)  # the office's answers to the comment
    replies: list = field(default_factory=list)  # (reply, its answers), readers' replies in time
    more: int = 0  # readers' replies not shown here

    @property
    def arranged(self):
        """Replies as shown: answers to the comment, then each reply followed by its answers."""
        shown = list(self.answers)
        for reply, answers in self.replies:
            shown.append(reply)
            shown.extend(answers)
        return shown


def threads_of(comments, *, replies_shown):
    """The threads of these top-level comments, with their replies, in one query.

    The first `replies_shown` readers' replies of each thread (None: all of
    them, on a thread's own page), and the office's answers to the comment
    and to those replies.
    """
    threads = {comment.pk: Thread(comment) for comment in comments}
    if not threads:
        return []
    replies = Comment.objects.approved().filter(thread__in=list(threads))
    if replies_shown is not None:
        # Readers' replies and the office's answers numbered apart, answers
        # to the comment itself first, and only the first of each kept.
        replies = replies.annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("thread"), F("is_official")],
                order_by=[
                    Case(
                        When(parent=F("thread"), then=Value(0)),
                        default=Value(1),
                        output_field=IntegerField(),
                    ).asc(),
                    F("created_at").asc(),
                    F("pk").asc(),
                ],
            ),
            kept=Case(
                When(is_official=True, then=Value(ANSWERS_PER_THREAD)),
                default=Value(replies_shown),
                output_field=IntegerField(),
            ),
        ).filter(place__lte=F("kept"))
    rows = list(
        replies.select_related("parent", "votes")
        .only(*_SHOWN_FIELDS, "parent__name")
        .order_by("created_at", "pk")
    )
    answers_to = {}
    for row in rows:
        if row.is_official:
            answers_to.setdefault(row.parent_id, []).append(row)
    for row in rows:
        thread = threads[row.thread_id]
        if row.is_official:
            if row.parent_id == thread.comment.pk:
                thread.answers.append(row)
        else:
            thread.replies.append((row, answers_to.get(row.pk, [])))
    for thread in threads.values():
        total = getattr(thread.comment, "more_replies", None) or 0
        thread.more = max(total - len(thread.replies), 0)
    return list(threads.values())


def answered_comments(article):
    """Readers' comments on the article that the office answered, the latest answered first."""
    latest_answer = (
        Comment.objects.approved()
        .filter(parent=OuterRef("pk"), is_official=True)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return (
        Comment.objects.approved()
        .filter(article=article, is_official=False)
        .annotate(answered_at=Subquery(latest_answer))
        .filter(answered_at__isnull=False)
        .select_related("votes")
        .only(*_SHOWN_FIELDS)
        .order_by("-answered_at", "-pk")
    )


def answers_to(comments):
    """The office's answers to these comments, oldest first, in one query."""
    found = {comment.pk: [] for comment in comments}
    rows = (
        Comment.objects.approved()
        .filter(parent__in=list(found), is_official=True)
        .select_related("votes")
        .only(*_SHOWN_FIELDS)
        .order_by("created_at", "pk")
    )
    for answer in rows:
        found[answer.parent_id].append(answer)
    return found
