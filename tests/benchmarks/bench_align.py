"""Quote-to-source alignment time against the source's length (#32): 1k, 100k, 500k characters.

    .venv/bin/python tests/benchmarks/bench_align.py [--rounds 5]

Each source is a transcript made for this benchmark: the invented sentences of the accuracy set
(tests/statements/alignment_cases.py) in a seeded random order, each with a councillor's number
put in so that no two stretches are the same, and at two thirds of its length the passage the
quotes come from. For each length, best of `--rounds`, one process, one thread:

- read + first quote: read_source() (which builds the word index on first use) and align() of
  one quote split by "he said": what the desk pays when an editor attaches a source;
- each further quote: align() of six quotes (verbatim, split, ellipsis, unmarked trim, one word
  changed, not in the source) on the indexed source, per quote.

Rows compare each length with the 1k source measured in the same run: the ratio is the growth;
a length 100 (500) times the 1k one may cost at most 100 (500) times as much (no worse than
linear), and the 500k source must align in well under a second (goal 0.5 s).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from report import record, row  # noqa: E402

from factcheck.statements.alignment import align, read_source  # noqa: E402
from tests.statements.alignment_cases import HELD_OUT_SOURCES, SOURCES, sentences  # noqa: E402

PASSAGE = ("We will not pay for the ferry terminal, not this year and not next year, because "
           "the harbour board has found the money elsewhere. ")
FIRST = '"We will not," the leader said, "pay for the ferry terminal."'
QUOTES = [
    "We will not pay for the ferry terminal",
    '"We will not pay," she said, "for the ferry terminal."',
    "We will not pay for the ferry terminal ... because the harbour board has found the money elsewhere",
    "We will not pay for the ferry terminal because the harbour board has found the money elsewhere",
    "We will not pay for the ferry terminal, not this year and not next year, as the harbour board "
    "has found the money elsewhere",
    "The ferry terminal will be paid for by a levy on every ticket sold this summer",
]
LENGTHS = [1_000, 100_000, 500_000]
MAX_SECONDS_500K = 0.5


def transcript(length: int, seed: int = 32) -> str:
    pool = [s for text in [*SOURCES.values(), *HELD_OUT_SOURCES.values()]
            for s in sentences(read_source(text).text)]
    rng = random.Random(seed)
    parts, size, n = [], 0, 0
    while size < length:
        sentence = rng.choice(pool)
        sentence = f"Councillor {rng.randrange(1, 90)} said: {sentence} " if n % 3 == 0 else sentence + " "
        parts.append(sentence)
        size += len(sentence)
        n += 1
    text = "".join(parts)
    at = text.rfind(". ", 0, len(text) * 2 // 3) + 2 if len(text) > 2 * len(PASSAGE) else 0
    text = text[:at] + PASSAGE + text[at:]
    return text[:length] if length >= at + len(PASSAGE) else text


def best(rounds: int, run) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cold, warm = {}, {}
    for length in LENGTHS:
        text = transcript(length)
        assert align(FIRST, read_source(text)).passage == "We will not pay for the ferry terminal"
        cold[length] = best(args.rounds, lambda text=text: align(FIRST, read_source(text)))
        source = read_source(text)
        align(FIRST, source)  # index built outside the timing
        classes = [align(q, source).classification for q in QUOTES]
        warm[length] = best(args.rounds, lambda source=source: [align(q, source) for q in QUOTES])
        warm[length] /= len(QUOTES)
        print(f"{len(text):>9,} chars: read + first quote {cold[length] * 1000:8.1f} ms, "
              f"each further quote {warm[length] * 1000:7.2f} ms ({', '.join(classes)})", flush=True)
    base = LENGTHS[0]
    rows = []
    for length in LENGTHS[1:]:
        growth = length / base
        ratio = cold[length] / cold[base]
        met = ratio <= growth and (length < 500_000 or cold[length] <= MAX_SECONDS_500K)
        goal = f"<= {growth:.2f}" + (f", <= {MAX_SECONDS_500K} s" if length == 500_000 else "")
        rows.append(row(f"alignment: read a {length:,}-char source + align a quote, vs {base:,} chars",
                        f"{cold[length] * 1000:.1f} ms", f"{cold[base] * 1000:.2f} ms", ratio, goal, met))
    for length in LENGTHS[1:]:
        growth = length / base
        ratio = warm[length] / warm[base]
        rows.append(row(f"alignment: each further quote on a {length:,}-char source, vs {base:,} chars",
                        f"{warm[length] * 1000:.2f} ms", f"{warm[base] * 1000:.2f} ms", ratio,
                        f"<= {growth:.2f}", ratio <= growth))
    record("align", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
