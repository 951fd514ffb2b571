from django.core.management.base import BaseCommand

from comments import learning


class Command(BaseCommand):
    help = (
        "Delete the comments the posting rules refused that are older than "
        "COMMENT_REFUSALS_KEEP_DAYS days (30 unless set). Safe to run from cron at any time."
    )

    def handle(self, *args, **options):
        deleted = learning.purge_expired_refusals()
        self.stdout.write(
            f"{deleted} refused comments older than {learning.keep_days()} days deleted."
        )
