"""Starter terms for issue 14: kinds for the first lexicon's accusations, and new terms.

The terms are written here as they were when this migration was made, so
that later edits of comments/lexicon.py do not change what it does.
Reversing removes the added terms and makes every starter term an insult again.
"""

from django.db import migrations

from newsroom.text.persian import fold, normalize

HELD = [
    "دزد", "فاسد", "مفسد", "رشوه‌خوار", "رشوه‌بگیر", "اختلاسگر", "خائن", "وطن‌فروش",
    "دروغگو", "شیاد", "چپاولگر", "غارتگر", "رانت‌خوار", "بیت‌المال‌خور",
]

# (term, note, kind, exact)
ADDED = [
    ("آشغال", "توهین", "insult", True),
    ("حیوون", "توهین", "insult", False),
    ("مرده‌شور", "توهین", "insult", False),
    ("مرده‌شوی", "توهین", "insult", False),
    ("خاک بر سر", "توهین", "insult", False),
    ("خاک تو سر", "توهین", "insult", False),
    ("خاک تو سرت", "توهین", "insult", False),
    ("لعنت به روح", "توهین", "insult", False),
    ("بی‌پدر", "توهین", "insult", False),
    ("بی‌پدرومادر", "توهین", "insult", False),
    ("بی‌پدر و مادر", "توهین", "insult", False),
    ("کس‌ننت", "واژهٔ رکیک", "insult", False),
    ("گم شو", "توهین", "insult", False),
    ("گمشید", "توهین", "insult", False),
    ("گمشین", "توهین", "insult", False),
    ("خفه شید", "توهین", "insult", False),
    ("خفه شین", "توهین", "insult", False),
    ("خفه‌خون", "توهین", "insult", False),
    ("دلقک", "توهین", "insult", False),
    ("بوزینه", "توهین", "insult", False),
    ("شغال", "توهین", "insult", False),
    ("کفتار", "توهین", "insult", False),
    ("عقب‌مانده", "توهین", "insult", False),
    ("عقب‌مونده", "توهین", "insult", False),
    ("چلغوز", "توهین", "insult", False),
    ("الدنگ", "توهین", "insult", False),
    ("گاگول", "توهین", "insult", False),
    ("اوسکل", "توهین", "insult", False),
    ("نکبت", "توهین", "insult", False),
    ("بی‌شخصیت", "توهین", "insult", False),
    ("وقیح", "توهین", "insult", False),
    ("بی‌حیا", "توهین", "insult", False),
    ("هرزه", "توهین", "insult", False),
    ("حمال", "توهین", "insult", False),
    ("خوک", "توهین", "insult", False),
    ("حیوان", "توهین", "insult", False),
    ("نمک‌نشناس", "توهین", "insult", False),
    ("کلاهبردار", "نسبت ناروا", "accusation", False),
    ("رشوه", "نسبت ناروا", "accusation", False),
    ("رشوه گرفتن", "نسبت ناروا", "accusation", False),
    ("رشوه خوردن", "نسبت ناروا", "accusation", False),
    ("اختلاس", "نسبت ناروا", "accusation", False),
    ("اختلاس کردن", "نسبت ناروا", "accusation", False),
    ("پارتی", "نسبت ناروا", "accusation", False),
    ("پارتی‌بازی", "نسبت ناروا", "accusation", False),
    ("رابطه‌بازی", "نسبت ناروا", "accusation", False),
    ("زیرمیزی", "نسبت ناروا", "accusation", False),
    ("پولشویی", "نسبت ناروا", "accusation", False),
    ("رانت", "نسبت ناروا", "accusation", False),
    ("زد و بند", "نسبت ناروا", "accusation", False),
    ("حق خوردن", "نسبت ناروا", "accusation", False),
    ("پول خوردن", "نسبت ناروا", "accusation", False),
    ("بالا کشیدن", "نسبت ناروا", "accusation", False),
    ("به جیب زدن", "نسبت ناروا", "accusation", False),
    ("دزدیدن", "نسبت ناروا", "accusation", False),
    ("دزدی کردن", "نسبت ناروا", "accusation", False),
    ("جعل کردن", "نسبت ناروا", "accusation", False),
    ("غارت کردن", "نسبت ناروا", "accusation", False),
    ("چپاول کردن", "نسبت ناروا", "accusation", False),
    ("حیف و میل کردن", "نسبت ناروا", "accusation", False),
    ("سوءاستفاده کردن", "نسبت ناروا", "accusation", False),
    ("فامیل‌بازی", "نسبت ناروا", "accusation", False),
    ("سو استفاده کردن", "نسبت ناروا", "accusation", False),
    ("بیت‌المال خوردن", "نسبت ناروا", "accusation", False),
    ("فساد مالی", "نسبت ناروا", "accusation", False),
    ("آقازاده", "نسبت ناروا", "accusation", False),
    ("حقوق نجومی", "نسبت ناروا", "accusation", False),
    ("فامیل استخدام کردن", "نسبت ناروا", "accusation", False),
    ("بی آزمون استخدام", "نسبت ناروا", "accusation", False),
    ("بدون آزمون استخدام", "نسبت ناروا", "accusation", False),
    ("کسب درآمد", "تبلیغ", "advert", False),
    ("درآمد دلاری", "تبلیغ", "advert", False),
    ("درآمد میلیونی", "تبلیغ", "advert", False),
    ("وام فوری", "تبلیغ", "advert", False),
    ("بدون ضامن", "تبلیغ", "advert", False),
    ("فروش امتیاز", "تبلیغ", "advert", False),
    ("خرید امتیاز", "تبلیغ", "advert", False),
    ("خرید و فروش", "تبلیغ", "advert", False),
    ("فالوور", "تبلیغ", "advert", False),
    ("فالو", "تبلیغ", "advert", False),
    ("دایرکت", "تبلیغ", "advert", False),
    ("بیو", "تبلیغ", "advert", False),
    ("کانال", "تبلیغ", "advert", False),
    ("پیج", "تبلیغ", "advert", False),
    ("تلگرام", "تبلیغ", "advert", False),
    ("واتساپ", "تبلیغ", "advert", False),
    ("اینستاگرام", "تبلیغ", "advert", False),
    ("آیدی", "تبلیغ", "advert", False),
    ("ارز دیجیتال", "تبلیغ", "advert", False),
    ("ترید", "تبلیغ", "advert", False),
    ("سیم‌کارت رند", "تبلیغ", "advert", False),
    ("مشاوره رایگان", "تبلیغ", "advert", False),
    ("تماس بگیرید", "تبلیغ", "advert", False),
    ("پیام بدید", "تبلیغ", "advert", False),
    ("پیام بدین", "تبلیغ", "advert", False),
    ("پیام دهید", "تبلیغ", "advert", False),
    ("تخفیف ویژه", "تبلیغ", "advert", False),
    ("بدون سرمایه", "تبلیغ", "advert", False),
    ("کار در منزل", "تبلیغ", "advert", False),
    ("تضمینی", "تبلیغ", "advert", False),
]


def forward(apps, schema_editor):
    BlockedTerm = apps.get_model("comments", "BlockedTerm")
    db = schema_editor.connection.alias
    held = [normalize(fold(term)) for term in HELD]
    BlockedTerm.objects.using(db).filter(key__in=held).update(kind="accusation")
    present = set(BlockedTerm.objects.using(db).values_list("key", flat=True))
    new = {}
    for term, note, kind, exact in ADDED:
        term = fold(term).strip()
        key = normalize(term)
        if key not in present:
            new.setdefault(key, BlockedTerm(term=term, key=key, note=note, kind=kind, exact=exact))
    BlockedTerm.objects.using(db).bulk_create(new.values())
    BlockedTerm.objects.using(db).filter(key=normalize("آشغال")).update(exact=True)


def backward(apps, schema_editor):
    BlockedTerm = apps.get_model("comments", "BlockedTerm")
    db = schema_editor.connection.alias
    added = [normalize(fold(term).strip()) for term, _n, _k, _e in ADDED]
    BlockedTerm.objects.using(db).filter(key__in=added).delete()
    BlockedTerm.objects.using(db).update(kind="insult", exact=False)


class Migration(migrations.Migration):
    dependencies = [("comments", "0006_rules_learning")]

    operations = [migrations.RunPython(forward, backward)]
