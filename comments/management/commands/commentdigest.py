from django.conf import settings
from django.core.management.base import BaseCommand

from comments import notifications, outbox


class Command(BaseCommand):
    help = (
        "E-mail every moderator (staff who may decide on comments and have an e-mail address) "
        "how many comments wait, since when, and where. Does nothing unless MODERATION_DIGEST "
        "is on (or --force), nor when nothing waits. Run it from cron as often as moderators "
        "want to hear, e.g. every hour. What waits in the outbox is sent at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="send even if MODERATION_DIGEST is off"
        )

    def handle(self, *args, force=False, **options):
        if not (settings.MODERATION_DIGEST or force):
            self.stdout.write("MODERATION_DIGEST is off: no digest sent.")
            return
        outbox.no_background_sender()
        added = notifications.moderation_digest()
        # Sent now, like any waiting e-mail: a command's process does not stay for a sender.
        sent, failed = outbox.send_due()
        self.stdout.write(
            f"{added} digest e-mails added to the outbox; {sent} sent, {failed} failed."
        )
