"""Reading: time to read, counted views, popular news, neighbours, images."""

import io
import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from comments.templatetags.comment_rankings import count_most_commented
from newsroom.articles import images, reading
from newsroom.models import Article, DailyViews
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def words(count):
    return "<p>" + " ".join(["واژه"] * count) + "</p>"


# Reading time


@pytest.mark.parametrize(("body_words", "minutes"), [(0, 1), (150, 1), (400, 2), (1000, 5)])
def test_reading_time_counts_the_words_of_title_lead_and_body(body_words, minutes):
    article = ArticleFactory.build(title="عنوان دو", lead="لید کوتاه", body=words(body_words))
    assert reading.reading_minutes(article) == minutes


def test_reading_time_ignores_markup():
    plain = ArticleFactory.build(body=words(390))
    marked = ArticleFactory.build(body="<p>" + " ".join(["<strong>واژه</strong>"] * 390) + "</p>")
    assert reading.reading_minutes(plain) == reading.reading_minutes(marked)


def test_article_page_shows_the_reading_time_in_persian_digits(client):
    article = ArticleFactory(body=words(1400))
    html = client.get(article.get_absolute_url()).content.decode()
    assert re.search(r'<span class="reading-time">[^<]*۷[^<]*</span>', html)


# View counting


def beacon(client, article, reader="abc123", **headers):
    """What the page's script sends once the page is shown."""
    response = client.post(f"/views/{article.code}/", {"reader": reader}, **headers)
    assert response.status_code == 204
    return response


def cache_entries():
    if hasattr(cache, "_list_cache_files"):
        return len(cache._list_cache_files())
    return cache._cache.get_client().dbsize()


def written(article):
    reading.flush_views()
    return Article.objects.get(pk=article.pk).view_count


def test_a_page_served_from_the_cache_is_counted_by_its_beacon(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    page = client.get(article.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    html = page.content.decode()
    assert f'data-views="/views/{article.code}/"' in html
    assert "/static/js/views.js" in html
    beacon(client, article)
    assert written(article) == 1
    assert DailyViews.objects.get(article=article).count == 1


def test_views_wait_in_the_cache_and_are_written_in_one_batch(client):
    article = ArticleFactory()
    with CaptureQueriesContext(connection) as queries:
        for number in range(5):
            beacon(client, article, reader=f"reader{number}")
    writes = [q for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    # The day's row is made with the first view and the first batch written
    # then; the other four wait in the cache.
    assert len(writes) <= 3
    assert Article.objects.get(pk=article.pk).view_count == 1
    assert written(article) == 5


def test_a_batch_is_written_by_the_first_view_after_a_while(client, monkeypatch):
    article = ArticleFactory()
    beacon(client, article, reader="first")
    beacon(client, article, reader="second")
    assert Article.objects.get(pk=article.pk).view_count == 1
    cache.delete("views:flush-due")  # FLUSH_SECONDS have passed
    beacon(client, article, reader="third")
    assert Article.objects.get(pk=article.pk).view_count == 3


def test_one_browser_counts_once_an_hour_however_it_asks(client):
    article = ArticleFactory()
    for number in range(5):
        client.get(article.get_absolute_url(), {"utm_source": number})
        beacon(client, article)
    assert written(article) == 1


def test_one_address_counts_at_most_its_rate_whatever_it_sends(client, settings):
    settings.VIEW_RATE = "3/h"
    article = ArticleFactory()
    for number in range(10):
        beacon(client, article, reader=f"name{number}")
    assert written(article) == 3
    before = cache_entries()
    for number in range(10, 40):
        beacon(client, article, reader=f"name{number}")
    assert cache_entries() == before  # nothing kept for the names it made up
    assert written(article) == 3


def test_views_from_another_sites_page_drafts_and_unknown_codes_are_not_counted(client):
    article = ArticleFactory()
    draft = ArticleFactory(draft=True)
    beacon(client, article, HTTP_SEC_FETCH_SITE="cross-site")
    beacon(client, draft)
    assert client.post("/views/999999/", {"reader": "x"}).status_code == 204
    assert client.get(f"/views/{article.code}/").status_code == 405
    assert written(article) == 0
    assert written(draft) == 0
    assert not DailyViews.objects.exists()


def test_views_the_database_cannot_take_wait_for_the_next_flush(client, monkeypatch):
    article = ArticleFactory()
    beacon(client, article, reader="one")
    beacon(client, article, reader="two")
    real_update = QuerySet.update

    def unavailable(self, **kwargs):
        if self.model is DailyViews:
            raise OperationalError("the database is restarting")
        return real_update(self, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(QuerySet, "update", unavailable)
        assert reading.flush_views() == 0
    beacon(client, article, reader="three")
    assert written(article) == 3


def test_flush_views_writes_what_the_cache_holds(client):
    article = ArticleFactory()
    for number in range(4):
        beacon(client, article, reader=f"r{number}")
    out = io.StringIO()
    call_command("flush_views", stdout=out)
    assert out.getvalue().strip() == "3 views written."
    assert Article.objects.get(pk=article.pk).view_count == 4
    call_command("flush_views", stdout=out)
    assert Article.objects.get(pk=article.pk).view_count == 4


# Most viewed and most commented


def test_most_viewed_ranks_the_views_of_the_last_seven_days():
    today = timezone.localdate()
    top, second, old_news = (
        ArticleFactory(),
        ArticleFactory(),
        ArticleFactory(published_at=timezone.now() - timedelta(days=60)),
    )
    DailyViews.objects.create(article=top, day=today, count=50)
    DailyViews.objects.create(article=top, day=today - timedelta(days=6), count=40)
    DailyViews.objects.create(article=second, day=today, count=60)
    DailyViews.objects.create(article=second, day=today - timedelta(days=7), count=900)
    DailyViews.objects.create(article=old_news, day=today - timedelta(days=1), count=70)
    for hidden in (ArticleFactory(draft=True), ArticleFactory(scheduled=True)):
        DailyViews.objects.create(article=hidden, day=today, count=900)
    ranked = reading.most_viewed()
    assert ranked == [top, old_news, second]
    assert [article.week_views for article in ranked] == [90, 70, 60]


def test_most_commented_counts_approved_comments_of_the_last_week():
    busy, quiet, closed = ArticleFactory(), ArticleFactory(), ArticleFactory(draft=True)
    for _number in range(3):
        CommentFactory(article=busy)
    CommentFactory(article=quiet)
    CommentFactory(article=quiet, status="pending")
    CommentFactory(article=quiet, status="rejected")
    CommentFactory(article=closed)
    old = CommentFactory(article=quiet)
    old.created_at = timezone.now() - timedelta(days=8)
    old.save(update_fields=["created_at"])
    old_busy = [CommentFactory(article=quiet) for _number in range(5)]
    for comment in old_busy:
        comment.created_at = timezone.now() - timedelta(days=9)
        comment.save(update_fields=["created_at"])

    ranked = count_most_commented()
    assert ranked == [busy, quiet]
    assert [article.recent_comments for article in ranked] == [3, 1]


def test_rankings_take_one_query_each_whatever_the_numbers(django_assert_num_queries):
    for number in range(12):
        article = ArticleFactory()
        DailyViews.objects.create(article=article, day=timezone.localdate(), count=number + 1)
        for _comment in range(number % 3 + 1):
            CommentFactory(article=article)
    with django_assert_num_queries(1):
        assert len(reading.most_viewed()) == reading.RANKING_SIZE
    with django_assert_num_queries(1):
        assert len(count_most_commented()) == reading.RANKING_SIZE


def test_home_and_article_show_the_popular_boxes(client):
    popular = ArticleFactory(title="خبر پربازدید")
    DailyViews.objects.create(article=popular, day=timezone.localdate(), count=50)
    discussed = ArticleFactory(title="خبر پربحث")
    CommentFactory(article=discussed)
    for url in ("/", discussed.get_absolute_url()):
        html = client.get(url).content.decode()
        assert 'id="most-viewed-heading"' in html
        assert 'id="most-commented-heading"' in html
        assert f'href="{popular.get_absolute_url()}"' in html


def test_no_popular_boxes_when_there_is_nothing_to_rank(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'class="popular"' not in html


# Previous and next in the service


def test_previous_and_next_are_the_neighbours_in_the_same_service(client):
    service = ServiceFactory(name="بازنشستگان")
    now = timezone.now()
    first = ArticleFactory(service=service, published_at=now - timedelta(days=3))
    ArticleFactory(published_at=now - timedelta(days=2))  # another service
    middle = ArticleFactory(service=service, published_at=now - timedelta(days=2))
    ArticleFactory(service=service, published_at=now - timedelta(days=1), draft=True)
    last = ArticleFactory(service=service, published_at=now - timedelta(hours=1))
    ArticleFactory(service=service, scheduled=True)

    assert reading.service_neighbours(middle) == {"earlier": first, "later": last}
    assert reading.service_neighbours(first) == {"earlier": None, "later": middle}
    assert reading.service_neighbours(last) == {"earlier": middle, "later": None}

    html = client.get(middle.get_absolute_url()).content.decode()
    assert f'href="{first.get_absolute_url()}" rel="prev"' in html
    assert f'href="{last.get_absolute_url()}" rel="next"' in html


def test_neighbours_published_at_the_same_moment_are_ordered_by_news_code():
    service = ServiceFactory()
    moment = timezone.now() - timedelta(hours=2)
    one, two, three = (ArticleFactory(service=service, published_at=moment) for _n in range(3))
    assert reading.service_neighbours(two) == {"earlier": one, "later": three}


def test_article_page_query_count_stays_constant(client):
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(service=service, tags=["بیمه"])
    CommentFactory(article=article)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        return len(queries)

    few = count()
    for _number in range(15):
        other = ArticleFactory(service=service, tags=["بیمه"])
        CommentFactory(article=other)
    # Never more; fewer, as this article's comments are still as they were.
    assert count() <= few


# Images


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(width, height, image_format="JPEG", name="photo.jpg"):
    buffer = BytesIO()
    Image.new("RGB", (width, height), "#0b4f8a").save(buffer, image_format)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_article_image_comes_in_phone_and_desktop_widths(client, media):
    article = ArticleFactory(image=upload(2000, 1000), image_caption="نشست خبری")
    html = client.get(article.get_absolute_url()).content.decode()
    tag = re.search(r"<img [^>]*>", html.split('class="article__image"')[1]).group(0)
    srcset = re.search(r'srcset="([^"]+)"', tag).group(1)
    widths = [int(w) for w in re.findall(r" (\d+)w", srcset)]
    assert widths == [480, 960, 1440]
    assert 'sizes="' in tag
    assert 'width="960" height="480"' in tag
    assert 'alt="نشست خبری"' in tag
    assert article.image.url not in html  # the 2000-pixel original is never sent
    for url, width in re.findall(r"(\S+) (\d+)w", srcset):
        with Image.open(media / url.split(settings.MEDIA_URL, 1)[1]) as rendition:
            assert rendition.width == int(width)
            assert rendition.format == "JPEG"


def test_a_small_image_is_offered_at_its_own_width_only(media):
    article = ArticleFactory(image=upload(400, 300, "PNG", "chart.png"))
    info = images.responsive(article.image, article.image_width, article.image_height)
    assert [w for w in re.findall(r" (\d+)w", info["srcset"])] == ["400"]
    assert (info["width"], info["height"]) == (400, 300)


def test_an_unreadable_image_falls_back_to_the_plain_file(media):
    article = ArticleFactory(image=SimpleUploadedFile("broken.jpg", b"not an image"))
    assert article.image_width is None
    info = article.picture
    assert info["src"] == article.image.url
    assert info["srcset"] == "" and info["width"] is None


def test_images_in_the_body_load_lazily(client):
    article = ArticleFactory(
        body='<p>متن</p><figure><img src="/media/a.jpg" alt="نمودار"></figure>'
    )
    html = client.get(article.get_absolute_url()).content.decode()
    body = html.split('class="article__body"')[1].split("</div>")[0]
    assert '<img loading="lazy" decoding="async" src="/media/a.jpg"' in body
