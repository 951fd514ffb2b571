"""Cached pages: the same page for every anonymous reader, each reader's own
form, and every change visible on the very next request."""

import re
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments.models import Comment
from newsroom.articles import reading
from newsroom.delivery import pagecache
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory, StaffFactory

pytestmark = pytest.mark.django_db


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def hidden_fields(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان", tags=["مستمری"])


@pytest.fixture
def moderator_client():
    user = StaffFactory(username="moderator")
    user.groups.add(Group.objects.get(name="ناظر نظرات"))
    staff = Client()
    staff.force_login(user)
    return staff


def test_second_reader_gets_the_cached_page_without_a_query(article):
    first, second = Client(), Client()
    assert first.get(article.get_absolute_url())[pagecache.HIT_HEADER] == "miss"
    with CaptureQueriesContext(connection) as queries:
        response = second.get(article.get_absolute_url())
    assert response.status_code == 200
    assert response[pagecache.HIT_HEADER] == "hit"
    assert len(queries) == 0
    assert "افزایش مستمری بازنشستگان" in text_of(response)


def test_two_readers_of_a_cached_page_get_their_own_token_and_question(article):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [reader.get(article.get_absolute_url()) for reader in (first, second)]
    assert [page[pagecache.HIT_HEADER] for page in pages] == ["miss", "hit"]
    assert pages[0].content == pages[1].content
    assert "csrftoken" not in pages[1].cookies

    forms = [reader.get(f"/comments/{article.code}/form/") for reader in (first, second)]
    fields = [hidden_fields(form.content.decode()) for form in forms]
    assert fields[0]["csrfmiddlewaretoken"] != fields[1]["csrfmiddlewaretoken"]
    assert fields[0]["captcha_0"] != fields[1]["captcha_0"]
    assert all(form.cookies["csrftoken"].value for form in forms)
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    assert "no-cache" in forms[0]["Cache-Control"]


def test_the_form_fetched_into_a_cached_page_posts(article, settings):
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


def test_an_approval_in_the_admin_appears_on_the_next_request(client, article, moderator_client):
    comment = CommentFactory(article=article, status="pending", text="نظری که منتظر است")
    client.get(article.get_absolute_url())
    assert client.get(article.get_absolute_url())[pagecache.HIT_HEADER] == "hit"

    response = moderator_client.post(
        "/admin/comments/comment/", {"action": "mark_approved", "_selected_action": [comment.pk]}
    )
    assert response.status_code == 302
    page = client.get(article.get_absolute_url())
    assert page[pagecache.HIT_HEADER] == "miss"
    assert "نظری که منتظر است" in text_of(page)
    assert "نظرات (۱)" in text_of(page)


def test_a_rejection_removes_the_comment_on_the_next_request(client, article, moderator_client):
    comment = CommentFactory(article=article, text="نظری که برداشته می‌شود")
    assert "نظری که برداشته می‌شود" in text_of(client.get(article.get_absolute_url()))
    moderator_client.post(
        "/admin/comments/comment/", {"action": "mark_rejected", "_selected_action": [comment.pk]}
    )
    assert "نظری که برداشته می‌شود" not in text_of(client.get(article.get_absolute_url()))


def test_an_official_answer_appears_on_the_next_request(client, article, moderator_client):
    comment = CommentFactory(article=article, status="pending", text="پرسش یک بیمه‌شده")
    client.get(article.get_absolute_url())
    moderator_client.post(
        f"/admin/comments/comment/{comment.pk}/change/",
        {"status": "pending", "official_answer": "پاسخ روابط عمومی به این پرسش"},
    )
    assert "پاسخ روابط عمومی به این پرسش" in text_of(client.get(article.get_absolute_url()))


def test_a_new_pending_comment_leaves_the_cached_page_alone(client, article):
    client.get(article.get_absolute_url())
    CommentFactory(article=article, status="pending")
    assert client.get(article.get_absolute_url())[pagecache.HIT_HEADER] == "hit"


def test_approving_on_one_article_leaves_other_articles_cached(client, article):
    other = ArticleFactory(title="خبری دیگر")
    comment = CommentFactory(article=article, status="pending")
    client.get(other.get_absolute_url())
    from comments.services import moderate_comments

    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk),
        status="approved",
        moderator=StaffFactory(),
    )
    assert client.get(other.get_absolute_url())[pagecache.HIT_HEADER] == "hit"


def test_publishing_editing_and_withdrawing_show_at_once_everywhere(client):
    service = ServiceFactory(name="اخبار")
    old = ArticleFactory(service=service, title="خبر قدیمی", tags=["بیمه"])
    pages = ["/", service.get_absolute_url(), "/tag/بیمه/"]
    for url in pages:
        client.get(url)
        assert client.get(url)[pagecache.HIT_HEADER] == "hit"

    new = ArticleFactory(service=service, title="خبر تازه منتشرشده", tags=["بیمه"])
    for url in pages:
        assert "خبر تازه منتشرشده" in text_of(client.get(url)), url

    client.get(new.get_absolute_url())
    new.title = "خبر تازه با عنوان اصلاح‌شده"
    new.save()
    assert "خبر تازه با عنوان اصلاح‌شده" in text_of(client.get(new.get_absolute_url(), follow=True))
    for url in pages:
        assert "خبر تازه با عنوان اصلاح‌شده" in text_of(client.get(url)), url

    address = old.get_absolute_url()
    client.get(address)
    old.status = old.Status.DRAFT
    old.save()
    assert client.get(address).status_code == 404
    for url in pages:
        assert "خبر قدیمی" not in text_of(client.get(url)), url


def test_an_edit_in_the_admin_shows_on_the_next_request(client, article):
    editor = Client()
    editor.force_login(StaffFactory(username="editor", is_superuser=True))
    address = article.get_absolute_url()
    client.get(address)
    change = editor.get(f"/admin/newsroom/article/{article.pk}/change/")
    assert change.status_code == 200
    article.lead = "خلاصه‌ای که ویراستار نوشت"
    article.save()
    assert "خلاصه‌ای که ویراستار نوشت" in text_of(client.get(address))


def test_a_scheduled_article_appears_when_its_time_comes(client):
    ArticleFactory(title="خبر پیشین")
    ArticleFactory(title="خبر زمان‌بندی‌شده", published_at=timezone.now() + timedelta(seconds=2))
    assert "خبر زمان‌بندی‌شده" not in text_of(client.get("/"))
    assert client.get("/")[pagecache.HIT_HEADER] == "hit"
    time.sleep(2.2)
    assert "خبر زمان‌بندی‌شده" in text_of(client.get("/"))


def test_staff_always_get_a_fresh_page_that_no_one_else_may_keep(client, article):
    staff = Client()
    staff.force_login(StaffFactory())
    client.get(article.get_absolute_url())
    response = staff.get(article.get_absolute_url())
    assert pagecache.HIT_HEADER not in response
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("page", ["home", "article", "service", "tag"])
def test_anonymous_pages_may_be_kept_briefly_by_a_cdn(client, article, settings, page):
    settings.PUBLIC_CACHE_SECONDS = 10
    url = {
        "home": "/",
        "article": article.get_absolute_url(),
        "service": article.service.get_absolute_url(),
        "tag": "/tag/مستمری/",
    }[page]
    for _attempt in ("miss", "hit"):
        response = client.get(url)
        assert response.status_code == 200
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert directives == {"public", "max-age=0", "s-maxage=10"}
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")


def test_the_form_and_refusals_are_never_kept(client, article):
    for url in (f"/comments/{article.code}/", f"/comments/{article.code}/form/"):
        response = client.get(url)
        assert "no-cache" in response["Cache-Control"] or "private" in response["Cache-Control"]
        assert pagecache.HIT_HEADER not in response


def test_unknown_query_parameters_share_the_cached_page(client, article):
    client.get(article.get_absolute_url())
    tracked = client.get(article.get_absolute_url(), {"utm_source": "telegram"})
    assert tracked[pagecache.HIT_HEADER] == "hit"
    other_page = client.get(article.get_absolute_url(), {"comments": 2})
    assert other_page[pagecache.HIT_HEADER] == "miss"


def test_views_are_counted_on_cached_pages_too(client, article):
    for _reader in range(3):
        client.get(article.get_absolute_url())
    assert reading.flush_views(article.pk) == 3
    article.refresh_from_db()
    assert article.view_count == 3


def test_without_the_setting_nothing_is_cached(client, article, settings):
    settings.PAGE_CACHE = False
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert pagecache.HIT_HEADER not in response
    assert "s-maxage" in response["Cache-Control"]


def test_the_kept_menu_still_marks_the_page_the_reader_is_on(client):
    first = ServiceFactory(name="اخبار")
    second = ServiceFactory(name="بیمه‌شدگان")
    for current, other in ((first, second), (second, first)):
        html = client.get(current.get_absolute_url()).content.decode()
        assert f'href="{current.get_absolute_url()}" aria-current="page"' in html
        assert f'href="{other.get_absolute_url()}" aria-current' not in html


def test_a_new_service_appears_in_every_menu_at_once(client, article):
    client.get("/")
    client.get(article.get_absolute_url())
    ServiceFactory(name="خدمت تازه")
    for url in ("/", article.get_absolute_url()):
        assert "خدمت تازه" in text_of(client.get(url))


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


def another_server_touches(*topics):
    """What `touch` on another app server does: new versions stored and announced, nothing else.

    The announcement reaches this process through Redis a moment later (with
    Redis as the cache); a reader's next request comes later than that.
    """
    tokens = {pagecache._version_key(topic): f"elsewhere-{time.monotonic_ns()}" for topic in topics}
    pagecache.announce(tokens)
    deadline = time.monotonic() + 1
    while pagecache.version_feed.current(list(tokens)) not in (None, list(tokens.values())):
        assert time.monotonic() < deadline, "the announcement was not heard"
        time.sleep(0.001)


@pytest.fixture
def feed():
    """The version feed, which needs Redis as the cache (the PostgreSQL run of CI has it)."""
    from django.core.cache import cache

    if not hasattr(cache, "subscribe"):
        pytest.skip("the version feed needs Redis as the cache")
    return pagecache.version_feed


def redis_round_trips(monkeypatch):
    """Counts the cache reads made from now on."""
    from django.core.cache import cache

    reads = []
    for name in ("get", "get_many"):
        original = getattr(cache, name)

        def counted(*args, _original=original, **kwargs):
            reads.append(args)
            return _original(*args, **kwargs)

        monkeypatch.setattr(cache, name, counted)
    return reads


def test_a_cached_page_costs_no_round_trip_once_its_versions_are_heard(
    client, article, feed, monkeypatch
):
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    reads = redis_round_trips(monkeypatch)
    response = client.get(article.get_absolute_url())
    assert response[pagecache.HIT_HEADER] == "hit"
    assert reads == []


def test_without_the_feed_versions_are_read_again_and_nothing_stale_is_served(
    client, article, feed
):
    from django.core.cache import cache

    address = article.get_absolute_url()
    client.get(address)
    assert client.get(address)[pagecache.HIT_HEADER] == "hit"
    # The feed's connection dies; a change announced meanwhile reaches no one here.
    cache._cache.get_client(write=True).client_kill_filter(_type="pubsub")
    type(article).objects.filter(pk=article.pk).update(lead="خلاصه‌ای که در نبود پیام‌ها آمد")
    cache.set(pagecache._version_key(pagecache.SITE), "changed-while-deaf", None)
    response = client.get(address)
    assert "خلاصه‌ای که در نبود پیام‌ها آمد" in text_of(response)
    assert feed.current([pagecache._version_key(pagecache.SITE)]) is None


def test_a_change_made_on_another_server_is_not_hidden_by_this_servers_copy(client, article):
    address = article.get_absolute_url()
    client.get(address)
    assert client.get(address)[pagecache.HIT_HEADER] == "hit"
    # Another server saved the article: the database and the versions changed,
    # this process heard nothing and still holds its copy of the page.
    type(article).objects.filter(pk=article.pk).update(title="عنوانی که جای دیگر ذخیره شد")
    another_server_touches(pagecache.SITE)
    response = client.get(address, follow=True)
    assert "عنوانی که جای دیگر ذخیره شد" in text_of(response)


def test_a_kept_part_changed_on_another_server_renders_again(client, article, settings):
    settings.PAGE_CACHE = False
    service = article.service
    assert service.name in text_of(client.get("/"))
    type(service).objects.filter(pk=service.pk).update(name="نام تازه خدمت")
    another_server_touches(pagecache.SITE)
    assert "نام تازه خدمت" in text_of(client.get("/"))


def test_local_copies_forget_the_oldest_first_and_never_serve_an_expired_one():
    copies = pagecache.LocalCopies(max_bytes=8000)
    for number in range(8):
        copies.put(f"page {number}", f"html {number}", expires=100, size=1000)
    assert copies.get("page 0", now=50) == "html 0"  # now the most recently used
    copies.put("page 8", "html 8", expires=100, size=1000)
    assert copies.get("page 1", now=50) is None
    assert copies.get("page 0", now=50) == "html 0"
    assert copies.get("page 8", now=50) == "html 8"
    assert copies.size == 8000
    assert copies.get("page 8", now=100) is None
    assert copies.size == 7000
    copies.put("huge", "html", expires=100, size=1001)  # more than an eighth: never kept
    assert copies.get("huge", now=50) is None


def test_the_kept_article_shows_an_edit_at_once_and_each_address_its_own_links(
    client, article, settings
):
    settings.PAGE_CACHE = False
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    address = article.get_absolute_url()
    assert "افزایش مستمری بازنشستگان" in text_of(client.get(address))
    article.body = "<p>متن تازه‌ای که ویراستار نوشت.</p>"
    article.save()
    html = client.get(address).content.decode()
    assert "متن تازه‌ای که ویراستار نوشت." in html
    assert 'rel="canonical" href="http://testserver/' in html
    other = client.get(address, HTTP_HOST="news.example", secure=True).content.decode()
    assert 'rel="canonical" href="https://news.example/' in other
    assert 'value="https://news.example/news/' in other  # the short link to copy


def test_a_cached_article_does_not_outlive_its_comments_closing(client, settings):
    settings.COMMENTS_OPEN_DAYS = 30
    article = ArticleFactory(published_at=timezone.now() - timedelta(days=30, seconds=-3))
    address = article.get_absolute_url()
    assert "امکان ارسال نظر برای این خبر بسته است" not in text_of(client.get(address))
    assert client.get(address)[pagecache.HIT_HEADER] == "hit"
    time.sleep(3.2)
    assert "امکان ارسال نظر برای این خبر بسته است" in text_of(client.get(address))


def test_nothing_is_kept_for_a_value_that_is_not_there(client):
    asked = []

    def missing():
        asked.append(1)

    for _ in range(2):
        assert pagecache.cached_value("article:999999", [pagecache.SITE], missing, 600) is None
    assert len(asked) == 2
    assert client.get("/news/999999/").status_code == 404


def test_the_article_is_read_once_until_the_site_changes(client, article, settings):
    settings.PAGE_CACHE = False
    address = article.get_absolute_url()
    client.get(address)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(address).status_code == 200
    assert len(queries) == 0
    article.status = article.Status.DRAFT
    article.save()
    assert client.get(address).status_code == 404


def test_a_forked_process_does_not_listen_on_its_parents_connection(client, article, feed):
    import os

    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    assert feed.pubsub is not None
    pid = os.fork()
    if pid == 0:  # the child: gunicorn's worker, when the app is loaded before forking
        os._exit(0 if feed.pubsub is None and not feed.known else 1)
    _pid, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert feed.pubsub is not None
