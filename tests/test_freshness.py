"""Every kind of change is seen by the very next anonymous request, on every page that shows it.

Each test first has the pages kept (the second request is a hit), then
makes the change the way an editor, a moderator, the scheduler or an
operator's shell makes it, then reads the pages again as a new reader.
The suite runs on the embedded default's file cache and on Redis (CI).
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from comments.models import Comment
from comments.services import answer_officially, moderate_comments
from newsroom.articles.services import publish_articles, unpublish_articles
from newsroom.delivery.pages import HIT_HEADER
from newsroom.models import Article, Service, Tag
from newsroom.text import persian
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db

CLOSED = "امکان ارسال نظر برای این خبر بسته است"


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def most_commented_box(response):
    html = response.content.decode()
    found = re.search(r'aria-labelledby="most-commented-heading">(.*?)</section>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split()) if found else ""


def read(url):
    """What a new reader gets."""
    return Client().get(url)


def kept(*urls):
    """Have these pages kept, and check that they are."""
    for url in urls:
        read(url)
        response = read(url)
        assert response.status_code == 200, url
        assert response[HIT_HEADER] == "hit", url


@pytest.fixture
def service():
    return ServiceFactory(name="اخبار")


@pytest.fixture
def article(service):
    return ArticleFactory(service=service, title="افزایش مستمری بازنشستگان", tags=["مستمری"])


@pytest.fixture
def lists(service):
    return ["/", service.get_absolute_url(), "/tag/مستمری/"]


@pytest.fixture
def editor():
    return StaffFactory(username="editor")


@pytest.fixture
def moderator():
    user = StaffFactory(username="moderator")
    user.groups.add(Group.objects.get(name="ناظر نظرات"))
    return user


@pytest.fixture
def moderator_client(moderator):
    staff = Client()
    staff.force_login(moderator)
    return staff


# Articles


def test_publishing_shows_the_article_on_every_list_at_once(article, lists, editor):
    draft = ArticleFactory(service=article.service, title="خبر تازه منتشرشده", tags=["مستمری"],
                           draft=True)  # fmt: skip
    kept(*lists)
    assert read(draft.get_absolute_url()).status_code == 404
    assert publish_articles(articles=[draft], editor=editor) == 1
    for url in lists:
        assert "خبر تازه منتشرشده" in text_of(read(url)), url
    assert read(draft.get_absolute_url()).status_code == 200


def test_unpublishing_removes_the_article_everywhere_at_once(article, lists, editor):
    kept(article.get_absolute_url(), *lists)
    assert unpublish_articles(articles=Article.objects.filter(pk=article.pk), editor=editor) == 1
    assert read(article.get_absolute_url()).status_code == 404
    for url in lists:
        assert "افزایش مستمری بازنشستگان" not in text_of(read(url)), url


def test_an_edit_shows_on_the_article_and_the_lists_at_once(article, lists):
    kept(article.get_absolute_url(), *lists)
    article.lead = "خلاصه‌ای که ویراستار نوشت"
    article.save()
    assert "خلاصه‌ای که ویراستار نوشت" in text_of(read(article.get_absolute_url()))
    for url in lists:
        assert "خلاصه‌ای که ویراستار نوشت" in text_of(read(url)), url


def test_an_edit_in_the_admin_shows_at_once(article, editor):
    editor.is_superuser = True
    editor.save()
    staff = Client()
    staff.force_login(editor)
    kept(article.get_absolute_url(), "/")
    form = {
        "code": article.code,
        "title": "تیتری که در پیشخوان اصلاح شد",
        "lead": article.lead,
        "body": article.body,
        "service": article.service.pk,
        "tags": "مستمری",
        "source": article.source,
        "status": "published",
        "published_at": persian.jalali_input(timezone.localtime(article.published_at)),
        "comments_open": "on",
        "kind": "news",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
    }
    response = staff.post(f"/admin/newsroom/article/{article.pk}/change/", form)
    assert response.status_code == 302
    old_address, article = article.get_absolute_url(), Article.objects.get(pk=article.pk)
    assert read(old_address)["Location"] == article.get_absolute_url()
    assert "تیتری که در پیشخوان اصلاح شد" in text_of(read(article.get_absolute_url()))
    assert "تیتری که در پیشخوان اصلاح شد" in text_of(read("/"))


def test_an_update_in_the_shell_shows_at_once(article, lists):
    kept(*lists)
    Article.objects.filter(pk=article.pk).update(title="تیتری که از پوسته عوض شد")
    for url in lists:
        assert "تیتری که از پوسته عوض شد" in text_of(read(url)), url


def test_a_view_count_written_renews_nothing(article):
    kept(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(view_count=10)
    assert read(article.get_absolute_url())[HIT_HEADER] == "hit"


def test_a_scheduled_article_appears_everywhere_when_its_time_comes(article, lists, monkeypatch):
    moment = timezone.now() + timedelta(hours=2)
    scheduled = ArticleFactory(service=article.service, title="خبر زمان‌بندی‌شده",
                               tags=["مستمری"], published_at=moment)  # fmt: skip
    kept(*lists)
    assert read(scheduled.get_absolute_url()).status_code == 404
    for url in lists:
        assert "خبر زمان‌بندی‌شده" not in text_of(read(url)), url

    monkeypatch.setattr(timezone, "now", lambda: moment + timedelta(seconds=1))
    for url in lists:
        assert "خبر زمان‌بندی‌شده" in text_of(read(url)), url
    assert read(scheduled.get_absolute_url()).status_code == 200


def test_deleting_an_article_removes_it_everywhere(article, lists):
    address = article.get_absolute_url()
    kept(address, *lists)
    article.delete()
    assert read(address).status_code == 404
    for url in lists:
        assert "افزایش مستمری بازنشستگان" not in text_of(read(url)), url


def test_closing_comments_shows_at_once(article):
    kept(article.get_absolute_url())
    article.comments_open = False
    article.save()
    assert CLOSED in text_of(read(article.get_absolute_url()))


def test_closing_comments_of_many_articles_at_once(article):
    kept(article.get_absolute_url())
    Article.objects.filter(pk=article.pk).update(comments_open=False)
    assert CLOSED in text_of(read(article.get_absolute_url()))


def test_a_renamed_service_or_tag_shows_in_every_menu_and_page(article, lists):
    kept(article.get_absolute_url(), *lists)
    Service.objects.filter(pk=article.service.pk).first().save()  # a save with no change
    service = article.service
    service.name = "اخبار سازمان"
    service.save()
    tag = Tag.objects.get(name="مستمری")
    tag.name = "مستمری بازنشستگان"
    tag.save()
    page = text_of(read(article.get_absolute_url()))
    assert "اخبار سازمان" in page and "مستمری بازنشستگان" in page
    assert "اخبار سازمان" in text_of(read("/"))


def test_a_new_service_appears_in_every_menu_at_once(article):
    kept("/", article.get_absolute_url())
    ServiceFactory(name="خدمت تازه")
    for url in ("/", article.get_absolute_url()):
        assert "خدمت تازه" in text_of(read(url))


def test_the_demo_loaded_on_a_running_site_shows_at_once():
    kept("/")
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert "کد خبر" in text_of(Client().get("/news/77759/", follow=True))
    assert "ضرورت بازتعریف فعالیت‌ها" in text_of(read("/"))


# Comments


def test_an_approval_shows_on_the_article_and_in_the_rankings_at_once(article, moderator_client):
    other = ArticleFactory(service=article.service, title="خبری دیگر")
    comment = CommentFactory(article=article, status="pending", text="نظری که منتظر است")
    kept(article.get_absolute_url(), other.get_absolute_url(), "/")
    assert "افزایش مستمری بازنشستگان" not in most_commented_box(read("/"))

    response = moderator_client.post(
        "/admin/comments/comment/", {"action": "mark_approved", "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302
    page = read(article.get_absolute_url())
    assert "نظری که منتظر است" in text_of(page)
    assert "نظرات (۱)" in text_of(page)
    # «پربحث‌ترین» on the home page and beside other articles.
    for url in ("/", other.get_absolute_url()):
        assert "افزایش مستمری بازنشستگان" in most_commented_box(read(url)), url


def test_a_rejection_removes_the_comment_at_once(article, moderator_client):
    comment = CommentFactory(article=article, text="نظری که برداشته می‌شود")
    kept(article.get_absolute_url(), "/")
    assert "افزایش مستمری بازنشستگان" in most_commented_box(read("/"))
    moderator_client.post(
        "/admin/comments/comment/", {"action": "mark_rejected", "_selected_action": [comment.pk]}
    )
    assert "نظری که برداشته می‌شود" not in text_of(read(article.get_absolute_url()))
    assert "افزایش مستمری بازنشستگان" not in most_commented_box(read("/"))


def test_an_official_answer_shows_at_once(article, moderator_client):
    comment = CommentFactory(article=article, status="pending", text="پرسش یک بیمه‌شده")
    kept(article.get_absolute_url())
    moderator_client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"status": "pending", "official_answer": "پاسخ روابط عمومی به این پرسش"},
    )
    page = text_of(read(article.get_absolute_url()))
    assert "پرسش یک بیمه‌شده" in page
    assert "پاسخ روابط عمومی به این پرسش" in page


def test_an_answer_given_by_the_service_shows_at_once(article, moderator):
    comment = CommentFactory(article=article, text="پرسشی دیگر")
    kept(article.get_absolute_url())
    answer_officially(comment=comment, text="پاسخی که از سرویس آمد", staff=moderator)
    assert "پاسخی که از سرویس آمد" in text_of(read(article.get_absolute_url()))


def test_a_deleted_comment_disappears_at_once(article):
    comment = CommentFactory(article=article, text="نظری که پاک می‌شود")
    kept(article.get_absolute_url())
    comment.delete()
    assert "نظری که پاک می‌شود" not in text_of(read(article.get_absolute_url()))


def test_a_new_pending_comment_leaves_the_kept_page_alone(article):
    kept(article.get_absolute_url())
    CommentFactory(article=article, status="pending")
    assert read(article.get_absolute_url())[HIT_HEADER] == "hit"


def test_an_approval_renders_again_only_what_it_changed(
    article, moderator, django_assert_max_num_queries
):
    """Another article's page is rendered again for the rankings, its own parts still kept."""
    other = ArticleFactory(service=article.service, title="خبری دیگر", tags=["مستمری"])
    kept(other.get_absolute_url())
    comment = CommentFactory(article=article, status="pending")
    moderate_comments(comments=Comment.objects.filter(pk=comment.pk), status="approved",
                      moderator=moderator)  # fmt: skip
    # The article itself, and the two rankings of the popular box.
    with django_assert_max_num_queries(3):
        assert read(other.get_absolute_url())[HIT_HEADER] == "miss"


def test_a_comment_rejected_from_the_shell_disappears_at_once(article):
    comment = CommentFactory(article=article, text="نظری که از پوسته رد می‌شود")
    kept(article.get_absolute_url())
    Comment.objects.filter(pk=comment.pk).update(status=Comment.Status.REJECTED)
    assert "نظری که از پوسته رد می‌شود" not in text_of(read(article.get_absolute_url()))
