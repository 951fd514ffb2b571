"""Recall at three on the query table with other stemmers in the place of search's own.

Whether hazm's or parsivar's stemmer would earn its size: they are not
dependencies of the portal, so install them somewhere apart first, e.g.

    .venv/bin/python -m pip install --target /tmp/stemmers hazm==0.10.0 parsivar==0.2.3.1

(hazm 0.11 and later need Python 3.12), then

    .venv/bin/python bench/stemmers.py --path /tmp/stemmers

It migrates a scratch SQLite database, loads the demo content, and for each
stemmer (search's own, none at all, and those it can import) rebuilds the
word index's stems and asks the search page every query of
newsroom/tests/test_search_recall.py, as the recall test does. It prints the
recall by kind of query and what stemming one word costs.
"""

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_stemmers(path):
    found = {}
    if path:
        sys.path.insert(0, path)
    try:
        from hazm import Stemmer

        found["hazm"] = Stemmer().stem
    except ImportError as error:
        print(f"hazm not measured: {error}")
    try:
        from parsivar import FindStems

        found["parsivar"] = FindStems().convert_to_stem
    except ImportError as error:
        print(f"parsivar not measured: {error}")
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", help="where hazm and parsivar were installed")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix="search_stemmers_"))
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "ALLOWED_HOSTS": "testserver",
        }
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from newsroom.search import inflection, words
    from newsroom.tests.test_search_recall import QUERIES, first_results

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    stemmers = {"search's own": inflection.stem, "none": lambda word: word}
    stemmers.update(load_stemmers(args.path))
    client = Client()
    vocabulary = None
    for name, stem in stemmers.items():
        inflection.stem = stem
        words.rebuild()
        cache.clear()
        vocabulary = vocabulary or list(words.SearchWord.objects.values_list("word", flat=True))
        found, total = Counter(), Counter()
        for kind, query, code in QUERIES:
            total[kind] += 1
            found[kind] += code in first_results(client, query)
        started = time.perf_counter()
        for word in vocabulary:
            stem(word)
        per_word = (time.perf_counter() - started) / len(vocabulary) * 1e6
        by_kind = ", ".join(f"{kind} {found[kind]}/{total[kind]}" for kind in total)
        print(
            f"{name:<13} {sum(found.values())}/{sum(total.values())} "
            f"({sum(found.values()) / sum(total.values()):.1%}); {by_kind}; "
            f"{per_word:.1f} µs a word"
        )


if __name__ == "__main__":
    main()
