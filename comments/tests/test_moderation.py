"""The moderator's side: the queue, bulk decisions, and a role that does only this."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def member_of(group_name, username):
    user = get_user_model().objects.create_user(username, password="x-long-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def moderator(client):
    user = member_of("ناظر نظرات", "moderator")
    client.force_login(user)
    return user


def test_queue_lists_pending_first_and_oldest_first(client, moderator):
    article = ArticleFactory()
    approved = CommentFactory(article=article, status="approved", text="تأییدشده")
    old_pending = CommentFactory(article=article, status="pending", text="قدیمی")
    new_pending = CommentFactory(
        article=article,
        status="pending",
        text="تازه",
        flags="links",
        flag_reason="۲ پیوند",
    )
    response = client.get("/admin/comments/comment/")
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [old_pending, new_pending, approved]
    html = response.content.decode()
    assert "۲ پیوند" in html and "links" in html


@pytest.mark.parametrize(
    ("action", "status"),
    [("mark_approved", "approved"), ("mark_rejected", "rejected"), ("mark_spam", "spam")],
)
def test_bulk_actions_record_who_and_when(client, moderator, action, status):
    comments = CommentFactory.create_batch(3, status="pending")
    response = client.post(
        "/admin/comments/comment/",
        {"action": action, "_selected_action": [c.pk for c in comments]},
    )
    assert response.status_code == 302
    for comment in Comment.objects.all():
        assert comment.status == status
        assert comment.moderated_by == moderator
        assert comment.moderated_at is not None


def test_filters_by_status_and_flag(client, moderator):
    CommentFactory(status="pending", flags="links")
    CommentFactory(status="pending")
    CommentFactory(status="approved")
    assert (
        client.get("/admin/comments/comment/", {"status": "pending"}).context["cl"].result_count
        == 2
    )
    assert client.get("/admin/comments/comment/", {"flag": "links"}).context["cl"].result_count == 1


def test_moderator_cannot_edit_articles_or_manage_users(client, moderator):
    article = ArticleFactory()
    assert client.get(f"/admin/newsroom/article/{article.pk}/change/").status_code == 403
    assert client.get("/admin/newsroom/article/add/").status_code == 403
    assert client.get("/admin/auth/user/").status_code == 403


def test_editor_cannot_moderate_comments_or_manage_users(client):
    client.force_login(member_of("ویراستار", "editor"))
    comment = CommentFactory(status="pending")
    client.post(
        "/admin/comments/comment/", {"action": "mark_approved", "_selected_action": [comment.pk]}
    )
    client.post(f"/admin/comments/comment/{comment.pk}/change/", {"status": "approved"})
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert "mark_approved" not in client.get("/admin/comments/comment/").content.decode()
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get("/admin/comments/blockedterm/").status_code == 403
    assert client.get("/admin/newsroom/article/add/").status_code == 200


def test_editor_answers_a_comment_officially(client):
    editor = member_of("ویراستار", "editor")
    client.force_login(editor)
    comment = CommentFactory(status="approved", text="بیمه بیکاری چگونه است؟")
    response = client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"official_answer": "از سامانه خدمات غیرحضوری درخواست دهید."},
    )
    assert response.status_code == 302
    answer = Comment.objects.get(is_official=True)
    assert (answer.parent, answer.moderated_by) == (comment, editor)


def test_blocked_terms_are_managed_by_moderators(client, moderator):
    response = client.post("/admin/comments/blockedterm/add/", {"term": "واژه‌ زشت", "note": ""})
    assert response.status_code == 302


def test_filter_by_article_and_date(client, moderator):
    article = ArticleFactory(code=77759)
    CommentFactory(article=article, status="pending")
    CommentFactory(status="pending")
    response = client.get("/admin/comments/comment/")
    assert "77759" in response.content.decode()
    by_article = client.get("/admin/comments/comment/", {"article": "۷۷۷۵۹"})
    assert [c.article.code for c in by_article.context["cl"].result_list] == [77759]
    today = client.get("/admin/comments/comment/", {"created_at__gte": "2000-01-01 00:00:00+03:30"})
    assert today.context["cl"].result_count == 2


def test_official_answer_appears_under_the_comment_at_once(client, moderator):
    comment = CommentFactory(status="pending", name="پرسنده", text="مستمری کی واریز می‌شود؟")
    response = client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"status": "pending", "official_answer": "مستمری روز ۲۵ هر ماه واریز می‌شود."},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved"
    answer = Comment.objects.get(is_official=True)
    assert (answer.parent, answer.status, answer.moderated_by) == (comment, "approved", moderator)
    page = client.get(comment.article.get_absolute_url())
    html = page.content.decode()
    assert "پاسخ روابط عمومی" in html
    assert "مستمری روز ۲۵ هر ماه واریز می‌شود." in html
    assert moderator.username not in html.split("<main", 1)[1]


def test_moderation_is_recorded_in_the_admin_log(client, moderator):
    from django.contrib.admin.models import LogEntry

    comment = CommentFactory(status="pending")
    client.post(
        "/admin/comments/comment/", {"action": "mark_approved", "_selected_action": [comment.pk]}
    )
    entry = LogEntry.objects.get(object_id=str(comment.pk))
    assert entry.user == moderator
    assert "تأییدشده" in entry.change_message


def test_a_term_blocked_twice_in_another_spelling_is_refused_with_a_message(client, moderator):
    client.post("/admin/comments/blockedterm/add/", {"term": "واژه‌زشت", "note": ""})
    response = client.post("/admin/comments/blockedterm/add/", {"term": "واژهزشتِ", "note": ""})
    assert response.status_code == 200
    assert "واژه‌زشت" in response.content.decode()


@pytest.mark.parametrize("status", ["rejected", "spam", "pending"])
def test_editor_cannot_publish_a_comment_by_answering_it(client, status):
    editor = member_of("ویراستار", "editor")
    client.force_login(editor)
    comment = CommentFactory(status=status, text="متنی که ناظر منتشر نکرده است")
    typed = "پاسخی که ویراستار نوشت"
    response = client.post(
        f"/admin/comments/comment/{comment.pk}/change/", {"official_answer": typed}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "فقط به نظری که منتشر شده است" in html
    assert typed in html  # the answer typed is still in the form
    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (status, None)
    assert not Comment.objects.filter(is_official=True).exists()
    assert typed not in client.get(comment.article.get_absolute_url()).content.decode()


def test_answering_service_refuses_an_unpublished_comment_for_an_editor():
    from comments.services import AnswerRefused, answer_officially

    editor = member_of("ویراستار", "editor")
    comment = CommentFactory(status="rejected")
    with pytest.raises(AnswerRefused):
        answer_officially(comment=comment, text="پاسخ", staff=editor)
    comment.refresh_from_db()
    assert comment.status == "rejected"
    assert not Comment.objects.filter(is_official=True).exists()


def test_moderator_cannot_reject_and_answer_in_one_save(client, moderator):
    comment = CommentFactory(status="pending")
    response = client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"status": "rejected", "official_answer": "پاسخ"},
    )
    assert response.status_code == 200
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert not Comment.objects.filter(is_official=True).exists()
