"""`manage.py extract FILE...`: run the extraction engine over text files.

One JSON line per file (``--format jsonl``, the contract the evaluation reads)
or a readable table.  Files are read as UTF-8 with ``newline=""`` so that
offsets are offsets into the file exactly as it is on disk.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck import extract as engine


class Command(BaseCommand):
    help = "Extract quotes, speakers and check-worthy claims from text files."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
        parser.add_argument("--processes", type=int, default=1,
                            help="spaCy worker processes (nlp.pipe n_process)")

    def handle(self, *args, files, format, processes, **options):
        model = getattr(settings, "FACTCHECK_SPACY_MODEL", None)
        if model:
            engine.set_model(model)
        texts = []
        for path in files:
            try:
                with open(path, encoding="utf-8", newline="", errors="replace") as handle:
                    texts.append(handle.read())
            except OSError as exc:
                raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        for path, result in zip(files, engine.iter_extract(texts, n_process=processes),
                                strict=True):
            if format == "jsonl":
                self.stdout.write(json.dumps({"path": path, **result.to_dict()},
                                             ensure_ascii=False))
            else:
                self._table(path, result)

    def _table(self, path, result):
        self.stdout.write(self.style.MIGRATE_HEADING(path))
        for quote in result.quotes:
            speaker = quote.speaker.name or quote.speaker.mention if quote.speaker else "?"
            cue = quote.cue.text if quote.cue else ""
            extra = ""
            if quote.venue:
                extra += f"  venue: {quote.venue.text}"
            if quote.via:
                extra += "  via: " + " <- ".join(v.name for v in quote.via)
            text = " ".join(quote.text.split())
            self.stdout.write(f"  {quote.kind:<8} {quote.score:4.2f}  {speaker} [{cue}]: "
                              f"{text[:160]}{extra}")
        for claim in result.claims:
            text = " ".join(claim.text.split())
            self.stdout.write(f"  {'claim':<8} {claim.score:4.2f}  {text[:160]}")
