"""The accountability figures on a fixed set of comments, and the admin around them."""

import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.accountability import accountability_report
from comments.models import Comment
from comments.questions import is_question
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

from .helpers import visible_text

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def posted(days_ago, **fields):
    comment = CommentFactory(**fields)
    Comment.objects.filter(pk=comment.pk).update(created_at=NOW - timedelta(days=days_ago))
    comment.refresh_from_db()
    return comment


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("مستمری کی واریز می‌شود؟", True),
        ("چرا حقوق این ماه دیر شد", True),
        ("آيا بیمه بیکاری شامل من می‌شود", True),
        ("ممنون از اطلاع‌رسانی", False),
        ("Why?", True),
    ],
)
def test_questions_end_with_a_question_mark_or_start_with_a_question_word(text, question):
    assert is_question(text) is question


def test_figures_on_a_fixed_set_of_comments():
    pensions = ServiceFactory(name="بازنشستگان")
    news = ServiceFactory(name="اخبار")
    on_pensions = ArticleFactory(service=pensions)
    on_news = ArticleFactory(service=news)
    # Decided after 2 h and 4 h (pensions, this week) and after 10 h (news, 20 days ago).
    for days, hours, article in [(1, 2, on_pensions), (2, 4, on_pensions), (20, 10, on_news)]:
        comment = posted(days, article=article, status="approved")
        Comment.objects.filter(pk=comment.pk).update(
            moderated_at=comment.created_at + timedelta(hours=hours)
        )
    question = posted(3, article=on_pensions, status="approved", text="مستمری کی واریز می‌شود؟")
    answer = CommentFactory(article=on_pensions, parent=question, thread=question, is_official=True)
    Comment.objects.filter(pk=answer.pk).update(created_at=question.created_at + timedelta(hours=6))
    posted(5, article=on_news, status="pending", text="چرا پاسخ نمی‌دهید")
    posted(0.5, article=on_news, status="pending", text="سپاس")

    report = accountability_report(now=NOW)
    assert report.pending == 2
    assert timedelta(days=4, hours=23) < report.oldest_pending <= timedelta(days=5)
    assert report.overall[7].moderation == timedelta(hours=3)
    assert report.overall[30].moderation == timedelta(hours=4)
    assert report.overall[7].answer == timedelta(hours=6)
    assert report.by_service["اخبار"][7].moderation is None
    assert report.by_service["اخبار"][30].moderation == timedelta(hours=10)
    assert report.by_service["بازنشستگان"][30].moderated == 2
    assert [c.text for c in report.unanswered_questions] == ["چرا پاسخ نمی‌دهید"]


def test_accountability_page_and_pending_count_for_moderators(client):
    moderator = get_user_model().objects.create_user("mod", is_staff=True)
    moderator.groups.add(Group.objects.get(name="ناظر نظرات"))
    client.force_login(moderator)
    posted(1, status="pending", text="چرا پاسخ نمی‌دهید؟")
    index = client.get("/admin/").content.decode()
    assert "۱ نظر در انتظار بررسی است" in index
    page = client.get("/admin/comments/comment/accountability/")
    assert page.status_code == 200
    assert "چرا پاسخ نمی‌دهید؟" in page.content.decode()
    # «۱؛ قدیمی‌ترین…»: no dot after the count, which would read as the digit zero.
    text = " ".join(visible_text(page).split())
    assert "نظرهای در انتظار بررسی: ۱؛ قدیمی‌ترین آن‌ها" in text
    assert "·" not in text


def test_editors_see_the_figures_but_not_the_moderation_notice(client):
    editor = get_user_model().objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(editor)
    assert client.get("/admin/comments/comment/accountability/").status_code == 200
    assert "در انتظار بررسی" not in client.get("/admin/").content.decode()


def test_staff_without_comment_permissions_see_no_accountability_page(client):
    client.force_login(get_user_model().objects.create_user("clerk", is_staff=True))
    assert client.get("/admin/comments/comment/accountability/").status_code == 403


def test_article_list_counts_comments_by_status(client):
    editor = get_user_model().objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(editor)
    article = ArticleFactory()
    CommentFactory.create_batch(2, article=article, status="pending")
    CommentFactory(article=article, status="approved")
    html = client.get("/admin/newsroom/article/").content.decode()
    assert "۲ / ۱" in html


def test_createstaff_puts_the_user_in_the_role_group():
    out = io.StringIO()
    call_command(
        "createstaff",
        "sara",
        "--role",
        "moderator",
        "--password-stdin",
        stdin=io.StringIO("a-long-pass-phrase-9\n"),
        stdout=out,
    )
    user = get_user_model().objects.get(username="sara")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["ناظر نظرات"]
    assert user.check_password("a-long-pass-phrase-9")


def test_createstaff_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command(
            "createstaff",
            "sara",
            "--role",
            "editor",
            "--password-stdin",
            stdin=io.StringIO("123\n"),
            stdout=io.StringIO(),
        )
