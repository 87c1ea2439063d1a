"""Ranked full-text search with highlighted snippets.

PostgreSQL: the English text-search configuration over GIN expression indexes (created in
migration 0007), ranked by ts_rank, snippets by ts_headline. SQLite: every word must appear
(case-insensitive), ranked by how often the words occur; snippets cut around the first hit.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

from factcheck.models import Article, FactCheck, Speaker, Statement

MARK_START, MARK_END = "\u0002", "\u0003"  # placeholders, escaped text then marked up


@dataclass
class Hit:
    obj: object
    snippet: str
    rank: float


def _words(q: str) -> list[str]:
    return re.findall(r"[^\W_]+", q)[:12]


def _snippet_html(raw: str) -> str:
    return mark_safe(escape(raw).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _python_snippet(text: str, words: list[str], width: int = 220) -> str:
    lowered = text.lower()
    first = min((i for i in (lowered.find(w.lower()) for w in words) if i >= 0), default=0)
    start = max(0, first - width // 3)
    chunk = text[start:start + width]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{MARK_START}{m.group(0)}{MARK_END}", chunk)
    return ("…" if start else "") + marked + ("…" if start + width < len(text) else "")


# Ranking reads every match's vector; on a million rows a common word matches a hundred
# thousand. Rank the most recent matches only: that bounds the cost, and recent is what a desk
# looks for.
RANK_AMONG = 1000


def _search(queryset, fields: tuple[str, ...], q: str, *, limit: int,
            rank_among: int = RANK_AMONG, stored_vector: str | None = None) -> list[Hit]:
    """`stored_vector` names a column holding the fields' vector (see StoredSearchVector);
    without one the vector is computed from the fields, as their expression index is."""
    words = _words(q)
    if not words:
        return []
    if connection.vendor == "postgresql":
        # Exactly what the GIN indexes of migrations 0009 and 0015 are built on.
        vector = F(stored_vector) if stored_vector else SearchVector(*fields, config="english")
        query = SearchQuery(" ".join(words), config="english", search_type="plain")
        recent = list(queryset.annotate(search=vector).filter(search=query)
                      .order_by("-pk").values_list("pk", flat=True)[:rank_among])
        ranked = dict(queryset.filter(pk__in=recent).annotate(rank=SearchRank(vector, query))
                      .order_by("-rank", "-pk").values_list("pk", "rank")[:limit])
        # Snippets only for the page shown: a headline reads the whole text.
        document = _concat(*fields) if len(fields) > 1 else F(fields[0])
        rows = queryset.filter(pk__in=ranked).annotate(snippet=SearchHeadline(
            document, query, config="english", start_sel=MARK_START, stop_sel=MARK_END,
            max_words=35, min_words=15))
        hits = [Hit(row, _snippet_html(row.snippet), ranked[row.pk]) for row in rows]
        return sorted(hits, key=lambda h: (-h.rank, -h.obj.pk))
    condition = Q()
    for word in words:
        condition &= Q(search_document__icontains=word)
    document = _concat(*fields) if len(fields) > 1 else F(fields[0])
    rows = list(queryset.annotate(search_document=document).filter(condition)[: limit * 5])
    hits = []
    for row in rows:
        text = row.search_document or ""
        rank = sum(text.lower().count(w.lower()) for w in words)
        hits.append(Hit(row, _snippet_html(_python_snippet(text, words)), float(rank)))
    hits.sort(key=lambda h: (-h.rank, -h.obj.pk))
    return hits[:limit]


def _concat(*fields):
    parts = []
    for field in fields:
        parts += [F(field), Value(" ")]
    return Concat(*parts[:-1], output_field=TextField())


def search_factchecks(q: str, *, published_only: bool, limit: int = 20) -> list[Hit]:
    qs = FactCheck.objects.select_related("rating", "attribution_verdict")
    if published_only:
        qs = qs.published()
    return _search(qs, ("claim_reviewed", "headline", "explanation"), q, limit=limit)


def search_desk(q: str, *, limit: int = 20) -> dict[str, list[Hit]]:
    """Everything an editor may look for: statements, fact-checks, speakers and articles."""
    statements = Statement.objects.filter(duplicate_of__isnull=True).listed()
    speakers = [Hit(s, escape(s.description), 1.0) for s in
                Speaker.objects.filter(Q(name__icontains=q) | Q(aliases__alias__icontains=q))
                .distinct()[:limit]] if q.strip() else []
    return {
        "statements": _search(statements, ("text",), q, limit=limit, stored_vector="search_vector"),
        "factchecks": search_factchecks(q, published_only=False, limit=limit),
        "speakers": speakers,
        # Articles are long: rank fewer of them, from their stored vectors.
        "articles": _search(Article.objects.select_related("outlet").defer("html", "search_vector"),
                            ("title", "text"), q, limit=limit, rank_among=200,
                            stored_vector="search_vector"),
    }
