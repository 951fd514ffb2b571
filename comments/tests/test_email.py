"""Readers who asked are e-mailed when their comment is published or answered; not in requests."""

import logging
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from comments import outbox
from comments.models import Comment, OutgoingEmail
from comments.services import answer_officially, moderate_comments
from tests.factories import ArticleFactory, CommentFactory, StaffFactory

from .helpers import CLEAN_TEXT, moderator, post_comment, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان")


@pytest.fixture
def staff(client):
    user = moderator()
    client.force_login(user)
    return user


def reader_comment(article, **fields):
    return CommentFactory(
        article=article,
        status="pending",
        name="مریم",
        email="maryam@example.ir",
        notify=True,
        text="مستمری کی واریز می‌شود؟",
        **fields,
    )


def approve(comment, staff):
    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk), status="approved", moderator=staff
    )


class BrokenBackend:
    """A mail server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("the mail server is down")


def test_the_form_asks_and_keeps_the_answer_with_the_text(client, article):
    page = client.get(f"/comments/{article.code}/")
    assert "وقتی نظرم منتشر شد یا پاسخ گرفت، با رایانامه خبرم کنید" in visible_text(page)
    post_comment(client, article, email="maryam@example.ir", notify="on")
    comment = Comment.objects.get()
    assert (comment.email, comment.notify) == ("maryam@example.ir", True)


def test_asking_without_an_address_is_refused_beside_the_address_with_the_text_kept(
    client, article
):
    response = post_comment(client, article, notify="on")
    assert response.status_code == 200
    html = response.content.decode()
    assert "لطفاً نشانی رایانامه خود را بنویسید" in visible_text(response)
    assert 'id="email-error"' in html
    assert CLEAN_TEXT in html
    assert (
        'name="notify" checked' in html
        or 'checked name="notify"' in html
        or ('name="notify"' in html and "checked" in html.split('name="notify"')[1][:60])
    )
    assert Comment.objects.count() == 0


def test_approval_writes_to_the_outbox_and_the_request_sends_nothing(client, article, staff):
    comment = reader_comment(article)
    response = client.post(
        "/admin/comments/comment/",
        {"action": "mark_approved", "_selected_action": [comment.pk], "index": 0},
    )
    assert response.status_code == 302
    assert mail.outbox == []
    assert OutgoingEmail.objects.waiting().count() == 1

    assert outbox.send_due() == (1, 0)
    [message] = mail.outbox
    assert message.to == ["maryam@example.ir"]
    assert message.subject == "نظر شما منتشر شد"
    assert "مریم گرامی" in message.body
    assert "«افزایش مستمری بازنشستگان» منتشر شد" in message.body
    assert f"http://testserver{article.get_absolute_url()}#comment-{comment.pk}" in message.body
    assert OutgoingEmail.objects.get().sent_at is not None


def test_no_email_for_a_reader_who_did_not_ask(article):
    staff = moderator()
    comment = reader_comment(article)
    Comment.objects.filter(pk=comment.pk).update(notify=False)
    comment.refresh_from_db()
    approve(comment, staff)
    answer_officially(comment=comment, text="پاسخ", staff=staff)
    assert OutgoingEmail.objects.count() == 0


def test_approving_twice_tells_the_reader_once(article):
    staff = moderator()
    comment = reader_comment(article)
    approve(comment, staff)
    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk), status="rejected", moderator=staff
    )
    approve(comment, staff)
    assert OutgoingEmail.objects.filter(kind="published").count() == 1


def test_an_answer_is_emailed_with_its_text(article):
    staff = moderator()
    comment = reader_comment(article)
    approve(comment, staff)
    answer_officially(comment=comment, text="مستمری روز ۲۵ هر ماه واریز می‌شود.", staff=staff)
    outbox.send_due()
    published, answered = sorted(mail.outbox, key=lambda m: m.subject != "نظر شما منتشر شد")
    assert answered.subject == "روابط عمومی به نظر شما پاسخ داد"
    assert "مستمری روز ۲۵ هر ماه واریز می‌شود." in answered.body
    assert "مستمری کی واریز می‌شود؟" in answered.body


def test_an_answer_that_publishes_says_both_in_one_email(article):
    comment = reader_comment(article)
    answer_officially(comment=comment, text="روز ۲۵ هر ماه.", staff=moderator())
    outbox.send_due()
    [message] = mail.outbox
    assert "منتشر شد و روابط عمومی به آن پاسخ داد" in message.body


def test_a_failed_send_is_logged_and_retried_later_with_growing_pauses(article, settings, caplog):
    comment = reader_comment(article)
    approve(comment, moderator())
    settings.EMAIL_BACKEND = "comments.tests.test_email.BrokenBackend"
    caplog.set_level(logging.WARNING, logger="comments.outbox")
    assert outbox.send_due() == (0, 1)
    email = OutgoingEmail.objects.get()
    assert email.attempts == 1 and email.sent_at is None and email.given_up_at is None
    assert "the mail server is down" in email.last_error
    assert "failed (attempt 1)" in caplog.text
    first_pause = email.next_attempt_at - timezone.now()
    assert timedelta(seconds=50) < first_pause <= timedelta(minutes=1)
    # Not due yet: nothing is tried.
    assert outbox.send_due() == (0, 0)
    later = email.next_attempt_at + timedelta(seconds=1)
    assert outbox.send_due(now=later) == (0, 1)
    email.refresh_from_db()
    assert email.attempts == 2
    assert email.next_attempt_at - later > timedelta(minutes=1, seconds=50)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_due(now=email.next_attempt_at + timedelta(seconds=1)) == (1, 0)
    assert len(mail.outbox) == 1


def test_pauses_grow_to_at_most_six_hours():
    assert [outbox.pause_after(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert outbox.pause_after(20) == timedelta(hours=6)


def test_after_every_attempt_an_email_is_given_up_logged_and_can_be_sent_again(
    client, article, settings, caplog
):
    settings.COMMENT_MAIL_ATTEMPTS = 3
    comment = reader_comment(article)
    approve(comment, moderator())
    settings.EMAIL_BACKEND = "comments.tests.test_email.BrokenBackend"
    moment = timezone.now()
    for _attempt in range(3):
        outbox.send_due(now=moment)
        moment += timedelta(hours=7)
    email = OutgoingEmail.objects.get()
    assert email.given_up_at is not None and email.attempts == 3
    assert "given up after 3 attempts" in caplog.text
    assert outbox.send_due(now=moment) == (0, 0)

    client.force_login(StaffFactory(is_superuser=True))
    listing = client.get("/admin/comments/outgoingemail/", {"delivery": "given-up"})
    assert "the mail server is down" in visible_text(listing)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(
        "/admin/comments/outgoingemail/",
        {"action": "send_again", "_selected_action": [email.pk], "index": 0},
    )
    assert outbox.send_due() == (1, 0)
    assert len(mail.outbox) == 1


def test_moderators_do_not_see_the_outbox(client, staff):
    assert client.get("/admin/comments/outgoingemail/").status_code == 403


def test_two_senders_at_once_send_an_email_once(article):
    comment = reader_comment(article)
    approve(comment, moderator())
    email = OutgoingEmail.objects.get()
    now = timezone.now()
    assert outbox._claim(email, now) is True
    assert outbox._claim(email, now) is False
    assert outbox.send_due(now=now) == (0, 0)
    # A sender that died holding it gives it up when its claim runs out.
    assert outbox.send_due(now=now + timedelta(seconds=outbox.CLAIM_SECONDS + 1)) == (1, 0)


def test_the_command_sends_what_waits_and_deletes_old_sent_emails(article, settings, capsys):
    comment = reader_comment(article)
    approve(comment, moderator())
    call_command("sendcommentmail")
    assert len(mail.outbox) == 1
    assert "1 sent, 0 failed" in capsys.readouterr().out
    OutgoingEmail.objects.update(sent_at=timezone.now() - timedelta(days=31))
    call_command("sendcommentmail")
    assert OutgoingEmail.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_default_a_thread_of_the_web_process_sends_it(settings):
    settings.COMMENT_MAIL_IN_PROCESS = True
    sent = threading.Event()
    original = outbox._send

    def watched(email, now):
        result = original(email, now)
        sent.set()
        return result

    outbox._send = watched
    outbox._sender.allowed = True
    # Earlier transactional tests emptied the database; content types are made anew.
    ContentType.objects.clear_cache()
    try:
        article = ArticleFactory()
        comment = reader_comment(article)
        # A transactional test starts from an empty database: no groups.
        approve(comment, StaffFactory(is_superuser=True))
        assert sent.wait(timeout=10)
        assert OutgoingEmail.objects.get().sent_at is not None
        assert len(mail.outbox) == 1
    finally:
        outbox._send = original
        outbox._sender.allowed = False
        outbox._sender.wake.set()
        if outbox._sender.thread is not None:
            outbox._sender.thread.join(timeout=10)


def test_the_digest_is_sent_to_moderators_only_when_the_setting_is_on(article, settings, capsys):
    staff = moderator()
    editor = StaffFactory(username="editor", email="editor@example.ir")
    editor.groups.add(Group.objects.get(name="ویراستار"))
    CommentFactory.create_batch(3, article=article, status="pending", text="حقوق ما را بدهید!")
    settings.MODERATION_DIGEST = False
    call_command("commentdigest")
    assert mail.outbox == []
    settings.MODERATION_DIGEST = True
    call_command("commentdigest")
    [message] = mail.outbox
    assert message.to == [staff.email]
    assert message.subject == "نظرهای در انتظار بررسی: ۳"
    assert "۳ نظر در انتظار بررسی است" in message.body
    assert "برای ۱ گروه از نظرهای همانند" in message.body
    assert "/admin/comments/comment/?status__exact=pending" in message.body


def test_no_digest_when_nothing_waits(settings):
    moderator()
    settings.MODERATION_DIGEST = True
    call_command("commentdigest")
    assert mail.outbox == []
