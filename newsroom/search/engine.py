"""Search: which articles a reader's query finds, in which order, and how a
result shows the words it was found by.

A query is cut into words in the matching form of `persian.words`, where
Arabic letters, ZWNJ, digit scripts, diacritics and tatweel no longer
matter. Each word is a *term* that an article must contain somewhere in its
search document (surtitle, title, lead, body text and tags). A term is found
in any of its spellings, because Persian writers join and split words freely:

- the word itself, or a longer word it begins («بیمه» finds «بیمه‌شدگان»),
  unless it is a number or shorter than three letters, which must be whole;
- the word in two whole halves («اطلاعرسانی» finds «اطلاع رسانی»);
- the word joined to its neighbour in the query («اطلاع رسانی» finds the
  «اطلاعرسانی» that the matching form makes of «اطلاع‌رسانی»).

On PostgreSQL the terms become a tsquery over the `search_vector` column of
migration 0002, answered by its GIN index; elsewhere (SQLite) each term is a
regular expression over `search_document` with the same word boundaries.
The newest RANKED_WINDOW articles found are ranked: on PostgreSQL by ts_rank
over the `search_heading` column (surtitle and title weigh A, the lead B),
elsewhere by the same weights counted term by term; the body only finds.
When the words find nothing, PostgreSQL looks each one up among the words of
the articles by trigram similarity and searches the words like it instead:
a one-letter typo still finds the article.
Ties go to the newer article.
"""

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import jdatetime
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    Expression,
    F,
    FloatField,
    Func,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, RowNumber
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from newsroom.models import Article, Tag
from newsroom.text import persian

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
# Longer words than this are not real words; they are kept but not split.
MAX_SPLIT_WORD = 30
# A word of fewer letters (or a number) must match a whole word, not begin one.
PREFIX_MIN_LENGTH = 3
# The shortest half of a word written in two halves («اطلاع رسانی»), unless
# the half is a prefix or suffix that writers often set apart: «می رود»,
# «رسانه ای». (Shorter halves would make «درمان» find «در مانور».)
SPLIT_MIN_PART = 3
DETACHED_PREFIXES = frozenset(persian.words("می بی"))
DETACHED_SUFFIXES = frozenset(persian.words("ها ای تر"))
# A snippet shows about this many characters of the body around the first match.
SNIPPET_LENGTH = 240
SNIPPET_BEFORE = 60
# How much of a body is read for it: the passage a reader wants is near the start.
SNIPPET_SCAN = 5000
# How many of the newest matching articles are ranked (see _ranked).
RANKED_WINDOW = 500
# How alike (pg_trgm similarity) a word of the articles must be to a mistyped
# query word to be searched instead, and how many such words at most.
SIMILAR_WORD_MIN = 0.45
SIMILAR_WORDS_PER_WORD = 3

# The columns a result shows: those of an article list, and the body for the snippet.
RESULT_FIELDS = (
    "code",
    "surtitle",
    "title",
    "lead",
    "body",
    "published_at",
    "image",
    "service__name",
    "service__slug",
)

_LETTER = r"[^\W_]"
_NOT_LETTERS = r"[\W_]+"


@dataclass(frozen=True)
class Spelling:
    """One way a term may be written in a document: one word, or two in a row."""

    words: tuple[str, ...]
    whole: bool  # the last word must end there; otherwise it may go on


@dataclass(frozen=True)
class Term:
    word: str
    spellings: tuple[Spelling, ...]


def query_words(query: str) -> list[str]:
    """The words of a query in the matching form, each once, at most MAX_QUERY_WORDS."""
    found = []
    for word in persian.words((query or "")[:MAX_QUERY_LENGTH]):
        for part in word.split("_"):
            if part and part not in found:
                found.append(part)
    return found[:MAX_QUERY_WORDS]


def _is_whole(word: str) -> bool:
    return word.isdigit() or len(word) < PREFIX_MIN_LENGTH


def parse_query(query: str) -> list[Term]:
    """The terms of a query: each word of it with every spelling it may have."""
    words = query_words(query)
    terms = []
    for i, word in enumerate(words):
        spellings = [Spelling((word,), _is_whole(word))]
        for neighbour in (
            words[i - 1] + word if i else "",
            word + words[i + 1] if i + 1 < len(words) else "",
        ):
            if neighbour:
                spellings.append(Spelling((neighbour,), _is_whole(neighbour)))
        if not word.isdigit() and len(word) <= MAX_SPLIT_WORD:
            spellings.extend(Spelling(halves, True) for halves in _halves(word))
        terms.append(Term(word, tuple(dict.fromkeys(spellings))))
    return terms


def _halves(word: str):
    """The ways a word may have been written in two, both halves whole words."""
    for cut in range(2, len(word) - 1):
        head, tail = word[:cut], word[cut:]
        long_enough = len(head) >= SPLIT_MIN_PART and len(tail) >= SPLIT_MIN_PART
        if long_enough or head in DETACHED_PREFIXES or tail in DETACHED_SUFFIXES:
            yield head, tail


def term_pattern(term: Term) -> str:
    """A regular expression that finds a term in a text in the matching form.

    A prefix spelling runs to the end of the word it begins, so that a
    highlight covers the whole word.
    """
    alternatives = []
    for spelling in term.spellings:
        body = _NOT_LETTERS.join(re.escape(word) for word in spelling.words)
        alternatives.append(body + (f"(?!{_LETTER})" if spelling.whole else f"{_LETTER}*"))
    return f"(?<!{_LETTER})(?:{'|'.join(alternatives)})"


def tsquery(terms: list[Term], *, every_term=True) -> str:
    """The terms as a PostgreSQL tsquery: each term in any of its spellings.

    Every term must be found, or any of them (`every_term=False`, for ranking).
    """

    def lexeme(word):
        return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"

    def spelling(s):
        return "(" + " <-> ".join(map(lexeme, s.words)) + ("" if s.whole else ":*") + ")"

    joiner = " & " if every_term else " | "
    return joiner.join("(" + " | ".join(map(spelling, t.spellings)) + ")" for t in terms)


# Filters ---------------------------------------------------------------------

_JALALI_DATE_RE = re.compile(r"(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})")


def parse_jalali_date(text: str) -> date | None:
    """«۱۴۰۵/۰۹/۰۸», «1405-9-8» or «١٤٠٥.٠٩.٠٨» as a Gregorian date; None if not a date."""
    text = persian.to_ascii_digits(persian.strip_invisible(persian.fold(text or "")))
    match = _JALALI_DATE_RE.fullmatch(text)
    if not match:
        return None
    try:
        return jdatetime.date(*map(int, match.groups())).togregorian()
    except (ValueError, OverflowError):
        return None


def jalali_month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """The first moment of a Jalali month and of the next one, in Tehran time.

    Raises ValueError for a month that does not exist.
    """
    if not (1 <= month <= 12 and 1 <= year < jdatetime.MAXYEAR):
        raise ValueError("no such Jalali month")
    first = jdatetime.date(year, month, 1)
    following = jdatetime.date(year + month // 12, month % 12 + 1, 1)
    return _start_of_day(first.togregorian()), _start_of_day(following.togregorian())


def _start_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(articles, *, service=None, tag=None, date_from=None, date_to=None):
    if service:
        articles = articles.filter(service__slug=service)
    if tag:
        articles = articles.filter(tags__key=Tag.key_for(tag))
    if date_from:
        articles = articles.filter(published_at__gte=_start_of_day(date_from))
    if date_to:
        articles = articles.filter(published_at__lt=_start_of_day(date_to + timedelta(days=1)))
    return articles


# Queries ---------------------------------------------------------------------


def search_articles(query: str, *, service=None, tag=None, date_from=None, date_to=None):
    """Published articles that contain every word of the query, the most relevant first.

    `service` is a service's slug, `tag` a tag's name as a reader types it,
    `date_from` and `date_to` Gregorian dates (both days included, in Tehran
    time). The RANKED_WINDOW newest articles that match are ranked; an older
    one is not found. Without words, the filters alone choose the articles,
    newest first; without words or filters, nothing is found.
    """
    filters = {"service": service, "tag": tag, "date_from": date_from, "date_to": date_to}
    return _ranked(parse_query(query), filters)


def _ranked(terms: list[Term], filters: dict, window: int | None = None):
    articles = _filtered(Article.objects.published(), **filters)
    if not terms:
        if not any(filters.values()):
            return Article.objects.none()
        return _for_results(articles).order_by("-published_at", "-code")
    if connection.vendor == "postgresql":
        matching, rank = _postgres_matching, _postgres_rank
    else:
        matching, rank = _portable_matching, _portable_rank
    # Ranking reads every article it ranks: the newest few hundred are enough
    # for a reader, and keep a query for a word that every article has as
    # fast as a query for a rare one.
    newest = matching(articles, terms).order_by("-published_at", "-code").values("pk")
    newest = newest[: window or RANKED_WINDOW]
    ranked = rank(Article.objects.filter(pk__in=newest), terms)
    return _for_results(ranked).order_by("-rank", "-published_at", "-code")


def similar_words(words: list[str]) -> dict[str, list[str]]:
    """For each word no article has, the words of the articles most like it (pg_trgm).

    Only PostgreSQL keeps the articles' words (see migration 0002); elsewhere,
    and for words shorter than three letters, there are none.
    """
    words = [word for word in words if len(word) >= PREFIX_MIN_LENGTH]
    if connection.vendor != "postgresql" or not words:
        return {}
    with connection.cursor() as cursor:
        # The nearest words by trigram distance, straight from the GiST index;
        # a word that is itself among them is known and needs no other.
        cursor.execute(
            """
            SELECT typed.word, known.word, similarity(known.word, typed.word)
            FROM unnest(%s::text[]) AS typed (word)
            CROSS JOIN LATERAL (
                SELECT word FROM newsroom_search_word
                ORDER BY word <-> typed.word
                LIMIT %s
            ) AS known
            """,
            [words, SIMILAR_WORDS_PER_WORD],
        )
        nearest: dict[str, list[tuple[str, float]]] = {}
        for typed, known, similarity in cursor.fetchall():
            nearest.setdefault(typed, []).append((known, similarity))
    return {
        typed: alike
        for typed, found in nearest.items()
        if all(known != typed for known, _ in found)
        and (alike := [known for known, similarity in found if similarity >= SIMILAR_WORD_MIN])
    }


def with_similar_words(terms: list[Term], similar: dict[str, list[str]]) -> list[Term]:
    """The terms, each also found by the words like it."""
    return [
        Term(t.word, t.spellings + tuple(Spelling((w,), True) for w in similar.get(t.word, ())))
        for t in terms
    ]


def _for_results(articles):
    return articles.select_related("service").only(*RESULT_FIELDS)


class _ArticleColumn(Expression):
    """A column of the article table that migration 0002 adds and the model does not declare.

    Named with the alias the article table has in the (sub)query being compiled.
    """

    def __init__(self, name, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name(self.name)}", []


def _postgres_matching(articles, terms):
    from django.contrib.postgres.search import SearchQuery, SearchVectorField

    every_term = SearchQuery(tsquery(terms), config="simple", search_type="raw")
    words = _ArticleColumn("search_vector", SearchVectorField())
    return articles.alias(search_words=words).filter(search_words=every_term)


def _postgres_rank(articles, terms):
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField

    any_term = SearchQuery(tsquery(terms, every_term=False), config="simple", search_type="raw")
    heading = _ArticleColumn("search_heading", SearchVectorField())
    return articles.annotate(rank=SearchRank(heading, any_term))


class _Normalized(Func):
    """persian.normalize inside SQLite, which calls Python for it."""

    function = "newsroom_normalize"
    output_field = TextField()


def _portable_matching(articles, terms):
    for term in terms:
        articles = articles.filter(search_document__regex=term_pattern(term))
    return articles


def _portable_rank(articles, terms):
    if connection.vendor == "sqlite":
        # On every search: a connection opened before this module was imported
        # would not have it otherwise. Registering runs no query.
        connection.ensure_connection()
        connection.connection.create_function(
            _Normalized.function, 1, persian.normalize, deterministic=True
        )
    articles = articles.alias(
        heading=_Normalized(Concat("surtitle", Value(" "), "title")),
        lead_words=_Normalized("lead"),
    )
    # As on PostgreSQL: ts_rank's weights for A (title) and B (lead); the body only finds.
    rank = Value(0.0)
    for term in terms:
        pattern = term_pattern(term)
        rank = rank + Case(
            When(heading__regex=pattern, then=Value(1.0)),
            When(lead_words__regex=pattern, then=Value(0.4)),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return articles.annotate(rank=rank)


# The search page --------------------------------------------------------------


@dataclass
class SearchPage:
    """One page of results, each article with `title_html` and `snippet_html`."""

    page: Page
    terms: list[Term]
    similar: bool  # found by words like the query's, its own having found nothing
    more: bool  # more articles match than are ranked (RANKED_WINDOW)


def search_page(
    query: str, *, page_number=None, service=None, tag=None, date_from=None, date_to=None
) -> SearchPage:
    """The page of results a reader asked for; words like the query's when it finds nothing.

    The filters are those of search_articles. Two queries whatever the number
    of articles: the ranked keys of the matching articles, and the articles of
    the page (two more for words like the query's).
    """
    filters = {"service": service, "tag": tag, "date_from": date_from, "date_to": date_to}
    terms = parse_query(query)
    similar = more = False
    if not terms:
        page = _paginate(_ranked(terms, filters), page_number)
    else:
        ranked, more = _ranked_pks(terms, filters)
        if not ranked:
            like = similar_words([term.word for term in terms])
            if like:
                terms = with_similar_words(terms, like)
                ranked, more = _ranked_pks(terms, filters)
                similar = bool(ranked)
        page = _paginate(ranked, page_number)
        page.object_list = _articles_in_order(page.object_list)
    page.object_list = list(page.object_list)
    marker = _Terms(terms)
    for article in page.object_list:
        article.title_html = highlight(article.title, marker)
        article.snippet_html = snippet(article, marker)
    return SearchPage(page=page, terms=terms, similar=similar, more=more)


def _ranked_pks(terms, filters) -> tuple[list[int], bool]:
    """The keys of the ranked articles, and whether more match than are ranked.

    One more than RANKED_WINDOW is asked for, with each one's place by date,
    so that the oldest can be left out and known to exist in one query.
    """
    by_date = Window(RowNumber(), order_by=[F("published_at").desc(), F("code").desc()])
    ranked = _ranked(terms, filters, RANKED_WINDOW + 1).annotate(by_date=by_date)
    rows = list(ranked.values_list("pk", "by_date"))
    more = len(rows) > RANKED_WINDOW
    return [pk for pk, place in rows if place <= RANKED_WINDOW], more


def _paginate(articles, page_number) -> Page:
    return Paginator(articles, settings.ARTICLES_PER_PAGE).get_page(page_number)


def _articles_in_order(pks: list[int]) -> list[Article]:
    if not pks:
        return []
    by_pk = _for_results(Article.objects.filter(pk__in=pks)).in_bulk()
    return [by_pk[pk] for pk in pks if pk in by_pk]


# Highlighting -----------------------------------------------------------------


class _Terms:
    """Where the terms of a query are in a text in the matching form."""

    def __init__(self, terms):
        self.pattern = re.compile("|".join(f"(?:{term_pattern(term)})" for term in terms) or "(?!)")

    def spans(self, text):
        for match in self.pattern.finditer(text):
            if match.end() > match.start():
                yield match.start(), match.end()


def _matching_forms_of_characters() -> dict[int, str]:
    """Each character of the scripts an article is written in whose matching form differs.

    Spaces stay spaces (a text's matching form has single spaces between
    words); ZWNJ, diacritics and tatweel vanish; the rest become one
    character, a few (ligatures) more than one.
    """
    scripts = [(0x20, 0x250), (0x600, 0x700), (0x200B, 0x2070), (0xFB50, 0xFF00)]
    table = {}
    for first, last in scripts:
        for code in range(first, last):
            char = chr(code)
            normal = " " if char.isspace() else persian.normalize(char)
            if normal != char:
                table[code] = normal
    return table


_MATCHING_FORM = _matching_forms_of_characters()
# Characters whose matching form is not one character: where positions shift.
_RESIZED_RE = re.compile(
    "[" + "".join(re.escape(chr(c)) for c, n in _MATCHING_FORM.items() if len(n) != 1) + "]"
)


def _matching_form_with_positions(text: str) -> tuple[str, list[int]]:
    """The text in the matching form, and for each of its characters the index it came from."""
    positions: list[int] = []
    done = 0
    for match in _RESIZED_RE.finditer(text):
        index = match.start()
        positions.extend(range(done, index))
        positions.extend([index] * len(_MATCHING_FORM[ord(text[index])]))
        done = index + 1
    positions.extend(range(done, len(text)))
    return text.translate(_MATCHING_FORM), positions


def _marked_spans(text: str, marker) -> list[tuple[int, int]]:
    """Spans of `text` (as shown) where the marker finds something, merged and in order."""
    normal, positions = _matching_form_with_positions(text)
    spans = sorted(
        (positions[start], positions[end - 1] + 1) for start, end in marker.spans(normal)
    )
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _render(text: str, spans) -> SafeString:
    parts, done = [], 0
    for start, end in spans:
        parts.append(html.escape(text[done:start]))
        parts.append(f"<mark>{html.escape(text[start:end])}</mark>")
        done = end
    parts.append(html.escape(text[done:]))
    # Everything the article or reader wrote is escaped above; only <mark> is markup.
    return mark_safe("".join(parts))


def highlight(text: str, marker) -> SafeString:
    """The text, escaped, with the matched words in <mark>."""
    return _render(text or "", _marked_spans(text or "", marker))


_TAG_RE = re.compile(r"<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")


def plain_text(body_html: str) -> str:
    """The words of a stored (already cleaned) body, without markup."""
    return " ".join(html.unescape(_TAG_RE.sub(" ", body_html or "")).split())


def snippet(article, marker) -> SafeString:
    """A short passage of the body around its first match, else of the lead, marked."""
    body = plain_text(article.body)[:SNIPPET_SCAN]
    for text in (body, article.lead):
        spans = _marked_spans(text, marker)
        if spans:
            return _render_window(text, spans)
    return _render_window(body or article.lead, [])


def _render_window(text: str, spans) -> SafeString:
    first = spans[0][0] if spans else 0
    start = 0 if first <= SNIPPET_BEFORE else text.rfind(" ", 0, first - SNIPPET_BEFORE) + 1
    end = (
        len(text) if start + SNIPPET_LENGTH >= len(text) else text.find(" ", start + SNIPPET_LENGTH)
    )
    if end == -1:
        end = len(text)
    window = [
        (max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start
    ]
    shown = _render(text[start:end], window)
    return mark_safe(("… " if start else "") + shown + (" …" if end < len(text) else ""))
