"""The word index and the synonyms of search, on every database.

The word index replaces PostgreSQL's own table of words (migration 0002),
which the trigram fallback read and which only PostgreSQL had: its table,
triggers and function go, and the index is filled from the articles there
are. The generated columns and the GIN index of 0002 stay.
"""

import re
from collections import Counter
from importlib import import_module

from django.db import migrations, models

from newsroom.search import inflection, spelling
from newsroom.search.words import document_words

DROP_POSTGRES_WORDS = [
    "DROP TRIGGER IF EXISTS newsroom_article_search_words_updated ON newsroom_article",
    "DROP TRIGGER IF EXISTS newsroom_article_search_words_inserted ON newsroom_article",
    "DROP FUNCTION IF EXISTS newsroom_collect_search_words()",
    "DROP TABLE IF EXISTS newsroom_search_word",
]


def drop_postgres_words(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_POSTGRES_WORDS:
            schema_editor.execute(statement)


def restore_postgres_words(apps, schema_editor):
    """Back to 0004: the table, triggers and function of 0002, filled again."""
    if schema_editor.connection.vendor != "postgresql":
        return
    search = import_module("newsroom.migrations.0002_search")
    for statement in search.FORWARD:
        if re.search(r"newsroom_search_word\b|newsroom_collect_search_words", statement):
            schema_editor.execute(statement)


def fill_word_index(apps, schema_editor):
    Article = apps.get_model("newsroom", "Article")
    SearchWord = apps.get_model("newsroom", "SearchWord")
    counts = Counter()
    documents = Article.objects.values_list("search_document", flat=True)
    for document in documents.iterator(chunk_size=2000):
        counts.update(document_words(document))
    SearchWord.objects.bulk_create(
        (
            SearchWord(
                word=word,
                stem=inflection.stem(word),
                sound=spelling.sound_key(word),
                articles=count,
            )
            for word, count in counts.items()
        ),
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0006_article_versions"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.CharField(max_length=40, unique=True, verbose_name="word")),
                ("stem", models.CharField(db_index=True, max_length=40, verbose_name="stem")),
                ("sound", models.CharField(db_index=True, max_length=40, verbose_name="sound key")),
                (
                    "articles",
                    models.PositiveIntegerField(default=0, verbose_name="articles that have it"),
                ),
            ],
            options={
                "verbose_name": "search word",
                "verbose_name_plural": "search words",
            },
        ),
        migrations.CreateModel(
            name="Synonym",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "reader_words",
                    models.CharField(
                        help_text="What a reader may type, e.g. «قبض» or «حقوق بازنشستگی».",
                        max_length=100,
                        verbose_name="reader's word",
                    ),
                ),
                (
                    "official_words",
                    models.CharField(
                        help_text="The word the articles use for it, e.g. «صورتحساب» or «مستمری».",
                        max_length=100,
                        verbose_name="official word",
                    ),
                ),
                ("reader_key", models.CharField(db_index=True, editable=False, max_length=100)),
                ("official_key", models.CharField(editable=False, max_length=100)),
            ],
            options={
                "verbose_name": "synonym",
                "verbose_name_plural": "synonyms",
                "ordering": ["reader_key", "official_key"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("reader_key", "official_key"), name="unique_synonym_pair"
                    )
                ],
            },
        ),
        # Words with their stems and sound keys as the code of today computes
        # them; `manage.py rebuild_search_words` computes them again.
        migrations.RunPython(drop_postgres_words, restore_postgres_words, elidable=False),
        migrations.RunPython(fill_word_index, migrations.RunPython.noop, elidable=True),
    ]
