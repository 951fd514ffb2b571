"""Scheduled publishing and the record of who published and edited what."""

from datetime import timedelta

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from newsroom.models import Article
from newsroom.text import persian
from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def test_a_scheduled_article_appears_at_its_time_with_no_job_to_run(client, monkeypatch):
    moment = timezone.now() + timedelta(hours=2)
    article = ArticleFactory(published_at=moment, tags=["بیمه"])
    assert client.get(article.get_absolute_url()).status_code == 404

    # One microsecond before its time it is still hidden; at its time it is everywhere.
    monkeypatch.setattr(timezone, "now", lambda: moment - timedelta(microseconds=1))
    assert article not in Article.objects.published()
    assert list(client.get("/tag/بیمه/").context["page"].object_list) == []
    monkeypatch.setattr(timezone, "now", lambda: moment)
    assert article in Article.objects.published()
    assert client.get(article.get_absolute_url()).status_code == 200
    assert list(client.get("/tag/بیمه/").context["page"].object_list) == [article]
    assert article in client.get("/").context["page"].object_list


def test_publishing_and_editing_are_recorded_with_who_and_when(client):
    editor = get_user_model().objects.create_user("editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(editor)
    service = ServiceFactory(name="اخبار")
    now = timezone.localtime()
    form = {
        "title": "خبر تازه",
        "lead": "لید",
        "body": "<p>متن</p>",
        "service": service.pk,
        "tags": "",
        "source": "روابط عمومی",
        "status": "published",
        "published_at": persian.jalali_input(now),
        "comments_open": "on",
        "code": "",
        "kind": "news",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    assert client.post("/admin/newsroom/article/add/", form).status_code == 302
    article = Article.objects.get(title="خبر تازه")
    form["title"] = "خبر تازه (اصلاح‌شده)"
    form["code"] = article.code
    assert client.post(f"/admin/newsroom/article/{article.pk}/change/", form).status_code == 302

    entries = LogEntry.objects.filter(object_id=str(article.pk)).order_by("action_time")
    assert [(e.action_flag, e.user) for e in entries] == [(ADDITION, editor), (CHANGE, editor)]
    assert all(e.action_time for e in entries)


def test_the_record_is_readable_in_the_admin(admin_client):
    ArticleFactory()
    assert admin_client.get("/admin/admin/logentry/").status_code == 200


def test_an_article_edited_after_publication_says_when(client):
    published = timezone.now() - timedelta(days=2)
    article = ArticleFactory(published_at=published)
    Article.objects.filter(pk=article.pk).update(updated_at=published + timedelta(days=1))
    assert "به‌روزرسانی" not in client.get(article.get_absolute_url()).content.decode()
    article.refresh_from_db()
    article.title = "تیتر اصلاح‌شده"
    article.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "به‌روزرسانی" in html
    assert persian.jalali(article.text_revised_at) in html
