"""What the rules keep for moderators and learn from them.

- Refusals: every comment the rules refused is kept (text, rule, reason,
  time, address) for `COMMENT_REFUSALS_KEEP_DAYS` days, never published; a
  moderator can send a wrong one to the queue.
- Exceptions: a comment the rules held that a moderator approved, or a
  refusal sent back, proposes the phrase that matched as an exception.
- Suggestions: words frequent in rejected comments and rare in approved
  ones, in the matching form, with counts and examples.
- Agreement: per rule, how often moderators agreed with it.
"""

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import letters, lexicon, matching, morphology
from .models import BlockedTerm, Comment, Refusal, RuleException

logger = logging.getLogger(__name__)

_PURGE_KEY = "comments:refusals:purged"
_PURGE_EVERY_SECONDS = 3600


def keep_days() -> int:
    return settings.COMMENT_REFUSALS_KEEP_DAYS


# ---------------------------------------------------------------------------
# Refusals


def record_refusal(*, article, name, email, text, verdict, parent_id=None, ip_address=None):
    """Keep a refused comment for the moderator; expired ones go now and then."""
    refusal = Refusal.objects.create(
        article=article,
        parent_id_sent=parent_id or None,
        name=(name or "")[:200],
        email=email or "",
        text=text,
        rule=verdict.rule,
        flags=" ".join(verdict.flags),
        reason=verdict.reason,
        ip_address=ip_address,
    )
    purge_now_and_then()
    return refusal


def purge_expired_refusals() -> int:
    """Delete the refusals older than the setting allows; how many went."""
    deleted, _details = Refusal.objects.expired(keep_days()).delete()
    return deleted


def purge_now_and_then():
    """Purge at most once an hour across all workers, on the way of a refusal."""
    try:
        due = cache.add(_PURGE_KEY, 1, _PURGE_EVERY_SECONDS)
    except Exception:
        due = False
    if due:
        purge_expired_refusals()


@transaction.atomic
def send_to_queue(*, refusal: Refusal, moderator) -> Comment | None:
    """A wrong refusal becomes a pending comment, flagged, and proposes an exception."""
    if refusal.sent_to_queue_at or refusal.article_id is None:
        return None
    parent = None
    if refusal.parent_id_sent:
        parent = Comment.objects.filter(pk=refusal.parent_id_sent, article=refusal.article).first()
    comment = Comment.objects.create(
        article=refusal.article,
        parent=parent,
        thread_id=(parent.thread_id or parent.pk) if parent else None,
        name=refusal.name[:50] or "-",
        email=refusal.email,
        text=refusal.text,
        flags=" ".join(["returned", *refusal.flags.split()])[:100],
        flag_reason=gettext("Refused by the rules, sent to the queue by %(user)s. %(reason)s")
        % {"user": moderator.get_username(), "reason": refusal.reason},
        ip_address=refusal.ip_address,
    )
    refusal.sent_to_queue_at = timezone.now()
    refusal.comment = comment
    refusal.save(update_fields=["sent_to_queue_at", "comment"])
    propose_exceptions(text=refusal.text, rule=refusal.rule)
    return comment


# ---------------------------------------------------------------------------
# Exceptions


def propose_exceptions(*, text: str, rule: str) -> list[RuleException]:
    """Propose, as exceptions, the phrases of a text that made the rules act wrongly.

    The matched words with a word on each side: an exception for «رشوه» alone
    would switch the term off; «با رشوه مبارزه» keeps it for other texts.
    """
    from .rules import load_rules

    terms, exceptions = load_rules()
    words = matching.words_of(text)
    proposed = []
    for match in matching.find_terms(text, terms, exceptions):
        phrase = _with_context(words, match.written.split())
        if not phrase:
            continue
        exception, _created = RuleException.objects.get_or_create(
            phrase=phrase,
            rule=match.term.kind,
            defaults={"term": match.term.term, "example": text[:500]},
        )
        proposed.append(exception)
    return proposed


def _with_context(words, written):
    for i in range(len(words) - len(written) + 1):
        if words[i : i + len(written)] == written:
            return " ".join(words[max(0, i - 1) : i + len(written) + 1])
    return " ".join(written)


def on_moderated(comments, status):
    """Approving a comment the rules held proposes exceptions for what held it."""
    if status != Comment.Status.APPROVED:
        return
    for comment in comments:
        if comment.flags and not comment.is_official:
            propose_exceptions(text=comment.text, rule=comment.flags.split()[0])


# ---------------------------------------------------------------------------
# Suggested blocked terms


@dataclass
class Suggestion:
    word: str
    rejected: int
    approved: int
    examples: list = field(default_factory=list)


_SAMPLE = 5000


def suggestions(limit: int = 30, least_rejected: int = 3) -> list[Suggestion]:
    """Words of rejected comments that approved comments seldom use and no term matches yet.

    Every reading of a word (with its endings cut) is counted once per
    comment, in the matching form; the longest reading of a frequent base is
    shown, spelled as readers most often wrote it.
    """
    from .rules import load_rules

    terms, exceptions = load_rules()
    rejected = _texts(Comment.objects.filter(status__in=["rejected", "spam"]))
    approved = _texts(Comment.objects.approved())
    rejected_counts, examples, spellings = _document_counts(rejected)
    approved_counts, _examples, _spellings = _document_counts(approved)
    ranked = sorted(rejected_counts.items(), key=lambda item: (-item[1], -len(item[0])))
    found, shown = [], []
    for key, count in ranked:
        if count < least_rejected or len(found) >= limit:
            break
        if approved_counts[key] * 10 > count or len(key) < 2:
            continue
        if any(key in other or other in key for other in shown):
            continue  # a reading of a word already suggested
        word = spellings[key].most_common(1)[0][0]
        if word in lexicon.NEVER_JOINED or matching.find_terms(word, terms, exceptions):
            continue  # a common word, or already blocked
        shown.append(key)
        found.append(Suggestion(word, count, approved_counts[key], examples[key][:3]))
    return found


def _texts(queryset):
    return list(queryset.order_by("-created_at").values_list("text", flat=True)[:_SAMPLE])


def _document_counts(texts):
    counts, examples, spellings = Counter(), {}, {}
    for text in texts:
        seen = {}
        for word in matching.words_of(text):
            if word.isascii():
                continue
            for reading in morphology.stems(word):
                seen.setdefault(letters.sound_key(reading), reading)
        counts.update(seen.keys())
        for key, reading in seen.items():
            examples.setdefault(key, []).append(text[:120])
            spellings.setdefault(key, Counter())[reading] += 1
    return counts, examples, spellings


def add_suggestion(word: str, *, note: str = "") -> BlockedTerm:
    term, _created = BlockedTerm.objects.get_or_create(
        key=_key(word), defaults={"term": word, "note": note or gettext("suggested")}
    )
    return term


def _key(word):
    from newsroom.text import persian

    return persian.normalize(word)


# ---------------------------------------------------------------------------
# Agreement of moderators with each rule


@dataclass
class Agreement:
    rule: str
    agreed: int
    overruled: int

    @property
    def total(self):
        return self.agreed + self.overruled

    @property
    def share(self):
        return self.agreed / self.total if self.total else None


def agreement(days: int = 30) -> list[Agreement]:
    """Per rule, over the last days: held comments rejected (agreed) or approved
    (overruled), and refusals kept (agreed) or sent to the queue (overruled)."""
    since = timezone.now() - timedelta(days=days)
    rows: dict[str, Agreement] = {}

    def row(rule):
        return rows.setdefault(rule, Agreement(rule, 0, 0))

    decided = (
        Comment.objects.exclude(flags="")
        .filter(moderated_at__gte=since)
        .exclude(status=Comment.Status.PENDING)
        .values_list("flags", "status")
    )
    for flags, status in decided.iterator():
        rule = flags.split()[0]
        if rule == "returned":
            continue  # counted with the refusals
        if status == Comment.Status.APPROVED:
            row(rule).overruled += 1
        else:
            row(rule).agreed += 1
    for rule, sent_back in Refusal.objects.filter(created_at__gte=since).values_list(
        "rule", "sent_to_queue_at"
    ):
        if sent_back:
            row(rule).overruled += 1
        else:
            row(rule).agreed += 1
    return sorted(rows.values(), key=lambda r: -r.total)
