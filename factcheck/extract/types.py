"""Result dataclasses of the extraction engine.

Every offset is a character offset into the text exactly as it was given to
``extract`` (no normalisation of line ends or spaces), so ``text[start:end]``
is always the span the dataclass describes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DIRECT = "direct"
PARTIAL = "partial"
INDIRECT = "indirect"


@dataclass(frozen=True)
class Speaker:
    """Who said it: the canonical entity (``name``, None when unresolved) and
    the mention as written at this point of the article."""

    name: str | None
    mention: str
    start: int
    end: int
    entity_type: str | None = None  # "PERSON" or "ORG" when known

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "mention": self.mention,
            "start": self.start,
            "end": self.end,
            "type": self.entity_type,
        }


@dataclass(frozen=True)
class Cue:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Venue:
    """Where it was said ("told the show 'Morning Live'" -> Morning Live)."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Via:
    """One intermediary the words passed through on their way to the article."""

    name: str
    text: str
    start: int
    end: int

    def to_dict(self) -> dict:
        return {"name": self.name, "text": self.text, "start": self.start, "end": self.end}


@dataclass
class Quote:
    kind: str  # DIRECT, PARTIAL or INDIRECT
    text: str
    start: int
    end: int
    parts: list[tuple[int, int]]
    score: float = 0.0
    speaker: Speaker | None = None
    cue: Cue | None = None
    venue: Venue | None = None
    via: list[Via] = field(default_factory=list)
    # Reported speech whose content is a bare noun phrase ("endorsed Berg", "criticism of
    # the plan"): an attribution of a stance, but no proposition a desk could check.
    topic: bool = False
    # Characters of the reporter's complementiser opening reported speech ("that " in
    # "said that fares will rise"), or a relative pronoun that stands for what was said
    # ("what " in 'what she called "the harbour tax"', "which " in 'which he said was
    # late'): corpora count it in the item, the claim starts after it.
    complementiser: int = 0

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "parts": [[s, e] for s, e in self.parts],
            "score": round(self.score, 4),
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "venue": self.venue.to_dict() if self.venue else None,
            "via": [v.to_dict() for v in self.via],
            "topic": self.topic,
            "complementiser": self.complementiser,
        }


@dataclass(frozen=True)
class Claim:
    text: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end,
                "score": round(self.score, 4)}


@dataclass
class Extraction:
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "quotes": [q.to_dict() for q in self.quotes],
            "claims": [c.to_dict() for c in self.claims],
        }
