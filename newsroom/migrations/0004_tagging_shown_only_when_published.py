"""A tagging carries its article's publication time only while the article is
published: a tag's page counts its articles from the taggings alone."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def clear_for_drafts(apps, schema_editor):
    TaggedArticle = apps.get_model("newsroom", "TaggedArticle")
    TaggedArticle.objects.exclude(content_object__status="published").update(published_at=None)


def copy_for_all(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    TaggedArticle = apps.get_model("newsroom", "TaggedArticle")
    TaggedArticle.objects.update(
        published_at=Subquery(
            Article.objects.filter(pk=OuterRef("content_object_id")).values("published_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0003_tag_publication_time"),
    ]

    operations = [
        migrations.AlterField(
            model_name="taggedarticle",
            name="published_at",
            field=models.DateTimeField(editable=False, null=True),
        ),
        migrations.RunPython(clear_for_drafts, copy_for_all),
    ]
