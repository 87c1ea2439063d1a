"""A quote's appearances across articles (#32): when each outlet printed it, in what words
(diffed against the earliest), whom each outlet credits (the extracted via-chain), and a graph
of who relayed whom, laid out for a server-rendered SVG.

It reads the grouping matching already keeps: every appearance of the same words points at
the first one through `duplicate_of`. One query per timeline, or none when the caller has
read the group already (the public page reads every group of a fact-check in one query).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from factcheck.models import Statement
from factcheck.textdiff import word_diff

# Layout of the relay graph, in SVG user units.
BOX_W, BOX_H, COL_GAP, ROW_GAP, LABEL_CHARS = 170, 34, 60, 14, 24


@dataclass
class Appearance:
    statement: Statement
    outlet: str
    when: datetime | None  # the article's publication time; else when we first stored it
    dated: bool  # False: the article gave no date, and `when` is when we stored it
    credits: list[str]  # whom the outlet credits, nearest the speaker first
    diff: list[tuple[str, str]] = field(default_factory=list)  # against the earliest wording
    earliest: bool = False

    @property
    def same_words(self) -> bool:
        return all(op == "equal" for op, _ in self.diff)


@dataclass
class Node:
    key: str
    label: str
    kind: str  # "speaker", "relay" (a hop the article credits) or "outlet"
    x: int = 0
    y: int = 0

    @property
    def short(self) -> str:
        return self.label if len(self.label) <= LABEL_CHARS else self.label[:LABEL_CHARS - 1] + "…"


@dataclass
class Edge:
    source: Node
    target: Node

    @property
    def path(self) -> str:
        """From the middle of the source box's right side to the target box's left side."""
        x1, y1 = self.source.x + BOX_W, self.source.y + BOX_H // 2
        x2, y2 = self.target.x, self.target.y + BOX_H // 2
        bend = (x2 - x1) // 2
        return f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2 - 6},{y2}"


@dataclass
class RelayGraph:
    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    box_w: int = BOX_W
    box_h: int = BOX_H


@dataclass
class Timeline:
    appearances: list[Appearance]
    graph: RelayGraph | None

    @property
    def wording_changes(self) -> int:
        return sum(1 for a in self.appearances if not a.same_words)


def appearance_timeline(statement: Statement) -> Timeline:
    """Every appearance of the statement's words, earliest first (undated ones by when we
    stored them, after the dated), each diffed against the earliest wording."""
    first = statement.duplicate_of_id or statement.pk
    return timeline_of(list(Statement.objects.listed().filter(Q(pk=first) | Q(duplicate_of_id=first))))


def _appearance_order(s: Statement):
    published = s.article.published_at
    return (published is None, published or s.article.ingested_at, s.pk)


def timeline_of(group: list[Statement]) -> Timeline:
    """The timeline of an appearance group already read (`Statement.objects.listed()` rows:
    the article and its outlet are read with each)."""
    group = sorted(group, key=_appearance_order)
    appearances = [Appearance(
        statement=s, outlet=s.article.outlet.name if s.article.outlet else s.article.display_title,
        when=s.article.published_at or s.article.ingested_at, dated=s.article.published_at is not None,
        credits=credits_of(s)) for s in group]
    if appearances:
        earliest = appearances[0]
        earliest.earliest = True
        for a in appearances:
            a.diff = word_diff(earliest.statement.text, a.statement.text)
    speaker = next((s.speaker.name for s in group if s.speaker), "")
    chains = [(a.outlet, a.credits) for a in appearances]
    graph = relay_graph(speaker, chains) if len(appearances) > 1 else None
    return Timeline(appearances=appearances, graph=graph)


def credits_of(statement: Statement) -> list[str]:
    return [name for hop in statement.via or [] if isinstance(hop, dict)
            if (name := (hop.get("name") or hop.get("text") or "").strip())]


def relay_graph(speaker: str, chains: list[tuple[str, list[str]]]) -> RelayGraph:
    """Who relayed whom: speaker -> each credited hop -> the outlet, for every appearance. A hop
    that names an outlet of the group is that outlet's node, so outlet-to-outlet relays show.
    Columns by the longest chain from the speaker; at most one edge per pair."""
    nodes: dict[str, Node] = {}

    def node(label: str, kind: str) -> Node:
        key = " ".join(label.casefold().split())
        if key not in nodes:
            nodes[key] = Node(key=key, label=label, kind=kind)
        elif kind == "outlet":
            nodes[key].kind = "outlet"
        return nodes[key]

    root = node(speaker or "The speaker", "speaker")
    pairs: dict[tuple[str, str], Edge] = {}
    for outlet, hops in chains:
        chain = [root, *(node(h, "relay") for h in hops), node(outlet, "outlet")]
        for a, b in itertools.pairwise(chain):
            if a is not b:
                pairs.setdefault((a.key, b.key), Edge(a, b))
    depth = {root.key: 0}
    for _ in range(len(nodes)):  # longest path by relaxation; a cycle stops at len(nodes) rounds
        changed = False
        for edge in pairs.values():
            d = depth.get(edge.source.key)
            if d is not None and depth.get(edge.target.key, -1) < d + 1 <= len(nodes):
                depth[edge.target.key] = d + 1
                changed = True
        if not changed:
            break
    columns: dict[int, list[Node]] = {}
    for n in nodes.values():
        columns.setdefault(depth.get(n.key, 1), []).append(n)
    for col, members in columns.items():
        for row, n in enumerate(members):
            n.x, n.y = col * (BOX_W + COL_GAP), row * (BOX_H + ROW_GAP)
    width = (max(columns) + 1) * (BOX_W + COL_GAP) - COL_GAP
    height = max(len(m) for m in columns.values()) * (BOX_H + ROW_GAP) - ROW_GAP
    return RelayGraph(nodes=list(nodes.values()), edges=list(pairs.values()), width=width, height=height)
