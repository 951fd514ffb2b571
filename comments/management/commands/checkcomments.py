import io
import sys

from django.core.management.base import BaseCommand

from comments.rules import check_comment, load_blocked_terms


class Command(BaseCommand):
    help = (
        "Read comment texts from standard input, one per line, and print for each "
        "the verdict of the posting rules, the rule that decided, and the text, "
        "separated by tabs."
    )
    # call_command(..., stdin=...) gives the texts in tests.
    stealth_options = ("stdin",)

    def handle(self, *args, **options):
        terms = load_blocked_terms()
        for line in options.get("stdin") or _utf8_stdin():
            text = line.rstrip("\r\n")
            verdict = check_comment(text, terms=terms)
            self.stdout.write(f"{verdict.outcome}\t{verdict.rule}\t{text}")


def _utf8_stdin():
    # The texts are Persian whatever the terminal's locale says; a byte that
    # is not UTF-8 shows as U+FFFD instead of stopping the run.
    if not hasattr(sys.stdin, "buffer"):
        return sys.stdin  # already text, as in a test
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="")
