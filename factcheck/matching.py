"""One quote, many appearances; and earlier fact-checks that match a new statement.

Similarity is pg_trgm's: the share of word trigrams two texts have in common. On PostgreSQL
the database computes it with a GIN trigram index narrowing the candidates; elsewhere the
same formula runs in Python over the candidates, so small data gives the same answers.
Matching runs when statements are created (in the extraction task), never on page views.
"""

import re
import unicodedata
from collections import Counter

from django.db import connection, transaction
from django.db.models import Case, F, Q, Value, When

from factcheck.models import FactCheck, Statement, StatementMatch

# Same words with a changed word, an ellipsis or a spelling variant land well above this;
# a paraphrase or another sentence by the same speaker lands below (see tests/test_matching.py).
APPEARANCE_THRESHOLD = 0.7
FACTCHECK_THRESHOLD = 0.35
MAX_MATCHES = 5
QUOTE_KINDS = [Statement.Kind.DIRECT, Statement.Kind.PARTIAL, Statement.Kind.INDIRECT]
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def normalize(text: str) -> str:
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: each word lower-cased, padded with two spaces before, one after."""
    grams = set()
    for word in _WORD.findall(text.lower()):
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    ta, tb = trigrams(a), trigrams(b)
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


def _set_trigram_limit(threshold: float) -> None:
    """The % operator (trigram_similar) uses the GIN index with this cut-off. It is a session
    setting: set it once per database connection and value, not before every search."""
    connection.ensure_connection()
    key = (id(connection.connection), threshold)
    if getattr(connection, "_trigram_limit", None) != key:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_limit(%s)", [threshold])
        connection._trigram_limit = key


def _similar(queryset, field: str, text: str, threshold: float):
    """Rows of `queryset` whose `field` is at least `threshold` similar to `text`, best first,
    as (row, similarity) pairs."""
    if _on_postgres():
        from django.contrib.postgres.search import TrigramSimilarity

        _set_trigram_limit(threshold)
        rows = (queryset.filter(**{f"{field}__trigram_similar": text})
                .annotate(similarity=TrigramSimilarity(field, text))
                .filter(similarity__gte=threshold).order_by("-similarity", "pk")[:50])
        return [(row, row.similarity) for row in rows]
    scored = [(row, similarity(getattr(row, field), text)) for row in queryset]
    scored = [(row, s) for row, s in scored if s >= threshold]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].pk))[:50]


def _earlier_candidates(statement: Statement):
    """Where a statement's first appearance may be: an earlier first appearance in another
    article, of the same family (quotes with quotes, claims with claims), not attributed to
    someone else."""
    others = (Statement.objects.filter(duplicate_of__isnull=True, pk__lt=statement.pk)
              .exclude(article_id=statement.article_id))
    if statement.kind == Statement.Kind.CLAIM:
        others = others.filter(kind=Statement.Kind.CLAIM)
    else:
        others = others.filter(kind__in=QUOTE_KINDS)
    if statement.speaker_id:
        others = others.filter(Q(speaker_id=statement.speaker_id) | Q(speaker__isnull=True))
    return others


def _may_repeat(statement: Statement, other: Statement) -> bool:
    """The rules of _earlier_candidates, for a row already in hand."""
    same_family = (statement.kind == Statement.Kind.CLAIM) == (other.kind == Statement.Kind.CLAIM)
    return (other.pk < statement.pk and other.article_id != statement.article_id and same_family
            and (not statement.speaker_id or other.speaker_id in (None, statement.speaker_id)))


def find_first_appearance(statement: Statement, *, exact_only: bool = False,
                          exact_checked: bool = False) -> Statement | None:
    """The earlier statement this one repeats: the same words, or nearly (trigram similarity
    at least APPEARANCE_THRESHOLD). `exact_checked`: the caller already looked for the same
    words."""
    if not statement.pk:
        return None
    others = _earlier_candidates(statement)
    if not exact_checked:
        exact = others.filter(fingerprint=statement.fingerprint).order_by("pk").first()
        if exact or exact_only:
            return exact
    candidates = _similar(others, "text", statement.text, APPEARANCE_THRESHOLD)
    return candidates[0][0] if candidates else None


@transaction.atomic
def attach_appearances(pairs: list[tuple[Statement, Statement]]) -> None:
    """Record each (statement, first appearance) pair: a handful of queries for the whole
    batch, however many repeats an article brings."""
    if not pairs:
        return
    for statement, first in pairs:
        statement.duplicate_of = first
    Statement.objects.bulk_update([s for s, _ in pairs], ["duplicate_of"])
    added = Counter(first.pk for _, first in pairs)
    Statement.objects.filter(pk__in=added).update(appearance_count=F("appearance_count") + Case(
        *[When(pk=pk, then=Value(n)) for pk, n in added.items()], default=Value(0)))
    # A fact-check of the quote covers every outlet that printed it.
    Through = FactCheck.statements.through
    checks_of = {}
    for first_id, factcheck_id in Through.objects.filter(statement_id__in=added).values_list(
            "statement_id", "factcheck_id"):
        checks_of.setdefault(first_id, []).append(factcheck_id)
    Through.objects.bulk_create([Through(statement_id=s.pk, factcheck_id=fc)
                                 for s, first in pairs for fc in checks_of.get(first.pk, [])],
                                ignore_conflicts=True)


def match_factchecks(statement: Statement) -> list[StatementMatch]:
    """Store the published fact-checks that match a statement best, same speaker first."""
    published = FactCheck.objects.published()
    scored: dict[int, float] = {}
    for factcheck, score in _similar(published, "claim_reviewed", statement.text, FACTCHECK_THRESHOLD):
        scored[factcheck.pk] = max(scored.get(factcheck.pk, 0.0), score)
    checked = Statement.objects.filter(factchecks__status=FactCheck.Status.PUBLISHED).exclude(
        pk=statement.pk).distinct()
    for checked_statement, score in _similar(checked, "text", statement.text, FACTCHECK_THRESHOLD):
        for pk in checked_statement.factchecks.filter(status=FactCheck.Status.PUBLISHED) \
                .values_list("pk", flat=True):
            scored[pk] = max(scored.get(pk, 0.0), score)
    if not scored:
        return []
    same_speaker = set()
    if statement.speaker_id:
        same_speaker = set(FactCheck.objects.filter(pk__in=scored,
                                                    statements__speaker_id=statement.speaker_id)
                           .values_list("pk", flat=True))
    ranked = sorted(scored.items(), key=lambda kv: (kv[0] not in same_speaker, -kv[1], kv[0]))
    matches = [StatementMatch(statement=statement, factcheck_id=pk, score=score,
                              same_speaker=pk in same_speaker)
               for pk, score in ranked[:MAX_MATCHES]]
    StatementMatch.objects.filter(statement=statement).delete()
    return StatementMatch.objects.bulk_create(matches)


def link_new_statements(statements) -> None:
    """Group each new statement with its first appearance and record matching fact-checks.

    Runs in the extraction task, so its cost is the ingest's: one indexed lookup per
    statement for exact repeats, a trigram search only for quotes (a claim is grouped only
    when worded identically), and fact-check matching only once something is published.
    """
    statements = sorted((s for s in statements if s.pk), key=lambda s: s.pk)
    if not statements:
        return
    # Repeats worded identically, for the whole batch in one query; a statement without one
    # needs a trigram search (quotes only).
    earlier: dict[str, list[Statement]] = {}
    for other in (Statement.objects.filter(fingerprint__in={s.fingerprint for s in statements},
                                           duplicate_of__isnull=True)
                  .exclude(pk__in=[s.pk for s in statements]).order_by("pk")):
        earlier.setdefault(other.fingerprint, []).append(other)
    anything_published = FactCheck.objects.published().exists()
    pairs = []
    for statement in statements:
        is_claim = statement.kind == Statement.Kind.CLAIM
        first = next((o for o in earlier.get(statement.fingerprint, [])
                      if _may_repeat(statement, o)), None)
        if first is None and not is_claim:
            first = find_first_appearance(statement, exact_checked=True)
        if first is not None:
            pairs.append((statement, first))
        if anything_published and (not is_claim or statement.score >= 0.5):
            match_factchecks(statement)
    attach_appearances(pairs)
