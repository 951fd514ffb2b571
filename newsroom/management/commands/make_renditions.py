"""Make the resized copies of the pictures already stored: after an upgrade, or with --force
after the specs changed. A picture with more pixels than IMAGE_MAX_MEGAPIXELS is skipped
and never decoded; it is served as it is."""

from django.core.management.base import BaseCommand

from newsroom.articles import images, renditions
from newsroom.articles.signals import article_changed
from newsroom.models import Article, Photo


class Command(BaseCommand):
    help = "Make the missing resized copies of articles' and photo reports' pictures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="make every copy again, even those present"
        )

    def handle(self, *args, force=False, **options):
        counts = {"pictures": 0, "copies": 0, "skipped": 0}
        sets = (
            (Article.objects.exclude(image=""), renditions.ARTICLE_SPECS),
            (Photo.objects.exclude(image=""), renditions.PICTURE_SPECS),
        )
        for queryset, spec_ids in sets:
            for owner in queryset.only("pk", "image", "image_width", "image_height").iterator():
                self._make(owner, spec_ids, force, counts)
        # The pages now offer the copies (or no longer do): renew every cached page.
        article_changed.send(sender=Article, article_ids=None)
        self.stdout.write(
            f"{counts['pictures']} pictures, {counts['copies']} copies made, "
            f"{counts['skipped']} skipped (unreadable or more than the pixel limit)."
        )

    def _make(self, owner, spec_ids, force, counts):
        size = images.decodable_size(owner.image)
        if size is None:
            counts["skipped"] += 1
            if owner.image_width is not None:
                type(owner).objects.filter(pk=owner.pk).update(image_width=None, image_height=None)
            return
        try:
            counts["copies"] += renditions.make_all(owner.image, spec_ids, force=force)
        except OSError as error:
            counts["skipped"] += 1
            self.stderr.write(f"{owner.image.name}: {error}")
            return
        finally:
            owner.image.close()
        counts["pictures"] += 1
        if (owner.image_width, owner.image_height) != size:
            # Saved with update(): the copies exist, and the pages show them from now on.
            type(owner).objects.filter(pk=owner.pk).update(
                image_width=size[0], image_height=size[1]
            )
