"""Which language a comment is written in: Persian, or what else.

Scripts first: a comment mostly in Latin letters is English, Finglish,
Kurmanji or keyboard mash; in Cyrillic, Tajik (or Russian); no letters at
all, only signs. In the Arabic script the languages share most letters, so a
small character model decides: for each of Persian, Arabic, Urdu, Pashto,
Sorani, Sindhi and Azerbaijani, how likely the comment's letter triples are
under the text of that language kept in `comments/languages/` (about two
thousand words each; the Persian includes everyday comment Persian). Letters
only one language has (ے, ښ, ە, ڪ …) weigh in through the same model: an
unseen letter is improbable everywhere but in its own language. A Persian
comment whose letters are improbable in every language is keyboard mash.

The model is built when the module is imported, from the files, in about a
tenth of a second; it is small (tens of thousands of numbers).
"""

import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import lexicon

PERSIAN = "persian"
ARABIC = "arabic"
URDU = "urdu"
PASHTO = "pashto"
SORANI = "sorani"
SINDHI = "sindhi"
AZERBAIJANI = "azerbaijani"
ENGLISH = "english"
FINGLISH = "finglish"
OTHER_LATIN = "latin"
CYRILLIC = "cyrillic"
OTHER_SCRIPT = "other-script"
MASH = "mash"
NO_LETTERS = "no-letters"
UNSURE = "unsure"

# The model's languages and the files their text is in.
MODEL_LANGUAGES = {
    PERSIAN: "fa",
    ARABIC: "ar",
    URDU: "ur",
    PASHTO: "ps",
    SORANI: "ckb",
    SINDHI: "sd",
    AZERBAIJANI: "azb",
}
_DATA = Path(__file__).resolve().parent / "languages"

# The letters Persian and Arabic write (after the folding below); any other
# letter of the script belongs to another language.
_PERSIAN_AND_ARABIC_LETTERS = frozenset("ءآأؤإئابةتثجحخدذرزسشصضطظعغفقلمنهوىیپچژکگۀ")
_FOREIGN_LETTERS = frozenset(
    chr(code)
    for code in [*range(0x0620, 0x064B), *range(0x0671, 0x06D4), 0x06D5, *range(0x0750, 0x0780)]
    if chr(code) not in _PERSIAN_AND_ARABIC_LETTERS and chr(code).isalpha()
)
_SHARED_ALPHABET_LANGUAGES = (PERSIAN, ARABIC, AZERBAIJANI)

# A texts's letters are read with the differences that say nothing about its
# language erased: diacritics, tatweel, ZWNJ, and the Arabic ي and ك, which
# Persian readers on Arabic keyboards type too.
_LANGUAGE_TABLE = {ord("ي"): "ی", ord("ك"): "ک", 0x0640: None, 0x200C: None, 0x200D: None}
_LANGUAGE_TABLE.update(dict.fromkeys([*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]))
# Letters of the Arabic script, without its digits and punctuation.
_ARABIC_WORD_RE = re.compile(
    "[\u0620-\u064a\u066e-\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06ff"
    "\u0750-\u077f\u08a0-\u08ff]+"
)
_LETTERS_RE = re.compile(r"[^\W\d_]+")
# Addresses, handles and e-mail addresses are not words of any language.
_ADDRESS_RE = re.compile(
    r"(?:https?://|www\.)\S+|[\w.+-]*@[\w.-]+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:ir|com|org|net|info|me|io|co|app|ly|gov|edu)\b\S*",
    re.IGNORECASE,
)

_LONG_REPEATS_RE = re.compile(r"(\w)\1{2,}")

# Log-likelihood margins, per letter, tuned on the test tables.
_FOREIGN_MARGIN = 0.15  # another language must beat Persian by this much, on average
_MASH_FLOOR = -3.6  # below this average, no language writes such letters
_PERSIAN_PRIOR = 5.0  # nats over the whole text: e^5, about 150 to one
_UNSURE_PRIOR = 3.0  # from here to the prior, a moderator decides
_SHORT_TEXT_DOUBT = 2.0  # for mash: divided by the number of letters
_MASH_LETTERS = 12  # a shorter text is too short to call mash by its letters
_NO_OWN_LETTER_DOUBT = 0.6


@dataclass(frozen=True)
class Identification:
    language: str
    scores: dict  # language → average log-likelihood per letter triple
    words: int  # words in the script that decided


def _padded(word):
    return f"  {word} "


class _CharacterModel:
    """Per language, how likely each letter is after the two before it.

    An interpolation of letter-triple, pair and single-letter frequencies
    (with add-one smoothing over the letters of all languages), so that a
    small text still gives every sequence a sensible probability. The
    interpolated log-probabilities of every triple seen in any language are
    computed once; an unseen triple falls back to its pair, then its letter.
    """

    WEIGHTS = (0.6, 0.3, 0.1)  # triple, pair, letter

    def __init__(self, texts: dict[str, str]):
        self.languages = tuple(texts)
        trigrams, bigrams, unigrams = [], [], []
        for language in self.languages:
            tri, bi, uni = {}, {}, {}
            for word in _ARABIC_WORD_RE.findall(texts[language].translate(_LANGUAGE_TABLE)):
                padded = _padded(word)
                for i in range(2, len(padded)):
                    a, b, c = padded[i - 2], padded[i - 1], padded[i]
                    tri[a + b + c] = tri.get(a + b + c, 0) + 1
                    bi[b + c] = bi.get(b + c, 0) + 1
                    uni[c] = uni.get(c, 0) + 1
            trigrams.append(tri)
            bigrams.append(bi)
            unigrams.append(uni)
        letters = set().union(*unigrams)
        alphabet = len(letters) + 1

        def contexts(table, size):
            totals = {}
            for gram, count in table.items():
                totals[gram[:size]] = totals.get(gram[:size], 0) + count
            return totals

        tri_contexts = [contexts(t, 2) for t in trigrams]
        bi_contexts = [contexts(b, 1) for b in bigrams]
        letter_totals = [sum(u.values()) for u in unigrams]
        w3, w2, w1 = self.WEIGHTS

        def p1(i, c):
            return (unigrams[i].get(c, 0) + 1) / (letter_totals[i] + alphabet)

        def p2(i, b, c):
            total = bi_contexts[i].get(b, 0)
            return bigrams[i].get(b + c, 0) / total if total else 0.0

        def p3(i, a, b, c):
            total = tri_contexts[i].get(a + b, 0)
            return trigrams[i].get(a + b + c, 0) / total if total else 0.0

        languages = range(len(self.languages))
        self.triples = {
            gram: tuple(
                math.log(w3 * p3(i, *gram) + w2 * p2(i, gram[1], gram[2]) + w1 * p1(i, gram[2]))
                for i in languages
            )
            for gram in set().union(*trigrams)
        }
        self.pairs = {
            gram: tuple(
                math.log(w2 * p2(i, gram[0], gram[1]) + w1 * p1(i, gram[1])) for i in languages
            )
            for gram in set().union(*bigrams)
        }
        self.letters = {c: tuple(math.log(w1 * p1(i, c)) for i in languages) for c in letters}
        self.unseen = tuple(math.log(w1 * p1(i, "")) for i in languages)

    @functools.lru_cache(maxsize=20_000)  # noqa: B019 - one model per process, never freed
    def word_scores(self, word):
        """Summed log-probabilities of a word's letters per language, and their number."""
        padded = _padded(word)
        triples, pairs, letters, unseen = self.triples, self.pairs, self.letters, self.unseen
        rows = [
            triples.get(padded[i - 2 : i + 1])
            or pairs.get(padded[i - 1 : i + 1])
            or letters.get(padded[i], unseen)
            for i in range(2, len(padded))
        ]
        return tuple(map(sum, zip(*rows, strict=True))), len(rows)


def _read_texts():
    return {
        language: "\n".join(
            path.read_text(encoding="utf-8") for path in sorted(_DATA.glob(f"{code}*.txt"))
        )
        for language, code in MODEL_LANGUAGES.items()
    }


MODEL = _CharacterModel(_read_texts())


def identify(text: str) -> Identification:
    """The language of a comment, with the model's scores when the Arabic script decided."""
    text = _ADDRESS_RE.sub(" ", unicodedata.normalize("NFKC", text))
    # «خیییییلی» is «خیلی» said with feeling: a letter typed three times or more is one.
    text = _LONG_REPEATS_RE.sub(r"\1", text)
    arabic_script = _ARABIC_WORD_RE.findall(text.translate(_LANGUAGE_TABLE))
    latin, cyrillic, other = [], 0, 0
    for word in _LETTERS_RE.findall(text):
        script = _script(word[0])
        if script == "latin":
            latin.append(word.lower())
        elif script == "cyrillic":
            cyrillic += 1
        elif script != "arabic":
            other += 1
    if not (arabic_script or latin or cyrillic or other):
        return Identification(NO_LETTERS, {}, 0)
    if len(arabic_script) >= max(len(latin), cyrillic, other):
        return _arabic_script_language(arabic_script)
    if len(latin) >= max(cyrillic, other):
        return Identification(_latin_language(latin), {}, len(latin))
    return Identification(CYRILLIC if cyrillic >= other else OTHER_SCRIPT, {}, cyrillic or other)


def words_with_own_letters(text: str) -> int:
    """How many words have a letter of Urdu, Pashto, Kurdish or Sindhi that Persian lacks."""
    return sum(1 for word in _ARABIC_WORD_RE.findall(text) if _FOREIGN_LETTERS.intersection(word))


def _script(letter):
    code = ord(letter)
    if code < 0x0250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x0400 <= code <= 0x052F:
        return "cyrillic"
    if 0x0600 <= code <= 0x08FF or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    return "other"


def _arabic_script_language(words):
    scored = [MODEL.word_scores(word) for word in words]
    sums = list(map(sum, zip(*(word_sums for word_sums, _count in scored), strict=True)))
    grams = sum(count for _sums, count in scored)
    scores = {
        language: total / grams for language, total in zip(MODEL.languages, sums, strict=True)
    }
    persian = scores[PERSIAN]
    best = max(scores, key=scores.get)
    if _mashed_words(words) * 2 > len(words):
        return Identification(MASH, scores, len(words))
    if (
        len(words) > 1
        and grams >= _MASH_LETTERS
        and scores[best] < _MASH_FLOOR - _SHORT_TEXT_DOUBT / grams
    ):
        return Identification(MASH, scores, len(words))
    own_letters = _FOREIGN_LETTERS.intersection("".join(words))
    if len(words) == 1 and not own_letters:
        # One word in letters Persian has («تشکر», «شیرینی») is read as Persian.
        return Identification(PERSIAN, scores, 1)
    margin = _FOREIGN_MARGIN
    if best not in _SHARED_ALPHABET_LANGUAGES and not own_letters:
        # Urdu, Pashto, Kurdish and Sindhi are seldom written without a
        # letter of their own: with Persian letters only, it takes more.
        margin += _NO_OWN_LETTER_DOUBT
    # Comments here are Persian far more often than anything else: another
    # language must also be more likely over the whole text by a wide factor,
    # which a word or two cannot show.
    lead = (scores[best] - persian) * grams
    if best != PERSIAN and scores[best] - persian >= margin and lead >= _PERSIAN_PRIOR:
        return Identification(best, scores, len(words))
    if best != PERSIAN and lead >= _UNSURE_PRIOR and len(words) >= 3:
        return Identification(UNSURE, scores, len(words))
    return Identification(PERSIAN, scores, len(words))


# Keyboard rows, Persian (standard layout) and Latin: five or more neighbours
# in a row («سیبلا», «asdfg») are no word of any language.
_KEYBOARD_ROWS = ("ضصثقفغعهخحجچ", "شسیبلاتنمکگ", "ظطزرذدپو", "qwertyuiop", "asdfghjkl", "zxcvbnm")
_NEXT_KEYS = frozenset(
    pair
    for row in _KEYBOARD_ROWS
    for a, b in zip(row, row[1:], strict=False)
    for pair in (a + b, b + a)
)


def _keyboard_run(word):
    """The longest run of neighbouring keys of one row in a word."""
    longest = run = 1
    for i in range(1, len(word)):
        run = run + 1 if word[i - 1 : i + 1] in _NEXT_KEYS else 1
        longest = max(longest, run)
    return longest


_REPEATED_CHUNK_RE = re.compile(r"(.{3,}).*\1")
# Persian doubles words around «به» and «و»: «گاه‌به‌گاه», «چهره‌به‌چهره».
_REDUPLICATION_RE = re.compile(r"^(.+)(?:به|و|ا)\1$")


def _mashed_words(words):
    """Words of five letters or more that are a run of keys or a chunk typed twice."""
    return sum(1 for word in words if len(word) >= 5 and _is_mashed(_collapse_repeats(word)))


def _is_mashed(word):
    if _keyboard_run(word) >= 5:
        return True
    return bool(_REPEATED_CHUNK_RE.search(word)) and not _REDUPLICATION_RE.match(word)


def _collapse_repeats(word):
    return re.sub(r"(.)\1+", r"\1", word)


_VOWELS_RE = re.compile("[aeiouy]")


def _latin_language(words):
    """English, Finglish, another language in Latin letters, or keyboard mash."""
    if not all(word.isascii() for word in words):
        return OTHER_LATIN  # Finglish and English need no accents; Kurmanji and Turkish do
    english = finglish = mash = 0
    for word in words:
        if word in lexicon.ENGLISH_WORDS:
            english += 1
        elif word in lexicon.FINGLISH_WORDS or _looks_finglish(word):
            finglish += 1
        elif _looks_mashed(word):
            mash += 1
    if mash > english + finglish:
        return MASH
    if finglish >= 1 and finglish > english:
        return FINGLISH
    return ENGLISH if english else OTHER_LATIN


_FINGLISH_SHAPE_RE = re.compile(r"kh|zh|aa|^gh|[aeiou]gh[aeiou]|q(?!u)|oo|ee")


def _looks_finglish(word):
    return bool(_FINGLISH_SHAPE_RE.search(word))


def _looks_mashed(word):
    if len(word) >= 4 and not _VOWELS_RE.search(word):
        return True
    if _keyboard_run(word) >= 4:
        return True  # «asdf», «uiop»
    return len(set(word)) * 3 <= len(word) and len(word) >= 6  # «qweqweqwe»
