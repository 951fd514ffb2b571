"""Whole pages kept for anonymous readers: the same page for every one of them,
each reader's own form beside it, and the headers nginx and browsers get.

What each kind of change renews is in tests/test_freshness.py; the addresses a
reader cannot use to fill the cache are in test_canonical_pages.py.
"""

import re
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from newsroom.delivery.pages import HIT_HEADER
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def directives(response):
    return {d.strip() for d in response["Cache-Control"].split(",")}


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان", tags=["مستمری"])


def test_second_reader_gets_the_kept_page_without_a_query(article):
    first, second = Client(), Client()
    assert first.get(article.get_absolute_url())[HIT_HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = second.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response[HIT_HEADER] == "hit"
    assert len(queries) == 0
    assert "افزایش مستمری بازنشستگان" in text_of(response)


def test_a_release_with_a_cache_key_prefix_of_its_own_keeps_nothing_of_the_last(article, settings):
    # docs/deploy.md, «A new release»: the same cache, another CACHE_KEY_PREFIX.
    assert Client().get(article.get_absolute_url())[HIT_HEADER] == "miss"
    assert Client().get(article.get_absolute_url())[HIT_HEADER] == "hit"
    settings.CACHES = {
        name: {**options, "KEY_PREFIX": options.get("KEY_PREFIX", "") + "-next"}
        for name, options in settings.CACHES.items()
    }
    assert Client().get(article.get_absolute_url())[HIT_HEADER] == "miss"
    assert Client().get(article.get_absolute_url())[HIT_HEADER] == "hit"


@pytest.mark.parametrize("page", ["home", "service", "tag"])
def test_list_pages_are_kept_too(client, article, page):
    url = {"home": "/", "service": article.service.get_absolute_url(), "tag": "/tag/مستمری/"}
    assert [client.get(url[page])[HIT_HEADER] for _ in range(2)] == ["miss", "hit"]


def test_two_readers_of_a_kept_page_get_their_own_token_and_question(article):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [reader.get(article.get_absolute_url()) for reader in (first, second)]
    assert [page[HIT_HEADER] for page in pages] == ["miss", "hit"]
    assert pages[0].content == pages[1].content
    assert "csrftoken" not in pages[1].cookies

    forms = [reader.get(f"/comments/{article.code}/form/") for reader in (first, second)]
    fields = [hidden_fields(form.content.decode()) for form in forms]
    assert fields[0]["csrfmiddlewaretoken"] != fields[1]["csrfmiddlewaretoken"]
    assert fields[0]["captcha_0"] != fields[1]["captcha_0"]
    assert all(form.cookies["csrftoken"].value for form in forms)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "no-cache" in forms[0]["Cache-Control"]


def test_the_form_fetched_into_a_kept_page_posts(article, settings):
    settings.COMMENT_MIN_SECONDS = 0
    from captcha.models import CaptchaStore

    reader = Client(enforce_csrf_checks=True)
    reader.get(article.get_absolute_url())
    fields = hidden_fields(reader.get(f"/comments/{article.code}/form/").content.decode())
    answer = CaptchaStore.objects.get(hashkey=fields["captcha_0"]).response
    response = reader.post(
        f"/comments/{article.code}/",
        {**fields, "name": "رضا", "text": "از اطلاع‌رسانی سریع سپاسگزارم.", "captcha_1": answer},
    )
    assert response.status_code == 302
    assert Comment.objects.get().text == "از اطلاع‌رسانی سریع سپاسگزارم."


def test_staff_always_get_a_fresh_page_that_no_one_else_may_keep(client, article):
    staff = Client()
    staff.force_login(StaffFactory())
    client.get(article.get_absolute_url())
    response = staff.get(article.get_absolute_url())
    assert HIT_HEADER not in response
    assert {"private", "no-cache"} <= directives(response)
    assert "public" not in directives(response)


@pytest.mark.parametrize("page", ["home", "article", "service", "tag"])
def test_anonymous_pages_may_be_kept_briefly_by_nginx_hit_or_miss(client, article, settings, page):
    """Browsers revalidate, nginx keeps the page briefly; no Expires or Age reaches readers."""
    settings.PUBLIC_CACHE_SECONDS = 10
    url = {
        "home": "/",
        "article": article.get_absolute_url(),
        "service": article.service.get_absolute_url(),
        "tag": "/tag/مستمری/",
    }[page]
    for expected in ("miss", "hit"):
        response = client.get(url)
        assert response.status_code == 200
        assert response[HIT_HEADER] == expected
        assert directives(response) == {"public", "max-age=0", "s-maxage=10"}
        assert "Expires" not in response and "Age" not in response
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


def test_a_page_that_is_no_longer_there_may_replace_its_copy_in_nginx(client, article):
    """An unpublished article's 404 and a renamed one's redirect are kept as briefly as a page.

    Were they private, nginx would keep serving its copy of the old page.
    """
    address = article.get_absolute_url()
    client.get(address)
    article.title = "عنوانی تازه برای همان خبر"
    article.save()
    moved = client.get(address)
    assert moved.status_code == 301
    assert directives(moved) == {"public", "max-age=0", "s-maxage=2"}
    short = client.get(f"/news/{article.code}/")
    assert short.status_code == 301 and directives(short) == directives(moved)
    article.status = article.Status.DRAFT
    article.save()
    gone = client.get(article.get_absolute_url())
    assert gone.status_code == 404
    assert directives(gone) == {"public", "max-age=0", "s-maxage=2"}


def test_the_form_and_refusals_are_never_kept(client, article):
    for url in (f"/comments/{article.code}/", f"/comments/{article.code}/form/"):
        response = client.get(url)
        assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
        assert HIT_HEADER not in response


def test_without_the_setting_no_page_is_kept(client, article, settings):
    settings.PAGE_CACHE = False
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert HIT_HEADER not in response
    assert "s-maxage=2" in response["Cache-Control"]


def test_the_kept_menu_still_marks_the_page_the_reader_is_on(client):
    first = ServiceFactory(name="اخبار")
    second = ServiceFactory(name="بیمه‌شدگان")
    for current, other in ((first, second), (second, first)):
        html = client.get(current.get_absolute_url()).content.decode()
        assert f'href="{current.get_absolute_url()}" aria-current="page"' in html
        assert f'href="{other.get_absolute_url()}" aria-current' not in html


def test_the_kept_top_of_the_page_never_carries_a_readers_search(client, settings):
    settings.PAGE_CACHE = False  # every page rendered, its top taken from the kept part
    ServiceFactory(name="اخبار")
    search_box = re.compile(r'<input id="site-search"[^>]*value="([^"]*)"')
    client.get("/search/")  # the search page without words keeps its top
    for words in ("بیمه بیکاری", "مستمری"):
        html = client.get("/search/", {"q": words}).content.decode()
        assert search_box.search(html).group(1) == words
        for address in ("/", "/search/"):
            html = client.get(address).content.decode()
            assert search_box.search(html).group(1) == ""
            assert words not in html


def test_tags_next_and_related_news_follow_changes_with_the_page_cache_off(client, settings):
    settings.PAGE_CACHE = False
    service = ServiceFactory(name="اخبار")
    older = ArticleFactory(
        service=service,
        title="خبر نخست",
        tags=["مستمری"],
        published_at=timezone.now() - timedelta(hours=1),
    )
    assert "خبر بعدی" not in text_of(client.get(older.get_absolute_url()))
    newer = ArticleFactory(service=service, title="خبر دوم درباره مستمری", tags=["مستمری"])
    html = client.get(older.get_absolute_url()).content.decode()
    assert html.count(f'href="{newer.get_absolute_url()}"') == 2  # next news, related news
    assert 'rel="next"' in html
    older.tags.add("بازنشستگی")
    assert "بازنشستگی" in text_of(client.get(older.get_absolute_url()))


def test_each_origin_gets_its_own_links(client, article, settings):
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    address = article.get_absolute_url()
    html = client.get(address).content.decode()
    assert 'rel="canonical" href="http://testserver/' in html
    other = client.get(address, HTTP_HOST="news.example", secure=True).content.decode()
    assert 'rel="canonical" href="https://news.example/' in other
    assert 'value="https://news.example/news/' in other  # the short link to copy
    assert "testserver" not in other


def test_a_kept_article_does_not_outlive_its_comments_closing(client, settings):
    settings.COMMENTS_OPEN_DAYS = 30
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=30, seconds=-2))
    address = article.get_absolute_url()
    assert "امکان ارسال نظر برای این خبر بسته است" not in text_of(client.get(address))
    assert client.get(address)[HIT_HEADER] == "hit"
    time.sleep(2.2)
    assert "امکان ارسال نظر برای این خبر بسته است" in text_of(client.get(address))


def test_a_head_request_is_answered_from_the_kept_page_without_a_body(article):
    Client().get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        response = Client().head(article.get_absolute_url())
    assert (response.status_code, response[HIT_HEADER], response.content) == (200, "hit", b"")
    assert len(queries) == 0


def count_cache_reads(monkeypatch):
    """The cache reads a request makes, each `get` or `get_many` one round trip."""
    from django.core.cache import cache

    reads, depth = [], []
    for name in ("get", "get_many"):
        original = getattr(cache, name)

        def counted(*args, _original=original, _name=name, **kwargs):
            # The file cache's get_many asks get for each key: one read all the same.
            if not depth:
                reads.append(_name)
            depth.append(_name)
            try:
                return _original(*args, **kwargs)
            finally:
                depth.pop()

        monkeypatch.setattr(cache, name, counted)
    return reads


def test_a_kept_page_is_read_with_its_versions_in_one_round_trip(article, monkeypatch):
    Client().get(article.get_absolute_url())
    reads = count_cache_reads(monkeypatch)
    assert Client().get(article.get_absolute_url())[HIT_HEADER] == "hit"
    # The versions and the page, together.
    assert reads == ["get_many"]


@pytest.mark.parametrize(
    "mark, answers",
    [
        (None, ["miss", "hit"]),
        ("varies", ["miss", "miss"]),
        # Its encoding alone is in the page's key (test_compressed_pages.py).
        ("varies on the encoding", ["miss", "hit"]),
        ("cookie", ["miss", "miss"]),
        ("private", ["miss", "miss"]),
        ("no-store", ["miss", "miss"]),
        ("max-age=0", ["miss", "miss"]),
    ],
)
def test_a_page_that_varies_sets_a_cookie_or_must_not_be_stored_is_rendered_for_each_reader(
    rf, mark, answers
):
    """No kept page does any of these but vary on its encoding; one that did would not be shared."""
    from django.http import HttpResponse
    from django.utils.cache import patch_cache_control, patch_vary_headers

    from newsroom.delivery.pages import PageCacheMiddleware

    rendered = []

    def view(request):
        rendered.append(request)
        response = HttpResponse("صفحهٔ اول، آن‌گونه که یک خواننده می‌بیند")
        if mark == "varies":
            patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
        elif mark == "varies on the encoding":
            patch_vary_headers(response, ["Accept-Encoding"])
        elif mark == "cookie":
            response.set_cookie("seen", "1")
        elif mark == "private":
            patch_cache_control(response, private=True)
        elif mark == "no-store":
            patch_cache_control(response, no_store=True)
        elif mark == "max-age=0":
            patch_cache_control(response, max_age=0)
        return response

    middleware = PageCacheMiddleware(view)
    assert [middleware(rf.get("/"))[HIT_HEADER] for _ in range(2)] == answers
    assert len(rendered) == answers.count("miss")


def test_an_article_rendered_again_fills_its_kept_frame_with_its_comments(
    client, article, settings, monkeypatch
):
    """What changes only with the site is rendered once; each render shows the comments of now."""
    settings.PAGE_CACHE = False  # every request renders the page
    address = article.get_absolute_url()
    first = client.get(address).content.decode()
    reads = count_cache_reads(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(address).content.decode()
    assert again == first
    assert len(queries) == 0
    # The versions; the article with its frame and the popular box; the comment section.
    assert len(reads) == 3
    assert not re.search(r"<!--(comments|popular):", again)  # no hole's marker reaches a reader

    CommentFactory(article=article, text="پاسخ سریع شما باعث دلگرمی است.")
    with CaptureQueriesContext(connection) as queries:
        html = client.get(address).content.decode()
    assert "پاسخ سریع شما باعث دلگرمی است." in html
    # The comment section and the week's rankings are read again; the article, its
    # tags, related and next news are still the frame's.
    assert not any("taggit" in query["sql"] for query in queries)
    assert len(queries) <= 3


def test_an_editors_page_and_a_readers_never_share_a_frame(client, article, settings):
    """The page a signed-in editor gets links to the admin; no reader's page ever does."""
    settings.PAGE_CACHE = False
    editor = Client()
    editor.force_login(StaffFactory(is_superuser=True))
    address = article.get_absolute_url()
    assert "staff-tools__edit" not in client.get(address).content.decode()
    assert "staff-tools__edit" in editor.get(address).content.decode()
    assert "staff-tools__edit" not in client.get(address).content.decode()


def test_a_previewed_draft_leaves_nothing_readers_see_once_it_is_published(client, settings):
    settings.PAGE_CACHE = False
    draft = ArticleFactory(draft=True, title="خبری که هنوز منتشر نشده")
    editor = Client()
    editor.force_login(StaffFactory(is_superuser=True))
    preview = editor.get(draft.get_absolute_url())
    assert preview.status_code == 200 and "preview-note" in preview.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.status = draft.Status.PUBLISHED
    draft.save()
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "خبری که هنوز منتشر نشده" in html
    assert "preview-note" not in html and "staff-tools__edit" not in html


def test_a_frame_is_cut_where_its_template_shows_each_hole_and_nowhere_else(rf):
    from newsroom.delivery.frames import Frame, render_frame

    assert Frame(texts=("a", "b", "c"), holes=("x", "y")).fill(y="2", x="1") == "a1b2c"
    # A template that leaves a hole out is an error, not a page without it.
    with pytest.raises(ValueError, match="hole 'comments'"):
        render_frame("robots.txt", {}, rf.get("/robots.txt"), ("comments",))
