"""Score sentences for check-worthiness: `manage.py checkworthy [FILE|-]`."""

import argparse
import sys

from django.core.management.base import BaseCommand, CommandError

from factcheck.extract import checkworthy
from factcheck.extract.checkworthy import cli


class Command(BaseCommand):
    # Lets tests and callers pass a stream: call_command("checkworthy", stdin=...).
    stealth_options = ("stdin",)

    help = (
        "Score sentences (one per line, or a CheckThat! TSV with a Sentence_id<TAB>Text "
        "header) and print id<TAB>score<TAB>Yes|No."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="input file, or - for stdin")
        parser.add_argument("--second-stage", action=argparse.BooleanOptionalAction,
                            default=None,
                            help="rescore the unsure sentences with the fine-tuned MiniLM, or "
                                 "not (default: FACTCHECK_CLAIM_SECOND_STAGE, on)")

    def handle(self, *args, **options):
        if options["second_stage"] is None:
            return self.score(options)
        if options["second_stage"] and not checkworthy.second_stage_available():
            raise CommandError("this check-worthiness model has no second stage")
        with checkworthy.second_stage(options["second_stage"]):
            return self.score(options)

    def score(self, options):
        try:
            content = cli.read_input(options["file"], options.get("stdin") or sys.stdin)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        try:
            rows = cli.score_content(content)
        except cli.SentenceTooLong as exc:
            raise CommandError(f"cannot score {options['file']}: {exc}") from exc
        for row in rows:
            self.stdout.write(row)
