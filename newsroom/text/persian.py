"""Persian text: the one place that knows how Persian is typed and shown.

Three forms of a text matter to the portal:

- the *stored* form (`fold`): what an editor or reader typed, with Arabic
  letters and digits that look like Persian ones replaced by the Persian
  code points, tatweel and bidi controls removed. Nothing a person would see
  as a change.
- the *matching* form (`normalize`): the stored form with every difference
  that people do not intend erased: diacritics, hamza seats, ZWNJ and
  spacing variants, digit scripts, Latin case. Search, tags, the insult
  filter, the language rule and the captcha answer compare texts in it.
- the *display* form: Persian digits (`to_persian_digits`,
  `persian_digits_in_html`) and Jalali dates (`jalali`).
"""

import re
import unicodedata
from datetime import datetime

import jdatetime
from django.utils import timezone
from persiantools import digits as pt_digits

ZWNJ = "\u200c"
TATWEEL = "\u0640"

# Marks that change the direction of text without being seen: a reader can
# use them to make a comment display differently from how it reads.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_BIDI_RE = re.compile(f"[{BIDI_CONTROLS}]")

# Arabic diacritics (harakat, tanwin, shadda, sukun, superscript alef, small
# high marks) that Persian writers add rarely and readers never type.
_DIACRITICS_RE = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")

# Letters that Arabic keyboards produce where Persian has its own code point.
_FOLD_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي → ی
        "\u0649": "\u06cc",  # ى → ی
        "\u0643": "\u06a9",  # ك → ک
        "\u06c0": "\u0647\u0654",  # ۀ written as one code point; kept as ه + hamza
    }
)

# In the matching form, letters that readers write interchangeably.
_MATCH_LETTERS = str.maketrans(
    {
        "\u0622": "\u0627",  # آ → ا
        "\u0623": "\u0627",  # أ → ا
        "\u0625": "\u0627",  # إ → ا
        "\u0671": "\u0627",  # ٱ → ا
        "\u0624": "\u0648",  # ؤ → و
        "\u0626": "\u06cc",  # ئ → ی
        "\u0629": "\u0647",  # ة → ه
        "\u0654": None,  # hamza above (as in ۀ)
        "\u0621": None,  # standalone hamza
    }
)

_ASCII_DIGITS = "0123456789"
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

_SPACES_RE = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_ZWNJ_RUN_RE = re.compile(f"[ \t]*{ZWNJ}+[ \t]*")
_WORD_RE = re.compile(r"\w+")


def fold(text: str) -> str:
    """The stored form: Persian letters and digits, no tatweel or bidi controls.

    Arabic-Indic digits become Persian digits; ASCII digits are left as typed
    (they are common in Persian text and `to_persian_digits` shows them).
    """
    if not text:
        return ""
    text = text.translate(_FOLD_LETTERS)
    text = pt_digits.ar_to_fa(text)
    text = text.replace(TATWEEL, "")
    text = _BIDI_RE.sub("", text)
    # A ZWNJ beside a space is a typing slip (the space wins); two in a row are one.
    text = _ZWNJ_RUN_RE.sub(_mend_zwnj, text)
    return unicodedata.normalize("NFC", text)


def _mend_zwnj(match: re.Match) -> str:
    return " " if match.group(0).strip(ZWNJ) else ZWNJ


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits as ASCII, for parsing numbers."""
    return pt_digits.fa_to_en(pt_digits.ar_to_fa(text))


def to_persian_digits(text) -> str:
    """ASCII and Arabic-Indic digits as Persian digits, for display."""
    return pt_digits.en_to_fa(pt_digits.ar_to_fa(str(text)))


def normalize(text: str) -> str:
    """The matching form: what two spellings of the same words have in common.

    Diacritics and hamza seats are removed, ZWNJ joins the halves of a word
    («اطلاع‌رسانی» and «اطلاعرسانی» are equal), digits are ASCII, Latin
    letters lower case, and runs of white space a single space.
    """
    if not text:
        return ""
    # One pass of one table does what fold and the matching rules do letter
    # by letter; search, the insult filter and the language rule call this
    # for every text, so it is kept to a few passes over the string.
    text = text.translate(_MATCHING_TABLE)
    if _COMPATIBILITY_FORMS_RE.search(text):
        text = unicodedata.normalize("NFKC", text).translate(_MATCHING_TABLE)
    return _SPACES_RE.sub(" ", text.lower()).strip()


def _matching_table():
    table = {}
    for source in (_FOLD_LETTERS, _MATCH_LETTERS):
        table.update(source)
    table[ord("\u06c0")] = "\u0647"  # ۀ: the hamza above goes in the matching form
    for digits in (_PERSIAN_DIGITS, _ARABIC_DIGITS):
        table.update({ord(d): a for d, a in zip(digits, _ASCII_DIGITS, strict=True)})
    for removed in (TATWEEL, ZWNJ, BIDI_CONTROLS, _DIACRITIC_CHARS):
        table.update(dict.fromkeys(map(ord, removed)))
    return table


# Arabic diacritics as characters, for the one-pass table.
_DIACRITIC_CHARS = "".join(chr(c) for c in [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)])
_MATCHING_TABLE = _matching_table()
# Presentation forms and other compatibility characters NFKC turns into letters.
_COMPATIBILITY_FORMS_RE = re.compile("[\ufb50-\ufdff\ufe70-\ufeff\uff00-\uffef\u00a0-\u00ff]")


def words(text: str) -> list[str]:
    """The words of a text in the matching form, punctuation dropped."""
    return _WORD_RE.findall(normalize(text))


def strip_invisible(text: str) -> str:
    """The text without spaces or characters that show nothing."""
    text = _BIDI_RE.sub("", text)
    return "".join(
        ch
        for ch in text
        if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc", "Zs", "Mn")
    )


# Letters that draw nothing: the Hangul fillers and the blank braille cell.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_blank(text: str) -> bool:
    """Whether the text shows nothing on screen.

    Spaces, formatting characters (ZWNJ, ZWSP, direction marks), controls,
    combining marks with nothing to sit on and letters that are drawn empty
    do not count; one letter, digit, punctuation mark or symbol does.
    """
    return all(
        ch.isspace()
        or ch in _BLANK_LETTERS
        or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me")
        for ch in text or ""
    )


def slugify(text: str) -> str:
    """A slug for a URL that keeps Persian letters: «تأمین اجتماعی» → «تأمین-اجتماعی»."""
    text = fold(text)
    text = _DIACRITICS_RE.sub("", text)
    text = to_ascii_digits(text).lower()
    text = re.sub(r"[^\w\s\u200c-]", " ", text)
    text = re.sub(r"[\s\u200c_-]+", "-", text)
    return text.strip("-")[:100].strip("-")


# Text outside markup and outside URLs or e-mail addresses: only there may
# digits be shown in Persian, since a link or an attribute must stay as typed.
_MARKUP_OR_ADDRESS_RE = re.compile(
    r"(<[^>]*>|&#?\w+;|(?:https?://|www\.)[^\s<>\"']+|[\w.+-]+@[\w-]+\.[\w.-]+)",
    re.IGNORECASE,
)


def persian_digits_in_html(html: str) -> str:
    """Persian digits in the text of an HTML fragment; tags, entities and URLs untouched."""
    parts = _MARKUP_OR_ADDRESS_RE.split(str(html))
    # re.split with one capturing group alternates text and matched markup.
    return "".join(part if i % 2 else to_persian_digits(part) for i, part in enumerate(parts))


def jalali(value: datetime, fmt: str = "%-d %B %Y - %H:%M") -> str:
    """A moment as a Jalali date in Tehran time with Persian digits: «۸ آذر ۱۴۰۵ - ۱۴:۳۰»."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    moment = jdatetime.datetime.fromgregorian(datetime=value, locale="fa_IR")
    return to_persian_digits(moment.strftime(fmt))


def jalali_date(value, fmt: str = "%-d %B %Y") -> str:
    """A date (or moment) as a Jalali date without the time: «۸ آذر ۱۴۰۵»."""
    return jalali(value, fmt) if isinstance(value, datetime) else _jalali_plain_date(value, fmt)


def _jalali_plain_date(value, fmt):
    if value is None:
        return ""
    moment = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
    return to_persian_digits(moment.strftime(fmt))


def parse_int(text: str, max_digits: int = 18) -> int | None:
    """A whole number typed in any digit script, with spaces around it; else None."""
    text = to_ascii_digits(strip_invisible(text or ""))
    if not (text.isdigit() and text.isascii()) or len(text) > max_digits:
        return None
    return int(text)


# Years an editor of this office may mean. Anything else is a slip (a
# Gregorian year, a missing digit) and is refused rather than guessed.
JALALI_YEARS = range(1300, 1501)

_JALALI_MOMENT_RE = re.compile(
    r"^(?P<year>\d{1,4})\s*[/\-.]\s*(?P<month>\d{1,2})\s*[/\-.]\s*(?P<day>\d{1,2})"
    r"(?:(?:\s+|\s*[-،,T]\s*|\s*ساعت\s*)"
    r"(?P<hour>\d{1,2})\s*:\s*(?P<minute>\d{1,2})(?:\s*:\s*(?P<second>\d{1,2}))?)?$"
)


class JalaliInputError(ValueError):
    """Why a typed Jalali moment was refused: `code` is one of
    'format', 'year', 'date' or 'time'."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def parse_jalali(text: str) -> datetime:
    """A moment typed as a Jalali date, in any digit script: a naive Gregorian datetime.

    «۱۴۰۵/۰۹/۲۰ ۱۰:۳۰», `1405-09-20 10:30` and `1405/9/20` (midnight) are
    read; the year must be in `JALALI_YEARS`, so `2026-12-11` is refused
    rather than read as a Gregorian date or as the year 2026 of the Jalali
    calendar. Raises `JalaliInputError`.
    """
    text = to_ascii_digits(_BIDI_RE.sub("", text or "")).replace("\u066b", "/").strip()
    match = _JALALI_MOMENT_RE.match(text)
    if match is None:
        raise JalaliInputError("format")
    year, month, day = (int(match[name]) for name in ("year", "month", "day"))
    if year not in JALALI_YEARS:
        raise JalaliInputError("year")
    try:
        date = jdatetime.date(year, month, day)
    except ValueError:
        raise JalaliInputError("date") from None
    hour, minute, second = (int(match[name] or 0) for name in ("hour", "minute", "second"))
    if hour > 23 or minute > 59 or second > 59:
        raise JalaliInputError("time")
    return datetime.combine(date.togregorian(), datetime.min.time()).replace(
        hour=hour, minute=minute, second=second
    )


def jalali_input(value: datetime) -> str:
    """A moment as an editor types it back: `1405/09/20 10:30` in Tehran time, ASCII digits."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    moment = jdatetime.datetime.fromgregorian(datetime=value)
    return moment.strftime("%Y/%m/%d %H:%M")
