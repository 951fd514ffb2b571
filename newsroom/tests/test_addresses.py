"""Every service and tag has an address, whatever an editor names it.

A service named «***» once had an empty slug: the menu on every page could
not link to it and the whole site answered 500. A tag «!!!» broke its
article's page and the tag sitemap.
"""

import re
from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone

from newsroom.models import Article, Service, Tag
from newsroom.site.roles import EDITORS
from newsroom.text import jalali
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

pytestmark = pytest.mark.django_db

BLANK_NAME = "نشان نمی‌دهد"


@pytest.fixture
def editor():
    user = get_user_model().objects.create_user("editor", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def add_service(editor, name, slug=""):
    return editor.post(
        "/admin/newsroom/service/add/", {"name": name, "slug": slug, "position": "3"}
    )


def every_page(article, service):
    year, month = jalali.current_month(timezone.localtime(article.published_at).date())
    return [
        "/",
        article.get_absolute_url(),
        service.get_absolute_url(),
        service.get_absolute_url() + "feed/",
        "/tag/بیمه/",
        "/search/?q=بیمه",
        f"/archive/{year}/{month:02d}/",
        "/archive/",
        f"/comments/{article.code}/",
        "/feed/",
        "/feed/atom/",
        "/sitemap.xml",
        "/sitemap-services.xml",
        "/sitemap-tags.xml",
        "/sitemap-articles.xml",
        "/sitemap-news.xml",
        "/robots.txt",
    ]


@pytest.mark.parametrize("name", ["***", "!!!", "؟", "—", "«»"])
def test_every_page_answers_with_a_punctuation_named_service_in_the_menu(editor, name):
    assert add_service(editor, name).status_code == 302
    service = Service.objects.get(name=name)
    article = ArticleFactory(service=service, tags=["بیمه"])
    CommentFactory(article=article)
    reader = Client(raise_request_exception=False)
    for url in every_page(article, service):
        response = reader.get(url)
        assert response.status_code == 200, url
    home = reader.get("/").content.decode()
    assert f'href="{service.get_absolute_url()}"' in home
    assert service.get_absolute_url() == "/service/%D8%B3%D8%B1%D9%88%DB%8C%D8%B3/"


def test_two_services_without_letters_get_two_addresses(editor):
    add_service(editor, "***")
    add_service(editor, "!!!")
    add_service(editor, "سرویس")  # a real name that is the fallback word itself
    slugs = sorted(Service.objects.values_list("slug", flat=True))
    assert slugs == ["سرویس", "سرویس-2", "سرویس-3"]
    reader = Client()
    for service in Service.objects.all():
        page = reader.get(service.get_absolute_url())
        assert page.status_code == 200
        assert service.name in page.content.decode()


@pytest.mark.parametrize("name", ["!!!", "؟؟؟", "***", "…"])
def test_a_punctuation_tag_keeps_its_article_and_the_tag_sitemap_working(name):
    article = ArticleFactory(tags=[name, "بیمه"])
    tag = Tag.objects.get(name=name)
    assert tag.slug.startswith("برچسب")
    reader = Client(raise_request_exception=False)
    page = reader.get(article.get_absolute_url())
    assert page.status_code == 200
    assert f'href="{tag.get_absolute_url()}"' in page.content.decode()
    assert reader.get(tag.get_absolute_url()).status_code == 200
    sitemap = reader.get("/sitemap-tags.xml")
    assert sitemap.status_code == 200
    assert unquote(tag.get_absolute_url()) in unquote(sitemap.content.decode())


def test_two_punctuation_tags_get_two_addresses():
    ArticleFactory(tags=["!!!", "؟؟؟"])
    slugs = sorted(Tag.objects.values_list("slug", flat=True))
    assert slugs == ["برچسب", "برچسب-1"]


def test_a_long_name_leaves_room_for_the_number_that_tells_it_apart(editor):
    # Names of up to 100 characters whose slugs are the same 90-character stem.
    names = [("بیمه " * 19).strip() + " " + "!" * (copy + 1) for copy in range(3)]
    for name in names:
        assert len(name) <= 100
        ArticleFactory(tags=[name])
        ServiceFactory(name=name)
    for model in (Tag, Service):
        slugs = list(model.objects.filter(name__in=names).values_list("slug", flat=True))
        assert len(set(slugs)) == 3
        assert all(0 < len(slug) <= 100 for slug in slugs)
    for service in Service.objects.filter(name__in=names):
        assert Client().get(service.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("name", ["\u200b", "\u200c\u200c", "\u3164", "\u2800 \u200f", " \u0651 "])
def test_a_service_name_that_shows_nothing_is_refused_beside_the_field(editor, name):
    response = add_service(editor, name)
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'id="id_name_error".*?</ul>', html, re.S)
    assert errors and BLANK_NAME in errors.group(0)
    assert not Service.objects.exists()


def test_a_tag_that_shows_nothing_is_refused_in_the_tag_admin(editor):
    response = editor.post("/admin/newsroom/tag/add/", {"name": "\u3164", "slug": "x"})
    assert response.status_code == 200
    assert BLANK_NAME in response.content.decode()
    assert not Tag.objects.exists()


def test_an_invisible_tag_in_an_article_is_refused_with_the_text_kept(editor):
    from newsroom.tests.test_image_limits import FormFields

    ServiceFactory(name="اخبار")
    parser = FormFields()
    parser.feed(editor.get("/admin/newsroom/article/add/").content.decode())
    typed = "بیمه، \u200b، درمان"
    response = editor.post(
        "/admin/newsroom/article/add/",
        {
            **parser.fields,
            "title": "خبری با برچسب پنهان",
            "lead": "لید خبر.",
            "tags": typed,
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.search(r'id="id_tags_error".*?</ul>', html, re.S)
    assert errors and "برچسب" in errors.group(0)
    assert "خبری با برچسب پنهان" in html and "درمان" in html
    assert not Article.objects.exists()


def test_an_editor_deletes_a_service_made_by_mistake(editor):
    add_service(editor, "***")
    service = Service.objects.get()
    page = editor.get(f"/admin/newsroom/service/{service.pk}/delete/")
    assert page.status_code == 200
    response = editor.post(f"/admin/newsroom/service/{service.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Service.objects.exists()
    assert Client().get("/").status_code == 200


def test_a_service_with_articles_is_not_deleted_and_the_admin_says_why(editor):
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(service=service)
    response = editor.post(f"/admin/newsroom/service/{service.pk}/delete/", {"post": "yes"})
    assert response.status_code == 200
    assert "امکان حذف سرویس نیست" in response.content.decode()
    assert Service.objects.filter(pk=service.pk).exists()
    assert Article.objects.filter(pk=article.pk).exists()


def test_the_database_refuses_an_empty_slug():
    service = ServiceFactory(name="اخبار")
    with pytest.raises(IntegrityError):
        Service.objects.filter(pk=service.pk).update(slug="")


@pytest.mark.django_db(transaction=True)
def test_services_and_tags_stored_with_an_empty_slug_get_an_address_on_upgrade():
    executor = MigrationExecutor(connection)
    (repair,) = [
        node
        for node in executor.loader.graph.nodes
        if node[0] == "newsroom" and node[1].endswith("_every_service_and_tag_has_an_address")
    ]
    before = executor.loader.graph.node_map[repair].parents
    before = [parent.key for parent in before if parent.key[0] == "newsroom"]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps
        old.get_model("newsroom", "Service").objects.create(name="***", slug="")
        old.get_model("newsroom", "Service").objects.create(name="سرویس", slug="سرویس")
        old.get_model("newsroom", "Tag").objects.create(name="!!!", slug="", key="!!!")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert sorted(Service.objects.values_list("slug", flat=True)) == ["سرویس", "سرویس-2"]
    assert Tag.objects.get(name="!!!").slug == "برچسب"
    assert Client().get("/").status_code == 200
