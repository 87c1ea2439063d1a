"""Find quoted stretches of text from the quote marks alone, before any parsing.

Quote marks in real articles are messy: straight and curly marks are mixed,
curly marks are sometimes typed the wrong way round, apostrophes look exactly
like closing single quotes (``Paris' mayor``, ``Russia's``, ``1990's``), a
quotation running over several paragraphs repeats the opening mark at each
paragraph and closes only at the end, and some closing marks are simply
missing.  The scanner decides the direction of each mark from its neighbours
and never lets an unclosed quotation run past its paragraph, so a stray mark
cannot swallow the rest of the article.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

# (with the corner brackets of Chinese and Japanese, 「…」 and 『…』)
_DOUBLE_OPENERS = "\u201c\u201e\u201f\u00ab\u301d\u300c\u300e"
_DOUBLE_CLOSERS = "\u201d\u00bb\u301e\u301f\u300d\u300f"
_DOUBLE_EITHER = '"\uff02'
_SINGLE_OPENERS = "\u2018\u201a\u201b\u2039"
_SINGLE_CLOSERS = "\u2019\u203a"
_SINGLE_EITHER = "'"
# Two apostrophes / two backticks are how some wires and the NYT archive type
# double quotes; match them before the single characters.
_MARK = re.compile(
    "''|``|[" + re.escape(_DOUBLE_OPENERS + _DOUBLE_CLOSERS + _DOUBLE_EITHER
                          + _SINGLE_OPENERS + _SINGLE_CLOSERS + _SINGLE_EITHER) + "]"
)
# Every mark of a double quotation, for code outside the scanner ("''" as well).
DOUBLE_MARKS = ("''",) + tuple(_DOUBLE_OPENERS + _DOUBLE_CLOSERS + _DOUBLE_EITHER)
_ALL_MARKS = set(_DOUBLE_OPENERS + _DOUBLE_CLOSERS + _DOUBLE_EITHER
                 + _SINGLE_OPENERS + _SINGLE_CLOSERS + _SINGLE_EITHER + "`")
_BEFORE_OPENING = set("([{<\u2014\u2013-/:;") | _ALL_MARKS
_AFTER_CLOSING = set(".,;:!?)]}>\u2014\u2013-/\u2026*") | _ALL_MARKS
_LINE_BREAKS = "\n\r\u2028\u2029\x0b\x0c\x85"
_LINE_BREAK = re.compile("[" + _LINE_BREAKS + "]")
# 'em, 'til, '90s, 'n' -- elisions that start with an apostrophe.
_ELISION = re.compile(r"(?:em|til|tis|twas|cause|n|round|bout|[0-9]{2}s?)\b", re.IGNORECASE)

OPEN, CLOSE, EITHER = 1, 2, 3
# An opener inside an open quotation starts a nested one typed with the same marks
# when this many closers (the inner one's and the outer one's) follow it.
_NESTED_CLOSERS = 2


@dataclass
class QuotedSpan:
    """One quotation: ``start``/``end`` bound the words inside the marks."""

    start: int
    end: int
    open_at: int
    close_end: int  # end of the closing mark (== end when unclosed)
    double: bool
    closed: bool = True
    # Content of each paragraph of a multi-paragraph quotation (one part otherwise).
    parts: list[tuple[int, int]] = field(default_factory=list)
    inner: list[QuotedSpan] = field(default_factory=list)

    def text_words(self, text: str) -> list[str]:
        return " ".join(text[s:e] for s, e in self.parts).split()


@dataclass
class _Mark:
    start: int
    end: int
    double: bool
    direction: int  # OPEN, CLOSE or 0 (undecidable: ignored)


def _classify(text: str, match: re.Match) -> _Mark | None:
    s, e = match.span()
    ch = match.group()
    prev = text[s - 1] if s > 0 else None
    nxt = text[e] if e < len(text) else None
    can_open = (prev is None or prev.isspace() or prev in _BEFORE_OPENING) and (
        nxt is not None and not nxt.isspace())
    can_close = (prev is not None and not prev.isspace()) and (
        nxt is None or nxt.isspace() or nxt in _AFTER_CLOSING)
    if ch in ("''", "``"):
        double = True
        default = OPEN if ch == "``" else 0
    else:
        double = ch in _DOUBLE_OPENERS or ch in _DOUBLE_CLOSERS or ch in _DOUBLE_EITHER
        if ch in _DOUBLE_OPENERS or ch in _SINGLE_OPENERS:
            default = OPEN
        elif ch in _DOUBLE_CLOSERS or ch in _SINGLE_CLOSERS:
            default = CLOSE
        else:
            default = 0
    if not double:
        # Apostrophes inside words (don't, Russia's, 1990's) and elisions ('90s).
        if prev is not None and nxt is not None and prev.isalnum() and nxt.isalnum():
            return None
        if can_open and not can_close and _ELISION.match(text, e):
            return None
    if default == OPEN:
        direction = CLOSE if (can_close and not can_open) else OPEN
    elif default == CLOSE:
        direction = OPEN if (can_open and not can_close) else CLOSE
    elif can_open and not can_close:
        direction = OPEN
    elif can_close and not can_open:
        direction = CLOSE
    elif double and ch != "``" and prev is not None and prev.isspace() and (
            nxt is None or nxt.isspace()):
        # ' "' after a nested closing mark: closes an open quotation, else noise.
        direction = EITHER
    else:
        direction = 0
    if direction == 0:
        return None
    return _Mark(s, e, double, direction)


def _line_start_after(text: str, pos: int) -> int:
    """First non-blank position of the line that follows the break at ``pos``."""
    i = pos
    n = len(text)
    while i < n and (text[i] in _LINE_BREAKS or text[i].isspace()):
        i += 1
    return i


def _is_line_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] not in _LINE_BREAKS and text[i].isspace():
        i -= 1
    return i < 0 or text[i] in _LINE_BREAKS


class _Breaks:
    """The text's line breaks, found once: every question about a break between two
    positions is a bisection, so no pass rescans the text it has already seen (a long
    quotation with many marks and no break would otherwise cost the square of its length)."""

    def __init__(self, text: str):
        self.at = [m.start() for m in _LINE_BREAK.finditer(text)]

    def first(self, start: int, end: int | None = None) -> int | None:
        """The first line break in [start, end), or None."""
        i = bisect.bisect_left(self.at, start)
        if i < len(self.at) and (end is None or self.at[i] < end):
            return self.at[i]
        return None


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def _pair_double(text: str, marks: list[_Mark], breaks: _Breaks) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    current: QuotedSpan | None = None
    seg_start = 0

    def finish(end: int, close_end: int, closed: bool) -> None:
        nonlocal current
        assert current is not None
        s, e = _trim(text, seg_start, end)
        if e > s:
            current.parts.append((s, e))
        if current.parts:
            current.start = current.parts[0][0]
            current.end = current.parts[-1][1]
            current.close_end = close_end if closed else current.end
            current.closed = closed
            spans.append(current)
        current = None

    skip: set[int] = set()
    for index, mark in enumerate(marks):
        if index in skip:
            continue
        if current is not None:
            # A line break inside an open quotation either continues it (the next
            # paragraph reopens with a mark) or shows the closing mark is missing.
            consumed = False
            while current is not None:
                brk = breaks.first(seg_start, mark.start)
                if brk is None:
                    break
                nxt = _line_start_after(text, brk)
                if nxt == mark.start and mark.direction == OPEN:
                    s, e = _trim(text, seg_start, brk)
                    if e > s:
                        current.parts.append((s, e))
                    seg_start = mark.end
                    consumed = True
                    break
                finish(brk, brk, closed=False)
            if consumed:
                continue
        if current is None and mark.direction == EITHER:
            continue
        if current is None:
            # A "closing" mark that starts a paragraph was typed the wrong way round.
            if mark.direction == OPEN or _is_line_start(text, mark.start):
                current = QuotedSpan(mark.end, mark.end, mark.start, mark.end, double=True)
                seg_start = mark.end
            continue
        if mark.direction in (CLOSE, EITHER):
            finish(mark.start, mark.end, closed=True)
        elif _nested_same_kind(marks, index, breaks):
            # 'what he calls "hell" than ...' typed with the outer quotation's own
            # marks: the next closer is the inner one's, the outer quotation goes on.
            skip.add(index + 1)
        else:
            # An opener inside an open quotation: the previous closing mark is missing.
            finish(mark.start, mark.start, closed=False)
            current = QuotedSpan(mark.end, mark.end, mark.start, mark.end, double=True)
            seg_start = mark.end
    if current is not None:
        brk = breaks.first(seg_start)
        end = len(text) if brk is None else brk
        finish(end, end, closed=False)
    return spans


def _nested_same_kind(marks: list[_Mark], index: int, breaks: _Breaks) -> bool:
    """The opener at ``index`` (inside an open quotation) starts a nested quotation
    if two closers follow it in the same paragraph before any other opener."""
    following = marks[index + 1:index + 1 + _NESTED_CLOSERS]
    if len(following) < _NESTED_CLOSERS or any(m.direction == OPEN for m in following):
        return False
    return breaks.first(marks[index].end, following[-1].start) is None


def _container(spans: list[QuotedSpan], opens: list[int], pos: int) -> int:
    """Index of the quotation in ``spans`` around ``pos``, or -1.  The double quotations
    follow one another without overlapping, so the one that opens last at or before
    ``pos`` is the only candidate."""
    i = bisect.bisect_right(opens, pos) - 1
    return i if i >= 0 and pos < spans[i].close_end else -1


def _pair_single(text: str, marks: list[_Mark], doubles: list[QuotedSpan],
                 breaks: _Breaks) -> list[QuotedSpan]:
    spans: list[QuotedSpan] = []
    pending: _Mark | None = None
    pending_box = -1
    opens = [d.open_at for d in doubles]
    for mark in marks:
        box = _container(doubles, opens, mark.start)
        if pending is not None and (box != pending_box
                                    or breaks.first(pending.end, mark.start) is not None):
            pending = None
        if mark.direction == OPEN:
            pending, pending_box = mark, box
        elif pending is not None:
            s, e = _trim(text, pending.end, mark.start)
            if e > s:
                spans.append(QuotedSpan(s, e, pending.start, mark.end, double=False,
                                        parts=[(s, e)]))
            pending = None
    return spans


def _nest(spans: list[QuotedSpan]) -> list[QuotedSpan]:
    """Keep the outermost quotations; the ones inside them become ``inner``."""
    spans = sorted(spans, key=lambda q: (q.open_at, -q.close_end))
    top: list[QuotedSpan] = []
    for span in spans:
        if top and span.open_at >= top[-1].open_at and span.close_end <= top[-1].close_end:
            top[-1].inner.append(span)
        elif top and span.open_at < top[-1].close_end:
            # Crossing spans come from a misread mark; the earlier one wins.
            continue
        else:
            top.append(span)
    return top


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Top-level quotations of ``text`` in order, nested ones in ``inner``."""
    marks = [m for m in (_classify(text, x) for x in _MARK.finditer(text)) if m is not None]
    breaks = _Breaks(text)
    doubles = _pair_double(text, [m for m in marks if m.double], breaks)
    singles = _pair_single(text, [m for m in marks if not m.double], doubles, breaks)
    return _nest(doubles + singles)


# A title in quote marks after the kind of work it names ('his memoir, "Hard
# Choices,"', 'the podcast "Here's the Thing."') or before its author ('"The Art of
# the Deal" by ...') is a name, not anyone's words.
_WORK_BEFORE = re.compile(
    r"\b(?:book|memoir|novel|biography|autobiography|essay|column|show|series|podcast|"
    r"film|movie|documentary|song|album|programme|program|episode|play|musical|titled|"
    r"entitled)s?[,:]?\s*$", re.IGNORECASE)
# ... or a name in the possessive, its owner: 'said on CBS's "Face the Nation."'.
_OWNER_BEFORE = re.compile(r"\b[A-Z][\w.&-]*(?:'s|\u2019s|s'|s\u2019)\s*$")
_BY_AUTHOR = re.compile(r"^[,.]?\s*by\s+[A-Z]")
_TITLE_WORD = re.compile(r"[^\W\d_][\w'\u2019.&-]*")
_TITLE_SMALL_WORDS = frozenset({
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on",
    "or", "the", "to", "vs", "with"})
_MAX_TITLE_WORDS = 10


def names_a_work(text: str, q: QuotedSpan) -> bool:
    """Quotation ``q`` is the title of a book, show, film or song, not quoted words."""
    if q.inner or len(q.parts) != 1:
        return False
    words = _TITLE_WORD.findall(text[q.start:q.end])
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or not words[0][:1].isupper():
        return False
    # A headline with its byline ('"Museum to close in May," by Ana Lind') may be
    # written as a sentence; any other title has its words capitalised.
    if _BY_AUTHOR.match(text[q.close_end:q.close_end + 40]):
        return True
    if any(not (w[:1].isupper() or w.lower() in _TITLE_SMALL_WORDS) for w in words):
        return False
    line_start = max(text.rfind("\n", 0, q.open_at) + 1, q.open_at - 60)
    return bool(_WORK_BEFORE.search(text, line_start, q.open_at)
                or _OWNER_BEFORE.search(text, line_start, q.open_at))


def marks_at_cuts(text: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of a quotation cut by its attribution ('"We will not," she said, "pay
    for it."'), each keeping its quote marks where it was cut, so that the parts joined
    read '"We will not," "pay for it."' rather than running the two pieces into one
    sentence ('We will not, pay for it.').  A quotation running on over paragraphs keeps
    the opening mark each paragraph repeats.  The outer marks stay out, as for any quote."""
    if len(parts) < 2:
        return parts
    out = [list(p) for p in parts]
    for left, right in zip(out, out[1:], strict=False):
        end = left[1]
        while end < right[0] and text[end] in _ALL_MARKS:
            end += 1
        start = right[0]
        while start > end and text[start - 1] in _ALL_MARKS:
            start -= 1
        left[1], right[0] = end, start
    return [(a, b) for a, b in out]


def english_marks(text: str, quotes: list[QuotedSpan]) -> str:
    """``text`` with the marks of every quotation found written as English curly
    quotes, one character for one so every offset stays: the parser was trained on
    English marks, and reads German "„…“" (whose closing mark is an English opening
    one), "«…»" or "「…」" as anything but quotation."""
    chars = None
    stack = list(quotes)
    while stack:
        q = stack.pop()
        stack.extend(q.inner)
        opener, closer = ("\u201c", "\u201d") if q.double else ("\u2018", "\u2019")
        for at, mark in ((q.open_at, opener), (q.end, closer if q.closed else None)):
            if mark is None or text[at] in "'\"" or at + 1 < len(text) and text[at:at + 2] in ("''", "``"):
                continue
            if text[at] in _ALL_MARKS and text[at] != mark:
                chars = chars or list(text)
                chars[at] = mark
    return "".join(chars) if chars else text
