"""Addresses as readers type them: other digits, other spellings, a Gregorian year."""

import warnings
from urllib.parse import quote

import pytest
from django.core.cache.backends.base import CacheKeyWarning

from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(
        service=ServiceFactory(name="بیمه‌شدگان و مستمری‌بگیران"), tags=["بیمه‌شدگان"]
    )


@pytest.mark.parametrize("digits", ["۷۷۷۵۹", "٧٧٧٥٩", "77759"])
def test_a_news_code_in_any_digits_is_the_article(client, article, digits):
    response = client.get(f"/news/{digits}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_a_full_address_in_persian_digits_redirects_to_the_canonical_one(client, article):
    response = client.get(f"/news/۷۷۷۵۹/{quote(article.slug)}/")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


@pytest.mark.parametrize("code", ["۱۲۳", "٩٩٩٩٩٩٩٩٩٩", "99999999999", "۷۷۷۵۹۱۲۳۴۵۶۷۸"])
def test_an_unknown_or_impossible_code_is_a_404(client, article, code):
    assert client.get(f"/news/{code}/").status_code == 404


@pytest.mark.parametrize(
    "typed",
    ["بيمه-شدگان", "بیمه شدگان", "بیمهشدگان", "بیمه\u200cشدگان", "بيمه\u200cشدگان", "بيمه_شدگان"],
)
def test_a_tag_in_another_spelling_redirects_to_its_address(client, article, typed):
    tag = article.tags.get()
    response = client.get(f"/tag/{quote(typed)}/")
    assert response.status_code == 301
    assert response["Location"] == tag.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize("typed", ["بيمه-شدگان-و-مستمري-بگيران", "بیمه شدگان و مستمری بگیران"])
def test_a_service_in_another_spelling_redirects_to_its_address(client, article, typed):
    response = client.get(f"/service/{quote(typed)}/")
    assert response.status_code == 301
    assert response["Location"] == article.service.get_absolute_url()


@pytest.mark.parametrize("typed", ["ناموجود", "---", "بيمه-ناموجود", "a b"])
def test_unknown_tags_and_services_stay_404(client, article, typed):
    assert client.get(f"/tag/{quote(typed)}/").status_code == 404
    assert client.get(f"/service/{quote(typed)}/").status_code == 404


@pytest.mark.parametrize("typed", ["بیمه شدگان", "a b", "بیمه" * 60])
def test_a_typed_tag_address_never_makes_a_cache_key_the_cache_warns_of(client, article, typed):
    # On the embedded default's file cache Django warns of keys with spaces
    # or longer than 250 characters; a reader's typing must not fill the log.
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        assert client.get(f"/tag/{quote(typed)}/").status_code in (301, 404)
        assert client.get(article.tags.first().get_absolute_url()).status_code == 200


def test_a_gregorian_year_in_the_archive_goes_to_its_jalali_month(client):
    response = client.get("/archive/2026/12/")
    assert response.status_code == 301
    assert response["Location"] == "/archive/1405/09/"
    response = client.get("/archive/2026/3/")
    assert response["Location"] == "/archive/1404/12/"


def test_a_jalali_year_in_persian_digits_is_the_month(client):
    response = client.get("/archive/۱۴۰۵/۰۹/")
    assert response.status_code == 200


NOT_MONTHS = ["/archive/2026/13/", "/archive/2026/0/", "/archive/1405/13/", "/archive/0/1/",
              "/archive/99999/1/", "/archive/9999999999/1/", "/archive/3000/01/"]  # fmt: skip


@pytest.mark.parametrize("address", NOT_MONTHS)
def test_a_month_that_is_not_one_is_a_404(client, address):
    assert client.get(address).status_code == 404
