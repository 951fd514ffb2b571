"""Readers like and dislike comments; the article page stays one page for every reader."""

import pytest
from django.test import Client

from comments import votes
from comments.models import Comment, CommentVotes
from tests.factories import ArticleFactory, CommentFactory

from .helpers import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="افزایش مستمری بازنشستگان")


@pytest.fixture
def comment(article):
    return CommentFactory(article=article, name="حسن", text="نظر خوبی درباره مستمری")


class Reader:
    """A reader's browser with its page script: a token first, then JSON votes."""

    def __init__(self, address="203.0.113.5"):
        self.client = Client(enforce_csrf_checks=True, REMOTE_ADDR=address)
        self.token = None

    def vote(self, comment, value):
        if self.token is None:
            self.token = self.client.get("/comments/vote/token/").json()["token"]
        return self.client.post(
            f"/comments/vote/{comment.pk}/",
            {"value": value},
            HTTP_X_CSRFTOKEN=self.token,
            HTTP_ACCEPT="application/json",
        )

    def my_votes(self):
        value = self.client.cookies[votes.COOKIE].value
        return value.split(":")[0]


def counts(comment):
    row = CommentVotes.objects.filter(pk=comment.pk).first()
    return (row.likes, row.dislikes) if row else (0, 0)


def test_a_like_counts_once_and_a_second_press_takes_it_back(comment):
    reader = Reader()
    response = reader.vote(comment, "like")
    assert response.json() | {"at": 0} == {"vote": "like", "likes": 1, "dislikes": 0, "at": 0}
    assert reader.my_votes() == f"{comment.pk}l"
    taken_back = reader.vote(comment, "like").json()
    assert taken_back | {"at": 0} == {"vote": None, "likes": 0, "dislikes": 0, "at": 0}
    assert reader.my_votes() == ""


def test_a_dislike_after_a_like_moves_the_vote(comment):
    reader = Reader()
    reader.vote(comment, "like")
    moved = reader.vote(comment, "dislike").json()
    assert (moved["vote"], moved["likes"], moved["dislikes"]) == ("dislike", 0, 1)
    assert counts(comment) == (0, 1)


def test_each_reader_has_a_vote(comment):
    for number in range(3):
        Reader(address=f"203.0.113.{number}").vote(comment, "like")
    Reader(address="203.0.113.9").vote(comment, "dislike")
    assert counts(comment) == (3, 1)


def test_a_vote_needs_the_security_token(comment):
    reader = Client(enforce_csrf_checks=True)
    response = reader.post(f"/comments/vote/{comment.pk}/", {"value": "like"})
    assert response.status_code == 403
    assert counts(comment) == (0, 0)


def test_a_forged_cookie_is_not_believed(comment):
    reader = Reader()
    reader.vote(comment, "like")
    reader.client.cookies[votes.COOKIE] = f"{comment.pk}d:forged:signature"
    # Unsigned: as if the reader had never voted, so this is a new like, not a move.
    assert reader.vote(comment, "like").json()["likes"] == 2


def test_a_reader_who_clears_the_cookie_is_held_by_the_per_comment_limit(comment, settings):
    settings.COMMENT_VOTES_PER_COMMENT_RATE = "3/1d"
    for _ in range(3):
        reader = Reader()
        assert reader.vote(comment, "like").status_code == 200
    refused = Reader().vote(comment, "like")
    assert refused.status_code == 429
    assert "رأی‌های زیادی" in refused.json()["error"]
    assert counts(comment) == (3, 0)
    # Another comment, or another address, is not held back.
    other = CommentFactory(article=comment.article)
    assert Reader().vote(other, "like").status_code == 200
    assert Reader(address="198.51.100.1").vote(comment, "like").status_code == 200


def test_votes_from_one_address_are_limited_in_all(article, settings):
    settings.COMMENT_VOTE_RATE = "4/10m"
    reader = Reader()
    comments = CommentFactory.create_batch(5, article=article)
    statuses = [reader.vote(comment, "like").status_code for comment in comments]
    assert statuses == [200, 200, 200, 200, 429]


@pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
def test_only_approved_comments_can_be_voted_on(article, status):
    hidden = CommentFactory(article=article, status=status)
    assert Reader().vote(hidden, "like").status_code == 404
    assert counts(hidden) == (0, 0)


def test_no_vote_shows_or_hides_a_comment(client, article):
    disliked = CommentFactory(article=article, text="نظری که همه نپسندیدند")
    pending = CommentFactory(article=article, status="pending", text="نظری که هنوز منتظر است")
    CommentVotes.objects.create(comment=disliked, likes=0, dislikes=500)
    CommentVotes.objects.create(comment=pending, likes=900, dislikes=0)
    text = visible_text(client.get(article.get_absolute_url()))
    assert "نظری که همه نپسندیدند" in text
    assert "نظری که هنوز منتظر است" not in text
    text = visible_text(client.get(article.get_absolute_url(), {"order": "liked"}))
    assert "نظری که همه نپسندیدند" in text
    assert "نظری که هنوز منتظر است" not in text


def test_the_page_shows_counts_and_is_the_same_for_a_reader_who_voted(article, comment):
    reader = Reader()
    reader.vote(comment, "like")
    first = Client().get(article.get_absolute_url())
    mine = reader.client.get(article.get_absolute_url())
    assert mine.content == first.content
    assert "Set-Cookie" not in mine.headers and not mine.cookies
    assert "Cookie" not in mine.get("Vary", "")
    assert "پسندیدم ۱" in visible_text(first)


def test_counts_reach_a_cached_page_through_a_small_shared_json(article, comment):
    before = Client().get(article.get_absolute_url())
    assert "پسندیدم ۰" in visible_text(before)
    Reader().vote(comment, "like")
    Reader(address="198.51.100.2").vote(comment, "dislike")
    from django.core.cache import cache

    cache.delete(f"comments:votes:{article.pk}")
    response = Client().get(f"/comments/{article.code}/votes/")
    assert response.json()["counts"] == {str(comment.pk): [1, 1]}
    assert response["Cache-Control"] == f"public, max-age=0, s-maxage={votes.COUNTS_SECONDS}"
    assert not response.cookies


def test_the_counts_json_is_read_once_for_many_readers(article, comment, django_assert_num_queries):
    Reader().vote(comment, "like")
    Client().get(f"/comments/{article.code}/votes/")
    with django_assert_num_queries(1):  # the article; the counts come from the cache
        Client().get(f"/comments/{article.code}/votes/")


def test_without_the_script_the_buttons_open_a_page_that_asks_first(article, comment):
    reader = Client(enforce_csrf_checks=True)
    html = reader.get(article.get_absolute_url()).content.decode()
    assert f'action="/comments/vote/{comment.pk}/"' in html
    page = reader.get(f"/comments/vote/{comment.pk}/", {"value": "like"})
    assert page.status_code == 200
    assert "این نظر را می‌پسندم" in visible_text(page)
    assert "نظر خوبی درباره مستمری" in visible_text(page)
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = reader.post(
        f"/comments/vote/{comment.pk}/", {"value": "like", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#comment-{comment.pk}"
    assert counts(comment) == (1, 0)
    again = reader.get(f"/comments/vote/{comment.pk}/", {"value": "like"})
    assert "پس گرفتن پسندم" in visible_text(again)


@pytest.mark.parametrize("value", ["", "love", "<b>"])
def test_a_vote_that_is_neither_gives_a_page_never_an_error(client, comment, value):
    response = client.get(f"/comments/vote/{comment.pk}/", {"value": value})
    assert response.status_code in (200, 400)
    assert "این نظر را می‌پسندم" in visible_text(response)


def test_most_liked_orders_top_level_comments_by_likes(client, article):
    ordinary = CommentFactory(article=article, text="نظر معمولی")
    liked = CommentFactory(article=article, text="نظر پسندیده")
    disliked = CommentFactory(article=article, text="نظر نپسندیده")
    CommentVotes.objects.create(comment=liked, likes=10, dislikes=1)
    CommentVotes.objects.create(comment=disliked, likes=0, dislikes=7)
    text = visible_text(client.get(article.get_absolute_url(), {"order": "liked"}))
    assert text.index("نظر پسندیده") < text.index("نظر معمولی") < text.index("نظر نپسندیده")
    text = visible_text(client.get(article.get_absolute_url()))
    assert text.index("نظر معمولی") < text.index("نظر پسندیده")
    assert ordinary


def test_the_order_links_say_which_is_chosen(client, article, comment):
    html = client.get(article.get_absolute_url(), {"order": "liked"}).content.decode()
    assert '?order=liked#comments" aria-current="true">پسندیده‌ترین' in html
    assert Comment.objects.count() == 1


def test_the_most_liked_order_is_one_shared_page_and_other_orders_are_ignored(client, article):
    CommentFactory(article=article, text="نظر نخست")
    liked = CommentFactory(article=article, text="نظر پسندیده")
    CommentVotes.objects.create(comment=liked, likes=5)
    url = article.get_absolute_url()
    first = client.get(url, {"order": "liked"})
    assert first["X-Page-Cache"] == "miss"
    again = Client().get(url, {"order": "liked", "utm_source": "x"})
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    default = client.get(url)
    assert default.content != first.content
    for junk in ("oldest", "LIKED", "<b>", "liked" * 20):
        ignored = Client().get(url, {"order": junk})
        assert ignored["X-Page-Cache"] == "hit", junk
        assert ignored.content == default.content


def test_a_vote_renews_no_page(client, article, comment):
    url = article.get_absolute_url()
    client.get(url)
    Reader().vote(comment, "like")
    assert client.get(url)["X-Page-Cache"] == "hit"
