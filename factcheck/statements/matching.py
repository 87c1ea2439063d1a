"""One quote, many appearances; and earlier fact-checks that match a new statement.

Similarity is pg_trgm's: the share of word trigrams two texts have in common. On PostgreSQL
the database computes it over candidates narrowed by an index (MinHash LSH bands, lsh.py: one
set for earlier appearances, another for fact-checks); elsewhere the same formula runs in
Python over the candidates, so small data gives the same answers.
Matching runs when statements are created (in the extraction task), never on page views.
"""

import struct
from collections import Counter

from django.db import connection
from django.db.models import Case, F, Q, Value, When

from factcheck.models import FactCheck, Statement, StatementMatch
from factcheck.statements.lsh import (
    APPEARANCE_THRESHOLD,
    LSH_FIELDS,
    MATCH_SKETCH_MAX_DIFFERING,
    SKETCH_MAX_DIFFERING,
    Probe,
    jaccard,
    match_fields,
    probe_bands,
    set_lsh_fields,
    similarity,
    statement_bands,
    trigrams,
)

FACTCHECK_THRESHOLD = 0.35
MAX_MATCHES = 5
QUOTE_KINDS = [Statement.Kind.DIRECT, Statement.Kind.PARTIAL, Statement.Kind.INDIRECT]


def _on_postgres() -> bool:
    return connection.vendor == "postgresql"


def _similar(queryset, field: str, text: str, threshold: float):
    """Rows of `queryset` whose `field` is at least `threshold` similar to `text`, best first,
    as (row, similarity) pairs: the Python formula, for databases without pg_trgm."""
    scored = [(row, similarity(getattr(row, field), text)) for row in queryset]
    scored = [(row, s) for row, s in scored if s >= threshold]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].pk))[:50]


def _earlier_candidates(statement: Statement):
    """Where a statement's first appearance may be: an earlier first appearance in another
    article, of the same family (quotes with quotes, claims with claims), not attributed to
    someone else."""
    others = Statement.objects.filter(duplicate_of__isnull=True).exclude(article_id=statement.article_id)
    if statement.pk:  # one not stored yet comes after every stored one
        others = others.filter(pk__lt=statement.pk)
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
    return ((statement.pk is None or other.pk < statement.pk)
            and other.article_id != statement.article_id and same_family
            and (not statement.speaker_id or other.speaker_id in (None, statement.speaker_id)))


# What a first appearance is read with: what grouping compares (_may_repeat, the fingerprint
# and the words) and stores (its id). Every column, as until 6 Dec, shipped each candidate's
# bands, match bands, sketch and search vector to Python for nothing, 280 rows a batch.
FIRST_APPEARANCE_FIELDS = ("text", "kind", "article", "speaker", "fingerprint")

# The rules of _earlier_candidates in SQL for quotes, every quote of a batch (`new`) at once.
# Only rows sharing an LSH band with the new quote are read: the GIN index on bands, partial
# (first appearances of quotes, as written here). Then rows whose sketch is too unlike the
# quote's are dropped (XOR needs sketches of one length: a row stored without one is kept), and
# the similarity of the others is computed once, in the subquery (OFFSET 0 keeps the test on it
# outside, so PostgreSQL cannot evaluate similarity() before the sketch test, as it did when
# they were separate conditions), then tested and ranked: in the WHERE and again in the ORDER BY
# it was computed twice for every row kept. Each quote's bands come as the text of an int
# array, since unnest flattens 2-D arrays.
_EARLIER_SIMILAR_SQL = """
    SELECT DISTINCT ON (position) position AS repeating, {columns}
    FROM (
        SELECT new.position, similarity(s.text, new.text) AS score, {statement_columns}
        FROM unnest(%(positions)s::int[], %(ids)s::bigint[], %(texts)s::text[], %(articles)s::bigint[],
                    %(speakers)s::bigint[], %(bands)s::text[], %(sketches)s::varbit[])
             AS new(position, id, text, article_id, speaker_id, bands, sketch),
             {statement} s
        WHERE s.bands && new.bands::int[] AND s.duplicate_of_id IS NULL AND s.kind <> 'claim'
          AND (new.id IS NULL OR s.id < new.id) AND s.article_id <> new.article_id
          AND (new.speaker_id IS NULL OR s.speaker_id IS NULL OR s.speaker_id = new.speaker_id)
          AND CASE WHEN length(s.sketch) <> length(new.sketch) THEN true
                   ELSE bit_count(s.sketch # new.sketch) <= %(max_differing)s END
        OFFSET 0) candidate
    WHERE score >= %(threshold)s
    ORDER BY position, score DESC, id
"""


def _first_appearance_columns() -> list[str]:
    fields = [Statement._meta.pk, *(Statement._meta.get_field(name) for name in FIRST_APPEARANCE_FIELDS)]
    return [connection.ops.quote_name(field.column) for field in fields]


def _earlier_similar(quotes: list[Statement], probes: list[Probe]) -> list[Statement | None]:
    """For each quote (direct, partial or reported), the earlier first appearance of a quote
    whose words are most similar to its own (at least APPEARANCE_THRESHOLD; the oldest among
    equals), or None. `probes`: each quote's probe_bands, from its text as it is now (an
    unsaved statement has no stored bands)."""
    if not quotes:
        return []
    if not _on_postgres():
        found = []
        for quote in quotes:
            candidates = _similar(_earlier_candidates(quote), "text", quote.text, APPEARANCE_THRESHOLD)
            found.append(candidates[0][0] if candidates else None)
        return found
    bands = ["{" + ",".join(map(str, probe.keys)) + "}" for probe in probes]
    columns = _first_appearance_columns()
    sql = _EARLIER_SIMILAR_SQL.format(statement=Statement._meta.db_table, columns=", ".join(columns),
                                      statement_columns=", ".join(f"s.{column}" for column in columns))
    rows = Statement.objects.raw(sql, {
        "positions": list(range(len(quotes))), "ids": [q.pk for q in quotes], "bands": bands,
        "sketches": [probe.sketch for probe in probes], "max_differing": SKETCH_MAX_DIFFERING,
        "texts": [q.text for q in quotes], "articles": [q.article_id for q in quotes],
        "speakers": [q.speaker_id for q in quotes], "threshold": APPEARANCE_THRESHOLD})
    found: list[Statement | None] = [None] * len(quotes)
    for row in rows:
        found[row.repeating] = row
    return found


def find_first_appearances(statements: list[Statement],
                           probes: list[Probe] | None = None) -> list[Statement | None]:
    """For each statement (stored, or about to be), the earlier statement it repeats: the same
    words (the oldest such), or for a quote nearly the same words (trigram similarity at least
    APPEARANCE_THRESHOLD); None for a first appearance. A claim is grouped only when worded
    identically. Two queries for the whole batch. `probes`: the statements' probe_bands, when
    the caller has them already. The stored rows found are read with FIRST_APPEARANCE_FIELDS
    only."""
    earlier: dict[str, list[Statement]] = {}
    for other in (Statement.objects.filter(fingerprint__in={s.fingerprint for s in statements},
                                           duplicate_of__isnull=True).only(*FIRST_APPEARANCE_FIELDS)
                  .exclude(pk__in=[s.pk for s in statements if s.pk]).order_by("pk")):
        earlier.setdefault(other.fingerprint, []).append(other)
    firsts = [next((o for o in earlier.get(s.fingerprint, []) if _may_repeat(s, o)), None)
              for s in statements]
    reworded = [i for i, s in enumerate(statements)
                if firsts[i] is None and s.kind != Statement.Kind.CLAIM]
    reworded_probes = ([probes[i] for i in reworded] if probes is not None
                       else probe_bands([statements[i].text for i in reworded]))
    for i, first in zip(reworded, _earlier_similar([statements[i] for i in reworded], reworded_probes),
                        strict=True):
        firsts[i] = first
    return firsts


def checks_of(firsts: list[Statement | None]) -> dict[int, list[tuple[int, bool]]]:
    """For each stored first appearance, its fact-checks as (pk, published) pairs: one query.
    Read before the repeats are inserted, so that a repeat of a published check is stored with
    its in_published_factcheck flag instead of being written twice."""
    Through = FactCheck.statements.through
    found: dict[int, list[tuple[int, bool]]] = {}
    for first_id, factcheck_id, status in Through.objects.filter(
            statement_id__in={f.pk for f in firsts if f is not None and f.pk}).values_list(
            "statement_id", "factcheck_id", "factcheck__status"):
        found.setdefault(first_id, []).append((factcheck_id, status == FactCheck.Status.PUBLISHED))
    return found


_ADD_APPEARANCES_SQL = """
    UPDATE {statement} s SET appearance_count = s.appearance_count + added.n
    FROM unnest(%s::bigint[], %s::integer[]) AS added(id, n) WHERE s.id = added.id
"""


def record_appearances(pairs: list[tuple[Statement, Statement]],
                       checks: dict[int, list[tuple[int, bool]]]) -> None:
    """Count each stored (repeat, first appearance) pair on its first appearance, and let the
    fact-checks of the first appearance (`checks`) cover the repeat: two queries for the
    whole batch."""
    if not pairs:
        return
    added = sorted(Counter(first.pk for _, first in pairs).items())  # rows locked in pk order
    if _on_postgres():
        # A join with the counts: the same rewrite of each counted row as a CASE of one WHEN a
        # row, without Django resolving and compiling hundreds of WHENs (for 300 rows 55 ms
        # against 20).
        with connection.cursor() as cursor:
            cursor.execute(_ADD_APPEARANCES_SQL.format(statement=Statement._meta.db_table),
                           [[pk for pk, _ in added], [n for _, n in added]])
    else:
        Statement.objects.filter(pk__in=[pk for pk, _ in added]).update(
            appearance_count=F("appearance_count") + Case(
                *[When(pk=pk, then=Value(n)) for pk, n in added], default=Value(0)))
    # A fact-check of the quote covers every outlet that printed it.
    Through = FactCheck.statements.through
    Through.objects.bulk_create([Through(statement_id=s.pk, factcheck_id=fc)
                                 for s, first in pairs for fc, _ in checks.get(first.pk, [])],
                                ignore_conflicts=True)


# Published fact-checks whose claim is similar to a statement's words, and published fact-checks
# of statements similar to them: at most 50 of each, best first, per statement of `new`. The
# candidates on both sides are the rows sharing one of the statement's match bands (lsh.py),
# found through partial GIN indexes: the claims of published fact-checks, and the first
# appearances published fact-checks cover (in_published_factcheck; a stale flag only costs a
# row the join to published fact-checks drops). Only first appearances are read (migration
# 0014): a fact-check covers a quote's first appearance with all its repeats, mostly the same
# words. A candidate's sketch is compared before its similarity() is computed, in one CASE as in
# _EARLIER_SIMILAR_SQL (a row without a sketch of the same length is compared by similarity
# alone), and each similarity() is computed once, in a MATERIALIZED CTE the others read.
# Until 6 Dec the candidates came from pg_trgm's trigram indexes (`%`): every row sharing 0.35
# of the statement's trigrams, mostly function words', 154 a statement at 1,000 published
# fact-checks, each checked with similarity(): the cost grew with the published fact-checks.
# Each statement's candidates are read in a subquery of its own (LATERAL ... OFFSET 0, which the
# planner keeps apart), so that they are always looked up through the index: joined directly, a
# planner that expected few published rows (a small table, as the bench's) compared every new
# statement's bands with every published row's (&& costs 70 x 70 comparisons, which it does not
# know): 9.6 s for 283 statements against 1,000 rows.
# The new statements' bands and sketches travel as text (unnest flattens 2-D arrays), cast once
# in `new`: cast in the lookups, a table of a few published rows read without its index cast
# them again for every row (half of matching's time against 10 published fact-checks).
_FACTCHECK_SCORES_SQL = """
    WITH new AS MATERIALIZED (
        SELECT id, text, bands::int[] AS bands, sketch
        FROM unnest(%(ids)s::bigint[], %(texts)s::text[], %(bands)s::text[], %(sketches)s::varbit[])
             AS new(id, text, bands, sketch)),
    claimed AS MATERIALIZED (
        SELECT new.id AS statement_id, f.id AS factcheck_id, similarity(f.claim_reviewed, new.text) AS score
        FROM new CROSS JOIN LATERAL (
            SELECT f.id, f.claim_reviewed FROM {factcheck} f
            WHERE f.claim_bands && new.bands AND f.status = '{published}'
              AND CASE WHEN length(f.claim_sketch) <> length(new.sketch) THEN true
                       ELSE bit_count(f.claim_sketch # new.sketch) <= %(max_differing)s END
            OFFSET 0) f),
    by_claim AS (
        SELECT statement_id, factcheck_id, score,
               row_number() OVER (PARTITION BY statement_id ORDER BY score DESC, factcheck_id) AS n
        FROM claimed WHERE score >= %(threshold)s),
    checked AS MATERIALIZED (
        SELECT new.id AS statement_id, s.id AS checked_id, similarity(s.text, new.text) AS score
        FROM new CROSS JOIN LATERAL (
            SELECT s.id, s.text FROM {statement} s
            WHERE s.match_bands && new.bands AND s.in_published_factcheck AND s.duplicate_of_id IS NULL
              AND s.id <> new.id
              AND CASE WHEN length(s.sketch) <> length(new.sketch) THEN true
                       ELSE bit_count(s.sketch # new.sketch) <= %(max_differing)s END
            OFFSET 0) s),
    by_statement AS (
        SELECT statement_id, checked_id, score,
               row_number() OVER (PARTITION BY statement_id ORDER BY score DESC, checked_id) AS n
        FROM checked WHERE score >= %(threshold)s)
    SELECT statement_id, factcheck_id, score FROM by_claim WHERE n <= 50
    UNION ALL
    SELECT b.statement_id, c.factcheck_id, b.score FROM by_statement b
    JOIN {checks} c ON c.statement_id = b.checked_id
    JOIN {factcheck} f ON f.id = c.factcheck_id AND f.status = '{published}'
    WHERE b.n <= 50
"""

# The rows the search above reads without their match bands: first appearances a published
# fact-check covers that were stored before match bands existed (or without them, as bulk
# loads do), and published claims changed since their bands were computed (the workflow
# writes claims with conditional updates, past Model.save()). Each kind has a partial index
# (migration 0025), so with none waiting this costs one index probe a batch.
_UNBANDED_SQL = """
    SELECT 'statement', id, text FROM {statement}
    WHERE in_published_factcheck AND duplicate_of_id IS NULL AND match_bands IS NULL
    UNION ALL
    SELECT 'factcheck', id, claim_reviewed FROM {factcheck}
    WHERE status = '{published}' AND banded_claim <> claim_reviewed
    ORDER BY 1, 2
"""


def refresh_match_fields() -> int:
    """Give the rows fact-check matching reads, and that lack them, their match bands and
    sketch (PostgreSQL only: elsewhere matching compares texts in Python). Returns how many."""
    if not _on_postgres():
        return 0
    with connection.cursor() as cursor:
        cursor.execute(_UNBANDED_SQL.format(statement=Statement._meta.db_table,
                                            factcheck=FactCheck._meta.db_table,
                                            published=FactCheck.Status.PUBLISHED.value))
        rows = cursor.fetchall()
    if not rows:
        return 0
    # Updated in id order, as record_appearances does: two workers refreshing the same rows
    # after a publish wait for each other instead of deadlocking.
    statements = [Statement(pk=pk, text=text) for kind, pk, text in rows if kind == "statement"]
    if statements:
        set_lsh_fields(statements)  # all of them: they follow the same text
        Statement.objects.bulk_update(statements, list(LSH_FIELDS))
    factchecks = [FactCheck(pk=pk, claim_reviewed=text) for kind, pk, text in rows if kind == "factcheck"]
    for factcheck, (bands, sketch) in zip(factchecks, match_fields([f.claim_reviewed for f in factchecks]),
                                          strict=True):
        # The claim as read: changed again meanwhile, it differs from banded_claim and is redone.
        factcheck.claim_bands, factcheck.claim_sketch = bands, sketch
        factcheck.banded_claim = factcheck.claim_reviewed
    if factchecks:
        FactCheck.objects.bulk_update(factchecks, ["claim_bands", "claim_sketch", "banded_claim"])
    return len(rows)


def _match_probes(statements: list[Statement]) -> list[tuple[list[int], str]]:
    """(match_bands, sketch) of each statement: as stored with it, or computed for one read
    without them (stored before match bands existed, or loaded with the fields deferred)."""
    found: list[tuple[list[int], str] | None] = []
    for statement in statements:
        deferred = statement.get_deferred_fields()
        known = not deferred & {"match_bands", "sketch"} and statement.match_bands is not None
        found.append((statement.match_bands, statement.sketch) if known else None)
    missing = [i for i, probe in enumerate(found) if probe is None]
    for i, probe in zip(missing, match_fields([statements[i].text for i in missing]), strict=True):
        found[i] = probe
    return found


def _factcheck_scores(statements: list[Statement]) -> dict[int, dict[int, float]]:
    """statement pk -> {published fact-check pk: best similarity to the statement's words}, found
    by the fact-check's claim or by the words of a statement it checked."""
    scores: dict[int, dict[int, float]] = {s.pk: {} for s in statements}
    if _on_postgres():
        # The scores depend on the words alone, and the same quote is often printed by several
        # outlets of a batch: each distinct text is scored once, the first statement holding
        # it standing for all (new statements are in no fact-check yet, so none is excluded
        # from another's matches as the checked row itself).
        holders: dict[str, list[Statement]] = {}
        for statement in statements:
            holders.setdefault(statement.text, []).append(statement)
        probes = _match_probes([same[0] for same in holders.values()])
        refresh_match_fields()
        with connection.cursor() as cursor:
            cursor.execute(_FACTCHECK_SCORES_SQL.format(
                factcheck=FactCheck._meta.db_table, statement=Statement._meta.db_table,
                checks=FactCheck.statements.through._meta.db_table,
                published=FactCheck.Status.PUBLISHED.value), {
                "ids": [same[0].pk for same in holders.values()], "texts": list(holders),
                "bands": ["{" + ",".join(map(str, bands)) + "}" for bands, _ in probes],
                "sketches": [sketch for _, sketch in probes],
                "max_differing": MATCH_SKETCH_MAX_DIFFERING, "threshold": FACTCHECK_THRESHOLD})
            by_text = {same[0].pk: same for same in holders.values()}
            rows = [(s.pk, factcheck_pk, score) for first_pk, factcheck_pk, score in cursor.fetchall()
                    for s in by_text[first_pk]]
    else:
        rows = []
        published = FactCheck.objects.published()
        for statement in statements:
            rows += [(statement.pk, factcheck.pk, score) for factcheck, score in
                     _similar(published, "claim_reviewed", statement.text, FACTCHECK_THRESHOLD)]
            checked = Statement.objects.filter(in_published_factcheck=True, duplicate_of__isnull=True
                                               ).exclude(pk=statement.pk)
            for checked_statement, score in _similar(checked, "text", statement.text, FACTCHECK_THRESHOLD):
                rows += [(statement.pk, pk, score) for pk in checked_statement.factchecks.filter(
                    status=FactCheck.Status.PUBLISHED).values_list("pk", flat=True)]
    for statement_pk, factcheck_pk, score in rows:
        scored = scores[statement_pk]
        scored[factcheck_pk] = max(scored.get(factcheck_pk, 0.0), score)
    return scores


def worth_matching(statements: list[Statement]) -> list[Statement]:
    """The statements extraction matches against published fact-checks: every quote, and the
    claims at least even odds to be worth checking (most sentences are claims of no interest)."""
    return [s for s in statements if s.kind != Statement.Kind.CLAIM or s.score >= 0.5]


def match_factchecks(statements: list[Statement]) -> list[StatementMatch]:
    """Store the published fact-checks that match each statement best, same speaker first:
    a few queries for the whole batch."""
    statements = [s for s in statements if s.pk]
    scores = {pk: scored for pk, scored in _factcheck_scores(statements).items() if scored}
    if not scores:
        return []
    # (fact-check, speaker) for the speakers of these statements that a fact-check covers.
    checked_speakers = set(FactCheck.objects.filter(
        pk__in={pk for scored in scores.values() for pk in scored},
        statements__speaker_id__in={s.speaker_id for s in statements if s.speaker_id},
    ).values_list("pk", "statements__speaker_id"))
    matches = []
    for statement in statements:
        scored = scores.get(statement.pk)
        if not scored:
            continue
        same_speaker = {pk for pk in scored if (pk, statement.speaker_id) in checked_speakers}
        ranked = sorted(scored.items(), key=lambda kv: (kv[0] not in same_speaker, -kv[1], kv[0]))
        matches += [StatementMatch(statement=statement, factcheck_id=pk, score=score,
                                   same_speaker=pk in same_speaker)
                    for pk, score in ranked[:MAX_MATCHES]]
    StatementMatch.objects.filter(statement_id__in=scores).delete()
    return StatementMatch.objects.bulk_create(matches)


def _pg_real(score: float) -> float:
    """A similarity as PostgreSQL holds it (pg_trgm computes in single precision), so that
    scores computed here rank and tie exactly as the database's do."""
    return struct.unpack("f", struct.pack("f", score))[0]


def _trigrams_of(known: dict[int, set[str]], i: int, text: str) -> set[str]:
    if i not in known:
        known[i] = trigrams(text)
    return known[i]


def find_first_appearances_in_batch(statements: list[Statement],
                                    probes: list[Probe] | None = None) -> list[Statement | None]:
    """find_first_appearances for the new statements of several articles stored together
    (listed article by article, in the order the articles are handled), giving what storing
    each article's statements before looking up the next article's would give.

    The database only knows rows already stored, so a repeat of a statement of an earlier
    article of the same batch is found here, by the same rules (_may_repeat): a stored exact
    repeat first (stored rows are older than the batch), else the oldest exact repeat earlier
    in the batch, else for a quote the most similar earlier first appearance, stored or in the
    batch, the older one among equals. No query beyond find_first_appearances'."""
    if probes is None:
        probes = probe_bands([s.text for s in statements])
    firsts = find_first_appearances(statements, probes)
    if len({s.article_id for s in statements}) < 2:
        return firsts  # statements of one article never repeat each other
    score = _pg_real if _on_postgres() else float
    # Earlier first appearances of the batch, by their words and by their LSH bands: the
    # database's search reads rows sharing a band, and so does this one (comparing every pair
    # took seconds for fifty long articles).
    by_fingerprint: dict[str, list[int]] = {}
    by_band: dict[int, list[int]] = {}
    grams: dict[int, set[str]] = {}
    for i, statement in enumerate(statements):
        first = firsts[i]
        if first is None or first.fingerprint != statement.fingerprint:  # no stored exact repeat
            same = [j for j in by_fingerprint.get(statement.fingerprint, ())
                    if _may_repeat(statement, statements[j])]
            if same:
                first = statements[same[0]]
            elif statement.kind != Statement.Kind.CLAIM and probes[i].keys:
                shared = by_band.keys() & probes[i].keys  # set operations in C: ~120 keys a quote
                candidates = [j for j in sorted({j for band in shared for j in by_band[band]})
                              if _may_repeat(statement, statements[j])]
                if candidates:  # the stored one's similarity is only needed to compare with these
                    mine = _trigrams_of(grams, i, statement.text)
                    best = score(jaccard(mine, trigrams(first.text))) if first is not None else 0.0
                for j in candidates:
                    value = score(jaccard(mine, _trigrams_of(grams, j, statements[j].text)))
                    if value >= APPEARANCE_THRESHOLD and value > best:
                        first, best = statements[j], value
        firsts[i] = first
        if first is None:
            by_fingerprint.setdefault(statement.fingerprint, []).append(i)
            if statement.kind != Statement.Kind.CLAIM:
                for band in statement.bands or statement_bands([statement.text])[0]:
                    by_band.setdefault(band, []).append(i)
    return firsts
