"""Restoring the zero-width non-joiners (نیم‌فاصله) that a copied text lost.

Text pasted from a PDF or another site often arrives with «نمیتواند»,
«فعالیتها», «ادارهکل»: the ZWNJ between a word and its prefix or suffix is
gone, and the halves join. `suggest` finds the usual places and proposes
the word with its ZWNJ back; the editor sees every change and chooses
(`apply` takes the words accepted). The rules are those of Persian
orthography for the common cases, not a dictionary:

- the verb prefixes می and نمی before a verb stem («می‌تواند», «نمی‌شود»);
- the plural ها and its forms (های، هایی، هایش …) after a letter that joins;
- the comparative تر and superlative ترین;
- ای، اند، ایم، اید after a silent ه («رسانه‌ای», «شده‌اند»);
- the second half of common compounds (رسانی، گیری، گذاری، کننده …);
- a few fixed compounds of the office's own language («اداره‌کل»).

A word the rules could misread («تنها», «کیلومتر», «میدانی») is left alone.
Nothing but ZWNJs is ever added, so the matching form of the text
(`persian.normalize`) never changes.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

ZWNJ = "\u200c"

# Letters that do not join the letter after them: after one of these a ZWNJ
# changes nothing a reader sees, so none is proposed.
NON_JOINING = set("اآأإٱدذرزژوؤءۀة" + ZWNJ)

_PRESENT_STEMS = set(
    """
    توان شو کن ده گیر خواه دان بین رس یاب گذار گرد پرداز ساز نویس خوان پذیر باش دار آور
    بر گذر مان کش فرست پرس نشین افت افز انداز شناس رسان گشا گشای بخش پوش خور زن کوش ریز
    فروش خر جوی طلب بند نما نمای کاه افزای شمار ورز اندیش پیوند گوی تاب چرخ آموز سوز ترس
    خند دو رو آی زی گرای پاش بار سپار کوب لرز جنب ماند نگر شکن گسل آرا آرای کاو رهان
    چین دوز گزین شتاب پای خواب ستان فشار کاهد بال جو گو
    """.split()
)
_PAST_STEMS = set(
    """
    کرد شد بود داشت گفت رفت آمد دید توانست خواست دانست گرفت داد رسید یافت گذاشت ساخت نوشت
    خواند پذیرفت آورد برد گشت ماند کشید فرستاد پرسید نشست افتاد افزود انداخت شناخت رساند
    بخشید پوشید خورد زد کوشید ریخت فروخت خرید جست سپرد طلبید بست نمود کاست شمرد اندیشید
    پیوست تافت آموخت سوخت ترسید خندید دوید زیست گردید پرداخت گذشت بایست نگریست شکست گزید
    پایید خوابید ستاند فشرد کاهید بالید گشود آراست
    """.split()
)
_PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
_PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند")
# «می‌توان»: the impersonal present has no ending.
_BARE_PRESENT = {"توان"}
# Words that read as a verb with می but are not one in news.
_NOT_VERBS = {"میدانی", "میدانها", "میدانهای"}

_PLURALS = ("هایشان", "هایمان", "هایتان", "هایش", "هایم", "هایت", "هایی", "های", "ها")
# Stems that, with ها, make a word of their own: «تنها», «انتها», «اژدها», «فقها».
_NOT_PLURAL_STEMS = {"تن", "انت", "اژد", "فق", "سه", "ته"}

_COMPARATIVES = ("ترین", "تر")
# Words ending in تر that are not comparatives, and comparatives written joined.
_NOT_COMPARATIVES = {
    "بیش",
    "کم",
    "به",
    "مه",
    "دف",
    "دخ",
    "کبو",
    "چ",
    "ش",
    "بس",
    "انگش",
    "فیل",
    "کاراک",
    "پارام",
    "کیلوم",
    "سانتیم",
    "میلیم",
    "م",
    "دک",
    "اخ",
    "سن",
    "پوس",
    "اک",
    "مس",
    "اس",
    "گس",
    "شوش",
    "اب",
    "کت",
    "ست",
}

# After a silent ه: «رسانه‌ای», «شده‌اند», «کرده‌ایم».
_AFTER_H = ("ای", "اند", "ایم", "اید")
# Common words ending in a silent ه: «بیمهای» is «بیمه‌ای» here, not «بیم‌های».
_H_WORDS = set(
    """
    بیمه رسانه حرفه منطقه دوره شبکه مرحله توسعه هزینه برنامه رایانه پایه ویژه گسترده ساده
    عمده جامعه خانه مقاله نامه اداره ماده لحظه نمونه گونه پروژه ماهه ساله روزه هفته زمینه
    شیوه چهره حوزه نقطه مسئله مجموعه کمیته مدرسه دانشگاه مؤسسه موسسه گروه
    """.split()
)

# Second halves of compounds: «اطلاع‌رسانی», «تصمیم‌گیری», «سرمایه‌گذاری».
_COMPOUND_PARTS = (
    "رسانی",
    "گیری",
    "گذاری",
    "گذار",
    "کنندگان",
    "کننده",
    "سازی",
    "ریزی",
    "پذیری",
    "پذیر",
    "نامه",
    "مندی",
    "مندان",
    "مند",
)
# These take a ZWNJ only after a silent ه («بهره‌مند» but «ارزشمند», «هنرمند»).
_AFTER_H_ONLY = {"مند", "مندی", "مندان", "نامه"}
# First halves that are written joined: «پیگیری», «پیشگیری», «بخشنامه».
_JOINED_FIRST_HALVES = {"پی", "پیش", "بخش", "بر", "در", "باز"}

# Fixed compounds of the office's language that rules cannot find.
_COMPOUNDS = {
    "ادارهکل": "اداره‌کل",
    "ادارات‌کل": "ادارات‌کل",
    "اینرو": "این‌رو",
    "روابطعمومی": "روابط‌عمومی",
}

_WORD_RE = re.compile("[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff\u200c]+")
_MARKUP_RE = re.compile(r"(<[^>]*>|&#?\w+;)")


@dataclass(frozen=True)
class Change:
    """One word to write differently, and how many times the text has it."""

    before: str
    after: str
    count: int


def suggest(text: str) -> list[Change]:
    """The words of a text (plain or HTML) that lost their ZWNJ, in order of appearance."""
    found = {}
    for part in _text_parts(text):
        for word in _WORD_RE.findall(part):
            restored = restore_word(word)
            if restored != word:
                before_count = found.get(word, (restored, 0))[1]
                found[word] = (restored, before_count + 1)
    return [Change(before, after, count) for before, (after, count) in found.items()]


def apply(text: str, accepted=None) -> str:
    """The text with ZWNJs restored in the words accepted (every proposed word when None).

    HTML is welcome: tags, attributes and entities are left as they are.
    """
    if not text:
        return text

    def fix(match):
        word = match.group(0)
        if accepted is not None and word not in accepted:
            return word
        return restore_word(word)

    parts = _MARKUP_RE.split(text)
    return "".join(
        part if index % 2 else _WORD_RE.sub(fix, part) for index, part in enumerate(parts)
    )


def _text_parts(text):
    return _MARKUP_RE.split(text or "")[::2]


@lru_cache(maxsize=4096)
def restore_word(word: str) -> str:
    """One word with the ZWNJs the rules find missing; the word itself when none is."""
    if word in _COMPOUNDS:
        return _COMPOUNDS[word]
    pieces = word.split(ZWNJ)
    return ZWNJ.join(_restore_piece(piece) for piece in pieces)


def _restore_piece(piece):
    if len(piece) < 3:
        return piece
    if piece in _COMPOUNDS:
        return _COMPOUNDS[piece]
    head, rest = _split_verb_prefix(piece)
    stem, tail = _split_suffix(rest)
    stem = _split_compound(stem)
    return _join(head, _join(stem, tail))


def _join(first, second):
    """Two halves of a word, with a ZWNJ between them where one shows."""
    if not first or not second:
        return first + second
    if first[-1] in NON_JOINING:
        return first + second
    return first + ZWNJ + second


def _split_verb_prefix(word):
    """(«نمی», «تواند») for «نمیتواند»; ("", word) when it is not a verb with می."""
    if word in _NOT_VERBS:
        return "", word
    for prefix in ("نمی", "می"):
        if word.startswith(prefix) and _is_verb_rest(word[len(prefix) :]):
            return prefix, word[len(prefix) :]
    return "", word


def _is_verb_rest(rest):
    if rest in _BARE_PRESENT or rest in _PAST_STEMS:
        return True
    for ending in _PRESENT_ENDINGS:
        if rest.endswith(ending) and rest[: -len(ending)] in _PRESENT_STEMS:
            return True
    for ending in _PAST_ENDINGS[1:]:
        if rest.endswith(ending) and rest[: -len(ending)] in _PAST_STEMS:
            return True
    return False


def _split_suffix(word):
    """(stem, suffix) for a plural, comparative or ای after ه; (word, "") otherwise."""
    if word.endswith("های") and word[:-2] in _H_WORDS:
        return word[:-2], "ای"
    for suffix in _PLURALS:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 2 and stem not in _NOT_PLURAL_STEMS:
            stem, inner = _split_suffix(stem) if stem.endswith("ترین") else (stem, "")
            return stem, _join(inner, suffix) if inner else suffix
    for suffix in _COMPARATIVES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem not in _NOT_COMPARATIVES:
            return stem, suffix
    for suffix in _AFTER_H:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem.endswith("ه"):
            if stem[:-1] not in _NOT_PLURAL_STEMS:
                return stem, suffix
    return word, ""


def _split_compound(stem):
    for part in _COMPOUND_PARTS:
        first = stem[: -len(part)]
        if not stem.endswith(part) or len(first) < 2 or first in _JOINED_FIRST_HALVES:
            continue
        if part in _AFTER_H_ONLY and not first.endswith("ه"):
            continue
        return _join(first, part)
    return stem
