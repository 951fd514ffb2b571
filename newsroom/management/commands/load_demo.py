"""Fill a development database with the demo services, tags, articles and staff."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from newsroom.demo import articles as demo
from newsroom.demo import pictures
from newsroom.models import Article, BreakingNews, Photo, Service, Tag
from newsroom.site.roles import EDITORS, MODERATORS
from newsroom.text import persian, zwnj

# Each demo user joins its group when the group exists; without it, the user
# gets these permissions directly so that the admin is usable all the same.
DEMO_STAFF = {
    "editor": {
        "group": EDITORS,
        "permissions": {
            "newsroom": [
                f"{action}_{model}"
                for model in ("article", "tag", "service", "photo")
                for action in ("add", "change", "view")
            ],
        },
    },
    "moderator": {
        "group": MODERATORS,
        "permissions": {
            "comments": [
                "view_comment",
                "change_comment",
                "add_blockedterm",
                "change_blockedterm",
                "delete_blockedterm",
                "view_blockedterm",
            ],
        },
    },
}


class Command(BaseCommand):
    help = (
        "Load the demo services, tags and articles and create the demo editor and "
        "moderator. Running it again adds only what is missing and changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--site",
            default="http://127.0.0.1:8000",
            help="where the site will be served, for the admin's address it prints",
        )

    def handle(self, *args, **options):
        self.site = options["site"].rstrip("/")
        now = timezone.now().replace(second=0, microsecond=0)
        with transaction.atomic():
            new_passwords, existing_users = self._ensure_staff()
            services, services_created = self._ensure_services()
            tag_keys = {Tag.key_for(name) for name in demo.TAGS}
            tags_before = Tag.objects.filter(key__in=tag_keys).count()
            editor = get_user_model().objects.get(username="editor")
            articles_created, articles_present = self._ensure_articles(services, editor, now)
            self._ensure_front_page(now)
            tags_created = Tag.objects.filter(key__in=tag_keys).count() - tags_before

        self._report_staff(new_passwords, existing_users)
        self.stdout.write(
            f"Articles: {articles_created} created, {articles_present} already present; "
            f"services: {services_created} created, {len(services) - services_created} "
            f"already present; tags: {tags_created} created, {tags_before} already present."
        )

    def _ensure_staff(self):
        user_model = get_user_model()
        new_passwords = {}
        existing = []
        for username, access in DEMO_STAFF.items():
            user = user_model.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = user_model.objects.create_user(
                    username=username, password=password, is_staff=True
                )
                new_passwords[username] = password
            else:
                existing.append(username)
            self._grant_access(user, access)
        return new_passwords, existing

    def _grant_access(self, user, access):
        group = Group.objects.filter(name=access["group"]).first()
        if group is not None:
            user.groups.add(group)
            return
        wanted = Q(pk__in=[])
        for app_label, codenames in access["permissions"].items():
            wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
        user.user_permissions.add(*Permission.objects.filter(wanted))

    def _ensure_services(self):
        services = {}
        created_count = 0
        for position, name in enumerate(demo.SERVICES, start=1):
            service, created = Service.objects.get_or_create(
                name=persian.fold(name).strip(), defaults={"position": position}
            )
            services[name] = service
            created_count += created
        return services, created_count

    def _ensure_articles(self, services, author, now):
        entries = demo.all_articles()
        present = set(
            Article.objects.filter(code__in=[entry["code"] for entry in entries]).values_list(
                "code", flat=True
            )
        )
        created = 0
        for entry in entries:
            # An existing article is left as it is: an editor may have changed it.
            if entry["code"] in present:
                continue
            title, lead, body = entry["title"], entry["lead"], entry["body"]
            if entry["code"] == demo.SAMPLE_CODE:
                # The sample was copied from a page that lost its ZWNJs: the
                # editors' «اصلاح نیم‌فاصله» puts them back, every change accepted.
                title, lead, body = (zwnj.apply(text) for text in (title, lead, body))
            article = Article(
                code=entry["code"],
                surtitle=entry["surtitle"],
                title=title,
                lead=lead,
                body=body,
                service=services[entry["service"]],
                source=entry["source"],
                status=Article.Status(entry["status"]),
                published_at=now + entry["offset"],
                comments_open=entry["comments_open"],
                author=author,
                kind=entry.get("kind", Article.Kind.NEWS),
            )
            self._add_pictures(article)
            article.tags.set(entry["tags"])
            created += 1
        return created, len(present)

    def _ensure_front_page(self, now):
        """A lead, featured stories and a breaking line, unless editors already chose theirs."""
        if not Article.objects.exclude(placement="").exists():
            for code, (placement, position) in demo.PLACEMENTS.items():
                Article.objects.filter(code=code).update(
                    placement=placement, placement_position=position
                )
        if not BreakingNews.objects.exists():
            articles = Article.objects.in_bulk(
                [code for _text, code, _since, _lasts in demo.BREAKING_NEWS if code],
                field_name="code",
            )
            for text, code, since, lasts in demo.BREAKING_NEWS:
                starts = now - timedelta(hours=since)
                BreakingNews.objects.create(
                    text=text,
                    article=articles.get(code),
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=lasts),
                )

    def _add_pictures(self, article):
        """Save the article with its drawn picture, if it has one, and a report's photos.

        Their copies are made as they are saved, as for an editor's upload.
        """
        code = article.code
        if not settings.DEMO_PICTURES:
            article.save()
            return
        if code in pictures.CAPTIONS:
            article.image_caption = pictures.CAPTIONS[code]
            article.image.save(f"demo-{code}.jpg", ContentFile(pictures.scene(code)), save=False)
        elif code == pictures.PHOTO_REPORT_CODE:
            article.image_caption = pictures.PHOTO_REPORT["photos"][0]
            article.image.save(f"demo-{code}.jpg", ContentFile(pictures.scene(code)), save=False)
        article.save()
        if code == pictures.PHOTO_REPORT_CODE:
            for order, caption in enumerate(pictures.PHOTO_REPORT["photos"]):
                photo = Photo(article=article, caption=caption, order=order)
                picture = pictures.scene(code + order) if order else pictures.scene(code)
                photo.image.save(f"demo-{code}-{order + 1}.jpg", ContentFile(picture), save=False)
                photo.save()

    def _report_staff(self, new_passwords, existing_users):
        if new_passwords:
            self.stdout.write("Demo staff users created; their passwords are shown only now:")
            for username, password in new_passwords.items():
                self.stdout.write(f"  {username} / {password}")
            self.stdout.write(f"Admin: {self.site}/{settings.ADMIN_PATH}")
        if existing_users:
            self.stdout.write(
                f"Demo staff users already exist: {', '.join(existing_users)}. "
                f"To set a new password: python manage.py changepassword {existing_users[0]}"
            )
