"""From an article's text to queue items: run the extractor and store what it found."""

import logging

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from factcheck import extract
from factcheck.matching import statement_bands, store_new_statements
from factcheck.models import (
    Article,
    ReviewEvent,
    Speaker,
    SpeakerAlias,
    Statement,
    fingerprint,
    normalize_text,
)

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


def resolve_speakers(found: list[dict]) -> list[Speaker | None]:
    """The stored speaker of each extracted one (None where nobody is named), created on first
    sight, with each mention that looks like a name kept as an alias.

    One query looks up every name of the article; each name is then resolved in order as if
    looked up alone, so speakers created and aliases added for earlier quotes count for later
    ones. The new aliases are stored together at the end."""
    stored = Speaker.objects.first_matching_each(f.get("name") for f in found if f and f.get("name"))
    created: list[Speaker] = []
    aliases: dict[tuple[int, str], SpeakerAlias] = {}
    seen: dict[str, Speaker] = {}
    speakers = []
    for one in found:
        name = (one or {}).get("name")
        if not name:
            speakers.append(None)
            continue
        speaker = seen.get(name)
        if speaker is None:
            key = normalize_text(name)
            candidates = [s for s in (stored.get(name),) if s is not None]
            candidates += [s for s in created if s.name.upper() == key.upper()]  # name__iexact
            candidates += [a.speaker for a in aliases.values() if a.normalized == key.casefold()]
            speaker = min(candidates, key=lambda s: s.pk, default=None)
            if speaker is None:
                kind = (Speaker.Kind.ORGANIZATION if one.get("type") in {"ORG", "NORP", "GPE"}
                        else Speaker.Kind.PERSON)
                speaker = Speaker.objects.create(name=name[:200], kind=kind)
                created.append(speaker)
            seen[name] = speaker
        mention = one.get("mention") or ""
        alias = normalize_text(mention)  # as Speaker.add_alias stores it
        if looks_like_a_name(mention) and alias.casefold() != speaker.name.casefold():
            aliases.setdefault((speaker.pk, alias.casefold()), SpeakerAlias(
                speaker=speaker, alias=alias, normalized=alias.casefold()))
        speakers.append(speaker)
    # Aliases the speaker already has stay as they are.
    SpeakerAlias.objects.bulk_create(aliases.values(), ignore_conflicts=True)
    return speakers


def _statement_from_quote(article: Article, quote: dict, speaker: Speaker | None) -> Statement:
    speaker_found = quote.get("speaker") or {}
    cue = quote.get("cue") or {}
    venue = quote.get("venue") or {}
    return Statement(
        article=article, kind=quote["kind"], text=quote["text"],
        start=quote["start"], end=quote["end"], parts=quote.get("parts") or [],
        speaker=speaker,
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

    Safe to repeat, and ids stay stable: a statement found again keeps its row (refreshed if
    no editor has touched it), new findings are added, and untouched statements the engine
    no longer finds are removed. Statements an editor has taken, edited, dismissed or put in
    a fact-check are never removed or rewritten.
    """
    Article.objects.filter(pk=article.pk).update(extraction_status=Article.Extraction.RUNNING,
                                                 extraction_error="",
                                                 extraction_changed_at=timezone.now())
    text_seen = article.text
    try:
        found = extract.extract(text_seen).to_dict()
    except Exception as exc:  # the engine must never take a worker down with it
        log.exception("extraction failed for article %s", article.pk)
        Article.objects.filter(pk=article.pk).update(
            extraction_status=Article.Extraction.FAILED, extraction_changed_at=timezone.now(),
            extraction_error=f"{type(exc).__name__}: {exc}"[:2000])
        raise

    with transaction.atomic():
        # One extraction per article at a time: a retried or swept task racing the original
        # one waits here instead of colliding on the unique spans.
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.text != text_seen:
            # The article changed while the engine ran; the run for the new text is queued.
            return 0
        relocate_kept_statements(current)
        existing = {(s.kind, s.start, s.end): s for s in
                    article.statements.annotate(n_factchecks=Count("factchecks"))}
        results = {}
        speakers = resolve_speakers([q.get("speaker") or {} for q in found["quotes"]])
        for statement in ([_statement_from_quote(article, q, s)
                           for q, s in zip(found["quotes"], speakers, strict=True)]
                          + [_statement_from_claim(article, c) for c in found["claims"]]):
            if statement.end > statement.start:
                results.setdefault((statement.kind, statement.start, statement.end), statement)
        new, refreshed = [], []
        for key, statement in results.items():
            # bulk_create/bulk_update skip Model.save(), where the fingerprint is normally set.
            statement.fingerprint = fingerprint(statement.text)
            old = existing.get(key)
            if old is None:
                new.append(statement)
            elif _untouched(old):
                for field in REFRESHED_FIELDS:
                    setattr(old, field, getattr(statement, field))
                refreshed.append(old)
        stale = [s.pk for key, s in existing.items() if key not in results and _untouched(s)]
        Statement.objects.filter(pk__in=stale).delete()
        for statement, bands in zip(refreshed, statement_bands([s.text for s in refreshed]), strict=True):
            statement.bands = bands  # the text may have changed; bulk_update skips save()
        Statement.objects.bulk_update(refreshed, [*REFRESHED_FIELDS, "bands"])
        store_new_statements(new)  # grouped with earlier appearances, matched to earlier fact-checks
        now = timezone.now()
        Article.objects.filter(pk=article.pk).update(
            extraction_status=Article.Extraction.DONE, extracted_at=now, extraction_changed_at=now)
        ReviewEvent.objects.create(article=article, action="extracted", created_at=now,
                                   data={"statements": len(new) + len(refreshed), "new": len(new),
                                         "removed": len(stale)})
    article.refresh_from_db()
    return len(new) + len(refreshed)


# What a repeated extraction may rewrite on a statement no editor has touched.
REFRESHED_FIELDS = ["text", "parts", "speaker", "mention", "mention_start", "mention_end", "cue",
                    "cue_start", "cue_end", "venue", "via", "score", "fingerprint"]


def _untouched(statement: Statement) -> bool:
    """Still exactly as the engine made it: new, never edited, assigned or fact-checked."""
    n_factchecks = getattr(statement, "n_factchecks", None)
    if n_factchecks is None:
        n_factchecks = statement.factchecks.count()
    return statement.status == Statement.Status.NEW and statement.version == 1 and not n_factchecks


def relocate_kept_statements(article: Article) -> None:
    """After a stealth edit, move the article's statements to where their words now are.

    Their offsets point into the text they were extracted from (the first version superseded
    after that extraction). A statement an editor has touched whose words are gone keeps its
    place in the queue and gets an audit note saying so, for the editor to decide; an
    untouched one is left for the extraction to replace.
    """
    if article.extracted_at is None:
        return
    old = (article.versions.filter(superseded_at__gte=article.extracted_at)
           .order_by("superseded_at", "pk").first())
    if old is None or old.text == article.text:
        return
    new_text = article.text
    statements = list(article.statements.all())
    taken = {(s.kind, s.start, s.end) for s in statements}
    for statement in statements:
        words = old.text[statement.start:statement.end]
        if words and new_text[statement.start:statement.end] == words:
            continue
        position = _nearest(new_text, words, statement.start) if words else -1
        delta = position - statement.start
        target = (statement.kind, statement.start + delta, statement.end + delta)
        if position < 0 or target in taken:
            if not _untouched(statement):
                ReviewEvent.objects.create(
                    statement=statement, article=article, action="article_changed",
                    note="The article was edited and these words are no longer in it.")
            continue
        taken.discard((statement.kind, statement.start, statement.end))
        taken.add(target)
        statement.start += delta
        statement.end += delta
        statement.parts = [[a + delta, b + delta] for a, b in (statement.parts or [])]
        for field in ("mention_start", "mention_end", "cue_start", "cue_end"):
            value = getattr(statement, field)
            if value is not None:
                setattr(statement, field, max(0, value + delta))
        statement.save(update_fields=["start", "end", "parts", "mention_start", "mention_end",
                                      "cue_start", "cue_end", "updated_at"])


def _nearest(text: str, words: str, around: int) -> int:
    """The occurrence of `words` in `text` closest to offset `around`, or -1."""
    best, position = -1, text.find(words)
    while position != -1:
        if best == -1 or abs(position - around) < abs(best - around):
            best = position
        position = text.find(words, position + 1)
    return best


def copy_extraction(article: Article, original: Article) -> int:
    """Give a syndicated copy the statements of its original instead of extracting again.

    The copy's own rows (same offsets: the texts are identical) mean every outlet that
    printed a quote is counted, and their shared fingerprints group them in the queue.
    Dismissed items stay dismissed; everything else starts fresh in the queue.
    """
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=article.pk)
        article.statements.filter(status=Statement.Status.NEW, version=1, factchecks=None).delete()
        kept = set(article.statements.values_list("kind", "start", "end"))
        copies = []
        for source in original.statements.all():
            if (source.kind, source.start, source.end) in kept:
                continue
            dismissed = source.status == Statement.Status.DISMISSED
            copies.append(Statement(
                article=article, kind=source.kind, text=source.text, start=source.start,
                end=source.end, parts=source.parts, speaker_id=source.speaker_id,
                mention=source.mention, mention_start=source.mention_start,
                mention_end=source.mention_end, cue=source.cue, cue_start=source.cue_start,
                cue_end=source.cue_end, venue=source.venue, via=source.via, score=source.score,
                fingerprint=source.fingerprint,
                status=Statement.Status.DISMISSED if dismissed else Statement.Status.NEW,
                dismissed_reason=source.dismissed_reason if dismissed else ""))
        store_new_statements(copies)  # each copy is another appearance of the original's quote
        now = timezone.now()
        Article.objects.filter(pk=article.pk).update(
            extraction_status=Article.Extraction.DONE, extraction_error="", extracted_at=now,
            extraction_changed_at=now)
        ReviewEvent.objects.create(article=article, action="extraction_copied", created_at=now,
                                   data={"statements": len(copies), "from_article": original.pk})
    article.refresh_from_db()
    return len(copies)


def extract_or_copy(article: Article) -> int:
    """Extract an article, or copy the finished extraction of the article it is a copy of."""
    original = article.copy_of
    if (original is not None and original.extraction_status == Article.Extraction.DONE
            and original.text == article.text):
        return copy_extraction(article, original)
    return run_extraction(article)
