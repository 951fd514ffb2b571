"""What the rules keep for moderators and learn from them, as staff and readers see it."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from comments import learning, rules
from comments.models import BlockedTerm, Comment, Refusal, RuleException
from comments.services import CommentRefused, moderate_comments, submit_comment
from tests.factories import ArticleFactory, CommentFactory

from .test_flow import answer_of, form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان")


@pytest.fixture
def moderator(client):
    user = get_user_model().objects.create_user(
        "moderator", password="x-long-pass-123", is_staff=True
    )
    user.groups.add(Group.objects.get(name="ناظر نظرات"))
    client.force_login(user)
    return user


def send(client, article, text, **typed):
    page = client.get(f"/comments/{article.code}/")
    fields = form_fields(page.content.decode())
    data = {
        **fields,
        "name": "مریم رضایی",
        "email": "",
        "text": text,
        "captcha_1": answer_of(fields["captcha_0"]),
        **typed,
    }
    return client.post(f"/comments/{article.code}/", data, REMOTE_ADDR="203.0.113.7")


# ---------------------------------------------------------------------------
# Refusals kept for the moderator


def test_a_refused_comment_is_shown_again_with_its_reason_and_kept_for_the_moderator(article):
    reader = Client()
    response = send(reader, article, "مدیر شعبه کودنه")
    html = response.content.decode()
    assert response.status_code == 200
    assert "نظرات حاوی توهین" in html
    assert "مدیر شعبه کودنه" in html  # what the reader typed is still there
    refusal = Refusal.objects.get()
    assert (refusal.text, refusal.rule, refusal.ip_address) == (
        "مدیر شعبه کودنه",
        "insult",
        "203.0.113.7",
    )
    assert "کودن" in refusal.reason
    assert refusal.article == article
    assert not Comment.objects.exists()


def test_a_refusal_is_never_published(article):
    send(Client(), article, "مدیر شعبه کودنه")
    page = Client().get(article.get_absolute_url())
    assert "کودنه" not in page.content.decode()


def test_a_form_with_a_wrong_answer_keeps_no_refusal(article):
    reader = Client()
    page = reader.get(f"/comments/{article.code}/")
    fields = form_fields(page.content.decode())
    reader.post(
        f"/comments/{article.code}/",
        {**fields, "name": "x", "text": "مدیر شعبه کودنه", "captcha_1": "wrong"},
    )
    assert not Refusal.objects.exists()


def test_submit_comment_keeps_what_it_refuses(article):
    with pytest.raises(CommentRefused):
        submit_comment(
            article=article, name="علی", email="", text="هذا ظلم كبير جدا", ip_address="::1"
        )
    refusal = Refusal.objects.get()
    assert (refusal.rule, refusal.flags) == ("language", "language arabic")


def test_a_held_comment_is_stored_pending_with_its_flags_in_persian(article, client, moderator):
    send(Client(), article, "رئیس شعبه رشوه گرفته")
    comment = Comment.objects.get()
    assert (comment.status, comment.flags) == ("pending", "accusation")
    html = client.get("/admin/comments/comment/").content.decode()
    assert "نسبت احتمالی" in html
    assert "رشوه گرفتن" in html


def test_the_queue_can_be_filtered_by_each_flag(article, client, moderator):
    CommentFactory(article=article, status="pending", text="الف", flags="accusation")
    CommentFactory(article=article, status="pending", text="ب", flags="link")
    CommentFactory(article=article, status="pending", text="پ", flags="links")
    response = client.get("/admin/comments/comment/?flag=link")
    assert [c.text for c in response.context["cl"].result_list] == ["ب"]
    assert "پیوند بیرونی" in response.content.decode()


def test_every_flag_in_the_queue_filter_is_named_in_persian(client, moderator):
    response = client.get("/admin/comments/comment/")
    specs = response.context["cl"].filter_specs
    (flags,) = [spec for spec in specs if getattr(spec, "parameter_name", "") == "flag"]
    names = [str(label) for _, label in flags.lookup_choices]
    assert "برگردانده از ردشده‌ها" in names
    latin = [name for name in names if re.search("[A-Za-z]", name)]
    assert latin == []


def test_refusals_older_than_the_setting_are_purged_by_the_command(settings):
    settings.COMMENT_REFUSALS_KEEP_DAYS = 10
    old = Refusal.objects.create(text="قدیمی", rule="insult")
    Refusal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=11))
    recent = Refusal.objects.create(text="تازه", rule="insult")
    out = StringIO()
    call_command("purgerefusals", stdout=out)
    assert list(Refusal.objects.all()) == [recent]
    assert out.getvalue().startswith("1 ")


def test_refusals_are_kept_thirty_days_by_default():
    old = Refusal.objects.create(text="قدیمی", rule="insult")
    Refusal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=29))
    assert learning.purge_expired_refusals() == 0
    Refusal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    assert learning.purge_expired_refusals() == 1


def test_expired_refusals_go_when_a_new_refusal_comes(article):
    old = Refusal.objects.create(text="قدیمی", rule="insult")
    Refusal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))
    send(Client(), article, "مدیر شعبه کودنه")
    assert list(Refusal.objects.values_list("text", flat=True)) == ["مدیر شعبه کودنه"]


def test_a_moderator_sends_a_wrong_refusal_to_the_queue_in_one_action(article, client, moderator):
    send(Client(), article, "این تصمیم خیلی کودنانه بود ولی مدیر شعبه کودن نیست")
    refusal = Refusal.objects.get()
    listing = client.get("/admin/comments/refusal/")
    assert "کودن" in listing.content.decode()
    response = client.post(
        "/admin/comments/refusal/",
        {"action": "send_to_queue", "_selected_action": [refusal.pk]},
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert (comment.status, comment.text, comment.article) == ("pending", refusal.text, article)
    assert comment.flags.split()[0] == "returned"
    refusal.refresh_from_db()
    assert refusal.sent_to_queue_at and refusal.comment == comment
    # Sending it again makes no second comment.
    client.post(
        "/admin/comments/refusal/",
        {"action": "send_to_queue", "_selected_action": [refusal.pk]},
    )
    assert Comment.objects.count() == 1


# ---------------------------------------------------------------------------
# Exceptions proposed by moderators' decisions


def test_a_refusal_sent_back_proposes_an_exception_that_once_confirmed_lets_the_text_pass(
    article, client, moderator
):
    text = "برنامه کودک و نوجوان: نقاشی کودن و باهوش"
    send(Client(), article, text)
    refusal = Refusal.objects.get()
    client.post(
        "/admin/comments/refusal/", {"action": "send_to_queue", "_selected_action": [refusal.pk]}
    )
    exception = RuleException.objects.get()
    assert (exception.status, exception.rule, exception.term) == ("proposed", "insult", "کودن")
    assert exception.phrase == "نقاشی کودن و"
    assert rules.check_comment(text).outcome == "refuse"  # proposed only
    client.post(
        "/admin/comments/ruleexception/",
        {"action": "confirm", "_selected_action": [exception.pk]},
    )
    assert rules.check_comment(text).outcome == "accept"
    assert rules.check_comment("مدیر شعبه کودنه").outcome == "refuse"


def test_approving_a_held_comment_proposes_an_exception(article, moderator):
    send(Client(), article, "مقاله‌ای درباره مبارزه با رشوه در ادارات خواندم")
    comment = Comment.objects.get()
    assert comment.flags == "accusation"
    moderate_comments(comments=Comment.objects.all(), status="approved", moderator=moderator)
    exception = RuleException.objects.get()
    assert (exception.rule, exception.term, exception.phrase) == (
        "accusation",
        "رشوه",
        "با رشوه در",
    )


def test_rejecting_a_held_comment_proposes_nothing(article, moderator):
    send(Client(), article, "رئیس شعبه رشوه گرفته")
    moderate_comments(comments=Comment.objects.all(), status="rejected", moderator=moderator)
    assert not RuleException.objects.exists()


# ---------------------------------------------------------------------------
# Suggested blocked terms


def test_the_admin_suggests_words_frequent_in_rejected_and_rare_in_approved_comments(
    article, client, moderator
):
    for text in ("این یارو هپلی است", "هپلی‌ها کار را خراب کردند", "مدیر هپلی", "هپلیه"):
        CommentFactory(article=article, status="rejected", text=text)
    for text in ("مدیر شعبه پاسخ داد", "کار درست شد", "مدیر خوبی است"):
        CommentFactory(article=article, status="approved", text=text)
    response = client.get("/admin/comments/blockedterm/suggestions/")
    html = response.content.decode()
    assert response.status_code == 200
    row = re.search(r"<th scope=\"row\">هپلی</th>\s*<td>([^<]+)</td>\s*<td>([^<]+)</td>", html)
    assert row and row.groups() == ("۴", "۰")
    assert "مدیر هپلی" in html  # an example, of the latest
    assert ">مدیر<" not in html  # in approved comments as often
    response = client.post("/admin/comments/blockedterm/suggestions/", {"word": "هپلی"})
    assert response.status_code == 302
    assert BlockedTerm.objects.filter(term="هپلی", kind="insult").exists()
    assert rules.check_comment("تو هپلی هستی").rule == "insult"


def test_a_word_already_blocked_is_not_suggested(article, client, moderator):
    for text in ("کودن", "کودنه", "کودن‌ها"):
        CommentFactory(article=article, status="rejected", text=text)
    html = client.get("/admin/comments/blockedterm/suggestions/").content.decode()
    assert "کودن" not in html


def test_the_blocked_terms_list_links_to_the_suggestions(client, moderator):
    html = client.get("/admin/comments/blockedterm/").content.decode()
    assert "/admin/comments/blockedterm/suggestions/" in html


# ---------------------------------------------------------------------------
# How often moderators agreed with each rule


def test_the_accountability_page_shows_per_rule_agreement_over_thirty_days(
    article, client, moderator
):
    held = [
        CommentFactory(article=article, status="pending", text=f"متن {i}", flags="accusation")
        for i in range(4)
    ]
    moderate_comments(
        comments=Comment.objects.filter(pk__in=[c.pk for c in held[:3]]),
        status="rejected",
        moderator=moderator,
    )
    moderate_comments(
        comments=Comment.objects.filter(pk=held[3].pk), status="approved", moderator=moderator
    )
    Refusal.objects.create(text="الف", rule="insult")
    Refusal.objects.create(text="ب", rule="insult", sent_to_queue_at=timezone.now())
    old = Refusal.objects.create(text="پ", rule="insult")
    Refusal.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))

    rows = {row.rule: (row.agreed, row.overruled) for row in learning.agreement(days=30)}
    assert rows == {"accusation": (3, 1), "insult": (1, 1)}
    html = client.get("/admin/comments/comment/accountability/").content.decode()
    assert "همراهی ناظران با قواعد ارسال نظر" in html
    assert "نسبت احتمالی" in html and "۷۵٪" in html and "۵۰٪" in html


# ---------------------------------------------------------------------------
# No input gives a 500


@pytest.mark.parametrize(
    "text",
    [
        "\u202e\u200c\u200d" * 50,
        "ﷺ﷽ﻻ" * 30,
        "ـــــــــ",
        "a" * 999,
        "۰۹" * 400,
        "@" * 300,
        "http://" + "a" * 900,
        "\U0001f600" * 200,
        "ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق ک گ ل م ن و ه ی",
    ],
)
def test_odd_input_gets_an_answer_never_a_server_error(article, text):
    response = send(Client(), article, text)
    assert response.status_code in (200, 302)
