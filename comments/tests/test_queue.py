"""Moderators keep up: the count in the admin's header, near-identical comments decided at once,
keyboard shortcuts, and the posted rule a rejection names."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from comments.grouping import likeness
from comments.models import Comment, PostedRule
from tests.factories import ArticleFactory, CommentFactory

from .helpers import moderator, visible_text

pytestmark = pytest.mark.django_db

CAMPAIGN = [
    "حقوق ما را بدهید!",
    "حقوق ما رو بدهيد 🙏🙏",
    "حقوق  ما را بدهید...",
    "حقووووق ما را بدهید",
]


@pytest.fixture
def staff(client):
    user = moderator()
    client.force_login(user)
    return user


def test_the_header_of_every_admin_page_counts_what_waits(client, staff):
    CommentFactory.create_batch(3, status="pending")
    CommentFactory(status="approved")
    for url in ("/admin/", "/admin/comments/comment/", "/admin/comments/blockedterm/"):
        header = client.get(url).content.decode().split('id="header"')[1].split("</header>")[0]
        assert "۳ نظر در انتظار بررسی است" in visible_text(header), url
        assert "/admin/comments/comment/?status__exact=pending" in header


def test_editors_see_no_count_in_the_header(client):
    editor = get_user_model().objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(editor)
    CommentFactory(status="pending")
    assert "در انتظار بررسی" not in visible_text(client.get("/admin/"))


def test_near_identical_texts_share_a_likeness_and_different_ones_do_not():
    keys = {likeness(text) for text in CAMPAIGN}
    assert len(keys) == 1
    assert likeness("حقوق ما را ندهید") not in keys
    assert likeness("!!!") == ""


def test_the_queue_shows_how_many_near_identical_comments_wait(client, staff):
    for text in CAMPAIGN:
        CommentFactory(status="pending", text=text)
    single = CommentFactory(status="pending", text="نظری تنها")
    html = client.get("/admin/comments/comment/").content.decode()
    row = html.split(f'value="{single.pk}"')[1].split("</tr>")[0]
    assert "—" in row
    grouped = client.get("/admin/comments/comment/", {"likeness": "grouped"})
    listed = re.findall(r'name="_selected_action" value="(\d+)"', grouped.content.decode())
    assert sorted(map(int, listed)) == sorted(
        Comment.objects.exclude(pk=single.pk).values_list("pk", flat=True)
    )


def test_one_decision_applies_to_the_whole_group(client, staff):
    article = ArticleFactory()
    group = [CommentFactory(article=article, status="pending", text=text) for text in CAMPAIGN]
    other = CommentFactory(article=article, status="pending", text="نظر دیگری درباره بیمه")
    page = client.get("/admin/comments/comment/groups/")
    assert page.status_code == 200
    text = visible_text(page)
    assert "حقوق ما را بدهید" in text and "۴" in text
    assert "نظر دیگری" not in text
    form = page.content.decode().split('class="queue-groups__decision"')[1]
    fields = dict(re.findall(r'name="(likeness|upto)" value="([^"]+)"', form))
    response = client.post(
        "/admin/comments/comment/groups/",
        {**fields, "decision": "reject", "rule": PostedRule.LANGUAGE},
    )
    assert response.status_code == 302
    for comment in group:
        comment.refresh_from_db()
        assert (comment.status, comment.broken_rule, comment.moderated_by) == (
            "rejected",
            "language",
            staff,
        )
    other.refresh_from_db()
    assert other.status == "pending"


def test_a_comment_that_came_after_the_page_was_shown_waits_for_a_look(client, staff):
    first = CommentFactory(status="pending", text=CAMPAIGN[0])
    CommentFactory(status="pending", text=CAMPAIGN[1])
    page = client.get("/admin/comments/comment/groups/").content.decode()
    fields = dict(re.findall(r'name="(likeness|upto)" value="([^"]+)"', page))
    late = CommentFactory(status="pending", text=CAMPAIGN[2])
    client.post("/admin/comments/comment/groups/", {**fields, "decision": "approve"})
    first.refresh_from_db()
    late.refresh_from_db()
    assert (first.status, late.status) == ("approved", "pending")


@pytest.mark.parametrize(
    "data", [{}, {"decision": "burn"}, {"decision": "approve", "likeness": "x", "upto": "y"}]
)
def test_a_group_decision_that_cannot_be_read_gives_a_message(client, staff, data):
    CommentFactory(status="pending", text=CAMPAIGN[0])
    response = client.post("/admin/comments/comment/groups/", data, follow=True)
    assert response.status_code == 200
    assert "تصمیم خوانده نشد" in visible_text(response)
    assert Comment.objects.get().status == "pending"


def test_editors_cannot_decide_groups(client):
    editor = get_user_model().objects.create_user("ed", is_staff=True)
    editor.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(editor)
    assert client.get("/admin/comments/comment/groups/").status_code == 403


def test_the_queue_has_its_shortcuts_as_a_static_script_and_says_what_they_are(client, staff):
    CommentFactory(status="pending")
    html = client.get("/admin/comments/comment/").content.decode()
    assert '<script src="/static/js/moderation-queue.js" defer></script>' in html
    assert "میان‌برهای صفحه‌کلید" in visible_text(html)
    # The script only drives actions the queue has.
    script = open("static/js/moderation-queue.js").read()
    for action in re.findall(r'"(mark_\w+|reject_\w+)"', script):
        assert f'value="{action}"' in html, action
    assert re.search(r"<script>(?!</script>)", html) is None


@pytest.mark.parametrize(
    ("action", "rule"),
    [("reject_insult", "insult"), ("reject_language", "language"), ("mark_rejected", "")],
)
def test_rejecting_from_the_queue_names_the_posted_rule(client, staff, action, rule):
    comment = CommentFactory(status="pending")
    client.post(
        "/admin/comments/comment/", {"action": action, "_selected_action": [comment.pk], "index": 0}
    )
    comment.refresh_from_db()
    assert (comment.status, comment.broken_rule) == ("rejected", rule)


def test_the_rule_can_be_named_on_the_comments_page_too(client, staff):
    comment = CommentFactory(status="rejected")
    response = client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"status": "rejected", "broken_rule": "insult", "official_answer": ""},
    )
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.broken_rule == "insult"
