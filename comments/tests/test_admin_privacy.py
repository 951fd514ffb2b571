"""Editors answer comments but never see a commenter's e-mail or IP address; moderators do."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

EMAIL = "private.reader@example.com"
ADDRESS = "203.0.113.77"
LIST = "/admin/comments/comment/"


def member_of(group_name, username):
    user = get_user_model().objects.create_user(username, password="x-long-pass-123", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def comment():
    return CommentFactory(email=EMAIL, ip_address=ADDRESS, text="نظری با نشانی خصوصی")


@pytest.fixture
def editor(client):
    client.force_login(member_of("ویراستار", "editor"))


@pytest.fixture
def moderator(client):
    client.force_login(member_of("ناظر نظرات", "moderator"))


def test_editor_sees_neither_email_nor_address_in_the_list(client, editor, comment):
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert "نظری با نشانی خصوصی" in html
    assert EMAIL not in html and ADDRESS not in html
    assert "نشانی IP" not in html


def test_editor_sees_neither_on_the_change_page(client, editor, comment):
    response = client.get(f"{LIST}{comment.pk}/change/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "نظری با نشانی خصوصی" in html
    assert EMAIL not in html and ADDRESS not in html


@pytest.mark.parametrize("query", ["private.reader", "example.com", ADDRESS, "203.0.113"])
def test_editor_cannot_find_comments_by_email_or_address(client, editor, comment, query):
    response = client.get(LIST, {"q": query})
    assert response.status_code == 200
    assert response.context["cl"].result_count == 0


@pytest.mark.parametrize(
    "lookup",
    [
        {"email__startswith": "p"},
        {"email": EMAIL},
        {"ip_address": ADDRESS},
        {"ip_address__startswith": "203"},
        {"email__isnull": "False"},
    ],
)
def test_editor_cannot_filter_by_email_or_address_in_the_url(client, editor, comment, lookup):
    response = client.get(LIST, lookup)
    assert response.status_code == 400
    assert EMAIL not in response.content.decode()


def test_moderator_sees_both_and_finds_by_them(client, moderator, comment):
    html = client.get(LIST).content.decode()
    assert EMAIL not in html  # not a column: on the change page
    assert ADDRESS in html
    assert client.get(LIST, {"q": "private.reader"}).context["cl"].result_count == 1
    assert client.get(LIST, {"q": ADDRESS}).context["cl"].result_count == 1
    assert client.get(LIST, {"ip_address": ADDRESS}).context["cl"].result_count == 1
    change = client.get(f"{LIST}{comment.pk}/change/").content.decode()
    assert EMAIL in change and ADDRESS in change
