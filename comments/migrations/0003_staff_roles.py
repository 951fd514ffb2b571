"""The two staff roles, with the least permissions their work needs.

Editors manage articles, tags and services; moderators manage comments and
blocked terms. Neither manages users, and neither can do the other's work.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "ویراستار"
MODERATORS = "ناظر نظرات"

ROLES = {
    EDITORS: {
        "newsroom": [
            "add_article", "change_article", "view_article",
            "add_service", "change_service", "view_service",
            "add_tag", "change_tag", "delete_tag", "view_tag",
        ],
    },
    MODERATORS: {
        "comments": [
            "change_comment", "view_comment",
            "add_blockedterm", "change_blockedterm", "delete_blockedterm", "view_blockedterm",
        ],
    },
}


def create_roles(apps, schema_editor):
    # Permissions are made after all migrations run; these roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codenames in grants.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsroom", "0001_initial"),
        ("comments", "0002_starter_lexicon"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
