"""Full-text search and its typo-tolerant fallback on PostgreSQL; nothing elsewhere.

The article table gets two stored, generated columns, which the database
keeps in step with the row on every insert and update (so with every save,
and with every tag change, which rewrites `search_document`):

- `search_vector`: every word of the search document, with a GIN index: what
  a query must find. Stored rather than computed in an index expression: the
  planner takes computing the words of a document for cheap, and would do it
  row by row for a common word (half a millisecond each); reading them is
  some microseconds.
- `search_heading`: the words of the surtitle and title (weight A) and of the
  lead (weight B): what ranks the articles found. Small enough to stay in
  the row.

Django's model does not declare them; newsroom/search/engine.py reads them by name.
Two functions turn a text into the words PostgreSQL should see:

- `newsroom_match_form`: the title and lead are stored folded, not in the
  matching form of persian.normalize; this is that normalisation for the
  characters a folded text can hold (hamza seats, diacritics, ZWNJ, Persian
  digits, Latin case). newsroom/tests/test_search.py checks that it agrees
  with persian.normalize character by character: when one changes, a new
  migration must change the other.
- `newsroom_search_words`: punctuation and invisible spaces become spaces,
  so that the parser sees the words persian.words sees («۱۴۰۵/۰۹/۰۸» is
  three numbers, not a file path) whatever the database's locale.

For the fallback, `newsroom_search_word` holds every word any article has
had, with a trigram index (pg_trgm, GiST); triggers add the words of an
article when it is written. A mistyped query word is looked up there, and the words
like it are searched instead. (A trigram index on the documents themselves
was tried first: checking word similarity against whole documents took
seconds at a few thousand articles.)
"""

from django.db import migrations

# persian.normalize, for what a folded text can hold (see the module docstring).
MATCHED_FROM = "\u0622\u0623\u0624\u0625\u0626\u0629\u0671" + "".join(
    chr(c) for c in range(0x06F0, 0x06FA)
)
MATCHED_TO = "\u0627\u0627\u0648\u0627\u06cc\u0647\u0627" + "0123456789"
DROPPED = "".join(
    chr(c) for c in [0x0621, *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE), 0x200C]
)

# Everything that separates words without being one: ASCII punctuation and
# symbols, Latin-1 punctuation, Persian and Arabic punctuation, the general
# punctuation block, and spaces that are not ASCII. Written as regular
# expression escapes, so the class means the same in every locale.
SEPARATORS = (
    "["
    r"\x01-\x20\x21-\x2f\x3a-\x40\x5b-\x60\x7b-\x7e\x7f-\xbf\xd7\xf7"
    r"\u060c\u061b\u061f\u066a-\u066d\u06d4"
    r"\u2000-\u200b\u2010-\u206f\u3000\ufeff"
    "]+"
)

# Words kept for the typo-tolerant fallback: shorter ones are too alike to
# tell a typo from another word, longer ones are not words.
MIN_WORD = 3
MAX_WORD = 40


FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"""
    CREATE FUNCTION newsroom_match_form(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT translate(lower($1), '{MATCHED_FROM}{DROPPED}', '{MATCHED_TO}') $$
    """,
    f"""
    CREATE FUNCTION newsroom_search_words(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT regexp_replace($1, '{SEPARATORS}', ' ', 'g') $$
    """,
    # Every word of the article: what a query must find.
    """
    ALTER TABLE newsroom_article ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, newsroom_search_words(search_document))
    ) STORED
    """,
    "CREATE INDEX newsroom_article_search_vector ON newsroom_article USING gin (search_vector)",
    # The words of the surtitle and title (A) and of the lead (B): what ranks
    # an article. Small enough to stay in the row.
    """
    ALTER TABLE newsroom_article ADD COLUMN search_heading tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig,
            newsroom_search_words(newsroom_match_form(surtitle || ' ' || title))), 'A')
        || setweight(to_tsvector('simple'::regconfig,
            newsroom_search_words(newsroom_match_form(lead))), 'B')
    ) STORED
    """,
    # Every word that any article has had, for the typo-tolerant fallback:
    # a mistyped query word is looked up here by trigram similarity, which
    # is fast on words and far too slow on whole documents.
    """
    CREATE TABLE newsroom_search_word (word text PRIMARY KEY)
    """,
    # GiST rather than GIN: it hands out the nearest words in order of
    # trigram distance, so a lookup reads a few entries, not every word.
    """
    CREATE INDEX newsroom_search_word_trigram ON newsroom_search_word
    USING gist (word gist_trgm_ops)
    """,
    f"""
    CREATE FUNCTION newsroom_collect_search_words() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO newsroom_search_word (word)
        SELECT lexeme FROM unnest(NEW.search_vector)
        WHERE char_length(lexeme) BETWEEN {MIN_WORD} AND {MAX_WORD}
        ON CONFLICT DO NOTHING;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE TRIGGER newsroom_article_search_words_inserted
    AFTER INSERT ON newsroom_article
    FOR EACH ROW EXECUTE FUNCTION newsroom_collect_search_words()
    """,
    """
    CREATE TRIGGER newsroom_article_search_words_updated
    AFTER UPDATE OF search_document ON newsroom_article
    FOR EACH ROW WHEN (OLD.search_document IS DISTINCT FROM NEW.search_document)
    EXECUTE FUNCTION newsroom_collect_search_words()
    """,
    # Articles that exist before this migration.
    f"""
    INSERT INTO newsroom_search_word (word)
    SELECT DISTINCT lexeme FROM newsroom_article, unnest(search_vector)
    WHERE char_length(lexeme) BETWEEN {MIN_WORD} AND {MAX_WORD}
    ON CONFLICT DO NOTHING
    """,
]

BACKWARD = [
    "DROP TRIGGER IF EXISTS newsroom_article_search_words_updated ON newsroom_article",
    "DROP TRIGGER IF EXISTS newsroom_article_search_words_inserted ON newsroom_article",
    "DROP FUNCTION IF EXISTS newsroom_collect_search_words()",
    "DROP TABLE IF EXISTS newsroom_search_word",
    "DROP INDEX IF EXISTS newsroom_article_search_vector",
    "ALTER TABLE newsroom_article DROP COLUMN IF EXISTS search_heading",
    "ALTER TABLE newsroom_article DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS newsroom_search_words(text)",
    "DROP FUNCTION IF EXISTS newsroom_match_form(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD), elidable=False)]
