"""Names and texts that deceive: invisible names, the office's own name, hidden characters."""

import re
import unicodedata

import pytest
from captcha.models import CaptchaStore

from comments.models import Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CLEAN_TEXT = "از اطلاع‌رسانی سریع درباره افزایش مستمری بازنشستگان سپاسگزارم."
TAGS = "\U000e0068\U000e0069\U000e0064\U000e0065"  # «hide» in tag characters


@pytest.fixture(autouse=True)
def _no_waiting(settings):
    settings.COMMENT_MIN_SECONDS = 0


@pytest.fixture
def article():
    return ArticleFactory()


def send(client, article, **typed):
    page = client.get(f"/comments/{article.code}/")
    fields = dict(
        re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page.content.decode())
    )
    answer = CaptchaStore.objects.get(hashkey=fields["captcha_0"]).response
    data = {**fields, "name": "مریم رضایی", "text": CLEAN_TEXT, "captcha_1": answer, **typed}
    return client.post(f"/comments/{article.code}/", data)


def error_beside(response, field):
    return " ".join(re.findall(rf'id="{field}-error">([^<]+)<', response.content.decode()))


def textarea(response):
    return re.search(r"<textarea[^>]*>\n?(.*?)</textarea>", response.content.decode(), re.S).group(
        1
    )


@pytest.mark.parametrize(
    "name",
    [
        "\u200b",
        "\u3164",
        "\u3164\u200b \u200c",
        "\u2800\u2800",
        "\u115f\u1160\uffa0",
        "\u200d\u2060",
    ],
)
def test_a_name_of_invisible_characters_is_refused(client, article, name):
    response = send(client, article, name=name)
    assert response.status_code == 200
    assert Comment.objects.count() == 0
    assert "حروفی بنویسید که دیده شوند" in error_beside(response, "name")
    assert CLEAN_TEXT in textarea(response)


@pytest.mark.parametrize(
    "name",
    [
        "پاسخ روابط عمومی",
        "روابط عمومی",
        "روابط‌عمومی",
        "رَوابط عمومي",
        "روابـــط عمومى",
        "ﺭﻭﺍﺑﻂ ﻋﻤﻮﻣﻰ",  # presentation forms
        "ر و ا ب ط  ع م و م ی",
        "روابط\u200bعمومی",
        "رو۱بط عمومی",
        "پاسخ روابط عمومی سازمان",
        "Public Relations",
        "Рublic Relatiоns",  # Cyrillic Р and о
    ],
)
def test_the_offices_answer_label_is_refused_as_a_name(client, article, name):
    response = send(client, article, name=name)
    assert response.status_code == 200
    assert Comment.objects.count() == 0
    assert "ویژهٔ پاسخ‌های روابط عمومی" in error_beside(response, "name")
    assert CLEAN_TEXT in textarea(response)


@pytest.mark.parametrize("name", ["علی‌رضا محمدی", "مریم", "رابطه‌دار عمومی", "Ali Rezaei"])
def test_ordinary_names_are_accepted(client, article, name):
    assert send(client, article, name=name).status_code == 302
    assert Comment.objects.get().name == name


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"{CLEAN_TEXT}{TAGS}", CLEAN_TEXT),
        (f"سلام{TAGS} {CLEAN_TEXT}", f"سلام {CLEAN_TEXT}"),
        # Marks piled on one letter: three are kept, the rest removed.
        ("س" + "\u0651\u064e\u064b\u0650\u064f\u0652" * 3 + "لام " + CLEAN_TEXT,
         "س\u0651\u064e\u064bلام " + CLEAN_TEXT),
    ],
)  # fmt: skip
def test_hidden_characters_in_the_text_are_removed_with_a_message(client, article, typed, kept):
    response = send(client, article, text=typed)
    assert response.status_code == 200
    assert Comment.objects.count() == 0
    assert "نویسه‌های پنهان" in error_beside(response, "text")
    assert textarea(response) == kept
    # What is shown back is accepted as it is.
    assert send(client, article, text=textarea(response)).status_code == 302
    # Stored in its canonical form (NFC orders the marks).
    assert Comment.objects.get().text == unicodedata.normalize("NFC", kept)


def test_tag_characters_in_the_name_are_removed_with_a_message(client, article):
    response = send(client, article, name=f"مریم{TAGS}")
    assert "نویسه‌های پنهان" in error_beside(response, "name")
    assert 'value="مریم"' in response.content.decode()
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "text",
    [
        "مُتَشَکِّرَم از اطلاع‌رسانی دقیق درباره مستمری بازنشستگان.",
        "بسم‌اللّٰه؛ از اطلاع‌رسانی درباره بیمه سپاسگزارم.",
        "از اطلاع‌رسانی درباره بیمه سپاسگزارم ❤️ 1️⃣",
        "از هموطنان در اسکاتلند هم سپاسگزارم \U0001f3f4\U000e0067\U000e0062\U000e0073"
        "\U000e0063\U000e0074\U000e007f",
    ],
)
def test_persian_marks_and_emoji_are_accepted(client, article, text):
    assert send(client, article, text=text).status_code == 302
    assert Comment.objects.get().text == text
