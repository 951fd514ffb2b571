"""Search and the archive by Jalali month, as a reader uses them.

The table of queries runs on whichever database the suite runs on; CI runs
it on SQLite and on PostgreSQL, and both must find the same articles.
"""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import jdatetime
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.demo.articles import sample_article
from newsroom.search import engine as search
from newsroom.search.engine import search_articles, search_page, tsquery
from newsroom.search.query import parse
from newsroom.text import persian
from newsroom.text.jalali import parse_date as parse_jalali_date
from tests.factories import ArticleFactory, ServiceFactory

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL of migration 0002 is PostgreSQL's"
)


def jalali_moment(year, month, day, hour=12, minute=0):
    """A moment given as a Jalali date and a Tehran time."""
    gregorian = jdatetime.datetime(year, month, day, hour, minute).togregorian()
    return timezone.make_aware(gregorian)


@pytest.fixture
def corpus():
    """Articles written the ways editors and pasted text write them, and two readers never see."""
    news = ServiceFactory(name="اخبار", slug="news")
    retirees = ServiceFactory(name="بازنشستگان", slug="retirees")
    insured = ServiceFactory(name="بیمه‌شدگان", slug="insured")
    provinces = ServiceFactory(name="استان‌ها", slug="provinces")
    sample = sample_article()
    articles = {
        # The sample page: it lost its ZWNJs («اطلاعرسانی», «نمیتواند»).
        "sample": ArticleFactory(
            code=77759,
            title=sample["title"],
            lead=sample["lead"],
            body=sample["body"],
            tags=sample["tags"],
            service=news,
            published_at=datetime(2026, 11, 28, 11, 0, tzinfo=UTC),
        ),
        "pension": ArticleFactory(
            title="افزایش مستمری بازنشستگان از فروردین ۱۴۰۵",
            lead="مستمری بازنشستگان تأمین اجتماعی با اجرای همسان‌سازی افزایش می‌یابد.",
            body="<p>این افزایش برای همه مستمری‌بگیران اجرا می‌شود.</p>",
            tags=["مستمری"],
            service=retirees,
            published_at=jalali_moment(1405, 1, 20),
        ),
        # Typed on an Arabic keyboard: ي and ك.
        "unemployment": ArticleFactory(
            title="بيمه بيكاري كارگران فصلي",
            lead="کارگران فصلی برای بیمه بیکاری ثبت‌نام کنند.",
            body="<p>مهلت ثبت‌نام تا ۱۴۰۵/۰۳/۱۵ است.</p>",
            tags=["بیمه بیکاری"],
            service=insured,
            published_at=jalali_moment(1405, 3, 1),
        ),
        # Diacritics, a shadda and tatweel.
        "treatment": ArticleFactory(
            title="درمانِ رایگانِ بیمه‌شدگان در بیمارستان‌های تأمین اجتماعی",
            lead="خدمات درمـــانی بدون پرداخت هزینه ارائه می‌شود.",
            body="<p>مراجعه با کارت ملّی کافی است.</p>",
            tags=["درمان"],
            service=news,
            published_at=jalali_moment(1405, 6, 10),
        ),
        # Spaces where the sample has nothing and others a ZWNJ.
        "spaced": ArticleFactory(
            title="آیین تجلیل از فعالان رسانه‌ای استان",
            lead="در این آیین از نقش اطلاع رسانی دقیق تقدیر شد.",
            body="<p>مدیر کل گفت هیچ سازمانی بدون رسانه نمی تواند موفق باشد.</p>",
            service=provinces,
            published_at=jalali_moment(1405, 8, 1),
        ),
        "employers": ArticleFactory(
            title="نشست با کارفرمایان استان تهران",
            lead="نشست هم‌اندیشی برگزار شد.",
            body=(
                "<p>در این نشست <strong>کارفرمایان</strong> پرسش‌های خود را مطرح کردند. "
                '<a href="https://example.com/kharej">گزارش کامل</a></p>'
            ),
            tags=["کارفرمایان"],
            service=provinces,
            published_at=jalali_moment(1405, 7, 5),
        ),
        # Found by its tag only.
        "online": ArticleFactory(
            title="راه‌اندازی سامانه جدید نوبت‌دهی",
            lead="سامانه تازه از امروز در دسترس است.",
            body="<p>ثبت درخواست در سامانه انجام می‌شود.</p>",
            tags=["خدمات غیرحضوری"],
            service=insured,
            published_at=jalali_moment(1405, 5, 5),
        ),
        "latin": ArticleFactory(
            title="واکسن COVID-19 برای گروه‌های پرخطر",
            lead="Vaccination for insured people.",
            body="<p>نوبت‌دهی از ۱۴۰۴/۱۲/۲۰ آغاز شد.</p>",
            service=news,
            published_at=jalali_moment(1404, 12, 25),
        ),
        "branch": ArticleFactory(
            surtitle="گزارش تصویری",
            title="بازدید از شعبه ۲۴ تهران",
            lead="مدیر کل از شعبه بازدید کرد.",
            # «در مانور» is not «درمان».
            body="<p>در این بازدید از کارکنان قدردانی شد و در مانور امداد شرکت کردند.</p>",
            service=provinces,
            published_at=jalali_moment(1405, 4, 4),
        ),
        # Readers never see these two, whatever they search.
        "draft": ArticleFactory(
            draft=True,
            title="پیش‌نویس محرمانه درباره بیمه بیکاری",
            lead="این خبر نمی‌تواند منتشر شود؛ اطلاع‌رسانی سال ۱۴۰۵.",
            body="<p>متن پیش‌نویس.</p>",
            service=news,
        ),
        "scheduled": ArticleFactory(
            scheduled=True,
            title="اطلاعیه آینده‌نگری مستمری",
            lead="اطلاع‌رسانی درباره بیمه در سال ۱۴۰۵ که نمی‌تواند زودتر منتشر شود.",
            body="<p>متن زمان‌بندی‌شده.</p>",
            service=news,
        ),
    }
    return articles


def found(query, corpus, **filters):
    by_pk = {article.pk: key for key, article in corpus.items()}
    return {by_pk[article.pk] for article in search_articles(query, **filters)}


EVERY_SPELLING_OF_INFORMING = {"sample", "spaced"}
INSURANCE = {"unemployment", "treatment"}
YEAR_1405 = {"pension", "unemployment"}
SOCIAL_SECURITY = {"sample", "pension", "treatment"}

CASES = [
    # The issue's equivalences: ZWNJ, space or nothing between the halves.
    ("اطلاع‌رسانی", EVERY_SPELLING_OF_INFORMING),
    ("اطلاع رسانی", EVERY_SPELLING_OF_INFORMING),
    ("اطلاعرسانی", EVERY_SPELLING_OF_INFORMING),
    ("اطلاع‌رساني", EVERY_SPELLING_OF_INFORMING),
    ("نمی‌تواند", EVERY_SPELLING_OF_INFORMING),
    ("نمیتواند", EVERY_SPELLING_OF_INFORMING),
    ("نمی تواند", EVERY_SPELLING_OF_INFORMING),
    # Arabic and Persian letters, tatweel.
    ("بيمه", INSURANCE),
    ("بیمه", INSURANCE),
    ("بیمـــه", INSURANCE),
    ("«بیمه»؟", INSURANCE),
    ("كارگران", {"unemployment"}),
    ("بیکاری", {"unemployment"}),
    # Digits in every script.
    ("۱۴۰۵", YEAR_1405),
    ("1405", YEAR_1405),
    ("١٤٠٥", YEAR_1405),
    ("1405/03/15", {"unemployment"}),
    ("۱۴۰۵/۰۳/۱۵", {"unemployment"}),
    ("شعبه ۲۴", {"branch"}),
    ("شعبه 24", {"branch"}),
    ("19", {"latin"}),
    ("2", set()),
    # Diacritics and hamza, in the article or in the query.
    ("تأمین", SOCIAL_SECURITY),
    ("تامین", SOCIAL_SECURITY),
    ("تَأمین", SOCIAL_SECURITY),
    ("درمان", {"treatment"}),
    ("درمـــان", {"treatment"}),
    ("رایگان", {"treatment"}),
    ("ملی", {"treatment"}),
    ("مُلّی", {"treatment"}),
    # A word begins longer words; words joined or split.
    ("بیمارستان", {"treatment"}),
    ("رسانه", {"sample", "spaced"}),
    ("فعالیتها", {"sample"}),
    ("روابطعمومی", {"sample"}),
    ("اداره کل", {"sample"}),
    ("ادارهکل", {"sample"}),
    ("نوبت‌دهی", {"online", "latin"}),
    ("نوبت دهی", {"online", "latin"}),
    # Every word must be found, anywhere: surtitle, title, lead, body, tags.
    ("افزایش مستمری", {"pension"}),
    ("مستمری کارگران", set()),
    ("سازمان تأمین اجتماعی", {"sample"}),
    ("گزارش تصویری", {"branch"}),
    ("غیرحضوری", {"online"}),
    ("غیر حضوری", {"online"}),
    ("کارفرمایان", {"employers"}),
    # Latin letters in any case.
    ("covid", {"latin"}),
    ("COVID", {"latin"}),
    ("VACCINATION", {"latin"}),
    # Markup is not text.
    ("kharej", set()),
    ("href", set()),
    ("strong", set()),
    # Drafts and scheduled articles are never found.
    ("محرمانه", set()),
    ("آینده‌نگری", set()),
    ("پیش‌نویس", set()),
    # Nothing to search for.
    ("!!!", set()),
    ("", set()),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[query or "empty" for query, _ in CASES])
def test_query_finds_exactly_the_expected_published_articles(corpus, query, expected):
    assert found(query, corpus) == expected


def test_the_table_has_at_least_forty_cases():
    assert len(CASES) >= 40


def test_title_weighs_more_than_lead_and_lead_more_than_body():
    now = timezone.now()
    in_body = ArticleFactory(
        title="خبر یک", lead="لید یک", body="<p>زلزله در متن</p>", published_at=now
    )
    in_lead = ArticleFactory(
        title="خبر دو",
        lead="زلزله در لید",
        body="<p>متن دو</p>",
        published_at=now - timedelta(days=1),
    )
    in_title = ArticleFactory(
        title="زلزله در تیتر",
        lead="لید سه",
        body="<p>متن سه</p>",
        published_at=now - timedelta(days=2),
    )
    assert list(search_articles("زلزله")) == [in_title, in_lead, in_body]


def test_surtitle_weighs_like_the_title():
    now = timezone.now()
    in_lead = ArticleFactory(title="خبر", lead="گزارش سیل", published_at=now)
    in_surtitle = ArticleFactory(
        surtitle="سیل", title="خبر دیگر", published_at=now - timedelta(days=3)
    )
    assert list(search_articles("سیل")) == [in_surtitle, in_lead]


def test_equal_relevance_puts_the_newer_article_first():
    now = timezone.now()
    older = ArticleFactory(title="طرح ملی", published_at=now - timedelta(days=5))
    newer = ArticleFactory(title="طرح ملی", published_at=now - timedelta(days=1))
    assert list(search_articles("طرح")) == [newer, older]


def test_the_search_document_follows_tags_added_and_removed():
    article = ArticleFactory(title="خبر بی‌برچسب")
    assert list(search_articles("سلامت")) == []
    article.tags.add("سلامت")
    assert list(search_articles("سلامت")) == [article]
    article.tags.remove("سلامت")
    assert list(search_articles("سلامت")) == []


def test_an_edit_is_found_at_once_and_the_old_words_no_more():
    article = ArticleFactory(title="عنوان نخست")
    article.title = "عنوان اصلاح‌شده"
    article.save()
    assert list(search_articles("اصلاح")) == [article]
    assert list(search_articles("نخست")) == []


def test_only_the_newest_matches_are_ranked_and_the_page_says_there_are_more(client, monkeypatch):
    monkeypatch.setattr(search, "RANKED_WINDOW", 3)
    now = timezone.now()
    oldest = ArticleFactory(title="گزارش ویژه", published_at=now - timedelta(days=30))
    newer = [
        ArticleFactory(title="خبر", lead=f"گزارش ویژه {n}", published_at=now - timedelta(days=n))
        for n in range(1, 5)
    ]
    results = search_page("ویژه")
    assert results.more
    assert results.page.paginator.count == 3
    assert results.page.object_list == newer[:3]
    assert oldest not in results.page.object_list
    response = client.get("/search/", {"q": "ویژه"})
    assert response.context["results"].more
    assert response.context["page"].paginator.count == 3


def test_an_article_is_found_once_whatever_its_tags():
    article = ArticleFactory(title="بیمه", tags=["بیمه", "بیمه تکمیلی", "بیمه‌شدگان"])
    assert list(search_articles("بیمه", tag="بیمه")) == [article]


# The search page ---------------------------------------------------------------


def test_search_page_lists_title_jalali_date_and_marked_snippet(client, corpus):
    response = client.get("/search/", {"q": "اطلاعرسانی"})
    html = response.content.decode()
    assert response.status_code == 200
    assert {a.pk for a in response.context["page"].object_list} == {
        corpus["sample"].pk,
        corpus["spaced"].pk,
    }
    # The sample's own spelling and the spaced one are both marked.
    assert "<mark>اطلاعرسانی</mark>" in html
    assert "<mark>اطلاع رسانی</mark>" in html
    assert "۷ آذر ۱۴۰۵" in html
    assert (
        corpus["sample"].get_absolute_url() in html
        or quote(corpus["sample"].get_absolute_url()) in html
    )


def test_marks_cover_the_words_as_the_article_writes_them(client, corpus):
    html = client.get("/search/", {"q": "تامین"}).content.decode()
    assert "<mark>تأمین</mark>" in html
    html = client.get("/search/", {"q": "نوبت دهی"}).content.decode()
    assert "<mark>نوبت‌دهی</mark>" in html


def test_snippet_escapes_what_the_article_says_and_marks_only_the_words(client):
    ArticleFactory(
        title="هشدار <script>",
        body="<p>عبارت &lt;script&gt;alert(1)&lt;/script&gt; در متن کلاهبرداری آمده است.</p>",
    )
    html = client.get("/search/", {"q": "کلاهبرداری"}).content.decode()
    assert "<script>alert" not in html
    # Digits are shown in Persian, in the escaped text as anywhere else.
    assert "&lt;script&gt;alert(۱)&lt;/script&gt;" in html
    assert "<mark>کلاهبرداری</mark>" in html
    assert "هشدار &lt;script&gt;" in html


def test_the_query_is_shown_escaped(client):
    ArticleFactory(title="خبر کلاهبرداری")
    html = client.get("/search/", {"q": "<b>کلاهبرداری</b>"}).content.decode()
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_snippet_shows_the_passage_of_a_long_body_around_the_match():
    filler = " ".join(["واژه"] * 200)
    ArticleFactory(title="خبر بلند", body=f"<p>{filler} کلیدواژه‌ای یگانه {filler}</p>")
    result = search_page("یگانه").page.object_list[0]
    assert "<mark>یگانه</mark>" in result.snippet_html
    assert result.snippet_html.startswith("… ")
    assert result.snippet_html.endswith(" …")
    assert len(result.snippet_html) < 400


def test_nothing_found_says_so_with_suggestions(client, corpus):
    response = client.get("/search/", {"q": "واژه‌ای ناموجود", "service": "news"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    html = response.content.decode()
    assert "نتیجه‌ای یافت نشد." in html
    assert 'class="search-suggestions"' in html
    urls = [suggestion["url"] for suggestion in response.context["suggestions"]]
    assert "/search/?q=" + quote("واژه‌ای ناموجود").replace("%20", "+") in urls
    assert len(urls) == 3


def test_search_page_without_a_query_shows_the_form_only(client, corpus):
    response = client.get("/search/")
    assert response.status_code == 200
    assert response.context["page"] is None
    assert 'class="search-form"' in response.content.decode()


@pytest.mark.parametrize("typed", ["77759", "۷۷۷۵۹", "٧٧٧٥٩", " 77759 ", "کد خبر: ۷۷۷۵۹"])
def test_a_news_code_in_any_digits_goes_to_the_article(client, corpus, typed):
    response = client.get("/search/", {"q": typed})
    assert response.status_code == 302
    assert response["Location"] == corpus["sample"].get_absolute_url()


def test_the_code_of_an_unpublished_article_is_searched_as_a_number(client, corpus):
    for key in ("draft", "scheduled"):
        response = client.get("/search/", {"q": str(corpus[key].code)})
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 0


def test_pages_of_results_keep_the_query_and_filters(client, settings):
    settings.ARTICLES_PER_PAGE = 2
    service = ServiceFactory(name="اخبار", slug="news")
    for number in range(5):
        ArticleFactory(title=f"خبر آزمون {number}", service=service)
    response = client.get("/search/", {"q": "آزمون", "service": "news"})
    html = response.content.decode()
    assert response.context["page"].paginator.num_pages == 3
    assert "?q=%D8%A2%D8%B2%D9%85%D9%88%D9%86&amp;service=news&amp;page=2" in html
    second = client.get("/search/", {"q": "آزمون", "service": "news", "page": "2"})
    assert second.context["page"].number == 2


# Filters -----------------------------------------------------------------------


def test_filter_by_service(client, corpus):
    response = client.get("/search/", {"q": "بیمه", "service": "insured"})
    assert {a.pk for a in response.context["page"].object_list} == {corpus["unemployment"].pk}


def test_filter_by_tag_typed_any_way(corpus):
    assert found("بیمه", corpus, tag="بيمه بيكاري") == {"unemployment"}
    assert found("بیمه", corpus, tag="بیمه‌بیکاری") == {"unemployment"}
    assert found("بیمه", corpus, tag="برچسبی که نیست") == set()


def test_filters_alone_list_articles_newest_first(corpus):
    articles = list(search_articles("", service="provinces"))
    assert articles == [corpus["spaced"], corpus["employers"], corpus["branch"]]


@pytest.mark.parametrize(
    ("date_from", "date_to"),
    [
        ("۱۴۰۵/۰۱/۰۱", "۱۴۰۵/۰۳/۰۱"),
        ("1405/01/01", "1405/03/01"),
        ("١٤٠٥/٠١/٠١", "١٤٠٥/٠٣/٠١"),
        ("1405-1-1", "1405.3.1"),
        (" ۱۴۰۵ / ۱ / ۱ ", "۱۴۰۵/۳/۱"),
    ],
)
def test_filter_by_jalali_date_range_typed_in_any_digits(client, corpus, date_from, date_to):
    dates = {"date_from": date_from, "date_to": date_to}
    response = client.get("/search/", {"q": "", **dates})
    keys = {a.pk for a in response.context["page"].object_list}
    # Both ends are whole days: 1405/03/01 is in, though the article is at noon.
    assert keys == {corpus["pension"].pk, corpus["unemployment"].pk}
    response = client.get("/search/", {"q": "بیمه", **dates})
    assert [a.pk for a in response.context["page"].object_list] == [corpus["unemployment"].pk]


def test_the_issue_date_range_finds_the_year_so_far(corpus):
    start = parse_jalali_date("۱۴۰۵/۰۱/۰۱")
    end = parse_jalali_date("۱۴۰۵/۰۹/۰۸")
    assert found("تأمین", corpus, date_from=start, date_to=end) == SOCIAL_SECURITY
    # The sample was published on 1405/09/07 at 14:30, Tehran time.
    assert found("تأمین", corpus, date_from=parse_jalali_date("۱۴۰۵/۰۹/۰۷")) == {"sample"}
    assert found("تأمین", corpus, date_to=parse_jalali_date("۱۴۰۵/۰۹/۰۶")) == {
        "pension",
        "treatment",
    }


@pytest.mark.parametrize("typed", ["۱۴۰۵/۱۳/۰۱", "فردا", "1405/02/31x", "99999/1/1", "1405/12/31"])
def test_a_date_that_is_not_one_is_refused_beside_its_field(client, corpus, typed):
    response = client.get("/search/", {"q": "بیمه", "date_from": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]
    assert 'class="field__error" id="search-date_from-error"' in html
    assert f'value="{typed}"' in html
    assert response.context["page"] is None


def test_a_range_that_ends_before_it_starts_is_refused(client, corpus):
    response = client.get(
        "/search/", {"q": "بیمه", "date_from": "1405/09/01", "date_to": "1405/01/01"}
    )
    assert response.context["form"].errors["date_to"]


def test_jalali_dates_are_read_in_any_digits():
    assert parse_jalali_date("۱۴۰۵/۰۹/۰۸") == datetime(2026, 11, 29).date()
    assert parse_jalali_date("1405/9/8") == datetime(2026, 11, 29).date()
    assert parse_jalali_date("١٤٠٥-٠٩-٠٨") == datetime(2026, 11, 29).date()
    assert parse_jalali_date("1403/12/30") == datetime(2025, 3, 20).date()
    assert parse_jalali_date("1404/12/30") is None
    assert parse_jalali_date("") is None


# Typos (both databases) ---------------------------------------------------------


def test_a_one_letter_typo_still_finds_the_article_and_offers_the_word(corpus):
    results = search_page("بازنشستگن")
    assert results.corrected == "بازنشستگان"
    assert [a.pk for a in results.page.object_list] == [corpus["pension"].pk]
    assert "<mark>بازنشستگان</mark>" in results.page.object_list[0].title_html


def test_a_typo_never_finds_drafts_or_scheduled_articles(corpus):
    results = search_page("محرمانهه")
    assert results.page.paginator.count == 0
    results = search_page("آینده‌نگریی")
    assert results.page.paginator.count == 0


@on_postgresql
def test_the_weighted_vector_matches_the_matching_form(corpus):
    """The SQL of migration 0002 normalises a folded title as persian.normalize does."""
    characters = [chr(c) for c in range(0x0600, 0x0700)] + ["\u200c", "A", "Z"]
    characters = [
        c
        for c in characters
        if persian.fold(c) == c and not c.isspace() and len(persian.normalize(c)) <= 1
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c, newsroom_match_form(c) FROM unnest(%s::text[]) AS c", [characters]
        )
        mismatched = {c: sql for c, sql in cursor.fetchall() if sql != persian.normalize(c)}
    assert mismatched == {}


# Query counts and bad input ------------------------------------------------------


def _search_queries(client, query):
    """The SQL statements of one search page, from an empty cache (the synonyms too)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/search/", {"q": query}).status_code == 200
    return [q["sql"] for q in captured.captured_queries]


# The page's own (the menu, the next scheduled publication), the synonyms,
# the word index, the ranked keys, the next scheduled publication (how long
# the cache may keep them), the articles of the page and their comment
# counts; a word no article
# has: one more for the words it may be a slip for; a query found in no
# article with all its words: one more for which of its words some article
# has, and one more ranking for each smaller number of them tried. On
# PostgreSQL each ranking, and that look at the words, also asks for the
# planner's estimates and sets the plan in a transaction of its own (here a
# savepoint and its release, as the test runs in a transaction): five
# statements more for a ranking, four for the look at the words.
@pytest.mark.parametrize(
    ("query", "expected", "rankings"),
    [("بیمه", 8, 1), ("بیمه بازنشستگان", 8, 1), ("بازنشستگن", 9, 1), ("بیمه زلزله", 10, 2)],
)
def test_search_page_queries_do_not_grow_with_the_articles(client, query, expected, rankings):
    if connection.vendor == "postgresql":
        expected += 5 * rankings + (4 if rankings > 1 else 0)
    service = ServiceFactory(name="اخبار")
    for number in range(3):
        ArticleFactory(title=f"بیمه بازنشستگان {number}", service=service, tags=["بیمه"])
    ArticleFactory(title="زلزله", service=service)
    few = _search_queries(client, query)
    for number in range(20):
        ArticleFactory(
            title=f"بیمه بازنشستگان دیگر {number}",
            service=ServiceFactory(name=f"خدمت {number}"),
            tags=["بیمه", f"برچسب {number}"],
        )
    many = _search_queries(client, query)
    assert len(many) == len(few) == expected, [sql[:80] for sql in many]


def test_a_search_asked_again_runs_no_query(client):
    ArticleFactory(title="بیمه بازنشستگان", service=ServiceFactory(name="اخبار"))
    first = _search_queries(client, "بیمه")  # the menu is kept from here on too
    with CaptureQueriesContext(connection) as again:
        client.get("/search/", {"q": "بیمه"})
    assert len(first) > 1
    assert len(again) == 0, [q["sql"][:80] for q in again.captured_queries]


def test_archive_queries_do_not_grow_with_the_articles(client):
    moment = jalali_moment(1405, 2, 10)
    ArticleFactory(published_at=moment)
    with CaptureQueriesContext(connection) as few:
        client.get("/archive/1405/02/")
    for number in range(15):
        ArticleFactory(published_at=moment, service=ServiceFactory(name=f"خدمت {number}"))
    with CaptureQueriesContext(connection) as many:
        client.get("/archive/1405/02/")
    assert len(many) == len(few)


JUNK = [
    "ب" * 5000,
    "بیمه " * 300,
    "!!! ؟؟؟ ... ---",
    "'; DROP TABLE newsroom_article; --",
    "' OR 1=1 --",
    "%",
    "_",
    "%_%",
    "\\",
    "بیمه\\",
    "بیمه\x00",
    "\x00",
    "a:* | b & !c <-> d",
    "'':*",
    "(((",
    "<script>alert(1)</script>",
    "\u202eبیمه\u202c",
    "\u200c\u200c\u200c",
    "ʻʻʻ ﷲ ⅷ ²³",
    "۱" * 50,
    "99999999999999999999999",
    "کد خبر 99999999999",
    "😀 بیمه 😀",
    "ـــ",
]


@pytest.mark.parametrize("query", JUNK, ids=range(len(JUNK)))
def test_junk_queries_give_a_page_never_an_error(client, corpus, query):
    response = client.get("/search/", {"q": query, "page": "abc"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "بیمه", "service": "'; --"},
        {"q": "بیمه", "tag": "%" * 50},
        {"q": "بیمه", "date_from": "\x00", "date_to": "%"},
        {"q": "بیمه", "date_from": "۱" * 40},
        {"q": ["بیمه", "مستمری"], "page": "-1"},
    ],
)
def test_junk_filters_give_a_page_never_an_error(client, corpus, params):
    assert client.get("/search/", params).status_code == 200


def test_a_query_never_builds_an_unbalanced_tsquery():
    for query in JUNK:
        text = tsquery(parse(query).terms)
        assert text.count("(") == text.count(")")
        assert "\x00" not in text


# The archive ---------------------------------------------------------------------


def test_archive_lists_the_months_published_articles_newest_first(client):
    first_moment = jalali_moment(1405, 2, 1, hour=0, minute=0)
    last_moment = jalali_moment(1405, 2, 31, hour=23, minute=59)
    first = ArticleFactory(title="نخستین خبر اردیبهشت", published_at=first_moment)
    last = ArticleFactory(title="واپسین خبر اردیبهشت", published_at=last_moment)
    ArticleFactory(title="خبر فروردین", published_at=first_moment - timedelta(minutes=1))
    ArticleFactory(title="خبر خرداد", published_at=last_moment + timedelta(minutes=1))
    ArticleFactory(title="پیش‌نویس اردیبهشت", published_at=first_moment, draft=True)

    response = client.get("/archive/1405/02/")
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [last, first]
    html = response.content.decode()
    assert "اردیبهشت ۱۴۰۵" in html
    assert 'href="/archive/1405/01/"' in html
    assert 'href="/archive/1405/03/"' in html
    assert "پیش‌نویس اردیبهشت" not in html


def test_archive_accepts_a_month_without_its_leading_zero(client):
    article = ArticleFactory(published_at=jalali_moment(1405, 2, 10))
    response = client.get("/archive/1405/2/")
    assert list(response.context["page"].object_list) == [article]


def test_an_empty_month_is_a_page_that_says_so(client):
    response = client.get("/archive/1390/05/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert '<p class="empty">' in response.content.decode()


def test_the_current_month_has_no_link_to_the_next(client):
    today = jdatetime.date.today()
    response = client.get(f"/archive/{today.year}/{today.month:02d}/")
    assert response.status_code == 200
    assert response.context["next_month"] is None


@pytest.mark.parametrize(
    "path",
    [
        "/archive/1405/13/",
        "/archive/1405/0/",
        "/archive/0/01/",
        "/archive/99999/01/",
        "/archive/9377/12/",
    ],
)
def test_a_month_that_does_not_exist_is_not_found(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


def test_scheduled_articles_of_the_month_are_not_listed(client):
    article = ArticleFactory(scheduled=True)
    moment = jdatetime.datetime.fromgregorian(datetime=timezone.localtime(article.published_at))
    response = client.get(f"/archive/{moment.year}/{moment.month:02d}/")
    assert article not in list(response.context["page"].object_list)


def filters_are_open(html):
    return bool(re.search(r'<details class="search-form__more"\s+open>', html))


@pytest.mark.parametrize(
    ("asked", "open_"),
    [
        ({"q": "بیمه"}, False),
        ({}, True),
        ({"q": "بیمه", "service": "pensions"}, True),
        ({"q": "بیمه", "tag": "مستمری"}, True),
        ({"q": "بیمه", "date_from": "۱۴۰۵/۰۹/۰۱"}, True),
        ({"q": "بیمه", "date_to": "فردا"}, True),
    ],
)
def test_the_filters_fold_away_under_a_search_by_words_alone(client, corpus, asked, open_):
    html = client.get("/search/", asked).content.decode()
    assert filters_are_open(html) == open_
    # Folded or not, the filters are in the form and sent with it.
    assert 'name="service"' in html and 'name="date_from"' in html


def test_both_search_boxes_take_what_search_reads_and_no_more_than_the_server_accepts(client):
    """A paragraph pasted into the box at the top of any page is cut to what search reads.

    Longer, its address would pass gunicorn's limit on a request line and
    the reader would get the server's English 414 page instead of results.
    """
    from gunicorn.config import Config

    from newsroom.search.query import MAX_QUERY_LENGTH

    pages = {"site-search": client.get("/"), "search-q": client.get("/search/", {"q": "بیمه"})}
    for box, page in pages.items():
        found = re.search(rf'<input id="{box}"[^>]*maxlength="(\d+)"', page.content.decode())
        assert found, f"#{box} has no maxlength"
        assert int(found[1]) == MAX_QUERY_LENGTH
    # Every Persian letter is six characters once the browser encodes it.
    request_line = f"GET /search/?q={quote('ب' * MAX_QUERY_LENGTH)} HTTP/1.1"
    assert len(request_line) < Config().limit_request_line
