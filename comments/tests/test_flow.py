"""A reader's comment from the form to the page, through the test client."""

import re
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from comments.services import moderate_comments
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

PENDING_MESSAGE = "نظر شما ثبت شد و پس از تأیید منتشر می‌شود"
CLEAN_TEXT = "از اطلاع‌رسانی سریع درباره افزایش مستمری بازنشستگان سپاسگزارم."


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان")


def form_fields(html):
    """The hidden fields of the comment form as the page gives them."""
    return {
        name: value
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html)
    }


def form_url(article, **query):
    """Where the article page's script fetches the form (the fragment)."""
    suffix = "".join(f"?{name}={value}" for name, value in query.items())
    return f"/comments/{article.code}/form/{suffix}"


def answer_of(key):
    return CaptchaStore.objects.get(hashkey=key).response


def post_comment(client, article, *, page_url=None, answer=None, **typed):
    """Open the comment form as a reader, fill it in and send it.

    By default the form's own page, which a reader reaches from the article
    without JavaScript; with it, the article page fetches the same form from
    `/comments/<code>/form/`.
    """
    page = client.get(page_url or f"/comments/{article.code}/")
    fields = form_fields(page.content.decode())
    data = {
        **fields,
        "name": "مریم رضایی",
        "email": "",
        "text": CLEAN_TEXT,
        "captcha_1": answer if answer is not None else answer_of(fields["captcha_0"]),
        **typed,
    }
    return client.post(f"/comments/{article.code}/", data)


def visible_text(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_posted_comment_waits_for_approval_then_appears(client, article):
    response = post_comment(client, article)
    assert response.status_code == 302
    assert response["Location"] == f"/comments/{article.code}/sent/"
    assert PENDING_MESSAGE in visible_text(client.get(response["Location"]))

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    page = client.get(article.get_absolute_url())
    assert CLEAN_TEXT not in visible_text(page)
    assert "نظرات (۰)" in visible_text(page)

    moderator = get_user_model().objects.create_user("moderator", is_staff=True)
    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk),
        status=Comment.Status.APPROVED,
        moderator=moderator,
    )
    page = client.get(article.get_absolute_url())
    assert CLEAN_TEXT in visible_text(page)
    assert "مریم رضایی" in visible_text(page)
    assert "نظرات (۱)" in visible_text(page)


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_unapproved_comments_are_never_shown_or_counted(client, article, status):
    CommentFactory(article=article, text="متنی که نباید دیده شود", status=status)
    page = client.get(article.get_absolute_url())
    assert "متنی که نباید دیده شود" not in visible_text(page)
    assert "نظرات (۰)" in visible_text(page)


def test_comment_text_is_escaped_with_line_breaks_kept(client, article):
    CommentFactory(article=article, text="خط اول <b>پررنگ</b>\nخط دوم")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "خط اول &lt;b&gt;پررنگ&lt;/b&gt;<br>خط دوم" in html


def test_email_is_never_shown(client, article):
    CommentFactory(article=article, email="private@example.com")
    assert "private@example.com" not in client.get(article.get_absolute_url()).content.decode()


def test_comments_oldest_first_with_replies_under_their_parent(client, article):
    first = CommentFactory(article=article, name="نخستین", text="نظر نخست")
    second = CommentFactory(article=article, name="دومین", text="نظر دوم")
    reply = CommentFactory(article=article, parent=first, thread=first, text="پاسخ به نخست")
    text = visible_text(client.get(article.get_absolute_url()))
    assert text.index("نظر نخست") < text.index("پاسخ به نخست") < text.index("نظر دوم")
    assert second and reply


@pytest.mark.parametrize("where", ["article page", "form page"])
def test_the_rules_are_shown_before_the_form(client, article, where):
    url = article.get_absolute_url() if where == "article page" else f"/comments/{article.code}/"
    text = visible_text(client.get(url))
    assert "نظر شما" in text
    assert "نظرات حاوی توهین و هرگونه نسبت ناروا به اشخاص حقیقی و حقوقی منتشر نمی‌شود." in text
    assert "نظراتی که غیر از زبان فارسی یا غیر مرتبط با خبر باشد منتشر نمی‌شود." in text


def test_the_article_page_links_to_the_form_and_holds_nobodys_token(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/comments/{article.code}/"' in html
    assert f'data-form-url="/comments/{article.code}/form/"' in html
    assert "csrfmiddlewaretoken" not in html
    assert 'name="captcha_0"' not in html


@pytest.mark.parametrize("where", ["fragment", "form page"])
def test_the_form_asks_an_arithmetic_question(client, article, where):
    page = client.get(form_url(article) if where == "fragment" else f"/comments/{article.code}/")
    key = form_fields(page.content.decode())["captcha_0"]
    challenge = CaptchaStore.objects.get(hashkey=key).challenge
    digits = re.findall(r"\d+", challenge)
    shown = re.search(r'class="question__text"[^>]*>([^<]+)<', page.content.decode()).group(1)
    assert shown.endswith("=")
    assert [
        d.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")) for d in re.findall(r"[۰-۹]+", shown)
    ] == digits


@pytest.mark.parametrize("answer_form", ["persian", "arabic", "spaced"])
def test_answer_in_persian_or_arabic_digits_is_accepted(client, article, answer_form):
    page = client.get(form_url(article))
    key = form_fields(page.content.decode())["captcha_0"]
    answer = answer_of(key)
    typed = {
        "persian": answer.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")),
        "arabic": answer.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
        "spaced": f"  {answer} ",
    }[answer_form]
    fields = form_fields(page.content.decode())
    response = client.post(
        f"/comments/{article.code}/",
        {**fields, "name": "رضا", "text": CLEAN_TEXT, "captcha_1": typed},
    )
    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_wrong_answer_keeps_the_text_and_gives_a_new_question(client, article):
    page = client.get(form_url(article))
    fields = form_fields(page.content.decode())
    response = client.post(
        f"/comments/{article.code}/",
        {
            **fields,
            "name": "رضا",
            "email": "reza@example.com",
            "text": CLEAN_TEXT,
            "captcha_1": "999",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Comment.objects.count() == 0
    assert CLEAN_TEXT in html
    assert 'value="رضا"' in html
    assert 'value="reza@example.com"' in html
    assert "پاسخ پرسش حسابی درست نبود" in visible_text(response)
    new_key = form_fields(html)["captcha_0"]
    assert new_key != fields["captcha_0"]
    assert not CaptchaStore.objects.filter(hashkey=fields["captcha_0"]).exists()


def test_a_question_can_be_answered_only_once(client, article):
    page = client.get(form_url(article))
    fields = form_fields(page.content.decode())
    data = {
        **fields,
        "name": "رضا",
        "text": CLEAN_TEXT,
        "captcha_1": answer_of(fields["captcha_0"]),
    }
    assert client.post(f"/comments/{article.code}/", data).status_code == 302
    again = client.post(f"/comments/{article.code}/", data)
    assert again.status_code == 200
    assert Comment.objects.count() == 1


@pytest.mark.parametrize(
    ("typed", "field_message"),
    [
        ({"name": ""}, "لطفاً نام خود را بنویسید."),
        ({"name": "ن" * 51}, "نام حداکثر ۵۰ نویسه"),
        ({"text": ""}, "لطفاً نظر خود را بنویسید."),
        ({"email": "not-an-address"}, "نشانی ایمیل درست نیست."),
        ({"text": "This is an English comment about the pension increase."}, "زبان فارسی"),
        ({"text": "\u200f\u200c   \u202e"}, "نظر"),
    ],
)
def test_refusals_keep_what_was_typed_beside_a_persian_message(
    client, article, typed, field_message
):
    response = post_comment(client, article, **typed)
    html = response.content.decode()
    assert response.status_code == 200
    assert Comment.objects.count() == 0
    errors = " ".join(re.findall(r'class="field__error"[^>]*>([^<]+)<', html))
    assert field_message.replace("۵۰", "50") in errors or field_message in errors
    text = typed.get("text", CLEAN_TEXT)
    if text.strip():
        assert text in html


def test_long_text_is_refused_with_its_length_and_kept_whole(client, article, settings):
    long_text = "بیمه " * 250
    response = post_comment(client, article, text=long_text)
    html = response.content.decode()
    assert Comment.objects.count() == 0
    assert long_text.strip() in html or long_text in html
    assert "حداکثر" in " ".join(re.findall(r'class="field__error"[^>]*>([^<]+)<', html))


def test_honeypot_is_refused_with_a_message(client, article):
    response = post_comment(client, article, website="http://spam.example")
    assert Comment.objects.count() == 0
    assert "خودکار" in visible_text(response)
    assert CLEAN_TEXT in response.content.decode()


def test_posting_faster_than_a_person_reads_is_refused(client, article, settings):
    settings.COMMENT_MIN_SECONDS = 60
    response = post_comment(client, article)
    assert Comment.objects.count() == 0
    assert "لحظه‌ای صبر کنید" in visible_text(response)
    assert CLEAN_TEXT in response.content.decode()


def test_forged_form_token_is_refused_with_a_message(client, article):
    response = post_comment(client, article, issued="forged")
    assert Comment.objects.count() == 0
    assert "تأیید" in visible_text(response)


def test_rate_limit_refuses_the_sixth_comment_in_ten_minutes(client, article, settings):
    settings.COMMENT_RATE = "5/10m"
    for _ in range(5):
        assert post_comment(client, article).status_code == 302
    response = post_comment(client, article, text="نظر ششم درباره مستمری بازنشستگان")
    assert response.status_code == 429
    assert Comment.objects.count() == 5
    assert "چند نظر" in visible_text(response)
    assert "نظر ششم درباره مستمری بازنشستگان" in response.content.decode()


def test_forwarded_address_is_trusted_only_when_the_setting_says_so(client, article, settings):
    post_comment(client, article, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert Comment.objects.get().ip_address == "127.0.0.1"
    settings.TRUST_X_FORWARDED_FOR = True
    page = client.get(form_url(article))
    fields = form_fields(page.content.decode())
    client.post(
        f"/comments/{article.code}/",
        {**fields, "name": "رضا", "text": CLEAN_TEXT, "captcha_1": answer_of(fields["captcha_0"])},
        HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7",
    )
    assert Comment.objects.latest("pk").ip_address == "198.51.100.7"


def test_stale_csrf_token_gives_the_form_back_with_the_text(article):
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(article.get_absolute_url())
    fields = form_fields(page.content.decode())
    fields["csrfmiddlewaretoken"] = "stale" * 10
    response = reader.post(
        f"/comments/{article.code}/",
        {**fields, "name": "رضا", "text": CLEAN_TEXT, "captcha_1": "1"},
    )
    assert response.status_code == 403
    assert CLEAN_TEXT in response.content.decode()
    assert "دوباره بفرستید" in visible_text(response)
    assert Comment.objects.count() == 0


def test_reply_link_works_without_javascript(client, article):
    parent = CommentFactory(article=article, name="حسن")
    article_page = client.get(article.get_absolute_url()).content.decode()
    reply_url = f"/comments/{article.code}/?reply_to={parent.pk}"
    assert f'href="{reply_url}"' in article_page
    page = client.get(reply_url)
    assert "شما در حال پاسخ به نظر «حسن» هستید." in visible_text(page)
    assert form_fields(page.content.decode())["parent"] == str(parent.pk)
    assert "لغو پاسخ" in visible_text(page)

    response = post_comment(client, article, page_url=reply_url, text="پاسخ من به نظر حسن")
    assert response.status_code == 302
    reply = Comment.objects.get(text="پاسخ من به نظر حسن")
    assert (reply.parent, reply.thread) == (parent, parent)


@pytest.mark.parametrize("kind", ["pending", "other_article", "missing"])
def test_only_an_approved_comment_of_the_same_article_can_be_answered(client, article, kind):
    target = {
        "pending": lambda: CommentFactory(article=article, status="pending").pk,
        "other_article": lambda: CommentFactory().pk,
        "missing": lambda: 987654,
    }[kind]()
    page = client.get(f"/comments/{article.code}/?reply_to={target}")
    assert "در حال پاسخ" not in visible_text(page)
    response = post_comment(client, article, parent=str(target), text="پاسخی که جایی ندارد")
    assert response.status_code == 200
    assert not Comment.objects.filter(text="پاسخی که جایی ندارد").exists()
    assert "پاسخی که جایی ندارد" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"parent": "abc", "captcha_0": "x", "captcha_1": "y", "issued": "z"},
        {"text": "\x00", "name": "\x00"},
        {"captcha_1": "۱" * 5000, "name": "a" * 10000},
    ],
)
def test_malformed_posts_never_give_a_server_error(client, article, data):
    response = client.post(f"/comments/{article.code}/", data)
    assert response.status_code in (200, 429)
    assert Comment.objects.count() == 0


def test_comments_on_an_unpublished_article_cannot_be_posted(client):
    draft = ArticleFactory(draft=True)
    assert client.post(f"/comments/{draft.code}/", {}).status_code == 404


def test_closed_article_shows_a_note_instead_of_the_form(client):
    closed = ArticleFactory(comments_open=False)
    page = client.get(closed.get_absolute_url())
    assert "امکان ارسال نظر برای این خبر بسته است" in visible_text(page)
    assert "/form/" not in page.content.decode()
    assert client.get(form_url(closed)).status_code == 404
    form_page = client.get(f"/comments/{closed.code}/")
    assert "امکان ارسال نظر برای این خبر بسته است" in visible_text(form_page)
    assert 'name="captcha_1"' not in form_page.content.decode()


def test_question_refresh_without_javascript_keeps_the_text(client, article):
    page = client.get(form_url(article))
    fields = form_fields(page.content.decode())
    response = client.post(
        f"/comments/{article.code}/",
        {**fields, "name": "رضا", "text": CLEAN_TEXT, "refresh_question": "1"},
    )
    html = response.content.decode()
    assert CLEAN_TEXT in html
    assert form_fields(html)["captcha_0"] != fields["captcha_0"]
    assert 'class="field__error"' not in html


def test_question_refresh_endpoint_gives_a_new_question(client):
    data = client.get("/comments/question/").json()
    store = CaptchaStore.objects.get(hashkey=data["key"])
    assert data["question"].endswith("=")
    assert store.response


def test_a_thousand_comments_are_paginated_with_constant_queries(client, article, settings):
    settings.COMMENTS_PER_PAGE = 50
    Comment.objects.bulk_create(
        Comment(article=article, name=f"خواننده {n}", text=f"نظر شماره {n}", status="approved")
        for n in range(1000)
    )
    # An earlier reader's visit has counted the menu and the rankings.
    client.get(article.get_absolute_url(), {"page": 1})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert "نظرات (۱۰۰۰)" in visible_text(response)
    assert response.content.decode().count('class="comment-thread"') == 50
    assert len(queries) <= 6


def test_comments_close_by_themselves_after_the_set_number_of_days(client, settings):
    settings.COMMENTS_OPEN_DAYS = 30
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=31))
    recent = ArticleFactory(published_at=timezone.now() - timedelta(days=29))
    assert "امکان ارسال نظر برای این خبر بسته است" in visible_text(
        client.get(old.get_absolute_url())
    )
    assert 'name="captcha_1"' in client.get(form_url(recent)).content.decode()
    assert client.get(form_url(old)).status_code == 404
    response = client.post(f"/comments/{old.code}/", {"name": "رضا", "text": CLEAN_TEXT})
    assert response.status_code == 200
    assert Comment.objects.count() == 0


def test_an_insulting_name_is_refused_beside_the_name(client, article):
    response = post_comment(client, article, name="احمق")
    html = response.content.decode()
    assert Comment.objects.count() == 0
    errors = " ".join(re.findall(r'id="name-error">([^<]+)<', html))
    assert "توهین" in errors
    assert CLEAN_TEXT in html


def test_comments_come_in_pages_and_a_page_past_the_end_is_a_404(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    for number in range(3):
        CommentFactory(article=article, text=f"نظر شماره {number}")
    text = visible_text(client.get(article.get_absolute_url(), {"comments": 2}))
    assert "نظر شماره 2" in text or "نظر شماره ۲" in text
    assert "نظر شماره 0" not in text and "نظر شماره ۰" not in text
    assert "نظرات (۳)" in text
    for number in ("3", "0", "-1", "x"):
        response = client.get(article.get_absolute_url(), {"comments": number})
        assert response.status_code == 404, number
