"""Letters as the posting rules compare them: look-alikes folded, sound-alikes merged.

Three steps, each a translation table built once:

- `fold`: every Arabic-script letter that looks like a Persian letter becomes
  that letter. The table is derived from the Unicode names of the Arabic
  blocks («ARABIC LETTER KEHEH WITH THREE DOTS BELOW» is a keheh, that is
  «ک»), so Urdu, Kurdish, Pashto, Sindhi and the rarer forms are all covered
  without listing them; presentation forms go through NFKC first.
  Diacritics, tatweel and invisible characters go; digits become ASCII.
  «آ» is kept, since a blocked term may ask for its exact spelling.
- `sound_key`: letters Persian writes alike for one sound become one letter
  (ث ص → س, ط → ت, ذ ض ظ → ز, ح → ه, غ → ق, ئ → ع, آ → ا; ء goes): «کسافت» and
  «کثافط» share a key; `collapse` makes runs of a letter one («کثاااافت»).
- `latin_key` and `persian_consonants`: a Latin word («ahmagh») and a
  Persian word («احمق») reduced to the consonants both alphabets write, so
  that an insult in Finglish meets its Persian term.
"""

import re
import unicodedata

ZWNJ = "\u200c"

# What an Arabic letter named «ARABIC LETTER <BASE> [WITH …]» looks like in
# Persian, by its base name. Bases are what Unicode calls the letters; a few
# read better by sound than by shape: the Pashto «ګ» (kaf with ring) is a g.
_BASES = {
    "ALEF": "ا",
    "ALEF WASLA": "ا",
    "LOW ALEF": "ا",
    "HIGH HAMZA ALEF": "ا",
    "BEH": "ب",
    "BEEH": "ب",
    "BEHEH": "ب",
    "DOTLESS BEH": "ب",
    "PEH": "پ",
    "TEH": "ت",
    "TEHEH": "ت",
    "TTEH": "ت",
    "TTEHEH": "ت",
    "TEH MARBUTA": "ه",
    "TEH MARBUTA GOAL": "ه",
    "THEH": "ث",
    "JEEM": "ج",
    "DYEH": "ج",
    "NYEH": "ج",
    "TCHEH": "چ",
    "TCHEHEH": "چ",
    "HAH": "ح",
    "KHAH": "خ",
    "DAL": "د",
    "DDAL": "د",
    "DAHAL": "د",
    "DDAHAL": "د",
    "DUL": "د",
    "THAL": "ذ",
    "REH": "ر",
    "RREH": "ر",
    "ZAIN": "ز",
    "JEH": "ژ",
    "SEEN": "س",
    "SHEEN": "ش",
    "SAD": "ص",
    "DAD": "ض",
    "TAH": "ط",
    "ZAH": "ظ",
    "AIN": "ع",
    "GHAIN": "غ",
    "FEH": "ف",
    "VEH": "ف",
    "PEHEH": "ف",
    "DOTLESS FEH": "ف",
    "AFRICAN FEH": "ف",
    "QAF": "ق",
    "DOTLESS QAF": "ق",
    "AFRICAN QAF": "ق",
    "KAF": "ک",
    "KEHEH": "ک",
    "SWASH KAF": "ک",
    "NG": "گ",
    "GAF": "گ",
    "GUEH": "گ",
    "NGOEH": "گ",
    "GRAF": "گ",
    "LAM": "ل",
    "MEEM": "م",
    "NOON": "ن",
    "NOON GHUNNA": "ن",
    "RNOON": "ن",
    "AFRICAN NOON": "ن",
    "HEH": "ه",
    "HEH GOAL": "ه",
    "HEH DOACHASHMEE": "ه",
    "AE": "ه",
    "WAW": "و",
    "STRAIGHT WAW": "و",
    "HIGH HAMZA WAW": "و",
    "U": "و",
    "OE": "و",
    "YU": "و",
    "VE": "و",
    "KIRGHIZ OE": "و",
    "KIRGHIZ YU": "و",
    "YEH": "ی",
    "FARSI YEH": "ی",
    "ALEF MAKSURA": "ی",
    "YEH BARREE": "ی",
    "E": "ی",
    "KASHMIRI YEH": "ی",
    "ROHINGYA YEH": "ی",
    "HIGH HAMZA YEH": "ی",
    "HAMZA": "ء",
}

# Letters whose base name alone would mislead.
_BY_NAME = {
    "ARABIC LETTER ALEF WITH MADDA ABOVE": "آ",
    "ARABIC LETTER YEH WITH HAMZA ABOVE": "ئ",  # a glottal stop, like «ع»: see sound_key
    "ARABIC LETTER KAF WITH RING": "گ",  # Pashto g
    "ARABIC LETTER HIGH HAMZA": "",
    "ARABIC LETTER SUPERSCRIPT ALEF": "",
}

_ARABIC_BLOCKS = [(0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF)]


def _lookalike_table():
    table = {}
    for start, end in _ARABIC_BLOCKS:
        for code in range(start, end + 1):
            name = unicodedata.name(chr(code), "")
            if name in _BY_NAME:
                table[code] = _BY_NAME[name]
                continue
            if not name.startswith("ARABIC LETTER "):
                if unicodedata.category(chr(code)) == "Mn":
                    table[code] = None  # diacritics and small high marks
                continue
            base = name.removeprefix("ARABIC LETTER ").split(" WITH ")[0]
            if base in _BASES:
                table[code] = _BASES[base]
    for digits in ("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩"):
        table.update({ord(d): str(i) for i, d in enumerate(digits)})
    # Invisible characters and tatweel vanish inside a word: «اح\u200cمق» is one word.
    for code in [0x0640, 0x00AD, 0x034F, 0x061C, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164]:
        table[code] = None
    for start, end in [(0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F)]:
        table.update(dict.fromkeys(range(start, end + 1)))
    table.update(dict.fromkeys(range(0xFE00, 0xFE10)))
    table[0xFEFF] = None
    return table


_FOLD_TABLE = _lookalike_table()
# Presentation forms, compatibility letters, full-width Latin: NFKC makes letters of them.
_COMPATIBILITY_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufefe\uff00-\uffef\u0300-\u036f]")
_LATIN_MARKS_RE = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Letters as a Persian reader sees them; invisible characters and diacritics gone."""
    if _COMPATIBILITY_RE.search(text):
        text = unicodedata.normalize("NFKD", text)
        text = _LATIN_MARKS_RE.sub("", text)
        text = unicodedata.normalize("NFKC", text)
    return text.translate(_FOLD_TABLE).lower()


_SOUND_TABLE = str.maketrans(
    {
        "ث": "س",
        "ص": "س",
        "ط": "ت",
        "ذ": "ز",
        "ض": "ز",
        "ظ": "ز",
        "ح": "ه",
        "غ": "ق",
        "ئ": "ع",
        "ء": "",
        "آ": "ا",
    }
)
_REPEATS_RE = re.compile(r"(.)\1+")


def collapse(word: str) -> str:
    """Runs of one letter as one letter: «احمققق» → «احمق»."""
    return _REPEATS_RE.sub(r"\1", word) if _REPEATS_RE.search(word) else word


def sound_key(word: str) -> str:
    """A folded word with the letters of one sound merged («کصافت» → «کسافت»)."""
    return word.translate(_SOUND_TABLE)


def exact_key(word: str) -> str:
    """A folded word as spelled, for terms that ask for their exact form («آشغال»)."""
    return word


# Finglish: a Latin word and a Persian word reduced to what both alphabets
# write, in the letters of the sound-key alphabet. Short vowels (a, e, o) are
# left out, since Persian does not write them; long ones are the letters
# Persian writes for them (i, ee, ey → ی; u, oo, ou → و).
_LATIN_GROUPS = [
    ("kh", "خ"),
    ("gh", "ق"),
    ("sh", "ش"),
    ("ch", "چ"),
    ("zh", "ژ"),
    ("ph", "ف"),
    ("ee", "ی"),
    ("ei", "ی"),
    ("ey", "ی"),
    ("oo", "و"),
    ("ou", "و"),
]
_LATIN_LETTERS = {
    "b": "ب",
    "p": "پ",
    "t": "ت",
    "j": "ج",
    "h": "ه",
    "x": "خ",
    "d": "د",
    "r": "ر",
    "z": "ز",
    "s": "س",
    "c": "ک",
    "f": "ف",
    "q": "ق",
    "k": "ک",
    "g": "گ",
    "l": "ل",
    "m": "م",
    "n": "ن",
    "v": "و",
    "w": "و",
    "y": "ی",
    "i": "ی",
    "u": "و",
    "a": "",
    "e": "",
    "o": "",
}


def latin_key(word: str) -> str:
    """A Finglish word in Persian letters: «ahmagh» → «همق», «bishoor» → «بیشور»."""
    word = word.lower()
    if word.endswith("eh"):
        word = word[:-1]  # «goosaleh»: a final h after e is the vowel's letter
    for group, letter in _LATIN_GROUPS:
        word = word.replace(group, letter)
    # A word that starts with a vowel starts with «ا» (or «ع») in Persian.
    start = "ا" if word[:1] in ("a", "e", "o", "i", "u", "ی", "و") else ""
    if word[:1] in ("a", "e", "o"):
        word = word[1:]
    return collapse(start + "".join(_LATIN_LETTERS.get(ch, ch) for ch in word))


# Persian letters that a Finglish writer may spell with a short vowel or not
# at all; «ا» and «ع» never leave a consonant.
_OPTIONAL_IN_LATIN = {"و", "ی", "ه"}
_ALWAYS_VOWEL = {"ا", "ع"}


def persian_consonants(key: str, limit: int = 64) -> set[str]:
    """The forms a Finglish writer may give a sound-keyed Persian word.

    «و», «ی» and «ه» are written as a letter in some words and as a short
    vowel in others, so each may be kept or left out; «ا» and «ع» are kept
    only at the start, as the vowel a Finglish word starts with.
    """
    forms = {"ا"} if key[:1] in _ALWAYS_VOWEL else {""}
    for ch in key[1:] if forms != {""} else key:
        if ch in _ALWAYS_VOWEL:
            continue
        if ch in _OPTIONAL_IN_LATIN:
            forms = {form + ch for form in forms} | forms
        else:
            forms = {form + ch for form in forms}
        if len(forms) > limit:
            break
    return {collapse(form) for form in forms if form}
