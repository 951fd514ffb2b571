"""Indexes for the sitemaps: where each page of published articles starts, and the latest change."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0011_service_and_tag_slugs_never_empty'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='article',
            index=models.Index(condition=models.Q(('status', 'published')), fields=['code', 'published_at'], name='article_published_code'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['-updated_at'], name='article_updated'),
        ),
    ]
