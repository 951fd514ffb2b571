"""How quickly readers are heard: the figures the head of public relations asks for.

Pending now, the oldest pending comment's age, and the median time from
posting to a moderator's decision and to an official answer, over the last
7 and 30 days, overall and per service; and the readers' questions that
still have no official answer.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from newsroom.text import persian

from . import learning
from .models import Comment

PERIODS = (7, 30)
AGREEMENT_DAYS = 30

# Words a Persian question starts with, in the matching form.
QUESTION_WORDS = frozenset(
    persian.normalize(word)
    for word in (
        "چرا",
        "چه",
        "چگونه",
        "چطور",
        "کی",
        "کجا",
        "کدام",
        "آیا",
        "چقدر",
        "چند",
        "چندم",
        "مگر",
        "کو",
        "چی",
        "چیست",
        "کیست",
    )
)
_FIRST_WORD_RE = re.compile(r"\w+")


def is_question(text: str) -> bool:
    """A reader's question: it ends with a question mark or starts with a question word."""
    text = (text or "").strip()
    if text.endswith(("؟", "?")):
        return True
    first = _FIRST_WORD_RE.search(persian.normalize(text))
    return bool(first) and first.group(0) in QUESTION_WORDS


@dataclass
class Medians:
    moderation: timedelta | None = None
    answer: timedelta | None = None
    moderated: int = 0
    answered: int = 0


@dataclass
class Report:
    pending: int
    oldest_pending: timedelta | None
    overall: dict[int, Medians] = field(default_factory=dict)
    by_service: dict[str, dict[int, Medians]] = field(default_factory=dict)
    unanswered_questions: list[Comment] = field(default_factory=list)
    # Per posting rule, how often moderators agreed with it (comments/learning.py).
    rule_agreement: list = field(default_factory=list)


def _median(durations):
    return median(durations) if durations else None


def accountability_report(*, now=None, question_limit=100) -> Report:
    now = now or timezone.now()
    pending = Comment.objects.pending().filter(is_official=False)
    oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
    report = Report(pending=pending.count(), oldest_pending=(now - oldest) if oldest else None)

    since = now - timedelta(days=max(PERIODS))
    readers = Comment.objects.filter(is_official=False, created_at__gte=since)
    moderated = list(
        readers.filter(moderated_at__isnull=False).values_list(
            "created_at", "moderated_at", "article__service__name"
        )
    )
    answers = list(
        Comment.objects.filter(
            is_official=True, parent__isnull=False, parent__created_at__gte=since
        ).values_list("parent__created_at", "created_at", "article__service__name")
    )
    services = sorted({row[2] for row in moderated} | {row[2] for row in answers})
    for days in PERIODS:
        start = now - timedelta(days=days)
        report.overall[days] = _medians(moderated, answers, start)
        for service in services:
            report.by_service.setdefault(service, {})[days] = _medians(
                [row for row in moderated if row[2] == service],
                [row for row in answers if row[2] == service],
                start,
            )
    report.unanswered_questions = unanswered_questions(limit=question_limit)
    report.rule_agreement = learning.agreement(days=AGREEMENT_DAYS)
    return report


def _medians(moderated, answers, start):
    moderation = [done - posted for posted, done, _service in moderated if posted >= start]
    answer = [done - posted for posted, done, _service in answers if posted >= start]
    return Medians(
        moderation=_median(moderation),
        answer=_median(answer),
        moderated=len(moderation),
        answered=len(answer),
    )


def unanswered_questions(*, limit=100):
    """Readers' questions, published or waiting, that no official answer follows yet."""
    answered = Comment.objects.filter(parent=OuterRef("pk"), is_official=True)
    candidates = (
        Comment.objects.filter(
            Q(status=Comment.Status.APPROVED) | Q(status=Comment.Status.PENDING),
            is_official=False,
        )
        .exclude(Exists(answered))
        .select_related("article")
        .order_by("created_at")
    )
    questions = []
    # Questions are told apart in Python (Persian question words are not a
    # SQL pattern); the oldest come first, so the scan stops at the limit.
    for comment in candidates.iterator(chunk_size=500):
        if is_question(comment.text):
            questions.append(comment)
            if len(questions) >= limit:
                break
    return questions
