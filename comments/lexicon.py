"""Word lists the posting rules read: the starter blocked terms, clean words, hints.

The starter terms are data: migrations 0002 and 0007 copy them into
BlockedTerm, where moderators edit them; after that the database, not these
lists, is what the rules use. The other lists are fixed hints that only the
code reads.
"""

# Starter blocked terms, as a moderator would type them, with the note shown
# in the admin. Short words («خر», «کس», «گه») are listed because they are the
# most common insults; whole-word matching keeps «خرید», «کسر» and «آخر» clean.
INSULT = "توهین"
VULGAR = "واژهٔ رکیک"
ACCUSATION = "نسبت ناروا"

STARTER_LEXICON: list[tuple[str, str]] = [
    # Insults: calling a person an animal, stupid, filthy or worthless.
    ("احمق", INSULT),
    ("الاغ", INSULT),
    ("خر", INSULT),
    ("گاو", INSULT),
    ("گوساله", INSULT),
    ("بزغاله", INSULT),
    ("یابو", INSULT),
    ("کره‌خر", INSULT),
    ("کله‌خر", INSULT),
    ("کله‌پوک", INSULT),
    ("بی‌شعور", INSULT),
    ("نفهم", INSULT),
    ("ابله", INSULT),
    ("کودن", INSULT),
    ("خنگ", INSULT),
    ("اسکل", INSULT),
    ("اسگل", INSULT),
    ("شاسکول", INSULT),
    ("کثافت", INSULT),
    ("لجن", INSULT),
    ("عوضی", INSULT),
    ("لاشی", INSULT),
    ("پفیوز", INSULT),
    ("رذل", INSULT),
    ("پست‌فطرت", INSULT),
    ("بی‌شرف", INSULT),
    ("بی‌ناموس", INSULT),
    ("بی‌غیرت", INSULT),
    ("بی‌همه‌چیز", INSULT),
    ("پدرسوخته", INSULT),
    ("پدرسگ", INSULT),
    ("سگ‌پدر", INSULT),
    ("توله‌سگ", INSULT),
    ("تخم‌سگ", INSULT),
    ("سگ‌صفت", INSULT),
    ("حرامزاده", INSULT),
    ("حروم‌زاده", INSULT),
    ("ولدالزنا", INSULT),
    ("مرتیکه", INSULT),
    ("زنیکه", INSULT),
    ("مردک", INSULT),
    ("بی‌لیاقت", INSULT),
    ("نالایق", INSULT),
    ("بی‌عرضه", INSULT),
    ("خفه شو", INSULT),
    ("گمشو", INSULT),
    ("زر نزن", INSULT),
    ("زالوصفت", INSULT),
    ("لاشخور", INSULT),
    # Vulgar words.
    ("کس", VULGAR),
    ("کص", VULGAR),
    ("کیر", VULGAR),
    ("کون", VULGAR),
    ("کونی", VULGAR),
    ("کیری", VULGAR),
    ("جنده", VULGAR),
    ("قحبه", VULGAR),
    ("فاحشه", VULGAR),
    ("کس‌کش", VULGAR),
    ("کسخل", VULGAR),
    ("کس‌شعر", VULGAR),
    ("کسشر", VULGAR),
    ("جاکش", VULGAR),
    ("دیوث", VULGAR),
    ("قرمساق", VULGAR),
    ("گه", VULGAR),
    ("گوه", VULGAR),
    ("گه‌خور", VULGAR),
    ("ریدم", VULGAR),
    ("ریدی", VULGAR),
    ("ریدن", VULGAR),
    ("مادرجنده", VULGAR),
    ("مادرقحبه", VULGAR),
    ("تخمی", VULGAR),
    ("گوزو", VULGAR),
    # False accusations against persons, natural or legal: a reader may
    # report wrongdoing, but not call someone a thief or corrupt.
    ("دزد", ACCUSATION),
    ("فاسد", ACCUSATION),
    ("مفسد", ACCUSATION),
    ("رشوه‌خوار", ACCUSATION),
    ("رشوه‌بگیر", ACCUSATION),
    ("اختلاسگر", ACCUSATION),
    ("خائن", ACCUSATION),
    ("وطن‌فروش", ACCUSATION),
    ("مزدور", ACCUSATION),
    ("دروغگو", ACCUSATION),
    ("شیاد", ACCUSATION),
    ("چپاولگر", ACCUSATION),
    ("غارتگر", ACCUSATION),
    ("رانت‌خوار", ACCUSATION),
    ("بیت‌المال‌خور", ACCUSATION),
]

ADVERT = "تبلیغ"

# What each starter term does: an insult is refused; an accusation and an
# advert are held for a moderator, who judges them.
KIND_INSULT, KIND_ACCUSATION, KIND_ADVERT = "insult", "accusation", "advert"

# Terms that migration 0002 brought as insults but that call for a
# moderator's judgement: an accusation may be true, and is held.
_HELD_FROM_THE_FIRST_LEXICON = {
    "دزد",
    "فاسد",
    "مفسد",
    "رشوه‌خوار",
    "رشوه‌بگیر",
    "اختلاسگر",
    "خائن",
    "وطن‌فروش",
    "دروغگو",
    "شیاد",
    "چپاولگر",
    "غارتگر",
    "رانت‌خوار",
    "بیت‌المال‌خور",
}

# (term, note, kind, exact spelling) added for issue 14: spoken insults,
# phrases, accusations as verb phrases, the vocabulary of adverts.
_ADDED_TERMS: list[tuple[str, str, str, bool]] = [
    # «آشغال» (rubbish) must not match «اشغال» (busy line): its exact spelling only.
    ("آشغال", INSULT, KIND_INSULT, True),
    ("حیوون", INSULT, KIND_INSULT, False),
    ("مرده‌شور", INSULT, KIND_INSULT, False),
    ("مرده‌شوی", INSULT, KIND_INSULT, False),
    ("خاک بر سر", INSULT, KIND_INSULT, False),
    ("خاک تو سر", INSULT, KIND_INSULT, False),
    ("خاک تو سرت", INSULT, KIND_INSULT, False),
    ("لعنت به روح", INSULT, KIND_INSULT, False),
    ("بی‌پدر", INSULT, KIND_INSULT, False),
    ("بی‌پدرومادر", INSULT, KIND_INSULT, False),
    ("بی‌پدر و مادر", INSULT, KIND_INSULT, False),
    ("کس‌ننت", VULGAR, KIND_INSULT, False),
    ("گم شو", INSULT, KIND_INSULT, False),
    ("گمشید", INSULT, KIND_INSULT, False),
    ("گمشین", INSULT, KIND_INSULT, False),
    ("خفه شید", INSULT, KIND_INSULT, False),
    ("خفه شین", INSULT, KIND_INSULT, False),
    ("خفه‌خون", INSULT, KIND_INSULT, False),
    ("دلقک", INSULT, KIND_INSULT, False),
    ("بوزینه", INSULT, KIND_INSULT, False),
    ("شغال", INSULT, KIND_INSULT, False),
    ("کفتار", INSULT, KIND_INSULT, False),
    ("عقب‌مانده", INSULT, KIND_INSULT, False),
    ("عقب‌مونده", INSULT, KIND_INSULT, False),
    ("چلغوز", INSULT, KIND_INSULT, False),
    ("الدنگ", INSULT, KIND_INSULT, False),
    ("گاگول", INSULT, KIND_INSULT, False),
    ("اوسکل", INSULT, KIND_INSULT, False),
    ("نکبت", INSULT, KIND_INSULT, False),
    ("بی‌شخصیت", INSULT, KIND_INSULT, False),
    ("وقیح", INSULT, KIND_INSULT, False),
    ("بی‌حیا", INSULT, KIND_INSULT, False),
    ("هرزه", INSULT, KIND_INSULT, False),
    ("حمال", INSULT, KIND_INSULT, False),
    ("مزدور", INSULT, KIND_INSULT, False),
    ("خوک", INSULT, KIND_INSULT, False),
    ("حیوان", INSULT, KIND_INSULT, False),
    ("نمک‌نشناس", INSULT, KIND_INSULT, False),
    # Accusations: named wrongdoing, nouns and what readers say someone did.
    ("کلاهبردار", ACCUSATION, KIND_ACCUSATION, False),
    ("رشوه", ACCUSATION, KIND_ACCUSATION, False),
    ("رشوه گرفتن", ACCUSATION, KIND_ACCUSATION, False),
    ("رشوه خوردن", ACCUSATION, KIND_ACCUSATION, False),
    ("اختلاس", ACCUSATION, KIND_ACCUSATION, False),
    ("اختلاس کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("پارتی", ACCUSATION, KIND_ACCUSATION, False),
    ("پارتی‌بازی", ACCUSATION, KIND_ACCUSATION, False),
    ("رابطه‌بازی", ACCUSATION, KIND_ACCUSATION, False),
    ("زیرمیزی", ACCUSATION, KIND_ACCUSATION, False),
    ("پولشویی", ACCUSATION, KIND_ACCUSATION, False),
    ("رانت", ACCUSATION, KIND_ACCUSATION, False),
    ("زد و بند", ACCUSATION, KIND_ACCUSATION, False),
    ("حق خوردن", ACCUSATION, KIND_ACCUSATION, False),
    ("پول خوردن", ACCUSATION, KIND_ACCUSATION, False),
    ("بالا کشیدن", ACCUSATION, KIND_ACCUSATION, False),
    ("به جیب زدن", ACCUSATION, KIND_ACCUSATION, False),
    ("دزدیدن", ACCUSATION, KIND_ACCUSATION, False),
    ("دزدی کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("جعل کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("غارت کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("چپاول کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("حیف و میل کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("سوءاستفاده کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("فامیل‌بازی", ACCUSATION, KIND_ACCUSATION, False),
    ("سو استفاده کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("بیت‌المال خوردن", ACCUSATION, KIND_ACCUSATION, False),
    ("فساد مالی", ACCUSATION, KIND_ACCUSATION, False),
    ("آقازاده", ACCUSATION, KIND_ACCUSATION, False),
    ("حقوق نجومی", ACCUSATION, KIND_ACCUSATION, False),
    ("فامیل استخدام کردن", ACCUSATION, KIND_ACCUSATION, False),
    ("بی آزمون استخدام", ACCUSATION, KIND_ACCUSATION, False),
    ("بدون آزمون استخدام", ACCUSATION, KIND_ACCUSATION, False),
    # Adverts and contact-selling.
    ("کسب درآمد", ADVERT, KIND_ADVERT, False),
    ("درآمد دلاری", ADVERT, KIND_ADVERT, False),
    ("درآمد میلیونی", ADVERT, KIND_ADVERT, False),
    ("وام فوری", ADVERT, KIND_ADVERT, False),
    ("بدون ضامن", ADVERT, KIND_ADVERT, False),
    ("فروش امتیاز", ADVERT, KIND_ADVERT, False),
    ("خرید امتیاز", ADVERT, KIND_ADVERT, False),
    ("خرید و فروش", ADVERT, KIND_ADVERT, False),
    ("فالوور", ADVERT, KIND_ADVERT, False),
    ("فالو", ADVERT, KIND_ADVERT, False),
    ("دایرکت", ADVERT, KIND_ADVERT, False),
    ("بیو", ADVERT, KIND_ADVERT, False),
    ("کانال", ADVERT, KIND_ADVERT, False),
    ("پیج", ADVERT, KIND_ADVERT, False),
    ("تلگرام", ADVERT, KIND_ADVERT, False),
    ("واتساپ", ADVERT, KIND_ADVERT, False),
    ("اینستاگرام", ADVERT, KIND_ADVERT, False),
    ("آیدی", ADVERT, KIND_ADVERT, False),
    ("ارز دیجیتال", ADVERT, KIND_ADVERT, False),
    ("ترید", ADVERT, KIND_ADVERT, False),
    ("سیم‌کارت رند", ADVERT, KIND_ADVERT, False),
    ("مشاوره رایگان", ADVERT, KIND_ADVERT, False),
    ("تماس بگیرید", ADVERT, KIND_ADVERT, False),
    ("پیام بدید", ADVERT, KIND_ADVERT, False),
    ("پیام بدین", ADVERT, KIND_ADVERT, False),
    ("پیام دهید", ADVERT, KIND_ADVERT, False),
    ("تخفیف ویژه", ADVERT, KIND_ADVERT, False),
    ("بدون سرمایه", ADVERT, KIND_ADVERT, False),
    ("کار در منزل", ADVERT, KIND_ADVERT, False),
    ("تضمینی", ADVERT, KIND_ADVERT, False),
]


# Added later (migration 0012): insults and accusations readers use that the
# lists above lacked, found by writing comments as readers type them.
_ADDED_LATER: list[tuple[str, str, str, bool]] = [
    ("مفت‌خور", INSULT, KIND_INSULT, False),
    ("نامرد", INSULT, KIND_INSULT, False),
    ("بی‌وجدان", INSULT, KIND_INSULT, False),
    ("بی‌شرم", INSULT, KIND_INSULT, False),
    ("ناکس", INSULT, KIND_INSULT, False),
    # Curses at a reader, the office or its staff.
    ("خدا لعنتت", INSULT, KIND_INSULT, False),
    ("خدا لعنتتون", INSULT, KIND_INSULT, False),
    ("خدا لعنتشون", INSULT, KIND_INSULT, False),
    ("برو بمیر", INSULT, KIND_INSULT, False),
    ("برید بمیرید", INSULT, KIND_INSULT, False),
    ("ذلیل مرده", INSULT, KIND_INSULT, False),
    ("زهرمار", INSULT, KIND_INSULT, False),
    ("تف به", INSULT, KIND_INSULT, False),
    ("شارلاتان", ACCUSATION, KIND_ACCUSATION, False),
    ("حقه‌باز", ACCUSATION, KIND_ACCUSATION, False),
    ("متقلب", ACCUSATION, KIND_ACCUSATION, False),
    ("دغل‌باز", ACCUSATION, KIND_ACCUSATION, False),
    ("فریبکار", ACCUSATION, KIND_ACCUSATION, False),
    ("جنایتکار", ACCUSATION, KIND_ACCUSATION, False),
    ("مافیا", ACCUSATION, KIND_ACCUSATION, False),
    ("دروغ گفتن", ACCUSATION, KIND_ACCUSATION, False),
]


def starter_terms_with_options() -> list[tuple[str, str, str, bool]]:
    """Every starter term: (term, note, kind, exact spelling)."""
    terms = [
        (
            term,
            note,
            KIND_ACCUSATION if term in _HELD_FROM_THE_FIRST_LEXICON else KIND_INSULT,
            False,
        )
        for term, note in STARTER_LEXICON
        if term != "مزدور"
    ]
    return terms + _ADDED_TERMS + _ADDED_LATER


# Ordinary words that are a blocked word plus one of the endings above, in
# the matching form: «کسی» is "someone", not «کس» + «ی». They are never cut,
# and a word that is one of them plus an ending is read as that word
# («اسکله‌ای» is «اسکله» + «ای», not «اسکل» + «های»).
CLEAN_WORDS: frozenset[str] = frozenset(
    {
        "کسی",
        "کسان",
        "کسانی",
        "کسا",
        "کسای",
        "کسایی",
        "گهی",
        "دزدی",
        "اسکلت",
        "اسکله",
        "مفسده",
        "خرید",
        "خریدم",
        "خریدی",
        "خریدن",
        "خرم",
        "خرمی",
        "خرت",
        "خرداد",
        "خرما",
        "آخر",
        "کسر",
        "کسری",
        "کسب",
        "گاوداری",
        "دزدگیر",
        "اشغال",
        "اشغاله",
        "مرده",
        "مردها",
        "پارتیشن",
        "رانندگان",
        "کانالها",
        "فالوده",
        "بیوه",
        "بیوگرافی",
        "حملات",
        "نفهمید",
        "فهمید",
        # «بی شور و حال» (without zeal) is not «بی‌شعور» typed without its «ع».
        "شور",
        # «نامردیه» is "it is unfair", a complaint; «نامردید» is an insult.
        "نامردی",
        # «زهر مار» is snake venom; «زهرمار», typed as one word, a curse.
        "زهر",
        "مار",
    }
)

# Common words, and endings typed apart («خسته ام»), that never make part
# of a blocked word typed in pieces: «زنی که» ("a woman who") is two words,
# not a spaced-out «زنیکه». A term that has one of them as a word of its own
# still matches, word for word.
NEVER_JOINED: frozenset[str] = frozenset(
    """
    که را و از به با تا در یا این آن ای اگر چه نه هر می نمی است کی چی من تو ما
    شما او رو بود شد کرد هست نیست اش ام ات ایم اید اند ایی
    """.split()
)

# Ordinary phrases that contain a blocked word: «هیچ کس» is "nobody", «گه گاه»
# is "now and then". Written with spaces as readers type them; their words are
# left out of the insult check.
INNOCENT_PHRASES: list[str] = [
    "هیچ کس",
    "هر کس",
    "همه کس",
    "چه کس",
    "یک کس",
    "آن کس",
    "این کس",
    "کس دیگر",
    "کس دیگری",
    "کس و کار",
    "کس و کارش",
    "بی کس",
    "کس نمی‌داند",
    "کس را",
    "گه گاه",
    "گه گاهی",
    "گه گداری",
    "خرت و پرت",
    "دزد گیر",
    "گوشت گاو",
    "شیر گاو",
    "گاو صندوق",
    "گاو آهن",
    "عوضی گرفتم",
    "عوضی گرفتید",
    "عوضی گرفته",
    "عوضی وارد",
    "عوضی زدم",
    "عوضی نوشتم",
    "عوضی فرستادم",
    "کون و مکان",
    "آبله مرغان",
    "آبله مرغون",
    "کانال‌های ارتباطی",
]

# Persian written in Latin letters: common words that are not English words.
FINGLISH_WORDS: frozenset[str] = frozenset(
    """
    salam slm salaam khobi khubi khoobi khoob khub khob khubam khoobam kheili
    kheyli khaili khayli kheily mamnoon mamnun mamnon mamnoonam mamnunam mersi
    chera chra hoghoogh hoghugh hoghoogham hoquq hogoog ro nadadid dadid nadadin
    dadin midid nemidid midin nemidin mizanid nemizanid az ba va ke chi che chie
    hast hastid hastin hastim hastam nist nistid bood bud boodam shod nashod shode
    nashode mishe nemishe mishavad nemishavad kard kardid kardin kardim kardam
    konid konin konam bokonid nakonid mikonid nemikonid mikone nemikone mikonam
    lotfan lotfa aghaye agha aghay khanom khanoom bime bimeh bimeye tamin taamin
    ejtemaei ejtemaee ejtemaie mostamari dolat dowlat sazman sazmane pool pul dige
    digeh hame hamash hamishe hich chand chanda kojast koja chetor chetori chetoor
    chejoori etelaresani etela etelaat ettela ettelaresani khabar khabare akhbar
    dorost doroste emrooz emruz farda dirooz diruz hanooz hanuz faghat vali amma
    asan aslan khaste nabashid shoma shomaha inja unja oonja inke chon kei baraye
    bara vase vasa vaseye hamin daram darim darid dare nadare nadaram nadarim
    mikham mikhaim mikhan bayad nabayad momkene mitoonid mitunid nemitoonid
    nemitunid nemitoonam mitoonam lotf sabr ghabz ghest aghsat vaam hesab hesabam
    sabt esm payam payamak jadid ghadimi mahane emsal parsal ghabl baad hala alan
    belakhare bazneshaste bazneshastegi bazneshastegan darman bimarestan daroo
    daru nobat dafe dafeh ham ina una oona inam yeki kasi kheir kheyr bale areh na
    chizi hamechi begid bedid bedin begam migam migid mige migan neveshtam
    neveshte sayt tashakor tashakkor sepas moteshakeram dastetoon dastet nakone
    khoda khodaya azizam aziz joon jan ostad mah sal tavajoh
    nemidan midan dadan nadadan kardan nakardan shodan mikhastam mikhastim
    """.split()
)

# English function words and the words a reader would use about pensions and
# the website in English.
ENGLISH_WORDS: frozenset[str] = frozenset(
    """
    the a an is was were been being am are of and on for with this that these
    those it its i you your we our they their them he she his her him my me us
    not no yes does did done have has had will would can could should shall may
    might must please when why what how where who whom which there here from at
    by as but or if so about any all some very just only also than then into out
    up after before thank thanks hello hi dear sir still yet again more most much
    many get got know need want because every each other such well good great
    news month months year years pension pensions insurance paid payment website
    page information people time today don isn doesn didn won cannot nothing
    something never always really too own let make made see said say one two
    three new old work working help problem system office hospital doctor retired
    retirement salary money government organization organisation social security
    increase receive received answer call phone number account
    """.split()
)
