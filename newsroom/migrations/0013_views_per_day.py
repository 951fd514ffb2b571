"""Views counted per day, for «پربازدیدترین» to rank the last seven days.

The counts so far have no day: those of the articles published in the last
seven days are carried over as today's, so the ranking is not empty after
the upgrade.
"""

from datetime import timedelta

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def carry_recent_counts_over(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    DailyViews = apps.get_model("newsroom", "DailyViews")
    recent = Article.objects.filter(
        published_at__gte=timezone.now() - timedelta(days=7), view_count__gt=0
    )
    today = timezone.localdate()
    DailyViews.objects.bulk_create(
        DailyViews(article_id=pk, day=today, count=count)
        for pk, count in recent.values_list("pk", "view_count")
    )


class Migration(migrations.Migration):

    dependencies = [
        ('newsroom', '0012_article_indexes_for_sitemaps'),
    ]

    operations = [
        migrations.CreateModel(
            name='DailyViews',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('day', models.DateField(verbose_name='day')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='views')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='daily_views', to='newsroom.article', verbose_name='article')),
            ],
            options={
                'verbose_name': 'views of a day',
                'verbose_name_plural': 'views of each day',
                'indexes': [models.Index(fields=['day', 'article'], name='daily_views_by_day')],
                'constraints': [models.UniqueConstraint(fields=('article', 'day'), name='daily_views_once_a_day')],
            },
        ),
        migrations.RunPython(carry_recent_counts_over, migrations.RunPython.noop),
    ]
