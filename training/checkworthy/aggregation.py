"""How to score an item of several sentences (a long quote) with a scorer trained on single
sentences: read it whole, or sentence by sentence and take the max or the mean.

There is no labelled set of multi-sentence items, so it builds them: runs of 2-4 consecutive
sentences of one debate (ids at most `--gap` apart) from dev and dev-test, which the shipped
MiniLM was not trained on. A run's label is defined three ways, since which one an editor
means is a matter of taste: it holds any check-worthy sentence; most of it is; at least half
of it is. Prints the AUC of each scoring under each label, averaged over `--seeds` ways of
cutting the runs.

    DEBUG=1 .venv/bin/python -m training.checkworthy.aggregation \
        ../shared/eval/checkworthy/CT24_checkworthy_english_dev.tsv \
        ../shared/eval/checkworthy/CT24_checkworthy_english_dev-test.tsv
"""

from __future__ import annotations

import argparse
import itertools
import random

import numpy as np

from factcheck.extract import checkworthy
from factcheck.extract.checkworthy.data import read_sentences

from .metrics import roc_auc

LABELS = {
    "any sentence": lambda ys: any(ys),
    "most sentences": lambda ys: 2 * sum(ys) > len(ys),
    "half or more": lambda ys: 2 * sum(ys) >= len(ys),
}


def runs(sentences: list[tuple[str, int, str, bool]], seed: int, gap: int) -> list[list]:
    rng = random.Random(seed)
    out, i = [], 0
    while i < len(sentences):
        n = rng.choice([2, 3, 4])
        run = sentences[i:i + n]
        if len(run) == n and all(a[0] == b[0] and b[1] - a[1] <= gap for a, b in itertools.pairwise(run)):
            out.append(run)
        i += n
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tsv", nargs="+")
    parser.add_argument("--gap", type=int, default=25)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args(argv)
    sentences = sorted((path, int(s.id), s.text, bool(s.label))
                       for path in args.tsv for s in read_sentences(path))
    alone = dict(zip((s[2] for s in sentences),
                     checkworthy.get_reader().probabilities([s[2] for s in sentences]), strict=True))
    results: dict[tuple[str, str], list[float]] = {}
    n_runs = []
    for seed in range(args.seeds):
        batch = runs(sentences, seed, args.gap)
        n_runs.append(len(batch))
        scored = {
            "whole": checkworthy.get_reader().probabilities([" ".join(s[2] for s in r) for r in batch]),
            "max": np.array([max(alone[s[2]] for s in r) for r in batch]),
            "mean": np.array([np.mean([alone[s[2]] for s in r]) for r in batch]),
        }
        for label, rule in LABELS.items():
            y = np.array([rule([s[3] for s in r]) for r in batch], dtype=np.int64)
            for name, p in scored.items():
                results.setdefault((label, name), []).append(roc_auc(np.asarray(p), y))
    print(f"{np.mean(n_runs):.0f} runs a seed, {args.seeds} seeds; AUC mean (min-max)")
    print(f"{'label':<16}" + "".join(f"{name:>22}" for name in ("whole", "max", "mean")))
    for label in LABELS:
        cells = [results[label, name] for name in ("whole", "max", "mean")]
        print(f"{label:<16}" + "".join(f"{np.mean(c):>10.3f} ({min(c):.3f}-{max(c):.3f})" for c in cells))


if __name__ == "__main__":
    main()
