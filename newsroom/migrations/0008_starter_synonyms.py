"""A starter list of readers' words and the official words the articles use for them.

Editors keep the list in the admin («مترادف‌ها»); these are words readers of
a social-security office type for what its announcements call otherwise.
"""

from django.db import migrations

from newsroom.text import persian

# reader's word or phrase → the official one (several rows for a word with several)
STARTER = [
    ("حقوق بازنشستگی", "مستمری"),
    ("حقوق", "مستمری"),
    ("حقوق", "مقرری"),
    ("متناسب سازی", "همسان‌سازی"),
    ("همسان سازی حقوق", "همسان‌سازی مستمری"),
    ("لیست", "فهرست"),
    ("لیست بیمه", "فهرست بیمه"),
    ("اس ام اس", "پیامک"),
    ("sms", "پیامک"),
    ("لینک", "پیوند"),
    ("سایت", "درگاه"),
    ("سایت", "سامانه"),
    ("وبسایت", "درگاه"),
    ("اپلیکیشن", "سامانه"),
    ("قطعی", "وقفه"),
    ("خویش فرما", "مشاغل آزاد"),
    ("بیمه آزاد", "بیمه مشاغل آزاد"),
    ("استعلاجی", "غرامت دستمزد"),
    ("مرخصی استعلاجی", "غرامت دستمزد ایام بیماری"),
    ("چکاپ", "معاینه"),
    ("چک آپ", "معاینه"),
    ("دکتر", "پزشک"),
    ("کلینیک", "درمانگاه"),
    ("رادیولوژی", "پرتونگاری"),
    ("عکسبرداری", "تصویربرداری"),
    ("سونوگرافی", "تصویربرداری"),
    ("دیرکرد", "تأخیر"),
    ("قسطی", "تقسیط"),
    ("قسط بندی", "تقسیط"),
    ("بخشش", "بخشودگی"),
    ("معافیت", "بخشودگی"),
    ("جواب", "پاسخ"),
    ("سوال", "پرسش"),
    ("فضای مجازی", "شبکه‌های اجتماعی"),
    ("اینترنتی", "الکترونیک"),
    ("آنلاین", "غیرحضوری"),
    ("آنلاین", "برخط"),
    ("وام ازدواج", "کمک‌هزینه ازدواج"),
    ("هدیه ازدواج", "کمک‌هزینه ازدواج"),
    ("وراث", "بازماندگان"),
    ("ورثه", "بازماندگان"),
    ("فوتی", "بازماندگان"),
    ("عائله", "افراد تحت تکفل"),
    ("کارمندان", "کارکنان"),
    ("اداره بیمه", "شعبه"),
    ("رئیس سازمان", "مدیرعامل"),
    ("بدهکاری", "بدهی"),
    ("زایمان", "بارداری"),
    ("حاملگی", "بارداری"),
    ("تسهیلات", "وام"),
    ("دفترچه", "نسخه"),
    ("شماره تماس", "مرکز ارتباط مردمی"),
    ("تلفن گویا", "مرکز ارتباط مردمی"),
]


def key_for(text):
    return " ".join(persian.words(text))


def add_starter_synonyms(apps, schema_editor):
    Synonym = apps.get_model("newsroom", "Synonym")
    for reader, official in STARTER:
        Synonym.objects.get_or_create(
            reader_key=key_for(reader),
            official_key=key_for(official),
            defaults={
                "reader_words": persian.fold(reader),
                "official_words": persian.fold(official),
            },
        )


def remove_starter_synonyms(apps, schema_editor):
    Synonym = apps.get_model("newsroom", "Synonym")
    for reader, official in STARTER:
        Synonym.objects.filter(reader_key=key_for(reader), official_key=key_for(official)).delete()


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0007_search_word_index_and_synonyms")]

    operations = [migrations.RunPython(add_starter_synonyms, remove_starter_synonyms)]
