"""Score sentences for check-worthiness: `manage.py checkworthy [FILE|-]`."""

import sys

from django.core.management.base import BaseCommand, CommandError

from factcheck.extract.checkworthy import SentenceTooLong, cli


class Command(BaseCommand):
    # Lets tests and callers pass a stream: call_command("checkworthy", stdin=...).
    stealth_options = ("stdin",)

    help = (
        "Score sentences (one per line, or a CheckThat! TSV with a Sentence_id<TAB>Text "
        "header) and print id<TAB>score<TAB>Yes|No, with the shipped score and threshold."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default="-", help="input file, or - for stdin")
        parser.add_argument("--feature-model", action="store_true",
                            help="score with the feature model extraction runs, at its threshold")

    def handle(self, *args, **options):
        try:
            content = cli.read_input(options["file"], options.get("stdin") or sys.stdin)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {options['file']}: {exc}") from exc
        try:
            rows = cli.score_content(content, feature_model=options["feature_model"])
        except SentenceTooLong as exc:
            raise CommandError(f"cannot score {options['file']}: {exc}") from exc
        for row in rows:
            self.stdout.write(row)
