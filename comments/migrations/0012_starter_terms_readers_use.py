"""Insults and accusations readers use that the starter lexicon lacked.

The terms are written here as they were when this migration was made, so
that later edits of comments/lexicon.py do not change what it does. A term
already in the database (a moderator added it, perhaps with another kind)
is left as it is. Reversing removes the terms this migration added.
"""

from django.db import migrations

from newsroom.text.persian import fold, normalize

# (term, note, kind, exact)
ADDED = [
    ("مفت‌خور", "توهین", "insult", False),
    ("نامرد", "توهین", "insult", False),
    ("بی‌وجدان", "توهین", "insult", False),
    ("بی‌شرم", "توهین", "insult", False),
    ("ناکس", "توهین", "insult", False),
    ("خدا لعنتت", "توهین", "insult", False),
    ("خدا لعنتتون", "توهین", "insult", False),
    ("خدا لعنتشون", "توهین", "insult", False),
    ("برو بمیر", "توهین", "insult", False),
    ("برید بمیرید", "توهین", "insult", False),
    ("ذلیل مرده", "توهین", "insult", False),
    ("زهرمار", "توهین", "insult", False),
    ("تف به", "توهین", "insult", False),
    ("شارلاتان", "نسبت ناروا", "accusation", False),
    ("حقه‌باز", "نسبت ناروا", "accusation", False),
    ("متقلب", "نسبت ناروا", "accusation", False),
    ("دغل‌باز", "نسبت ناروا", "accusation", False),
    ("فریبکار", "نسبت ناروا", "accusation", False),
    ("جنایتکار", "نسبت ناروا", "accusation", False),
    ("مافیا", "نسبت ناروا", "accusation", False),
    ("دروغ گفتن", "نسبت ناروا", "accusation", False),
]


def _keys():
    return {normalize(fold(row[0]).strip()): row for row in ADDED}


def forward(apps, schema_editor):
    BlockedTerm = apps.get_model("comments", "BlockedTerm")
    db = schema_editor.connection.alias
    keys = _keys()
    present = set(BlockedTerm.objects.using(db).filter(key__in=keys).values_list("key", flat=True))
    BlockedTerm.objects.using(db).bulk_create(
        BlockedTerm(term=fold(term).strip(), key=key, note=note, kind=kind, exact=exact)
        for key, (term, note, kind, exact) in keys.items()
        if key not in present
    )


def backward(apps, schema_editor):
    BlockedTerm = apps.get_model("comments", "BlockedTerm")
    db = schema_editor.connection.alias
    BlockedTerm.objects.using(db).filter(key__in=_keys()).delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0011_likeness_and_questions_of_earlier_comments")]

    operations = [migrations.RunPython(forward, backward)]
