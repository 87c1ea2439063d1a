"""Primary sources (#32, "did they say it?"): an editor attaches a transcript, a press release
or a subtitle file to a statement, the desk lines the quote up against it, and an editor
decides how the quote matches. Each step owns its permission check, transaction and audit
event; the network and the alignment run before any transaction opens.

The alignment only proposes. The decision is an editor's, and only a decided alignment is
shown on a published fact-check (publish/); the attribution verdict stays a separate choice.
"""

from __future__ import annotations

import hashlib
import mimetypes
from pathlib import PurePath

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck.ingest.fetch import fetch
from factcheck.ingest.html import NotAnArticle, decode_bytes, one_line, parse_html
from factcheck.models import AttributionVerdict, Conflict, PrimarySource, ReviewEvent, Statement
from factcheck.statements.alignment import Alignment, Source, SourceRefused, align, read_source

A = ReviewEvent.Action
M = PrimarySource.Match

SOURCE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/vtt",
                "application/x-subrip", "text/srt")
UPLOAD_EXTENSIONS = (".txt", ".srt", ".vtt")

# What each reading of the quote suggests for "Did they say it?". Trimmed is not "Altered":
# whether the words left out change the meaning is for the editor to judge.
PROPOSED_VERDICT = {
    M.VERBATIM: "accurate",
    M.TRIMMED: "accurate",
    M.REWORDED: "paraphrased",
    M.NOT_FOUND: "",
}


def _require(user) -> None:
    if not (user.is_active and user.has_perm("factcheck.review_statement")):
        raise PermissionDenied


def read_upload(data: bytes, filename: str):
    """The Source of an uploaded .txt, .srt or .vtt file; anything else is refused."""
    if PurePath(filename).suffix.lower() not in UPLOAD_EXTENSIONS:
        raise SourceRefused("Upload a transcript as a .txt, .srt or .vtt file.")
    return read_source(data, filename)


def read_url(url: str) -> tuple[Source, bytes, str, str]:
    """Fetch a primary source through the SSRF-safe fetcher: (Source, the bytes as fetched,
    their content type, the page's title). Raises FetchError or SourceRefused with a message."""
    result = fetch(url, accept=SOURCE_TYPES)
    filename = PurePath(result.url.split("?", 1)[0]).name
    if result.content_type in ("text/html", "application/xhtml+xml"):
        try:
            page = parse_html(decode_bytes(result.body, result.charset), result.url)
        except NotAnArticle as error:
            raise SourceRefused(f"No transcript text was found on that page: {error}") from None
        return read_source(page.body), result.body, result.content_type, page.title
    text = decode_bytes(result.body, result.charset)
    return read_source(text, filename), result.body, result.content_type, ""


def attach_primary_source(*, statement: Statement, by, source: Source, raw: bytes,
                          content_type: str = "text/plain", title: str = "", url: str = "",
                          filename: str = "") -> PrimarySource:
    """Store a primary source with our own copy of it and the quote lined up against it.
    Attaching the same bytes twice (a double click) returns the first."""
    _require(by)
    digest = hashlib.sha256(raw).hexdigest()
    result = align(statement.text, source)  # outside the transaction: up to a second
    with transaction.atomic():
        Statement.objects.select_for_update().filter(pk=statement.pk).first()
        duplicate = statement.primary_sources.filter(snapshot_sha256=digest).first()
        if duplicate:
            return duplicate
        if url:
            extension = mimetypes.guess_extension(content_type) or ".txt"
        else:
            extension = PurePath(filename).suffix.lower() or ".txt"
        primary = PrimarySource(
            statement=statement, title=one_line(title, 300) or one_line(filename, 300),
            url=url, filename=filename[:200], text=source.text, snapshot_sha256=digest,
            added_by=by, passage_start=result.start, passage_end=result.end,
            starts_at=result.time_label, score=round(result.score, 4),
            proposed=result.classification)
        primary.snapshot.save(f"{digest}{extension}", ContentFile(raw), save=False)
        primary.save()
        ReviewEvent.record(A.PRIMARY_SOURCE_ADDED, by=by, statement=statement,
                           note=f"{primary}: {result.explanation}")
    return primary


def decide_alignment(*, primary: PrimarySource, by, decision: str, version: int) -> PrimarySource:
    """An editor accepts the proposed reading or overrides it. Raises Conflict if someone
    decided since `version` was read; deciding the same again is a no-op."""
    _require(by)
    if decision not in M.values:
        raise ValueError(f"Unknown reading {decision!r}.")
    with transaction.atomic():
        updated = PrimarySource.objects.filter(pk=primary.pk, version=version).update(
            decision=decision, decided_by=by, decided_at=timezone.now(), version=F("version") + 1)
        current = PrimarySource.objects.get(pk=primary.pk)
        if not updated:
            if current.decision == decision:
                return current  # the same answer twice: a double click
            raise Conflict(current)
        label = M(decision).label
        note = label if decision == current.proposed else f"{label} (proposed: {M(current.proposed).label})"
        ReviewEvent.record(A.ALIGNMENT_DECIDED, by=by, statement=current.statement, note=note)
    return current


def alignment_of(primary: PrimarySource) -> Alignment:
    """The word diff and its explanation, for showing: aligned again from the stored text (a
    fifth of a second for a few hours of transcript) and cached while the source is unchanged."""
    key = f"primary-source-alignment:{primary.pk}:{primary.snapshot_sha256}"
    data = cache.get(key)
    if data is None:
        data = align(primary.statement.text, Source(text=primary.text)).to_dict()
        cache.set(key, data, timeout=7 * 24 * 3600)
    alignment = Alignment.from_dict(data)
    alignment.pieces = diff_pieces(alignment)
    return alignment


def diff_pieces(alignment: Alignment) -> list[tuple[str, str]]:
    """The diff as (equal|delete|insert, words) pieces, shown one space apart: the source's
    own spacing inside a piece, none lost or doubled between a dropped and an added word."""
    pieces = []
    for op in alignment.diff:
        parts = {"equal": [("equal", op.source)], "delete": [("delete", op.source)],
                 "insert": [("insert", op.quote)]}.get(op.op, [("delete", op.source), ("insert", op.quote)])
        pieces += [(kind, text.strip()) for kind, text in parts if text.strip()]
    return pieces


def proposed_verdicts(primaries: list[PrimarySource]) -> list[AttributionVerdict | None]:
    """The attribution verdict each source's reading suggests (None for none), in one query."""
    verdicts = AttributionVerdict.objects.filter(slug__in=set(PROPOSED_VERDICT.values()) - {""},
                                                 is_active=True).in_bulk(field_name="slug")
    return [verdicts.get(PROPOSED_VERDICT.get(p.match, "")) for p in primaries]
