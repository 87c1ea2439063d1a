"""From an article's text to queue items: run the extractor and store what it found."""

import logging

from django.db import transaction
from django.utils import timezone

from factcheck import extract
from factcheck.models import Article, ReviewEvent, Speaker, Statement, fingerprint

log = logging.getLogger(__name__)

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us"}
NAME_PARTICLES = {"of", "the", "de", "da", "van", "von", "der", "al", "bin", "la", "le", "and"}


def looks_like_a_name(mention: str) -> bool:
    """A mention worth keeping as an alias: "President Jane Doe", "The Daily Planet";
    not "he" or "the city's mayor", which name different people in different articles."""
    words = mention.split()
    if not words or mention.casefold() in PRONOUNS:
        return False
    return all(w[0].isupper() or w.casefold() in NAME_PARTICLES for w in words)


def resolve_speaker(found: dict) -> Speaker | None:
    """The stored speaker for an extracted one, created on first sight."""
    name = (found or {}).get("name")
    if not name:
        return None
    speaker = Speaker.objects.matching(name).order_by("pk").first()
    if speaker is None:
        kind = (Speaker.Kind.ORGANIZATION if found.get("type") in {"ORG", "NORP", "GPE"}
                else Speaker.Kind.PERSON)
        speaker = Speaker.objects.create(name=name[:200], kind=kind)
    mention = found.get("mention") or ""
    if looks_like_a_name(mention):
        speaker.add_alias(mention)
    return speaker


def _statement_from_quote(article: Article, quote: dict) -> Statement:
    speaker_found = quote.get("speaker") or {}
    cue = quote.get("cue") or {}
    venue = quote.get("venue") or {}
    return Statement(
        article=article, kind=quote["kind"], text=quote["text"],
        start=quote["start"], end=quote["end"], parts=quote.get("parts") or [],
        speaker=resolve_speaker(speaker_found),
        mention=(speaker_found.get("mention") or "")[:300],
        mention_start=speaker_found.get("start"), mention_end=speaker_found.get("end"),
        cue=(cue.get("text") or "")[:100], cue_start=cue.get("start"), cue_end=cue.get("end"),
        venue=(venue.get("text") or "")[:300], via=quote.get("via") or [],
        score=min(max(float(quote.get("score") or 0.0), 0.0), 1.0),
    )


def _statement_from_claim(article: Article, claim: dict) -> Statement:
    return Statement(article=article, kind=Statement.Kind.CLAIM, text=claim["text"],
                     start=claim["start"], end=claim["end"],
                     score=min(max(float(claim.get("score") or 0.0), 0.0), 1.0))


def run_extraction(article: Article) -> int:
    """Extract an article's quotes and claims into the queue; returns how many were stored.

    Safe to repeat: untouched statements from an earlier run are replaced, statements an
    editor has already taken, dismissed or put in a fact-check are kept as they are.
    """
    Article.objects.filter(pk=article.pk).update(extraction_status=Article.Extraction.RUNNING,
                                                 extraction_error="")
    try:
        found = extract.extract(article.text).to_dict()
    except Exception as exc:  # the engine must never take a worker down with it
        log.exception("extraction failed for article %s", article.pk)
        Article.objects.filter(pk=article.pk).update(
            extraction_status=Article.Extraction.FAILED,
            extraction_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise

    with transaction.atomic():
        untouched = article.statements.filter(status=Statement.Status.NEW, factchecks=None)
        untouched.delete()
        kept = set(article.statements.values_list("kind", "start", "end"))
        new = [_statement_from_quote(article, q) for q in found["quotes"]]
        new += [_statement_from_claim(article, c) for c in found["claims"]]
        new = [s for s in new if s.end > s.start and (s.kind, s.start, s.end) not in kept]
        for statement in new:
            # bulk_create skips Model.save(), where the fingerprint is normally set.
            statement.fingerprint = fingerprint(statement.text)
        Statement.objects.bulk_create(new)
        now = timezone.now()
        Article.objects.filter(pk=article.pk).update(
            extraction_status=Article.Extraction.DONE, extracted_at=now)
        ReviewEvent.objects.create(article=article, action="extracted",
                                   data={"statements": len(new)}, created_at=now)
    article.refresh_from_db()
    return len(new)

