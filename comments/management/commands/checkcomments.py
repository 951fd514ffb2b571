import io
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from comments import rules


class Command(BaseCommand):
    help = (
        "Read comment texts from standard input, one per line, and print for each "
        "the verdict of the posting rules, the rule that decided, the flags, the "
        "matched term and the text, separated by tabs. With --explain, the steps: "
        "the matching form, the language scores and every match."
    )
    # call_command(..., stdin=...) gives the texts in tests.
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument(
            "--explain",
            action="store_true",
            help="After each verdict, show the matching form, language scores and matches.",
        )

    def handle(self, *args, **options):
        try:
            terms, exceptions = rules.load_rules()
        except DatabaseError as error:
            # The terms live in the database: a new checkout has none yet.
            raise CommandError(
                f"The rules' terms could not be read ({error}); run `manage.py migrate` first."
            ) from error
        for line in options.get("stdin") or _utf8_stdin():
            text = line.rstrip("\r\n")
            steps = rules.Steps()
            verdict = rules.check_comment(text, terms=terms, exceptions=exceptions, steps=steps)
            flags = ",".join(rules.flag_label(flag) for flag in verdict.flags) or "-"
            matched = "،".join(m.term.term for m in verdict.matches) or "-"
            self.stdout.write(f"{verdict.outcome}\t{verdict.rule}\t{flags}\t{matched}\t{text}")
            if options["explain"]:
                self._explain(verdict, steps)

    def _explain(self, verdict, steps):
        write = self.stdout.write
        write(f"  matching form: {steps.matching_form or '-'}")
        if steps.identified is not None:
            scores = ", ".join(
                f"{language} {score:.2f}"
                for language, score in sorted(
                    steps.identified.scores.items(), key=lambda kv: -kv[1]
                )
            )
            write(f"  language: {steps.identified.language} ({scores or 'by script'})")
        for match in steps.matches:
            kind = rules.flag_label(match.term.kind)
            write(f"  match: «{match.term.term}» ({kind}) written «{match.written}»")
        for contact in steps.contacts:
            write(f"  {rules.flag_label(contact.kind)}: {contact.written}")
        if verdict.reason:
            write(f"  reason: {verdict.reason}")


def _utf8_stdin():
    # The texts are Persian whatever the terminal's locale says; a byte that
    # is not UTF-8 shows as U+FFFD instead of stopping the run.
    if not hasattr(sys.stdin, "buffer"):
        return sys.stdin  # already text, as in a test
    return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline="")
