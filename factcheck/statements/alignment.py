"""Quote-to-primary-source alignment: find the passage of a transcript, press release or subtitle
file that a quote comes from, diff the two word by word and say how the quote differs.

Pure Python + rapidfuzz + numpy, no Django (like lsh.py). The desk stores and shows the result;
the class it proposes is only a proposal: an editor accepts or overrides it, and the attribution
verdict stays the editor's.

    source = read_source(uploaded_bytes, "interview.srt")
    result = align('"We will not," he said, "pay for it."', source)
    result.classification   # "verbatim"
    result.passage, result.start, result.end, result.time   # "We will not pay for it", ..., 754.2

How it works (figures and the comparison with other libraries: docs/alignment.md):

1. The quote is cut into pieces at the attribution that splits it ('"We will not," he said,
   "pay for it."') and at ellipses; each piece must appear in the source in order.
2. Candidate windows: every word of the source is indexed once per Source (word -> positions,
   numpy arrays). A window of about twice the quote's length scores the idf weights of the
   distinct quote words it contains; a difference array over the window starts computes every
   window's score at once, so a 500,000-character transcript costs a few milliseconds a quote.
3. In each of the best few windows, rapidfuzz's word-level alignment (Indel/Levenshtein opcodes
   over word ids, C++) places each piece exactly; stray matches of common words far from the
   rest are cut off; a run of quote words left unplaced is looked for nearby (clauses in
   another order).
4. The class comes from the word diff: no change but case, punctuation, curly quotes, spacing
   and fillers ("um") is verbatim; only source words left out is trimmed (with the ellipsis or
   without); other changes with enough of the quote's weight found is reworded; else not found.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
from rapidfuzz.distance import Indel, Levenshtein

from factcheck.statements import subtitles

# A few hours of transcript are about 500,000 characters; four times that leaves room for a
# long hearing, and bounds the memory one upload can take (the index holds a few words a byte).
MAX_SOURCE_CHARS = 2_000_000
MAX_SOURCE_BYTES = 8 * MAX_SOURCE_CHARS

CLASSES = ("verbatim", "trimmed", "reworded", "not_found")
# A quote is a sentence or a paragraph; longer text is not looked for (a pasted article in the
# quote field would otherwise cost seconds).
MAX_QUOTE_CHARS = 5_000
# Above this many cells (piece words x stretch words) the tightest-alignment DP (pure Python)
# gives way to rapidfuzz's alignment as it stands.
_MAX_DP_CELLS = 20_000

# Below this share of the quote's weight (idf of its words in the source) found in the best
# passage, the quote is not in the source. Tuned on tests/statements/alignment_cases.py (the
# tuning part; the held-out part was written after): paraphrases keep their key words well
# above it, sentences the source never holds stay well below it.
FOUND_MIN_WEIGHT = 0.5
# How many of the best-scoring windows are aligned word by word.
CANDIDATES = 4

# Spoken fillers a transcript keeps and a quote leaves out by convention: dropping them does not
# make a quote "trimmed".
FILLERS = frozenset({"um", "umm", "uh", "uhm", "er", "erm", "ah", "hmm", "mm", "mhm"})

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_QUOTE_MARKS = "\"“”«»„‟"
_QUOTED = re.compile(rf"[{_QUOTE_MARKS}]([^{_QUOTE_MARKS}]*)[{_QUOTE_MARKS}]")
_ELLIPSIS = re.compile(r"\s*(?:[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*…\s*[\])]|(?:\.\s*){3,}|…)\s*")
_SPEECH_VERBS = (
    "said|says|added|adds|continued|continues|explained|explains|insisted|insists|argued|argues|"
    "warned|warns|stressed|stresses|noted|notes|declared|declares|claimed|claims|replied|replies|"
    "recalled|wrote|writes|told (?:\\w+(?: \\w+)?)|tells \\w+|asked|asks|went on|joked|admitted|admits"
)
_SPEAKER = (r"(?:he|she|they|I|we|it|(?:the|a|an) [\w'’-]+(?: [\w'’-]+)?"
            r"|[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,3})")
# "We will not, he said, pay for it" with no double quote marks: the attribution between commas
# (or at the end). Both readings are aligned and the better one kept: a source may hold "he said" itself.
# Single quote marks (the British style: 'We will not,' he said, 'pay for it.') are apostrophes
# too, so they count only around such an attribution.
_UNMARKED_ATTRIBUTION = re.compile(
    rf"(?:,|\s[-–—])['’]?\s*(?:{_SPEAKER}\s+(?:{_SPEECH_VERBS})|(?:{_SPEECH_VERBS})\s+{_SPEAKER})"
    rf"(?:\s*(?:[,.:]|[-–—]\s)\s*['‘]?|\s*[.!?]?\s*$)"
)


_COMPLEMENTISER = re.compile(r"\s*that\s+", re.I)
_CLAUSE_BREAK = re.compile(r"[,;:.!?()–—]|\s-\s")
# Clauses shorter than this are placed together with the clause before them.
MIN_UNIT_WORDS = 4


class SourceRefused(ValueError):
    """A primary source we cannot read as text: the message says why, in words for an editor."""


@dataclass
class Source:
    """A primary source's text, and where each subtitle cue starts in it (empty for plain text)."""

    text: str
    kind: str = "text"  # "text", "srt" or "vtt"
    # (character offset in text, cue start in seconds), in text order.
    cues: list[tuple[int, float]] = field(default_factory=list)

    def time_at(self, offset: int) -> float | None:
        """The start time of the cue holding `offset`, when the source had timestamps."""
        if not self.cues:
            return None
        i = bisect.bisect_right(self.cues, (offset, math.inf)) - 1
        return self.cues[max(i, 0)][1]

    @cached_property
    def _index(self) -> _Index:
        return _Index(self.text)


class DiffOp(NamedTuple):
    """One step of the word diff from the source passage to the quote: `op` is equal, delete
    (source words the quote leaves out), insert (quote words the source does not have) or
    replace. `source` is the passage's text for it, from its first word up to the next step's
    (so the steps' `source` texts joined give the passage back); `quote` is the quote's text
    from its first word to its last."""

    op: str
    source: str
    quote: str


@dataclass
class Alignment:
    quote: str
    classification: str  # one of CLASSES
    score: float  # 0..1: the share of the quote found, in order, less a little per word left out
    explanation: str  # one line, plain words: "3 words left out, marked with an ellipsis"
    passage: str = ""  # empty when not found
    start: int | None = None  # character offsets of the passage in Source.text
    end: int | None = None
    time: float | None = None  # seconds, the start of the cue the passage starts in
    diff: list[DiffOp] = field(default_factory=list)
    # Text taken out of the quote before aligning it: the attribution that split it ("he said").
    attribution: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.classification != "not_found"

    @property
    def time_label(self) -> str:
        """00:12:34, or "" for a source without timestamps."""
        return "" if self.time is None else subtitles.format_time(self.time)

    def to_dict(self) -> dict:
        """JSON-ready, for storing the result beside the source."""
        data = asdict(self)
        data["diff"] = [list(op) for op in self.diff]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Alignment:
        data = dict(data)
        data["diff"] = [DiffOp(*op) for op in data.get("diff", [])]
        return cls(**data)


# --- reading a source ---------------------------------------------------------------------


def read_source(data: bytes | str, filename: str | None = None) -> Source:
    """A Source from an upload or pasted text: plain text, .srt or .vtt (by the file name's
    extension, else by the text's first lines). Raises SourceRefused, with a message for the
    editor, for binary files, text not in UTF-8, nothing but whitespace, or more than
    MAX_SOURCE_CHARS characters."""
    if isinstance(data, bytes):
        if len(data) > MAX_SOURCE_BYTES:
            raise SourceRefused(
                f"This file is {len(data):,} bytes; a primary source can be at most "
                f"{MAX_SOURCE_CHARS:,} characters."
            )
        text = _decode(data)
    elif isinstance(data, str):
        text = data
    else:
        raise SourceRefused("A primary source must be text or the bytes of a text file.")
    if "\x00" in text or _mostly_control(text):
        raise SourceRefused("This looks like a binary file, not text: paste a transcript or upload "
                            "a .txt, .srt or .vtt file.")
    if len(text) > MAX_SOURCE_CHARS:
        raise SourceRefused(f"This source is {len(text):,} characters; a primary source can be at "
                            f"most {MAX_SOURCE_CHARS:,}.")
    kind = subtitles.sniff(text, filename)
    if kind == "text":
        text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        if not _WORD.search(text):
            raise SourceRefused("This source is empty: it holds no words.")
        return Source(text=text, kind="text")
    try:
        cues = subtitles.parse(text, kind)
    except subtitles.SubtitleError as error:
        raise SourceRefused(str(error)) from None
    parts, offsets, offset = [], [], 0
    for seconds, cue_text in cues:
        offsets.append((offset, seconds))
        parts.append(cue_text)
        offset += len(cue_text) + 1
    source = Source(text="\n".join(parts), kind=kind, cues=offsets)
    if not _WORD.search(source.text):
        raise SourceRefused(f"This .{kind} file's cues hold no words.")
    return source


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise SourceRefused(
                "This file is not UTF-8 text (it may be a binary file or an older encoding): "
                "save it as UTF-8 and upload it again."
            ) from None
    raise SourceRefused("This looks like a binary file, not text: paste a transcript or upload "
                        "a .txt, .srt or .vtt file.")


def _mostly_control(text: str) -> bool:
    sample = text[:4096]
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return control > max(8, len(sample) // 100)


# --- words ----------------------------------------------------------------------------------


def _normalise(word: str) -> str:
    """The form two words are compared in: case, accents and the apostrophe's shape ignored."""
    word = word.replace("’", "'").casefold()
    if not word.isascii():
        word = "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))
    return word


def _stem(word: str) -> str:
    """A crude English stem, for finding a reworded passage ("paying" near "pay"); never for
    deciding that two words are the same."""
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
          "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _words_of(word: str) -> list[str]:
    """A word's normalised form, a number under 1,000 written in digits as its words ("26" is
    "twenty six", "312" "three hundred and twelve"): transcripts spell numbers out, outlets
    print digits, and the two are the same words."""
    if word.isascii() and word.isdigit() and len(word) <= 3 and not (len(word) > 1 and word[0] == "0"):
        n = int(word)
        out = []
        if n >= 100:
            out += [_UNITS[n // 100], "hundred"] + (["and"] if n % 100 else [])
            n %= 100
        if n >= 20:
            out += [_TENS[n // 10]] + ([_UNITS[n % 10]] if n % 10 else [])
        elif n or not out:
            out.append(_UNITS[n])
        return out
    return [_normalise(word)]


class _Index:
    """The source's words: their spans, ids, and for each id its sorted positions."""

    def __init__(self, text: str):
        self.spans: list[tuple[int, int]] = []
        ids: list[int] = []
        vocabulary: dict[str, int] = {}
        normal_of: dict[str, int] = {}
        for match in _WORD.finditer(text):
            word = match.group()
            word_id = normal_of.get(word)
            if word_id is None:
                if word.isascii() and word.isdigit():
                    for part in _words_of(word):
                        self.spans.append(match.span())
                        ids.append(vocabulary.setdefault(part, len(vocabulary)))
                    continue
                word_id = vocabulary.setdefault(_normalise(word), len(vocabulary))
                normal_of[word] = word_id
            self.spans.append(match.span())
            ids.append(word_id)
        self.vocabulary = vocabulary
        self.words = [None] * len(vocabulary)
        for word, word_id in vocabulary.items():
            self.words[word_id] = word
        self.ids = ids
        self.n = len(ids)
        array = np.asarray(ids, dtype=np.int64)
        self.order = np.argsort(array, kind="stable")
        self.bounds = np.searchsorted(array[self.order], np.arange(len(vocabulary) + 1))
        counts = np.diff(self.bounds)
        # idf: a word said once weighs more than "the"; a quote word absent from the source
        # weighs as a word said once-and-a-half times less than that (it is evidence against).
        self.weights = np.log((self.n + 1) / (counts + 0.5))
        self.absent_weight = math.log((self.n + 1) / 0.5)

    @cached_property
    def by_stem(self) -> dict[str, list[int]]:
        stems: dict[str, list[int]] = {}
        for word, word_id in self.vocabulary.items():
            stems.setdefault(_stem(word), []).append(word_id)
        return stems

    def positions(self, word_id: int) -> np.ndarray:
        return self.order[self.bounds[word_id]: self.bounds[word_id + 1]]

    def weight(self, word: str) -> float:
        word_id = self.vocabulary.get(word)
        return self.absent_weight if word_id is None else float(self.weights[word_id])


# --- the quote --------------------------------------------------------------------------------


@dataclass
class _Quote:
    """The quote's words (normalised), their spans in the quote, and where its pieces meet."""

    text: str
    words: list[str]
    spans: list[tuple[int, int]]
    # Index in `words` where a new piece starts, with how the pieces were cut there.
    cuts: dict[int, str]
    attribution: list[str]
    # Indices in `words` after a clause break (comma, semicolon, dash, full stop): the units that
    # are placed one by one, so clauses quoted in another order are each found.
    clauses: set[int] = field(default_factory=set)


def _pieces(quote: str) -> list[tuple[list[tuple[int, int]], list[str]]]:
    """Readings of the quote: (spans of its pieces in the quote, attribution text removed).

    Text in quote marks, when the quote has text outside them, is the quote and the rest the
    attribution. Otherwise the whole quote, and also (when it has one) the quote without an
    unmarked attribution between commas.
    """
    text = quote
    marks = [i for i, ch in enumerate(text) if ch in _QUOTE_MARKS]
    if marks:
        if len(marks) % 2:
            # One mark missing: a quote pasted from the middle of a sentence. Close it at the end
            # when it opens at the start, else open it at the start.
            text = text + '"' if not text[: marks[0]].strip() else '"' + text
        inside = [(m.start(1), m.end(1)) for m in _QUOTED.finditer(text)]
        outside, last = [], 0
        for start, end in inside:
            outside.append(text[last: max(start - 1, 0)])
            last = end + 1
        outside.append(text[last:])
        attribution = [" ".join(_WORD.findall(part)) for part in outside]
        attribution = [a for a in attribution if a]
        shift = len(text) - len(quote) if text.startswith('"') and not quote.startswith('"') else 0
        spans = [(s - shift, e - shift) for s, e in inside if _WORD.search(text[s:e])]
        if spans:
            return [(spans, attribution)]
    readings = [([(0, len(quote))], [])]
    # Reported speech opens with the reporter's "that" ("said that rents will rise"), which the
    # speaker never said: the clause is also read without it.
    lead = _COMPLEMENTISER.match(quote)
    if lead and _WORD.search(quote, lead.end()):
        readings.append(([(lead.end(), len(quote))], [lead.group().strip()]))
    unmarked = list(_UNMARKED_ATTRIBUTION.finditer(quote))
    if unmarked:
        spans, last = [], 0
        for match in unmarked:
            spans.append((last, match.start()))
            last = match.end()
        spans.append((last, len(quote)))
        spans = [(s, e) for s, e in spans if _WORD.search(quote[s:e])]
        if spans:
            readings.append((spans, [" ".join(_WORD.findall(m.group())) for m in unmarked]))
    return readings


def _read_quote(quote: str, spans: list[tuple[int, int]], attribution: list[str]) -> _Quote:
    words, word_spans, cuts = [], [], {}
    for n, (start, end) in enumerate(spans):
        cut = "attribution" if n else None
        last = start
        for match in list(_ELLIPSIS.finditer(quote, start, end)) + [None]:
            stop = match.start() if match else end
            piece_words = list(_WORD.finditer(quote, last, stop))
            if piece_words:
                if cut and words:
                    cuts[len(words)] = cut
                for word in piece_words:
                    for part in _words_of(word.group()):
                        words.append(part)
                        word_spans.append(word.span())
                cut = None
            if match:
                cut = "ellipsis"
                last = match.end()
    clauses = {i for i in range(1, len(words))
               if _CLAUSE_BREAK.search(quote, word_spans[i - 1][1], word_spans[i][0])}
    return _Quote(text=quote, words=words, spans=word_spans, cuts=cuts, attribution=attribution,
                  clauses=clauses)


# --- alignment ----------------------------------------------------------------------------------


def align(quote: str, source: Source | str) -> Alignment:
    """The passage of `source` that `quote` best matches, the word diff and the proposed class."""
    if not isinstance(source, Source):
        source = read_source(source)
    if len(quote) > MAX_QUOTE_CHARS:
        return Alignment(quote=quote, classification="not_found", score=0.0,
                         explanation=f"This quote is {len(quote):,} characters long: only quotes of up "
                                     f"to {MAX_QUOTE_CHARS:,} are looked for.")
    index = source._index
    best: tuple[float, _Quote, _Placement | None] | None = None
    for spans, attribution in _pieces(quote):
        q = _read_quote(quote, spans, attribution)
        if not q.words:
            continue
        placement = _place(q, index)
        rank = placement.rank if placement else -1.0
        if best is None or rank > best[0] + 1e-9:
            best = (rank, q, placement)
    if best is None:
        return Alignment(quote=quote, classification="not_found", score=0.0,
                         explanation="The quote has no words to look for.")
    _, q, placement = best
    if placement is None:
        return _not_found(q)
    return _describe(q, placement, source, index)


def _not_found(q: _Quote) -> Alignment:
    return Alignment(quote=q.text, classification="not_found", score=0.0,
                     explanation="No passage of this source matches the quote.",
                     attribution=q.attribution)


@dataclass
class _Placement:
    start: int  # source word positions, end exclusive
    end: int
    rank: float  # found weight share, less the weight of source words left out, for choosing
    moved: bool  # clauses of the quote were found in another order
    # For each piece of the quote (cut at ellipses and attributions): its source words, or None.
    pieces: list[tuple[int, int] | None]
    # (quote start, quote end, source start, source end) of each clause placed.
    units: list[tuple[int, int, int, int]]


def _piece_bounds(q: _Quote) -> list[tuple[int, int]]:
    starts = [0] + sorted(q.cuts)
    return list(zip(starts, starts[1:] + [len(q.words)], strict=True))


def _units(q: _Quote, p_start: int, p_end: int) -> list[tuple[int, int]]:
    """A piece's clauses, each of at least MIN_UNIT_WORDS words where the piece allows it."""
    units: list[list[int]] = []
    for i in range(p_start, p_end):
        if not units or (i in q.clauses and units[-1][1] - units[-1][0] >= MIN_UNIT_WORDS):
            units.append([i, i + 1])
        else:
            units[-1][1] = i + 1
    if len(units) > 1 and units[-1][1] - units[-1][0] < MIN_UNIT_WORDS:
        last = units.pop()
        units[-1][1] = last[1]
    return [(a, b) for a, b in units]


def _place(q: _Quote, index: _Index) -> _Placement | None:
    if index.n == 0:
        return None
    m = len(q.words)
    window = max(2 * m, m + 10)
    keys = {index.vocabulary[w] for w in q.words if w in index.vocabulary}
    # Words of the source sharing a stem with a quote word vote too (a reworded quote's "pays").
    for word in q.words:
        keys.update(index.by_stem.get(_stem(word), ()))
    if not keys:
        return None
    starts = _windows(index, sorted(keys), window)
    ids = [index.vocabulary.get(w, -1 - i) for i, w in enumerate(q.words)]
    best = None
    for start in starts:
        lo, hi = max(0, start - window), min(index.n, start + 2 * window)
        placement = _place_in(q, ids, index, lo, hi, (start, min(index.n, start + window)))
        if placement and (best is None or placement.rank > best.rank):
            best = placement
    return best


def _windows(index: _Index, keys: list[int], window: int) -> list[int]:
    """Starts of the CANDIDATES windows of `window` words holding the most idf weight of the
    quote's distinct words (a word counted once a window however often it occurs)."""
    n = index.n
    lows, highs, weights = [], [], []
    for key in keys:
        positions = np.sort(index.positions(key))
        previous = np.concatenate(([-window], positions[:-1] + 1))
        # Window starts that hold this position and no earlier one of the same word: disjoint
        # ranges, so each window counts the word once.
        low = np.maximum(np.maximum(positions - window + 1, previous), 0)
        lows.append(low)
        highs.append(positions + 1)
        weights.append(np.full(len(positions), index.weights[key]))
    lows, highs, weights = np.concatenate(lows), np.concatenate(highs), np.concatenate(weights)
    keep = highs > lows
    delta = np.bincount(lows[keep], weights[keep], minlength=n + 1) - np.bincount(
        highs[keep], weights[keep], minlength=n + 1)
    score = np.cumsum(delta[:n])
    starts = []
    for _ in range(CANDIDATES):
        best = int(np.argmax(score))
        if score[best] <= 0:
            break
        starts.append(best)
        score[max(0, best - window): best + window] = 0
    return starts


def _matches(a: list[int], b: list[int]) -> list[tuple[int, int]]:
    """(i, j) pairs of equal words in a longest common subsequence of a and b."""
    pairs = []
    for op in Indel.opcodes(a, b):
        if op.tag == "equal":
            pairs.extend(zip(range(op.src_start, op.src_end), range(op.dest_start, op.dest_end),
                             strict=True))
    return pairs


def _span_of(piece: list[int], ids: list[int], lo: int, hi: int,
             late: bool = False) -> tuple[int, int, int] | None:
    """Where `piece` (word ids) sits in ids[lo:hi]: (start, end, words matched), or None.

    Small enough, the whole of ids[lo:hi] goes through _tightest. Otherwise rapidfuzz's longest
    common subsequence finds the stretch first. It may pick up a stray "the" far from the rest:
    the matches are
    cut into runs at gaps, and the heaviest run absorbs a neighbour only when the neighbour
    brings a matched word for every three source words it skips. The piece is then aligned
    again on that stretch (with room for its unmatched ends), so a tie between two "the"s is
    settled next to the passage.
    """
    if len(piece) * (hi - lo) <= _MAX_DP_CELLS:
        found = _tightest(piece, ids[lo:hi], late)
        return found and (lo + found[0], lo + found[1] + 1, found[2])
    pairs = _matches(piece, ids[lo:hi])
    if not pairs:
        return None
    runs = [[pairs[0]]]
    for pair in pairs[1:]:
        if pair[1] - runs[-1][-1][1] > 3:
            runs.append([pair])
        else:
            runs[-1].append(pair)
    # Of equally heavy runs, the first, or the last when looking back from a placed clause.
    core = max(range(len(runs)), key=lambda r: (len(runs[r]), r if late else -r))
    first, last = core, core
    while True:
        grown = False
        if first > 0 and 3 * len(runs[first - 1]) >= runs[first][0][1] - runs[first - 1][-1][1] - 1:
            first -= 1
            grown = True
        if last < len(runs) - 1 and 3 * len(runs[last + 1]) >= runs[last + 1][0][1] - runs[last][-1][1] - 1:
            last += 1
            grown = True
        if not grown:
            break
    start, end = lo + runs[first][0][1], lo + runs[last][-1][1] + 1
    before, after = runs[first][0][0], len(piece) - 1 - runs[last][-1][0]
    # Room for the piece's unmatched ends, and as many source words again that a trimmed quote
    # may have left out next to them.
    a, b = max(lo, start - 2 * before - 3), min(hi, end + 2 * after + 3)
    if len(piece) * (b - a) > _MAX_DP_CELLS:
        pairs = _matches(piece, ids[a:b])
        return a + pairs[0][1], a + pairs[-1][1] + 1, len(pairs)
    found = _tightest(piece, ids[a:b], late)
    if found is None:
        return None
    return a + found[0], a + found[1] + 1, found[2]


def _tightest(piece: list[int], stretch: list[int], late: bool = False) -> tuple[int, int, int] | None:
    """(first, last, matched): the stretch's words the piece matches, all of the piece against
    any part of the stretch, or None when no word matches.

    A small dynamic programme (local in the source, global in the piece): each word matched
    scores 4 and each source word skipped between the first match and the last costs 1, so a
    word far from the rest (a stray "the") is not worth the words skipped to reach it, two
    copies of a phrase are settled on the one with the rest of the piece ("of them will be sold
    to" after "a third of them will be let"), and of equal alignments the tightest wins. Ties
    go to more words matched, then to the first, or to the last when looking back from a clause
    already placed.
    """
    n = len(stretch)
    score = [0] * (n + 1)
    first = [-1] * (n + 1)  # where the path's first match is, -1 before any
    count = [0] * (n + 1)
    for word in piece:
        row, row_first, row_count = [score[0]] + [0] * n, [first[0]] + [-1] * n, [count[0]] + [0] * n
        for j in range(1, n + 1):
            best, where, matched = score[j], first[j], count[j]  # this quote word left unmatched
            if stretch[j - 1] == word and score[j - 1] + 4 > best:
                best, where, matched = (score[j - 1] + 4, first[j - 1] if first[j - 1] >= 0 else j - 1,
                                        count[j - 1] + 1)
            if row_first[j - 1] >= 0 and row[j - 1] - 1 > best:  # a source word skipped
                best, where, matched = row[j - 1] - 1, row_first[j - 1], row_count[j - 1]
            row[j], row_first[j], row_count[j] = best, where, matched
        score, first, count = row, row_first, row_count
    end = max(range(n + 1), key=lambda j: (score[j], count[j], j if late else -j))
    if count[end] == 0:
        return None
    return first[end], end - 1, count[end]


def _place_in(q: _Quote, ids: list[int], index: _Index, lo: int, hi: int,
              window: tuple[int, int]) -> _Placement | None:
    units = [(number, u_start, u_end) for number, (p_start, p_end) in enumerate(_piece_bounds(q))
             for u_start, u_end in _units(q, p_start, p_end)]
    starts_piece = {p_start for p_start, _ in _piece_bounds(q)}
    # Each clause anywhere in the region first; the best-matched one is the anchor, and the others
    # are looked for next to it in the quote's order (a quote keeps the source's order): those
    # after it just after, those before it just before (further across an ellipsis or an
    # attribution, which may skip a sentence). Only a clause not found there is taken from
    # anywhere: clauses quoted in another order.
    # "Anywhere" is the candidate window first (the stretch that holds most of the quote's words:
    # in a transcript that repeats itself, a clause said twice is taken where the rest is), then
    # the region around it when that matches more of the clause.
    anywhere = []
    for _, a, b in units:
        found = _span_of(ids[a:b], index.ids, *window)
        if not found or found[2] < b - a:
            wider = _span_of(ids[a:b], index.ids, lo, hi)
            if wider and (not found or wider[2] > found[2]):
                found = wider
        anywhere.append(found)
    weights = [found[2] if found else -1 for found in anywhere]
    anchor = max(range(len(units)), key=lambda k: (weights[k], units[k][2] - units[k][1]))
    if weights[anchor] <= 0:
        return None
    spans: dict[int, tuple[int, int, int]] = {anchor: anywhere[anchor]}

    def near(k: int, edge: int, forward: bool) -> tuple[int, int, int] | None:
        _, a, b = units[k]
        size = b - a
        crossing = (a if forward else units[k + 1][1]) in starts_piece
        reach = 2 * size + 10 + (3 * len(ids) + 30 if crossing else 0)
        if forward:
            found = _span_of(ids[a:b], index.ids, edge, min(index.n, edge + reach))
        else:
            found = _span_of(ids[a:b], index.ids, max(0, edge - reach), edge, late=True)
        if found and found[2] >= 0.6 * size:
            return found
        found = anywhere[k]
        return found if found and found[2] >= max(2, 0.5 * size) else None

    edge = anywhere[anchor][1]
    for k in range(anchor + 1, len(units)):
        found = near(k, edge, forward=True)
        if found:
            spans[k], edge = found, found[1]
    edge = anywhere[anchor][0]
    for k in range(anchor - 1, -1, -1):
        found = near(k, edge, forward=False)
        if found:
            spans[k], edge = found, found[0]
    placed = [(units[k][0], units[k][1], *spans[k], units[k][2]) for k in sorted(spans)]
    if not placed:
        return None
    # Units placed far from the best-matched one are strays.
    main = max(placed, key=lambda p: p[4])
    limit = 3 * len(q.words) + 20
    placed = [p for p in placed if p[2] - main[3] <= limit and main[2] - p[3] <= limit]
    start, end = min(p[2] for p in placed), max(p[3] for p in placed)
    moved = any(a[1] < b[1] and a[2] >= b[3] for a in placed for b in placed)
    pieces: list[tuple[int, int] | None] = []
    for number in range(len(q.cuts) + 1):
        mine = [p for p in placed if p[0] == number]
        pieces.append((min(p[2] for p in mine), max(p[3] for p in mine)) if mine else None)
    passage = index.ids[start:end]
    matched = _matches(ids, passage)
    found_weight = sum(index.weight(q.words[i]) for i, _ in matched)
    total = sum(index.weight(w) for w in q.words)
    kept = {j for _, j in matched}
    dropped = sum(float(index.weights[w]) for j, w in enumerate(passage) if j not in kept)
    rank = (found_weight - 0.1 * dropped) / total
    return _Placement(start=start, end=end, rank=rank, moved=moved, pieces=pieces,
                      units=[(p[1], p[5], p[2], p[3]) for p in placed])


def _plural(n: int, word: str = "word") -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _opcodes(q: _Quote, placement: _Placement, passage: list[str]) -> list[tuple[str, int, int, int, int]]:
    """(op, i1, i2, j1, j2) from the passage's words to the quote's, as difflib gives them.

    Pieces placed in order are diffed each against its own source words, and the source words
    between two pieces are a step of their own, at the ellipsis or attribution that cut them:
    "not ... next year" against "not this year and not next year" leaves out "this year and
    not" at the ellipsis, where one diff of the whole might leave out "this year and not" after
    the first "not" and call it unmarked.
    """
    spans = [(s - placement.start, e - placement.start) if s is not None else None
             for s, e in (p or (None, None) for p in placement.pieces)]
    placed = [span for span in spans if span]
    in_order = all(a[1] <= b[0] for a, b in zip(placed, placed[1:], strict=False))
    if placement.moved or not in_order:
        return [(op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
                for op in Levenshtein.opcodes(passage, q.words)]
    ops, at = [], 0
    for (p_start, p_end), span in zip(_piece_bounds(q), spans, strict=True):
        if span is None:
            ops.append(("insert", at, at, p_start, p_end))
            continue
        s, e = span
        if s > at:
            ops.append(("delete", at, s, p_start, p_start))
        ops.extend((op.tag, s + op.src_start, s + op.src_end, p_start + op.dest_start, p_start + op.dest_end)
                   for op in Levenshtein.opcodes(passage[s:e], q.words[p_start:p_end]))
        at = e
    return ops


def _describe(q: _Quote, placement: _Placement, source: Source, index: _Index) -> Alignment:
    passage_ids = index.ids[placement.start: placement.end]
    passage_words = [index.words[i] for i in passage_ids]
    spans = index.spans[placement.start: placement.end]
    char_start, char_end = spans[0][0], spans[-1][1]
    ops = _opcodes(q, placement, passage_words)
    diff: list[DiffOp] = []
    marked = unmarked = fillers = inserted = replaced = 0
    found_weight = 0.0
    for tag, i1, i2, j1, j2 in ops:
        nxt = spans[i2][0] if i2 < len(spans) else char_end
        src_text = source.text[spans[i1][0]: nxt] if i2 > i1 else ""
        quote_text = q.text[q.spans[j1][0]: q.spans[j2 - 1][1]] if j2 > j1 else ""
        diff.append(DiffOp(tag, src_text, quote_text))
        if tag == "equal":
            found_weight += sum(index.weight(w) for w in q.words[j1:j2])
        elif tag == "delete":
            words = passage_words[i1:i2]
            n_fillers = sum(1 for w in words if w in FILLERS)
            fillers += n_fillers
            if q.cuts.get(j1) == "ellipsis":
                marked += len(words) - n_fillers
            else:
                unmarked += len(words) - n_fillers
        elif tag == "insert":
            inserted += j2 - j1
        else:
            replaced += max(i2 - i1, j2 - j1)
            # A word kept in another form ("pays" for "pay") still shows where the quote is.
            src_stems = {_stem(w) for w in passage_words[i1:i2]}
            found_weight += sum(0.5 * index.weight(w) for w in q.words[j1:j2] if _stem(w) in src_stems)
    if placement.moved:
        # One diff of the whole shows a moved clause as left out here and added there; the
        # clauses' own diffs say what changed in the words.
        found_weight, marked, replaced, inserted, covered = 0.0, 0, 0, 0, set()
        placed_words = set()
        for u_start, u_end, s, e in placement.units:
            placed_words.update(range(u_start, u_end))
            words = [index.words[i] for i in index.ids[s:e]]
            for op in Levenshtein.opcodes(words, q.words[u_start:u_end]):
                if op.tag == "equal":
                    found_weight += sum(index.weight(w) for w in q.words[u_start + op.dest_start:
                                                                          u_start + op.dest_end])
                    covered.update(range(s + op.src_start, s + op.src_end))
                elif op.tag == "insert":
                    inserted += op.dest_end - op.dest_start
                elif op.tag == "replace":
                    replaced += max(op.src_end - op.src_start, op.dest_end - op.dest_start)
        inserted += len(q.words) - len(placed_words)
        unmarked = sum(1 for i in range(placement.start, placement.end)
                       if i not in covered and index.words[index.ids[i]] not in FILLERS)
    total = sum(index.weight(w) for w in q.words)
    share = found_weight / total if total else 0.0
    matched = sum(j2 - j1 for tag, _, _, j1, j2 in ops if tag == "equal")
    if placement.moved:
        # Words in another order are not the words in that order: a tenth off.
        matched = 0.9 * (len(q.words) - inserted - replaced)
    score = matched / (len(q.words) + 0.5 * unmarked + 0.25 * marked + 0.5 * replaced)
    notes = []
    if inserted == 0 and replaced == 0 and not placement.moved:
        if marked + unmarked == 0:
            classification = "verbatim"
            explanation = "Word for word"
            core = q.text[q.spans[0][0]: q.spans[-1][1]]
            if core != source.text[char_start:char_end]:
                written = any(ch.isdigit() for ch in core + source.text[char_start:char_end])
                notes.append("only case, punctuation, spacing" + (" or how numbers are written"
                                                                   if written else "") + " differ")
        else:
            classification = "trimmed"
            if marked and not unmarked:
                explanation = f"{_plural(marked)} left out, marked with an ellipsis"
            elif unmarked and not marked:
                explanation = f"{_plural(unmarked)} left out with no ellipsis to mark it"
            else:
                explanation = (f"{_plural(marked + unmarked)} left out, {marked} marked with an "
                               f"ellipsis and {unmarked} not")
    elif share >= FOUND_MIN_WEIGHT:
        classification = "reworded"
        parts = []
        if replaced:
            parts.append(f"{_plural(replaced)} changed")
        if inserted:
            parts.append(f"{_plural(inserted)} added")
        if marked + unmarked:
            parts.append(f"{_plural(marked + unmarked)} left out")
        explanation = ", ".join(parts).capitalize() if parts else "Same words"
        if placement.moved:
            explanation = "Clauses in another order" + (f"; {', '.join(parts)}" if parts else "")
    else:
        return _not_found(q)
    if fillers:
        notes.append(f"{_plural(fillers, 'filler')} (um, uh) left out")
    if q.attribution:
        said = [a for a in q.attribution if a.casefold() != "that"]
        if said:
            notes.append(f"attribution ({'; '.join(said)}) set aside")
        if len(said) < len(q.attribution):
            notes.append('the reporter\'s "that" set aside')
    if notes:
        explanation += "; " + "; ".join(notes)
    return Alignment(
        quote=q.text,
        classification=classification,
        score=round(min(1.0, score), 3) if classification != "verbatim" else 1.0,
        explanation=explanation,
        passage=source.text[char_start:char_end],
        start=char_start,
        end=char_end,
        time=source.time_at(char_start),
        diff=diff,
        attribution=q.attribution,
    )
