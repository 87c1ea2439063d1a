"""Train the reported-speech confidence model (``factcheck/extract/attribution/confidence.py``).

Labels come from PolNeAR's train split: an unquoted item the rules find is speech when
its text matches a gold indirect attribution of the same article (token Dice >= 0.5, the
scorer's test). The model is a logistic regression over the features
``confidence.features`` names (scikit-learn, training only: the runtime reads the
weights from JSON). The threshold is chosen out of fold: five folds of whole articles,
each scored with ``score.py`` after dropping the items its model, trained on the other
four, puts below the threshold. Dev is only scored, once, with the final weights.

    .venv/bin/pip install scikit-learn   # training only
    DEBUG=1 .venv/bin/python -m training.attribution.parse_cache cache var/parses/train.spacy \\
        ../shared/eval/polnear-train/texts/*.txt
    DEBUG=1 .venv/bin/python -m training.attribution.parse_cache cache var/parses/dev.spacy \\
        ../shared/eval/polnear-dev/texts/*.txt
    DEBUG=1 .venv/bin/python -m training.attribution.train_confidence \\
        --train var/parses/train.spacy ../shared/eval/polnear-train \\
        --dev var/parses/dev.spacy ../shared/eval/polnear-dev --write
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from .parse_cache import _setup

FOLDS = 5
MIN_FEATURE_COUNT = 5  # a feature seen fewer times has no reliable weight
_WORD = re.compile(r"\w+")


def _tokens(s: str) -> Counter:
    return Counter(_WORD.findall(s.lower()))


def _dice(a: Counter, b: Counter) -> float:
    n = sum(a.values()) + sum(b.values())
    return 2.0 * sum((a & b).values()) / n if n else 0.0


def collect(cache: Path, gold_path: Path):
    """Per article: its unfiltered jsonl record, and (key, features, label) per unquoted item."""
    from factcheck.extract import engine
    from factcheck.extract.attribution import confidence
    from factcheck.extract.types import INDIRECT

    from .parse_cache import extract_cached

    gold = {}
    for line in gold_path.open(encoding="utf-8"):
        d = json.loads(line)
        gold[d["name"]] = [(_tokens(a["content_text"]) if a["type"] == "indirect" else None,
                            min(s for s, _ in a["content"]), max(e for _, e in a["content"]))
                           for a in d["attributions"]]
    confidence.keep = lambda found: True
    seen: list = []
    original = engine.find_attributions

    def recording(doc, quotes, text, first=True):
        found = original(doc, quotes, text, first=first)
        seen.extend((f, text, doc.user_data["chunk_offset"])
                    for f in found if f.kind == INDIRECT)
        return found

    engine.find_attributions = recording
    articles = []
    for path, extraction in extract_cached(cache):
        name = Path(path).stem
        golds = gold.get(name, [])
        items = []
        for f, text, offset in seen:
            # (Labelling an item speech when any gold attribution merely overlaps it
            # taught speech-or-not, but the scorer's test scored better: AUC 0.80 either
            # way, indirect F1 out of fold 0.616 at best against 0.617.)
            words = _tokens(" ".join(text[s:e] for s, e in f.parts))
            label = any(_dice(words, g) >= 0.5 for g, _, _ in golds if g is not None)
            items.append((" ".join(text[s:e] for s, e in f.parts), confidence.features(f), label))
        seen.clear()
        articles.append((path, extraction.to_dict(), items))
    engine.find_attributions = original
    return articles


def _fit(rows, labels):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for r in rows for f in r)
    keep = {f for f, n in counts.items() if n >= MIN_FEATURE_COUNT}
    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in r if f in keep} for r in rows])
    model = LogisticRegression(C=1.0, max_iter=2000).fit(x, labels)
    weights = {name: float(w) for name, w in zip(vec.get_feature_names_out(), model.coef_[0],
                                                 strict=True)}
    return weights, float(model.intercept_[0])


def _prob(weights, bias, feats):
    import math
    z = bias + sum(weights.get(f, 0.0) for f in feats)
    return 1 / (1 + math.exp(-z))


def _score(articles, probs, threshold, eval_dir: Path) -> dict:
    """score.py's figures after dropping unquoted items below ``threshold``."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as out:
        for (path, record, items), p in zip(articles, probs, strict=True):
            drop = {text for (text, _, _), q in zip(items, p, strict=True) if q < threshold}
            quotes = [q for q in record["quotes"]
                      if not (q["kind"] == "indirect" and q["text"] in drop)]
            out.write(json.dumps({**record, "path": path, "quotes": quotes}) + "\n")
    split = eval_dir.name.split("-")[-1]
    res = subprocess.run([sys.executable, str(eval_dir.parent / "score.py"),
                          str(eval_dir / "gold.jsonl"), out.name, "--json", "--canonical",
                          str(eval_dir / f"canonical_{split}.json")],
                         capture_output=True, text=True, check=True)
    Path(out.name).unlink()
    return json.loads(res.stdout)


def _summary(res) -> str:
    rows = res["rows"]
    ind, allr, quoted = rows["indirect"], rows["all"], rows["quoted"]
    return (f"indirect P {ind['precision']:.3f} R {ind['recall']:.3f} F1 {ind['f1']:.3f} | "
            f"all F1 {allr['f1']:.3f} exact {allr['exact_f1']:.3f} | quoted F1 {quoted['f1']:.3f}")


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", nargs=2, type=Path, required=True, metavar=("CACHE", "EVAL_DIR"))
    ap.add_argument("--dev", nargs=2, type=Path, metavar=("CACHE", "EVAL_DIR"))
    ap.add_argument("--thresholds", default="0,0.3,0.35,0.4,0.45,0.5,0.55,0.6")
    ap.add_argument("--write", action="store_true", help="write the weights the runtime reads")
    ap.add_argument("--ship", type=float, default=0.4, help="the threshold written with them")
    args = ap.parse_args(argv)
    _setup()
    from factcheck.extract.attribution import confidence

    train = collect(args.train[0], args.train[1] / "gold.jsonl")
    n = sum(len(items) for _, _, items in train)
    pos = sum(label for _, _, items in train for _, _, label in items)
    print(f"train: {len(train)} articles, {n} unquoted items, {pos} match gold ({pos / n:.3f})")
    oof = [None] * len(train)
    for k in range(FOLDS):
        fit_on = [i for i in range(len(train)) if i % FOLDS != k]
        rows = [f for i in fit_on for _, f, _ in train[i][2]]
        labels = [y for i in fit_on for _, _, y in train[i][2]]
        weights, bias = _fit(rows, labels)
        for i in range(k, len(train), FOLDS):
            oof[i] = [_prob(weights, bias, f) for _, f, _ in train[i][2]]
    from sklearn.metrics import roc_auc_score
    print("out-of-fold AUC:", round(roc_auc_score(
        [y for _, _, items in train for _, _, y in items],
        [p for probs in oof for p in probs]), 3))
    thresholds = [float(t) for t in args.thresholds.split(",")]
    print("out of fold on train, by threshold:")
    results = {}
    for t in thresholds:
        results[t] = _score(train, oof, t, args.train[1])
        print(f"  {t:.2f}  {_summary(results[t])}")
    weights, bias = _fit([f for _, _, items in train for _, f, _ in items],
                         [y for _, _, items in train for _, _, y in items])
    if args.dev:
        dev = collect(args.dev[0], args.dev[1] / "gold.jsonl")
        probs = [[_prob(weights, bias, f) for _, f, _ in items] for _, _, items in dev]
        print("dev, final weights:")
        for t in thresholds:
            print(f"  {t:.2f}  {_summary(_score(dev, probs, t, args.dev[1]))}")
    if args.write:
        threshold = args.ship
        data = {"about": "confidence.py: logistic regression trained by "
                         "training/attribution/train_confidence.py on PolNeAR train",
                "threshold": threshold, "bias": round(bias, 4),
                "weights": {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 1e-3}}
        confidence.WEIGHTS.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n")
        print(f"wrote {confidence.WEIGHTS} ({len(data['weights'])} weights)")


if __name__ == "__main__":
    main()
