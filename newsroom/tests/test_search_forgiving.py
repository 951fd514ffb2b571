"""Search forgives what readers type, on whichever database the suite runs on.

The word index that makes it so is kept in step with the articles; editors
keep the synonyms in the admin; the page says when it found only part of
the words and which word a mistyped one was taken for.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from newsroom.models import Article, SearchWord, Synonym
from newsroom.search import engine, inflection, spelling
from newsroom.search.engine import search_articles, search_page
from newsroom.search.query import parse
from tests.factories import ArticleFactory, StaffFactory

pytestmark = pytest.mark.django_db


def counts(*words):
    found = dict(SearchWord.objects.filter(word__in=words).values_list("word", "articles"))
    return {word: found.get(word, 0) for word in words}


def codes(results):
    return [article.code for article in results]


# The word index -----------------------------------------------------------------


def test_a_saved_article_puts_its_words_in_the_index():
    ArticleFactory(title="قالیبافان خراسان", lead="بیمه قالیبافان", tags=["فرش دستباف"])
    ArticleFactory(title="قالیبافان اصفهان", lead="خبر")
    assert counts("قالیبافان", "خراسان", "اصفهان", "دستباف") == {
        "قالیبافان": 2,
        "خراسان": 1,
        "اصفهان": 1,
        "دستباف": 1,
    }


def test_an_edit_counts_the_words_gained_and_lost():
    article = ArticleFactory(title="قالیبافان خراسان", lead="خبر")
    article.title = "قالیبافان کرمان"
    article.save()
    assert counts("قالیبافان", "خراسان", "کرمان") == {"قالیبافان": 1, "خراسان": 0, "کرمان": 1}


def test_tags_removed_and_a_deleted_article_leave_the_counts():
    article = ArticleFactory(title="خبر یک", tags=["زلزله"])
    assert counts("زلزله") == {"زلزله": 1}
    article.tags.set(["سیل"])
    assert counts("زلزله", "سیل") == {"زلزله": 0, "سیل": 1}
    Article.objects.get(pk=article.pk).delete()
    assert counts("سیل", "یک") == {"سیل": 0, "یک": 0}


def test_rebuilding_the_index_gives_the_counts_kept_on_save():
    for title in ("قالیبافان خراسان", "قالیبافان اصفهان", "درمانگاه اهواز"):
        ArticleFactory(title=title, tags=["درمان"])
    Article.objects.filter(title="درمانگاه اهواز").get().delete()
    kept = dict(SearchWord.objects.filter(articles__gt=0).values_list("word", "articles"))
    call_command("rebuild_search_words", stdout=open("/dev/null", "w"))
    rebuilt = dict(SearchWord.objects.values_list("word", "articles"))
    assert rebuilt == kept


def test_a_draft_word_never_finds_the_draft():
    ArticleFactory(draft=True, title="پیش‌نویس محرمانه")
    assert search_page("محرمانه").page.paginator.count == 0
    assert search_page("محرمانا").page.paginator.count == 0


# Inflection -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "forms",
    [
        "نماینده نمایندگان نمایندگی",
        "بازنشسته بازنشستگان بازنشستگی بازنشسته‌ها",
        "کارشناس کارشناسان کارشناس‌ها کارشناس‌های",
        "مطالبه مطالبات",
        "معاینه معاینات",
        "خدمت خدمات",
        "حکم احکام",
        "سابقه سوابق",
        "دفتر دفاتر دفترها",
        "بیمه بیمه‌ای بیمه‌ها",
        "نزدیک نزدیک‌تر نزدیک‌ترین",
        "درمان درمانی",
        "بافنده بافندگان بافنده‌ها",
        "می‌گیرند میگیرند میگیرن",
    ],
)
def test_forms_of_a_word_share_a_stem(forms):
    words = [parse(word).terms[0].word for word in forms.split()]
    stems = [inflection.stems_to_look_up(word) for word in words]
    assert all(set.intersection(stems[0], other) for other in stems[1:]), stems


@pytest.mark.parametrize("pair", ["زمان زمین", "حق حقوق", "مهم مهمان"])
def test_different_words_keep_different_stems(pair):
    first, second = pair.split()
    assert inflection.stem(first) != inflection.stem(second)


def test_a_query_finds_the_other_forms_of_its_words():
    plural = ArticleFactory(title="دیدار با نمایندگان کانون‌ها")
    ArticleFactory(title="دیدار با کارگران")
    assert codes(search_articles("نماینده کانون")) == [plural.code]


# Sound-alike letters and one edit -----------------------------------------------------


@pytest.mark.parametrize(
    "pair", ["اصفهان اسفهان", "ضروری زروری", "تقسیط تقسیت", "ثبت صبت", "همسان حمسان", "قالی غالی"]
)
def test_letters_that_sound_alike_give_one_key(pair):
    first, second = pair.split()
    assert spelling.sound_key(first) == spelling.sound_key(second)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("بازنشتگان", "بازنشستگان"),  # a letter left out
        ("بازنسشتگان", "بازنشستگان"),  # two swapped
        ("پرشک", "پزشک"),  # the key beside it
        ("قالیبافاان", "قالیبافان"),  # one too many
        ("جلی", "جعلی"),  # a three-letter word: one left out
    ],
)
def test_one_edit_reaches_the_word_meant(typed, meant):
    assert spelling.sound_key(meant) in spelling.keys_one_edit_away(spelling.sound_key(typed))


def test_two_letter_words_are_never_corrected():
    assert spelling.keys_one_edit_away("من") == {"من"}


def test_a_mistyped_word_finds_the_article_and_the_page_offers_the_word(client):
    article = ArticleFactory(title="بخش جدید دیالیز افتتاح شد")
    response = client.get("/search/", {"q": "بخش دیالیظ"})
    page = response.content.decode()
    assert f"/news/{article.code}/" in page
    assert "آیا منظورتان" in page
    assert "?q=%D8%A8%D8%AE%D8%B4+%D8%AF%DB%8C%D8%A7%D9%84%DB%8C%D8%B2" in page  # «بخش دیالیز»


def test_a_correct_word_is_not_corrected(client):
    ArticleFactory(title="بخش جدید دیالیز افتتاح شد")
    page = client.get("/search/", {"q": "دیالیز"}).content.decode()
    assert "آیا منظورتان" not in page


# Compounds ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["پیش‌ثبت‌نام", "پیش ثبت نام", "پیشثبتنام", "پیش ثبت‌نام"])
def test_a_compound_is_found_however_it_is_joined(typed):
    article = ArticleFactory(title="آغاز پیش‌ثبت‌نام وام")
    ArticleFactory(title="ثبت سفارش")
    assert codes(search_articles(typed)) == [article.code]


# Part of the words -------------------------------------------------------------------------


def test_no_article_with_every_word_lists_those_with_most_and_says_so(client):
    most = ArticleFactory(title="وام ضروری بازنشستگان")
    fewer = ArticleFactory(title="وام مسکن")
    none = ArticleFactory(title="خبر دیگر")
    response = client.get("/search/", {"q": "وام ضروری بازنشستگان ۱۴۰۴"})
    page = response.content.decode()
    assert "نتایج برای بخشی از واژه‌ها" in page
    assert f"/news/{most.code}/" in page
    assert f"/news/{fewer.code}/" not in page and f"/news/{none.code}/" not in page


def test_words_no_article_has_are_left_out_before_fewer_words_are_tried(monkeypatch):
    most = ArticleFactory(title="وام ضروری بازنشستگان")
    ArticleFactory(title="وام مسکن")
    tried, ranked = [], engine._ranked

    def ranking(*args, **kwargs):
        tried.append(kwargs.get("at_least"))
        return ranked(*args, **kwargs)

    monkeypatch.setattr(engine, "_ranked", ranking)
    results = search_page("وام ضروری بازنشستگان زلزله سونامی")
    assert results.partial
    assert codes(results.page.object_list) == [most.code]
    # Every word, then straight to the three that articles have.
    assert tried == [None, 3]


def test_a_word_no_article_has_is_named(client):
    ArticleFactory(title="درمانگاه تخصصی")
    page = client.get("/search/", {"q": "درمانگاه دزفول"}).content.decode()
    assert "«دزفول»" in page


def test_question_words_are_not_required(client):
    article = ArticleFactory(title="زمان واریز مستمری اعلام شد")
    results = search_page("مستمری کی واریز میشه")
    assert codes(results.page.object_list) == [article.code]
    assert not results.partial


# Synonyms ---------------------------------------------------------------------------------


def test_the_starter_list_is_there():
    assert Synonym.objects.filter(reader_key="لیست", official_key="فهرست").exists()


def test_a_readers_word_finds_the_official_one():
    article = ArticleFactory(title="مهلت ارسال فهرست بیمه")
    assert codes(search_articles("ارسال لیست بیمه")) == [article.code]


def test_a_synonym_an_editor_adds_is_used_at_once(client):
    article = ArticleFactory(title="پرداخت صورتحساب")
    assert search_page("قبض").page.paginator.count == 0
    Synonym.objects.create(reader_words="قبض", official_words="صورتحساب")
    assert codes(search_page("قبض").page.object_list) == [article.code]


def test_a_synonym_phrase_matches_with_or_without_spaces():
    article = ArticleFactory(title="هشدار درباره پیامک جعلی")
    assert codes(search_articles("اس ام اس جعلی")) == [article.code]
    assert codes(search_articles("اس‌ام‌اس جعلی")) == [article.code]


def test_a_shorter_word_does_not_take_a_longer_ones_synonyms():
    """«حقوق» stands for «مستمری»; «حق» in «حق بیمه» does not."""
    ArticleFactory(title="افزایش مستمری")
    assert search_articles("حق بیمه") == []


@pytest.fixture
def editor(client):
    user = StaffFactory(username="editor")
    user.groups.add(Group.objects.get(name="ویراستار"))
    client.force_login(user)
    return user


def test_editors_keep_synonyms_in_the_admin_in_persian(client, editor):
    page = client.get("/admin/newsroom/synonym/add/").content.decode()
    assert "واژه خواننده" in page and "واژه رسمی" in page
    response = client.post(
        "/admin/newsroom/synonym/add/",
        {"reader_words": "قبض", "official_words": "صورتحساب"},
    )
    assert response.status_code == 302
    assert Synonym.objects.filter(reader_key="قبض", official_key="صورتحساب").exists()


@pytest.mark.parametrize(
    ("reader", "official", "message"),
    [
        ("قبض", "قبض", "واژه رسمی همان واژه خواننده است"),
        ("لیست", "فهرست", "این جفت پیش‌تر در فهرست هست"),
        ("!!!", "فهرست", "یک واژه بنویسید"),
    ],
)
def test_a_synonym_refused_says_why_beside_the_field_and_keeps_the_text(
    client, editor, reader, official, message
):
    response = client.post(
        "/admin/newsroom/synonym/add/", {"reader_words": reader, "official_words": official}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert f'value="{official}"' in page


def test_the_synonyms_admin_finds_a_pair_however_it_is_typed(client, editor):
    page = client.get("/admin/newsroom/synonym/", {"q": "اس‌ام‌اس"}).content.decode()
    assert "پیامک" in page


# Cost ---------------------------------------------------------------------------------------


def test_an_editors_save_writes_the_index_in_a_few_statements():
    article = ArticleFactory(title="خبر اول درباره بیمه")
    article.body = "<p>" + " ".join(f"واژه{n}" for n in range(600)) + "</p>"
    with CaptureQueriesContext(connection) as captured:
        article.save()
    index = [q["sql"] for q in captured.captured_queries if "searchword" in q["sql"]]
    # 600 new words: three INSERTs of 200, one UPDATE for the words lost.
    assert len(index) <= 5, index


# The cache -----------------------------------------------------------------------------


def test_a_cached_search_shows_an_edit_at_once(client):
    article = ArticleFactory(title="عنوان نخست")
    assert f"/news/{article.code}/" in client.get("/search/", {"q": "نخست"}).content.decode()
    article.title = "عنوان اصلاح‌شده"
    article.save()
    assert f"/news/{article.code}/" not in client.get("/search/", {"q": "نخست"}).content.decode()
    assert f"/news/{article.code}/" in client.get("/search/", {"q": "اصلاح"}).content.decode()


def test_a_cached_search_is_kept_no_longer_than_the_next_publication(settings):
    from newsroom.search.engine import _cache_seconds

    settings.SEARCH_CACHE_SECONDS = 60
    assert _cache_seconds() == 60
    ArticleFactory(published_at=timezone.now() + timedelta(seconds=5), title="به‌زودی")
    assert 1 <= _cache_seconds() <= 5


def test_with_no_time_to_keep_them_searches_are_not_kept(client, settings):
    settings.SEARCH_CACHE_SECONDS = 0
    ArticleFactory(title="بیمه بازنشستگان")
    client.get("/search/", {"q": "بیمه"})
    with CaptureQueriesContext(connection) as again:
        client.get("/search/", {"q": "بیمه"})
    assert any("newsroom_article" in q["sql"] for q in again.captured_queries)


def test_what_an_older_version_kept_in_the_cache_is_searched_again(client):
    from django.core.cache import cache

    from newsroom.search import engine

    article = ArticleFactory(title="بیمه بازنشستگان")
    key = engine._cache_key(
        "بیمه", {"service": None, "tag": None, "date_from": None, "date_to": None}
    )
    cache.set(key, ["not what this version keeps"])
    cache.set(f"{key}:page:1", ["nor this"])
    response = client.get("/search/", {"q": "بیمه"})
    assert response.status_code == 200
    assert f"/news/{article.code}/" in response.content.decode()
