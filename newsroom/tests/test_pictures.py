"""Pictures resized when saved, offered in AVIF, WebP and JPEG; photo reports, video and icons."""

import json
import re
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from newsroom.articles import images, renditions
from newsroom.models import Article, Photo
from tests.factories import ArticleFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(width, height, name="photo.jpg", exif_orientation=None):
    buffer = BytesIO()
    picture = Image.new("RGB", (width, height), "#0b4f8a")
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        picture.save(buffer, "JPEG", exif=exif)
    else:
        picture.save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def stored(media, url):
    return media / url.split("/media/", 1)[1]


def size_of(media, url):
    with Image.open(stored(media, url)) as picture:
        return picture.format, picture.size


def test_every_copy_exists_once_the_article_is_saved(media):
    article = ArticleFactory(image=jpeg(3000, 2000))
    assert (article.image_width, article.image_height) == (3000, 2000)
    for spec_id in renditions.ARTICLE_SPECS:
        assert renditions.cache_file(spec_id, article.image).storage.exists(
            renditions.cache_file(spec_id, article.image).name
        ), spec_id
    picture = article.picture
    for source in picture["sources"]:
        for url, width in re.findall(r"(\S+) (\d+)w", source["srcset"]):
            image_format, (shown_width, _height) = size_of(media, url)
            assert shown_width == int(width)
            assert f"image/{image_format.lower()}" == source["type"]


def test_a_page_view_decodes_no_image(client, media, monkeypatch):
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(service=service, image=jpeg(2400, 1600), tags=["بیمه"])
    report = ArticleFactory(service=service, kind=Article.Kind.PHOTOS, image=jpeg(1600, 1200))
    Photo.objects.create(article=report, image=jpeg(1600, 1200, "one.jpg"), caption="یک")
    opened = []
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a) or 1 / 0)
    monkeypatch.setattr(Image.Image, "load", lambda *a, **k: opened.append(a) or 1 / 0)
    for url in ("/", article.get_absolute_url(), report.get_absolute_url(), "/tag/بیمه/", "/feed/"):
        assert client.get(url).status_code == 200, url
    assert opened == []


def test_the_article_picture_offers_avif_and_webp_before_its_jpeg(client, media):
    article = ArticleFactory(image=jpeg(2000, 1000), image_caption="نشست")
    html = client.get(article.get_absolute_url()).content.decode()
    figure = html.split('class="article__image"')[1].split("</figure>")[0]
    types = re.findall(r'<source type="([^"]+)"', figure)
    assert types == (["image/avif"] if renditions.AVIF else []) + ["image/webp"]
    img = re.search(r"<img [^>]*>", figure).group(0)
    assert re.search(r'src="[^"]+\.jpg"', img)
    assert 'width="960" height="480"' in img
    # The picture at the top loads at once and first; none lazily.
    assert 'fetchpriority="high"' in img and "loading=" not in img


def test_without_avif_in_pillow_webp_and_jpeg_remain(client, media, monkeypatch):
    monkeypatch.setattr(
        renditions, "FORMATS", tuple(f for f in renditions.FORMATS if f[0] != "AVIF")
    )
    article = ArticleFactory(image=jpeg(1000, 800))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "image/avif" not in html and ".avif" not in html
    assert 'type="image/webp"' in html


def test_share_images_are_1200_wide_in_three_ratios(client, media):
    article = ArticleFactory(image=jpeg(4000, 3000))
    html = client.get(article.get_absolute_url()).content.decode()
    og = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)"', html))
    assert (og["og:image:width"], og["og:image:height"]) == ("1200", "675")
    assert size_of(media, og["og:image"]) == ("JPEG", (1200, 675))
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html).group(1))
    assert data["image"][0] == og["og:image"]
    assert [size_of(media, url)[1] for url in data["image"]] == [
        (1200, 675),
        (1200, 900),
        (1200, 1200),
    ]
    assert data["publisher"]["logo"]["url"].endswith(".png")


def test_a_picture_narrower_than_1200_is_shared_at_its_own_width_never_enlarged(client, media):
    article = ArticleFactory(image=jpeg(800, 600))
    html = client.get(article.get_absolute_url()).content.decode()
    og = dict(re.findall(r'<meta property="(og:image[^"]*)" content="([^"]*)"', html))
    assert (og["og:image:width"], og["og:image:height"]) == ("800", "450")
    assert size_of(media, og["og:image"]) == ("JPEG", (800, 450))


def test_a_turned_phone_photo_is_measured_as_shown(media):
    article = ArticleFactory(image=jpeg(1600, 1200, exif_orientation=6))
    assert (article.image_width, article.image_height) == (1200, 1600)
    url = article.picture["src"]
    assert size_of(media, url)[1] == (960, 1280)


def test_lists_show_a_thumbnail_and_nothing_for_an_article_without_picture(client, media):
    service = ServiceFactory(name="اخبار")
    pictured = ArticleFactory(service=service, image=jpeg(1600, 900), title="خبر با تصویر")
    ArticleFactory(service=service, title="خبر بی تصویر")
    html = client.get(service.get_absolute_url()).content.decode()
    cards = re.findall(r'<li class="article-card">(.*?)</li>', html, re.S)
    with_picture = next(card for card in cards if "خبر با تصویر" in card)
    without = next(card for card in cards if "خبر بی تصویر" in card)
    assert "<img" not in without
    img = re.search(r"<img [^>]*>", with_picture).group(0)
    assert 'width="120" height="90"' in img and 'loading="lazy"' in img and 'alt=""' in img
    assert size_of(media, re.search(r'src="([^"]+)"', img).group(1)) == ("JPEG", (240, 180))
    assert pictured.thumbnail["src"] in with_picture


def test_a_photo_report_lists_its_captioned_photos_in_order(client, media):
    report = ArticleFactory(kind=Article.Kind.PHOTOS, image=jpeg(1600, 1200))
    Photo.objects.create(article=report, image=jpeg(1600, 1200, "b.jpg"), caption="دوم", order=2)
    Photo.objects.create(article=report, image=jpeg(1200, 1600, "a.jpg"), caption="اول", order=1)
    html = client.get(report.get_absolute_url()).content.decode()
    gallery = html.split('class="gallery"')[1].split("</section>")[0]
    assert re.findall(r"<figcaption>([^<]+)</figcaption>", gallery) == ["اول", "دوم"]
    assert "عکس ۱ از ۲" in gallery  # the link's name, for a screen reader
    imgs = re.findall(r"<img [^>]*>", gallery)
    assert all('loading="lazy"' in img for img in imgs)
    assert 'width="960" height="1280"' in imgs[0]
    assert "/static/js/gallery.js" in html


def test_a_photo_added_later_reaches_the_cached_page(client, media):
    report = ArticleFactory(kind=Article.Kind.PHOTOS)
    client.get(report.get_absolute_url())
    Photo.objects.create(article=report, image=jpeg(800, 600), caption="تازه")
    assert "تازه" in client.get(report.get_absolute_url()).content.decode()


def mp4_bytes():
    """The start of an MP4 file: its `ftyp` box, then an empty `mdat`."""
    return b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00\x00\x00\x08mdat"


def test_a_video_article_plays_in_the_browsers_own_player(client, media):
    article = ArticleFactory(
        kind=Article.Kind.VIDEO,
        image=jpeg(1920, 1080),
        video=SimpleUploadedFile("clip.mp4", mp4_bytes(), content_type="video/mp4"),
    )
    html = client.get(article.get_absolute_url()).content.decode()
    video = re.search(r"<video [^>]*>", html).group(0)
    assert "controls" in video and f'src="{article.video.url}"' in video
    assert f'poster="{article.picture["src"]}"' in video
    data = json.loads(re.search(r'ld\+json">(.*?)</script>', html).group(1))
    assert data["video"]["@type"] == "VideoObject"
    assert data["video"]["contentUrl"].endswith(article.video.url)
    assert data["video"]["thumbnailUrl"] == data["image"]


@pytest.fixture
def editor(client, media):
    user = StaffFactory(username="editor")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsroom",
            codename__in=[
                "add_article",
                "change_article",
                "view_article",
                "view_service",
                "add_photo",
                "change_photo",
                "delete_photo",
                "view_photo",
            ],
        )
    )
    client.force_login(user)
    return user


def admin_form(client, **fields):
    from newsroom.tests.test_image_limits import FormFields

    page = client.get("/admin/newsroom/article/add/")
    parser = FormFields()
    parser.feed(page.content.decode())
    return {
        **parser.fields,
        "title": "گزارش ویدئویی",
        "lead": "لید",
        "status": "published",
        **fields,
    }


def test_a_video_that_is_not_mp4_is_refused_beside_the_field(client, editor):
    ServiceFactory(name="اخبار")
    renamed = SimpleUploadedFile("clip.mp4", b"RIFF\x00\x00\x00\x00AVI LIST", "video/mp4")
    response = client.post(
        "/admin/newsroom/article/add/", admin_form(client, kind="video", video=renamed)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "این پرونده ویدئوی MP4 نیست" in html
    assert not Article.objects.exists()
    good = SimpleUploadedFile("clip.mp4", mp4_bytes(), "video/mp4")
    response = client.post(
        "/admin/newsroom/article/add/", admin_form(client, kind="video", video=good)
    )
    assert response.status_code == 302
    assert Article.objects.get().video.name.endswith(".mp4")


def test_an_editor_adds_captioned_photos_in_the_admin(client, editor):
    ServiceFactory(name="اخبار")
    data = admin_form(
        client,
        kind="photos",
        **{
            "photos-0-image": jpeg(1600, 1200, "one.jpg"),
            "photos-0-caption": "عکس نخست",
            "photos-0-order": "1",
        },
    )
    response = client.post("/admin/newsroom/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    (photo,) = Article.objects.get().photos.all()
    assert photo.caption == "عکس نخست" and photo.image_width == 1600
    for spec_id in renditions.PICTURE_SPECS:
        file = renditions.cache_file(spec_id, photo.image)
        assert file.storage.exists(file.name)


def test_make_renditions_makes_the_copies_of_pictures_stored_before(media, settings):
    article = ArticleFactory(image=jpeg(2000, 1500))
    Article.objects.filter(pk=article.pk).update(image_width=None, image_height=None)
    for path in (media / "renditions").rglob("*.*"):
        path.unlink()
    article.refresh_from_db()
    assert article.picture["src"] == article.image.url  # until its copies exist
    output = StringIO()
    call_command("make_renditions", stdout=output)
    assert "1 pictures" in output.getvalue()
    article.refresh_from_db()
    assert (article.image_width, article.image_height) == (2000, 1500)
    assert size_of(media, article.picture["src"]) == ("JPEG", (960, 720))


def test_favicon_is_a_real_ico_kept_long(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert "max-age=2592000" in response["Cache-Control"]
    with Image.open(BytesIO(response.content)) as icon:
        assert icon.format == "ICO"
        assert (32, 32) in icon.info["sizes"]
    touch = client.get("/apple-touch-icon.png")
    with Image.open(BytesIO(touch.content)) as icon:
        assert icon.size == (180, 180)


def test_the_logo_for_structured_data_is_a_png_of_at_least_112_pixels():
    from django.contrib.staticfiles import finders

    with Image.open(finders.find("img/logo.png")) as logo:
        assert logo.format == "PNG"
        assert min(logo.size) >= 112


def test_the_demo_has_pictures_and_a_photo_report(media, settings):
    settings.DEMO_PICTURES = True
    call_command("load_demo", stdout=StringIO())
    report = Article.objects.get(kind=Article.Kind.PHOTOS)
    assert report.photos.count() >= 4
    assert all(photo.caption and photo.image_width for photo in report.photos.all())
    pictured = Article.objects.exclude(image="")
    assert pictured.count() >= 6
    assert all(article.image_width >= 1200 for article in pictured)
    assert size_of(media, images.share_images(report.image, 1600, 1200)[0]["url"])[1] == (
        1200,
        675,
    )


def test_a_video_past_the_size_limit_is_refused_in_persian(client, editor, settings):
    ServiceFactory(name="اخبار")
    settings.VIDEO_MAX_MEGABYTES = 0
    video = SimpleUploadedFile("clip.mp4", mp4_bytes(), "video/mp4")
    response = client.post(
        "/admin/newsroom/article/add/", admin_form(client, kind="video", video=video)
    )
    assert response.status_code == 200
    assert "حجم این ویدئو بیش از ۰ مگابایت است" in response.content.decode()
    assert not Article.objects.exists()


def test_a_report_photo_with_too_many_pixels_is_refused_beside_it(client, editor):
    from newsroom.tests.test_image_limits import huge_png

    ServiceFactory(name="اخبار")
    data = admin_form(
        client,
        kind="photos",
        **{
            "photos-0-image": SimpleUploadedFile("huge.png", huge_png(12000, 12000)),
            "photos-0-caption": "عکس بزرگ",
            "photos-0-order": "1",
        },
    )
    response = client.post("/admin/newsroom/article/add/", data)
    assert response.status_code == 200
    assert "مگاپیکسل" in response.content.decode()
    assert not Article.objects.exists() and not Photo.objects.exists()


def test_search_results_show_thumbnails_without_a_query_for_each(client, media):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ArticleFactory(title="بیمه بیکاری نخست", image=jpeg(1600, 900))
    ArticleFactory(title="بیمه بیکاری دوم")
    ArticleFactory(title="بیمه بیکاری سوم", image=jpeg(1600, 900))
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/search/?q=بیمه+بیکاری").content.decode()
    assert html.count('class="thumbnail"') == 2
    # A field left out of the results' query would be read article by article.
    one_by_one = [q["sql"] for q in queries.captured_queries if '"image_width" FROM' in q["sql"]]
    assert one_by_one == []


def test_the_lead_story_shows_its_picture_at_once_and_the_rest_lazily(client, media):
    ArticleFactory(title="تیتر یک با عکس", placement=Article.Placement.LEAD, image=jpeg(2400, 1350))
    ArticleFactory(title="خبر دیگر با عکس", image=jpeg(1600, 900))
    html = client.get("/").content.decode()
    lead = re.search(r'<article class="lead-story">.*?</article>', html, flags=re.S).group(0)
    (picture,) = re.findall(r"<img [^>]*>", lead)
    assert 'fetchpriority="high"' in picture and 'loading="lazy"' not in picture
    assert 'alt=""' in picture and 'aria-hidden="true"' in lead  # the headline says it
    assert "تیتر یک با عکس" in lead
    others = re.findall(r"<img [^>]*>", html.replace(lead, ""))
    assert others and all('loading="lazy"' in img for img in others)
    assert html.count('fetchpriority="high"') == 1
