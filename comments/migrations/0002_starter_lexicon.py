"""The starter blocked terms, so that the insult rule works on a new site.

Moderators edit the terms in the admin afterwards; reversing removes only the
terms this migration brings.
"""

from django.db import migrations

from comments.lexicon import STARTER_LEXICON
from newsroom.text.persian import fold, normalize


def _starter_terms():
    """One term per matching form: «بی‌شرف» and «بیشرف» would be the same key."""
    terms = {}
    for term, note in STARTER_LEXICON:
        term = fold(term).strip()
        terms.setdefault(normalize(term), (term, note))
    return terms


def load_starter_lexicon(apps, schema_editor):
    BlockedTerm = apps.get_model("comments", "BlockedTerm")
    db = schema_editor.connection.alias
    terms = _starter_terms()
    present = set(BlockedTerm.objects.using(db).filter(key__in=terms).values_list("key", flat=True))
    BlockedTerm.objects.using(db).bulk_create(
        BlockedTerm(term=term, key=key, note=note)
        for key, (term, note) in terms.items()
        if key not in present
    )


def remove_starter_lexicon(apps, schema_editor):
    BlockedTerm = apps.get_model("comments", "BlockedTerm")
    db = schema_editor.connection.alias
    BlockedTerm.objects.using(db).filter(key__in=list(_starter_terms())).delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0001_initial")]

    operations = [migrations.RunPython(load_starter_lexicon, remove_starter_lexicon)]
