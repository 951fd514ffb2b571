"""Editors may delete a service, as they already may a tag.

A service an editor created by mistake (a typo for a name, «***») could be
removed by no one but a superuser. One that still has articles is not
deleted: the admin lists them instead (the articles' PROTECT).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "ویراستار"
CODENAMES = ["delete_service"]


def grant(apps, schema_editor):
    newsroom = apps.get_app_config("newsroom")
    newsroom.models_module = True
    create_permissions(newsroom, apps=apps, verbosity=0)
    newsroom.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=EDITORS)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name=EDITORS):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="newsroom", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("comments", "0008_moderators_see_refusals")]

    operations = [migrations.RunPython(grant, revoke)]
