"""Long threads stay light, the office's answer comes first, answered questions have a page."""

import random
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from comments.models import Comment, CommentVotes
from comments.services import moderate_comments
from comments.signals import comments_changed
from tests.factories import ArticleFactory, CommentFactory, ServiceFactory, StaffFactory

from .helpers import visible_text

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus" / "clean.txt"


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان")


def realistic_texts(count=400):
    """Readers' comments of one to six sentences of the project's own corpus of clean
    comments: about 150 characters on average, the longest about 380."""
    lines = [line.strip() for line in CORPUS.read_text().splitlines() if line.strip()]
    rng = random.Random(14)
    return [" ".join(rng.sample(lines, rng.randint(1, 6))) for _ in range(count)]


def thousand_comments(article, *, replies_per_thread=0):
    """1,000 approved comments: top-level ones with replies, the office answering some."""
    texts = realistic_texts()
    rng = random.Random(16)
    top_count = 1000 // (1 + replies_per_thread)
    tops = Comment.objects.bulk_create(
        Comment(
            article=article,
            name=f"خواننده {n}",
            text=rng.choice(texts),
            status="approved",
        )
        for n in range(top_count)
    )
    replies = []
    for top in tops:
        for n in range(replies_per_thread):
            replies.append(
                Comment(
                    article=article,
                    parent=top,
                    thread=top,
                    name=f"پاسخ‌دهنده {n}",
                    text=rng.choice(texts),
                    status="approved",
                )
            )
    Comment.objects.bulk_create(replies)
    remaining = 1000 - top_count - len(replies)
    answers = [
        Comment(
            article=article,
            parent=top,
            thread=top,
            name="روابط عمومی",
            text=rng.choice(texts),
            status="approved",
            is_official=True,
        )
        for top in tops[:remaining]
    ]
    Comment.objects.bulk_create(answers)
    CommentVotes.objects.bulk_create(
        CommentVotes(comment=top, likes=rng.randrange(50), dislikes=rng.randrange(9))
        for top in tops
    )
    assert Comment.objects.approved().filter(article=article).count() == 1000


def page_queries(client, url):
    """Queries of a page rendered afresh, what all pages share (the menu, the week's
    rankings beside every article) kept by an earlier reader of another article."""
    client.get(ArticleFactory(title="خبری دیگر").get_absolute_url())
    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def queries_after_a_decision(client, article, url):
    """Queries of the page rendered again after a moderator's decision on one of its comments:
    its comments and the week's rankings are rendered again, the rest is kept."""
    client.get(url)
    comments_changed([article.pk])
    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("replies_per_thread", "order"),
    [(0, ""), (0, "liked"), (4, ""), (999, "")],
    ids=["all top-level", "most liked", "threads of five", "one thread of a thousand"],
)
def test_an_article_with_a_thousand_comments_stays_under_100_kb_and_6_queries(
    client, article, replies_per_thread, order
):
    thousand_comments(article, replies_per_thread=replies_per_thread)
    url = article.get_absolute_url() + (f"?order={order}" if order else "")
    response, queries = page_queries(client, url)
    size = len(response.content)
    assert size <= 100 * 1024, f"{size / 1024:.1f} KB"
    assert queries <= 6
    assert queries_after_a_decision(client, article, url) <= 6
    assert "نظرات (۱۰۰۰)" in visible_text(response)


def test_the_office_answer_comes_right_under_the_comment_before_readers_replies(client, article):
    question = CommentFactory(article=article, name="پرسنده", text="مستمری کی واریز می‌شود؟")
    CommentFactory(article=article, parent=question, thread=question, text="پاسخ خواننده نخست")
    CommentFactory(article=article, parent=question, thread=question, text="پاسخ خواننده دوم")
    CommentFactory(
        article=article,
        parent=question,
        thread=question,
        is_official=True,
        name="روابط عمومی",
        text="روز ۲۵ هر ماه واریز می‌شود.",
    )
    text = visible_text(client.get(article.get_absolute_url()))
    assert (
        text.index("مستمری کی واریز")
        < text.index("پاسخ روابط عمومی")
        < text.index("روز ۲۵ هر ماه")
        < text.index("پاسخ خواننده نخست")
        < text.index("پاسخ خواننده دوم")
    )


def test_an_answer_to_a_reply_comes_right_under_that_reply(client, article):
    top = CommentFactory(article=article, text="نظر آغازین")
    first = CommentFactory(article=article, parent=top, thread=top, text="پرسش در پاسخ")
    CommentFactory(article=article, parent=top, thread=top, text="پاسخ دیگر خواننده")
    CommentFactory(
        article=article, parent=first, thread=top, is_official=True, text="پاسخ رسمی به پرسش"
    )
    text = visible_text(client.get(article.get_absolute_url()))
    assert (
        text.index("نظر آغازین")
        < text.index("پرسش در پاسخ")
        < text.index("پاسخ رسمی به پرسش")
        < text.index("پاسخ دیگر خواننده")
    )


def test_a_busy_thread_shows_its_first_replies_and_links_to_the_rest(client, article, settings):
    settings.COMMENT_REPLIES_SHOWN = 2
    settings.COMMENTS_PER_PAGE = 3
    top = CommentFactory(article=article, name="حسن", text="نظر پربحث")
    for number in range(7):
        CommentFactory(article=article, parent=top, thread=top, text=f"پاسخ شماره {number}")
    text = visible_text(client.get(article.get_absolute_url()))
    assert "پاسخ شماره ۰" in text and "پاسخ شماره ۱" in text
    assert "پاسخ شماره ۲" not in text
    assert "۵ پاسخ دیگر به حسن" in text
    thread_url = f"/comments/{article.code}/thread/{top.pk}/"
    assert f'href="{thread_url}"' in client.get(article.get_absolute_url()).content.decode()
    first = visible_text(client.get(thread_url))
    assert "نظر پربحث" in first
    assert [f"پاسخ شماره {n}" in first for n in "۰۱۲۳۴۵۶"] == [True] * 3 + [False] * 4
    last = visible_text(client.get(thread_url, {"page": 3}))
    assert "پاسخ شماره ۶" in last
    assert client.get(thread_url, {"page": 4}).status_code == 404
    assert client.get(thread_url, {"page": "x"}).status_code == 404


def test_a_thread_page_of_a_reply_or_a_hidden_comment_is_a_404(client, article):
    top = CommentFactory(article=article)
    reply = CommentFactory(article=article, parent=top, thread=top)
    pending = CommentFactory(article=article, status="pending")
    for comment in (reply, pending):
        assert client.get(f"/comments/{article.code}/thread/{comment.pk}/").status_code == 404


def test_answered_questions_are_listed_on_their_own_with_their_answers(client, article):
    asked = CommentFactory(article=article, text="بیمه بیکاری چگونه است؟")
    CommentFactory(
        article=article, parent=asked, thread=asked, is_official=True, text="پاسخ درباره بیمه"
    )
    CommentFactory(article=article, text="پرسشی که پاسخ نگرفته؟")
    hidden = CommentFactory(article=article, status="rejected", text="پرسش ردشده؟")
    CommentFactory(article=article, parent=hidden, thread=hidden, is_official=True, text="پنهان")
    page = client.get(article.get_absolute_url())
    assert "پرسش‌های پاسخ‌داده‌شده (۱)" in visible_text(page)
    listed = client.get(f"/comments/{article.code}/answered/")
    text = visible_text(listed)
    assert "پرسش‌های پاسخ‌داده‌شده" in text
    assert text.index("بیمه بیکاری چگونه است؟") < text.index("پاسخ درباره بیمه")
    assert "پرسشی که پاسخ نگرفته" not in text
    assert "پرسش ردشده" not in text and "پنهان" not in text


def test_the_answered_questions_page_takes_a_fixed_number_of_queries(client, article):
    def add(number):
        for n in range(number):
            asked = CommentFactory(article=article, text=f"پرسش {n}؟")
            CommentFactory(article=article, parent=asked, thread=asked, is_official=True)

    add(2)
    _response, few = page_queries(client, f"/comments/{article.code}/answered/")
    add(20)
    _response, many = page_queries(client, f"/comments/{article.code}/answered/")
    assert few == many <= 5


def cold_queries(client, url):
    cache.clear()
    with override_settings(PAGE_CACHE=False), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/", "/service/اخبار/", "/tag/بیمه/"])
def test_lists_show_each_articles_comment_count_in_one_query(client, url):
    service = ServiceFactory(name="اخبار")
    articles = [ArticleFactory(service=service, title=f"خبر {n}", tags=["بیمه"]) for n in range(3)]
    CommentFactory.create_batch(3, article=articles[0])
    CommentFactory(article=articles[1])
    CommentFactory(article=articles[1], status="pending")
    text = visible_text(client.get(url))
    assert "۳ نظر" in text and "۱ نظر" in text and "۰ نظر" in text
    few = cold_queries(client, url)
    for n in range(8):
        other = ArticleFactory(service=service, title=f"خبر دیگر {n}", tags=["بیمه"])
        CommentFactory.create_batch(2, article=other)
    assert cold_queries(client, url) == few


def test_a_decision_shows_in_the_lists_counts_at_once(client):
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(service=service, title="خبر")
    comment = CommentFactory(article=article, status="pending")
    for url in ("/", "/service/اخبار/"):
        assert "۰ نظر" in visible_text(client.get(url))
    moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk),
        status="approved",
        moderator=StaffFactory(),
    )
    for url in ("/", "/service/اخبار/"):
        assert "۱ نظر" in visible_text(client.get(url)), url


def test_the_comment_count_template_tag_counts_only_approved_comments(article):
    from django.template import Context, Template

    CommentFactory.create_batch(2, article=article)
    CommentFactory(article=article, status="spam")
    template = Template(
        "{% load comment_counts %}{% approved_comment_counts articles as c %}{{ c|count_for:a }}"
    )
    others = ArticleFactory.create_batch(11)
    with CaptureQueriesContext(connection) as queries:
        shown = template.render(Context({"articles": [article, *others], "a": article}))
    assert shown == "2"
    assert len(queries) == 1


@pytest.mark.parametrize("page", ["answered", "thread"])
def test_the_comments_own_pages_are_shared_and_renewed_by_a_decision(client, article, page):
    asked = CommentFactory(article=article, text="پرسش نخست؟")
    CommentFactory(article=article, parent=asked, thread=asked, is_official=True, text="پاسخ نخست")
    url = {
        "answered": f"/comments/{article.code}/answered/",
        "thread": f"/comments/{article.code}/thread/{asked.pk}/",
    }[page]
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url, {"utm_source": "x"})["X-Page-Cache"] == "hit"
    reply = CommentFactory(article=article, parent=asked, thread=asked, status="pending")
    Comment.objects.filter(pk=reply.pk).update(text="پاسخ خواننده پس از تأیید")
    moderate_comments(
        comments=Comment.objects.filter(pk=reply.pk), status="approved", moderator=StaffFactory()
    )
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss"
    if page == "thread":
        assert "پاسخ خواننده پس از تأیید" in visible_text(fresh)
