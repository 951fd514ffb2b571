"""Search: which articles a reader's query finds, and in which order.

The query becomes terms, each with every spelling it may have (query.py).
An article is found when it has every required term in one of its spellings
anywhere in its search document (surtitle, title, lead, body text, tags).
When no article has them all, the articles with most of them are found
instead, and the page says so.

On PostgreSQL the terms become a tsquery over the `search_vector` column of
migration 0002, answered by its GIN index; elsewhere (SQLite) each term is a
regular expression over `search_document` with the same word boundaries.
Either way the newest RANKED_WINDOW articles found are ranked, by the same
measure on both databases: a term in the surtitle or title counts most, in
the lead less; its exact spelling a little more than another form of it; a
word the reader may leave out («کی», «چطور») a third as much. Ties go to the
newer article.

A search's ranked articles are kept in a shared cache (Redis) for
SEARCH_CACHE_SECONDS, and forgotten at once when an article, its tags or a
synonym change.
"""

import hashlib
import itertools
import json
import math
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    Case,
    Expression,
    FloatField,
    Func,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from newsroom.models import Article, Tag
from newsroom.search import highlight, query
from newsroom.search.query import ParsedQuery, Spelling, Term
from newsroom.text import jalali, persian

# How many of the newest matching articles are ranked (see _ranked).
RANKED_WINDOW = 500
# What a term weighs where it is found; an article's rank is the sum over the terms.
HEADING, LEAD = 1.0, 0.5
OTHER_FORM = 0.8  # a term found in another form than the reader's
OPTIONAL = 0.3  # a word the reader may leave out
# In a search for part of the words, each term an article has outweighs any ranking.
PER_TERM_FOUND = 10.0
# Walking the articles newest first costs about this many times more per
# article than reading one the index found (bench/search.py, 100,000 articles).
PLAN_CROSSOVER = 1.8
# A search for part of the words tries at most this many combinations of them at once.
MAX_COMBINATIONS = 40

GENERATION_KEY = "search:generation"
# Changed with what the cache keeps, so that a new version of the code never
# reads what an older one kept.
CACHE_FORMAT = 2

# The columns a result shows: those of an article list, and the body for the snippet.
RESULT_FIELDS = (
    "code",
    "surtitle",
    "title",
    "lead",
    "body",
    "published_at",
    "image",
    "image_width",
    "service__name",
    "service__slug",
)


def tsquery(terms: list[Term], *, every_term=True, exact_only=False, weight="") -> str:
    """The terms as a PostgreSQL tsquery: each term in any of its spellings.

    Every term must be found, or any of them (`every_term=False`). With
    `exact_only`, only the reader's own spellings; with `weight`, only words
    of that weight (A for the heading, B for the lead).
    """
    joiner = " & " if every_term else " | "
    return joiner.join(_term_tsquery(t.exact if exact_only else t.spellings, weight) for t in terms)


def _term_tsquery(spellings, weight="") -> str:
    """One term's spellings as a tsquery; a prefix is marked :*.

    In the heading (a `weight`), the words of a spelling must follow each
    other (<->). In the whole document they need only all be there (&): the
    GIN index then answers alone, where checking the order would have
    PostgreSQL read every candidate's positions again, three times slower.
    """
    follows = " <-> " if weight else " & "

    def lexeme(word, prefix):
        quoted = "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"
        flags = ("*" if prefix else "") + weight
        return f"{quoted}:{flags}" if flags else quoted

    def spelling(s: Spelling):
        last = len(s.words) - 1
        words = (lexeme(word, i == last and not s.whole) for i, word in enumerate(s.words))
        return "(" + follows.join(words) + ")"

    return "(" + (" | ".join(map(spelling, spellings)) or "''") + ")"


# Filters ---------------------------------------------------------------------


def _filtered(articles, *, service=None, tag=None, date_from=None, date_to=None):
    if service:
        articles = articles.filter(service__slug=service)
    if tag:
        articles = articles.filter(tags__key=Tag.key_for(tag))
    if date_from:
        articles = articles.filter(published_at__gte=jalali.start_of_day(date_from))
    if date_to:
        articles = articles.filter(
            published_at__lt=jalali.start_of_day(date_to + timedelta(days=1))
        )
    return articles


# Queries ---------------------------------------------------------------------


def search_articles(text: str, *, service=None, tag=None, date_from=None, date_to=None):
    """Published articles that have every required term of the query, the most relevant first.

    `service` is a service's slug, `tag` a tag's name as a reader types it,
    `date_from` and `date_to` Gregorian dates (both days included, in Tehran
    time). The RANKED_WINDOW newest articles that match are ranked; an older
    one is not found. Without words, the filters alone choose the articles,
    newest first; without words or filters, nothing is found.
    """
    filters = {"service": service, "tag": tag, "date_from": date_from, "date_to": date_to}
    terms = query.parse(text).terms
    if not terms:
        return list(_by_filters(filters))
    return _articles_in_order(_ranked(terms, filters)[0])


def _by_filters(filters):
    """The articles the filters alone choose, newest first; none without filters."""
    if not any(filters.values()):
        return Article.objects.none()
    articles = _filtered(Article.objects.published(), **filters)
    return _for_results(articles).order_by("-published_at", "-code")


def _ranked(
    terms: list[Term], filters: dict, *, at_least=None, among=None
) -> tuple[list[int], bool]:
    """The keys of the matching articles, the most relevant first, and whether there are more.

    Ranking reads every article it ranks: the RANKED_WINDOW newest that
    match are enough for a reader, and keep a query for a word that every
    article has as fast as a query for a rare one. They are read with their
    rank in one query, newest first (one more, to know whether there are
    more), and ordered by rank here, the newer first among equals.
    With `at_least`, an article needs only that many of the required terms
    (of those `among` them, when given), and the more it has, the higher it
    ranks.
    """
    articles = _filtered(Article.objects.published(), **filters)
    required = [term for term in terms if term.required]
    matching = among or required
    at_least = at_least or len(matching)
    if connection.vendor == "postgresql":
        text = _postgres_tsquery(matching, at_least)
        articles = _postgres_matching(articles, text)
    else:
        text, articles = "", _portable_matching(articles, matching, at_least)
    # An article found by fewer of the words has as many as the others, the
    # most that any has (see _find), unless some of their combinations were
    # left untried: then the terms each has are counted.
    tried_all = math.comb(len(matching), at_least) <= MAX_COMBINATIONS
    articles = _with_rank(articles, terms, found=at_least < len(required) and not tried_all)
    rows = articles.order_by("-published_at", "-code").values_list("pk", "rank")
    rows = rows[: RANKED_WINDOW + 1]
    if text:
        with transaction.atomic(), _postgres_plan_for(text, matching, at_least):
            rows = list(rows)
    else:
        rows = list(rows)
    more = len(rows) > RANKED_WINDOW
    rows = rows[:RANKED_WINDOW]
    by_rank = sorted(range(len(rows)), key=lambda place: (-rows[place][1], place))
    return [rows[place][0] for place in by_rank], more


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


def _combinations(terms, at_least):
    """Every choice of `at_least` of the terms, at most MAX_COMBINATIONS (the first ones)."""
    return list(itertools.islice(itertools.combinations(terms, at_least), MAX_COMBINATIONS))


def _postgres_tsquery(terms, at_least) -> str:
    """Every choice of `at_least` of the terms, each choice with all of its terms."""
    return " | ".join(f"({tsquery(list(chosen))})" for chosen in _combinations(terms, at_least))


def _postgres_matching(articles, text):
    from django.contrib.postgres.search import SearchQuery, SearchVectorField

    matches = SearchQuery(text, config="simple", search_type="raw")
    words = _ArticleColumn("search_vector", SearchVectorField())
    return articles.alias(search_words=words).filter(search_words=matches)


@contextmanager
def _postgres_plan_for(text, terms, at_least):
    """Has PostgreSQL find the newest matches the cheaper of its two ways, in this transaction.

    Walking the articles newest first reads about RANKED_WINDOW × articles /
    matches documents, each taken apart to check it; the GIN index hands over
    the matches alone, and each costs a read of the table. PostgreSQL prices
    checking a document at almost nothing and so walks too often: at 100,000
    articles, 400 ms for a query with 3,000 matches that the index answers in
    40. So the number of matches decides here (one EXPLAIN), and the other
    ways are turned off until the transaction ends.

    PostgreSQL takes the words of a query as independent, so it expects
    fewer articles with all of them than a news archive has, where words of
    one subject come together (at 100,000 articles, 5,000 for «بیمه خویش
    فرما» that 18,000 articles have). The estimate here is halfway (the
    geometric mean) between its figure and the most there can be: an article
    with `at_least` of the terms has one of any (terms − at_least + 1) of
    them, the least common of them as PostgreSQL counts each alone.
    """
    with connection.cursor() as cursor:
        _turn_off(cursor, "seqscan")
        expected, *each_term, articles = _postgres_estimates(
            cursor, [text, *(tsquery([term]) for term in terms)]
        )
        most = min(articles, sum(sorted(each_term)[: len(each_term) - at_least + 1]))
        matches = math.sqrt(expected * max(most, expected))
        walk = matches >= math.sqrt(PLAN_CROSSOVER * RANKED_WINDOW * articles)
        _turn_off(cursor, "bitmapscan" if walk else "indexscan")
    yield


def _turn_off(cursor, *ways):
    """Ways PostgreSQL may not take until the transaction ends.

    Searching in parallel workers is always off: the machine's cores serve
    other readers, and the estimates read from EXPLAIN are those of one plan.
    """
    settings = ["max_parallel_workers_per_gather", *(f"enable_{way}" for way in ways)]
    values = ["0", *("off" for _way in ways)]
    cursor.execute(
        "SELECT " + ", ".join("set_config(%s, %s, true)" for _setting in settings),
        [param for pair in zip(settings, values, strict=True) for param in pair],
    )


def _postgres_estimates(cursor, tsqueries) -> list[float]:
    """The articles PostgreSQL expects to match each tsquery, and then all the articles."""
    cursor.execute(
        "EXPLAIN (FORMAT JSON) "
        + " UNION ALL ".join(
            ["SELECT 1 FROM newsroom_article WHERE search_vector @@ %s::tsquery"] * len(tsqueries)
            + ["SELECT 1 FROM newsroom_article"]
        ),
        tsqueries,
    )
    plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return [part["Plan Rows"] for part in plan[0]["Plan"]["Plans"]]


def _portable_matching(articles, terms, at_least):
    patterns = [_document_pattern(term.spellings) for term in terms]
    if at_least == len(terms):
        for pattern in patterns:
            articles = articles.filter(search_document__regex=pattern)
        return articles
    found = sum(
        (Case(When(search_document__regex=p, then=1), default=0) for p in patterns), Value(0)
    )
    return articles.alias(terms_found=found).filter(terms_found__gte=at_least)


def _document_pattern(spellings) -> str:
    """A regular expression for a term anywhere in a document, as the tsquery finds it.

    The words of a spelling need only all be in the document, as on PostgreSQL
    (see _term_tsquery).
    """
    single = [spelling for spelling in spellings if len(spelling.words) == 1]
    alternatives = [highlight.spellings_pattern(single)] if single else []
    for spelling in spellings:
        if len(spelling.words) > 1:
            words = [Spelling((word,), True) for word in spelling.words[:-1]]
            words.append(Spelling(spelling.words[-1:], spelling.whole))
            alternatives.append(
                "^" + "".join(f"(?=[\\s\\S]*?{highlight.spellings_pattern([w])})" for w in words)
            )
    return "|".join(alternatives) or "(?!)"


def _with_rank(articles, terms, *, found=False):
    """Articles annotated with their rank; with `found`, the terms each has count first."""
    if connection.vendor == "postgresql":
        articles, has = _postgres_fields(articles, terms)
    else:
        articles, has = _portable_fields(articles, terms)
    rank = Value(0.0)
    for term in terms:
        weight = 1.0 if term.required else OPTIONAL
        exact, every = term.exact, term.spellings
        rank = rank + Case(
            When(has("heading", exact), then=Value(weight * HEADING)),
            When(has("heading", every), then=Value(weight * HEADING * OTHER_FORM)),
            When(has("lead", exact), then=Value(weight * LEAD)),
            When(has("lead", every), then=Value(weight * LEAD * OTHER_FORM)),
            default=Value(0.0),
            output_field=FloatField(),
        )
        if found and term.required:
            rank = rank + Case(
                When(has("document", every), then=Value(PER_TERM_FOUND)),
                default=Value(0.0),
                output_field=FloatField(),
            )
    return articles.annotate(rank=rank)


def _postgres_fields(articles, terms):
    from django.contrib.postgres.search import SearchQuery, SearchVectorField

    articles = articles.alias(
        search_heading_words=_ArticleColumn("search_heading", SearchVectorField()),
        search_words=_ArticleColumn("search_vector", SearchVectorField()),
    )
    weights = {"heading": "A", "lead": "B", "document": ""}

    def has(where, spellings):
        column = "search_words" if where == "document" else "search_heading_words"
        text = _term_tsquery(spellings, weights[where])
        return Q(**{column: SearchQuery(text, config="simple", search_type="raw")})

    return articles, has


class _Normalized(Func):
    """persian.normalize inside SQLite, which calls Python for it."""

    function = "newsroom_normalize"
    output_field = TextField()


def _portable_fields(articles, terms):
    if connection.vendor == "sqlite":
        # On every search: a connection opened before this module was imported
        # would not have it otherwise. Registering runs no query.
        connection.ensure_connection()
        connection.connection.create_function(
            _Normalized.function, 1, persian.normalize, deterministic=True
        )
    articles = articles.alias(
        heading_words=_Normalized(Concat("surtitle", Value(" "), "title")),
        lead_words=_Normalized("lead"),
    )
    columns = {"heading": "heading_words", "lead": "lead_words", "document": "search_document"}

    def has(where, spellings):
        pattern = (_document_pattern if where == "document" else highlight.spellings_pattern)(
            spellings
        )
        return Q(**{f"{columns[where]}__regex": pattern})

    return articles, has


# The search page --------------------------------------------------------------


@dataclass
class SearchPage:
    """One page of results, each article with `title_html` and `snippet_html`."""

    page: Page
    list_html: SafeString  # the articles of the page as the results list shows them
    terms: list[Term]
    more: bool  # more articles match than are ranked (RANKED_WINDOW)
    partial: bool = False  # no article has every word; these have most of them
    corrected: str = ""  # the query with its slips corrected, to offer
    unknown: list[str] = field(default_factory=list)  # words no article has


@dataclass
class _Found:
    """What a search found, as the cache keeps it: all but the articles themselves."""

    parsed: ParsedQuery
    ranked: list[int]
    more: bool
    partial: bool


def search_page(
    text: str, *, page_number=None, service=None, tag=None, date_from=None, date_to=None
) -> SearchPage:
    """The page of results a reader asked for; those with most of the words when none has all.

    The filters are those of search_articles. What was found, and each page
    of it as shown, is cached (SEARCH_CACHE_SECONDS): a page found there
    runs no query. Otherwise a few, never more as the archive grows: the
    word index (one or two), the ranked keys (one for every word; when no
    article has them all, one for which words some article has and one
    more for each fewer number of words tried), and the articles of the page.
    """
    filters = {"service": service, "tag": tag, "date_from": date_from, "date_to": date_to}
    if not query.query_words(text):
        # The filters alone: their articles, newest first (nothing without them).
        page = Paginator(_by_filters(filters), settings.ARTICLES_PER_PAGE).get_page(page_number)
        page.object_list = _shown(list(page.object_list), [])
        return SearchPage(page=page, list_html=_list_html(page.object_list), terms=[], more=False)
    key = _cache_key(text, filters)
    page_key = f"{key}:page:{page_number or 1}"
    cached = cache.get_many([key, page_key]) if key else {}
    found, shown, seconds = cached.get(key), cached.get(page_key), None
    if not isinstance(found, _Found):
        found = None
    if not (isinstance(shown, tuple) and len(shown) == 2):
        shown = None
    if found is None:
        found = _find(text, filters)
        if key:
            seconds = _cache_seconds()
            cache.set(key, found, seconds)
    page = Paginator(found.ranked, settings.ARTICLES_PER_PAGE).get_page(page_number)
    if shown is None:
        articles = _shown(_articles_in_order(page.object_list), found.parsed.terms)
        shown = (articles, _list_html(articles))
        if key:
            cache.set(page_key, shown, seconds or _cache_seconds())
    page.object_list, list_html = shown
    return SearchPage(
        page=page,
        list_html=list_html,
        terms=found.parsed.terms,
        more=found.more,
        partial=found.partial,
        corrected=found.parsed.corrected if found.ranked else "",
        unknown=found.parsed.unknown,
    )


def _list_html(articles) -> SafeString:
    """The results list, rendered once for every reader of this page of this search."""
    return mark_safe(render_to_string("includes/search_results.html", {"articles": articles}))


def _shown(articles, terms) -> list[Article]:
    """The articles with their title and snippet marked, as the page shows them."""
    marker = highlight.Marker([term for term in terms if term.required])
    for article in articles:
        article.title_html = highlight.highlight(article.title, marker)
        article.snippet_html = highlight.snippet(article, marker)
        # The snippet is all the page shows of the body; the cache need not keep it.
        article.body = ""
    return articles


def _find(text, filters) -> _Found:
    parsed = query.parse(text)
    if not parsed.terms:
        return _Found(parsed, [], False, False)
    ranked, more = _ranked(parsed.terms, filters)
    if ranked or len(parsed.required) < 2:
        return _Found(parsed, ranked, more, False)
    # No article has every word: those with most of them. A word that no
    # article has is left out first, so that fewer numbers of words, and
    # fewer combinations of them, are tried.
    found_anywhere = _terms_found(parsed.required, filters)
    for at_least in range(min(len(found_anywhere), len(parsed.required) - 1), 0, -1):
        ranked, more = _ranked(parsed.terms, filters, at_least=at_least, among=found_anywhere)
        if ranked:
            return _Found(parsed, ranked, more, True)
    return _Found(parsed, [], False, False)


def _terms_found(terms: list[Term], filters: dict) -> list[Term]:
    """The terms that at least one of the articles the filters allow has, in one query.

    On PostgreSQL, a term it expects in many articles is taken as found
    without a look (taking a term that no article has for found only tries
    one more number of words); the others are looked for in the GIN index,
    where a rare word costs little and a word no article has nothing.
    """
    articles = _filtered(Article.objects.published(), **filters)
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            found = _exist(cursor, [_portable_matching(articles, [term], 1) for term in terms])
        return [term for term, has in zip(terms, found, strict=True) if has]
    with transaction.atomic(), connection.cursor() as cursor:
        _turn_off(cursor, "seqscan", "indexscan")
        *expected, everything = _postgres_estimates(cursor, [tsquery([term]) for term in terms])
        common = math.sqrt(PLAN_CROSSOVER * RANKED_WINDOW * everything)
        looked_for = [term for term, rows in zip(terms, expected, strict=True) if rows < common]
        matching = [_postgres_matching(articles, tsquery([term])) for term in looked_for]
        found = _exist(cursor, matching) if looked_for else ()
    missing = {term for term, has in zip(looked_for, found, strict=True) if not has}
    return [term for term in terms if term not in missing]


def _exist(cursor, querysets) -> tuple[bool, ...]:
    """Whether each queryset has a row, in one query."""
    compiled = [qs.order_by().values("pk")[:1].query.sql_with_params() for qs in querysets]
    # The ORM has no SELECT without a table; each EXISTS is a queryset it compiled.
    cursor.execute(
        "SELECT " + ", ".join(f"EXISTS({sql})" for sql, _params in compiled),
        [param for _sql, params in compiled for param in params],
    )
    return cursor.fetchone()


def _articles_in_order(pks: list[int]) -> list[Article]:
    if not pks:
        return []
    by_pk = _for_results(Article.objects.filter(pk__in=pks)).in_bulk()
    return [by_pk[pk] for pk in pks if pk in by_pk]


# The cache ---------------------------------------------------------------------


def _cache_key(text, filters) -> str | None:
    if not settings.SEARCH_CACHE_SECONDS:
        return None
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        cache.add(GENERATION_KEY, generation, None)
        generation = cache.get(GENERATION_KEY) or generation
    asked = repr((query.query_words(text), sorted((k, str(v)) for k, v in filters.items())))
    digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
    return f"search:{CACHE_FORMAT}:{generation}:{digest}"


def _cache_seconds() -> int:
    """SEARCH_CACHE_SECONDS, or less when a scheduled article is published sooner."""
    seconds = settings.SEARCH_CACHE_SECONDS
    now = timezone.now()
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    if upcoming is not None:
        seconds = min(seconds, math.ceil((upcoming - now).total_seconds()))
    return max(1, seconds)


def forget_searches() -> None:
    """Every search kept in the cache is searched again when next asked for."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
