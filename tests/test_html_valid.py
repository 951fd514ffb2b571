"""Every main page is valid HTML, as the Nu HTML Checker (vnu.jar) judges it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from newsroom.models import BreakingNews
from newsroom.text import jalali
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory
from tests.support import html_errors, needs_vnu

pytestmark = [pytest.mark.django_db, needs_vnu]


def test_main_pages_have_no_html_errors(client, tmp_path, settings):
    settings.OFFICE_CHANNELS = {"telegram": "https://t.me/tamin", "eitaa": "https://eitaa.com/t"}
    settings.MEDIA_ROOT = tmp_path / "media"
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(
        service=service,
        surtitle="روتیتر",
        body="<h2>بخش</h2><p>متن <a href='https://www.tamin.ir'>پیوند</a></p>"
        "<table><tr><th>ماه</th><td>۱</td></tr></table>",
        tags=["بیمه", "درمان"],
    )
    ArticleFactory(service=service, tags=["بیمه"], placement="lead", surtitle="روتیتر")
    ArticleFactory(service=service, placement="featured")
    BreakingNews.objects.create(
        text="خبر فوری", article=article, ends_at=timezone.now() + timedelta(hours=1)
    )
    parent = CommentFactory(article=article, text="خط اول\nخط دوم")
    CommentFactory(article=article, parent=parent, thread=parent)
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "reply": f"/comments/{article.code}/?reply_to={parent.pk}",
        "service": service.get_absolute_url(),
        "tag": "/tag/بیمه/",
        "search": "/search/?q=بیمه",
        "no-results": "/search/?q=ناموجود",
        "comment-form": f"/comments/{article.code}/",
        "not-found": "/news/1/",
        "archive": "/archive/",
        "archive-month": f"/archive/{jalali.current_year(timezone.localdate())}/01/",
        "archive-refused": "/archive/?year=1&month=x",
        "about": "/about/",
        "contact": "/contact/",
        **picture_pages(service),
    }
    files = []
    for name, url in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    refused = client.post(f"/comments/{article.code}/", {"name": "", "text": "hello"})
    (tmp_path / "refused.html").write_bytes(refused.content)
    files.append(str(tmp_path / "refused.html"))
    files += following_pages(client, tmp_path, article, parent)

    assert html_errors(files) == []


def picture_pages(service):
    """A photo report, a video article and an article with a picture, listed with thumbnails."""
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from newsroom.models import Article, Photo

    def jpeg(name):
        buffer = BytesIO()
        Image.new("RGB", (1600, 1200), "#0b4f8a").save(buffer, "JPEG")
        return SimpleUploadedFile(name, buffer.getvalue())

    pictured = ArticleFactory(service=service, image=jpeg("a.jpg"), image_caption="شرح «تصویر»")
    report = ArticleFactory(service=service, kind=Article.Kind.PHOTOS, image=jpeg("r.jpg"))
    for order in range(3):
        Photo.objects.create(
            article=report, image=jpeg(f"p{order}.jpg"), caption=f"شرح {order}", order=order
        )
    video = ArticleFactory(
        service=service,
        kind=Article.Kind.VIDEO,
        image=jpeg("v.jpg"),
        image_caption="شرح ویدئو",
        video=SimpleUploadedFile("v.mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"),
    )
    return {
        "pictured": pictured.get_absolute_url(),
        "photo-report": report.get_absolute_url(),
        "video": video.get_absolute_url(),
        "service-with-thumbnails": service.get_absolute_url(),
    }


def following_pages(client, tmp_path, article, parent):
    """The pages readers follow their comments on: the code, its lookup, votes, answers."""
    from django.http import HttpResponse

    from comments import tracking
    from comments.models import Comment
    from comments.reader_views import SENT_COOKIE, remember_sent

    CommentFactory(article=article, parent=parent, thread=parent, is_official=True, text="پاسخ")
    answered = tracking.create_with_code(
        article=article, name="مریم", text="پرسش؟", status="approved"
    )
    Comment.objects.create(
        article=article,
        parent=answered,
        thread=answered,
        name="روابط عمومی",
        text="پاسخ رسمی",
        status="approved",
        is_official=True,
    )
    rejected = tracking.create_with_code(
        article=article, name="علی", text="نظر", status="rejected", broken_rule="insult"
    )
    pages = {"sent-without-code": client.get(f"/comments/{article.code}/sent/")}
    sent = remember_sent(HttpResponse(), answered)
    client.cookies[SENT_COOKIE] = sent.cookies[SENT_COOKIE].value
    pages |= {
        "sent": client.get(f"/comments/{article.code}/sent/"),
        "track": client.get("/comments/track/"),
        "track-answered": client.post("/comments/track/", {"code": answered.tracking_code}),
        "track-rejected": client.post("/comments/track/", {"code": rejected.tracking_code}),
        "track-wrong": client.post("/comments/track/", {"code": "12"}),
        "vote": client.get(f"/comments/vote/{parent.pk}/", {"value": "like"}),
        "answered": client.get(f"/comments/{article.code}/answered/"),
        "thread": client.get(f"/comments/{article.code}/thread/{parent.pk}/"),
        "liked": client.get(article.get_absolute_url(), {"order": "liked"}),
    }
    files = []
    assert "tracking-code" in pages["sent"].content.decode()
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    return files
