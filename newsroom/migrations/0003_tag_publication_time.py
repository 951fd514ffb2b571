"""A tag's articles in date order without sorting them: the publication time
is copied onto each tagging and indexed with the tag."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_publication_times(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    TaggedArticle = apps.get_model("newsroom", "TaggedArticle")
    TaggedArticle.objects.update(
        published_at=Subquery(
            Article.objects.filter(pk=OuterRef("content_object_id")).values("published_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="taggedarticle",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(copy_publication_times, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="taggedarticle",
            name="published_at",
            field=models.DateTimeField(editable=False),
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(fields=["tag", "-published_at"], name="tagged_article_tag_newest"),
        ),
        migrations.AddIndex(
            model_name="taggedarticle",
            index=models.Index(fields=["-published_at"], name="tagged_article_newest"),
        ),
    ]
