"""Cut an article's text into pieces so overlapping statement spans can be marked up."""

from dataclasses import dataclass, field


@dataclass
class Piece:
    text: str
    statement_ids: list[int] = field(default_factory=list)
    # Where it starts in the text it was cut from: the page carries it (data-at), so a
    # selection in the browser turns into offsets without anyone typing them.
    start: int = 0


def paragraphs_with_marks(text: str, spans: list[tuple[int, int, int]]) -> list[list[Piece]]:
    """Paragraphs of `text`, each a list of pieces; a piece lists the statements covering it.

    `spans` are (statement_id, start, end). Spans may nest or overlap (a ministry's reported
    speech inside a wire agency's quote), so the text is cut at every boundary rather than
    wrapped in nested tags.
    """
    cuts = {0, len(text)}
    for _sid, start, end in spans:
        cuts.update((max(0, min(start, len(text))), max(0, min(end, len(text)))))
    # Paragraph breaks are cuts too, so no piece straddles two paragraphs.
    pos = text.find("\n")
    while pos != -1:
        cuts.update((pos, pos + 1))
        pos = text.find("\n", pos + 1)
    bounds = sorted(cuts)

    paragraphs: list[list[Piece]] = [[]]
    for a, b in zip(bounds, bounds[1:], strict=False):
        chunk = text[a:b]
        if chunk == "\n":
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        ids = [sid for sid, start, end in spans if start <= a and b <= end]
        paragraphs[-1].append(Piece(chunk, ids, a))
    return [p for p in paragraphs if any(piece.text.strip() for piece in p)]


def context_paragraphs(text: str, start: int, end: int, around: int = 1) -> tuple[int, int]:
    """Character bounds of the paragraphs holding [start, end) plus `around` on each side."""
    lo = start
    for _ in range(around + 1):
        lo = text.rfind("\n", 0, max(lo - 1, 0)) + 1 if lo > 0 else 0
    hi = end
    for _ in range(around + 1):
        nxt = text.find("\n", hi + 1)
        hi = len(text) if nxt == -1 else nxt
    return lo, hi
