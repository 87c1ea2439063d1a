"""Nested out-of-fold estimates of the candidate scorers over the training debates.

    # the first stage (project venv; about 10 minutes on one core)
    python -m training.checkworthy.nested first-stage --train T --dev D --dev-test DT \
        --cache RUN/cache --out RUN/first_stage.npz
    # the table (any venv with numpy), from that and finetune_minilm.py's five blocks
    python -m training.checkworthy.nested report --first-stage RUN/first_stage.npz \
        --minilm RUN/minilm_h0.npz ... RUN/minilm_h4.npz [--minilm-all RUN/minilm_all.npz] \
        [--json RUN/nested.json]

Blocks are `blocked_folds` (5 runs of contiguous sentence ids, whole debates). For block
k every candidate is fitted without block k, and everything it chooses is chosen on the
other four: the first stage's epochs (by their out-of-fold AUC there) and the threshold
(best F1 of the other blocks' out-of-fold probabilities). Block k is scored once, at the
end. Candidates: the first stage, the fine-tuned MiniLM, and their mean. dev and dev-test
are reported, never used: the first stage as shipped (fitted on all of train), the
MiniLM as the mean of its five block models.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

from .metrics import best_threshold, blocked_folds, f1_at, roc_auc


def first_stage(args) -> int:
    import spacy

    from factcheck.extract.checkworthy import get_model

    from . import train

    cfg = train.TrainConfig(seed=0)
    model = get_model()
    nlp = spacy.load(train.DEFAULT_MODEL)
    cache = train.Path(args.cache) if args.cache else None
    sents, xy = train.labelled_split(nlp, args.train, "train", cfg, model.vectors, cache)
    ids = train.sentence_order(sents)
    folds = blocked_folds(ids, cfg.folds)
    oof = train.out_of_fold(cfg, xy, folds)  # [member, epoch, sentence]
    y = xy[2]
    per_block = np.zeros((cfg.folds, len(y)), np.float32)
    for k in range(cfg.folds):
        others = folds != k
        member_p = []
        for i, member in enumerate(cfg.members):
            aucs = [roc_auc(oof[i, ep, others], y[others]) for ep in range(member.epochs)]
            member_p.append(oof[i, int(np.argmax(np.round(aucs, 4)))])
        per_block[k] = np.mean(member_p, 0)
    out = {"ids": ids, "y": y, "per_block": per_block}
    for name, path in (("dev", args.dev), ("dev_test", args.dev_test)):
        if path:
            s, (x, h, yy) = train.labelled_split(nlp, path, name, cfg, model.vectors, cache)
            out[f"{name}_ids"] = np.array([int(t.id) for t in s])
            out[f"{name}_y"] = yy
            out[f"{name}_probs"] = model.predict(x, h)
    np.savez(args.out, **out)
    return 0


def _aligned(target_ids, ids, probs):
    where = {int(i): j for j, i in enumerate(ids)}
    return np.array([probs[where[int(i)]] for i in target_ids], np.float32)


def candidates(fs, minilm_files):
    """Per candidate: the probabilities block k's choices are made on and scored by
    ([k, sentence]), and dev / dev-test probabilities."""
    ids = fs["ids"]
    held_ids = np.concatenate([m["ids"] for m in minilm_files])
    held = np.concatenate([m["probs"] for m in minilm_files])
    m_oof = _aligned(ids, held_ids, held)
    k = len(fs["per_block"])
    out = {"first stage": {"blocks": fs["per_block"]},
           "MiniLM": {"blocks": np.tile(m_oof, (k, 1))},
           "mean of both": {"blocks": (fs["per_block"] + m_oof) / 2}}
    for split in ("dev", "dev_test"):
        if f"{split}_probs" not in fs:
            continue
        mp = np.mean([_aligned(fs[f"{split}_ids"], m[f"{split}_ids"], m[f"{split}_probs"])
                      for m in minilm_files], 0)
        out["first stage"][split] = fs[f"{split}_probs"]
        out["MiniLM"][split] = mp
        out["mean of both"][split] = (fs[f"{split}_probs"] + mp) / 2
    return out


def evaluate(c, fs) -> dict:
    y, ids = fs["y"], fs["ids"]
    folds = blocked_folds(ids, len(c["blocks"]))
    f1s, aucs, thresholds, best = [], [], [], []
    pooled = np.zeros(len(y), np.float32)
    for k, p in enumerate(c["blocks"]):
        mine, others = folds == k, folds != k
        t, _ = best_threshold(p[others], y[others])
        thresholds.append(t)
        f1s.append(f1_at(p[mine], y[mine], t))
        aucs.append(roc_auc(p[mine], y[mine]))
        best.append(best_threshold(p[mine], y[mine])[0])
        pooled[mine] = p[mine]
    # The threshold to ship: best F1 of all five held-out blocks' probabilities.
    t_ship, f1_pooled = best_threshold(pooled, y)
    r = {"nested_f1_mean": float(np.mean(f1s)), "nested_f1_sd": float(np.std(f1s, ddof=1)),
         "block_f1": f1s, "block_auc": aucs, "auc_mean": float(np.mean(aucs)),
         "pooled_auc": roc_auc(pooled, y), "pooled_f1": f1_pooled,
         "block_threshold_from_others": thresholds, "block_own_best_threshold": best,
         "threshold": t_ship}
    for split in ("dev", "dev_test"):
        if split in c:
            yy = fs[f"{split}_y"]
            r[split] = {"f1": f1_at(c[split], yy, t_ship), "auc": roc_auc(c[split], yy),
                        "best_f1_info_only": best_threshold(c[split], yy)}
    return r


def report(args) -> int:
    fs = dict(np.load(args.first_stage))
    minilm = [dict(np.load(f)) for f in args.minilm]
    results = {name: evaluate(c, fs) for name, c in candidates(fs, minilm).items()}
    for name, r in results.items():
        print(f"{name}: nested F1 {r['nested_f1_mean']:.3f} ± {r['nested_f1_sd']:.3f} "
              f"(blocks {', '.join(f'{v:.3f}' for v in r['block_f1'])}); AUC "
              f"{r['auc_mean']:.3f} (blocks {', '.join(f'{v:.3f}' for v in r['block_auc'])}); "
              f"threshold {r['threshold']:.2f} (chosen per block: "
              f"{', '.join(f'{v:.2f}' for v in r['block_threshold_from_others'])}; each block's "
              f"own best {', '.join(f'{v:.2f}' for v in r['block_own_best_threshold'])})")
        for split in ("dev", "dev_test"):
            if split in r:
                print(f"    {split}: F1 {r[split]['f1']:.3f} AUC {r[split]['auc']:.3f}")
    base = results["first stage"]["block_f1"]
    for name in ("MiniLM", "mean of both"):
        d = np.array(results[name]["block_f1"]) - base
        print(f"{name} minus first stage, by block: {', '.join(f'{v:+.3f}' for v in d)}")
    if args.minilm_all:
        # The MiniLM fitted on all of train (what ships), at the MiniLM's threshold.
        full, t = dict(np.load(args.minilm_all)), results["MiniLM"]["threshold"]
        for split in ("dev", "dev_test"):
            if f"{split}_y" in fs:
                p = _aligned(fs[f"{split}_ids"], full[f"{split}_ids"], full[f"{split}_probs"])
                yy = fs[f"{split}_y"]
                results["MiniLM"][f"{split}_fitted_on_all_of_train"] = {
                    "f1": f1_at(p, yy, t), "auc": roc_auc(p, yy)}
                print(f"MiniLM fitted on all of train, {split}: F1 {f1_at(p, yy, t):.3f} "
                      f"AUC {roc_auc(p, yy):.3f} at {t:.2f}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="nested", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("first-stage")
    a.add_argument("--train", required=True)
    a.add_argument("--dev")
    a.add_argument("--dev-test")
    a.add_argument("--cache")
    a.add_argument("--out", required=True)
    b = sub.add_parser("report")
    b.add_argument("--first-stage", required=True)
    b.add_argument("--minilm", nargs="+", required=True)
    b.add_argument("--minilm-all", help="the MiniLM fitted on all of train (--holdout -1)")
    b.add_argument("--json")
    args = ap.parse_args(argv)
    return first_stage(args) if args.cmd == "first-stage" else report(args)


if __name__ == "__main__":
    sys.exit(main())
