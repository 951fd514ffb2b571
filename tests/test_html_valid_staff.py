"""The pages the editors' tools add are valid HTML, as the Nu HTML Checker judges them."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from newsroom.text import persian
from tests.factories import ArticleFactory
from tests.support import html_errors, needs_vnu

pytestmark = [pytest.mark.django_db, needs_vnu]


def test_staff_pages_have_no_html_errors(client, tmp_path):
    article = ArticleFactory(lead="سرپرست ادارهکل گفت: نمیتواند.", tags=["بیمه"])
    editor = get_user_model().objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="ویراستار"))
    moderator = get_user_model().objects.create_user("moderator", is_staff=True)
    moderator.groups.add(Group.objects.get(name="ناظر نظرات"))
    pages = {}
    client.force_login(moderator)
    pages["forbidden"] = client.get(f"/admin/newsroom/article/{article.pk}/change/")
    client.force_login(editor)
    pages["article-for-staff"] = client.get(article.get_absolute_url())
    pages["preview"] = client.post(
        f"/admin/newsroom/article/preview/?of={article.pk}",
        {
            "code": article.code,
            "title": article.title,
            "lead": article.lead,
            "body": article.body,
            "service": article.service.pk,
            "tags": "بیمه",
            "source": article.source,
            "status": "published",
            "published_at": persian.jalali_input(article.published_at),
        },
    )
    files = []
    for name, response in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    assert html_errors(files) == []
