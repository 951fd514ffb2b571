import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from comments import outbox


class Command(BaseCommand):
    help = (
        "Send the e-mails waiting in the outbox (readers told of their comments, moderators' "
        "digests), retrying failed ones with growing pauses, and delete sent ones older than "
        "COMMENT_MAIL_KEEP_DAYS. One pass for cron or a systemd timer; --loop keeps running, "
        "as a service. Safe beside other senders: each e-mail is sent once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            action="store_true",
            help="keep sending, looking again every --every seconds",
        )
        parser.add_argument("--every", type=float, default=10.0)

    def handle(self, *args, loop=False, every=10.0, **options):
        outbox.no_background_sender()
        while True:
            sent, failed = outbox.send_due()
            purged = outbox.purge_sent()
            if sent or failed or purged or not loop:
                self.stdout.write(
                    f"{sent} sent, {failed} failed, {purged} old sent e-mails deleted."
                )
            if not loop:
                return
            close_old_connections()
            time.sleep(every)
