"""Extraction of pathological texts against a news-like text of the same length (issue #28).

    .venv/bin/python tests/benchmarks/bench_pathological.py [--lengths 10000,40000,299000] [--rounds 1]

Each text (emoji only, straight quote marks only, nested quote marks, nested quotations,
no whitespace, no punctuation, and symbols between spaces: tests/extract/pathological.py,
all invented) and a news-like text of the same length, written for this benchmark, go
through ``extract()`` in a fresh process each, so that each one's peak memory is its own;
the models load before the measurement.  The rows compare, at the longest length, CPU time
and peak resident memory growth with the news-like text's measured in the same run; a
third row per text checks that its time grows no faster than its length (from the
second-longest length to the longest).  Absolute seconds and MB are printed for every
length.  Not collected by ``make test`` (tests/benchmarks).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from report import record, row  # noqa: E402

from tests.extract.pathological import PATHOLOGICAL, measure, news_like, spaced_symbols  # noqa: E402

TEXTS = dict(PATHOLOGICAL, **{"symbols between spaces": spaced_symbols})
BASELINE = "news-like"
# Goals: a pathological text costs at most this many times a news text of its length ...
MAX_TIME_RATIO = 3.0
MAX_MEMORY_RATIO = 2.0
# ... and its time grows at most this much faster than its length.
MAX_GROWTH_OVER_LENGTH = 1.5
# A run still going after this long is stopped and reported as such.
TIMEOUT_SECONDS = 600


def best_of(rounds: int, text: str, workdir: Path) -> dict:
    """The least CPU time, wall time and memory growth of ``rounds`` runs."""
    runs = [measure(text, workdir, timeout=TIMEOUT_SECONDS) for _ in range(rounds)]
    return {key: min(run[key] for run in runs) for key in ("seconds", "cpu_seconds", "rss_growth_mb")}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="10000,40000,299000",
                        help="comma-separated text lengths in characters (the last one is judged)")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    lengths = sorted(int(n) for n in args.lengths.split(","))
    results: dict[tuple[str, int], dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for length in lengths:
            for name, make in [(BASELINE, news_like), *TEXTS.items()]:
                measured = best_of(args.rounds, make(length), Path(tmp))
                results[name, length] = measured
                print(f"{name:>24} {length:>8,} chars: {measured['seconds']:7.2f} s wall "
                      f"{measured['cpu_seconds']:7.2f} s CPU {measured['rss_growth_mb']:7.0f} MB",
                      flush=True)
    longest = lengths[-1]
    base = results[BASELINE, longest]
    rows = []
    for name in TEXTS:
        ours = results[name, longest]
        time_ratio = ours["cpu_seconds"] / base["cpu_seconds"]
        memory_ratio = ours["rss_growth_mb"] / max(base["rss_growth_mb"], 1.0)
        rows.append(row(f"pathological text: {name}, {longest:,} chars, vs news-like text (CPU time)",
                        f"{ours['cpu_seconds']:.2f} s", f"{base['cpu_seconds']:.2f} s", time_ratio,
                        f"<= {MAX_TIME_RATIO:.2f}", time_ratio <= MAX_TIME_RATIO))
        rows.append(row(f"pathological text: {name}, {longest:,} chars, vs news-like text "
                        "(peak memory growth)", f"{ours['rss_growth_mb']:.0f} MB",
                        f"{base['rss_growth_mb']:.0f} MB", memory_ratio,
                        f"<= {MAX_MEMORY_RATIO:.2f}", memory_ratio <= MAX_MEMORY_RATIO))
        if len(lengths) > 1:
            shorter = lengths[-2]
            growth = (ours["cpu_seconds"] / max(results[name, shorter]["cpu_seconds"], 1e-3)) / (
                longest / shorter)
            rows.append(row(f"pathological text: {name}, CPU time growth {shorter:,} -> {longest:,} "
                            "chars over length growth", f"{ours['cpu_seconds']:.2f} s",
                            f"{results[name, shorter]['cpu_seconds']:.2f} s x {longest / shorter:.2f}",
                            growth, f"<= {MAX_GROWTH_OVER_LENGTH:.2f}", growth <= MAX_GROWTH_OVER_LENGTH))
    record("pathological", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
