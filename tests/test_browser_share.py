"""Sharing an article in a real Chromium: the copy button, print, and no other host."""

from io import BytesIO
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import ArticleFactory, CommentFactory, ServiceFactory
from tests.support import needs_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    needs_chromium,
]


MESSENGERS = {"t.me", "wa.me", "eitaa.com", "ble.ir", "rubika.ir", "splus.ir", "x.com"}


@pytest.fixture
def page(phone_context, live_server):
    phone_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    return phone_context.new_page()


@pytest.fixture
def article(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    Image.new("RGB", (1600, 900), "#0b4f8a").save(buffer, "JPEG")
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(
        service=service,
        title="ضرورت بازتعریف فعالیت‌ها و نحوه مواجهه با افکار عمومی",
        image=SimpleUploadedFile("photo.jpg", buffer.getvalue()),
        tags=["روابط عمومی"],
    )
    ArticleFactory(service=service, view_count=4)
    CommentFactory(article=article)
    return article


def test_copy_button_puts_the_short_link_on_the_clipboard(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    short_link = page.locator("#short-link").input_value()
    assert short_link == f"{live_server.url}/news/{article.code}/"

    button = page.locator(".short-link__copy")
    assert button.is_visible()
    copied_text = button.get_attribute("data-copied")
    button.click()
    page.wait_for_function(
        "button => button.textContent === button.dataset.copied", arg=button.element_handle()
    )
    assert page.evaluate("navigator.clipboard.readText()") == short_link
    assert page.locator("[data-copy-status]").inner_text() == copied_text


def test_the_short_link_leads_to_the_article(live_server, page, article):
    page.goto(f"{live_server.url}/news/{article.code}/")
    assert page.url == live_server.url + article.get_absolute_url()
    assert page.get_by_role("heading", level=1).inner_text() == article.title


def test_share_links_are_plain_links_that_run_nothing(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    links = page.locator(".share__link")
    assert links.count() == 7
    for index in range(links.count()):
        link = links.nth(index)
        href = link.get_attribute("href")
        assert urlsplit(href).hostname in MESSENGERS
        assert link.get_attribute("onclick") is None
        assert link.is_visible()


def test_the_page_requests_nothing_from_another_host(live_server, page, article):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + article.get_absolute_url(), wait_until="networkidle")
    page.locator(".short-link__copy").click()
    page.mouse.wheel(0, 5000)
    page.wait_for_load_state("networkidle")

    ours = urlsplit(live_server.url).netloc
    assert requested
    assert [url for url in requested if urlsplit(url).netloc != ours] == []
    # What did load is ours: the stylesheet, the scripts, the font, the image.
    paths = {urlsplit(url).path for url in requested}
    assert "/static/css/site.css" in paths and "/static/js/share.js" in paths


def test_the_printed_page_keeps_the_article_site_name_and_short_link_without_comments_or_forms(
    live_server, page, article
):
    page.goto(live_server.url + article.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in (
        ".site-header",
        ".services-nav",
        ".breadcrumb",
        ".comment-form",
        ".share__links",
        ".short-link__copy",
        ".popular",
        ".comments",
        ".reading-tools",
        "#short-link",
    ):
        locator = page.locator(hidden)
        assert locator.count() == 0 or not locator.first.is_visible(), hidden
    assert page.get_by_role("heading", level=1).is_visible()
    source = page.locator(".print-source")
    assert source.is_visible()
    printed_link = source.evaluate("p => getComputedStyle(p, '::after').content")
    assert f"/news/{article.code}/" in printed_link
    assert "پایگاه خبری سازمان تأمین اجتماعی" in source.inner_text()
    assert not page.locator(".comment__text").first.is_visible()
    assert not page.locator("#comments").is_visible()


def test_the_article_image_fits_a_phone_and_has_its_size_reserved(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    image = page.locator(".article__image img")
    assert image.get_attribute("width") and image.get_attribute("height")
    assert image.get_attribute("srcset")
    box = image.bounding_box()
    assert box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_keyboard_focus_is_visible_on_the_copy_button(live_server, page, article):
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#short-link").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "short-link__copy"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
