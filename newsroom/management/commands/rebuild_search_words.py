"""Count the words of every article afresh, for the word index of search."""

import time

from django.core.management.base import BaseCommand

from newsroom.search import engine, words


class Command(BaseCommand):
    help = (
        "Rebuild search's word index from every article: after articles were written "
        "without their save() (a bulk import), or after the stemmer or the sound-alike "
        "letters changed."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        count = words.rebuild()
        engine.forget_searches()
        self.stdout.write(f"{count} words indexed in {time.monotonic() - started:.1f} s.")
