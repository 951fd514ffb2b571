"""What a reader's query asks for: its terms, and every spelling each may have in an article.

A query is cut into words in the matching form of `persian.words`, where
Arabic letters, ZWNJ, digit scripts, diacritics and tatweel no longer
matter. Each word (or a phrase that editors listed as a synonym) is a
*term*. Its *exact* spellings are the ways Persian writers join and split
words:

- the word itself, or a longer word it begins («بیمه» finds «بیمه‌شدگان»),
  unless it is a number or shorter than three letters, which must be whole;
- the word in two or three parts that are words of the articles
  («اطلاعرسانی» finds «اطلاع رسانی», «پیشثبتنام» finds «پیش ثبت نام»);
- the word joined to its neighbours in the query («پیش ثبت نام» finds the
  «پیشثبتنام» that the matching form makes of «پیش‌ثبت‌نام»).

Its *other* spellings come from the word index (words.py): the other forms
of the word that the articles use (inflection.py), the official words an
editor listed for a reader's word, and, for a word that no article has, the
words it is most likely a slip for (spelling.py). They find as the exact
ones do; an article that has the exact spelling ranks a little higher.

Words that only say how a reader asks («کی», «چطوری», «میشه») are not
required: they only rank the articles that have them.
"""

from dataclasses import dataclass, field, replace

from newsroom.search import inflection, words
from newsroom.text import persian

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 10
# Longer words than this are not real words; they are kept but not split.
MAX_SPLIT_WORD = 30
# A word of fewer letters (or a number) must match a whole word, not begin one.
PREFIX_MIN_LENGTH = 3
# The shortest half of a word written in two halves («اطلاع رسانی»), unless
# the half is a prefix or suffix that writers often set apart: «می رود»,
# «رسانه ای». (Shorter halves would make «درمان» find «در مانور».)
SPLIT_MIN_PART = 3
DETACHED_PREFIXES = frozenset(persian.words("می بی"))
DETACHED_SUFFIXES = frozenset(persian.words("ها ای تر"))
# The longest run of query words that may be one word in an article, or one synonym.
LONGEST_JOIN = 3


@dataclass(frozen=True)
class Spelling:
    """One way a term may be written in a document: one word, or a few in a row."""

    words: tuple[str, ...]
    whole: bool  # the last word must end there; otherwise it may go on


@dataclass(frozen=True)
class Term:
    word: str  # as the reader typed it, in the matching form (a phrase for a synonym)
    exact: tuple[Spelling, ...]
    other: tuple[Spelling, ...] = ()
    required: bool = True
    correction: str = ""  # the word of the articles it is taken to be a slip for

    @property
    def spellings(self) -> tuple[Spelling, ...]:
        return self.exact + self.other


@dataclass
class ParsedQuery:
    terms: list[Term] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # no article has them; nothing corrects them
    corrected: str = ""  # the query with its slips corrected, when it had any

    @property
    def required(self) -> list[Term]:
        return [term for term in self.terms if term.required]


def query_words(query: str) -> list[str]:
    """The words of a query in the matching form, in order, at most MAX_QUERY_WORDS.

    A word may come twice («اس ام اس»); its second term is dropped after
    the phrases are found (see parse).
    """
    found = []
    for word in persian.words((query or "")[:MAX_QUERY_LENGTH]):
        found.extend(part for part in word.split("_") if part)
    return found[:MAX_QUERY_WORDS]


def _is_whole(word: str) -> bool:
    return word.isdigit() or len(word) < PREFIX_MIN_LENGTH


def _word(word: str) -> Spelling:
    return Spelling((word,), _is_whole(word))


def _halves(word: str):
    """The ways a word may have been written in two, both halves whole words."""
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        long_enough = len(head) >= SPLIT_MIN_PART and len(tail) >= SPLIT_MIN_PART
        if long_enough or head in DETACHED_PREFIXES or tail in DETACHED_SUFFIXES:
            yield head, tail


def _detached(part: str) -> bool:
    return part in DETACHED_PREFIXES or part in DETACHED_SUFFIXES


def _thirds(word: str):
    """The ways a word may have been written in three, each part at least two letters."""
    for first in range(2, len(word) - 3):
        for second in range(first + 2, len(word) - 1):
            yield word[:first], word[first:second], word[second:]


def _joins(units: list[tuple[str, ...]], i: int) -> list[str]:
    """The unit at `i` joined to its neighbours, up to LONGEST_JOIN words in all."""
    joined = []
    for start in range(max(0, i - LONGEST_JOIN + 1), i + 1):
        for stop in range(i + 1, min(len(units), start + LONGEST_JOIN) + 1):
            if stop - start > 1:
                joined.append("".join("".join(unit) for unit in units[start:stop]))
    return joined


def _synonym_units(query: list[str], listed: dict) -> list[tuple[tuple[str, ...], tuple]]:
    """The query cut into units: a listed reader's phrase (longest first), else one word.

    A phrase matches written with or without spaces between its words; a
    word matches in another form of it too («لیست‌ها» for «لیست»), but not
    in a shorter one («حق» is not «حقوق»).
    """
    by_form, by_stem = {}, {}
    for reader, official in listed.items():
        by_form.setdefault(reader, official)
        by_form.setdefault(reader.replace(" ", ""), official)
        if " " not in reader:
            by_stem.setdefault(inflection.stem(reader), []).append((reader, official))
    units, i = [], 0
    while i < len(query):
        for size in range(min(LONGEST_JOIN, len(query) - i), 0, -1):
            phrase = query[i : i + size]
            official = by_form.get(" ".join(phrase))
            if official is None and size == 1 and not phrase[0].isdigit():
                word = phrase[0]
                official = next(
                    (
                        official
                        for reader, official in by_stem.get(inflection.stem(word), ())
                        if len(word) >= len(reader)
                    ),
                    None,
                )
            if official is not None:
                units.append((tuple(phrase), official))
                i += size
                break
        else:
            units.append(((query[i],), ()))
            i += 1
    return units


def parse(query: str) -> ParsedQuery:
    """The terms of a query, each with every spelling it may have; two queries at most."""
    typed = query_words(query)
    if not typed:
        return ParsedQuery()
    units = _synonym_units(typed, words.synonyms())
    # A word that comes twice is one term (a phrase keeps its words).
    seen = set()
    units = [
        unit
        for unit in units
        if len(unit[0]) > 1 or not (unit[0][0] in seen or seen.add(unit[0][0]))
    ]
    phrases = [unit for unit, _official in units]
    looked_up, stems = set(), set()
    for i, (unit, official) in enumerate(units):
        candidates = [*unit, *_joins(phrases, i)]
        for phrase in official:
            candidates.extend(phrase.split())
        for word in [*unit]:
            if len(word) <= MAX_SPLIT_WORD and not word.isdigit():
                candidates.extend(part for halves in _halves(word) for part in halves)
                candidates.extend(part for thirds in _thirds(word) for part in thirds)
        looked_up.update(candidates)
        stems.update(
            key
            for word in [*unit, *(p for phrase in official for p in phrase.split())]
            if not word.isdigit()
            for key in inflection.stems_to_look_up(word)
        )
    known = words.look_up(looked_up, stems)

    unknown = [
        unit[0]
        for i, (unit, official) in enumerate(units)
        if len(unit) == 1 and not official and _may_be_a_slip(unit[0], known, _joins(phrases, i))
    ]
    # A mistyped word may be half of a word the articles write joined («صبت نام»).
    unknown_joins = {
        joined
        for i, (unit, _official) in enumerate(units)
        if unit[0] in unknown
        for joined in _joins(phrases, i)
        if len(joined) <= MAX_SPLIT_WORD
    }
    corrections, corrected_known = (
        words.corrections([*unknown, *sorted(unknown_joins)]) if unknown else ({}, None)
    )

    parsed = ParsedQuery()
    for i, (unit, official) in enumerate(units):
        term = _term(unit, official, _joins(phrases, i), known, corrections, corrected_known)
        parsed.terms.append(term)
        if len(unit) == 1 and unit[0] in unknown and not corrections.get(unit[0]):
            parsed.unknown.append(unit[0])
    corrected = {term.word: term.correction for term in parsed.terms if term.correction}
    if corrected:
        parsed.corrected = _corrected_text(query, corrected) or " ".join(
            corrected.get(term.word, term.word) for term in parsed.terms
        )
    if not parsed.required:
        # A query of question words only: they are what it asks for.
        parsed.terms = [replace(term, required=True) for term in parsed.terms]
    return parsed


def _corrected_text(query: str, corrected: dict[str, str]) -> str:
    """The query as the reader typed it with its mistyped words replaced; empty if none is."""
    tokens = persian.fold(query[:MAX_QUERY_LENGTH]).split()
    replaced = [
        corrected.get(words_of[0], token) if len(words_of := persian.words(token)) == 1 else token
        for token in tokens
    ]
    return " ".join(replaced) if replaced != tokens else ""


def _may_be_a_slip(word: str, known: "words.Known", joins: list[str]) -> bool:
    """Whether a query word is no word of the articles, so may be mistyped."""
    if word.isdigit() or inflection.is_stop_word(word) or len(word) < PREFIX_MIN_LENGTH:
        return False
    return not known.knows(word) and not any(known.count(joined) for joined in joins)


def _term(unit, official, joins, known, corrections, corrected_known) -> Term:
    phrase = " ".join(unit)
    if len(unit) > 1:
        exact = [Spelling(unit, False), _word("".join(unit))]
    else:
        exact = [_word(unit[0])]
    exact.extend(_word(joined) for joined in joins)
    other: list[Spelling] = []
    correction = ""
    for word in unit:
        if word.isdigit():
            continue
        if len(unit) == 1 and len(word) <= MAX_SPLIT_WORD:
            exact.extend(
                Spelling(halves, True)
                for halves in _halves(word)
                if all(known.count(part) or _detached(part) for part in halves)
            )
            exact.extend(
                Spelling(thirds, True)
                for thirds in _thirds(word)
                if all(known.count(part) for part in thirds)
            )
        if len(unit) == 1:
            other.extend(Spelling((form,), True) for form in known.forms(word) if form != word)
    for official_phrase in official:
        parts = tuple(official_phrase.split())
        if len(parts) > 1:
            other.append(Spelling(parts, False))
            other.append(_word("".join(parts)))
        else:
            other.append(_word(parts[0]))
            other.extend(Spelling((form,), True) for form in known.forms(parts[0]))
    slips = corrections.get(phrase, []) if len(unit) == 1 else []
    for joined in joins:
        other.extend(Spelling((slip.word,), True) for slip in corrections.get(joined, ()))
    for slip in slips:
        other.append(Spelling((slip.word,), True))
        other.extend(Spelling((form,), True) for form in corrected_known.forms(slip.word))
    if slips:
        correction = slips[0].word
    asks_only = len(unit) == 1 and not official and inflection.is_stop_word(unit[0])
    exact = list(dict.fromkeys(exact))
    other = [spelling for spelling in dict.fromkeys(other) if spelling not in exact]
    return Term(phrase, tuple(exact), tuple(other), not asks_only, correction)
