"""An editor in a real Chromium: schedules an article with the Jalali picker, and it appears
by itself when its time comes; the body editor speaks Persian."""

import time
from datetime import timedelta
from io import BytesIO

import jdatetime
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from PIL import Image

from newsroom.models import Article, Tag
from newsroom.text import persian
from tests.factories import ServiceFactory
from tests.support import needs_chromium

PASSWORD = "a-long-staff-password-42"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
    # A transactional test starts from an empty database.
    pytest.mark.usefixtures("staff_roles"),
]


@pytest.fixture
def page(staff_page):
    return staff_page


def log_in_as_editor(page, live_server):
    user = get_user_model().objects.create_user("editor", password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="ویراستار"))
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(live_server.url + "/admin/")


def pick(page, moment):
    """Choose a moment in the Jalali picker: its day, then its hour and minute."""
    local = timezone.localtime(moment)
    day = jdatetime.date.fromgregorian(date=local.date())
    page.click("#id_published_at")
    picker = page.locator("jdp-container")
    picker.wait_for(state="visible")
    # The picker opens on the box's month; the test's moment is at most minutes away.
    assert picker.locator(".jdp-month select").input_value() == str(day.month)
    picker.locator(
        ".jdp-day:not(.not-in-month)", has_text=persian.to_persian_digits(day.day)
    ).first.click()
    if not picker.is_visible():
        page.click("#id_published_at")
    times = picker.locator(".jdp-time select")
    # In the right-to-left picker the hour comes first to the eye: last in the page.
    times.nth(1).select_option(f"{local.hour:02d}")
    times.nth(0).select_option(f"{local.minute:02d}")
    page.keyboard.press("Escape")


def test_an_article_scheduled_with_the_jalali_picker_appears_by_itself(live_server, page, browser):
    ServiceFactory(name="اطلاعیه‌ها")
    log_in_as_editor(page, live_server)
    page.goto(live_server.url + "/admin/newsroom/article/add/")
    page.fill("#id_title", "اطلاعیهٔ زمان‌بندی‌شده برای چند دقیقهٔ دیگر")
    page.fill("#id_lead", "این خبر در زمانی که ویراستار برگزیده منتشر می‌شود.")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("متن خبر زمان‌بندی‌شده.")
    page.select_option("#id_service", label="اطلاعیه‌ها")
    page.select_option("#id_status", value="published")

    # The next whole minute at least a minute ahead: the picker chooses minutes.
    due = (timezone.now() + timedelta(seconds=70)).replace(second=0, microsecond=0)
    due += timedelta(minutes=1)
    pick(page, due)
    shown = page.input_value("#id_published_at")
    assert shown == persian.jalali_input(due)
    page.click("input[name=_save]")
    page.wait_for_url(live_server.url + "/admin/newsroom/article/")
    assert "زمان‌بندی‌شده" in page.locator("#result_list").inner_text()

    article = Article.objects.get(title="اطلاعیهٔ زمان‌بندی‌شده برای چند دقیقهٔ دیگر")
    assert article.published_at == due
    assert article.is_scheduled

    reader = browser.new_context().new_page()
    reader.goto(live_server.url + "/")
    assert article.title not in reader.content()
    assert reader.goto(live_server.url + f"/news/{article.code}/").status == 404

    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 1)
    reader.goto(live_server.url + "/")
    assert article.title in reader.content()
    reader.goto(live_server.url + f"/news/{article.code}/")
    assert reader.get_by_role("heading", level=1).inner_text() == article.title
    reader.context.close()
    assert page.policy_violations == []


def test_the_body_editor_speaks_persian_and_checks_spelling(live_server, page):
    log_in_as_editor(page, live_server)
    page.goto(live_server.url + "/admin/newsroom/article/add/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.wait_for()
    assert editor.get_attribute("spellcheck") != "false"
    assert page.locator(".prose-menubar [title='پررنگ']").count() == 1
    assert page.locator(".prose-menubar [title='افزودن جدول']").count() == 1
    assert page.locator(".prose-menubar [title='bold']").count() == 0
    assert page.get_by_label("بارگذاری تصویر در متن").count() == 1
    assert page.policy_violations == []


def test_tags_are_suggested_and_images_go_into_the_body(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    Tag.objects.create(name="بیمه‌شدگان")
    log_in_as_editor(page, live_server)
    page.goto(live_server.url + "/admin/newsroom/article/add/")
    page.locator("#id_tags").press_sequentially("مستمری، بيمه")
    option = page.get_by_role("option", name="بیمه‌شدگان")
    option.wait_for()
    page.locator("#id_tags").press("ArrowDown")
    page.locator("#id_tags").press("Enter")
    assert page.input_value("#id_tags").startswith("مستمری، بیمه‌شدگان")

    picture = BytesIO()
    Image.new("RGB", (60, 40), "teal").save(picture, "PNG")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.get_by_label("بارگذاری تصویر در متن").set_input_files(
        {"name": "chart.png", "mimeType": "image/png", "buffer": picture.getvalue()}
    )
    image = page.locator(".ProseMirror img[src^='/media/articles/body/']")
    image.wait_for()
    assert page.policy_violations == []


def test_the_body_editor_writes_right_to_left(live_server, page):
    log_in_as_editor(page, live_server)
    page.goto(live_server.url + "/admin/newsroom/article/add/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.wait_for()
    # An empty body offers room for more than a line or two.
    assert editor.bounding_box()["height"] > 12 * 16

    editor.click()
    # The editor's shortcuts: "- " begins a list, "> " a quote.
    page.keyboard.type("- نخستین بند")
    page.keyboard.press("Enter")
    page.keyboard.type("دومین بند")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("> گفتهٔ مدیرعامل")
    boxes = page.evaluate(
        """() => {
            const box = (selector) => document.querySelector(selector).getBoundingClientRect();
            const quote = getComputedStyle(document.querySelector(".ProseMirror blockquote"));
            return {
                editor: box(".ProseMirror[contenteditable=true]").right,
                list: box(".ProseMirror ul").right,
                item: box(".ProseMirror ul li").right,
                quoteRight: parseFloat(quote.borderRightWidth),
                quoteLeft: parseFloat(quote.borderLeftWidth),
            };
        }"""
    )
    # Bullets sit on the right, before each item and inside the editor's box.
    assert boxes["list"] <= boxes["editor"]
    assert boxes["item"] <= boxes["list"] - 16
    # A quote's bar is on its right, where its lines begin.
    assert boxes["quoteRight"] > 0 and boxes["quoteLeft"] == 0
    assert page.policy_violations == []
