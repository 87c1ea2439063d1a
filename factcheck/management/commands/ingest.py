"""`manage.py ingest FILE|URL|JSONL`: add articles from the command line.

Extraction runs in-process by default and the command prints what it found; `--enqueue`
hands the articles to the task workers instead. A refused input exits non-zero with a
one-line reason.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from factcheck.ingest.importers import (
    IngestRefused,
    Outcome,
    ingest_file,
    ingest_record,
    ingest_url,
    outlet_named,
    parse_jsonl_line,
)
from factcheck.ingest.pipeline import extract_or_copy
from factcheck.ingest.tasks import request_extraction
from factcheck.models import Article


class Command(BaseCommand):
    help = ("Ingest an article from a URL, an .html/.htm/.txt file, or many from a .jsonl file "
            '(one JSON object per line: {"url": ...} or {"text": ..., "title": ..., "url": ..., '
            '"outlet": ..., "byline": ..., "published_at": ...}).')

    def add_arguments(self, parser):
        parser.add_argument("source", help="http(s) URL, or path to a .html/.htm/.txt/.jsonl file")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the extraction for the task workers instead of running it here.")
        parser.add_argument("--outlet", default="", help="Outlet name (default: from the page or URL).")
        parser.add_argument("--user", default="", help="Record the articles as ingested by this user.")
        parser.add_argument("--quiet-statements", action="store_true",
                            help="Print counts only, not every statement found.")

    def handle(self, *args, source, enqueue=False, outlet="", user="", quiet_statements=False,
               **options):
        self.enqueue, self.quiet_statements = enqueue, quiet_statements
        self.by = None
        if user:
            self.by = get_user_model().objects.filter(username=user).first()
            if self.by is None:
                raise CommandError(f"No user named {user!r}.")
        self.outlet = outlet_named(outlet) if outlet else None
        if source.startswith(("http://", "https://")):
            self._one(lambda: ingest_url(source, by=self.by, source=Article.Source.URL,
                                         outlet=self.outlet, enqueue=False))
            return
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"{source}: not a URL and no such file.")
        if path.suffix.lower() == ".jsonl":
            self._bulk(path)
            return
        data = path.read_bytes()
        self._one(lambda: ingest_file(path.name, data, by=self.by, source=Article.Source.UPLOAD,
                                      enqueue=False))

    def _one(self, ingest):
        try:
            outcome = ingest()
        except IngestRefused as exc:
            raise CommandError(str(exc)) from None
        self._finish(outcome)

    def _finish(self, outcome: Outcome) -> None:
        article = outcome.article
        if self.outlet and article.outlet_id is None:
            Article.objects.filter(pk=article.pk).update(outlet=self.outlet)
        self.stdout.write(f"{outcome.message} Article {article.pk}: {article.display_title[:90]}")
        needs_extraction = (outcome.created or outcome.new_version
                            or article.extraction_status != Article.Extraction.DONE)
        if not needs_extraction:
            self._print_statements(article, heading="Already in the queue")
            return
        if self.enqueue:
            request_extraction(article)
            self.stdout.write("  extraction queued for the workers")
            return
        try:
            count = extract_or_copy(article)
        except Exception as exc:
            raise CommandError(f"Extraction failed: {type(exc).__name__}: {exc}") from None
        self._print_statements(article, heading=f"Found {count}")

    def _print_statements(self, article, *, heading):
        statements = list(article.statements.select_related("speaker").order_by("start"))
        self.stdout.write(f"  {heading}: {len(statements)} statements "
                          f"({sum(s.kind != 'claim' for s in statements)} quotes, "
                          f"{sum(s.kind == 'claim' for s in statements)} claims)")
        if self.quiet_statements:
            return
        for s in statements:
            who = s.speaker.name if s.speaker else "—"
            text = " ".join(s.text.split())
            self.stdout.write(f"    {s.kind:8} {s.score:.2f}  {who[:30]:30}  {text[:90]}")

    def _bulk(self, path: Path) -> None:
        with open(path, encoding="utf-8", errors="replace") as fh:
            lines = [(n, line) for n, line in enumerate(fh, 1) if line.strip()]
        total, refused, added, known = len(lines), 0, 0, 0
        if not total:
            raise CommandError(f"{path}: no records.")
        for i, (lineno, line) in enumerate(lines, 1):
            prefix = f"[{i}/{total} {100 * i // total:3d}%] line {lineno}:"
            try:
                record = parse_jsonl_line(line)
                outcome = ingest_record(record, by=self.by, source=Article.Source.BULK, enqueue=False)
            except IngestRefused as exc:
                refused += 1
                self.stderr.write(f"{prefix} refused — {exc}")
                continue
            if outcome.created:
                added += 1
            else:
                known += 1
            self.stdout.write(f"{prefix} ", ending="")
            self._finish(outcome)
            sys.stdout.flush()
        summary = f"{total} records: {added} added, {known} already ingested, {refused} refused."
        self.stdout.write(summary)
        if refused:
            raise CommandError(f"{refused} of {total} records refused (reasons above).")
