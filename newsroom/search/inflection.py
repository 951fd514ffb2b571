"""A light stemmer for Persian words in the matching form, and the words a query may leave out.

The stem is a key, not a word: two forms of one word get the same key, so
that the word index (newsroom/search/words.py) can hand a query every form
the articles use. The words it works on are in the matching form of
`persian.normalize`: no ZWNJ («کارشناس‌ها» is «کارشناسها»), Persian letters,
no hamza seats.

What it removes, longest first, as long as three letters are left:

- plurals: ها and های, ان, ات, ین, and گان / گی of words that end in ه
  («نمایندگان», «نمایندگی» and «نماینده» share «نمایند»);
- comparatives: تر, ترین;
- the written ezafe and the adjective ending: ای, ی («بیمه‌ای», «درمانی»);
- possessive and object endings of two letters or more: شان, تان, مان;
- for verbs (a word that begins with می or نمی): the prefix and the person
  endings, spoken ones too («می‌گیرند», «میگیرن»).

Then a final ه goes, so that «مطالبه» and «مطالبات» meet. A small table holds
the Arabic (broken) plurals and other pairs that no rule joins («احکام» and
«حکم», «سوابق» and «سابقه»). One-letter endings that are also the last
letter of many stems (ـم ـت ـش ـد) are left alone: a word that is unknown
because of one of them is one letter from a known word, which the word
index finds (see words.py).
"""

from newsroom.text import persian

MIN_STEM = 3

# Plurals and pairs no rule joins: the form a reader may type, and its singular.
IRREGULAR = {
    plural: singular
    for pair in (
        "احکام حکم",
        "مدارک مدرک",
        "دفاتر دفتر",
        "سوابق سابقه",
        "مراکز مرکز",
        "اسناد سند",
        "مسائل مسئله",
        "شعب شعبه",
        "قوانین قانون",
        "اقساط قسط",
        "حقوق حق",
        "امور امر",
        "افراد فرد",
        "مراجع مرجع",
        "منابع منبع",
        "مشاغل شغل",
        "اخبار خبر",
        "اعضا عضو",
        "عوارض عارضه",
        "شرایط شرط",
        "مبالغ مبلغ",
        "موارد مورد",
        "اسامی اسم",
        "اشخاص شخص",
        "اموال مال",
        "وظایف وظیفه",
        "خدمات خدمت",
        "ساعات ساعت",
        "مقامات مقام",
        "جلسات جلسه",
        "ادارات اداره",
        "کارکنان کارمند",
        "ورثه وارث",
        "اطبا طبیب",
        "ادویه دارو",
        "مدارس مدرسه",
        "مناطق منطقه",
        "مواد ماده",
        "نتایج نتیجه",
        "اهداف هدف",
        "ارقام رقم",
        "اوراق ورق",
        "اسناد سند",
        "اماکن مکان",
        "ایام روز",
        "ضوابط ضابطه",
        "مقررات مقرره",
        "معاونین معاون",
        "مسئولین مسئول",
    )
    for plural, singular in [persian.words(pair)]
}

# Longest first: «های» before «ی», «ترین» before «ین», «گان» before «ان».
SUFFIXES = (
    "هایشان",
    "هایتان",
    "هایمان",
    "هایی",
    "های",
    "ها",
    "ترین",
    "تر",
    "گان",
    "گی",
    "یان",
    "ان",
    "ات",
    "ین",
    "شان",
    "تان",
    "مان",
    "ای",
    "یی",
    "ی",
)
VERB_PREFIXES = ("نمی", "می")
VERB_ENDINGS = ("اند", "ایم", "ید", "یم", "ند", "ن", "ه", "م", "ی", "د")

# Words that say how a reader asks rather than what about: spoken and written
# question words, prepositions, conjunctions and the commonest verbs. A
# query may leave them out; they still rank an article that has them.
STOP_WORDS = frozenset(
    persian.words(
        """
        و در به از که را رو با برای تا این آن اون یا هم های ای
        چه چی چرا کی کجا کدام کدوم چطور چطوری چگونه چجوری چند چقدر آیا
        است هست هستند بود شد شود میشود میشه می شه کرد کنم کنیم کند کنه کردن
        باید میخواهم میخوام میخواد ببینم بگیرم دارم داره دارند نیست
        نحوه درباره مورد یک بر پس پیش اگر ولی اما
        من ما شما او مو رو رو مرا
        """
    )
)


def stem(word: str) -> str:
    """The key that the forms of a word in the matching form share."""
    if word in IRREGULAR:
        word = IRREGULAR[word]
    elif not word.isdigit():
        word = _strip_verb(word) or _strip_suffixes(word)
    if len(word) > MIN_STEM and word.endswith("ه"):
        word = word[:-1]
    return word


def stems_to_look_up(word: str) -> set[str]:
    """The keys of the word and of its forms that its own key misses.

    «خدمت» and «خدمات», «ساعت» and «ساعات»: a word ending in ت forms its
    plural with ات in place of ت, which the plural's key loses.
    """
    key = stem(word)
    keys = {key}
    if word.endswith("ات") and len(key) >= MIN_STEM:
        keys.add(key + "ت")
    if word.endswith("ت") and len(word) > MIN_STEM + 1:
        keys.add(word[:-1])
    return keys


def _strip_suffixes(word: str) -> str:
    for _round in range(3):
        for suffix in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                if word in IRREGULAR:
                    return IRREGULAR[word]
                break
        else:
            break
    return word


def _strip_verb(word: str) -> str:
    """A verb's stem without its prefix and person ending; empty when it is not a verb."""
    for prefix in VERB_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            rest = word[len(prefix) :]
            for ending in VERB_ENDINGS:
                if rest.endswith(ending) and len(rest) - len(ending) >= MIN_STEM - 1:
                    return rest[: -len(ending)]
            return rest
    return ""


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS
