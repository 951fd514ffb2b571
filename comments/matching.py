"""Finding blocked terms in a comment: whole words on their matching form, never substrings.

A term and a comment's words are compared after the same steps:
look-alike letters folded and sound-alike letters merged (`letters`),
endings cut (`morphology.stems`). A word matches a term, never a part of a
word: «کسر», «خرید» and «آخر» stay clean. Beyond single words:

- a term of several words («خفه شو», «مرده‌شور») matches them in a row, or
  joined into one word; a term ending in an infinitive («رشوه گرفتن»)
  matches its verb forms, and an accusation's words may have a few others
  between them («حق بازنشسته‌ها رو خورده»);
- a word split to hide it («نف هم», «ا ح م ق») matches joined, when one of
  its pieces is no Persian word the rules know;
- a Latin word («olagh», «kesafat») matches a term by its consonants;
- a term marked exact matches its spelling only («آشغال», not «اشغال»).

Known clean words (`lexicon.CLEAN_WORDS` and the Persian text the language
model learns from) are never read as a term with endings or sound-alike
letters, and innocent phrases («هیچ کس», «گوشت گاو», the exceptions
moderators confirm) are left out.
"""

import functools
import re
from dataclasses import dataclass

from . import language, letters, lexicon, morphology

INSULT = "insult"
ACCUSATION = "accusation"
ADVERT = "advert"
# How many other words may stand between the words of an accusation.
_ACCUSATION_GAP = 2
# Words that may stand inside any phrase: the object marker.
_FILLERS = frozenset({"را", "رو", "ر"})
_LONGEST_SPLIT = 4


@dataclass(frozen=True)
class Term:
    """A blocked term as the rules read it."""

    term: str
    kind: str = INSULT
    exact: bool = False


@dataclass(frozen=True)
class Match:
    term: Term
    written: str  # the comment's words that matched, in the matching form


def as_terms(terms) -> frozenset[Term]:
    """Terms given as Term objects or, as before, as plain strings (insults)."""
    if isinstance(terms, frozenset) and all(type(term) is Term for term in terms):
        return terms
    return frozenset(term if isinstance(term, Term) else Term(term) for term in terms)


_WORD_RE = re.compile(r"[^\W\d_]+")


def words_of(text: str) -> list[str]:
    """The words of a text, folded (`letters.fold`), letters only."""
    return _WORD_RE.findall(letters.fold(text))


def _is_latin(word):
    return word.isascii()


# ---------------------------------------------------------------------------
# The vocabulary of clean words


def _base_vocabulary():
    words = set()
    for text in language._read_texts()[language.PERSIAN].splitlines():
        words.update(words_of(text))
    words.update(word for text in lexicon.CLEAN_WORDS for word in words_of(text))
    return frozenset(words)


VOCABULARY = _base_vocabulary()
_INNOCENT = [tuple(words_of(phrase)) for phrase in lexicon.INNOCENT_PHRASES]
_NEVER_JOINED = frozenset(lexicon.NEVER_JOINED)


# ---------------------------------------------------------------------------
# Terms compiled for matching


@dataclass(eq=False)  # hashed by identity: a memo of words is kept per compiled set
class _Compiled:
    by_key: dict  # sound key of a word (or of a phrase joined) → Term
    by_collapsed: dict  # the same with repeated letters collapsed, for words typed with repeats
    by_spelling: dict  # folded spelling → Term (exact terms, and every term's own spelling)
    phrases: dict  # sound key of the first word → [(tuple of sets of keys, Term)]
    latin: dict  # consonant skeleton → Term
    clean: frozenset  # clean words, less any that is itself a term
    innocent: dict  # first word → [phrase words]
    span: int
    # The first two letters (sound-keyed) of every single-word key and of
    # every phrase: most words start otherwise and need no closer look.
    heads: frozenset = frozenset()
    phrase_heads: frozenset = frozenset()


def _latin_skeletons(joined):
    """The consonant skeletons a Finglish spelling of a term may have.

    Two letters at least; a Latin word matches a two-letter skeleton only
    when it is spelled with a Persian digraph («khar», «olagh»), or English
    words («email», «wann») would be insults.
    """
    key = letters.sound_key(joined)
    if joined in _AMBIGUOUS_SHORT_TERMS:
        return set()
    skeletons = {s for s in letters.persian_consonants(key) if len(s) >= 2}
    # A skeleton a clean word also has («eshghal» is «اشغال», busy, as much
    # as «شغال») is left to the Persian spelling.
    return skeletons - _clean_skeletons()


@functools.cache
def _clean_skeletons():
    # A clean word as a Finglish writer spells it: long vowels written, «ا»
    # and «ع» as vowels (kept at the start), a final «ه» as «e».
    return frozenset(_finglish_spelling(letters.sound_key(word)) for word in VOCABULARY)


def _finglish_spelling(key):
    start = "ا" if key[:1] in ("ا", "ع") else ""
    rest = key[1:] if start else key
    return letters.collapse(start + rest.replace("ا", "").replace("ع", "").removesuffix("ه"))


def _without_silent_ain(joined):
    """The sound key of a term typed as it is said, without an «ع» inside it.

    «بی‌شعور» is said, and often typed, «بیشور». Only an «ع» after the first
    letter falls silent («عوضی» keeps its own), only a written «ع» (not the
    «ئ» the sound key folds into it: «خائن» is not «خان»), and only when no
    clean word has the key that is left.
    """
    if "ع" not in joined[1:]:
        return ()
    key = letters.sound_key(joined[0] + joined[1:].replace("ع", ""))
    if len(key) < 3 or key in _clean_keys():
        return ()
    return (key,)


def _verb_keys(infinitive):
    """A verb blocked alone, in the forms readers write («دزدیدن» → «میدزدن», «دزدیده»).

    A form that is also a clean word is left to its spelling («دزدی», theft).
    """
    keys = {letters.sound_key(form) for form in morphology.verb_forms(infinitive)}
    return sorted(keys - _clean_keys())


@functools.cache
def _clean_keys():
    return frozenset(letters.sound_key(word) for word in VOCABULARY)


# Short terms whose Finglish spelling is an ordinary word: «kas» is "person".
_AMBIGUOUS_SHORT_TERMS = frozenset({"کس", "کص", "کون", "گه"})


def phrases_of_term(words, term, phrases):
    key = letters.exact_key if term.exact else letters.sound_key
    elements = [frozenset({key(word)}) for word in words]
    if morphology.is_infinitive(words[-1]):
        elements[-1] = frozenset(key(form) for form in morphology.verb_forms(words[-1]))
    phrases.setdefault(next(iter(elements[0])), []).append((tuple(elements), term))


def _term_words(term):
    # A ZWNJ separates the parts of a term like a space: «مرده‌شور» is also «مرده شور».
    return words_of(term.term.replace("\u200c", " "))


@functools.lru_cache(maxsize=4)
def compile_terms(terms, exceptions=frozenset()) -> _Compiled:
    terms = as_terms(terms)
    by_key, by_collapsed, by_spelling, phrases, latin = {}, {}, {}, {}, {}
    span = 2
    for term in sorted(terms, key=lambda t: (t.kind != INSULT, t.term)):
        words = _term_words(term)
        if not words:
            continue
        joined = "".join(words)
        by_spelling.setdefault(joined, term)
        if not term.exact:
            keys = [letters.sound_key(joined), *_without_silent_ain(joined)]
            if len(words) == 1 and morphology.is_infinitive(joined):
                keys.extend(_verb_keys(joined))
            for key in keys:
                by_key.setdefault(key, term)
                by_collapsed.setdefault(letters.collapse(key), term)
            if term.kind == INSULT:
                for skeleton in _latin_skeletons(joined):
                    latin.setdefault(skeleton, term)
        # «بیت‌المال خوردن» is typed «بیت المال رو خوردن» and «بیت‌المال رو خوردن»:
        # a ZWNJ of the term may be a space or nothing in the text.
        for phrase in {tuple(words), tuple(words_of(term.term))}:
            if len(phrase) > 1:
                phrases_of_term(phrase, term, phrases)
                span = max(span, len(phrase))
    clean = VOCABULARY - set(by_spelling)
    innocent = {}
    for phrase in [*_INNOCENT, *(tuple(words_of(e)) for e in exceptions)]:
        if phrase:
            innocent.setdefault(phrase[0], []).append(phrase)
    keys = [*by_key, *by_collapsed, *(letters.sound_key(k) for k in by_spelling)]
    heads = frozenset(key[:2] for key in keys)
    phrase_heads = frozenset(key[:2] for key in phrases)
    return _Compiled(
        by_key=by_key,
        by_collapsed=by_collapsed,
        by_spelling=by_spelling,
        phrases=phrases,
        latin=latin,
        clean=clean,
        innocent=innocent,
        span=span,
        heads=heads,
        phrase_heads=phrase_heads,
    )


# ---------------------------------------------------------------------------
# Matching


def find_terms(text: str, terms, exceptions: frozenset[str] = frozenset()) -> list[Match]:
    """Every blocked term in a text, in the order of the text, one match per place."""
    try:
        compiled = compile_terms(terms, exceptions)
    except TypeError:  # a set or list: not hashable
        compiled = compile_terms(frozenset(terms), frozenset(exceptions))
    if not (compiled.by_spelling or compiled.phrases):
        return []
    words = _prepared_words(words_of(text), compiled)
    found = []
    i = 0
    while i < len(words):
        if words[i] is None:
            i += 1
            continue
        match, used = _match_at(words, i, compiled)
        if match:
            found.append(match)
            i += used
        else:
            i += 1
    return found


def _prepared_words(words, compiled):
    """Verb prefixes joined to their verb, spelled-out letters joined, innocent phrases blanked."""
    joined = []
    for word in words:
        if joined and joined[-1] in ("می", "نمی") and not _is_latin(word):
            joined[-1] += word  # «می خرن» is one verb, «میخرن», never «خرن»
        else:
            joined.append(word)
    words = _join_single_letters(joined)
    for i, word in enumerate(words):
        for phrase in compiled.innocent.get(word, ()):
            typed = words[i : i + len(phrase)]
            if len(typed) == len(phrase) and _says(typed, phrase):
                words[i : i + len(phrase)] = [None] * len(phrase)
                break
    return words


def _says(typed, phrase):
    """Whether typed words are a phrase, the last perhaps with an ending («کس و کارم»)."""
    if None in typed or tuple(typed[:-1]) != phrase[:-1]:
        return False
    return phrase[-1] in morphology.stems(typed[-1])


def _join_single_letters(words):
    """«ا ح م ق» and «a h m a g h» as the one word they spell."""
    joined, run = [], []
    for word in [*words, ""]:
        if len(word) == 1:
            run.append(word)
            continue
        if len(run) >= 2:
            if run[0] == "و" and len(run) >= 3:
                joined.append("و")  # «و» (and) is the one single-letter Persian word
                run = run[1:]
            joined.append("".join(run))
        else:
            joined.extend(run)
        run = []
        joined.append(word)
    return joined[:-1]


def _match_at(words, i, compiled):
    match = _match_phrase(words, i, compiled)
    if match:
        return match
    word = words[i]
    if _is_latin(word):
        term = _match_latin(word, compiled)
        after = words[i + 1] if i + 1 < len(words) else None
        if term is None and after and _is_latin(after) and _may_join_latin(word, after):
            term = _match_latin(word + after, compiled)
            if term is not None:
                return Match(term, word + " " + words[i + 1]), 2
        return (Match(term, word), 1) if term else (None, 1)
    term = _match_word(word, compiled, alone=True)
    if term is not None:
        return Match(term, word), 1
    return _match_pieces(words, i, compiled)


def _may_start_a_term(word, heads):
    head = letters.sound_key(word[:3])
    if head[:2] in heads or letters.collapse(head)[:2] in heads:
        return True
    # A run of the first letter («ااااحمق») hides the letter after it.
    return word[:1] == word[1:2] and letters.collapse(letters.sound_key(word))[:2] in heads


def _match_pieces(words, i, compiled):
    """A word typed in pieces: joined, when some piece is no word the rules know."""
    if not _may_start_a_term(words[i], compiled.heads):
        return None, 1
    pieces = [words[i]]
    for word in words[i + 1 : i + _LONGEST_SPLIT]:
        if word is None or _is_latin(word) or word in _NEVER_JOINED:
            break
        pieces.append(word)
        if all(piece in compiled.clean for piece in pieces):
            continue
        term = _match_word("".join(pieces), compiled, alone=False)
        if term is not None:
            return Match(term, " ".join(pieces)), len(pieces)
    return None, 1


@functools.lru_cache(maxsize=20_000)
def _match_word(word, compiled, alone):
    if not _may_start_a_term(word, compiled.heads):
        return None
    if word in compiled.clean:
        # A word the rules know is clean matches only a term spelled as it is.
        return compiled.by_spelling.get(word)
    readings = morphology.stems(word) if alone else [word]
    # When a word can be read as a clean word with endings, that reading wins
    # («اسکله‌ای» is «اسکله» + «ای», not «اسکل» + «های»).
    if any(stem in compiled.clean for stem in readings[1:]):
        return compiled.by_spelling.get(word)
    for stem in readings:
        term = compiled.by_spelling.get(stem) or compiled.by_key.get(letters.sound_key(stem))
        if term is not None:
            return term
    # Only a word typed with repeats is compared collapsed, so that a clean
    # word («مه», fog) is never read as a term with a doubled letter («ممه»).
    collapsed = letters.collapse(word)
    if collapsed != word:
        for stem in morphology.stems(collapsed) if alone else [collapsed]:
            term = compiled.by_collapsed.get(letters.sound_key(stem))
            if term is not None:
                return term
    return None


def _may_join_latin(first, second):
    """«bi sharaf» is one word split; «can i» is two English words."""
    return (
        min(len(first), len(second)) >= 2
        and first not in lexicon.ENGLISH_WORDS
        and second not in lexicon.ENGLISH_WORDS
    )


_LATIN_ENDINGS = (
    "haa",
    "ha",
    "an",
    "id",
    "in",
    "am",
    "et",
    "esh",
    "etoon",
    "eshoon",
    "a",
    "e",
    "i",
)


def _match_latin(word, compiled):
    if len(word) < 3 or word in lexicon.ENGLISH_WORDS or word in lexicon.FINGLISH_WORDS:
        return None
    readings = [word] + [word[: -len(e)] for e in _LATIN_ENDINGS if word.endswith(e)]
    for reading in readings:
        if len(reading) < 3:
            continue
        key = letters.latin_key(reading)
        if len(key) < 3 and not _PERSIAN_DIGRAPHS_RE.search(reading):
            continue
        term = compiled.latin.get(key)
        if term is not None:
            return term
    return None


_PERSIAN_DIGRAPHS_RE = re.compile("kh|gh|sh|ch|zh")


def _match_phrase(words, i, compiled):
    first = words[i]
    if _is_latin(first) or letters.sound_key(first[:2]) not in compiled.phrase_heads:
        return None
    for key in _phrase_keys(first):
        for elements, term in compiled.phrases.get(key, ()):
            end = _phrase_end(words, i, elements, term, compiled)
            if end:
                written = " ".join(w for w in words[i:end] if w)
                return Match(term, written), end - i
    return None


@functools.lru_cache(maxsize=20_000)
def _phrase_keys(word):
    keys = {letters.sound_key(stem) for stem in morphology.stems(word, in_phrase=True)}
    keys.add(letters.exact_key(word))
    return keys


def _phrase_end(words, i, elements, term, compiled):
    """Where a phrase that starts at word i ends, or None."""
    gap_allowed = _ACCUSATION_GAP if term.kind == ACCUSATION else 0
    position = i + 1
    for element in elements[1:]:
        gap = 0
        while True:
            if position >= len(words) or words[position] is None:
                return None
            word = words[position]
            position += 1
            if _word_is(word, element, compiled):
                break
            if word in _FILLERS:
                continue
            gap += 1
            if gap > gap_allowed:
                return None
    return position


def _word_is(word, keys, compiled):
    if letters.sound_key(word) in keys or word in keys:
        return True
    if word in compiled.clean:
        return False  # «کره خرید» is "bought butter", not «کره‌خر» with an ending
    stems = morphology.stems(word, in_phrase=True)[1:]
    return any(letters.sound_key(stem) in keys or stem in keys for stem in stems)
