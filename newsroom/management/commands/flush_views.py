import time

from django.core.management.base import BaseCommand

from newsroom.articles import reading


class Command(BaseCommand):
    help = (
        "Write the views waiting in the cache to the database, for instance before Redis "
        "is restarted or emptied."
    )

    def handle(self, *args, **options):
        # A flush already under way (a worker's) is waited for, then ours runs.
        deadline = time.monotonic() + 60
        while (written := reading.flush_views()) == 0 and reading.flush_is_running():
            if time.monotonic() > deadline:
                self.stderr.write("Another flush has been running for a minute; try again.")
                return
            time.sleep(0.5)
        self.stdout.write(f"{written} views written.")
