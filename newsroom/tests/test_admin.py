"""Editors publish through the admin, in Persian."""

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from newsroom.models import Article
from newsroom.text import persian
from tests.factories import ArticleFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = StaffFactory(username="editor")
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="newsroom",
            codename__in=[
                "add_article",
                "change_article",
                "view_article",
                "view_service",
                "add_tag",
                "view_tag",
            ],
        )
    )
    client.force_login(user)
    return user


def article_form(service, **changes):
    now = timezone.localtime().replace(second=0, microsecond=0)
    data = {
        "code": "",
        "surtitle": "",
        "title": "اطلاعیه تمدید مهلت ارسال فهرست بیمه",
        "lead": "مهلت ارسال فهرست بیمه کارفرمایان تمدید شد.",
        "body": '<p>متن</p><script>alert(1)</script><p><a href="javascript:x()">بد</a></p>',
        "image_caption": "",
        "kind": "news",
        # The photo report's inline, empty.
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "service": service.pk,
        "tags": "کارفرمایان، حق بیمه",
        "source": "روابط عمومی سازمان تأمین اجتماعی",
        "status": "published",
        "published_at": persian.jalali_input(now),
        "comments_open": "on",
    }
    data.update(changes)
    return data


def test_editor_creates_an_article_with_tags_and_gets_the_next_news_code(client, editor):
    ArticleFactory(code=77800)
    service = ServiceFactory(name="اطلاعیه‌ها")
    response = client.post("/admin/newsroom/article/add/", article_form(service))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(title="اطلاعیه تمدید مهلت ارسال فهرست بیمه")
    assert article.code == 77801
    assert sorted(tag.name for tag in article.tags.all()) == ["حق بیمه", "کارفرمایان"]
    assert "<script>" not in article.body and "alert" not in article.body
    assert "javascript" not in article.body
    assert article.author == editor
    assert article.is_published


def test_two_articles_cannot_share_a_news_code(client, editor):
    ArticleFactory(code=77900)
    service = ServiceFactory(name="اخبار")
    response = client.post("/admin/newsroom/article/add/", article_form(service, code="77900"))
    assert response.status_code == 200
    assert "کد خبر" in response.content.decode()
    assert Article.objects.filter(code=77900).count() == 1


def test_admin_speaks_persian_right_to_left(client, editor):
    response = client.get("/admin/newsroom/article/add/")
    html = response.content.decode()
    assert 'lang="fa" dir="rtl"' in html
    assert "روتیتر" in html and "تیتر" in html and "برچسب‌ها" in html


def test_article_list_has_search_and_filters(client, editor):
    ArticleFactory(code=77759, title="ضرورت بازتعریف فعالیت‌ها")
    ArticleFactory(title="خبر دیگر", draft=True)
    found = client.get("/admin/newsroom/article/", {"q": "۷۷۷۵۹"})
    assert list(found.context["cl"].result_list.values_list("code", flat=True)) == [77759]
    drafts = client.get("/admin/newsroom/article/", {"state": "draft"})
    assert [a.title for a in drafts.context["cl"].result_list] == ["خبر دیگر"]
    by_title = client.get("/admin/newsroom/article/", {"q": "بازتعریف"})
    assert by_title.context["cl"].result_count == 1
