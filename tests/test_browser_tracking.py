"""A reader follows a comment in a real Chromium: posts, keeps the code, a moderator approves
it from the keyboard and answers, and the tracking page shows both; votes on the shared page."""

import pytest
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from comments import outbox
from comments.models import Comment, OutgoingEmail
from tests.factories import ArticleFactory, CommentFactory
from tests.support import DESK, PHONE, close_quietly, needs_chromium, watched_context

PASSWORD = "a-long-staff-password-42"
QUESTION = "آیا افزایش مستمری شامل بازنشستگان پیش از ۱۴۰۰ هم می‌شود؟"
ANSWER = "بله؛ افزایش برای همه بازنشستگان از اول فروردین اعمال می‌شود."

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture(autouse=True)
def _setup(settings, staff_roles):
    settings.COMMENT_MIN_SECONDS = 0
    # Forget the content types earlier tests read (the admin's log names them).
    ContentType.objects.clear_cache()


def answer_question(page):
    key = page.locator("input[name=captcha_0]").input_value()
    page.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=key).response)


def test_a_reader_keeps_the_code_and_sees_the_approval_and_the_answer(live_server, browser):
    article = ArticleFactory(title="افزایش مستمری بازنشستگان")
    moderator = get_user_model().objects.create_user(
        "sara", password=PASSWORD, is_staff=True, email="sara@example.ir"
    )
    moderator.groups.add(Group.objects.get(name="ناظر نظرات"))

    reader_context = watched_context(browser, **PHONE)
    reader_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    staff_context = watched_context(browser, **DESK)
    try:
        reader = reader_context.new_page()
        reader.goto(live_server.url + article.get_absolute_url())
        reader.locator("#comment-form").scroll_into_view_if_needed()
        reader.get_by_label("نام", exact=True).fill("مریم")
        reader.locator("input[name=email]").fill("maryam@example.ir")
        reader.get_by_label("وقتی نظرم منتشر شد یا پاسخ گرفت، با رایانامه خبرم کنید").check()
        reader.get_by_label("متن نظر", exact=True).fill(QUESTION)
        answer_question(reader)
        reader.get_by_role("button", name="ارسال نظر").click()
        reader.wait_for_url(f"**/comments/{article.code}/sent/")

        # The code, in Persian digits, and a button that copies it.
        shown = reader.locator("#tracking-code").inner_text()
        assert len(shown.replace(" ", "")) == 12 and shown.replace(" ", "").isdigit()
        assert all("۰" <= digit <= "۹" for digit in shown.replace(" ", ""))
        reader.get_by_role("button", name="رونوشت کد").click()
        reader.get_by_text("کد رونوشت شد.").wait_for()
        copied = reader.evaluate("navigator.clipboard.readText()")
        assert copied == shown.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).replace(" ", "")

        # Before a decision: awaiting review.
        reader.get_by_role("link", name="پیگیری نظرتان با این کد").click()
        reader.get_by_label("کد پیگیری").fill(shown)
        reader.get_by_role("button", name="نمایش").click()
        assert reader.get_by_role("heading", name="در انتظار بررسی").is_visible()

        # The moderator approves it from the keyboard, then answers it.
        staff = staff_context.new_page()
        staff.goto(live_server.url + "/admin/login/")
        staff.fill("#id_username", "sara")
        staff.fill("#id_password", PASSWORD)
        staff.click("input[type=submit]")
        staff.wait_for_url(live_server.url + "/admin/")
        assert "۱ نظر در انتظار بررسی است" in staff.locator("#header").inner_text()
        staff.goto(live_server.url + "/admin/comments/comment/?status__exact=pending")
        staff.keyboard.press("j")
        assert staff.locator("#result_list tr.queue-current").count() == 1
        with staff.expect_navigation():
            staff.keyboard.press("a")
        assert "وضعیت ۱ نظر «تأییدشده» شد." in staff.locator(".messagelist").inner_text()
        comment = Comment.objects.get(article=article)
        assert comment.status == "approved" and comment.moderated_by == moderator

        staff.goto(live_server.url + f"/admin/comments/comment/{comment.pk}/change/")
        staff.get_by_label("پاسخ رسمی").fill(ANSWER)
        with staff.expect_navigation():
            staff.locator("input[name=_save]").click()
        assert Comment.objects.filter(parent=comment, is_official=True).count() == 1

        # The reader looks again with the same code: published and answered.
        reader.goto(live_server.url + "/comments/track/")
        reader.get_by_label("کد پیگیری").fill(shown)
        reader.get_by_role("button", name="نمایش").click()
        assert reader.get_by_role("heading", name="منتشر و پاسخ داده شده").is_visible()
        result = reader.locator(".tracked").inner_text()
        assert QUESTION in result.replace("1400", "۱۴۰۰") and ANSWER in result
        reader.get_by_role("link", name="دیدن نظرتان زیر خبر").click()
        reader.wait_for_url(f"**{article.get_absolute_url()}#comment-{comment.pk}")
        thread = reader.locator(f"#comment-{comment.pk}")
        replies = thread.locator(".comment-replies .comment")
        assert replies.first.locator(".comment__name").inner_text() == "پاسخ روابط عمومی"
        assert ANSWER in replies.first.inner_text()

        # The reader asked to be told: both e-mails wait in the outbox, and are sent.
        kinds = sorted(OutgoingEmail.objects.values_list("kind", flat=True))
        assert kinds == ["answered", "published"]
        assert outbox.send_due() == (2, 0)
        assert reader_context.policy_violations == []
        assert staff_context.policy_violations == []
    finally:
        close_quietly(reader_context)
        close_quietly(staff_context)


def test_a_reader_likes_a_comment_on_the_shared_page_and_sees_it_after_reloading(
    live_server, browser
):
    article = ArticleFactory()
    comment = CommentFactory(article=article, name="حسن", text="نظری خواندنی")
    context = watched_context(browser, **PHONE)
    try:
        page = context.new_page()
        page.goto(live_server.url + article.get_absolute_url())
        like = page.locator(f"#comment-{comment.pk} .vote").first
        assert like.get_attribute("aria-pressed") == "false"
        like.click()
        page.wait_for_function(
            "el => el.getAttribute('aria-pressed') === 'true'", arg=like.element_handle()
        )
        assert like.locator(".vote__count").inner_text() == "۱"
        assert page.url.endswith(article.get_absolute_url())  # no reload
        page.reload()
        like = page.locator(f"#comment-{comment.pk} .vote").first
        page.wait_for_function(
            "el => el.getAttribute('aria-pressed') === 'true'", arg=like.element_handle()
        )
        # The count comes from the shared JSON, whatever the cached page said.
        page.wait_for_function(
            "el => el.textContent === '۱'", arg=like.locator(".vote__count").element_handle()
        )
        # Pressed again: the like is taken back.
        like.click()
        page.wait_for_function(
            "el => el.getAttribute('aria-pressed') === 'false'", arg=like.element_handle()
        )
        comment.votes.refresh_from_db()
        assert comment.votes.likes == 0
        assert context.policy_violations == []
    finally:
        close_quietly(context)
