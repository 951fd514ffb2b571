"""The reader's tools in a real Chromium: text size, the device's share sheet, the month picker."""

import pytest

from tests.factories import ArticleFactory, ServiceFactory
from tests.support import needs_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


@pytest.fixture
def page(phone_page):
    return phone_page


@pytest.fixture
def article():
    return ArticleFactory(service=ServiceFactory(name="اخبار"), body="<p>متن خبر.</p>" * 5)


def body_font_size(page):
    return page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.article__body')).fontSize)"
    )


def test_text_size_grows_and_shrinks_by_keyboard_and_is_remembered(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    larger = page.get_by_role("button", name="متن درشت‌تر")
    smaller = page.get_by_role("button", name="متن ریزتر")
    assert larger.is_visible() and smaller.is_visible()
    normal = body_font_size(page)

    larger.focus()
    page.keyboard.press("Enter")
    assert body_font_size(page) > normal
    status = page.locator("[data-text-size-status]")
    assert status.get_attribute("role") == "status"
    assert "۱۱۵٪" in status.inner_text()

    page.reload()
    assert body_font_size(page) > normal  # remembered in this browser

    smaller.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Space")
    assert body_font_size(page) < normal


def test_text_size_stops_at_its_largest(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    larger = page.get_by_role("button", name="متن درشت‌تر")
    for _step in range(6):
        if larger.is_disabled():
            break
        larger.click()
    assert larger.is_disabled()


def test_the_print_button_opens_the_print_dialog(live_server, page, article):
    page.add_init_script("window.print = () => { window.printed = true; };")
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("button", name="چاپ").click()
    assert page.evaluate("window.printed") is True


def test_the_share_button_hands_the_short_link_to_the_devices_share_sheet(
    live_server, page, article
):
    page.add_init_script(
        "navigator.share = (data) => { window.shared = data; return Promise.resolve(); };"
    )
    page.goto(live_server.url + article.get_absolute_url())
    button = page.get_by_role("button", name="اشتراک با برنامه‌های همین دستگاه")
    assert button.is_visible()
    button.click()
    page.wait_for_function("window.shared !== undefined")
    shared = page.evaluate("window.shared")
    assert shared["url"] == f"{live_server.url}/news/{article.code}/"
    assert shared["title"] == article.title


def test_without_a_share_sheet_there_is_no_share_button(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    if page.evaluate("typeof navigator.share") == "function":
        pytest.skip("this Chromium has a share sheet")
    assert page.locator("[data-share]").is_hidden()
    assert page.locator(".share__link").first.is_visible()


def test_the_month_picker_is_used_by_keyboard(live_server, page, article):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="آرشیو").first.click()
    page.wait_for_url("**/archive/")
    page.get_by_label("ماه", exact=True).focus()
    page.keyboard.press("Home")  # فروردین
    page.get_by_label("سال", exact=True).select_option("1405")
    page.get_by_role("button", name="نمایش اخبار این ماه").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/archive/1405/01/")
    assert "فروردین ۱۴۰۵" in page.get_by_role("heading", level=1).inner_text()
