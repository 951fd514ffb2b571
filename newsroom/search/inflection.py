"""A light stemmer for Persian words in the matching form, and the words a query may leave out.

The stem is a key, not a word: two forms of one word get the same key, so
that the word index (newsroom/search/words.py) can hand a query every form
the articles use. The words it works on are in the matching form of
`persian.normalize`: no ZWNJ («کارشناس‌ها» is «کارشناسها»), Persian letters,
no hamza seats.

What it removes, longest first, as long as three letters are left:

- the written ezafe and the indefinite ی: ی, ای («بیمه‌ای»);
- plurals: ها, ان, ات, ین, and گان / گی of words that end in ه
  («نمایندگان», «نمایندگی» and «نماینده» share «نمایند»);
- the ی of adjectives and nouns of place («درمانی», «کارگزاری»);
- comparatives: تر, ترین;
- for verbs (a word that begins with می or نمی): the prefix and the person
  endings, spoken ones too («می‌گیرند», «میگیرن»).

Then a final ه goes, so that «مطالبه» and «مطالبات» meet. A small table holds
the Arabic (broken) plurals and other pairs that no rule joins («احکام» and
«حکم», «سوابق» and «سابقه»). Possessive endings are left alone: the
one-letter ones (ـم ـت ـش) end many stems, and the others too («سازمان» is not
«ساز» with ـمان); a word that is unknown because of one of them is a letter
or two from a known word, which the word index may still find (words.py).
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
        "مسائل مسئله",
        "شعب شعبه",
        "قوانین قانون",
        "اقساط قسط",
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
        "ورثه وارث",
        "اطبا طبیب",
        "مدارس مدرسه",
        "مناطق منطقه",
        "مواد ماده",
        "نتایج نتیجه",
        "اهداف هدف",
        "ارقام رقم",
        "اوراق ورق",
        "اسناد سند",
        "اماکن مکان",
        "ضوابط ضابطه",
        "مقررات مقرره",
        "معاونین معاون",
        "مسئولین مسئول",
    )
    for plural, singular in [persian.words(pair)]
}

# Endings in the order a word takes them, read from its end: the ezafe or
# indefinite ی (and گی, which takes ه's place), the plural, the ی of an
# adjective or a noun of place («کارگزاری‌های»: کارگزار + ی + ها + ی), the
# comparative. At most one of each, longest first.
SUFFIX_SLOTS = (
    ("گی", "ای", "یی", "ی"),
    ("ها", "گان", "یان", "ان", "ات", "ین"),
    ("ی",),
    ("ترین", "تر"),
)
# Many words end in ان or ین without being plurals («مهمان», «درمان», «استان»,
# «ماشین»); these endings come off only a longer stem.
LONGER_STEM = {"ان": 4, "ین": 4}
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
    for slot in SUFFIX_SLOTS:
        for suffix in slot:
            shortest = LONGER_STEM.get(suffix, MIN_STEM)
            if word.endswith(suffix) and len(word) - len(suffix) >= shortest:
                word = word[: -len(suffix)]
                if word in IRREGULAR:
                    return IRREGULAR[word]
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
