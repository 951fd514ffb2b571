"""A reader follows a comment by its tracking code: given once, typed back in any digits."""

import re

import pytest
from django.test import Client

from comments import tracking
from comments.models import Comment, PostedRule, Refusal
from comments.services import answer_officially, moderate_comments
from tests.factories import ArticleFactory, CommentFactory

from .helpers import CLEAN_TEXT, moderator, post_comment, tracking_code_on, visible_text

pytestmark = pytest.mark.django_db

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان")


def posted_code(client, article, **typed):
    """Post a comment as a reader and read the code off the page they are sent to."""
    response = post_comment(client, article, **typed)
    assert response.status_code == 302
    page = client.get(response["Location"])
    return page, tracking_code_on(page)


def ascii_of(shown):
    return shown.translate(str.maketrans(PERSIAN_DIGITS, "0123456789")).replace(" ", "")


def look_up(client, code, **extra):
    return client.post("/comments/track/", {"code": code}, **extra)


def test_the_reader_is_given_a_twelve_digit_code_in_persian_digits_on_a_page_of_their_own(
    client, article
):
    page, shown = posted_code(client, article)
    assert page["Cache-Control"].startswith("max-age=0") or "private" in page["Cache-Control"]
    assert re.fullmatch(r"[۰-۹]{4} [۰-۹]{4} [۰-۹]{4}", shown)
    text = visible_text(page)
    assert "کد پیگیری" in text
    assert "نظر شما ثبت شد و پس از تأیید منتشر می‌شود" in text
    assert 'href="/comments/track/"' in page.content.decode()
    # The copy button copies the digits; it appears with the page's script.
    assert f'data-copy="{ascii_of(shown)}"' in page.content.decode()
    comment = Comment.objects.get()
    assert comment.tracking_digest == tracking.digest(ascii_of(shown))
    assert ascii_of(shown) not in str(comment.__dict__)


def test_the_code_never_reaches_the_shared_article_page(client, article):
    page, shown = posted_code(client, article)
    code = ascii_of(shown)
    for url in (article.get_absolute_url(), f"/comments/{article.code}/form/", "/"):
        html = client.get(url).content.decode()
        assert shown not in html and code not in html, url


def test_the_codes_page_shows_it_to_the_browser_that_posted_and_to_nobody_else(client, article):
    _page, shown = posted_code(client, article)
    other = Client()
    page = other.get(f"/comments/{article.code}/sent/")
    assert page.status_code == 200
    assert shown not in page.content.decode()
    assert "فقط یک بار" in visible_text(page)


def test_a_forged_cookie_shows_no_code(client, article):
    _page, _shown = posted_code(client, article)
    client.cookies["comment_sent"] = "1.123412341234"
    page = client.get(f"/comments/{article.code}/sent/")
    assert tracking_code_on(page) is None


def test_every_comment_gets_a_different_code(client, article):
    codes = {posted_code(client, article, text=f"{CLEAN_TEXT} شماره {n}")[1] for n in range(3)}
    assert len(codes) == 3


@pytest.mark.parametrize(
    "typing",
    [
        lambda code: code,
        lambda code: code.translate(str.maketrans("0123456789", PERSIAN_DIGITS)),
        lambda code: code.translate(str.maketrans("0123456789", ARABIC_DIGITS)),
        lambda code: f" {code[:4]} - {code[4:8]}-{code[8:]} ",
        lambda code: "\u200f" + code[:6] + "\u200c" + code[6:],
    ],
    ids=["latin", "persian", "arabic", "grouped with dashes", "with invisible marks"],
)
def test_the_code_is_typed_back_in_any_digits(client, article, typing):
    _page, shown = posted_code(client, article)
    response = look_up(client, typing(ascii_of(shown)))
    assert response.status_code == 200
    text = visible_text(response)
    assert "در انتظار بررسی" in text
    assert CLEAN_TEXT in text


def test_a_published_comment_links_to_where_it_is_shown(client, article, settings):
    settings.COMMENTS_PER_PAGE = 2
    CommentFactory.create_batch(3, article=article)
    _page, shown = posted_code(client, article)
    comment = Comment.objects.get(text=CLEAN_TEXT)
    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk), status="approved", moderator=moderator()
    )
    response = look_up(client, ascii_of(shown))
    text = visible_text(response)
    assert "منتشر شده" in text
    link = f"{article.get_absolute_url()}?comments=2#comment-{comment.pk}"
    assert f'href="{link}"' in response.content.decode().replace("&amp;", "&")
    assert f'id="comment-{comment.pk}"' in client.get(link.split("#")[0]).content.decode()


def test_an_answered_comment_shows_the_answer(client, article):
    _page, shown = posted_code(client, article)
    comment = Comment.objects.get()
    answer_officially(comment=comment, text="مستمری‌ها از اول ماه افزایش می‌یابد.", staff=moderator())
    text = visible_text(look_up(client, ascii_of(shown)))
    assert "منتشر و پاسخ داده شده" in text
    assert "پاسخ روابط عمومی" in text
    assert "مستمری‌ها از اول ماه افزایش می‌یابد." in text


@pytest.mark.parametrize(
    ("rule", "shown"),
    [
        (PostedRule.INSULT, "نظرات حاوی توهین و هرگونه نسبت ناروا"),
        (PostedRule.LANGUAGE, "غیر از زبان فارسی یا غیر مرتبط با خبر"),
    ],
)
def test_a_rejected_comment_shows_the_posted_rule_it_broke_and_never_the_moderators_notes(
    client, article, rule, shown
):
    _page, code = posted_code(client, article)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(
        flag_reason="یادداشت خصوصی ناظر: واژه «الف» پیدا شد", flags="accusation"
    )
    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk),
        status="rejected",
        moderator=moderator(),
        rule=rule,
    )
    response = look_up(client, ascii_of(code))
    text = visible_text(response)
    assert "منتشر نشد" in text
    assert shown in text
    assert "یادداشت خصوصی" not in text and "accusation" not in response.content.decode()
    assert "moderator" not in text


def test_a_rejection_without_a_named_rule_takes_the_rule_its_flags_point_to(client, article):
    _page, code = posted_code(client, article)
    comment = Comment.objects.get()
    Comment.objects.filter(pk=comment.pk).update(flags="advert")
    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk), status="rejected", moderator=moderator()
    )
    assert Comment.objects.get().broken_rule == PostedRule.LANGUAGE
    assert "غیر مرتبط با خبر" in visible_text(look_up(client, ascii_of(code)))


def test_a_wrong_code_gets_a_persian_message_beside_the_field_with_the_code_kept(client):
    response = look_up(client, "۱۲۳۴ ۵۶۷۸ ۹۰۱۲")
    assert response.status_code == 200
    html = response.content.decode()
    assert "هیچ نظری با این کد پیگیری نیست" in visible_text(response)
    assert 'value="۱۲۳۴ ۵۶۷۸ ۹۰۱۲"' in html
    assert 'aria-invalid="true"' in html
    assert 'id="code-error"' in html


@pytest.mark.parametrize("typed", ["", "12345", "۱۲۳۴۵۶۷۸۹۰۱۲۳", "abcd-efgh-ijkl", "<script>"])
def test_something_that_is_no_code_gets_a_message_never_an_error(client, typed):
    response = look_up(client, typed)
    assert response.status_code == 200
    assert "field__error" in response.content.decode()


def test_lookups_that_find_nothing_are_limited_per_address(client, article, settings):
    settings.COMMENT_TRACK_RATE = "3/1h"
    _page, shown = posted_code(client, article)
    for number in range(3):
        assert look_up(client, f"{number:012d}").status_code == 200
    refused = look_up(client, ascii_of(shown))
    assert refused.status_code == 429
    assert "یک ساعت دیگر" in visible_text(refused)
    assert CLEAN_TEXT not in visible_text(refused)
    # Another address is not held back; found codes never count.
    other = look_up(client, ascii_of(shown), REMOTE_ADDR="198.51.100.4")
    assert CLEAN_TEXT in visible_text(other)
    for _ in range(5):
        assert look_up(client, ascii_of(shown), REMOTE_ADDR="198.51.100.4").status_code == 200


def test_lookups_are_posted_so_that_codes_stay_out_of_addresses(client):
    page = client.get("/comments/track/", {"code": "123412341234"})
    assert page.status_code == 200
    assert 'method="post"' in page.content.decode()
    assert "در انتظار بررسی" not in visible_text(page)


def test_official_answers_and_refused_comments_have_no_code(client, article):
    response = post_comment(client, article, text="Great article, thank you very much indeed")
    assert response.status_code == 200  # refused at once, shown beside the field
    assert Refusal.objects.count() == 1 and Comment.objects.count() == 0
    comment = CommentFactory(article=article)
    answer = answer_officially(comment=comment, text="پاسخ رسمی", staff=moderator())
    assert answer.tracking_digest is None


def test_a_code_never_shows_another_readers_comment(client, article):
    _page, mine = posted_code(client, article, text="نظر من درباره مستمری بازنشستگان")
    other = Client()
    _page, theirs = posted_code(other, article, text="نظر دیگری درباره بیمه بیکاری")
    text = visible_text(look_up(client, ascii_of(mine)))
    assert "نظر من درباره مستمری" in text
    assert "نظر دیگری" not in text
