"""The tools editors expect: truthful status, ZWNJs, preview, revisions, bulk publishing,
tag suggestions, images in the body, Persian search and Persian error pages."""

import json
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from newsroom.articles import services
from newsroom.models import Article, Tag
from newsroom.text import persian, zwnj
from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db

LIST = "/admin/newsroom/article/"


def member_of(group, username):
    user = get_user_model().objects.create_user(username, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def editor(client):
    user = member_of("ویراستار", "editor")
    client.force_login(user)
    return user


def form_for(article, **changes):
    data = {
        "code": article.code,
        "surtitle": article.surtitle,
        "title": article.title,
        "lead": article.lead,
        "body": article.body,
        "image_caption": "",
        "kind": "news",
        # The photo report's inline, empty.
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "service": article.service.pk,
        "tags": ", ".join(tag.name for tag in article.tags.all()),
        "source": article.source,
        "status": article.status,
        "published_at": persian.jalali_input(article.published_at),
        "comments_open": "on" if article.comments_open else "",
    }
    data.update(changes)
    return data


def change(client, article, **changes):
    response = client.post(f"{LIST}{article.pk}/change/", form_for(article, **changes))
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    return article


# --- «به‌روزرسانی» only for a changed text -----------------------------------


def test_closing_comments_or_rescheduling_tags_is_not_an_update(client, editor):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=1), tags=["بیمه"])
    change(client, article, comments_open="", tags="بیمه، مستمری")
    assert article.text_revised_at is None
    page = client.get(article.get_absolute_url()).content.decode()
    assert "به‌روزرسانی" not in page


def test_a_changed_body_after_publication_is_an_update_with_its_time(client, editor):
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=1))
    change(client, article, body="<p>متن اصلاح‌شده پس از انتشار.</p>")
    assert article.text_revised_at is not None
    assert article.updated_after_publication


def test_changes_before_publication_are_not_updates(client, editor):
    draft = ArticleFactory(draft=True)
    change(client, draft, title="تیتر پیش از انتشار")
    change(client, draft, status="published", title="تیتر هنگام انتشار")
    assert draft.text_revised_at is None
    scheduled = ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    change(client, scheduled, lead="لید تازهٔ خبر زمان‌بندی‌شده")
    assert scheduled.text_revised_at is None


# --- Bulk publish and unpublish ------------------------------------------------


def test_editors_publish_and_unpublish_many_articles_at_once(client, editor):
    old_draft = ArticleFactory(draft=True, published_at=timezone.now() - timedelta(days=5))
    future_draft = ArticleFactory(draft=True, published_at=timezone.now() + timedelta(days=2))
    live = ArticleFactory()
    response = client.post(
        LIST,
        {"action": "publish_selected", "_selected_action": [old_draft.pk, future_draft.pk]},
        follow=True,
    )
    assert "۲ خبر منتشر یا زمان‌بندی شد." in response.content.decode()
    old_draft.refresh_from_db()
    future_draft.refresh_from_db()
    assert old_draft.is_published
    assert timezone.now() - old_draft.published_at < timedelta(minutes=1)
    assert future_draft.is_scheduled

    response = client.post(
        LIST, {"action": "unpublish_selected", "_selected_action": [live.pk]}, follow=True
    )
    assert "۱ خبر به پیش‌نویس بازگشت." in response.content.decode()
    assert not Article.objects.published().filter(pk=live.pk).exists()
    assert live.history.latest().history_user == editor


def test_deleting_articles_counts_them_in_persian_digits(client):
    client.force_login(get_user_model().objects.create_superuser("chief"))
    articles = [ArticleFactory(), ArticleFactory()]
    chosen = {"action": "delete_selected", "_selected_action": [a.pk for a in articles]}
    html = client.post(LIST, chosen).content.decode()
    summary = html[html.index("<h2>") :]
    assert "۲" in summary and not re.search(r">[^<]*[0-9][^<]*<", summary.split("<form")[0])
    response = client.post(LIST, {**chosen, "post": "yes"}, follow=True)
    (message,) = [str(m) for m in response.context["messages"]]
    assert "2" in message  # Django's own message, in Latin digits …
    html = response.content.decode()
    assert persian.to_persian_digits(message) in html and message not in html  # … shown in Persian
    assert not Article.objects.filter(pk__in=[a.pk for a in articles]).exists()


def test_publishing_renews_the_cached_home_page(client, editor):
    draft = ArticleFactory(draft=True, title="خبری که تازه منتشر می‌شود")
    client.logout()
    assert draft.title not in client.get("/").content.decode()
    services.publish_articles(articles=Article.objects.filter(pk=draft.pk), editor=editor)
    assert draft.title in client.get("/").content.decode()


# --- «اصلاح نیم‌فاصله» ----------------------------------------------------------


def test_restoring_zwnj_shows_the_changes_and_applies_only_those_ticked(client, editor):
    article = ArticleFactory(
        title="فعالیتها و برنامهها",
        lead="سرپرست ادارهکل گفت روابط عمومی نمیتواند پیش برود.",
        body='<p>همکاران استانها <a href="/tag/استانها/">فعالیتهای</a> خود را گفتند.</p>',
    )
    response = client.post(
        LIST, {"action": "restore_zwnj_selected", "_selected_action": [article.pk]}, follow=True
    )
    html = response.content.decode()
    for before, after in [("نمیتواند", "نمی‌تواند"), ("ادارهکل", "اداره‌کل"), ("استانها", "استان‌ها")]:
        assert before in html and after in html
    article.refresh_from_db()
    assert "نمیتواند" in article.lead  # nothing changes before the editor applies

    url = response.redirect_chain[-1][0]
    accepted = ["نمیتواند", "استانها", "فعالیتها"]
    response = client.post(url, {f"words-{article.pk}": accepted}, follow=True)
    assert "نیم‌فاصله‌های ۱ خبر اصلاح شد." in response.content.decode()
    article.refresh_from_db()
    assert "نمی‌تواند" in article.lead
    assert "ادارهکل" in article.lead  # unticked: kept as it was
    assert article.title == "فعالیت‌ها و برنامهها"
    assert "استان‌ها" in article.body
    assert 'href="/tag/استانها/"' in article.body  # addresses are never touched


def test_the_zwnj_tool_is_on_the_article_form(client, editor):
    article = ArticleFactory()
    html = client.get(f"{LIST}{article.pk}/change/").content.decode()
    assert f"zwnj/?ids={article.pk}" in html and "اصلاح نیم‌فاصله" in html


def test_nothing_to_restore_says_so(client, editor):
    article = ArticleFactory(title="تیتر درست", lead="لید درست.", body="<p>متن درست.</p>")
    html = client.get(f"{LIST}zwnj/", {"ids": article.pk}).content.decode()
    assert "چیزی برای اصلاح نیست" in html


def test_the_zwnj_tool_needs_the_right_to_change_articles(client):
    article = ArticleFactory(lead="نمیتواند")
    client.force_login(member_of("ناظر نظرات", "moderator"))
    response = client.get(f"{LIST}zwnj/", {"ids": article.pk})
    assert response.status_code == 403
    assert "دسترسی ندارید" in response.content.decode()


@pytest.mark.parametrize(
    ("word", "restored"),
    [
        ("میشود", "می‌شود"),
        ("نمیتوانند", "نمی‌توانند"),
        ("میتوان", "می‌توان"),
        ("کتابهای", "کتاب‌های"),
        ("شبکههای", "شبکه‌های"),
        ("بزرگترین", "بزرگ‌ترین"),
        ("رسانهای", "رسانه‌ای"),
        ("شدهاند", "شده‌اند"),
        ("تصمیمگیریهای", "تصمیم‌گیری‌های"),
        ("اطلاعرسانی", "اطلاع‌رسانی"),
        ("بهرهمندی", "بهره‌مندی"),
        # Words that only look like a prefix or a suffix stay as they are.
        ("میزان", "میزان"),
        ("میدان", "میدان"),
        ("تنها", "تنها"),
        ("کیلومتر", "کیلومتر"),
        ("بهتر", "بهتر"),
        ("کارها", "کارها"),
        ("ارزشمند", "ارزشمند"),
        ("می‌شود", "می‌شود"),
    ],
)
def test_zwnj_rules(word, restored):
    assert zwnj.restore_word(word) == restored


def test_restoring_zwnj_never_changes_the_matching_form():
    text = "<p>استانها نمیتوانند ادارهکل را <b>شبکههای</b> اجتماعی بدانند.</p>"
    assert persian.normalize(zwnj.apply(text)) == persian.normalize(text)


# --- Preview of an unsaved draft ----------------------------------------------


def test_a_draft_is_previewed_without_being_saved(client, editor):
    service = ServiceFactory(name="اخبار")
    form = {
        "code": "",
        "title": "پیش‌نمایش خبر تازه",
        "lead": "لید خبر تازه",
        "body": "<p>متن ۱۴۰۵</p><script>alert(1)</script>",
        "service": service.pk,
        "tags": "بیمه، مستمری",
        "source": "روابط عمومی",
        "status": "draft",
        "published_at": "1405/09/20 10:30",
        "comments_open": "on",
        "kind": "news",
    }
    response = client.post(f"{LIST}preview/", form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "پیش‌نمایش خبر تازه" in html and "۲۰ آذر ۱۴۰۵ - ۱۰:۳۰" in html
    assert "مستمری" in html
    assert "<script>alert" not in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    assert not Article.objects.exists()


def test_a_saved_articles_unsaved_changes_are_previewed_and_not_kept(client, editor):
    article = ArticleFactory(title="تیتر ذخیره‌شده")
    response = client.post(
        f"{LIST}preview/?of={article.pk}", form_for(article, title="تیتر هنوز ذخیره‌نشده")
    )
    assert "تیتر هنوز ذخیره‌نشده" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "تیتر ذخیره‌شده"
    client.logout()
    assert "تیتر هنوز ذخیره‌نشده" not in client.get(article.get_absolute_url()).content.decode()


def test_a_preview_of_a_form_with_mistakes_lists_them(client, editor):
    article = ArticleFactory()
    response = client.post(
        f"{LIST}preview/?of={article.pk}", form_for(article, published_at="2026-12-11")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "سال باید سالی شمسی میان ۱۳۰۰ و ۱۵۰۰ باشد." in html


def test_the_form_offers_a_preview_button(client, editor):
    html = client.get(f"{LIST}add/").content.decode()
    assert 'formaction="/admin/newsroom/article/preview/"' in html
    assert "پیش‌نمایش بدون ذخیره" in html


# --- Revisions: history, compare, restore --------------------------------------


def test_versions_are_compared_and_an_old_one_restored(client, editor):
    article = ArticleFactory(title="تیتر نخست", lead="لید نخست خبر")
    change(client, article, title="تیتر دوم", lead="لید دوم خبر")
    versions = list(article.history.order_by("history_date"))
    assert len(versions) == 2
    history = client.get(f"{LIST}{article.pk}/history/").content.decode()
    assert "مقایسه با نسخهٔ پیشین" in history
    compare = client.get(f"{LIST}{article.pk}/history/{versions[1].history_id}/compare/")
    html = compare.content.decode()
    assert "<del>نخست</del>" in html and "<ins>دوم</ins>" in html

    old = client.get(f"{LIST}{article.pk}/history/{versions[0].history_id}/")
    assert old.status_code == 200
    assert 'value="تیتر نخست"' in old.content.decode()
    restored = form_for(article, title="تیتر نخست", lead="لید نخست خبر")
    response = client.post(f"{LIST}{article.pk}/history/{versions[0].history_id}/", restored)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "تیتر نخست"
    assert article.history.count() == 3


def test_a_version_page_keeps_the_editor_under_the_policy(client, editor):
    article = ArticleFactory()
    version = article.history.latest()
    html = client.get(f"{LIST}{article.pk}/history/{version.history_id}/").content.decode()
    assert re.search(r'<script type="importmap" nonce="[^"]+"', html)
    assert 'style="' not in html.split("<body")[1]


# --- Tag suggestions -------------------------------------------------------


def test_tag_suggestions_find_existing_tags_with_arabic_letters_folded(client, editor):
    Tag.objects.create(name="بیمه‌شدگان")
    Tag.objects.create(name="مستمری")
    response = client.get(
        "/admin/autocomplete/",
        {"term": "بيمه", "app_label": "newsroom", "model_name": "article", "field_name": "tags"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["بیمه‌شدگان"]
    form = client.get(f"{LIST}add/").content.decode()
    assert 'data-tag-suggestions="/admin/autocomplete/"' in form
    assert "admin/newsroom/tag-suggestions.js" in form


# --- The body editor ---------------------------------------------------------


def test_the_body_editor_has_spell_check_and_persian_menus(client, editor):
    html = client.get(f"{LIST}add/").content.decode()
    config = re.search(r"data-django-prose-editor-configurable=\"([^\"]+)\"", html).group(1)
    extensions = json.loads(config.replace("&quot;", '"'))["extensions"]
    assert "NoSpellCheck" not in extensions
    assert "admin/newsroom/article-editor.js" in html
    catalogue = client.get("/admin/jsi18n/").content.decode()
    for persian_word in ("افزودن جدول", "پررنگ", "سرتیتر ۲", "نشانی تصویر", "انصراف"):
        assert json.dumps(persian_word)[1:-1] in catalogue


def png(width=40, height=30, **info):
    buffer = BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG", **info)
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_an_image_uploaded_from_the_editor_is_stored_and_rewritten(client, editor, media):
    data = png() + b"<script>not an image</script>"
    response = client.post(
        f"{LIST}body-image/", {"image": SimpleUploadedFile("x.png", data, "image/png")}
    )
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/articles/body/")
    name = url.removeprefix("/media/")
    stored = default_storage.open(name).read()
    assert b"<script>" not in stored
    assert Image.open(BytesIO(stored)).size == (40, 30)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not really", "این پرونده تصویر JPEG، PNG یا WebP نیست."),
        (b"<svg onload=alert(1)>", "این پرونده تصویر JPEG، PNG یا WebP نیست."),
    ],
)
def test_what_is_not_an_image_is_refused_in_persian(client, editor, media, content, message):
    response = client.post(
        f"{LIST}body-image/", {"image": SimpleUploadedFile("x.png", content, "image/png")}
    )
    assert response.status_code == 400
    assert response.json()["error"] == message


def test_an_image_with_too_many_pixels_is_refused_before_it_is_decoded(client, editor, media):
    huge = SimpleUploadedFile("huge.png", png(8000, 6000), "image/png")
    response = client.post(f"{LIST}body-image/", {"image": huge})
    assert response.status_code == 400
    assert "میلیون پیکسل" in response.json()["error"]


def test_a_moderator_cannot_upload_body_images(client, media):
    client.force_login(member_of("ناظر نظرات", "moderator"))
    response = client.post(
        f"{LIST}body-image/", {"image": SimpleUploadedFile("x.png", png(), "image/png")}
    )
    assert response.status_code == 403


# --- Search as readers search ----------------------------------------------------


def test_admin_search_folds_arabic_letters_and_zwnj(client, editor):
    ArticleFactory(title="افزایش مستمری بیمه‌شدگان", lead="لید")
    ArticleFactory(title="خبری دیگر", lead="لید", body="<p>درباره بیمه بیکاری</p>")
    ArticleFactory(title="بی‌ربط", lead="لید")
    for typed, count in [("بيمه", 2), ("بیمه", 2), ("بیمهشدگان", 1), ("بيمه‌شدگان", 1)]:
        response = client.get(LIST, {"q": typed})
        assert response.context["cl"].result_count == count, typed


def test_admin_search_by_news_code_in_persian_digits(client, editor):
    ArticleFactory(code=77759)
    ArticleFactory(code=77760)
    response = client.get(LIST, {"q": "۷۷۷۵۹"})
    assert [a.code for a in response.context["cl"].result_list] == [77759]


# --- Persian everywhere ------------------------------------------------------


def test_screen_reader_labels_are_persian(client, editor):
    html = client.get("/admin/").content.decode()
    assert "Model name" not in html and "Breadcrumbs" not in html
    html = client.get(LIST).content.decode()
    assert 'aria-label="Breadcrumbs"' not in html


def test_a_forbidden_admin_page_is_persian(client):
    article = ArticleFactory()
    client.force_login(member_of("ناظر نظرات", "moderator"))
    response = client.get(f"{LIST}{article.pk}/change/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "دسترسی ندارید" in html and "Forbidden" not in html
    assert 'lang="fa" dir="rtl"' in html


def test_a_missing_admin_page_is_persian(client, editor):
    response = client.get(f"{LIST}999999/history/")
    assert response.status_code == 404
    assert 'lang="fa"' in response.content.decode()


@override_settings(DEBUG=False, DEBUG_PROPAGATE_EXCEPTIONS=False)
def test_a_server_error_in_the_admin_is_persian(client, editor, monkeypatch):
    from newsroom.articles import admin_views

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(admin_views.services, "zwnj_changes", broken)
    client.raise_request_exception = False
    article = ArticleFactory()
    response = client.get(f"{LIST}zwnj/", {"ids": article.pk})
    assert response.status_code == 500
    assert 'lang="fa"' in response.content.decode()


# --- «ویرایش» on the public article ------------------------------------------


def test_editors_see_an_edit_link_that_anonymous_cached_pages_never_carry(client, editor):
    article = ArticleFactory()
    url = article.get_absolute_url()
    staff_page = client.get(url)
    edit = f'href="/admin/newsroom/article/{article.pk}/change/"'
    assert edit in staff_page.content.decode() and "ویرایش" in staff_page.content.decode()

    client.logout()
    client.cookies.clear()
    first = client.get(url)
    second = client.get(url)
    for response in (first, second):
        assert edit not in response.content.decode()
        assert "Cookie" not in response.get("Vary", "")
    # The second anonymous reader got the shared page from the cache, and it has no link either.
    assert second["X-Page-Cache"] == "hit"


def test_staff_who_may_not_edit_articles_see_no_edit_link(client):
    article = ArticleFactory()
    client.force_login(member_of("ناظر نظرات", "moderator"))
    html = client.get(article.get_absolute_url()).content.decode()
    assert f"/admin/newsroom/article/{article.pk}/change/" not in html
