"""The demo site's comments: readers' comments published and answered, and a queue to moderate."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments import demo
from comments.models import Comment
from newsroom.models import Article
from newsroom.text.persian import to_persian_digits

from .helpers import visible_text

pytestmark = pytest.mark.django_db

ENTRIES = [entry for entries in demo.COMMENTS.values() for entry in entries]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run(command):
    out = io.StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_site():
    run("load_demo")
    return run("load_demo_comments")


def test_readers_see_the_published_comments_and_the_office_answer(client, demo_site):
    article = Article.objects.get(code=77759)
    page = visible_text(client.get(article.get_absolute_url()))
    for entry in demo.COMMENTS[77759]:
        words = " ".join(entry["text"].split()[:5])
        assert (words in page) == (entry["state"] == demo.PUBLISHED), entry["text"]
        if "answer" in entry:
            assert " ".join(entry["answer"].split()[:5]) in page
    assert "پاسخ روابط عمومی" in page


def test_the_moderator_finds_the_rest_in_the_queue_with_what_the_rules_noticed(client, demo_site):
    client.force_login(get_user_model().objects.get(username="moderator"))
    queue = visible_text(client.get("/admin/comments/comment/?status__exact=pending"))
    waiting = [entry for entry in ENTRIES if entry["state"] == demo.PENDING]
    assert f"{to_persian_digits(len(waiting))} نظر در انتظار بررسی است" in queue
    for entry in waiting:
        assert entry["name"] in queue
    # The comment that gives a phone number is held with the rules' flag.
    held = Comment.objects.get(text__contains="۰۹۱۲۳۴۵۶۷۸۹")
    assert held.status == Comment.Status.PENDING and "contact" in held.flags.split()


def test_a_reply_hangs_under_the_comment_it_answers(demo_site):
    reply = Comment.objects.get(name="زهرا")
    assert reply.parent.name == "محمدرضا" and reply.status == Comment.Status.APPROVED


def test_running_it_again_adds_nothing_and_says_so(demo_site):
    pending = sum(entry["state"] == demo.PENDING for entry in ENTRIES)
    answered = sum("answer" in entry for entry in ENTRIES)
    said = f"{len(ENTRIES)} posted, {pending} of them awaiting the moderator; {answered} answered"
    assert said in demo_site
    assert Comment.objects.count() == len(ENTRIES) + answered
    before = Comment.objects.count()
    again = run("load_demo_comments")
    assert Comment.objects.count() == before
    assert "0 posted" in again and "77759" in again


def test_it_asks_for_the_demo_site_first():
    with pytest.raises(CommandError, match="run load_demo first"):
        run("load_demo_comments")


def test_the_demo_moderator_decided_within_the_hour_and_the_office_answered_after(demo_site):
    decided = Comment.objects.filter(status=Comment.Status.APPROVED, is_official=False)
    assert decided and all(
        timedelta(0) < c.moderated_at - c.created_at <= timedelta(hours=1) for c in decided
    )
    for answer in Comment.objects.filter(is_official=True).select_related("parent"):
        assert answer.parent.created_at < answer.created_at <= timezone.now()


def test_a_demo_loaded_long_ago_is_left_as_it_is_where_comments_have_closed(settings):
    run("load_demo")
    Article.objects.filter(code=77759).update(published_at=timezone.now() - timedelta(days=90))
    settings.COMMENTS_OPEN_DAYS = 30
    said = run("load_demo_comments")
    assert "77759 (comments closed)" in said
    assert not Comment.objects.filter(article__code=77759).exists()
    assert Comment.objects.filter(article__code=77794).exists()


def test_a_comment_the_rules_refuse_is_left_out_with_its_replies(monkeypatch):
    run("load_demo")
    entries = [
        {"name": "Guest", "text": "Great news, thank you all!", "hours": 2, "state": "published"},
        {"name": "مینا", "text": "با شما موافقم.", "hours": 1, "state": "published", "reply_to": 0},
        {"name": "رضا", "text": "کی اجرا می‌شود؟", "hours": 1, "state": "pending"},
    ]
    monkeypatch.setattr(demo, "COMMENTS", {77759: entries})
    out, err = io.StringIO(), io.StringIO()
    call_command("load_demo_comments", stdout=out, stderr=err)
    assert "Left out a demo comment on 77759" in err.getvalue()
    assert list(Comment.objects.values_list("name", flat=True)) == ["رضا"]
    assert "1 posted, 1 of them awaiting the moderator" in out.getvalue()
