"""The posting rules of reader comments: what is accepted, held or refused, and why.

The comment form, the admin and `manage.py checkcomments` all ask
`check_comment`, so a reader, a moderator and an operator see one verdict.
Three outcomes: refused (an insult, another language, nothing to publish),
held for a moderator with named flags (a possible accusation, an advert,
contact details, an outside link, a language the rules are unsure of), or
accepted. The checks run in this order; the first refusal wins, and every
reason to hold is collected.
"""

import logging
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from newsroom.text import persian

from . import language, lexicon, matching
from .contacts import find_contacts
from .matching import ACCUSATION, ADVERT, INSULT, Term
from .models import BlockedTerm, RuleException

logger = logging.getLogger(__name__)

ACCEPT, HOLD, REFUSE = "accept", "hold", "refuse"

# What the reader reads next to the text field.
INSULT_MESSAGE = _(
    "Comments containing insults or any false accusation against natural or legal persons "
    "are not published."
)
LANGUAGE_MESSAGE = _("Comments that are not in Persian are not published.")
FINGLISH_MESSAGE = _(
    "Please write your comment with Persian letters; Persian written in Latin letters "
    "(Finglish) is not published."
)
MASH_MESSAGE = _("Please write your comment in Persian words.")
NO_WORDS_MESSAGE = _(
    "Please write your comment in Persian words; a comment of only numbers, signs or emoji "
    "is not published."
)
EMPTY_MESSAGE = _("Please write the text of your comment.")
UNSTORABLE_MESSAGE = _("The text contains characters that cannot be stored.")
LENGTH_MESSAGE = _(
    "The comment is too long: it may have at most %(limit)s characters and has %(length)s."
)
HOLD_MESSAGE = _("Your comment will be published after a moderator has looked at it.")

# Flags a held or refused comment carries, as the moderator reads them.
FLAG_LABELS = {
    "insult": _("insult"),
    "accusation": _("possible accusation"),
    "advert": _("advert"),
    "contact": _("contact details"),
    "link": _("outside link"),
    "links": _("links"),
    "language": _("language"),
    "language-unsure": _("language unsure"),
    "empty": _("empty"),
    "length": _("too long"),
    "returned": _("sent back from the refusals"),
    language.ARABIC: _("Arabic"),
    language.URDU: _("Urdu"),
    language.PASHTO: _("Pashto"),
    language.SORANI: _("Kurdish (Sorani)"),
    language.SINDHI: _("Sindhi"),
    language.AZERBAIJANI: _("Azerbaijani"),
    language.ENGLISH: _("English"),
    language.FINGLISH: _("Finglish"),
    language.OTHER_LATIN: _("another language in Latin letters"),
    language.CYRILLIC: _("Cyrillic script (Tajik)"),
    language.OTHER_SCRIPT: _("another script"),
    language.MASH: _("keyboard mash"),
    language.NO_LETTERS: _("no letters"),
}


def flag_label(flag: str) -> str:
    return str(FLAG_LABELS.get(flag, flag))


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "accept" | "hold" | "refuse"
    rule: str  # "ok" | "language" | "insult" | "accusation" | "advert" | "contact" | …
    message: str = ""  # for the reader; "" when accepted
    flags: tuple[str, ...] = ()  # machine names for the moderator
    reason: str = ""  # what matched, for the moderator
    matches: tuple = field(default=(), compare=False)  # matching.Match objects


ACCEPTED = Verdict(ACCEPT, "ok")


def _interpolate(message, values):
    return str(message) % values


# The message is translated when it is shown, in the reader's language, like
# the other messages; the numbers are known now.
_interpolate_lazy = lazy(_interpolate, str)


# ---------------------------------------------------------------------------
# Text hygiene

_LINE_BREAK_RE = re.compile("\r\n?|[\u2028\u2029\x85\x0b\x0c]")
# fold() reads a ZWNJ beside white space as a slip for a space; beside a line
# break that would join two lines, so such a ZWNJ is dropped first.
_ZWNJ_AT_LINE_BREAK_RE = re.compile(
    f"[ \t]*{persian.ZWNJ}+[ \t]*(?=\n)|(?<=\n)[ \t]*{persian.ZWNJ}+"
)


def clean_text(text: str) -> str:
    """The text as it is stored: folded Persian letters, no bidi controls, \\n line breaks."""
    text = _LINE_BREAK_RE.sub("\n", text or "")
    text = _ZWNJ_AT_LINE_BREAK_RE.sub("", text)
    return persian.fold(text).strip()


# ---------------------------------------------------------------------------
# The verdict

_REFUSED_LANGUAGES = frozenset(
    {
        language.ARABIC,
        language.URDU,
        language.PASHTO,
        language.SORANI,
        language.SINDHI,
        language.AZERBAIJANI,
        language.ENGLISH,
        language.FINGLISH,
        language.OTHER_LATIN,
        language.CYRILLIC,
        language.OTHER_SCRIPT,
        language.MASH,
        language.NO_LETTERS,
    }
)


@dataclass
class Steps:
    """What check_comment saw, for `checkcomments --explain`."""

    matching_form: str = ""
    identified: language.Identification | None = None
    matches: list = field(default_factory=list)
    contacts: list = field(default_factory=list)


def check_comment(
    text: str, *, terms=None, exceptions: frozenset[str] | None = None, steps: Steps | None = None
) -> Verdict:
    """The verdict of the posting rules on a comment's text.

    `terms` are the blocked terms (`matching.Term`, or plain strings for
    insults); by default those that moderators keep in the database, with
    the exceptions they confirmed.
    """
    text = text or ""
    if "\x00" in text:
        # PostgreSQL cannot store it, and no keyboard types it.
        return _refuse("empty", UNSTORABLE_MESSAGE, gettext("The text has a NUL character."))
    cleaned = clean_text(text)
    limit = settings.COMMENT_MAX_LENGTH
    if len(cleaned) > limit:
        numbers = {
            "limit": persian.to_persian_digits(limit),
            "length": persian.to_persian_digits(len(cleaned)),
        }
        return _refuse(
            "length",
            _interpolate_lazy(LENGTH_MESSAGE, numbers),
            gettext("Longer than %(limit)s characters: %(length)s.") % numbers,
        )
    if not _has_visible_character(cleaned):
        return _refuse(
            "empty",
            EMPTY_MESSAGE,
            gettext("Nothing is left after removing spaces and invisible characters."),
        )
    if terms is None:
        terms, stored_exceptions = load_rules()
        exceptions = stored_exceptions if exceptions is None else exceptions
    contacts = find_contacts(cleaned)
    matches = matching.find_terms(cleaned, terms, exceptions or frozenset())
    if steps is not None:
        steps.matching_form = " ".join(matching.words_of(cleaned))
        steps.matches = matches
        steps.contacts = contacts
    identified = language.identify(cleaned)
    if steps is not None:
        steps.identified = identified
    refused_language = identified.language in _REFUSED_LANGUAGES and not (
        identified.language == language.NO_LETTERS and contacts
    )
    insults = [m for m in matches if m.term.kind == INSULT]
    # Pashto or Sindhi letters fold to Persian ones, so a text written in
    # those languages can spell a Persian insult by chance; when several of
    # its words have letters of their own, its language is the reason.
    if refused_language and language.words_with_own_letters(cleaned) >= 2:
        return _refuse_language(identified.language)
    if insults:
        return _refuse("insult", INSULT_MESSAGE, _matches_reason(insults), matches=tuple(insults))
    if refused_language:
        return _refuse_language(identified.language)

    flags, reasons = [], []
    for kind in (ACCUSATION, ADVERT):
        found = [m for m in matches if m.term.kind == kind]
        if found:
            flags.append(kind)
            reasons.append(_matches_reason(found))
    for kind in ("contact", "link"):
        found = [c.written for c in contacts if c.kind == kind]
        if found:
            flags.append(kind)
            reasons.append(_list_reason(kind, found))
    if identified.language == language.UNSURE:
        flags.append("language-unsure")
        reasons.append(gettext("The language rule is unsure the text is Persian."))
    if flags:
        return Verdict(
            HOLD, flags[0], HOLD_MESSAGE, tuple(flags), " ".join(reasons), tuple(matches)
        )
    return ACCEPTED


_WORD_CHARACTER_RE = re.compile(r"\w")


def _has_visible_character(text):
    # A letter or digit is visible; only texts without one need the slower
    # look at every character (emoji, punctuation, invisible marks).
    return bool(_WORD_CHARACTER_RE.search(text) or persian.strip_invisible(text))


def _refuse(rule, message, reason="", flags=None, matches=()):
    return Verdict(REFUSE, rule, message, flags or (rule,), reason, matches)


def _refuse_language(found):
    message = {
        language.FINGLISH: FINGLISH_MESSAGE,
        language.NO_LETTERS: NO_WORDS_MESSAGE,
        language.MASH: MASH_MESSAGE,
    }.get(found, LANGUAGE_MESSAGE)
    reason = gettext("Written in: %(language)s.") % {"language": flag_label(found)}
    return _refuse("language", message, reason, ("language", found))


def _matches_reason(matches):
    return " ".join(
        gettext("Term «%(term)s» (%(kind)s), written «%(written)s».")
        % {"term": m.term.term, "kind": flag_label(m.term.kind), "written": m.written}
        for m in matches[:5]
    )


def _list_reason(kind, written):
    shown = "، ".join(written[:5]) + (" …" if len(written) > 5 else "")
    return f"{flag_label(kind)}: {shown}."


def find_blocked_term(text: str, terms) -> tuple[str, str] | None:
    """The first insult among the blocked terms in a text and how it was written, or None.

    Used for names too, which the insult rule covers as it covers texts.
    """
    for match in matching.find_terms(text, terms):
        if match.term.kind == INSULT:
            return match.term.term, match.written
    return None


def find_links(text: str) -> list[str]:
    """The web addresses in a text."""
    return [c.written for c in find_contacts(text) if c.kind == "link"]


# ---------------------------------------------------------------------------
# Blocked terms and exceptions from the database, shared through the cache
#
# Every check reads one cache key, the version; a moderator's change gives
# it a new value, so every worker and server reads the new terms on its very
# next check. A process keeps the terms of the version it last read, and
# nothing else: no timer, no memo that a change could leave stale.

_VERSION_KEY = "comments:rules:version"
_RULES_KEY = "comments:rules:{}"
_latest: tuple[object, tuple] = (None, (frozenset(), frozenset()))


def load_rules() -> tuple[frozenset[Term], frozenset[str]]:
    """The blocked terms and the confirmed exceptions, as moderators last saved them."""
    global _latest
    try:
        version = cache.get(_VERSION_KEY)
        if version is None:
            # After a cache flush, a number no worker can have remembered.
            cache.add(_VERSION_KEY, time.time_ns(), None)
            version = cache.get(_VERSION_KEY)
        if version is not None and _latest[0] == version:
            return _latest[1]
        key = _RULES_KEY.format(version)
        rows = cache.get(key)
    except Exception:
        # The rules still apply when the cache is down, straight from the database.
        logger.warning("Posting rules read from the database: the cache failed.", exc_info=True)
        return _rules_from_rows(_rows_from_database())
    if rows is None:
        # A database error here is the database's, not the cache's: it is raised.
        rows = _rows_from_database()
        try:
            cache.set(key, rows, 24 * 3600)
        except Exception:
            logger.warning("Posting rules not kept: the cache failed.", exc_info=True)
    rules = _rules_from_rows(rows)
    _latest = (version, rules)
    return rules


def load_blocked_terms() -> frozenset[Term]:
    """The blocked terms as moderators last saved them."""
    return load_rules()[0]


def invalidate_blocked_terms() -> None:
    """Make every worker read the terms and exceptions again on its next check."""
    try:
        cache.set(_VERSION_KEY, time.time_ns(), None)
    except Exception:
        logger.warning("Could not mark the posting rules as changed.", exc_info=True)


def _rows_from_database():
    terms = list(BlockedTerm.objects.values_list("term", "kind", "exact"))
    exceptions = list(
        RuleException.objects.filter(status=RuleException.Status.CONFIRMED).values_list(
            "phrase", flat=True
        )
    )
    return terms, exceptions


def _rules_from_rows(rows):
    terms, exceptions = rows
    return (
        frozenset(Term(term, kind, exact) for term, kind, exact in terms),
        frozenset(exceptions),
    )


@receiver(post_save, sender=BlockedTerm, dispatch_uid="comments.rules.blocked_term_saved")
@receiver(post_delete, sender=BlockedTerm, dispatch_uid="comments.rules.blocked_term_deleted")
@receiver(post_save, sender=RuleException, dispatch_uid="comments.rules.exception_saved")
@receiver(post_delete, sender=RuleException, dispatch_uid="comments.rules.exception_deleted")
def _rules_changed(sender, using=None, **kwargs):
    invalidate_blocked_terms()
    # A worker reading between this signal and the commit would cache the old
    # list under the new version; a new version after the commit drops it.
    transaction.on_commit(invalidate_blocked_terms, using=using)


def clear_memos(terms=None) -> None:
    """Forget the words seen so far, as a new worker would (for measuring)."""
    matching._match_word.cache_clear()
    matching._phrase_keys.cache_clear()
    language.MODEL.word_scores.cache_clear()


def starter_terms() -> frozenset[Term]:
    """The starter lexicon, for checks that have no database."""
    return frozenset(
        Term(persian.fold(term).strip(), kind, exact)
        for term, _note, kind, exact in lexicon.starter_terms_with_options()
    )
