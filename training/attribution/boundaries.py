"""Train the edge model of ``factcheck/extract/attribution/boundaries.py`` on PolNeAR.

The rules' unquoted reports are recorded as the engine draws them (the model switched
off), each paired with the gold attribution the scorer pairs it with. For each edge, the
candidates ``boundaries.candidates`` offers are labelled by whether they are the gold
edge; a logistic regression over ``start_features`` / ``end_features`` learns which one
to pick. Everything is chosen out of fold on train, five folds of whole articles; dev
only reports.

    .venv/bin/pip install scikit-learn   # training only, not a dependency
    DEBUG=1 .venv/bin/python -m training.attribution.parse_cache cache var/parses/train.spacy \\
        ../shared/eval/polnear-train/texts/*.txt
    DEBUG=1 .venv/bin/python -m training.attribution.boundaries \\
        var/parses/train.spacy ../shared/eval/polnear-train/gold.jsonl \\
        --oof var/train.oof.jsonl --write

``--oof`` writes train's out-of-fold predictions (score them with ``score.py``);
``--write`` trains on all of train and writes ``boundaries.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections import Counter
from pathlib import Path

FOLDS = 5
C_GRID = (0.03, 0.1, 0.3, 1.0)


def _load_scorer(gold_path: Path):
    """The scorer beside the gold file (it is not part of the project)."""
    sys.path.insert(0, str(gold_path.parent.parent))
    import score  # noqa: PLC0415

    return score


def record(cache_path: Path):
    """(article path, extraction as JSON dict, recorded edges) for every article."""
    from factcheck.extract.attribution import boundaries

    from .parse_cache import extract_cached

    calls: list[dict] = []

    def recorder(doc, a, b, cue, quoted):
        offset = doc.user_data["chunk_offset"]
        starts, ends = boundaries.candidates(doc, a, b, cue, quoted)
        calls.append({
            "key": (doc[a].idx + offset, doc[b].idx + len(doc[b]) + offset),
            "starts": [(i, doc[i].idx + offset, boundaries.start_features(doc, i, a, cue))
                       for i in starts],
            "ends": [(j, doc[j].idx + len(doc[j]) + offset, boundaries.end_features(doc, j, b, cue))
                     for j in ends],
        })
        return a, b

    boundaries.adjust = recorder
    for path, extraction in extract_cached(cache_path):
        mine = {c["key"]: c for c in calls}
        calls.clear()
        yield path, {"path": path, **extraction.to_dict()}, mine


def label(score, gold_path: Path, articles):
    """Attach to each recorded edge the gold edge of the attribution its item pairs with."""
    gold = score.load_gold(str(gold_path))
    examples = []  # (article, quote index, record, gold start char, gold end char)
    for path, rec, mine in articles:
        name = Path(path).stem
        doc = gold[name]
        preds = _pred_items(score, doc["text"], rec["quotes"])
        pairs = dict((pi, gi) for gi, pi in score.greedy(
            doc["atts"], preds, score.dice_scorer, lambda s: s >= score.DICE_MIN))
        for qi, q in enumerate(rec["quotes"]):
            r = mine.get((q["start"], q["end"]))
            if r is None:
                continue
            gs = ge = None
            g = doc["atts"][pairs[qi]] if qi in pairs else None
            if g is not None and len(g["content"]) == 1:
                gs, ge = score.trim_span(doc["text"], *g["content"][0])
            examples.append((name, qi, r, gs, ge))
    return examples


def _pred_items(score, text, quotes):
    out = []
    for q in quotes:
        qtext = q["text"]
        s, e = score.trim_span(text, q["start"], q["end"])
        out.append({"kind": q["kind"], "norm": score.normalise(qtext), "toks": score.tokens(qtext),
                    "chars": set(range(s, e)), "span": (q["start"], q["end"])})
    return out


def _fold(name: str) -> int:
    return int(hashlib.sha1(name.encode()).hexdigest(), 16) % FOLDS


def _groups(examples, side: str):
    """(features per candidate, index of the gold candidate) per edge with a gold one."""
    out = []
    for _, _, r, gs, ge in examples:
        cands = r["starts"] if side == "start" else r["ends"]
        target = gs if side == "start" else ge
        hit = [k for k, c in enumerate(cands) if c[1] == target]
        if hit:
            out.append(([c[2] for c in cands], hit[0]))
    return out


def train(examples, c: float) -> dict[str, dict[str, float]]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    weights = {}
    for side in ("start", "end"):
        rows, ys = [], []
        for cands, gold in _groups(examples, side):
            for k, feats in enumerate(cands):
                rows.append(dict.fromkeys(feats, 1))
                ys.append(int(k == gold))
        vec = DictVectorizer()
        x = vec.fit_transform(rows)
        model = LogisticRegression(C=c, max_iter=2000).fit(x, ys)
        weights[side] = {f: round(float(w), 4) for f, w in zip(vec.feature_names_, model.coef_[0])
                         if abs(w) >= 1e-3}
    return weights


def choose(r, weights) -> tuple[int, int]:
    """Character edges the model picks for one recorded item (as ``boundaries.adjust``)."""
    def best(cands, table):
        return max(cands, key=lambda c: (sum(table.get(f, 0.0) for f in c[2]), c is cands[0]))

    start = best(r["starts"], weights["start"])
    ends = [c for c in r["ends"] if c[0] >= start[0]] or [r["ends"][0]]
    return start[1], best(ends, weights["end"])[1]


def apply(articles, weights_for) -> list[dict]:
    """The articles' extractions with every recorded item's edges moved."""
    out = []
    for path, rec, mine in articles:
        name = Path(path).stem
        text = Path(path).read_text(encoding="utf-8")
        quotes = []
        for q in rec["quotes"]:
            r = mine.get((q["start"], q["end"]))
            if r is not None:
                s, e = choose(r, weights_for(name))
                q = {**q, "start": s, "end": e, "text": text[s:e], "parts": [[s, e]]}
            quotes.append(q)
        out.append({**rec, "quotes": quotes})
    return out


def _score(score, gold_path: Path, records: list[dict], tmp: Path) -> dict:
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    gold = score.load_gold(str(gold_path))
    preds = score.load_pred(str(tmp), gold, Counter())
    row = score.Row()
    for name, doc in gold.items():
        ps = preds.get(name, [])
        row.add(doc["atts"], ps, score.greedy(doc["atts"], ps, score.dice_scorer,
                                              lambda s: s >= score.DICE_MIN))
    return row.metrics()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cache", type=Path)
    ap.add_argument("gold", type=Path)
    ap.add_argument("--oof", type=Path, help="write train's out-of-fold predictions here")
    ap.add_argument("--write", action="store_true", help="train on all and write the weights")
    args = ap.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    import django

    django.setup()
    score = _load_scorer(args.gold)
    articles = list(record(args.cache))
    examples = label(score, args.gold, articles)
    tmp = (args.oof or Path("var/boundaries.tmp.jsonl"))
    base = _score(score, args.gold, [a[1] for a in articles], tmp)
    print(f"recorded items {len(examples)}; rules alone: all F1 {base['f1']:.4f} "
          f"exact F1 {base['exact_f1']:.4f}", file=sys.stderr)
    best = None
    for c in C_GRID:
        per_fold = {k: train([e for e in examples if _fold(e[0]) != k], c) for k in range(FOLDS)}
        m = _score(score, args.gold, apply(articles, lambda n: per_fold[_fold(n)]), tmp)
        print(f"C={c}: out of fold all F1 {m['f1']:.4f} exact F1 {m['exact_f1']:.4f} "
              f"(P {m['precision']:.4f} R {m['recall']:.4f})", file=sys.stderr)
        if best is None or m["exact_f1"] > best[1]["exact_f1"]:
            best = (c, m)
    c, m = best
    print(f"chosen C={c}", file=sys.stderr)
    if args.write:
        from factcheck.extract.attribution import boundaries

        weights = train(examples, c)
        card = {
            "about": "Edge model for unquoted reported speech; see boundaries.py. Trained by "
                     "training/attribution/boundaries.py on PolNeAR train.",
            "C": c, "window": boundaries.WINDOW, "folds": FOLDS,
            "train_rules_alone": {"all_f1": round(base["f1"], 4),
                                  "exact_f1": round(base["exact_f1"], 4)},
            "train_out_of_fold": {"all_f1": round(m["f1"], 4), "exact_f1": round(m["exact_f1"], 4)},
            "weights": weights,
        }
        boundaries.WEIGHTS_FILE.write_text(json.dumps(card, indent=0, sort_keys=True) + "\n")
        print(f"wrote {boundaries.WEIGHTS_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
