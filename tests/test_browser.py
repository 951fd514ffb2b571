"""Flows in a real Chromium: what a reader sees and does on the page."""

import pytest
from captcha.models import CaptchaStore

from comments.models import Comment
from comments.services import moderate_comments
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory, StaffFactory
from tests.support import PHONE, needs_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def page(phone_page):
    return phone_page


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.COMMENT_MIN_SECONDS = 0


def test_article_page_renders_right_to_left_with_its_title(live_server, page):
    article = ArticleFactory(
        code=77759, title="ضرورت بازتعریف فعالیت‌ها و نحوه مواجهه با افکار عمومی"
    )
    page.goto(live_server.url + f"/news/{article.code}/")
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == article.title
    assert heading.is_visible()
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "fa"
    # The title's right edge sits at the right of the page, as Persian is read.
    box = heading.bounding_box()
    assert box["x"] + box["width"] > 390 - 40
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_persian_page_fetches_only_the_persian_part_of_the_font(live_server, page):
    article = ArticleFactory(title="افزایش مستمری بازنشستگان از ابتدای فروردین")
    page.goto(live_server.url + article.get_absolute_url())
    page.evaluate("document.fonts.ready")
    faces = page.evaluate(
        "[...document.fonts].filter(f => f.family.includes('Vazirmatn'))"
        ".map(f => [f.unicodeRange.startsWith('U+0-FF') ? 'fa' : 'other', f.status])"
    )
    assert sorted(faces) == [["fa", "loaded"], ["other", "unloaded"]]
    # A name in Latin Extended letters brings the second file, for that page only.
    page.evaluate("document.body.append('Çelik Škoda')")
    page.evaluate("document.fonts.ready")
    page.wait_for_function(
        "[...document.fonts].every(f => !f.family.includes('Vazirmatn') || f.status === 'loaded')"
    )


def test_a_related_article_shows_its_date_under_its_title(live_server, page):
    article = ArticleFactory(tags=["مستمری"])
    ArticleFactory(title="زمان واریز مستمری بازنشستگان در ماه جاری اعلام شد", tags=["مستمری"])
    page.goto(live_server.url + article.get_absolute_url())
    item = page.locator(".related li").first
    title = item.get_by_role("link").bounding_box()
    date = item.locator("time").bounding_box()
    assert date["y"] >= title["y"] + title["height"] - 1


def open_form(page):
    """The reader scrolls to «نظر شما»: the form, with their own token and question, comes in."""
    page.locator("#comment-form").scroll_into_view_if_needed()
    page.get_by_label("نام", exact=True).wait_for()


def wrong_answer(page):
    """An answer the question on the page does not have (its answer may well be 0)."""
    key = page.locator("input[name=captcha_0]").input_value()
    return str(int(CaptchaStore.objects.get(hashkey=key).response) + 1)


def answer_question(page):
    key = page.locator("input[name=captcha_0]").input_value()
    page.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=key).response)


def test_reader_posts_a_comment_and_a_reply_that_appear_after_approval(live_server, page):
    article = ArticleFactory(title="افزایش مستمری بازنشستگان")
    earlier = CommentFactory(article=article, name="حسن", text="نظر پیشین تأییدشده")
    page.goto(live_server.url + article.get_absolute_url())
    open_form(page)
    page.get_by_label("نام", exact=True).fill("مریم")
    page.get_by_label("متن نظر", exact=True).fill("از اطلاع‌رسانی شما سپاسگزارم.")
    answer_question(page)
    page.get_by_role("button", name="ارسال نظر").click()
    # The reader's own page: received, with the code to follow it by.
    page.wait_for_url(f"**/comments/{article.code}/sent/")
    assert (
        page.locator("main [role=status]").first.inner_text()
        == "نظر شما ثبت شد و پس از تأیید منتشر می‌شود."
    )
    page.get_by_role("link", name="بازگشت به خبر").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")

    # «پاسخ» brings the form and fills it for a reply, without a reload.
    page.evaluate("window.noReload = true")
    page.locator(f"#comment-{earlier.pk} .comment__reply").click()
    banner = page.locator("#reply-banner")
    banner.wait_for()
    assert banner.is_visible()
    assert page.evaluate("document.activeElement.name") == "text"
    assert "شما در حال پاسخ به نظر «حسن» هستید." in banner.inner_text()
    assert page.evaluate("window.noReload") is True
    page.get_by_label("نام", exact=True).fill("علی")
    page.get_by_label("متن نظر", exact=True).fill("من هم با نظر شما موافقم.")
    answer_question(page)
    page.get_by_role("button", name="ارسال نظر").click()
    page.wait_for_url(f"**/comments/{article.code}/sent/")

    posted = Comment.objects.filter(article=article, status="pending")
    assert posted.count() == 2
    assert posted.get(name="علی").parent == earlier
    moderate_comments(comments=posted, status="approved", moderator=StaffFactory())

    page.goto(live_server.url + article.get_absolute_url())
    thread = page.locator(f"#comment-{earlier.pk}")
    assert "من هم با نظر شما موافقم." in thread.locator(".comment-replies").inner_text()
    top_level = page.locator(".comment-list > li > .comment .comment__text").all_inner_texts()
    assert top_level == ["نظر پیشین تأییدشده", "از اطلاع‌رسانی شما سپاسگزارم."]


def test_refused_comment_keeps_the_text_beside_a_persian_message(live_server, page):
    article = ArticleFactory()
    page.goto(live_server.url + article.get_absolute_url())
    open_form(page)
    page.get_by_label("نام", exact=True).fill("مریم")
    page.get_by_label("متن نظر", exact=True).fill("This comment is written in English only.")
    page.locator("input[name=captcha_1]").fill(wrong_answer(page))
    page.get_by_role("button", name="ارسال نظر").click()
    page.wait_for_load_state()
    assert (
        page.get_by_label("متن نظر", exact=True).input_value()
        == "This comment is written in English only."
    )
    assert page.get_by_label("نام", exact=True).input_value() == "مریم"
    errors = page.locator(".field__error").all_inner_texts()
    assert any("فارسی" in error for error in errors)
    assert any("پرسش حسابی" in error for error in errors)


def test_new_question_without_reload_keeps_the_text(live_server, page):
    article = ArticleFactory()
    page.goto(live_server.url + article.get_absolute_url())
    open_form(page)
    page.get_by_label("متن نظر", exact=True).fill("متنی که نباید گم شود")
    old_key = page.locator("input[name=captcha_0]").input_value()
    page.get_by_role("button", name="پرسش دیگر").click()
    for _ in range(50):
        if page.locator("input[name=captcha_0]").input_value() != old_key:
            break
        page.wait_for_timeout(100)
    assert page.locator("input[name=captcha_0]").input_value() != old_key
    assert page.get_by_label("متن نظر", exact=True).input_value() == "متنی که نباید گم شود"
    assert page.locator("#text-counter").inner_text().startswith("۹۸")


def test_the_form_comes_into_the_page_when_the_reader_scrolls_to_it(live_server, page):
    article = ArticleFactory()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("input[name=captcha_0]").count() == 0
    page.locator("#comment-form").scroll_into_view_if_needed()
    page.get_by_label("متن نظر", exact=True).wait_for()
    assert page.locator("input[name=captcha_0]").input_value()
    assert page.get_by_role("link", name="نوشتن نظر").count() == 0


def test_two_readers_of_the_cached_page_send_with_their_own_questions(live_server, browser):
    article = ArticleFactory(title="افزایش مستمری بازنشستگان")
    readers = [browser.new_context(**PHONE) for _ in range(2)]
    try:
        pages = [reader.new_page() for reader in readers]
        for number, page in enumerate(pages):
            page.goto(live_server.url + article.get_absolute_url())
            open_form(page)
            page.get_by_label("نام", exact=True).fill(f"خواننده {number}")
            page.get_by_label("متن نظر", exact=True).fill("از اطلاع‌رسانی شما سپاسگزارم.")
        keys = [page.locator("input[name=captcha_0]").input_value() for page in pages]
        assert keys[0] != keys[1]
        for page in pages:
            answer_question(page)
            page.get_by_role("button", name="ارسال نظر").click()
            page.wait_for_url(f"**/comments/{article.code}/sent/")
        names = set(Comment.objects.filter(article=article).values_list("name", flat=True))
        assert names == {"خواننده 0", "خواننده 1"}
    finally:
        for reader in readers:
            reader.close()


def test_write_a_comment_brings_the_form_and_puts_the_reader_in_it(live_server, page):
    article = ArticleFactory()
    page.goto(live_server.url + article.get_absolute_url())
    # As a keyboard does: activating the link, with no scrolling first.
    page.get_by_role("link", name="نوشتن نظر").dispatch_event("click")
    page.get_by_label("نام", exact=True).wait_for()
    assert page.evaluate("document.activeElement.name") == "name"
    assert page.url.endswith(article.get_absolute_url())


def test_on_a_phone_search_results_come_first_and_the_filters_open_on_demand(live_server, page):
    pensions = ServiceFactory(name="بازنشستگان")
    ArticleFactory(title="افزایش مستمری بازنشستگان از آذر", service=pensions)
    ArticleFactory(title="مستمری بیمه‌شدگان از کارافتاده")
    page.goto(live_server.url + "/")
    page.fill("#site-search", "مستمری")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first = page.locator(".article-card").first
    # The first result is on the first screen, not below the filters.
    assert first.bounding_box()["y"] + 40 < PHONE["viewport"]["height"]
    assert page.locator("#search-service").is_hidden()

    page.get_by_text("محدود کردن به سرویس، برچسب یا تاریخ").focus()
    page.keyboard.press("Enter")
    page.select_option("#search-service", label="بازنشستگان")
    with page.expect_navigation():
        page.get_by_role("button", name="جست‌وجو").last.click()
    titles = page.locator(".article-card__title").all_inner_texts()
    assert titles == ["افزایش مستمری بازنشستگان از آذر"]
    assert page.locator("#search-service").is_visible()
