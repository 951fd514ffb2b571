"""The word index: every word of the articles, kept in step with them, and what it tells a query.

Each word of an article's search document (in the matching form) is a row
of `SearchWord` with its stem (inflection.py), its sound key (spelling.py)
and the number of articles that have it. Saving an article adds the words
it gained and takes one off the count of the words it lost; the same on
both databases, so that the embedded default forgives what production does.

A query asks it, in one or two queries whatever the number of articles:
which words it knows, which other forms of a word the articles use, and
for a word that no article has, the words it is most likely a slip for.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Lookup, Q

from newsroom.search import inflection, spelling
from newsroom.search.models import SearchWord, Synonym

MIN_WORD = 2
MAX_WORD = 40
# A word that is a slip for another is corrected to at most this many words.
CORRECTIONS_PER_WORD = 3
# Rows of one INSERT when the index is written (SQLite's limit of
# variables is 32,766 on current versions, 999 on old ones).
WRITE_BATCH = 200

SYNONYMS_CACHE_KEY = "search:synonyms"

_WORD_RE = re.compile(r"\w+")


def document_words(document: str) -> set[str]:
    """The words of a search document (already in the matching form) that the index keeps."""
    return {
        word
        for word in _WORD_RE.findall(document or "")
        if MIN_WORD <= len(word) <= MAX_WORD and not word.isdigit() and "_" not in word
    }


# Keeping the index in step ----------------------------------------------------


def record_change(old_document: str, new_document: str) -> None:
    """Count the words an article gained and lost when its document changed."""
    old, new = document_words(old_document), document_words(new_document)
    _add(new - old)
    _remove(old - new)


def _add(words, counts=None) -> None:
    """Add one (or `counts[word]`) to the count of each word, creating the new ones."""
    words = sorted(words)
    table = connection.ops.quote_name(SearchWord._meta.db_table)
    for start in range(0, len(words), WRITE_BATCH):
        batch = words[start : start + WRITE_BATCH]
        rows, params = [], []
        for word in batch:
            rows.append("(%s, %s, %s, %s)")
            params += [word, inflection.stem(word), spelling.sound_key(word)]
            params.append(counts[word] if counts else 1)
        # The same statement on SQLite (3.24 or newer) and PostgreSQL.
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (word, stem, sound, articles) VALUES {', '.join(rows)} "
                f"ON CONFLICT (word) DO UPDATE SET articles = {table}.articles + excluded.articles",
                params,
            )


def _remove(words) -> None:
    words = sorted(words)
    for start in range(0, len(words), WRITE_BATCH):
        SearchWord.objects.filter(
            word__in=words[start : start + WRITE_BATCH], articles__gt=0
        ).update(articles=F("articles") - 1)


def rebuild(articles=None, *, chunk=2000) -> int:
    """Count the words of every article afresh; for articles written without save().

    Returns the number of distinct words. Reads the articles in chunks, so
    the memory it needs grows with the vocabulary, not with the archive.
    """
    from newsroom.models import Article

    articles = Article.objects.all() if articles is None else articles
    counts: Counter = Counter()
    for document in articles.values_list("search_document", flat=True).iterator(chunk_size=chunk):
        counts.update(document_words(document))
    with transaction.atomic():
        SearchWord.objects.all().delete()
        _add(counts, counts)
    return len(counts)


# Synonyms --------------------------------------------------------------------


def synonyms() -> dict[str, tuple[str, ...]]:
    """Each reader's word or phrase (matching form) and the official ones it stands for."""
    found = cache.get(SYNONYMS_CACHE_KEY)
    if found is None:
        found = {}
        for reader, official in Synonym.objects.values_list("reader_key", "official_key"):
            found[reader] = (*found.get(reader, ()), official)
        # The cache is shared by every worker and server: a change forgets it for all.
        cache.set(SYNONYMS_CACHE_KEY, found, None)
    return found


def forget_synonyms() -> None:
    cache.delete(SYNONYMS_CACHE_KEY)


# Looking words up ------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """What the index knows about the words a query may be looked up by."""

    articles: dict[str, int]  # word -> articles that have it
    family: dict[str, tuple[str, ...]]  # stem -> the words with that stem, commonest first

    def count(self, word: str) -> int:
        return self.articles.get(word, 0)

    def forms(self, word: str) -> list[str]:
        """The forms of `word` the articles use (itself included when they use it)."""
        forms = []
        for key in inflection.stems_to_look_up(word):
            forms.extend(w for w in self.family.get(key, ()) if w not in forms)
        return forms

    def knows(self, word: str) -> bool:
        return self.count(word) > 0 or bool(self.forms(word))


def look_up(words, stems) -> Known:
    """The index's rows for these words and for every word with one of these stems."""
    known = SearchWord.objects.filter(articles__gt=0)
    # A union, not OR: each half is read from its own index.
    rows = (
        known.filter(word__in=set(words))
        .values_list("word", "stem", "articles")
        .union(known.filter(stem__in=set(stems)).values_list("word", "stem", "articles"))
    )
    return _known(rows)


def _known(rows) -> Known:
    articles, family = {}, {}
    for word, stem, count in sorted(rows, key=lambda row: (-row[2], row[0])):
        articles[word] = count
        family.setdefault(stem, ())
        family[stem] += (word,)
    return Known(articles, family)


class _AnyOf(Lookup):
    """`column = ANY(array)`: the values as one parameter, where IN takes one each."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [sorted(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


SearchWord._meta.get_field("sound").register_lookup(_AnyOf)


def _sound_is_one_of(keys) -> Q:
    """The words with one of these sound keys: a thousand or more for a few mistyped words.

    PostgreSQL is sent them as one array, which it reads in half the time
    of an IN list of as many parameters.
    """
    if connection.vendor != "postgresql":
        return Q(sound__in=keys)
    return Q(sound__any_of=keys)


@dataclass(frozen=True)
class Correction:
    word: str  # the word an article has
    articles: int
    same_sound: bool  # only letters that sound alike differ


def corrections(words) -> tuple[dict[str, list[Correction]], Known]:
    """For each word no article has, the words of the articles it is most likely a slip for.

    One query for all the words: the words whose sound key is the word's or
    one edit from it. Those that differ only by sound-alike letters come
    first, then the commonest.
    """
    keys = {word: spelling.keys_one_edit_away(spelling.sound_key(word)) for word in words}
    every_key = set().union(*keys.values()) if keys else set()
    if not every_key:
        return {}, _known([])
    rows = list(
        SearchWord.objects.filter(_sound_is_one_of(every_key), articles__gt=0).values_list(
            "word", "stem", "sound", "articles"
        )
    )
    found = {}
    for word, word_keys in keys.items():
        own = spelling.sound_key(word)
        candidates = [
            Correction(other, count, sound == own)
            for other, _stem, sound, count in rows
            if sound in word_keys and other != word
        ]
        candidates.sort(key=lambda c: (not c.same_sound, -c.articles, c.word))
        if candidates:
            found[word] = candidates[:CORRECTIONS_PER_WORD]
    return found, _known((w, s, c) for w, s, _sound, c in rows)
