"""Moderators see what the rules refused, send it to the queue, and judge the proposed exceptions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATORS = "ناظر نظرات"
CODENAMES = [
    "view_refusal",
    "change_refusal",
    "view_ruleexception",
    "change_ruleexception",
    "delete_ruleexception",
]


def grant(apps, schema_editor):
    comments = apps.get_app_config("comments")
    comments.models_module = True
    create_permissions(comments, apps=apps, verbosity=0)
    comments.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=MODERATORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="comments", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=MODERATORS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="comments", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("comments", "0007_starter_terms_issue_14")]

    operations = [migrations.RunPython(grant, revoke)]
