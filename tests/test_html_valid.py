"""Every main page is valid HTML, as the Nu HTML Checker (vnu.jar) judges it."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

VNU_JAR = Path(
    os.environ.get(
        "VNU_JAR",
        Path(settings.BASE_DIR) / ".cache/vnu/node_modules/vnu-jar/build/dist/vnu.jar",
    )
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not VNU_JAR.exists() or shutil.which("java") is None,
        reason="the Nu HTML Checker needs java and vnu.jar (`make vnu` installs it)",
    ),
]


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
        "reply": f"{article.get_absolute_url()}?reply_to={parent.pk}",
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

    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]
    assert errors == []
