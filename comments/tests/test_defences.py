"""What a bot pays for a comment: one form token and one question each, limits that hold
when posts arrive at once, refusals and questions counted, IPv6 counted by /64."""

import re
import threading
from datetime import timedelta

import pytest
from captcha.models import CaptchaStore
from django.db import connection
from django.test import Client
from django.utils import timezone

from comments.forms import issue_token, new_question
from comments.models import Comment
from newsroom.site.counters import address_key
from tests.factories import ArticleFactory

CLEAN_TEXT = "از اطلاع‌رسانی سریع درباره افزایش مستمری بازنشستگان سپاسگزارم."


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.COMMENT_MIN_SECONDS = 0


def form_fields(html):
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def visible_text(response):
    html = re.sub(r"<(script|style|textarea)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def answer_of(key):
    return CaptchaStore.objects.get(hashkey=key).response


def send(client, article, *, address="127.0.0.1", answer=None, **typed):
    """Open the form's page from `address`, answer its question and send it."""
    page = client.get(f"/comments/{article.code}/", REMOTE_ADDR=address)
    fields = form_fields(page.content.decode())
    data = {
        **fields,
        "name": "مریم رضایی",
        "text": CLEAN_TEXT,
        "captcha_1": answer if answer is not None else answer_of(fields["captcha_0"]),
        **typed,
    }
    return client.post(f"/comments/{article.code}/", data, REMOTE_ADDR=address)


def ready_made_post(article, store=None):
    """What a bot sends: a token of its own and a solved question, without opening the page."""
    store = store or new_question()
    return {
        "name": "خواننده",
        "text": CLEAN_TEXT,
        "issued": issue_token(article.code),
        "captcha_0": store.hashkey,
        "captcha_1": store.response,
    }


def post_at_once(article, bodies, address="198.51.100.4"):
    """Each body posted from a thread of its own, all released together; the statuses."""
    start = threading.Barrier(len(bodies))
    statuses = []

    def post(body):
        try:
            client = Client()
            start.wait()
            statuses.append(
                client.post(f"/comments/{article.code}/", body, REMOTE_ADDR=address).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writes are shown on PostgreSQL; SQLite runs one at a time")


# --- one form token, one question ------------------------------------------------


@pytest.mark.django_db
def test_a_form_token_is_accepted_only_once(client):
    article = ArticleFactory()
    page = client.get(f"/comments/{article.code}/")
    fields = form_fields(page.content.decode())
    answer = answer_of(fields["captcha_0"])
    first = {**fields, "name": "رضا", "text": CLEAN_TEXT, "captcha_1": answer}
    assert client.post(f"/comments/{article.code}/", first).status_code == 302

    # The same token with a fresh question, as the page's script would fetch it.
    question = client.get("/comments/question/").json()
    again = {
        **first,
        "text": "نظر دوم با همان برگه",
        "captcha_0": question["key"],
        "captcha_1": answer_of(question["key"]),
    }
    response = client.post(f"/comments/{article.code}/", again)
    assert response.status_code == 200
    assert Comment.objects.count() == 1
    assert "یک بار فرستاده شده" in visible_text(response)
    assert "نظر دوم با همان برگه" in response.content.decode()
    # The form shown again has a new token, which is accepted.
    renewed = form_fields(response.content.decode())
    assert renewed["issued"] != first["issued"]


@pytest.mark.django_db
def test_a_wrong_answer_uses_the_question_up(client):
    article = ArticleFactory()
    store = new_question()
    body = ready_made_post(article, store)
    wrong = client.post(f"/comments/{article.code}/", {**body, "captcha_1": "999"})
    assert wrong.status_code == 200
    body["issued"] = issue_token(article.code)
    assert client.post(f"/comments/{article.code}/", body).status_code == 200
    assert Comment.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_one_solved_question_sent_at_once_is_accepted_once(settings):
    needs_postgresql()
    settings.COMMENT_RATE = "1000/10m"
    settings.COMMENT_REFUSED_RATE = "1000/10m"
    article = ArticleFactory()
    for round_number in range(5):
        store = new_question()
        # Every post has a token of its own: only the question is shared.
        bodies = [ready_made_post(article, store) for _ in range(6)]
        statuses = post_at_once(article, bodies)
        assert statuses.count(302) == 1, f"round {round_number}: {statuses}"
    assert Comment.objects.count() == 5


@pytest.mark.django_db(transaction=True)
def test_one_token_sent_at_once_is_accepted_once(settings):
    needs_postgresql()
    settings.COMMENT_RATE = "1000/10m"
    settings.COMMENT_REFUSED_RATE = "1000/10m"
    article = ArticleFactory()
    token = issue_token(article.code)
    bodies = [{**ready_made_post(article), "issued": token} for _ in range(6)]
    assert post_at_once(article, bodies).count(302) == 1
    assert Comment.objects.count() == 1


# --- the comment limit and the refusals' limit ----------------------------------


@pytest.mark.django_db(transaction=True)
def test_twelve_comments_sent_at_once_pass_a_limit_of_five_exactly(settings):
    needs_postgresql()
    settings.COMMENT_RATE = "5/10m"
    article = ArticleFactory()
    bodies = [ready_made_post(article) for _ in range(12)]
    statuses = post_at_once(article, bodies)
    assert statuses == [302] * 5 + [429] * 7
    assert Comment.objects.count() == 5


@pytest.mark.django_db
def test_the_comment_limit_counts_one_at_a_time_on_any_database(client, settings):
    settings.COMMENT_RATE = "5/10m"
    article = ArticleFactory()
    statuses = [
        client.post(f"/comments/{article.code}/", ready_made_post(article)).status_code
        for _ in range(7)
    ]
    assert statuses == [302] * 5 + [429] * 2
    assert Comment.objects.count() == 5


@pytest.mark.django_db
def test_refused_posts_have_a_limit_of_their_own(client, settings):
    settings.COMMENT_REFUSED_RATE = "3/10m"
    article = ArticleFactory()
    for _ in range(3):
        assert send(client, article, answer="999").status_code == 200
    response = send(client, article, text="نظر پس از سه پاسخ نادرست")
    assert response.status_code == 429
    assert Comment.objects.count() == 0
    assert "چند نظر شما" in visible_text(response)
    assert "نظر پس از سه پاسخ نادرست" in response.content.decode()
    # Another reader is not affected.
    assert send(client, article, address="203.0.113.50").status_code == 302


@pytest.mark.django_db
def test_refused_posts_do_not_use_up_the_comment_limit(client, settings):
    settings.COMMENT_RATE = "2/10m"
    settings.COMMENT_REFUSED_RATE = "10/10m"
    article = ArticleFactory()
    for _ in range(3):
        assert send(client, article, answer="999").status_code == 200
    assert send(client, article).status_code == 302
    assert send(client, article).status_code == 302
    assert send(client, article).status_code == 429
    assert Comment.objects.count() == 2


# --- questions: limited per address, purged without an operator ----------------


@pytest.mark.django_db
def test_questions_handed_out_are_limited_per_address(client, settings):
    settings.COMMENT_QUESTION_RATE = "3/10m"
    article = ArticleFactory()
    for _ in range(2):
        assert client.get(f"/comments/{article.code}/form/").status_code == 200
    assert client.get("/comments/question/").status_code == 200
    assert CaptchaStore.objects.count() == 3

    fragment = client.get(f"/comments/{article.code}/form/")
    assert fragment.status_code == 429
    assert "پرسش حسابی" in visible_text(fragment)
    assert client.get("/comments/question/").status_code == 429
    page = client.get(f"/comments/{article.code}/")
    assert page.status_code == 429
    assert "پرسش حسابی" in visible_text(page)
    assert CaptchaStore.objects.count() == 3
    # Another address still gets its question.
    assert client.get("/comments/question/", REMOTE_ADDR="203.0.113.9").status_code == 200


@pytest.mark.django_db
def test_a_refused_post_past_the_question_limit_keeps_the_text(client, settings):
    settings.COMMENT_QUESTION_RATE = "1/10m"
    article = ArticleFactory()
    response = send(client, article, answer="999", text="متنی که باید بماند")
    assert response.status_code == 429
    assert "متنی که باید بماند" in response.content.decode()
    assert "پرسش حسابی" in visible_text(response)


@pytest.mark.django_db
def test_the_captcha_apps_own_addresses_are_not_served(client):
    response = client.get("/captcha/refresh/", HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 404
    assert CaptchaStore.objects.count() == 0


@pytest.mark.django_db
def test_expired_questions_are_deleted_without_an_operator(client):
    article = ArticleFactory()
    expired = CaptchaStore.objects.create(
        challenge="2+2=", response="4", expiration=timezone.now() - timedelta(minutes=1)
    )
    client.get(f"/comments/{article.code}/form/")
    assert not CaptchaStore.objects.filter(pk=expired.pk).exists()
    assert CaptchaStore.objects.count() == 1


# --- IPv6: one subscriber's /64 is one reader -----------------------------------


@pytest.mark.django_db
def test_ipv6_addresses_are_limited_by_their_64(client, settings):
    settings.COMMENT_RATE = "5/10m"
    article = ArticleFactory()
    for host in range(1, 6):
        assert send(client, article, address=f"2001:db8:1:2::{host}").status_code == 302
    assert send(client, article, address="2001:db8:1:2:ffff::9").status_code == 429
    assert send(client, article, address="2001:db8:1:3::1").status_code == 302
    assert Comment.objects.count() == 6


@pytest.mark.parametrize(
    ("address", "counted_as"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
        ("fe80::1%eth0", "fe80::/64"),
        ("not an address", "unknown"),
        (None, "unknown"),
    ],
)
def test_addresses_are_counted_by_reader(address, counted_as):
    assert address_key(address) == counted_as
