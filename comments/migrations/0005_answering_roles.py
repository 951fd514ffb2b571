"""Both roles answer readers officially; editors see the comments they answer."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "ویراستار": ["view_comment", "answer_comment"],
    "ناظر نظرات": ["answer_comment"],
}


def grant(apps, schema_editor):
    comments = apps.get_app_config("comments")
    comments.models_module = True
    create_permissions(comments, apps=apps, verbosity=0)
    comments.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="comments", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [("comments", "0004_answer_permission")]

    operations = [migrations.RunPython(grant, revoke)]
