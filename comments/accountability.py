"""How quickly readers are heard: the figures the head of public relations asks for.

Pending now, the oldest pending comment's age, and the median time from
posting to a moderator's decision and to an official answer, over the last
7 and 30 days, overall and per service; and the readers' questions that
still have no official answer. For the charts: the same medians week by
week, unanswered questions by age, decisions per moderator.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from statistics import median

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from . import learning
from .models import Comment

PERIODS = (7, 30)
AGREEMENT_DAYS = 30


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


def _unanswered():
    """Readers' questions, published or waiting, that no official answer follows yet.

    Whether a comment is a question is read from its text when it is saved
    (`Comment.is_question`, by comments/questions.py), so this is one query.
    """
    answered = Comment.objects.filter(parent=OuterRef("pk"), is_official=True)
    return Comment.objects.filter(
        Q(status=Comment.Status.APPROVED) | Q(status=Comment.Status.PENDING),
        is_official=False,
        is_question=True,
    ).exclude(Exists(answered))


def unanswered_questions(*, limit=100):
    """The oldest unanswered questions first."""
    return list(_unanswered().select_related("article").order_by("created_at")[:limit])


# Ages of unanswered questions, as the chart groups them: (upper bound, label key).
AGE_BUCKETS = (
    (timedelta(days=1), "day"),
    (timedelta(days=3), "three-days"),
    (timedelta(days=7), "week"),
    (timedelta(days=28), "four-weeks"),
    (None, "older"),
)


def unanswered_by_age(*, now=None) -> list[tuple[str, int]]:
    """How many unanswered questions have waited less than a day, 1–3 days, … , in one query."""
    now = now or timezone.now()
    counts = {}
    lower = None
    for upper, key in AGE_BUCKETS:
        condition = Q()
        if upper is not None:
            condition &= Q(created_at__gt=now - upper)
        if lower is not None:
            condition &= Q(created_at__lte=now - lower)
        counts[key] = Count("pk", filter=condition)
        lower = upper
    found = _unanswered().aggregate(**counts)
    return [(key, found[key]) for _upper, key in AGE_BUCKETS]


@dataclass
class Week:
    start: date  # the Saturday it starts on, in Tehran
    moderation: timedelta | None = None
    moderated: int = 0
    answer: timedelta | None = None
    answered: int = 0


def week_start(moment):
    """The Saturday, in local time, that starts the Persian week of a moment."""
    day = timezone.localtime(moment).date()
    return day - timedelta(days=(day.weekday() - 5) % 7)


def weekly_medians(*, weeks=12, now=None) -> list[Week]:
    """Median time to a decision and to an answer, by the week the decision or answer came.

    A week counts what was decided in it, however long the comment had
    waited: counting by the week of posting would leave the slowest
    decisions out of the recent weeks, and make them look better.
    """
    now = now or timezone.now()
    current = week_start(now)
    starts = [current - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    since = timezone.make_aware(datetime.combine(starts[0], time.min))
    rows = {start: Week(start) for start in starts}
    decided = Comment.objects.filter(is_official=False, moderated_at__gte=since).values_list(
        "created_at", "moderated_at"
    )
    waits = {start: [] for start in starts}
    for posted_at, decided_at in decided.iterator():
        waits.setdefault(week_start(decided_at), []).append(decided_at - posted_at)
    first_answers = {}
    answers = Comment.objects.filter(
        is_official=True, parent__isnull=False, created_at__gte=since
    ).values_list("parent_id", "parent__created_at", "created_at")
    for parent_id, asked_at, answered_at in answers.iterator():
        if parent_id not in first_answers or answered_at < first_answers[parent_id][1]:
            first_answers[parent_id] = (asked_at, answered_at)
    answer_waits = {start: [] for start in starts}
    for asked_at, answered_at in first_answers.values():
        answer_waits.setdefault(week_start(answered_at), []).append(answered_at - asked_at)
    for start, week in rows.items():
        week.moderation, week.moderated = _median(waits[start]), len(waits[start])
        week.answer, week.answered = _median(answer_waits[start]), len(answer_waits[start])
    return list(rows.values())


@dataclass
class ModeratorDecisions:
    name: str
    approved: int = 0
    rejected: int = 0
    spam: int = 0

    @property
    def total(self):
        return self.approved + self.rejected + self.spam


def decisions_per_moderator(*, days=30, now=None) -> list[ModeratorDecisions]:
    """Readers' comments each moderator decided in the last days, by decision, in one query."""
    since = (now or timezone.now()) - timedelta(days=days)
    rows = (
        Comment.objects.filter(
            is_official=False, moderated_at__gte=since, moderated_by__isnull=False
        )
        .exclude(status=Comment.Status.PENDING)
        .values(
            "moderated_by",
            "moderated_by__username",
            "moderated_by__first_name",
            "moderated_by__last_name",
            "status",
        )
        .annotate(number=Count("pk"))
        .order_by()
    )
    found = {}
    for row in rows:
        full = f"{row['moderated_by__first_name']} {row['moderated_by__last_name']}".strip()
        decisions = found.setdefault(
            row["moderated_by"], ModeratorDecisions(full or row["moderated_by__username"])
        )
        setattr(decisions, row["status"], row["number"])
    return sorted(found.values(), key=lambda d: (-d.total, d.name))
