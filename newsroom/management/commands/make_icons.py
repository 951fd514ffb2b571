from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from newsroom.site import icons


class Command(BaseCommand):
    help = "Draw the site's PNG logo, touch icon and favicon.ico into static/img/."

    def handle(self, *args, **options):
        for path in icons.write_all(Path(settings.BASE_DIR) / "static"):
            self.stdout.write(str(path))
