"""Photo reports, video and the pictures' sizes; editors keep the photos of a report."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# A copy of newsroom/site/roles.py's name, as history requires.
EDITORS = "ویراستار"
CODENAMES = ["add_photo", "change_photo", "delete_photo", "view_photo"]


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
        ("newsroom", "0014_front_page"),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='image_height',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='article',
            name='image_width',
            field=models.PositiveIntegerField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='article',
            name='kind',
            field=models.CharField(choices=[('news', 'news'), ('photos', 'photo report'), ('video', 'video')], default='news', help_text='A photo report shows its captioned photos; a video plays its MP4 file.', max_length=10, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='article',
            name='video',
            field=models.FileField(blank=True, help_text="An MP4 file; the article's image is shown before it plays.", upload_to='videos/%Y/%m/', verbose_name='video'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='kind',
            field=models.CharField(choices=[('news', 'news'), ('photos', 'photo report'), ('video', 'video')], default='news', help_text='A photo report shows its captioned photos; a video plays its MP4 file.', max_length=10, verbose_name='kind'),
        ),
        migrations.AddField(
            model_name='historicalarticle',
            name='video',
            field=models.TextField(blank=True, help_text="An MP4 file; the article's image is shown before it plays.", max_length=100, verbose_name='video'),
        ),
        migrations.CreateModel(
            name='Photo',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('image', models.ImageField(upload_to='photos/%Y/%m/', verbose_name='photo')),
                ('image_width', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('image_height', models.PositiveIntegerField(blank=True, editable=False, null=True)),
                ('caption', models.CharField(blank=True, max_length=500, verbose_name='caption')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='photos', to='newsroom.article', verbose_name='article')),
            ],
            options={
                'verbose_name': 'photo',
                'verbose_name_plural': 'photos',
                'ordering': ['order', 'pk'],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
