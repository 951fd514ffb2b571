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
