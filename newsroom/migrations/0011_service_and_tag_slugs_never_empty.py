"""The database refuses an empty slug for a service or a tag.

In a migration of its own: PostgreSQL does not alter a table whose rows the
same transaction has just updated (the one before).
"""

from django.db import migrations, models
from django.db.models import Q


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0010_every_service_and_tag_has_an_address")]

    operations = [
        migrations.AddConstraint(
            model_name="service",
            constraint=models.CheckConstraint(
                condition=~Q(slug=""), name="service_slug_not_empty"
            ),
        ),
        migrations.AddConstraint(
            model_name="tag",
            constraint=models.CheckConstraint(condition=~Q(slug=""), name="tag_slug_not_empty"),
        ),
    ]
