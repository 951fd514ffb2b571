"""Every main page is valid HTML, as the Nu HTML Checker (vnu.jar) judges it."""

import pytest

from tests.factories import ArticleFactory, CommentFactory, ServiceFactory
from tests.support import html_errors, needs_vnu

pytestmark = [pytest.mark.django_db, needs_vnu]


def test_main_pages_have_no_html_errors(client, tmp_path):
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(
        service=service,
        surtitle="روتیتر",
        body="<h2>بخش</h2><p>متن <a href='https://www.tamin.ir'>پیوند</a></p>"
        "<table><tr><th>ماه</th><td>۱</td></tr></table>",
        tags=["بیمه", "درمان"],
    )
    ArticleFactory(service=service, tags=["بیمه"])
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
    }
    files = []
    for name, url in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).content)
        files.append(str(path))
    refused = client.post(f"/comments/{article.code}/", {"name": "", "text": "hello"})
    (tmp_path / "refused.html").write_bytes(refused.content)
    files.append(str(tmp_path / "refused.html"))

    assert html_errors(files) == []
