"""`manage.py ingest FILE|URL|JSONL [FILE|URL ...]`: add articles from the command line.

Extraction runs in-process by default and the command prints what it found; `--enqueue`
hands the articles to the task workers instead. A refused input exits non-zero with a
one-line reason.
"""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from factcheck.ingest.importers import (
    IngestRefused,
    Outcome,
    fetch_records,
    ingest_file,
    ingest_url,
    outlet_named,
    store_records,
)
from factcheck.ingest.queueing import request_extraction, request_extractions
from factcheck.models import Article
from factcheck.statements.extraction import EXTRACTION_BATCH, extract_or_copy, extract_or_copy_batch


class Command(BaseCommand):
    help = ("Ingest an article from a URL, an .html/.htm/.txt file, or many from a .jsonl file "
            '(one JSON object per line: {"url": ...} or {"text": ..., "title": ..., "url": ..., '
            '"outlet": ..., "byline": ..., "published_at": ...}).')

    def add_arguments(self, parser):
        parser.add_argument("sources", nargs="+", metavar="source",
                            help="http(s) URL, or path to a .html/.htm/.txt/.jsonl file; several URLs "
                                 "and files are extracted together")
        parser.add_argument("--enqueue", action="store_true",
                            help="Queue the extraction for the task workers instead of running it here.")
        parser.add_argument("--outlet", default="", help="Outlet name (default: from the page or URL).")
        parser.add_argument("--user", default="", help="Record the articles as ingested by this user.")
        parser.add_argument("--quiet-statements", action="store_true",
                            help="Print counts only, not every statement found.")

    def handle(self, *args, sources, enqueue=False, outlet="", user="", quiet_statements=False,
               **options):
        self.enqueue, self.quiet_statements = enqueue, quiet_statements
        self.by = None
        if user:
            self.by = get_user_model().objects.filter(username=user).first()
            if self.by is None:
                raise CommandError(f"No user named {user!r}.")
        self.outlet = outlet_named(outlet) if outlet else None
        if len(sources) > 1:
            self._many(sources)
            return
        source = sources[0]
        if not source.startswith(("http://", "https://")) and Path(source).suffix.lower() == ".jsonl":
            path = Path(source)
            if not path.is_file():
                raise CommandError(f"{source}: not a URL and no such file.")
            self._bulk(path)
            return
        try:
            outcome = self._ingest(source)
        except IngestRefused as exc:
            raise CommandError(str(exc)) from None
        self._finish(outcome)

    def _ingest(self, source: str) -> Outcome:
        """Store one URL or .html/.htm/.txt file, left pending; raises IngestRefused or CommandError."""
        if source.startswith(("http://", "https://")):
            return ingest_url(source, by=self.by, source=Article.Source.URL, outlet=self.outlet,
                              enqueue=False)
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"{source}: not a URL and no such file.")
        if path.suffix.lower() == ".jsonl":
            raise CommandError(f"{source}: give a .jsonl file on its own.")
        return ingest_file(path.name, path.read_bytes(), by=self.by, source=Article.Source.UPLOAD,
                           enqueue=False)

    def _many(self, sources: list[str]) -> None:
        """Several URLs and files: stored one by one, extracted EXTRACTION_BATCH at a time."""
        total, refused, failed = len(sources), 0, 0
        waiting: list[Outcome] = []
        for i, source in enumerate(sources, 1):
            prefix = f"[{i}/{total}] {source}:"
            try:
                outcome = self._ingest(source)
            except (IngestRefused, CommandError) as exc:
                refused += 1
                self.stderr.write(f"{prefix} refused — {exc}")
                continue
            self.stdout.write(f"{prefix} ", ending="")
            if self._stored(outcome) and outcome.article.pk not in {o.article.pk for o in waiting}:
                waiting.append(outcome)
            if len(waiting) >= EXTRACTION_BATCH:
                failed += self._extract(waiting)
                waiting = []
        failed += self._extract(waiting)
        if refused or failed:
            raise CommandError(f"{refused} of {total} sources refused, {failed} failed to extract "
                               "(reasons above).")

    def _finish(self, outcome: Outcome) -> None:
        if not self._stored(outcome):
            return
        article = outcome.article
        if self.enqueue:
            request_extraction(article)
            self.stdout.write("  extraction queued for the workers")
            return
        try:
            count = extract_or_copy(article)
        except Exception as exc:
            raise CommandError(f"Extraction failed: {type(exc).__name__}: {exc}") from None
        self._print_statements(article, heading=f"Found {count}")

    def _stored(self, outcome: Outcome) -> bool:
        """Report a stored article; True if it still needs extracting."""
        article = outcome.article
        if self.outlet and article.outlet_id is None:
            Article.objects.filter(pk=article.pk).update(outlet=self.outlet)
        self.stdout.write(f"{outcome.message} Article {article.pk}: {article.display_title[:90]}")
        needs_extraction = (outcome.created or outcome.new_version
                            or article.extraction_status != Article.Extraction.DONE)
        if not needs_extraction:
            self._print_statements(article, heading="Already in the queue")
        return needs_extraction

    def _extract(self, waiting: list[Outcome]) -> int:
        """Extract (or queue) the articles of several records together; returns how many failed."""
        if not waiting:
            return 0
        articles = [outcome.article for outcome in waiting]
        if self.enqueue:
            request_extractions(articles, created={o.article.pk for o in waiting if o.created})
            self.stdout.write(f"  extraction of {len(articles)} articles queued for the workers")
            return 0
        outcomes = extract_or_copy_batch(articles)
        failed = 0
        for article in articles:
            found = outcomes[article.pk]
            if isinstance(found, Exception):
                failed += 1
                self.stderr.write(f"  Article {article.pk}: extraction failed: "
                                  f"{type(found).__name__}: {found}")
            else:
                self._print_statements(article, heading=f"Article {article.pk}: found {found}")
        return failed

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
        total, refused, added, known, failed = len(lines), 0, 0, 0, 0
        if not total:
            raise CommandError(f"{path}: no records.")
        # EXTRACTION_BATCH records at a time: stored in one transaction (one commit, a disk
        # flush, for them all), then extracted together (one parse, one store of statements).
        for start in range(0, total, EXTRACTION_BATCH):
            waiting: list[Outcome] = []
            fetched = fetch_records(lines[start:start + EXTRACTION_BATCH])  # before the transaction
            with transaction.atomic():
                stored = store_records(fetched, by=self.by)
                for i, (item, outcome) in enumerate(zip(fetched, stored, strict=True), start + 1):
                    prefix = f"[{i}/{total} {100 * i // total:3d}%] line {item.lineno}:"
                    if isinstance(outcome, IngestRefused):
                        refused += 1
                        self.stderr.write(f"{prefix} refused — {outcome}")
                        continue
                    if outcome.created:
                        added += 1
                    else:
                        known += 1
                    self.stdout.write(f"{prefix} ", ending="")
                    # The same article twice (a URL listed again) is extracted once.
                    if self._stored(outcome) and outcome.article.pk not in {o.article.pk for o in waiting}:
                        waiting.append(outcome)
                    sys.stdout.flush()
            failed += self._extract(waiting)
        summary = f"{total} records: {added} added, {known} already ingested, {refused} refused."
        if failed:
            summary += f" {failed} failed to extract."
        self.stdout.write(summary)
        if refused or failed:
            raise CommandError(f"{refused} of {total} records refused, {failed} failed to extract "
                               "(reasons above).")
