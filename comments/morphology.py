"""Persian word endings, written and spoken, and verb forms, for matching blocked terms.

A blocked term is a word's base form; readers write it with endings:
plurals («عوضی‌ها», «عوضیا»), the spoken copula («کودنه» "is a dimwit",
«خنگن» "are dim"), persons («احمقید», «احمقی»), possessives
(«ریختتو»), the vocative «ا». `stems` gives every reading of a word as a base
plus endings; the rules look each base up among the terms. Endings are cut
only as a whole and only from the end: a prefix is never removed, so
«می‌خرن» ("they buy") never becomes «خر».

A term whose last word is an infinitive («رشوه گرفتن») is matched by its
verb forms instead (`verb_forms`): «رشوه گرفته», «رشوه می‌گیره».
"""

# Endings of person, copula and possession (written and spoken), by the
# shortest base they may follow. Two-letter bases take only the endings
# that readers really use with them («خره», «خرن», «خری», «خرا»), so that
# «خرید» and «خرم» are never «خر» with an ending.
_ENDINGS: dict[str, int] = {
    "ه": 2,
    "ن": 2,
    "ی": 2,
    "یه": 2,
    "و": 2,
    "ای": 2,
    "یی": 3,
    "ید": 3,
    "ین": 3,
    "یم": 3,
    "م": 3,
    "ام": 3,
    "اید": 3,
    "این": 3,
    "ایم": 3,
    "اند": 3,
    "ست": 3,
    "است": 3,
    "ت": 3,
    "ش": 3,
    "تو": 3,
    "تون": 2,
    "شون": 2,
    "تونو": 2,
    "شونو": 2,
    "مونو": 3,
    "شو": 3,
    "تان": 2,
    "شان": 2,
    "مون": 3,
    "مان": 3,
    "تر": 3,
    "ترین": 3,
}
_PLURALS: dict[str, int] = {"ها": 2, "های": 2, "هایی": 2, "ا": 2, "ان": 3}


def _by_last_letter(endings):
    table = {}
    for ending, shortest in endings.items():
        table.setdefault(ending[-1], []).append((ending, shortest))
    return table


_ENDINGS_BY_LETTER = _by_last_letter(_ENDINGS)
_PLURALS_BY_LETTER = _by_last_letter(_PLURALS)


def _cut(word, endings, shortest_base):
    for ending, shortest in endings.get(word[-1:], ()):
        if word.endswith(ending) and len(word) - len(ending) >= (shortest_base or shortest):
            yield word[: -len(ending)]


def stems(word: str, in_phrase: bool = False) -> list[str]:
    """The word and every base it may be with endings cut, the word itself first.

    Inside a phrase («خاک بر سرت») the words around make the reading safe,
    and any ending may follow a base of two letters.
    """
    shortest = 2 if in_phrase else None
    found = [word]
    for base in _cut(word, _PLURALS_BY_LETTER, shortest):
        found.append(base)
    for base in _cut(word, _ENDINGS_BY_LETTER, shortest):
        found.append(base)
        found.extend(_cut(base, _PLURALS_BY_LETTER, shortest))
    return found


# Present stems of the verbs whose present is not the infinitive less «یدن»
# (one, or the written and the spoken one).
_PRESENT_STEMS = {
    "کردن": "کن",
    "گرفتن": "گیر",
    "خوردن": "خور",
    "زدن": "زن",
    "بردن": "بر",
    "دادن": "ده",
    "شدن": "شو",
    "داشتن": "دار",
    "انداختن": "انداز",
    "ساختن": "ساز",
    "فروختن": "فروش",
    "بستن": "بند",
    "خواستن": "خواه",
    "رفتن": "رو",
    "آوردن": "آور",
    "کشتن": "کش",
    "شکستن": "شکن",
    "دیدن": "بین",
    # «می‌گویید» as written, «میگید» as said.
    "گفتن": ("گوی", "گ"),
    "ریدن": "رین",
}
# A present stem is never written without its person: «میرین» is "you go",
# not «ریدن»'s stem «رین» alone.
_PERSONS = ["م", "ی", "ه", "د", "یم", "ید", "ین", "ند", "ن"]
_PAST_PERSONS = [
    "",
    "م",
    "ی",
    "یم",
    "ید",
    "ین",
    "ند",
    "ن",
    "ه",
    "هاند",
    "هان",
    "هاست",
    "ه است",
    "ست",
]


def is_infinitive(word: str) -> bool:
    return word in _PRESENT_STEMS or (len(word) >= 5 and word.endswith("یدن"))


def verb_forms(infinitive: str) -> set[str]:
    """Indicative forms of a verb, written joined: «گرفتن» → «گرفته», «میگیره», «گرفتن» …

    The subjunctive and imperative («بگیرد», «بخورید») are left out: they
    speak of what should be, not of what someone did.
    """
    past = infinitive[:-1]
    presents = _PRESENT_STEMS.get(infinitive) or infinitive.removesuffix("یدن")
    if isinstance(presents, str):
        presents = (presents,)
    forms = set()
    for prefix in ("", "می", "نمی", "ن"):
        forms.update(prefix + past + person for person in _PAST_PERSONS)
    for prefix in ("می", "نمی"):
        forms.update(prefix + present + person for present in presents for person in _PERSONS)
    return {form.replace(" ", "") for form in forms}
