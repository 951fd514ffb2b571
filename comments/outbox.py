"""E-mail is sent outside requests: requests add rows to an outbox; a sender drains it.

A moderator's approval or answer must not wait for a mail server, nor fail
because one is down. So `enqueue` only adds an `OutgoingEmail` row in the
same transaction as the decision (an e-mail is never sent about a decision
that was rolled back), and something outside the request sends it with
Django's e-mail framework (`EMAIL_URL`: the console in development, SMTP
in production):

- `manage.py sendcommentmail`: one pass, for cron or a systemd timer, or
  `--loop` as a service of its own. Production runs it so that web workers
  never spend time on a mail server (`COMMENT_MAIL_IN_PROCESS=false`).
- In the embedded default (`make run`), where nobody sets up cron, each web
  process runs a small background thread (`COMMENT_MAIL_IN_PROCESS`, on by
  default), woken when an e-mail is added and when a retry is due. It
  shares nothing with the request that woke it but the database.

Both may run at once, on any number of processes and servers: a sender
claims a row with a conditional UPDATE before sending it, so an e-mail is
sent once. A failed send is logged and tried again after 1, 2, 4 … minutes
(at most six hours apart); after `COMMENT_MAIL_ATTEMPTS` attempts it is
marked given up, logged as an error and listed in the admin, where it can
be sent again. Nothing is dropped silently: an e-mail is sent at least
once (a process killed halfway through sending one may leave it to be sent
again after its claim runs out). Sent e-mails, which hold readers'
addresses, are deleted after `COMMENT_MAIL_KEEP_DAYS`.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from .models import OutgoingEmail

logger = logging.getLogger(__name__)

# How long a sender may take over one e-mail before another may try it.
CLAIM_SECONDS = 120
LONGEST_PAUSE = timedelta(hours=6)


def enqueue(*, kind, to, subject, body, event=None) -> OutgoingEmail | None:
    """Add an e-mail to the outbox; None when this event's e-mail was added before."""
    try:
        with transaction.atomic():
            email = OutgoingEmail.objects.create(
                kind=kind,
                to=to,
                subject=subject[:200],
                body=body,
                event=event,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        if event and OutgoingEmail.objects.filter(event=event).exists():
            return None
        raise
    transaction.on_commit(wake_sender)
    return email


def pause_after(attempts: int) -> timedelta:
    """1, 2, 4, 8 … minutes after each failed attempt, at most LONGEST_PAUSE."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), LONGEST_PAUSE)


def send_due(*, now=None, limit=100) -> tuple[int, int]:
    """Send what is due, each e-mail by at most one sender; (sent, failed) in this pass."""
    sent = failed = 0
    now = now or timezone.now()
    for email in list(OutgoingEmail.objects.due(now).order_by("next_attempt_at", "pk")[:limit]):
        if not _claim(email, now):
            continue  # another sender has it
        if _send(email, now):
            sent += 1
        else:
            failed += 1
    return sent, failed


def _claim(email, now) -> bool:
    claimed = (
        OutgoingEmail.objects.due(now)
        .filter(pk=email.pk)
        .update(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    return claimed == 1


def _send(email, now) -> bool:
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
    )
    attempts = email.attempts + 1
    try:
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 (any failure of the mail server is retried)
        fields = {"attempts": attempts, "claimed_until": None, "last_error": repr(error)[:2000]}
        if attempts >= settings.COMMENT_MAIL_ATTEMPTS:
            fields["given_up_at"] = now
            logger.error(
                "E-mail %s (%s) to %s given up after %d attempts: %r",
                email.pk,
                email.kind,
                email.to,
                attempts,
                error,
            )
        else:
            fields["next_attempt_at"] = now + pause_after(attempts)
            logger.warning(
                "E-mail %s (%s) to %s failed (attempt %d), next at %s: %r",
                email.pk,
                email.kind,
                email.to,
                attempts,
                fields["next_attempt_at"].isoformat(timespec="seconds"),
                error,
            )
        OutgoingEmail.objects.filter(pk=email.pk).update(**fields)
        return False
    OutgoingEmail.objects.filter(pk=email.pk).update(
        attempts=attempts, sent_at=now, claimed_until=None, last_error=""
    )
    logger.info("E-mail %s (%s) sent to %s", email.pk, email.kind, email.to)
    return True


def send_again(emails) -> int:
    """Give e-mails that were given up a new series of attempts, from now."""
    return emails.filter(sent_at=None).update(
        given_up_at=None, attempts=0, next_attempt_at=timezone.now(), claimed_until=None
    )


def purge_sent(*, now=None) -> int:
    """Delete sent e-mails older than COMMENT_MAIL_KEEP_DAYS: they hold readers' addresses."""
    since = (now or timezone.now()) - timedelta(days=settings.COMMENT_MAIL_KEEP_DAYS)
    deleted, _rows = OutgoingEmail.objects.filter(sent_at__lt=since).delete()
    return deleted


def next_due() -> float | None:
    """Seconds until the next waiting e-mail is due (0 if one is), or None if none waits."""
    moment = (
        OutgoingEmail.objects.waiting()
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if moment is None:
        return None
    return max((moment - timezone.now()).total_seconds(), 0)


# ---------------------------------------------------------------------------
# The sender inside a web process, for the embedded default


class _Sender:
    """One daemon thread per process, started on the first e-mail the process adds."""

    # Waiting e-mails are looked for at least this often, so that an e-mail
    # another process added (and whose thread died with it) is sent too.
    IDLE_SECONDS = 300

    def __init__(self):
        self.lock = threading.Lock()
        self.wake = threading.Event()
        self.thread = None
        self.allowed = True

    def start(self):
        if not self.allowed:
            return
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="comment-mail", daemon=True)
                self.thread.start()
        self.wake.set()

    def run(self):
        # Runs until the process ends, or until senders are no longer allowed in it.
        while self.allowed:
            self.wake.clear()
            pause = self.IDLE_SECONDS
            try:
                close_old_connections()
                send_due()
                due = next_due()
                if due is not None:
                    pause = min(max(due, 1), self.IDLE_SECONDS)
            except Exception:  # the thread must outlive a database that is down
                logger.exception("Sending comment e-mails failed; trying again later")
                pause = 60
            finally:
                close_old_connections()
            self.wake.wait(pause)


_sender = _Sender()


def wake_sender():
    """Have this process's sender look at the outbox now, when senders run in process."""
    if settings.COMMENT_MAIL_IN_PROCESS:
        _sender.start()


def no_background_sender():
    """For a management command that sends itself: a process about to end must not start
    a thread that could be cut off halfway through an e-mail."""
    _sender.allowed = False
