"""Extraction throughput against a bare ``nlp.pipe`` of the same spaCy model.

    .venv/bin/python tests/benchmarks/bench_extract.py [--texts 200] [--rounds 3]

Runs both over the same ~200 texts (the demo articles plus generated news-like
texts, all invented) in the same process, alternating rounds and keeping each
side's best time so that machine noise does not pick the winner, for
``n_process`` 1 and 2.  The goal is extraction, claim scoring included, within
1.20x of the bare parse.  Not collected by ``make test`` (tests/benchmarks).
Claim scoring is measured as shipped (``factcheck.extract.checkworthy``).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from report import record, row  # noqa: E402

from factcheck.extract import DEFAULT_MODEL, extract_many, get_nlp  # noqa: E402

NAMES = ["Ilse Tellerman", "Omar Vidal", "Hana Berg", "Ada Brennick", "Lina Okafor",
         "Mara Quist", "Pavel Daskin", "Ruth Amberley"]
ORGS = ["the Harbour Authority", "the Northern Wire", "the regional council",
        "the Provincial Statistics Office", "the Coastal Press Agency"]
TOPICS = ["the ferry terminal", "the tram budget", "the flood barrier", "the night market",
          "the bridge repairs", "the clinic waiting list"]
TEMPLATES = [
    '"We will finish {topic} by {month}," {name} said on {day}.',
    '{name}, who chairs the committee, warned that {topic} could cost {n} million crowns.',
    '"It is not true," {name} told reporters. "Nobody has seen the figures for {topic}."',
    '{org} said {n} people had signed the petition against {topic} since {month}.',
    'Spending on {topic} rose by {n} percent last year, according to {org}.',
    "The so-called 'green corridor' plan for {topic} dates back to the 1990's.",
    '{name} described {topic} as "a waste of {n} million" and said {org} had been warned.',
    'Will {topic} survive the vote? Residents will find out in {month}.',
    '"Can nobody see it? It is wiser to wait," {name} said.',
    '{org} reported of the meeting, "{name} said {topic} was {n} weeks late."',
]


def generated_texts(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        paragraphs = []
        for _ in range(rng.randint(6, 14)):
            template = rng.choice(TEMPLATES)
            paragraphs.append(template.format(
                name=rng.choice(NAMES), org=rng.choice(ORGS), topic=rng.choice(TOPICS),
                n=rng.randint(2, 900), month=rng.choice(["March", "June", "October"]),
                day=rng.choice(["Monday", "Friday"])))
        texts.append("Harbour News\n\n" + "\n\n".join(paragraphs) + "\n")
    return texts


def corpus(count: int, seed: int = 7) -> list[str]:
    demo = [p.read_text(encoding="utf-8") for p in
            sorted((ROOT / "factcheck" / "demo" / "articles").glob("*.txt"))]
    return (demo * 4 + generated_texts(count, seed))[:count]


def cpu_seconds() -> float:
    """CPU time of this process and its reaped workers: on a shared machine the
    wall clock measures the neighbours as much as the code."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(rounds: int, bare, ours) -> dict[str, float]:
    best = {"bare_wall": float("inf"), "ours_wall": float("inf"),
            "bare_cpu": float("inf"), "ours_cpu": float("inf")}
    for _ in range(rounds):
        for name, run in (("bare", bare), ("ours", ours)):
            wall, cpu = time.perf_counter(), cpu_seconds()
            run()
            best[f"{name}_wall"] = min(best[f"{name}_wall"], time.perf_counter() - wall)
            best[f"{name}_cpu"] = min(best[f"{name}_cpu"], cpu_seconds() - cpu)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=64)
    args = parser.parse_args()
    scoring = "claim scoring"
    texts = corpus(args.texts)
    chars = sum(map(len, texts))
    stock = spacy.load(DEFAULT_MODEL)
    get_nlp()
    extract_many(texts[:5])  # load the check-worthiness weights outside the timing
    print(f"{len(texts)} texts, {chars:,} characters, model {DEFAULT_MODEL}")
    worst = 0.0
    rows = []
    for n_process in (1, 2):
        def bare(n_process=n_process):
            for _ in stock.pipe(texts, n_process=n_process, batch_size=args.batch_size):
                pass

        def ours(n_process=n_process):
            extract_many(texts, n_process=n_process, batch_size=args.batch_size)

        best = best_of(args.rounds, bare, ours)
        wall_ratio = best["ours_wall"] / best["bare_wall"]
        cpu_ratio = best["ours_cpu"] / best["bare_cpu"]
        worst = max(worst, cpu_ratio)
        print(f"n_process={n_process}: wall  bare {best['bare_wall']:6.2f}s "
              f"({chars / best['bare_wall']:,.0f} chars/s)  extract_many {best['ours_wall']:6.2f}s "
              f"({chars / best['ours_wall']:,.0f} chars/s)  ratio {wall_ratio:.3f}")
        print(f"             cpu   bare {best['bare_cpu']:6.2f}s  extract_many "
              f"{best['ours_cpu']:6.2f}s  ratio {cpu_ratio:.3f}")
        rows.append(row(f"extraction incl. {scoring} vs bare nlp.pipe, {len(texts)} texts, "
                        f"n_process={n_process} (CPU time)", f"{best['ours_cpu']:.2f} s",
                        f"{best['bare_cpu']:.2f} s", cpu_ratio, "<= 1.20", cpu_ratio <= 1.20))
    print(f"worst cpu ratio {worst:.3f} (goal <= 1.20; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus)")
    record("extract", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
