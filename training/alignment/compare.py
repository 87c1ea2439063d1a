"""Which library should align quotes with their sources? Speed and passage accuracy, measured.

    .venv/bin/pip install --target /tmp/alignlibs --no-deps edlib==1.3.9.post1 levenshtein==0.27.5
    PYTHONPATH=/tmp/alignlibs .venv/bin/python training/alignment/compare.py [--rounds 3]

The libraries other than rapidfuzz and the standard library are installed beside the venv for
this measurement only (--target: the venv and the lock are left alone). Two questions:

A. Can a library find the passage alone, over the whole source? Each one gets the quote and the
   whole source text (lower-cased): rapidfuzz's partial_ratio_alignment (the best-matching
   substring by InDel ratio, characters), edlib's infix alignment (mode "HW": the substring of
   least edit distance, characters, bit-parallel Myers), and difflib's SequenceMatcher (the
   longest matching run of words, widened to the quote's length). Below a similarity floor
   each says "not found". They give a passage, no class.
B. Inside our engine (factcheck/statements/alignment.py: candidate windows from the word index,
   then exact word alignment), which library should do the word alignment? The same engine
   with rapidfuzz's Indel/Levenshtein opcodes (shipped), python-Levenshtein's opcodes, edlib's
   global alignment path (CIGAR) and difflib's SequenceMatcher opcodes.

Accuracy is on the whole accuracy set (tests/statements/alignment_cases.py, both parts), as
training/alignment/evaluate.py scores it. Speed is the time to align the six quotes of
tests/benchmarks/bench_align.py in its 1k, 100k and 500k transcripts, best of --rounds, per
quote, the source read and indexed beforehand (engine) or not needing it (A); the methods take
turns within each round.
"""

from __future__ import annotations

import argparse
import difflib
import functools
import re
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "benchmarks"))

from bench_align import FIRST, QUOTES, transcript  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from factcheck.statements import alignment  # noqa: E402
from factcheck.statements.alignment import Alignment, Source, align, read_source  # noqa: E402
from tests.statements.alignment_cases import cases  # noqa: E402
from training.alignment.evaluate import judge, report  # noqa: E402

try:
    import edlib
except ImportError:  # measured only where installed (see the docstring)
    edlib = None
try:
    import Levenshtein as python_levenshtein
except ImportError:
    python_levenshtein = None

WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
LENGTHS = [1_000, 100_000, 500_000]


class Op(NamedTuple):
    tag: str
    src_start: int
    src_end: int
    dest_start: int
    dest_end: int


# --- A: a library alone over the whole source --------------------------------------------


def _passage(quote: str, source: Source, start: int, end: int) -> Alignment:
    return Alignment(quote=quote, classification="reworded", score=0.0, explanation="",
                     passage=source.text[start:end], start=start, end=end)


def _nothing(quote: str) -> Alignment:
    return Alignment(quote=quote, classification="not_found", score=0.0, explanation="")


def _clean(quote: str) -> str:
    return " ".join(WORD.findall(quote)).lower()


def rapidfuzz_partial(quote: str, source: Source, floor: float = 75.0) -> Alignment:
    q = _clean(quote)
    hit = fuzz.partial_ratio_alignment(q, source.text.lower())
    if hit is None or hit.score < floor:
        return _nothing(quote)
    return _passage(quote, source, hit.dest_start, hit.dest_end)


def edlib_infix(quote: str, source: Source, floor: float = 0.25) -> Alignment:
    q = _clean(quote)
    # edlib's alphabet is at most 256 symbols: characters outside it are folded to one.
    text = source.text.lower()
    hit = edlib.align(q, text, mode="HW", task="locations", k=int(len(q) * floor))
    if hit["editDistance"] < 0:
        return _nothing(quote)
    start, end = hit["locations"][0]
    return _passage(quote, source, start, end + 1)


def difflib_words(quote: str, source: Source, floor: int = 3) -> Alignment:
    words = [(m.group().lower(), m.span()) for m in WORD.finditer(source.text)]
    q = [w.lower() for w in WORD.findall(quote)]
    matcher = difflib.SequenceMatcher(None, [w for w, _ in words], q, autojunk=False)
    block = matcher.find_longest_match(0, len(words), 0, len(q))
    if block.size < min(floor, len(q)):
        return _nothing(quote)
    first = max(0, block.a - block.b)
    last = min(len(words), first + len(q)) - 1
    return _passage(quote, source, words[first][1][0], words[last][1][1])


# --- B: the engine with another library doing the word alignment --------------------------


def _difflib_opcodes(a, b):
    return [Op(*op) for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]


def _levenshtein_opcodes(a, b):
    return [Op(*op) for op in python_levenshtein.opcodes(a, b)]


def _edlib_opcodes(a, b):
    if not a or not b:
        return Levenshtein.opcodes(a, b)
    alphabet = {w: i for i, w in enumerate(dict.fromkeys([*a, *b]))}
    if len(alphabet) > 256:  # edlib's limit; never reached on this set's stretches
        raise ValueError("more than 256 distinct words")
    cigar = edlib.align([alphabet[w] for w in a], [alphabet[w] for w in b], mode="NW", task="path")["cigar"]
    ops, i, j = [], 0, 0
    for count, kind in re.findall(r"(\d+)([=XID])", cigar):
        n = int(count)
        tag, di, dj = {"=": ("equal", n, n), "X": ("replace", n, n), "I": ("delete", n, 0),
                       "D": ("insert", 0, n)}[kind]
        ops.append(Op(tag, i, i + di, j, j + dj))
        i, j = i + di, j + dj
    return ops


class _Swap:
    """The engine's two opcode functions replaced, for one measurement."""

    def __init__(self, opcodes):
        self.opcodes = opcodes

    def __enter__(self):
        self.saved = alignment.Indel, alignment.Levenshtein
        if self.opcodes:
            fake = type("Lib", (), {"opcodes": staticmethod(self.opcodes)})
            alignment.Indel = alignment.Levenshtein = fake

    def __exit__(self, *exc):
        alignment.Indel, alignment.Levenshtein = self.saved


# --- measuring ------------------------------------------------------------------------------


def accuracy(aligner) -> dict:
    judged = [judge(c, aligner=aligner, sources={}) for c in cases()]
    return report(judged)["table"]


# Each library-alone method's "not found" floor, chosen as the best of these on the set itself
# (which favours them: the engine's own threshold was set on the tuning part only).
FLOORS = {
    rapidfuzz_partial: [50, 60, 65, 70, 75, 80, 85, 90, 95],
    edlib_infix: [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5],
    difflib_words: [2, 3, 4, 5, 6],
}


def best_floor(method) -> tuple[object, dict]:
    results = []
    for floor in FLOORS[method]:
        table = accuracy(functools.partial(method, floor=floor))
        results.append((table["all"][1], floor, table))
    _, floor, table = max(results, key=lambda r: r[0])
    return floor, table


def speeds(runs: list[tuple[object, object]], rounds: int) -> list[dict[int, float]]:
    """Per quote, best of `rounds`, for each (aligner, opcodes) in `runs`: the methods take turns
    within each round, so a busy moment on the shared machine does not fall on one of them."""
    sources = {length: read_source(transcript(length)) for length in LENGTHS}
    for source in sources.values():
        align(FIRST, source)  # the engine's index, built outside the timing
    best = [dict.fromkeys(LENGTHS, float("inf")) for _ in runs]
    for _ in range(rounds):
        for k, (aligner, opcodes) in enumerate(runs):
            with _Swap(opcodes):
                for length, source in sources.items():
                    started = time.perf_counter()
                    for quote in QUOTES:
                        aligner(quote, source)
                    best[k][length] = min(best[k][length], time.perf_counter() - started)
    return [{length: t / len(QUOTES) for length, t in b.items()} for b in best]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    methods = [
        ("A", "rapidfuzz fuzz.partial_ratio_alignment (chars, whole source)", rapidfuzz_partial, None),
        ("A", "difflib SequenceMatcher longest match (words, whole source)", difflib_words, None),
    ]
    if edlib:
        methods.append(("A", "edlib infix HW (chars, whole source)", edlib_infix, None))
    methods.append(("B", "engine + rapidfuzz Indel/Levenshtein opcodes (shipped)", align, None))
    methods.append(("B", "engine + difflib SequenceMatcher opcodes", align, _difflib_opcodes))
    if python_levenshtein:
        methods.append(("B", "engine + python-Levenshtein opcodes", align, _levenshtein_opcodes))
    if edlib:
        methods.append(("B", "engine + edlib NW path (CIGAR)", align, _edlib_opcodes))
    print("| part | method | passage found | class right | ms/quote 1k | ms/quote 100k | ms/quote 500k |")
    print("|---|---|---|---|---|---|---|")
    rows, runs = [], []
    for part, name, aligner, opcodes in methods:
        with _Swap(opcodes):
            if part == "A":
                floor, table = best_floor(aligner)
                aligner = functools.partial(aligner, floor=floor)
                name += f", floor {floor}"
            else:
                table = accuracy(aligner)
        rows.append((part, name, table["all"]))
        runs.append((aligner, opcodes))
    for (part, name, table), seconds in zip(rows, speeds(runs, args.rounds), strict=True):
        right = f"{table[2]:.3f}" if part == "B" else "-"
        print(f"| {part} | {name} | {table[1]:.3f} | {right} | "
              + " | ".join(f"{seconds[n] * 1000:.2f}" for n in LENGTHS) + " |", flush=True)
    print(f"\n{len(cases())} cases; rapidfuzz {sys.modules['rapidfuzz'].__version__}"
          + (f", edlib {getattr(edlib, '__version__', '1.3.9.post1')}" if edlib else "")
          + (f", Levenshtein {python_levenshtein.__version__}" if python_levenshtein else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
