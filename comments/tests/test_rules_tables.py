"""The sentences written for issue 14, a table per kind, through the posting rules.

Each test states what a reader (or a moderator) would see for a kind of
comment: clean ones kept, insults refused with the insult message, possible
accusations and adverts held with their flag, other languages refused with
the language message. The tables are in tables.py; the starter lexicon is
the one migrations put in the database.
"""

import unicodedata
from pathlib import Path

import pytest

from comments import letters, lexicon, rules
from comments.rules import check_comment

from . import tables

STARTER = rules.starter_terms()
CORPUS = Path(__file__).parent / "corpus"


def verdict(text):
    return check_comment(text, terms=STARTER)


@pytest.mark.parametrize("text", tables.CLEAN)
def test_clean_comment_is_kept(text):
    result = verdict(text)
    assert result.outcome in ("accept", "hold"), result.reason
    assert "insult" not in result.flags and "language" not in result.flags


@pytest.mark.parametrize("text", tables.INSULTS_PLAIN)
def test_plain_insult_is_refused_with_the_insult_message(text):
    result = verdict(text)
    assert (result.outcome, result.rule) == ("refuse", "insult"), result.reason
    assert result.message == rules.INSULT_MESSAGE


@pytest.mark.parametrize("text", tables.INSULTS_DISGUISED)
def test_disguised_insult_is_refused(text):
    result = verdict(text)
    assert (result.outcome, result.rule) == ("refuse", "insult"), result.reason


@pytest.mark.parametrize("text", tables.ACCUSATIONS)
def test_accusation_is_held_for_the_moderator_with_its_flag(text):
    result = verdict(text)
    assert result.outcome == "hold", result.reason
    assert "accusation" in result.flags
    assert "«" in result.reason  # the term and how it was written


@pytest.mark.parametrize("text", tables.ADVERTS)
def test_advert_or_contact_details_are_held(text):
    result = verdict(text)
    assert result.outcome == "hold", result.reason
    assert set(result.flags) & {"advert", "contact", "link"}


@pytest.mark.parametrize(
    ("language", "text"),
    [(language, text) for language, texts in tables.NOT_PERSIAN.items() for text in texts],
)
def test_comment_not_in_persian_is_refused_or_left_to_a_moderator(language, text):
    # A few short texts without a letter of their own language are too close
    # to Persian for the model: those are held, flagged, never published.
    result = verdict(text)
    assert (result.outcome, result.rule) in (
        ("refuse", "language"),
        ("hold", "language-unsure"),
    ), (language, result)
    if result.outcome == "refuse":
        assert result.message in (
            rules.LANGUAGE_MESSAGE,
            rules.FINGLISH_MESSAGE,
            rules.MASH_MESSAGE,
        )


def test_nearly_every_comment_not_in_persian_is_refused():
    texts = [text for texts in tables.NOT_PERSIAN.values() for text in texts]
    refused = [text for text in texts if verdict(text).outcome == "refuse"]
    assert len(refused) / len(texts) >= 0.97


def test_the_tables_hold_at_least_three_hundred_sentences():
    count = sum(
        len(table)
        for table in (
            tables.CLEAN,
            tables.INSULTS_PLAIN,
            tables.INSULTS_DISGUISED,
            tables.ACCUSATIONS,
            tables.ADVERTS,
            *tables.NOT_PERSIAN.values(),
        )
    )
    assert count >= 300


# ---------------------------------------------------------------------------
# Look-alike letters, from Unicode's own data


def _lookalikes():
    """Every Arabic-script letter and presentation form whose fold is a Persian letter."""
    found = {}
    for code in [*range(0x0620, 0x0700), *range(0x0750, 0x0780), *range(0x08A0, 0x0900)]:
        ch = chr(code)
        if unicodedata.category(ch) == "Lo":
            folded = letters.fold(ch)
            if len(folded) == 1 and folded != ch:
                found.setdefault(folded, []).append(ch)
    return found


FUZZED_TERMS = [
    "احمق",
    "نفهم",
    "کثافت",
    "عوضی",
    "الاغ",
    "کودن",
    "خنگ",
    "بیشعور",
    "لاشی",
    "گوساله",
    "اسکل",
]


@pytest.mark.parametrize("term", FUZZED_TERMS)
def test_every_lookalike_of_every_letter_of_a_term_is_refused(term):
    lookalikes = _lookalikes()
    variants = [
        term[:i] + other + term[i + 1 :]
        for i, ch in enumerate(term)
        for other in lookalikes.get(ch, [])
    ]
    assert len(variants) >= 5
    passed = [variant for variant in variants if verdict(variant).rule != "insult"]
    assert passed == []


def test_presentation_forms_of_a_term_are_refused():
    # «نفهم» in initial, medial and final forms, as some keyboards and PDFs give it.
    assert verdict("\ufee7\ufed4\ufeec\ufee2").rule == "insult"


def test_urdu_kurdish_pashto_and_sindhi_letters_fold_to_persian():
    assert letters.fold("ہ ھ ە ۃ") == "ه ه ه ه"
    assert letters.fold("ی ې ۍ ێ ے") == "ی ی ی ی ی"
    assert letters.fold("ڪ ګ ڳ") == "ک گ گ"


# ---------------------------------------------------------------------------
# Never a substring, and the exact-form option


@pytest.mark.parametrize(
    "text", ["کسر حقوق", "کسی نیامد", "آخر ماه", "خرید خدمت", "خرداد", "اخراج", "گاوداری", "خراب"]
)
def test_words_of_the_first_rules_issue_stay_clean(text):
    assert verdict(text).outcome == "accept"


def test_an_exact_term_does_not_match_its_spelling_without_madda():
    assert verdict("شماره مرکز تماس اشغال بود").outcome == "accept"
    assert verdict("مدیر آشغال").rule == "insult"
    assert verdict("آشغالا").rule == "insult"


def test_a_verb_prefix_typed_apart_keeps_the_verb_whole():
    # «می خرن» is "they buy", not «خرن» ("they are donkeys").
    assert verdict("مردم دیگه گوشت نمی خرن").outcome == "accept"
    assert verdict("همشون خرن").rule == "insult"


def test_a_term_ending_in_an_infinitive_matches_the_verbs_forms():
    for text in ("رشوه گرفته", "رشوه میگیره", "رشوه می‌گیرند", "رشوه گرفتن"):
        assert "accusation" in verdict(text).flags, text
    # The subjunctive speaks of what should be: «نباید رشوه بگیرند» is no accusation.
    assert verdict("هیچ کارمندی نباید رشوه بگیره").flags == ("accusation",)  # «رشوه» itself


def test_an_accusation_allows_a_few_words_between_its_parts():
    assert "accusation" in verdict("حق بازنشسته‌ها رو خوردن").flags
    assert verdict("حق داریم بدانیم چرا دیر شد و غذا خوردن هم سخت شده").outcome == "accept"


# ---------------------------------------------------------------------------
# The project's own corpus: the issue's targets


def _corpus(kind):
    return [
        line.strip()
        for path in sorted(CORPUS.glob(f"{kind}*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def _share(texts, outcomes):
    return sum(verdict(text).outcome in outcomes for text in texts) / len(texts)


def test_own_corpus_keeps_clean_comments():
    assert _share(_corpus("clean"), {"accept", "hold"}) >= 0.99


def test_own_corpus_refuses_insults():
    assert _share(_corpus("insult"), {"refuse"}) >= 0.95
    assert _share(_corpus("insult_plain"), {"refuse"}) >= 0.90
    assert _share(_corpus("insult_disguised"), {"refuse"}) >= 0.90


def test_own_corpus_refuses_or_holds_accusations_and_adverts():
    assert _share(_corpus("accusation"), {"refuse", "hold"}) >= 0.90
    assert _share(_corpus("advert"), {"refuse", "hold"}) >= 0.90


def test_own_corpus_refuses_other_languages():
    assert _share(_corpus("lang_"), {"refuse"}) >= 0.97
    for path in sorted(CORPUS.glob("lang_*.txt")):
        assert _share(_corpus(path.stem), {"refuse"}) >= 0.90, path.stem


def test_finglish_words_list_has_no_english_word():
    assert not lexicon.ENGLISH_WORDS & lexicon.FINGLISH_WORDS
