from datetime import UTC, datetime

import pytest

from newsroom.text import persian


def test_arabic_letters_and_digits_are_folded_to_persian():
    assert persian.fold("علي كريمي ١٤٠٥") == "علی کریمی ۱۴۰۵"


def test_tatweel_and_bidi_controls_are_removed_from_stored_text():
    assert persian.fold("تأمیـــن\u202eاجتماعی\u200f") == "تأميناجتماعی".replace("ي", "ی")


def test_zwnj_beside_a_space_becomes_the_space():
    assert persian.fold("می\u200c خواهم") == "می خواهم"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("اطلاع‌رسانی", "اطلاعرسانی"),
        ("نمی‌تواند", "نمیتواند"),
        ("بيمه", "بیمه"),
        ("۱۴۰۵", "1405"),
        ("١٤٠٥", "1405"),
        ("مُستَمری", "مستمری"),
        ("مستمـــری", "مستمری"),
        ("تأمین", "تامین"),
        ("مسئول", "مسیول"),
        ("Tamin", "tamin"),
    ],
)
def test_spelling_variants_have_one_matching_form(one, other):
    assert persian.normalize(one) == persian.normalize(other)


def test_matching_form_keeps_words_apart():
    assert persian.words("بیمه،  بازنشستگان!") == ["بیمه", "بازنشستگان"]


def test_digits_are_shown_in_persian():
    assert persian.to_persian_digits("کد 77759") == "کد ۷۷۷۵۹"


def test_persian_digits_in_html_leave_markup_and_addresses_alone():
    html = '<a href="/news/77759/">خبر 12</a> https://es.tamin.ir/2 info1@tamin.ir &#1777; 3'
    assert persian.persian_digits_in_html(html) == (
        '<a href="/news/77759/">خبر ۱۲</a> https://es.tamin.ir/2 info1@tamin.ir &#1777; ۳'
    )


def test_jalali_shows_tehran_time_with_persian_digits():
    # 11:00 UTC is 14:30 in Tehran; 29 November 2026 is 8 Azar 1405.
    moment = datetime(2026, 11, 29, 11, 0, tzinfo=UTC)
    assert persian.jalali(moment) == "۸ آذر ۱۴۰۵ - ۱۴:۳۰"
    assert persian.jalali_date(moment) == "۸ آذر ۱۴۰۵"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("تأمین اجتماعی", "تأمین-اجتماعی"),
        ("بیمه‌شدگان", "بیمه-شدگان"),
        ("افزایش ۲۰ درصدی مستمری!", "افزایش-20-درصدی-مستمری"),
        ("بيمه  «بیکاری»", "بیمه-بیکاری"),
    ],
)
def test_slugs_keep_persian_letters(title, slug):
    assert persian.slugify(title) == slug


@pytest.mark.parametrize(("typed", "number"), [("10", 10), (" ۱۰ ", 10), ("١٠", 10), ("ده", None)])
def test_numbers_are_read_in_any_digits(typed, number):
    assert persian.parse_int(typed) == number
