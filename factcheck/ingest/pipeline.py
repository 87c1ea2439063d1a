"""From an article's text to queue items: run the extractor and store what it found."""

import logging

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from factcheck import extract
from factcheck.matching import LSH_FIELDS, set_lsh_fields, store_new_statements
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

# Articles extracted together by the paths that handle many at once (bulk imports, feeds, the
# sweep, manage.py ingest of many sources). The costs left are mostly per batch rather than
# per query: measured with the bench data, 50 took 10-20% less database time an article than
# 20 (17-21 ms against 21-27 ms, alternating on this loaded machine). More would gain less
# and delay the first results further, hold more parses in memory (the worker stays at the
# same 205 MB with 50) and cost more to redo one by one after a failure.
EXTRACTION_BATCH = 50
# Texts longer than this together (about a second and a half of parsing) are shown as running
# while the engine works on them.
LONG_TEXT = 50_000

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
    a fact-check are never removed or rewritten. A failed extraction is recorded on the
    article and raised.
    """
    outcome = run_extraction_batch([article])[article.pk]
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


def _parse(texts: list[str]) -> list[dict | Exception]:
    """The engine's findings for each text, or the exception it raised on that text."""
    if len(texts) == 1:
        try:
            return [extract.extract(texts[0]).to_dict()]
        except Exception as exc:  # the engine must never take a worker down with it
            return [exc]
    try:
        return [found.to_dict() for found in extract.extract_many(texts)]
    except Exception:
        # One text the engine cannot handle must not cost the others their extraction: parse
        # them one by one (slower, but only after a failure) to tell which one it was.
        log.warning("batch extraction failed; extracting its %d texts one by one", len(texts))
        return _parse_each(texts)


def _parse_each(texts: list[str]) -> list[dict | Exception]:
    results: list[dict | Exception] = []
    for text in texts:
        results += _parse([text])
    return results


def run_extraction_batch(articles: list[Article]) -> dict[int, int | Exception]:
    """run_extraction for many articles at once: article pk -> how many statements were
    stored, or the exception that failed its extraction (recorded on the article, as
    run_extraction does; the other articles are extracted all the same).

    The texts are parsed together (one nlp.pipe), and the statements of articles extracted
    for the first time are stored together: a fixed number of queries for the batch, however
    many articles it holds. The results are those of extracting the articles one by one in
    the order given: a statement repeating one of an earlier article of the same batch is
    grouped with it, and speakers created for an earlier article are found by a later one.
    """
    articles = list({a.pk: a for a in articles}.values())  # once each, in order of first mention
    if not articles:
        return {}
    if sum(len(a.text) for a in articles) > LONG_TEXT:
        # Shown as running, and left alone by the sweep (extraction_changed_at is recent). When
        # the parse is over in about a second the mark is not worth what it costs: a commit,
        # and a second rewrite of each row and its full-text index entries.
        Article.objects.filter(pk__in=[a.pk for a in articles]).update(
            extraction_status=Article.Extraction.RUNNING, extraction_error="",
            extraction_changed_at=timezone.now())
    texts_seen = {a.pk: a.text for a in articles}
    outcomes: dict[int, int | Exception] = {}
    parsed = []
    for article, found in zip(articles, _parse([a.text for a in articles]), strict=True):
        if isinstance(found, Exception):
            log.error("extraction failed for article %s", article.pk, exc_info=found)
            error = f"{type(found).__name__}: {found}"[:2000]
            now = timezone.now()
            Article.objects.filter(pk=article.pk).update(
                extraction_status=Article.Extraction.FAILED, extraction_changed_at=now,
                extraction_error=error)
            article.extraction_status, article.extraction_error = Article.Extraction.FAILED, error
            article.extraction_changed_at = now
            outcomes[article.pk] = found
        else:
            parsed.append((article, found))
    if not parsed:
        return outcomes

    with transaction.atomic():
        # One extraction per article at a time: a retried or swept task racing the original
        # one waits here instead of colliding on the unique spans. Locked in pk order, so two
        # batches sharing articles cannot deadlock.
        current = {a.pk: a for a in Article.objects.select_for_update().filter(
            pk__in=[a.pk for a, _ in parsed]).only("text", "extracted_at").order_by("pk")}
        for article, _ in parsed:
            if article.pk not in current or current[article.pk].text != texts_seen[article.pk]:
                # Deleted, or changed while the engine ran; the run for the new text is queued.
                outcomes[article.pk] = 0
        parsed = [(a, found) for a, found in parsed if a.pk not in outcomes]
        for article, _ in parsed:
            relocate_kept_statements(current[article.pk])  # no query for one never extracted
        # One query for the batch, never-extracted articles included: a statement added by hand
        # (in the admin) holds its span, and inserting the engine's own there would collide.
        existing: dict[int, dict[tuple, Statement]] = {}
        for s in Statement.objects.filter(article__in=[a for a, _ in parsed]).annotate(
                n_factchecks=Count("factchecks")):
            existing.setdefault(s.article_id, {})[(s.kind, s.start, s.end)] = s
        speakers = iter(resolve_speakers([q.get("speaker") or {} for _, found in parsed
                                          for q in found["quotes"]]))
        now = timezone.now()
        events, fresh = [], []
        for article, found in parsed:
            results = {}
            for statement in ([_statement_from_quote(article, q, next(speakers)) for q in found["quotes"]]
                              + [_statement_from_claim(article, c) for c in found["claims"]]):
                if statement.end > statement.start:
                    results.setdefault((statement.kind, statement.start, statement.end), statement)
            old_ones = existing.get(article.pk, {})
            new, refreshed = [], []
            for key, statement in results.items():
                # bulk_create/bulk_update skip Model.save(), where the fingerprint is normally set.
                statement.fingerprint = fingerprint(statement.text)
                old = old_ones.get(key)
                if old is None:
                    new.append(statement)
                elif _untouched(old):
                    for field in REFRESHED_FIELDS:
                        setattr(old, field, getattr(statement, field))
                    refreshed.append(old)
            stale = [s.pk for key, s in old_ones.items() if key not in results and _untouched(s)]
            if not old_ones:
                fresh += new
            else:
                # A re-extraction changes rows later articles may repeat: store what came before
                # it, then it alone, as one by one would.
                store_new_statements(fresh)
                fresh = []
                Statement.objects.filter(pk__in=stale).delete()
                set_lsh_fields(refreshed)  # the text may have changed; bulk_update skips save()
                Statement.objects.bulk_update(refreshed, [*REFRESHED_FIELDS, *LSH_FIELDS])
                store_new_statements(new)
            events.append(ReviewEvent(article=article, action="extracted", created_at=now, data={
                "statements": len(new) + len(refreshed), "new": len(new), "removed": len(stale)}))
            outcomes[article.pk] = len(new) + len(refreshed)
        # grouped with earlier appearances (in this batch too), matched to earlier fact-checks
        store_new_statements(fresh)
        done = [article for article, _ in parsed]
        Article.objects.filter(pk__in=[a.pk for a in done]).update(
            extraction_status=Article.Extraction.DONE, extraction_error="", extracted_at=now,
            extraction_changed_at=now)
        ReviewEvent.objects.bulk_create(events)
    for article in done:  # what the update wrote, without reading each article back
        article.extraction_status, article.extraction_error = Article.Extraction.DONE, ""
        article.extracted_at = article.extraction_changed_at = now
    return outcomes


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


def _finished_original(article: Article) -> Article | None:
    """The article this one is a copy of, when that one's extraction is done and still holds
    for this text: its statements can be copied instead of extracting again."""
    original = article.copy_of
    if (original is not None and original.extraction_status == Article.Extraction.DONE
            and original.text == article.text):
        return original
    return None


def extract_or_copy(article: Article) -> int:
    """Extract an article, or copy the finished extraction of the article it is a copy of."""
    original = _finished_original(article)
    if original is not None:
        return copy_extraction(article, original)
    return run_extraction(article)


def extract_or_copy_batch(articles: list[Article]) -> dict[int, int | Exception]:
    """extract_or_copy for many articles (load them with select_related("copy_of")): article pk
    -> statements stored, or the exception that failed it. The copies of finished originals
    are copied; the others are extracted together. One failing does not stop the others."""
    outcomes: dict[int, int | Exception] = {}
    to_extract = []
    for article in articles:
        original = _finished_original(article)
        if original is not None:
            try:
                outcomes[article.pk] = copy_extraction(article, original)
            except Exception as exc:  # left pending: the sweep queues it again
                log.exception("copying the extraction of article %s failed", article.pk)
                outcomes[article.pk] = exc
        else:
            to_extract.append(article)
    outcomes.update(run_extraction_batch(to_extract))
    return outcomes
