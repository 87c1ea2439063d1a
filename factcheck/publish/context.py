"""What a reader needs around a checked quote: the sentences it sat in, where and when it was
printed, who else printed it, and the site's other fact-checks that bear on it.

Everything here reads what extraction and appearance grouping stored; nothing is matched or
parsed on a page view, and each function costs a fixed number of queries.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q

from factcheck.models import (
    Article,
    Correction,
    Evidence,
    FactCheck,
    PrimarySource,
    Statement,
    StatementMatch,
    normalize_text,
)
from factcheck.review.highlight import Piece, paragraphs_with_marks
from factcheck.review.sources import alignment_of

# How far around the quote the sentence search looks, and how much of a sentence is shown on
# either side at most: a run-on paragraph without full stops must not become the whole article.
_WINDOW = 3000
_MAX_SIDE = 400

# A sentence ends at . ! or ? (a closing quote or bracket may follow) before white space, or
# at a paragraph break. Titles and initials are not ends: "Dr. Ines Halvorsen".
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’'»)\]]*\s+|\n\s*")
_NOT_AN_END = {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "sen", "rep", "gov", "lt", "col", "capt",
               "sgt", "no", "vs", "jr", "sr", "inc", "co", "corp", "u.s", "u.k", "e.g", "i.e"}

PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "his", "hers", "their",
            "you", "who", "which", "that", "this", "one"}
_DETERMINERS = {"the", "a", "an", "its", "their", "his", "her", "our", "mr", "mrs", "ms", "dr"}


def _sentence_starts(text: str, lo: int, hi: int) -> list[int]:
    """Where sentences begin within text[lo:hi] (absolute offsets, lo included)."""
    starts = [lo]
    for match in _SENTENCE_END.finditer(text, lo, hi):
        before = text[max(lo, match.start() - 6):match.start()].rstrip(".!?\"”’'»)]")
        word = re.split(r"\s", before)[-1].lower() if before else ""
        if match.group().startswith("\n") or not (word in _NOT_AN_END or re.fullmatch(r"[a-z]", word)):
            starts.append(match.end())
    return starts


def _cut_words(text: str, limit: int, *, keep_end: bool) -> str:
    """At most `limit` characters of `text`, cut at a word, an ellipsis where it was cut."""
    if len(text) <= limit:
        return text
    if keep_end:
        cut = text[-limit:]
        return "…" + cut[cut.find(" ") + 1:] if " " in cut else "…" + cut
    cut = text[:limit]
    return cut[:cut.rfind(" ")] + "…" if " " in cut else cut + "…"


def locate(statement: Statement, text: str) -> tuple[int, int] | None:
    """The statement's span in the article as stored now: its offsets when they still hold the
    words (an article re-fetched with changed text keeps older offsets), else the words found
    again, else None."""
    start, end = statement.start, statement.end
    if end <= len(text) and normalize_text(text[start:end]) == normalize_text(statement.text):
        return start, end
    found = text.find(statement.text)
    return (found, found + len(statement.text)) if found >= 0 else None


@dataclass
class QuoteContext:
    """The quote's sentence with one sentence either side; pieces marked where the quote is."""

    paragraphs: list[list[Piece]]
    cut_before: bool = False
    cut_after: bool = False

    @property
    def plain(self) -> str:
        return "\n\n".join("".join(piece.text for piece in p) for p in self.paragraphs)


def quote_context(statement: Statement, text: str, *, around: int = 1) -> QuoteContext | None:
    """The sentences before and after the quote, from the article's stored text, with each part
    of the quote (a quote split by "she said" has two) marked. None when the words are no longer
    in the article."""
    span = locate(statement, text)
    if span is None:
        return None
    start, end = span
    lo_window, hi_window = max(0, start - _WINDOW), min(len(text), end + _WINDOW)
    starts = _sentence_starts(text, lo_window, hi_window)
    first = max(i for i, s in enumerate(starts) if s <= start)
    last = max(i for i, s in enumerate(starts) if s < end)  # the sentence holding the quote's end
    lo = starts[max(0, first - around)]
    after_last = last + 1 + around
    hi = starts[after_last] if after_last < len(starts) else hi_window
    before, after = text[lo:start], text[end:hi].rstrip()
    cut_before, cut_after = len(before) > _MAX_SIDE, len(after) > _MAX_SIDE
    before = _cut_words(before, _MAX_SIDE, keep_end=True)
    after = _cut_words(after, _MAX_SIDE, keep_end=False)
    excerpt = before + text[start:end] + after
    shift = start - len(before)  # article offset of excerpt[0], for the quote's parts
    parts = statement.parts if span == (statement.start, statement.end) else []
    parts = [(a, b) for a, b in parts if start <= a < b <= end] or [(start, end)]
    spans = [(statement.pk or 0, a - shift, b - shift) for a, b in parts]
    return QuoteContext(paragraphs_with_marks(excerpt, spans), cut_before=cut_before, cut_after=cut_after)


def role_in_article(statement: Statement) -> str:
    """How the article describes the speaker here, when it gives a role ("the Valdorian
    president", "union secretary"): the stored mention less the speaker's own name; nothing for
    a pronoun or a bare name. Extraction keeps no separate role field, only this mention."""
    mention = " ".join(statement.mention.split())
    if not mention or statement.speaker is None:
        return ""
    name_words = {w.lower().strip(".,") for w in re.split(r"[\s-]+", statement.speaker.name)}
    words = [w for w in mention.split() if w.lower().strip(".,'’s") not in name_words]
    while words and words[-1].lower().strip(".,") in _DETERMINERS:
        words.pop()
    meaningful = [w for w in words if w.lower().strip(".,") not in _DETERMINERS]
    if not meaningful or (len(words) == 1 and words[0].lower() in PRONOUNS):
        return ""
    return " ".join(words).strip(" ,")


def chain_in_words(statement: Statement) -> str:
    """The way the words reached the article, in plain words: "a translation published by
    Ostravan state media, then an AP report". Hops are stored nearest the speaker first."""
    hops = [(hop.get("text") or hop.get("name") or "").strip() for hop in statement.via or []
            if isinstance(hop, dict)]
    return ", then ".join(h for h in hops if h)


@dataclass
class Printing:
    """One quote as printed: the appearance the page shows in full (the one the desk checked),
    and every other article that printed the same words. `group` is every appearance, as
    appearance_timeline would read it: the page's timeline is drawn from it, not read again."""

    primary: Statement
    earliest: Statement
    other_outlets: list[str] = field(default_factory=list)
    other_articles: int = 0
    group: list[Statement] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.other_outlets)

    @property
    def primary_is_earliest(self) -> bool:
        return self.earliest.pk == self.primary.pk


def _printed_order(statement: Statement):
    published = statement.article.published_at
    return (published is None, published, statement.pk)


def appearances(factcheck: FactCheck) -> tuple[list[Statement], list[Statement]]:
    """The statements the fact-check covers, first printed first (as appearances_in_order), and
    every other appearance of the same words (the rest of their appearance groups), as
    `Statement.objects.listed()` reads them: one plain query for the ids, one for the rows,
    where the prefetch of the covered statements and a second read of their groups each cost
    an ORM query of that size."""
    st_table, covers = Statement._meta.db_table, FactCheck.statements.through._meta.db_table
    sql = f"""
        WITH covered AS (SELECT statement_id AS id FROM {covers} WHERE factcheck_id = %s),
        groups AS (SELECT COALESCE(s.duplicate_of_id, s.id) AS id FROM {st_table} s
                   JOIN covered c ON c.id = s.id)
        SELECT id, TRUE FROM covered
        UNION SELECT s.id, s.id IN (SELECT id FROM covered) FROM {st_table} s
            WHERE s.id IN (SELECT id FROM groups)
        UNION SELECT s.id, s.id IN (SELECT id FROM covered) FROM {st_table} s
            WHERE s.duplicate_of_id IN (SELECT id FROM groups)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [factcheck.pk])
        ids = dict(cursor.fetchall())
    # Unordered: the caller sorts, and the default ordering cost more to compile than the
    # query took to run.
    rows = Statement.objects.listed().filter(pk__in=list(ids)).order_by() if ids else []
    covered, others = [], []
    for s in rows:
        (covered if ids[s.pk] else others).append(s)
    return sorted(covered, key=_printed_order), others


def printings(statements: list[Statement], others: list[Statement] | None = None) -> list[Printing]:
    """The quotes a fact-check covers, one per appearance group (matching groups the same words
    printed in several articles under their first appearance), each with who else printed it
    and the earliest appearance of all: one query, none when `others` (the groups' other
    members, from appearances()) is given."""
    if not statements:
        return []
    groups = list(dict.fromkeys(s.duplicate_of_id or s.pk for s in statements))
    covered = {s.pk: s for s in statements}
    if others is None:
        # Unordered: the groups are sorted here, and the default ordering cost more to compile
        # than the query took to run.
        others = Statement.objects.listed().filter(
            Q(pk__in=groups) | Q(duplicate_of_id__in=groups)).exclude(pk__in=list(covered)).order_by()
    members = {s.pk: s for s in others}
    members.update(covered)
    by_group: dict[int, list[Statement]] = {g: [] for g in groups}
    for s in members.values():
        by_group.setdefault(s.duplicate_of_id or s.pk, []).append(s)
    result = []
    for g in groups:
        group = sorted(by_group[g], key=_printed_order)
        # The first appearance is the one the desk's queue showed and was checked; a reprint
        # only if the fact-check does not cover it.
        primary = covered.get(g) or next(s for s in group if s.pk in covered)
        outlets: dict[int, str] = {}
        for s in group:
            outlet = s.article.outlet
            if s is not primary and outlet is not None and outlet.pk != primary.article.outlet_id:
                outlets.setdefault(outlet.pk, outlet.name)
        result.append(Printing(primary=primary, earliest=group[0], other_outlets=list(outlets.values()),
                               other_articles=len(group) - 1, group=group))
    return result


@dataclass
class Related:
    factcheck: FactCheck
    reason: str


WORDS, SPEAKER, TOPIC = 0, 1, 2


def _in(values) -> tuple[str, list]:
    """An SQL IN list of placeholders for `values` (never empty: NULL matches nothing)."""
    values = list(values) or [None]
    return ", ".join(["%s"] * len(values)), values


def _related_ids(factcheck: FactCheck, statements: list[Statement], limit: int) -> list[tuple[int, int]]:
    """(fact-check id, reason) of the related published fact-checks, up to `limit` per reason,
    best reason first, newest first. Plain SQL: the ORM spelling (EXISTS per reason, or CASE
    over them with a window) cost 10-20 ms a page to compile and plan, this well under one."""
    fc_table, st_table = FactCheck._meta.db_table, Statement._meta.db_table
    covers = FactCheck.statements.through._meta.db_table
    fc_tags, st_tags = FactCheck.tags.through._meta.db_table, Statement.tags.through._meta.db_table
    matches = StatementMatch._meta.db_table
    groups, groups_params = _in({s.duplicate_of_id or s.pk for s in statements})
    ids, ids_params = _in(s.pk for s in statements)
    speakers, speakers_params = _in({s.speaker_id for s in statements if s.speaker_id})
    topics = (f"SELECT tag_id FROM {fc_tags} WHERE factcheck_id = %s "
              f"UNION SELECT tag_id FROM {st_tags} WHERE statement_id IN ({ids})")
    sql = f"""
        SELECT fc, reason FROM (
            SELECT d.fc, d.reason, ROW_NUMBER() OVER (
                PARTITION BY d.reason ORDER BY d.published_at DESC, d.fc DESC) AS n
            FROM (
                SELECT r.fc, MIN(r.reason) AS reason, f.published_at
                FROM (
                    SELECT c.factcheck_id AS fc, {WORDS} AS reason FROM {covers} c
                        JOIN {st_table} s ON s.id = c.statement_id
                        WHERE s.id IN ({groups}) OR s.duplicate_of_id IN ({groups})
                    UNION ALL SELECT m.factcheck_id, {WORDS} FROM {matches} m WHERE m.statement_id IN ({ids})
                    UNION ALL SELECT c.factcheck_id, {SPEAKER} FROM {covers} c
                        JOIN {st_table} s ON s.id = c.statement_id WHERE s.speaker_id IN ({speakers})
                    UNION ALL SELECT t.factcheck_id, {TOPIC} FROM {fc_tags} t WHERE t.tag_id IN ({topics})
                    UNION ALL SELECT c.factcheck_id, {TOPIC} FROM {covers} c
                        JOIN {st_tags} t ON t.statement_id = c.statement_id WHERE t.tag_id IN ({topics})
                ) r JOIN {fc_table} f ON f.id = r.fc
                WHERE f.status = %s AND f.id <> %s
                GROUP BY r.fc, f.published_at
            ) d
        ) w WHERE n <= %s ORDER BY reason, n"""
    params = [*groups_params, *groups_params, *ids_params, *speakers_params,
              factcheck.pk, *ids_params, factcheck.pk, *ids_params,
              FactCheck.Status.PUBLISHED, factcheck.pk, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(fc, reason) for fc, reason in cursor.fetchall()]


def related_factchecks(factcheck: FactCheck, statements: list[Statement], *, limit: int = 3) -> list[Related]:
    """Other published fact-checks a reader of this one may want: of the same words (another
    article's copy of them, or a match found when this quote was extracted), of the same
    speaker, and on the same topic; up to `limit` of each, newest first, each listed once
    under the first reason that applies. Two queries whatever the numbers."""
    chosen = _related_ids(factcheck, statements, limit)
    if not chosen:
        return []
    rows = FactCheck.objects.for_public_list().in_bulk([fc for fc, _ in chosen])
    name = " and ".join(sorted({s.speaker.name for s in statements if s.speaker_id}))
    related = []
    for pk, reason in chosen:
        fc = rows.get(pk)
        if fc is None:  # withdrawn between the two queries
            continue
        if reason == WORDS:
            earlier = fc.published_at and factcheck.published_at and fc.published_at < factcheck.published_at
            label = "The same words, checked before" if earlier else "The same words"
        else:
            label = f"Also said by {name}" if reason == SPEAKER else "Same topic"
        related.append(Related(fc, label))
    return related


def article_texts(statements: list[Statement]) -> dict[int, str]:
    """The stored text of each statement's article, in one query (lists defer it)."""
    return dict(Article.objects.filter(pk__in={s.article_id for s in statements}).order_by()
                .values_list("pk", "text"))


@dataclass(frozen=True)
class Present:
    """Which of the page's optional blocks have anything to show."""

    evidence: bool
    corrections: bool
    primary_sources: bool


def present(factcheck: FactCheck, statements: list[Statement]) -> Present:
    """Whether the fact-check has evidence, corrections, and primary sources for its quotes, in
    one plain query: most pages lack some of them, and an ORM query for an empty list took
    about a millisecond to build, many times what the database took to answer it."""
    ids, ids_params = _in(s.pk for s in statements)
    sql = (f"SELECT EXISTS (SELECT 1 FROM {Evidence._meta.db_table} WHERE factcheck_id = %s), "
           f"EXISTS (SELECT 1 FROM {Correction._meta.db_table} WHERE factcheck_id = %s), "
           f"EXISTS (SELECT 1 FROM {PrimarySource._meta.db_table} WHERE statement_id IN ({ids}))")
    with connection.cursor() as cursor:
        cursor.execute(sql, [factcheck.pk, factcheck.pk, *ids_params])
        return Present(*cursor.fetchone())


def _in_model_order(objects: list, ordering) -> list:
    """`objects` sorted as the database sorts their model by `ordering` (field names, "-" for
    descending), in Python: stable sorts from the last key to the first."""
    objects = list(objects)
    for name in reversed(ordering):
        attr = name.lstrip("-")
        objects.sort(key=lambda o, attr=attr: getattr(o, attr), reverse=name.startswith("-"))
    return objects


def published_alignments(factcheck: FactCheck, statements: list[Statement]):
    """What the page shows of its quotes' primary sources: those an editor decided before the
    version readers see, each with its alignment. A decision taken later waits for the next
    correction, so a public page never changes without one. Their quotes are the statements
    the page has read already, so no join, no DISTINCT and no statement read again; the
    source's own text, which can be a few hours of transcript, is read only if the alignment
    has to be computed again."""
    covered = {s.pk: s for s in statements}
    shown = list(PrimarySource.objects.filter(
        statement_id__in=list(covered), decided_at__isnull=False, decided_at__lte=factcheck.updated_at)
        .exclude(decision="").defer("text").order_by())
    for primary in shown:
        primary.statement = covered[primary.statement_id]
    # PrimarySource's own order: its statement (in Statement's order), then when accessed.
    rank = {s.pk: i for i, s in enumerate(_in_model_order(statements, Statement._meta.ordering))}
    shown.sort(key=lambda p: (rank[p.statement_id], p.accessed_at, p.pk))
    return [(primary, alignment_of(primary)) for primary in shown]
