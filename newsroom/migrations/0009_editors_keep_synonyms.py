"""Editors keep the synonyms of search in the admin, beside articles, tags and services."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy of newsroom/site/roles.py's name, as history requires.
EDITORS = "ویراستار"
CODENAMES = ["add_synonym", "change_synonym", "delete_synonym", "view_synonym"]


def grant(apps, schema_editor):
    # Permissions are made after all migrations run; the editors need these now.
    app_config = apps.get_app_config("newsroom")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _created = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label="newsroom", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for editors in Group.objects.filter(name=EDITORS):
        editors.permissions.remove(
            *Permission.objects.filter(content_type__app_label="newsroom", codename__in=CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsroom", "0008_starter_synonyms"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
