"""`manage.py checkcomments`: texts in on standard input, verdicts out, one per line."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from comments import rules

TEXTS = [
    "سلام، حقوق این ماه کی واریز می‌شود؟",
    "مسئول شعبه ا ح م ق است",
    "When will the pension be paid?",
    "salam khobi? in khabar kheili khoob bood",
    "دو نشانی http://a.example.com و www.b.example.ir",
    "   ",
]
# verdict, rule, flags as the moderator reads them, the matched term, the text.
EXPECTED = [
    "accept\tok\t-\t-\tسلام، حقوق این ماه کی واریز می‌شود؟",
    "refuse\tinsult\tتوهین\tاحمق\tمسئول شعبه ا ح م ق است",
    "refuse\tlanguage\tزبان,انگلیسی\t-\tWhen will the pension be paid?",
    "refuse\tlanguage\tزبان,فینگلیش\t-\tsalam khobi? in khabar kheili khoob bood",
    "hold\tlink\tپیوند بیرونی\t-\tدو نشانی http://a.example.com و www.b.example.ir",
    "refuse\tempty\tخالی\t-\t   ",
]


@pytest.fixture(autouse=True)
def fresh_terms():
    rules.invalidate_blocked_terms()


def run(stdin=None):
    out = io.StringIO()
    call_command("checkcomments", stdout=out, **({"stdin": stdin} if stdin else {}))
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_each_line_gets_its_verdict_rule_and_text_separated_by_tabs():
    assert run(io.StringIO("\n".join(TEXTS) + "\n")) == EXPECTED


@pytest.mark.django_db
def test_texts_are_read_from_standard_input(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\r\n".join(TEXTS[:3])))
    assert run() == EXPECTED[:3]


@pytest.mark.django_db
def test_the_command_gives_the_same_verdict_as_check_comment():
    lines = run(io.StringIO("\n".join(TEXTS)))
    for text, line in zip(TEXTS, lines, strict=True):
        result = rules.check_comment(text)
        assert line.split("\t", 2)[:2] == [result.outcome, result.rule]


@pytest.mark.django_db
def test_explain_shows_the_matching_form_the_language_scores_and_the_matches():
    lines = run_explained("مدیر شعبه کودنه\nرئیس اداره رشوه گرفته\n")
    assert "  matching form: مدیر شعبه کودنه" in lines
    assert "  match: «کودن» (توهین) written «کودنه»" in lines
    language = next(line for line in lines if line.startswith("  language: "))
    assert language.startswith("  language: persian (") and "arabic" in language
    assert "  match: «رشوه گرفتن» (نسبت احتمالی) written «رشوه گرفته»" in lines


def run_explained(text):
    out = io.StringIO()
    call_command("checkcomments", "--explain", stdout=out, stdin=io.StringIO(text))
    return out.getvalue().splitlines()


@pytest.mark.django_db
def test_no_input_prints_nothing():
    assert run(io.StringIO("")) == []


def test_on_a_database_not_yet_migrated_it_says_to_migrate_instead_of_a_traceback(tmp_path):
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "REDIS_URL": "",
        "SECRET_KEY": "a-secret-key-for-a-new-checkout-" * 2,
        "DJANGO_SETTINGS_MODULE": "newsroom.site.settings",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "checkcomments"],
        input="سلام، حقوق این ماه کی واریز می‌شود؟\n",
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "run `manage.py migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
