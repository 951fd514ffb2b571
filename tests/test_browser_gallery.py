"""A photo report's viewer in a real Chromium: by keyboard, by its buttons, and without script."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from newsroom.models import Article, Photo
from tests.factories import ArticleFactory
from tests.support import close_quietly, needs_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]

CAPTIONS = ["ورودی درمانگاه", "بخش پذیرش", "اتاق معاینه"]


def jpeg(colour):
    buffer = BytesIO()
    Image.new("RGB", (1000, 750), colour).save(buffer, "JPEG")
    return SimpleUploadedFile("photo.jpg", buffer.getvalue())


@pytest.fixture
def report(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = ArticleFactory(kind=Article.Kind.PHOTOS, title="گزارش تصویری افتتاح درمانگاه")
    for order, (caption, colour) in enumerate(zip(CAPTIONS, ["red", "green", "blue"], strict=True)):
        Photo.objects.create(article=article, image=jpeg(colour), caption=caption, order=order)
    return article


@pytest.fixture
def page(phone_page):
    return phone_page


def viewer_state(page):
    return page.evaluate(
        """() => {
            const dialog = document.querySelector("[data-viewer]");
            return {
                open: dialog.open,
                caption: dialog.querySelector("[data-caption]").textContent,
                status: dialog.querySelector("[data-status]").textContent,
                focused: document.activeElement.className,
                index: document.activeElement.dataset.index,
            };
        }"""
    )


def test_arrow_keys_move_escape_closes_and_the_focus_returns(live_server, page, report):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(live_server.url + report.get_absolute_url())
    second = page.locator(".gallery__open").nth(1)
    second.focus()
    page.keyboard.press("Enter")
    state = viewer_state(page)
    assert state["open"] and state["caption"] == CAPTIONS[1]
    assert state["status"] == "عکس ۲ از ۳"
    assert "viewer__next" in state["focused"]  # the focus is inside the dialog

    # Right to left: ← is the next photo, → the previous; past the last comes the first.
    page.keyboard.press("ArrowLeft")
    assert viewer_state(page)["caption"] == CAPTIONS[2]
    page.keyboard.press("ArrowLeft")
    assert viewer_state(page)["caption"] == CAPTIONS[0]
    page.keyboard.press("ArrowRight")
    assert viewer_state(page)["caption"] == CAPTIONS[2]

    page.keyboard.press("Escape")
    state = viewer_state(page)
    assert not state["open"]
    assert state["focused"] == "gallery__open" and state["index"] == "1"
    assert errors == []


def test_the_large_buttons_work_by_touch_and_tab_stays_in_the_viewer(live_server, page, report):
    page.goto(live_server.url + report.get_absolute_url())
    page.locator(".gallery__open").first.click()
    assert viewer_state(page)["caption"] == CAPTIONS[0]
    next_button = page.locator("[data-next]")
    box = next_button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a finger's size
    next_button.click()
    assert viewer_state(page)["caption"] == CAPTIONS[1]
    page.locator("[data-previous]").click()
    assert viewer_state(page)["caption"] == CAPTIONS[0]
    for _ in range(6):
        page.keyboard.press("Tab")
        inside = page.evaluate("() => !!document.activeElement.closest('[data-viewer]')")
        assert inside or page.evaluate("() => document.activeElement === document.body")
    page.locator("[data-close]").click()
    assert not viewer_state(page)["open"]
    assert page.evaluate("() => document.activeElement.dataset.index") == "0"


def test_without_script_the_photos_and_captions_are_listed(browser, live_server, report):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + report.get_absolute_url())
        captions = page.locator(".gallery__item figcaption").all_text_contents()
        assert captions == CAPTIONS
        assert page.locator(".gallery__item img").count() == 3
        assert not page.locator("[data-viewer]").is_visible()
    finally:
        close_quietly(context)
