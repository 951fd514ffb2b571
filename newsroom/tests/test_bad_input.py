"""Inputs that once gave a server error: each gets a 400 page or the page it asked for."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from comments.models import Comment
from newsroom.site.roles import MODERATORS
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db

FORM = b"name=%D8%B1%D8%B6%D8%A7&text=%D9%86%D8%B8%D8%B1"
MULTIPART = b'--xx\r\nContent-Disposition: form-data; name="name"\r\n\r\nreza\r\n--xx--\r\n'


def reader(with_csrf_cookie=True):
    """A client that checks CSRF as browsers face it, with or without the token's cookie."""
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    if with_csrf_cookie:
        client.cookies["csrftoken"] = "k" * 32
    return client


def assert_bad_request_page(response):
    assert response.status_code == 400
    html = response.content.decode()
    assert 'lang="fa" dir="rtl"' in html
    assert "درخواست" in html


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded; charset=utf-16", FORM),
        ("application/x-www-form-urlencoded; charset=UTF-16LE", "name=رضا".encode("utf-16-le")),
        ("application/x-www-form-urlencoded; charset=utf8", FORM),
        ("multipart/form-data; boundary=xx; charset=rot13", MULTIPART),
        ("multipart/form-data; boundary=xx; charset=utf-16", MULTIPART),
        ("text/plain; charset=latin-1", b"x"),
    ],
)
@pytest.mark.parametrize("with_csrf_cookie", [True, False])
def test_a_body_in_another_charset_is_a_bad_request_not_a_server_error(
    content_type, body, with_csrf_cookie
):
    article = ArticleFactory()
    for url in (f"/comments/{article.code}/", "/admin/login/", "/search/"):
        response = reader(with_csrf_cookie).generic("POST", url, body, content_type=content_type)
        assert_bad_request_page(response)
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=UTF-8",
        'application/x-www-form-urlencoded; charset="utf-8"',
    ],
)
def test_a_form_in_utf8_goes_on_to_the_csrf_check_as_before(content_type):
    article = ArticleFactory()
    response = reader().generic(
        "POST", f"/comments/{article.code}/", FORM, content_type=content_type
    )
    # No valid token: the comment form comes back with its text, as for any stale form.
    assert response.status_code == 403
    assert "نظر" in response.content.decode()


@pytest.fixture
def moderator_client():
    user = get_user_model().objects.create_user("moderator", is_staff=True)
    user.groups.add(Group.objects.get(name=MODERATORS))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "query",
    [
        "ip_address=1",
        "ip_address=not-an-address",
        "ip_address__exact=1.2.3",
        "ip_address__in=203.0.113.9,x",
        "ip_address__gt=x",
        "ip_address=fe80::1%25eth0",
        "ip_address__regex=(",
    ],
)
def test_a_comment_filter_the_address_column_cannot_take_is_a_bad_request(moderator_client, query):
    CommentFactory(ip_address="203.0.113.9")
    response = moderator_client.get(f"/admin/comments/comment/?{query}")
    assert_bad_request_page(response)


@pytest.mark.parametrize(
    "query",
    [
        "ip_address=203.0.113.9",
        "ip_address__in=203.0.113.9,2001:db8::1",
        "ip_address__startswith=203.0",
        "q=203.0.113",
    ],
)
def test_a_moderator_still_filters_comments_by_address(moderator_client, query):
    CommentFactory(ip_address="203.0.113.9", text="از این نشانی")
    CommentFactory(ip_address="198.51.100.1", text="از نشانی دیگر")
    response = moderator_client.get(f"/admin/comments/comment/?{query}")
    assert response.status_code == 200
    assert [c.text for c in response.context["cl"].result_list] == ["از این نشانی"]


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/admin/comments/comment/", "text__regex=("),
        ("/admin/comments/comment/", "name__iregex=[a-"),
        ("/admin/newsroom/article/", "title__regex=("),
    ],
)
def test_an_admin_list_filtered_by_a_broken_pattern_is_a_bad_request(moderator_client, path, query):
    user = get_user_model().objects.get(username="moderator")
    user.is_superuser = True  # may open every list
    user.save()
    ArticleFactory()
    CommentFactory()
    response = moderator_client.get(f"{path}?{query}")
    assert_bad_request_page(response)
