"""The posting rules of reader comments: what is accepted, held or refused, and why.

The comment form, the admin and `manage.py checkcomments` all ask
`check_comment`, so a reader, a moderator and an operator see one verdict.
The checks run in a fixed order and the first that decides wins: input that
cannot be stored, length, emptiness, language, insults, links.
"""

import functools
import logging
import re
import time
import unicodedata
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

from . import lexicon
from .models import BlockedTerm

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
NO_WORDS_MESSAGE = _(
    "Please write your comment in Persian words; a comment of only numbers, signs or emoji "
    "is not published."
)
EMPTY_MESSAGE = _("Please write the text of your comment.")
UNSTORABLE_MESSAGE = _("The text contains characters that cannot be stored.")
LENGTH_MESSAGE = _(
    "The comment is too long: it may have at most %(limit)s characters and has %(length)s."
)
HOLD_MESSAGE = _(
    "Your comment has several links; it will be published after a moderator has looked at it."
)


@dataclass(frozen=True)
class Verdict:
    outcome: str  # "accept" | "hold" | "refuse"
    rule: str  # "ok" | "language" | "insult" | "links" | "empty" | "length"
    message: str = ""  # for the reader; "" when accepted
    flags: tuple[str, ...] = ()  # machine names for the moderator
    reason: str = ""  # what matched, for the moderator


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


def check_comment(text: str, *, terms: frozenset[str] | None = None) -> Verdict:
    """The verdict of the posting rules on a comment's text.

    `terms` are the blocked terms in the matching form; by default those that
    moderators keep in the database.
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
    language = detect_language(text)
    if language != PERSIAN:
        return _refuse_language(language)
    match = find_blocked_term(cleaned, load_blocked_terms() if terms is None else terms)
    if match:
        term, written = match
        return _refuse(
            "insult",
            INSULT_MESSAGE,
            gettext("Blocked term «%(term)s», written «%(written)s».")
            % {"term": term, "written": written},
        )
    links = find_links(cleaned)
    if len(links) >= settings.COMMENT_LINKS_TO_HOLD:
        return Verdict(HOLD, "links", HOLD_MESSAGE, ("links",), _links_reason(links))
    return ACCEPTED


_WORD_CHARACTER_RE = re.compile(r"\w")


def _has_visible_character(text):
    # A letter or digit is visible; only texts without one need the slower
    # look at every character (emoji, punctuation, invisible marks).
    return bool(_WORD_CHARACTER_RE.search(text) or persian.strip_invisible(text))


def _refuse(rule, message, reason="", flags=None):
    return Verdict(REFUSE, rule, message, flags or (rule,), reason)


def _refuse_language(language):
    message = {FINGLISH: FINGLISH_MESSAGE, NO_LETTERS: NO_WORDS_MESSAGE}.get(
        language, LANGUAGE_MESSAGE
    )
    return _refuse("language", message, str(_LANGUAGE_REASONS[language]), ("language", language))


# ---------------------------------------------------------------------------
# Language

PERSIAN = "persian"
ARABIC = "arabic"
ENGLISH = "english"
FINGLISH = "finglish"
OTHER_LATIN = "latin"
OTHER_SCRIPT = "other-script"
NO_LETTERS = "no-letters"

_LANGUAGE_REASONS = {
    ARABIC: _("Written in Arabic."),
    ENGLISH: _("Written in English."),
    FINGLISH: _("Persian written in Latin letters (Finglish)."),
    OTHER_LATIN: _("Written in a language in Latin letters."),
    OTHER_SCRIPT: _("Written in a script other than Persian."),
    NO_LETTERS: _("No letters: only numbers, signs or emoji."),
}

# Addresses are not words: «سامانه es.tamin.ir کار نمی‌کند» is Persian. A
# bare domain needs a known ending, or «salam.khobi» would be an address.
_ADDRESS_RE = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*"
    r"\.(?:ir|com|org|net|info|gov|edu|io|me|co|app|dev|ai|uk|de|fr)\b(?:/\S*)?",
    re.IGNORECASE,
)
_LETTERS_RE = re.compile(r"[^\W\d_]+")
# Diacritics would split a word in two: `\w` does not match combining marks.
_MARKS_RE = re.compile("[\u0300-\u036f\u064b-\u065f\u0670\u06d6-\u06ed]")
# ي and ك are how Arabic keyboards type Persian ی and ک, so they say nothing;
# ى and ة are kept, being Arabic only.
_LANGUAGE_FOLD = str.maketrans({"\u064a": "\u06cc", "\u0643": "\u06a9", persian.TATWEEL: None})
_ZWNJ_IN_WORD_RE = re.compile(f"(?<=\\w){persian.ZWNJ}(?=\\w)")
_PERSIAN_ONLY_LETTERS = frozenset("پچژگ")
_OTHER_ARABIC_SCRIPT_LETTERS = frozenset(lexicon.OTHER_ARABIC_SCRIPT_LETTERS)
_FINGLISH_SHAPE_RE = re.compile(r"kh|zh|aa|^gh|[aeiou]gh[aeiou]|q(?!u)")
_FINGLISH_WEAK_SHAPE_RE = re.compile(r"oo|ee")


def _hint_words(words):
    return frozenset(word.translate(_LANGUAGE_FOLD) for word in words)


_PERSIAN_WORDS = _hint_words(lexicon.PERSIAN_WORDS)
_PERSIAN_WEAK_WORDS = _hint_words(lexicon.PERSIAN_WEAK_WORDS)
_ARABIC_WORDS = _hint_words(lexicon.ARABIC_WORDS)
_ARABIC_WEAK_WORDS = _hint_words(lexicon.ARABIC_WEAK_WORDS)
_PERSIAN_AL_WORDS = _hint_words(lexicon.PERSIAN_AL_WORDS)


def detect_language(text: str) -> str:
    """What a comment is written in: "persian", or why it is not Persian.

    Words are counted by script and the script with most words decides; ties
    go to Persian, so a Persian sentence with a few Latin words stays Persian.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _ADDRESS_RE.sub(" ", text)
    zwnj_joins = len(_ZWNJ_IN_WORD_RE.findall(text))
    text = _MARKS_RE.sub("", text.translate(_LANGUAGE_FOLD))
    arabic_script, latin, other = [], [], 0
    for word in _LETTERS_RE.findall(text):
        script = _script(word[0])
        if script == ARABIC:
            arabic_script.append(word)
        elif script == OTHER_LATIN:
            latin.append(word.lower())
        else:
            # Chinese, Japanese and Thai do not put spaces between words.
            other += len(word) if script == _UNSPACED else 1
    if not (arabic_script or latin or other):
        return NO_LETTERS
    if len(arabic_script) >= len(latin) and len(arabic_script) >= other:
        return _arabic_script_language(arabic_script, zwnj_joins)
    if len(latin) >= other:
        return _latin_language(latin)
    return OTHER_SCRIPT


_UNSPACED = "unspaced"


def _script(letter):
    code = ord(letter)
    if (
        0x0600 <= code <= 0x06FF
        or 0x0750 <= code <= 0x077F
        or 0x08A0 <= code <= 0x08FF
        or 0xFB50 <= code <= 0xFEFF
    ):
        return ARABIC
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return OTHER_LATIN
    if 0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0x0E00 <= code <= 0x0EFF:
        return _UNSPACED
    return OTHER_SCRIPT


def _arabic_script_language(words, zwnj_joins):
    """Persian or Arabic (or Urdu, Kurdish, Pashto), by the words only one of them uses."""
    other = sum(1 for word in words if _OTHER_ARABIC_SCRIPT_LETTERS.intersection(word))
    if other and other * 4 >= len(words):
        return OTHER_SCRIPT
    persian_score = float(zwnj_joins)  # Arabic never joins word parts with a ZWNJ
    arabic_score = 0.0
    for word in words:
        persian_weight, arabic_weight = _weights(word)
        persian_score += persian_weight
        arabic_score += arabic_weight
    # A word or two with no marker of either language («سلام», «عالی بود») is Persian.
    if arabic_score >= 1 and arabic_score > persian_score:
        return ARABIC
    return PERSIAN


# The same few thousand words make most comments; each is weighed once.
@functools.lru_cache(maxsize=50_000)
def _weights(word):
    return _persian_weight(word), _arabic_weight(word)


def _persian_weight(word):
    if word in _PERSIAN_WEAK_WORDS:
        return 0.5
    if word in _PERSIAN_WORDS or _PERSIAN_ONLY_LETTERS.intersection(word):
        return 1.0
    if len(word) >= 5 and word.startswith(("می", "نمی")):
        return 0.5  # a verb with «می» typed without its ZWNJ
    return 0.0


def _arabic_weight(word):
    if word in _ARABIC_WEAK_WORDS:
        return 0.5
    if word in _ARABIC_WORDS or (len(word) > 2 and word[0] == "و" and word[1:] in _ARABIC_WORDS):
        return 1.0
    weight = 0.0
    if "ة" in word or word.endswith("ى"):
        weight += 1.0
    if word.startswith("إ"):
        weight += 1.0
    elif word.startswith("أ"):
        weight += 0.5
    if len(word) >= 4 and word.startswith(("ال", "وال")) and word not in _PERSIAN_AL_WORDS:
        weight += 0.5  # Persian has some «ال» words too, so the article alone is weak
    return weight


def _latin_language(words):
    """English, Finglish or another language in Latin letters."""
    if not all(word.isascii() for word in words):
        return OTHER_LATIN  # Finglish and English need no accents; Turkish and French do
    english = finglish = 0.0
    for word in words:
        if word in lexicon.ENGLISH_WORDS:
            english += 1
        elif word in lexicon.FINGLISH_WORDS:
            finglish += 1
        elif _FINGLISH_SHAPE_RE.search(word):
            finglish += 1
        elif _FINGLISH_WEAK_SHAPE_RE.search(word):
            finglish += 0.5
    if finglish >= 1 and finglish > english:
        return FINGLISH
    return ENGLISH if english else OTHER_LATIN


# ---------------------------------------------------------------------------
# Insults

# Characters that show nothing inside a word; normalize() would read some as
# spaces and split «اح\u200bمق» in two.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_REPEATS_RE = re.compile(r"(.)\1+")


def _collapse(word):
    if _REPEATS_RE.search(word) is None:
        return word  # most words: no need to build a new string
    return _REPEATS_RE.sub(lambda repeat: repeat.group(1), word)


def _matching_words(text):
    """The words of a text in the matching form, letters only."""
    words = []
    for chunk in _INVISIBLE_RE.sub("", text).split():
        words.extend(_chunk_words(chunk))
    return words


# normalize() is the costly step; a text is normalised piece by piece between
# spaces (the same words as the whole at once) so that pieces seen before,
# which are most of them, cost a lookup.
@functools.lru_cache(maxsize=20_000)
def _chunk_words(chunk):
    return tuple(_LETTERS_RE.findall(persian.normalize(chunk)))


def _suffix_table(one_word):
    """Endings by their last letter, longest first, for one word or for joined words."""
    table = {}
    for suffix, shortest_stem in sorted(lexicon.SUFFIXES, key=lambda item: -len(item[0])):
        if one_word or suffix not in lexicon.ONE_WORD_SUFFIXES:
            table.setdefault(suffix[-1], []).append((suffix, shortest_stem))
    return table


_SUFFIXES_OF_A_WORD = _suffix_table(one_word=True)
_SUFFIXES_OF_JOINED_WORDS = _suffix_table(one_word=False)
_NEVER_JOINED = frozenset(word for text in lexicon.NEVER_JOINED for word in _matching_words(text))
_CLEAN_WORDS = frozenset(persian.normalize(word) for word in lexicon.CLEAN_WORDS)

_INNOCENT_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in lexicon.INNOCENT_PHRASES:
    _words = tuple(_matching_words(_phrase))
    _INNOCENT_PHRASES.setdefault(_words[0], []).append(_words)


@dataclass(frozen=True)
class _BlockList:
    exact: dict[str, str]  # term without spaces → term
    collapsed: dict[str, str]  # the same with repeated letters collapsed → term
    phrases: dict[str, list[tuple[tuple[str, ...], str]]]  # first word → (words, term)
    span: int  # the most words one term can be typed as
    # The first two letters of every term (the letter of a one-letter term):
    # most words start otherwise and need no closer look.
    heads: frozenset[str]
    # What each word (or run of words) typed so far matched; the same words
    # come back in comment after comment. Bounded, and new with the terms.
    seen: dict = field(default_factory=dict, compare=False)

    def may_start(self, word):
        return word[:2] in self.heads or word[:1] in self.heads


@functools.lru_cache(maxsize=8)
def _block_list(terms: frozenset[str]) -> _BlockList:
    exact, collapsed, phrases, span = {}, {}, {}, 2
    for term in terms:
        words = _matching_words(term)
        if not words:
            continue
        joined = "".join(words)
        exact.setdefault(joined, term)
        collapsed.setdefault(_collapse(joined), term)
        if len(words) > 1:
            phrases.setdefault(words[0], []).append((tuple(words), term))
        span = max(span, len(words))
    heads = frozenset(key[:2] for key in [*exact, *collapsed])
    return _BlockList(exact, collapsed, phrases, span, heads)


def find_blocked_term(text: str, terms: frozenset[str]) -> tuple[str, str] | None:
    """The first blocked term in a text and how it was written, or None.

    Terms match whole words of the matching form, a multi-word term its words
    in a row, and a term typed in pieces («احم ق», «ا ح م ق») the pieces
    joined; never part of a word: «کسر» does not contain «کس».
    """
    blocks = _block_list(terms)
    if not blocks.exact:
        return None
    words = _words_to_check(text)
    for start, word in enumerate(words):
        if word is None:
            continue
        match = _match_phrase(words, start, blocks) or _match_pieces(words, start, blocks)
        if match:
            return match
    return None


def _match_phrase(words, start, blocks):
    for phrase, term in blocks.phrases.get(words[start], ()):
        if tuple(words[start : start + len(phrase)]) == phrase:
            return term, " ".join(phrase)
    return None


def _match_pieces(words, start, blocks):
    term = _match_word(words[start], blocks, _SUFFIXES_OF_A_WORD)
    if term is not None:
        return term, words[start]
    if words[start] in _NEVER_JOINED:
        return None
    written = words[start]
    for word in words[start + 1 : start + blocks.span]:
        if word is None or word in _NEVER_JOINED:
            return None
        written += word
        term = _match_word(written, blocks, _SUFFIXES_OF_JOINED_WORDS)
        if term is not None:
            return term, written
    return None


def _words_to_check(text):
    """The words of a text, with innocent phrases blanked and spelled-out letters joined."""
    words = _matching_words(text)
    _blank_innocent_phrases(words)
    return _join_single_letters(words)


def _blank_innocent_phrases(words):
    for i, word in enumerate(words):
        for phrase in _INNOCENT_PHRASES.get(word, ()):
            typed = words[i : i + len(phrase)]
            if len(typed) == len(phrase) and _says(typed, phrase):
                words[i : i + len(phrase)] = [None] * len(phrase)
                break


def _says(typed, phrase):
    """Whether words typed are the phrase, its last word perhaps with an ending («کس و کارم»)."""
    if tuple(typed[:-1]) != phrase[:-1] or typed[-1] is None:
        return False
    last, base = typed[-1], phrase[-1]
    return last.startswith(base) and (last == base or last[len(base) :] in _ENDINGS)


_ENDINGS = frozenset(suffix for suffix, _shortest_stem in lexicon.SUFFIXES)


def _join_single_letters(words):
    """«ا ح م ق» and «ا.ح.م.ق» as the one word they spell."""
    joined, run = [], []
    for word in [*words, None]:
        if word is not None and len(word) == 1:
            run.append(word)
            continue
        if len(run) >= 2:
            # «و» (and) is the one single-letter Persian word: «و ا ح م ق» is
            # «و» and «احمق».
            if run[0] == "و" and len(run) >= 3:
                joined.append("و")
                run = run[1:]
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        joined.append(word)
    return joined[:-1]


_SEEN_LIMIT = 50_000


def _match_word(word, blocks, suffixes):
    key = (word, suffixes is _SUFFIXES_OF_A_WORD)
    try:
        return blocks.seen[key]
    except KeyError:
        pass
    if len(blocks.seen) >= _SEEN_LIMIT:
        blocks.seen.clear()
    term = blocks.seen[key] = _match_unseen_word(word, blocks, suffixes)
    return term


def _match_unseen_word(word, blocks, suffixes):
    term = _match_form(word, blocks.exact, suffixes) if blocks.may_start(word) else None
    if term is None:
        collapsed = _collapse(word)
        # Only a word typed with repeats is compared collapsed, so that a
        # clean word is never read as a term with a doubled letter.
        if collapsed != word and blocks.may_start(collapsed):
            term = _match_form(collapsed, blocks.collapsed, suffixes)
    return None if term is _CLEAN else term


# A word read as an ordinary word: collapsing its letters must not make it a
# term either («اسکله‌ها» collapses to «اسکلها»).
_CLEAN = object()


def _match_form(form, table, suffixes):
    term = table.get(form)
    if term is not None:
        return term
    if form in _CLEAN_WORDS:
        return _CLEAN
    stems = [
        form[: -len(suffix)]
        for suffix, shortest_stem in suffixes.get(form[-1], ())
        if form.endswith(suffix) and len(form) - len(suffix) >= shortest_stem
    ]
    # When a word can be cut two ways, the clean reading wins.
    if _CLEAN_WORDS.intersection(stems):
        return _CLEAN
    for stem in stems:
        term = table.get(stem)
        if term is not None:
            return term
    return None


# ---------------------------------------------------------------------------
# Links

_LINK_RE = re.compile(r"(?:https?://|www\.)[^\s<>\"'«»]+", re.IGNORECASE)


def find_links(text: str) -> list[str]:
    """The web addresses in a text: http(s):// and www. addresses."""
    return _LINK_RE.findall(text)


def _links_reason(links):
    shown = ", ".join(links[:5]) + (" …" if len(links) > 5 else "")
    return gettext("%(count)s links: %(links)s") % {
        "count": persian.to_persian_digits(len(links)),
        "links": shown,
    }


# ---------------------------------------------------------------------------
# Blocked terms from the database

_VERSION_KEY = "comments:blocked-terms:version"
_TERMS_KEY = "comments:blocked-terms:{}"
# A change made where no signal is sent (a migration, a bulk update) shows
# after this many seconds at the latest.
_TERMS_TIMEOUT = 300

# (version, terms, monotonic time the memo expires): one cache read per post
# tells a worker whether its copy is still current.
_memo: tuple[object, frozenset[str], float] = (None, frozenset(), 0.0)


def load_blocked_terms() -> frozenset[str]:
    """The blocked terms in the matching form, as moderators last saved them."""
    global _memo
    try:
        version = _terms_version()
        memo_version, memo_terms, expires = _memo
        if version is not None and version == memo_version and time.monotonic() < expires:
            return memo_terms
        terms = _cached_terms(version)
    except Exception:
        # The rules still apply when the cache is down, straight from the database.
        logger.warning("Blocked terms read from the database: the cache failed.", exc_info=True)
        return _terms_from_database()
    _memo = (version, terms, time.monotonic() + _TERMS_TIMEOUT)
    return terms


def invalidate_blocked_terms() -> None:
    """Make every worker read the blocked terms again on its next check."""
    global _memo
    _memo = (None, frozenset(), 0.0)
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # no version yet, or the cache was cleared
        cache.set(_VERSION_KEY, time.time_ns(), None)
    except Exception:
        logger.warning("Could not mark the blocked terms as changed.", exc_info=True)


def _terms_version():
    version = cache.get(_VERSION_KEY)
    if version is None:
        # After a cache flush a number no worker can have remembered.
        cache.add(_VERSION_KEY, time.time_ns(), None)
        version = cache.get(_VERSION_KEY)
    return version


def _cached_terms(version):
    key = _TERMS_KEY.format(version)
    keys = cache.get(key)
    if keys is None:
        keys = sorted(_terms_from_database())
        cache.set(key, keys, _TERMS_TIMEOUT)
    return frozenset(keys)


def _terms_from_database():
    return frozenset(BlockedTerm.objects.values_list("key", flat=True))


@receiver(post_save, sender=BlockedTerm, dispatch_uid="comments.rules.blocked_term_saved")
@receiver(post_delete, sender=BlockedTerm, dispatch_uid="comments.rules.blocked_term_deleted")
def _blocked_terms_changed(sender, using=None, **kwargs):
    invalidate_blocked_terms()
    # A worker reading between this signal and the commit would cache the old
    # list under the new version; a second change after the commit drops it.
    transaction.on_commit(invalidate_blocked_terms, using=using)


def clear_memos(terms: frozenset[str]) -> None:
    """Forget the words seen so far with these terms, as a new worker would (for measuring)."""
    _chunk_words.cache_clear()
    _weights.cache_clear()
    _block_list(terms).seen.clear()


def starter_terms() -> frozenset[str]:
    """The starter lexicon in the matching form, for checks that have no database."""
    return frozenset(persian.normalize(term) for term, _note in lexicon.STARTER_LEXICON)
