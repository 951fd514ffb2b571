"""Checks that guard the whole project: migrations, translations, every page's frame."""

import importlib.util
import re
from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import ArticleFactory, CommentFactory, ServiceFactory

LOCALE = Path(settings.BASE_DIR) / "locale" / "fa" / "LC_MESSAGES"


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)


def test_every_persian_message_is_translated():
    catalogue = polib.pofile(LOCALE / "django.po")
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_its_source():
    source = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.pofile(LOCALE / "django.po").translated_entries()
    }
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in polib.mofile(LOCALE / "django.mo")
        if entry.msgid
    }
    assert compiled == source


def _font_script():
    path = Path(settings.BASE_DIR) / "fonts" / "subset.py"
    spec = importlib.util.spec_from_file_location("font_subset", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_font_files_and_the_stylesheet_give_the_same_ranges_without_overlap():
    fonts = _font_script()
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    faces = dict(re.findall(r'url\("../fonts/([^"]+)"\).*?unicode-range: ([^;]+);', css, re.S))
    assert faces == fonts.FILES
    for name in faces:
        assert (Path(settings.BASE_DIR) / "static" / "fonts" / name).stat().st_size > 10_000
    assert not fonts.code_points(fonts.PERSIAN) & fonts.code_points(fonts.OTHER)


def test_everything_the_site_writes_is_in_the_persian_part_of_the_font():
    """Templates, the Persian messages and the demo articles need only the first file.

    A character the font lacks («←» in the admin) is in its range too, so
    that no page fetches the second file for a glyph it does not have.
    """
    fonts = _font_script()
    base = Path(settings.BASE_DIR)
    texts = [path.read_text() for path in (base / "templates").rglob("*.html")]
    texts += [entry.msgstr for entry in polib.pofile(LOCALE / "django.po")]
    texts += [path.read_text() for path in (base / "newsroom" / "demo").glob("*.py")]
    texts += [(base / "newsroom" / "demo" / "news-77759.txt").read_text()]
    outside = {
        character
        for text in texts
        for character in text
        if ord(character) not in fonts.code_points(fonts.PERSIAN)
    }
    assert outside == set()


@pytest.fixture
def site_pages(db):
    service = ServiceFactory(name="اخبار")
    article = ArticleFactory(service=service, surtitle="روتیتر", tags=["بیمه"])
    CommentFactory(article=article)
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "service": service.get_absolute_url(),
        "tag": "/tag/بیمه/",
        "search": "/search/?q=بیمه",
        "empty search": "/search/?q=واژه‌ای-که-نیست",
        "comment form": f"/comments/{article.code}/",
        "not found": "/news/1/",
    }


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize(
    "page",
    ["home", "article", "service", "tag", "search", "empty search", "comment form", "not found"],
)
def test_every_page_is_persian_right_to_left_with_one_h1(client, site_pages, page):
    response = client.get(site_pages[page])
    html = response.content.decode()
    assert response.status_code == (404 if page == "not found" else 200)
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="fa" dir="rtl">' in html
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<meta name="viewport"' in html
    # Everything a reader reads is Persian: no English left untranslated.
    english = re.findall(r"\b[A-Za-z]{3,}\b", visible_text(html))
    assert english == []
    # Persian's zero is a dot: no dot stands between figures as a separator.
    assert re.findall("[·•∙⋅]", visible_text(html)) == []


def test_server_error_page_is_persian_and_needs_no_database(client, settings):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert '<html lang="fa" dir="rtl">' in html
    assert "خطای سرور" in html


@pytest.mark.parametrize("page", ["home", "service", "tag", "search"])
def test_a_listed_article_says_where_when_and_how_many_comments_in_one_line(
    client, site_pages, page
):
    html = client.get(site_pages[page]).content.decode()
    metas = re.findall(r'<p class="article-card__meta">(.*?)</p>', html, flags=re.S)
    assert metas
    for meta in metas:
        line = " ".join(re.sub(r"<[^>]+>", "", meta).split())
        # «اخبار، ۱۵ آذر ۱۴۰۵ - ۲۰:۰۰، ۱ نظر»: each comma follows its word.
        assert re.fullmatch(r"(?:\S[^،]*\S، )?[۰-۹]+ \S+ [۰-۹]+ - [۰-۹:]+، [۰-۹]+ نظر", line), line
