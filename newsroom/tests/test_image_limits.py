"""A small file with a huge number of pixels is refused at upload, and never decoded."""

import struct
import zlib
from html.parser import HTMLParser
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from newsroom.models import Article
from tests.factories import ArticleFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db

TOO_MANY_PIXELS = "مگاپیکسل"


def huge_png(width, height):
    """A black 1-bit PNG of width × height pixels that is only a few kilobytes long.

    Written row by row, so the test never holds the pixels either.
    """

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the row's bits
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def small_png(width=64, height=48):
    buffer = BytesIO()
    Image.new("RGB", (width, height), (20, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def editor(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = StaffFactory(username="editor")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsroom",
            codename__in=["add_article", "change_article", "view_article", "view_service"],
        )
    )
    client.force_login(user)
    return user


class FormFields(HTMLParser):
    """What a browser would send from the admin's article form, as it was rendered."""

    def __init__(self):
        super().__init__()
        self.fields, self._select, self._textarea, self._in_form = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "article_form":
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("file", "submit", "button"):
            if attrs.get("type") != "checkbox":
                self.fields[attrs["name"]] = attrs.get("value", "")
            elif "checked" in attrs:
                self.fields[attrs["name"]] = attrs.get("value", "on")
        elif tag == "select":
            self._select = attrs["name"]
            self.fields.setdefault(self._select, "")
        elif tag == "option" and self._select:
            if "selected" in attrs or not self.fields[self._select]:
                self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.fields[self._textarea] = ""

    def handle_data(self, data):
        if self._textarea:
            # A browser drops the newline that opens a textarea's content.
            text = self.fields[self._textarea] + data
            self.fields[self._textarea] = text.removeprefix("\n")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def add_article_with_image(client, png, name="photo.png"):
    page = client.get("/admin/newsroom/article/add/")
    parser = FormFields()
    parser.feed(page.content.decode())
    data = {
        **parser.fields,
        "title": "بازدید مدیرعامل از بیمارستان",
        "lead": "مدیرعامل از بیمارستان شهید لواسانی بازدید کرد.",
        "status": "published",
        "image_caption": "نمای بیمارستان",
        "image": SimpleUploadedFile(name, png, content_type="image/png"),
    }
    return client.post("/admin/newsroom/article/add/", data)


def test_a_small_file_of_12000_by_12000_pixels_is_refused_with_the_typing_kept(client, editor):
    ServiceFactory(name="اخبار")
    png = huge_png(12000, 12000)
    assert len(png) < 100_000  # what makes it an attack: tiny to send, a gigabyte to decode
    response = add_article_with_image(client, png)
    assert response.status_code == 200
    html = response.content.decode()
    assert TOO_MANY_PIXELS in html and "۴۰" in html
    assert "بازدید مدیرعامل از بیمارستان" in html  # what the editor typed is still there
    assert not Article.objects.exists()


def test_past_pillows_own_bomb_limit_the_message_is_the_same(client, editor):
    ServiceFactory(name="اخبار")
    response = add_article_with_image(client, huge_png(20000, 20000))
    assert response.status_code == 200
    assert TOO_MANY_PIXELS in response.content.decode()
    assert not Article.objects.exists()


def test_the_limit_is_a_setting(client, editor, settings):
    ServiceFactory(name="اخبار")
    settings.IMAGE_MAX_MEGAPIXELS = 1
    refused = add_article_with_image(client, huge_png(1200, 1000))
    assert refused.status_code == 200 and TOO_MANY_PIXELS in refused.content.decode()
    accepted = add_article_with_image(client, huge_png(1000, 1000))
    assert accepted.status_code == 302
    assert Article.objects.get().image


def test_an_ordinary_photo_is_accepted_and_shown(client, editor):
    ServiceFactory(name="اخبار")
    response = add_article_with_image(client, small_png())
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert article.image.name.endswith(".png")
    assert (article.image_width, article.image_height) == (64, 48)
    page = client.get(article.get_absolute_url()).content.decode()
    assert article.picture["src"] in page and "/media/renditions/" in article.picture["src"]


def test_a_file_that_is_no_image_keeps_djangos_message(client, editor):
    ServiceFactory(name="اخبار")
    response = add_article_with_image(client, b"not an image at all")
    assert response.status_code == 200
    assert TOO_MANY_PIXELS not in response.content.decode()
    assert not Article.objects.exists()


def test_an_image_stored_before_the_limit_is_served_as_it_is_without_decoding(
    settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    article = ArticleFactory()

    def no_decoding(*args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    # Saved in code, past the admin's check: still no copies made, nothing decoded.
    article.image.save("old/huge.png", ContentFile(huge_png(12000, 12000)), save=True)
    info = article.picture
    assert info["src"] == article.image.url
    assert info["srcset"] == "" and info["width"] is None
    assert article.thumbnail is None
    assert not (tmp_path / "renditions").exists()
    call_command("make_renditions", stdout=StringIO())
    assert not (tmp_path / "renditions").exists()


@pytest.mark.parametrize("size", [(12000, 12000), (20000, 20000)])
def test_an_image_sent_from_the_body_editor_meets_the_same_limit(client, editor, size):
    upload = SimpleUploadedFile("huge.png", huge_png(*size), content_type="image/png")
    response = client.post("/admin/newsroom/article/body-image/", {"image": upload})
    assert response.status_code == 400
    assert "میلیون پیکسل" in response.json()["error"]


def test_the_body_editors_limit_is_the_same_setting(client, editor, settings):
    settings.IMAGE_MAX_MEGAPIXELS = 1
    upload = SimpleUploadedFile("wide.png", huge_png(1200, 1000), content_type="image/png")
    refused = client.post("/admin/newsroom/article/body-image/", {"image": upload})
    assert refused.status_code == 400 and "۱ میلیون پیکسل" in refused.json()["error"]
    upload = SimpleUploadedFile("fits.png", small_png(), content_type="image/png")
    assert client.post("/admin/newsroom/article/body-image/", {"image": upload}).status_code == 200
