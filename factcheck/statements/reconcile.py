"""What the extractor found now, set against what is stored from before.

A statement found again keeps its row (refreshed if no editor has touched it), new findings
are added, and untouched statements the engine no longer finds are removed. Statements an
editor has taken, edited, dismissed or put in a fact-check are never removed or rewritten;
after an edit of the article they move to where their words now are.
"""

from dataclasses import dataclass, field

from factcheck.extract import Claim, Extraction, Quote
from factcheck.models import Article, ReviewEvent, Speaker, Statement, fingerprint

# What a repeated extraction may rewrite on a statement no editor has touched.
REFRESHED_FIELDS = ["text", "parts", "speaker", "mention", "mention_start", "mention_end", "cue",
                    "cue_start", "cue_end", "venue", "via", "score", "fingerprint"]
# Stored scores are rounded as the extractor's JSON output rounds them.
SCORE_DIGITS = 4


def _score(value: float) -> float:
    return min(max(round(float(value or 0.0), SCORE_DIGITS), 0.0), 1.0)


def _as_said(quote: Quote) -> tuple[str, list[list[int]]]:
    """The item's words as the desk and readers see them: reported speech without the
    reporter's leading "that". The extractor keeps it, as attribution corpora mark the
    clause; a statement is the claim itself, and "said X" and "said that X" printed by
    two outlets are then the same statement."""
    parts = [[a, b] for a, b in quote.parts]
    cut = quote.complementiser
    if cut and len(parts) > 1 and parts[0][1] - parts[0][0] < cut:
        # 'what "the old model"': the relative pronoun is a part of its own
        return quote.text[cut:], parts[1:]
    if not cut or (parts and parts[0][1] - parts[0][0] <= cut):
        return quote.text, parts
    if parts:
        parts[0][0] += cut
    return quote.text[cut:], parts


def statement_from_quote(article: Article, quote: Quote, speaker: Speaker | None) -> Statement:
    found, cue, venue = quote.speaker, quote.cue, quote.venue
    text, parts = _as_said(quote)
    return Statement(
        article=article, kind=quote.kind, text=text,
        start=parts[0][0] if parts else quote.start + len(quote.text) - len(text), end=quote.end,
        parts=parts, speaker=speaker,
        mention=(found.mention if found else "")[:300],
        mention_start=found.start if found else None, mention_end=found.end if found else None,
        cue=(cue.text if cue else "")[:100], cue_start=cue.start if cue else None,
        cue_end=cue.end if cue else None,
        venue=(venue.text if venue else "")[:300], via=[v.to_dict() for v in quote.via],
        score=_score(quote.score),
    )


def statement_from_claim(article: Article, claim: Claim) -> Statement:
    return Statement(article=article, kind=Statement.Kind.CLAIM, text=claim.text,
                     start=claim.start, end=claim.end, score=_score(claim.score))


def untouched(statement: Statement) -> bool:
    """Still exactly as the engine made it: new, never edited, assigned or fact-checked."""
    n_factchecks = getattr(statement, "n_factchecks", None)
    if n_factchecks is None:
        n_factchecks = statement.factchecks.count()
    return statement.status == Statement.Status.NEW and statement.version == 1 and not n_factchecks


@dataclass
class Reconciled:
    """One article's findings set against its stored statements."""

    new: list[Statement] = field(default_factory=list)
    refreshed: list[Statement] = field(default_factory=list)
    stale: list[int] = field(default_factory=list)  # pks of untouched rows no longer found


def reconcile(article: Article, found: Extraction, speakers: list[Speaker | None],
              existing: dict[tuple, Statement]) -> Reconciled:
    """`speakers`: the stored speaker of each quote; `existing`: the article's stored
    statements by (kind, start, end), annotated with n_factchecks."""
    results = {}
    quotes = [statement_from_quote(article, q, s) for q, s in zip(found.quotes, speakers, strict=True)]
    for statement in quotes + [statement_from_claim(article, c) for c in found.claims]:
        if statement.end > statement.start:
            results.setdefault((statement.kind, statement.start, statement.end), statement)
    outcome = Reconciled()
    for key, statement in results.items():
        # bulk_create/bulk_update skip Model.save(), where the fingerprint is normally set.
        statement.fingerprint = fingerprint(statement.text)
        old = existing.get(key)
        if old is None:
            outcome.new.append(statement)
        elif untouched(old):
            for name in REFRESHED_FIELDS:
                setattr(old, name, getattr(statement, name))
            outcome.refreshed.append(old)
    outcome.stale = [s.pk for key, s in existing.items() if key not in results and untouched(s)]
    return outcome


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
            if not untouched(statement):
                ReviewEvent.record(ReviewEvent.Action.ARTICLE_CHANGED, statement=statement,
                                   article=article,
                                   note="The article was edited and these words are no longer in it.")
            continue
        taken.discard((statement.kind, statement.start, statement.end))
        taken.add(target)
        statement.start += delta
        statement.end += delta
        statement.parts = [[a + delta, b + delta] for a, b in (statement.parts or [])]
        for name in ("mention_start", "mention_end", "cue_start", "cue_end"):
            value = getattr(statement, name)
            if value is not None:
                setattr(statement, name, max(0, value + delta))
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
