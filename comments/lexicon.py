"""Word lists the posting rules read: the starter blocked terms and language hints.

The starter lexicon is data: migration 0002 copies it into BlockedTerm, where
moderators edit it; after that the database, not this list, is what the
insult rule uses. The other lists are fixed hints that only the code reads.
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

# Endings that a blocked word keeps its meaning under: plurals, possessives,
# the vocative «ا», comparatives and the spoken copula. Each is stripped whole,
# once, and only when what remains is itself a blocked term. The number is the
# shortest stem the ending may follow: a copula after a two-letter word would
# turn «خرید» into «خر» + «ید».
SUFFIXES: list[tuple[str, int]] = [
    ("ها", 2),
    ("های", 2),
    ("هایی", 2),
    ("هایت", 2),
    ("هایش", 2),
    ("هات", 2),
    ("هاش", 2),
    ("هاتون", 2),
    ("هاشون", 2),
    ("ان", 2),
    ("ای", 2),
    ("ی", 2),
    ("ت", 2),
    ("ش", 2),
    ("تون", 2),
    ("شون", 2),
    ("تان", 2),
    ("شان", 2),
    ("ا", 2),
    ("تر", 3),
    ("ترین", 3),
    ("ید", 4),
    ("ین", 4),
    ("یم", 4),
    ("ند", 4),
    ("م", 4),
]

# Endings read only on a single word: across two words they would make
# ordinary phrases («کی را» "whom", «کره خرید» "bought butter", «گم شوند»).
ONE_WORD_SUFFIXES: frozenset[str] = frozenset({"ا", "ای", "ید", "ین", "یم", "ند", "م"})

# Ordinary words that are a blocked word plus one of the endings above, in
# the matching form: «کسی» is "someone", not «کس» + «ی». They are never cut,
# and a word that is one of them plus an ending is read as that word
# («اسکله‌ای» is «اسکله» + «ای», not «اسکل» + «های»).
CLEAN_WORDS: frozenset[str] = frozenset(
    {
        "کسی",
        "کسان",
        "کسانی",
        "گهی",
        "دزدی",
        "اسکلت",
        "اسکله",
        "مفسده",
    }
)

# Common words, and endings typed apart («خسته ام»), that never make part
# of a blocked word typed in pieces: «زنی که» ("a woman who") is two words,
# not a spaced-out «زنیکه». A term that has one of them as a word of its own
# still matches, word for word.
NEVER_JOINED: frozenset[str] = frozenset(
    """
    که را و از به با تا در یا هم این آن ای اگر چه نه هر می نمی است کی چی من تو ما
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
]

# Language hints. Persian and Arabic share a script, so the rule counts words
# that only one of them uses. Written as each language is typed; the rule
# reads them with ي/ك folded to ی/ک, but keeps ى and ة, which only Arabic has.
PERSIAN_WORDS: frozenset[str] = frozenset(
    """
    است این آن که را با از به برای می نمی های ها هم تا ما شما ایشان کرد شد بود
    هست نیست هستند نیستند هستم هستیم هستید بودند بودم شده شود نشد نشده نمیشود
    میشود کنید کنیم کنم کند کنند کردم کردید کردند کردیم نکردید دارد دارند دارم
    داریم دارید ندارد ندارند ندارم نداریم باید نباید اگر ولی اما یا هر همه خیلی
    چرا چه چی کی کجا چطور چگونه چند هیچ دیگر دیگه رو میشه نمیشه بشه سلام ممنون
    مرسی متشکرم سپاس لطفا لطفاً عالی خوب خوبه یک دو سه پس اینکه چون زیرا وقتی
    هنوز بنده آقای خانم جناب تو بی نه اون اینا اونا واسه برا مگه چیه کجاست
    نمیدونم میدونم بودن خسته نباشید دست مریزاد درود بر بازنشسته بازنشستگان
    حقوق بیمه تامین اجتماعی سازمان
    """.split()
)

# Words both languages write alike, counted at half weight for Persian:
# «به» and «هم» are Arabic words too, «این» is «أين» typed without hamza.
PERSIAN_WEAK_WORDS: frozenset[str] = frozenset({"این", "به", "هم", "ما", "ها"})

ARABIC_WORDS: frozenset[str] = frozenset(
    """
    هذا هذه ذلك تلك هؤلاء الذي التي الذين اللذين التى في على إلى الى عن كان كانت
    يكون تكون ليس ليست لا لم لن لقد هل أن إن أنه أنها لماذا ماذا متى أين أيضا ايضا
    لكن ولكن حتى عند عندما منذ إذا اذا أو ثم مع بل لأن يجب يمكن هناك هنا أكثر
    أي إلا هو نحن أنا انا أنت انت أنتم لدي لدينا عليه عليها إليه فيه فيها منه منها
    بها لها له لهم شكرا مرحبا نعم سوف وقد وهو وهي وفي ومن وعلى ولا وأن عن
    """.split()
)

# Arabic words that are also Persian words (قد "height", کیف "bag", جدا
# "apart"): half weight.
ARABIC_WEAK_WORDS: frozenset[str] = frozenset({"قد", "جدا", "كيف", "كما", "حيث"})

# Persian words that begin with «ال», which in Arabic is the article.
PERSIAN_AL_WORDS: frozenset[str] = frozenset(
    """
    الان البته الکترونیک الکترونیکی الگو الگوی الگوها الاغ الهام الزام الزامی
    الزاما الزامات الحاق الحاقی الحاقیه الکی الویت البسه الماس الفبا الکل البرز
    الیگودرز الوند الهه الهی الله اللهم الحمدلله الحمد السلام التماس الطاف الغا
    الغای القا الصاق الا الی الو الباقی التیام الیاف الفت الرحمن الرحیم
    """.split()
)

# Letters of Urdu, Kurdish and Pashto that Persian does not use.
OTHER_ARABIC_SCRIPT_LETTERS = "ٹڈڑںےۓہۃۆێڕڵەۍېځڅډړږښګڼ"

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
