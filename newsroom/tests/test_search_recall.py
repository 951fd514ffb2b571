"""Recall at three on a table of queries readers would type about the demo articles.

The table was written from the demo articles alone, before the search code was
read: each row is what a reader might type on a phone (spoken forms, typos,
missing or extra non-joiners, Arabic letters, their own word for the official
one, plurals and verb forms) and the news code of the article that must be
among the first three results of the search page. It runs on whichever
database the suite runs on; CI runs it on SQLite and on PostgreSQL.

Targets: at least 95% of the whole table, and at least 70% of the queries
that use a reader's word for the official one.
"""

import re
from collections import defaultdict

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

RECALL_TARGET = 0.95
READER_WORD_RECALL_TARGET = 0.70
TOP = 3

# kind, the query as a reader types it, the news code it must find in the first three.
QUERIES = [
    # exact: words as the article has them
    ("exact", "ضرورت بازتعریف فعالیت\u200cها", 77759),
    ("exact", "یادآوری مهلت ارسال فهرست بیمه", 77761),
    ("exact", "نرخ\u200cهای حق بیمه صاحبان حرف", 77762),
    ("exact", "پنج دفتر کارگزاری جدید", 77764),
    ("exact", "نسخه\u200cنویسی الکترونیک", 77766),
    ("exact", "مستمری بازماندگان", 77771),
    ("exact", "بخش جدید دیالیز", 77773),
    ("exact", "طرح معاینه رایگان بازنشستگان", 77774),
    ("exact", "وام ضروری بازنشستگان", 77777),
    ("exact", "غرامت دستمزد ایام بیماری", 77778),
    ("exact", "درمانگاه تخصصی شمال خوزستان", 77780),
    ("exact", "تجلیل از کارفرمایان خوش\u200cحساب", 77782),
    ("exact", "وقفه چهارساعته", 77787),
    ("exact", "میز خدمت سیار", 77792),
    ("exact", "زمان واریز مستمری", 77794),
    ("exact", "نوروزپور", 77759),
    ("exact", "پلیس فتا", 77769),
    ("exact", "کمیسیون اجتماعی مجلس", 77785),
    ("exact", "قالیباف خراسان رضوی", 77768),
    ("exact", "اینفوگرافیک", 77760),
    # arabic: Arabic keyboards, hamza forms, Arabic-Indic digits, diacritics
    ("arabic", "زمان واريز مستمري", 77794),
    ("arabic", "كمك هزينه ازدواج", 77790),
    ("arabic", "پزشك خانواده", 77783),
    ("arabic", "بخش ديالیز", 77773),
    ("arabic", "درمانگاه تامين اجتماعي خوزستان", 77780),
    ("arabic", "بيمه بيكاري آذربايجان", 77786),
    ("arabic", "ماده ٣٩ قانون", 77761),
    ("arabic", "مرکز ارتباط مردمی ١٤٢٠", 77788),
    ("arabic", "بیمه قاليباف", 77768),
    ("arabic", "افزایش مستمری هیات وزیران", 77793),
    ("arabic", "مرحلة تازه همسان سازی", 77763),
    ("arabic", "مُقَرّری بیمه بیکاری آذربایجان", 77786),
    ("arabic", "تامین اجتماعی پیامک جعلي", 77769),
    # digits: Persian, Latin, mixed
    ("digits", "۱۲ هزار قالیباف", 77768),
    ("digits", "12 هزار قالیباف", 77768),
    ("digits", "۳۸ درصد حق بیمه", 77770),
    ("digits", "38 درصد افزایش", 77770),
    ("digits", "24 تخت دیالیز", 77773),
    ("digits", "1420", 77788),
    ("digits", "720 روز سابقه", 77790),
    ("digits", "90 درصد خدمات", 77791),
    ("digits", "۱۱۴ دفتر", 77764),
    ("digits", "ماده 39", 77761),
    ("digits", "۱۵۰ میلیون ریال", 77794),
    ("digits", "بالای 65 سال", 77783),
    ("digits", "18 درصد", 77762),
    ("digits", "14 اتاق معاینه", 77780),
    ("digits", "ساعت ۲ تا ۶", 77787),
    ("digits", "۲۴ ساعت پاسخ", 77795),
    # joiner: split, joined, or with a non-joiner where the article differs
    ("joiner", "نسخه نویسی الکترونیک", 77766),
    ("joiner", "نسخهنویسی", 77766),
    ("joiner", "کارفرمایان خوش حساب", 77782),
    ("joiner", "کمکهزینه ازدواج", 77790),
    ("joiner", "میزخدمت سیار", 77792),
    ("joiner", "رباط کریم", 77792),
    ("joiner", "وقفه چهار ساعته", 77787),
    ("joiner", "کلاه برداری پیامک", 77769),
    ("joiner", "فرش دست باف", 77768),
    ("joiner", "قالی باف", 77768),
    ("joiner", "سازوکار بیمه کارگران ساختمانی", 77765),
    ("joiner", "دندان پزشکی خوزستان", 77780),
    ("joiner", "سرپرست اداره کل روابط عمومی", 77759),
    ("joiner", "اطلاع\u200cرسانی سریع دقیق صادقانه", 77759),
    ("joiner", "پلی کلینیک نسخه الکترونیک", 77766),
    ("joiner", "بهروزرسانی سامانه", 77787),
    ("joiner", "بدون پیش شماره", 77788),
    ("joiner", "منابع همسانسازی", 77785),
    ("joiner", "ثبتنام وام ضروری", 77777),
    ("joiner", "ویدیو کنفرانس روابط عمومی", 77759),
    ("joiner", "بروزرسانی سامانه خدمات", 77787),
    # inflection: plurals, singulars, broken plurals, ezafe, clitics, verbs
    ("inflection", "نماینده کانون بازنشستگان", 77779),
    ("inflection", "دفترهای کارگزاری تهران", 77764),
    ("inflection", "سابقه بیمه\u200cای", 77772),
    ("inflection", "حکم جدید مستمری بازنشستگان", 77793),
    ("inflection", "مدرک مستمری بازماندگان", 77771),
    ("inflection", "بافنده\u200cهای فرش", 77768),
    ("inflection", "قالیبافها", 77768),
    ("inflection", "بیمارهای دیالیزی", 77773),
    ("inflection", "کارشناسهای روابط عمومی دوره آموزشی", 77760),
    ("inflection", "گواهی کسر از حقوق مستمری\u200cبگیرها", 77789),
    ("inflection", "وام ضروری بازنشسته", 77777),
    ("inflection", "معاینات رایگان اصفهان", 77774),
    ("inflection", "پیوندهای جعلی", 77769),
    ("inflection", "بازنشستگان دیابتی", 77783),
    ("inflection", "مستمری فرزند متوفی", 77771),
    ("inflection", "مرحله\u200cی تازه\u200cی همسان\u200cسازی", 77763),
    ("inflection", "کارفرمای خوش\u200cحساب", 77782),
    ("inflection", "مطالبه داروخانه", 77776),
    ("inflection", "داروخانه\u200cهای طرف قراردادها", 77776),
    ("inflection", "مرکزهای درمانی طرف قرارداد مطالبات", 77776),
    ("inflection", "شبکه اجتماعی پرسش مردم", 77795),
    ("inflection", "نمایندگی کانونهای بازنشستگی", 77779),
    ("inflection", "کارگزاریهای استان تهران", 77764),
    ("inflection", "دیالیزی\u200cها جنوب تهران", 77773),
    ("inflection", "بخشودگی جریمه کارفرما", 77781),
    ("inflection", "احکام جدیدم", 77793),
    # typos: sound-alike letters, a dropped, doubled or swapped letter, next key
    ("typo", "وام ضروری بازنشتگان", 77777),
    ("typo", "احکام بازنسشتگان", 77793),
    ("typo", "بخش دیالیظ", 77773),
    ("typo", "غالیباف", 77768),
    ("typo", "دفتر کارگظاری", 77764),
    ("typo", "معاینه رایگان اسفهان", 77774),
    ("typo", "درمانگاه خوضستان", 77780),
    ("typo", "بخشوگی جریمه", 77781),
    ("typo", "کمک هزینه ازدواح", 77790),
    ("typo", "پیامک جلی", 77769),
    ("typo", "نسخه الکترونیگ", 77766),
    ("typo", "مغرری بیمه بیکاری آذربایجان", 77786),
    ("typo", "تقسیت بدهی کارفرمایان", 77781),
    ("typo", "گواهی کسر از حقوق غیرحزوری", 77789),
    ("typo", "صبت نام وام زروری", 77777),
    ("typo", "وسول حق بیمه", 77770),
    ("typo", "متالبات داروخانه ها", 77776),
    ("typo", "دیدار مدیرعامل با نماینگان", 77779),
    ("typo", "غرامت دسمزد", 77778),
    ("typo", "مشاهده صوابق بیمه", 77772),
    ("typo", "تولید محطوا", 77760),
    ("typo", "نحوه مواجحه با افکار عمومی", 77759),
    ("typo", "وغفه سامانه", 77787),
    ("typo", "پرشک خانواده", 77783),
    ("typo", "واریز مستمزی", 77794),
    ("typo", "انفوگرافیک", 77760),
    ("typo", "حمسان سازی مرحله تازه", 77763),
    ("typo", "قالیبافن خراسان", 77768),
    # reader: the reader's word for the official one
    ("reader", "متناسب سازی حقوق بازنشستگان", 77763),
    ("reader", "ارسال لیست بیمه", 77761),
    ("reader", "بیمه خویش فرما", 77762),
    ("reader", "اس ام اس جعلی", 77769),
    ("reader", "لینک جعلی پرداخت", 77769),
    ("reader", "مرخصی استعلاجی", 77778),
    ("reader", "چکاپ رایگان بازنشستگان", 77774),
    ("reader", "دکتر خانواده", 77783),
    ("reader", "کلینیک تخصصی خوزستان", 77780),
    ("reader", "رادیولوژی خوزستان", 77780),
    ("reader", "قطعی سامانه", 77787),
    ("reader", "واریز حقوق بازنشستگان", 77794),
    ("reader", "جریمه دیرکرد بیمه", 77781),
    ("reader", "قسطی کردن بدهی بیمه", 77781),
    ("reader", "جواب سوال در فضای مجازی", 77795),
    ("reader", "حقوق بیکاری آذربایجان", 77786),
    ("reader", "نسخه اینترنتی", 77766),
    ("reader", "وام ازدواج تامین اجتماعی", 77790),
    ("reader", "حقوق وراث متوفی", 77771),
    ("reader", "کارگر ساختمونی", 77767),
    # spoken: questions as typed on a phone, in the spoken register
    ("spoken", "حقوق بازنشسته ها کی واریز میشه", 77794),
    ("spoken", "وام ضروری بازنشسته ها کی میدن", 77777),
    ("spoken", "بیمه بیکاری چند ماه میدن", 77784),
    ("spoken", "سوابق بیمه مو چجوری ببینم", 77772),
    ("spoken", "دندون پزشکی خوزستان", 77780),
    ("spoken", "غرامت دستمزد چطوری پرداخت میشه", 77778),
    ("spoken", "مستمری بازماندگان چه مدارکی میخواد", 77771),
    ("spoken", "مهلت لیست بیمه تا کیه", 77761),
    # partial: more words than any article has
    ("partial", "وام ضروری بازنشستگان ۱۴۰۴", 77777),
    ("partial", "نحوه ثبت نام وام ضروری بازنشستگان تامین اجتماعی در سایت", 77777),
    ("partial", "شرایط کمک هزینه ازدواج برای مردان", 77790),
    ("partial", "آدرس درمانگاه تخصصی دزفول", 77780),
    ("partial", "بیمه قالیبافان زن روستایی کرمان", 77768),
    ("partial", "شماره تلفن مرکز ارتباط مردمی", 77788),
    ("partial", "تعداد دفاتر کارگزاری شهریار و ملارد", 77764),
    ("partial", "پیش ثبت نام بیمه کارگران ساختمانی", 77767),
]


_RESULT_CODE_RE = re.compile(r'<li class="article-card search-result">.*?href="/news/(\d+)/', re.S)


def first_results(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, (query, response.status_code)
    return [int(code) for code in _RESULT_CODE_RE.findall(response.content.decode())[:TOP]]


def recall(client):
    found, total, missed = defaultdict(int), defaultdict(int), []
    for kind, query, code in QUERIES:
        total[kind] += 1
        results = first_results(client, query)
        if code in results:
            found[kind] += 1
        else:
            missed.append(f"{kind}: «{query}» wants {code}, first three {results}")
    return found, total, missed


@pytest.fixture
def demo_articles(db):
    call_command("load_demo", verbosity=0)


def test_the_table_has_at_least_a_hundred_queries_about_published_demo_articles():
    from newsroom.demo.articles import all_articles

    published = {a["code"] for a in all_articles() if a["status"] == "published"}
    assert len(QUERIES) >= 100
    assert {code for _, _, code in QUERIES} <= published


def test_recall_at_three_meets_the_targets(client, demo_articles):
    found, total, missed = recall(client)
    reader = found["reader"] / total["reader"]
    overall = sum(found.values()) / sum(total.values())
    summary = ", ".join(f"{kind} {found[kind]}/{total[kind]}" for kind in total)
    report = f"recall at {TOP}: {overall:.1%} ({summary})\n" + "\n".join(missed)
    print(report)
    assert overall >= RECALL_TARGET, report
    assert reader >= READER_WORD_RECALL_TARGET, report
