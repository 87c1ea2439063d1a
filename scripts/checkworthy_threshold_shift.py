"""What the decision threshold costs where: unseen training debates against dev-test.

    PYTHONPATH=. .venv/bin/python scripts/checkworthy_threshold_shift.py \
        --train ../shared/eval/checkworthy/CT24_checkworthy_english_train.tsv \
        --dev-test ../shared/eval/checkworthy/CT24_checkworthy_english_dev-test.tsv \
        [--cache cw/cache]

The shipped threshold is the best F1 of the out-of-fold probabilities over the training
debates; dev-test's own best is far lower. This prints, for a row of thresholds:

- F1 of the first stage's out-of-fold probabilities (5 debate blocks, as `train.fit`
  computes them; about 8 minutes on 2 cores), pooled and by block, and the share of
  sentences it calls Yes;
- the threshold that would be best if the training debates held another share of Yes and
  nothing else changed (prior shift: Yes and No sentences reweighted), to see how much of
  dev-test's low threshold the share of Yes explains;
- F1 on dev-test of the shipped model with and without its second stage (dev-test is only
  reported here, as everywhere: nothing is chosen on it).

Nothing is written; the figures are in the check-worthiness README.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

THRESHOLDS = (0.15, 0.19, 0.21, 0.25, 0.29, 0.33, 0.38, 0.45)
SHARES = (0.24, 0.26, 0.30, 0.34)


def weighted_f1(p: np.ndarray, y: np.ndarray, threshold: float, w: np.ndarray) -> float:
    pred, yes = p >= threshold, y == 1
    tp = float(w[pred & yes].sum())
    wrong = float(w[pred & ~yes].sum() + w[~pred & yes].sum())
    return 2 * tp / (2 * tp + wrong) if tp else 0.0


def out_of_fold_first_stage(train_path: str, cache: str | None):
    import spacy

    from factcheck.extract.checkworthy import DEFAULT_SPACY_MODEL
    from factcheck.extract.checkworthy import train as T
    from factcheck.extract.checkworthy.model import MODEL_DIR, load_vectors

    cfg = T.TrainConfig(seed=0)
    sentences, train_xy = T.labelled_split(spacy.load(DEFAULT_SPACY_MODEL), train_path, "train",
                                           cfg, load_vectors(MODEL_DIR),
                                           Path(cache) if cache else None)
    p, folds, _ = T.out_of_fold_model(cfg, train_xy, T.sentence_order(sentences),
                                      log=lambda msg: None)
    return p, train_xy[2], folds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev-test")
    ap.add_argument("--cache", help="directory to keep parsed Docs between runs")
    args = ap.parse_args(argv)

    p, y, folds = out_of_fold_first_stage(args.train, args.cache)
    ones = np.ones_like(p)
    print(f"first stage, out of fold over {len(y)} training sentences ({y.mean():.3f} Yes)")
    print("threshold  F1 pooled  mean block F1  F1 by block                     called Yes")
    for t in THRESHOLDS:
        blocks = [weighted_f1(p[folds == k], y[folds == k], t, ones[folds == k])
                  for k in range(int(folds.max()) + 1)]
        print(f"{t:9.2f}  {weighted_f1(p, y, t, ones):9.3f}  {np.mean(blocks):13.3f}  "
              f"{' '.join(f'{b:.3f}' for b in blocks)}  {(p >= t).mean():10.3f}")

    print("\nif the training debates held another share of Yes (prior shift only):")
    grid = np.round(np.arange(0.05, 0.70, 0.01), 2)
    for share in SHARES:
        w = np.where(y == 1, share / y.mean(), (1 - share) / (1 - y.mean()))
        f1s = [weighted_f1(p, y, t, w) for t in grid]
        best = int(np.argmax(f1s))
        print(f"  share {share:.2f}: best threshold {grid[best]:.2f} (F1 {f1s[best]:.3f})")

    if args.dev_test:
        from factcheck.extract import checkworthy
        from factcheck.extract.checkworthy.data import read_sentences

        sentences = [s for s in read_sentences(args.dev_test) if s.label is not None]
        y_dt = np.array([s.label for s in sentences], np.float32)
        print(f"\ndev-test, shipped model ({len(y_dt)} sentences, {y_dt.mean():.3f} Yes)")
        for enabled in (True, False):
            if enabled and not checkworthy.second_stage_available():
                continue
            with checkworthy.second_stage(enabled):
                scores = np.array(checkworthy.score_texts([s.text for s in sentences]))
                own = checkworthy.threshold()
            row = "  ".join(f"{t:.2f}: {weighted_f1(scores, y_dt, t, np.ones_like(scores)):.3f}"
                            for t in sorted({*THRESHOLDS, own}))
            print(f"  {'both stages' if enabled else 'first stage'} (threshold {own:.2f})  {row}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
