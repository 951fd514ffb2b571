"""Every service and tag has a non-empty slug (the next migration keeps it so).

A name with no letter or digit in it («***», «!!!») used to get an empty
slug, and a service with one broke every page (the menu links to it). Such
rows get the word for what they are, numbered when taken, as new ones do.
"""

from django.db import migrations

from newsroom.text import persian

FALLBACKS = {"Service": "سرویس", "Tag": "برچسب"}


def give_addresses(apps, schema_editor):
    for model_name, fallback in FALLBACKS.items():
        model = apps.get_model("newsroom", model_name)
        for row in model.objects.filter(slug=""):
            stem = persian.slugify(row.name)[:90].strip("-") or fallback
            taken = set(model.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
            number, slug = 1, stem
            while slug in taken:
                number += 1
                slug = f"{stem}-{number}"
            model.objects.filter(pk=row.pk).update(slug=slug)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0009_editors_keep_synonyms")]

    operations = [migrations.RunPython(give_addresses, migrations.RunPython.noop)]
