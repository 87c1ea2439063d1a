"""Reproducible training of the claim scorer (numpy only, fixed seed).

    python -m training.checkworthy.train --train TRAIN.tsv --dev DEV.tsv \
        [--dev-test DEV_TEST.tsv] [--seed 0] [--out DIR]

Every choice (each member's number of epochs, the decision threshold) is made on
out-of-fold predictions over `train`, in folds blocked by sentence id so that whole
debates are held out (`blocked_folds`). `dev` and `dev-test` are only reported: `dev` is a
random sample of the training debates (it flatters: AUC 0.98 against 0.89 out of fold)
and `dev-test` is small and from later debates; a model tuned to either disappoints on
new ones.
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

from factcheck.extract import DEFAULT_MODEL
from factcheck.extract.checkworthy.data import Sentence, read_sentences
from factcheck.extract.checkworthy.features import Featurizer
from factcheck.extract.checkworthy.model import MODEL_DIR, VECTORS_FILE, Model, load_vectors

from .metrics import best_threshold, blocked_folds, f1_at, roc_auc


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
    # Folds for the out-of-fold choice of epochs and threshold (see `blocked_folds`).
    folds: int = 5
    # Three n-gram-aware linear models and three MLPs that see only syntax, entities,
    # the tok2vec context and word vectors: the average ranks better out of fold than
    # either kind alone, and the MLPs keep it from leaning on one debate's phrasing.
    members: list[MemberConfig] = field(default_factory=lambda: [
        *(MemberConfig(hidden=0, use_hash=True, l2=1e-5, seed=i) for i in range(3)),
        *(MemberConfig(hidden=128, use_hash=False, l2=1e-4, dropout=0.5, seed=i)
          for i in range(3)),
    ])


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


def _subset(xy, idx):
    x, h, y = xy
    return x[idx], [h[i] for i in idx], y[idx]


def _standardise(x):
    mu = x.mean(0)
    sd = x.std(0) + 1e-6
    return mu, sd


def out_of_fold(cfg: TrainConfig, train_xy, folds: np.ndarray, log=print) -> np.ndarray:
    """Probabilities [member, epoch, sentence], each from a member trained without the
    sentence's fold (blocked by debate, see `blocked_folds`)."""
    x, h, y = train_xy
    max_epochs = max(m.epochs for m in cfg.members)
    oof = np.zeros((len(cfg.members), max_epochs, len(y)), np.float32)
    for k in range(int(folds.max()) + 1):
        fit_idx, val_idx = np.flatnonzero(folds != k), np.flatnonzero(folds == k)
        x_f, h_f, y_f = _subset(train_xy, fit_idx)
        x_v, h_v, _ = _subset(train_xy, val_idx)
        mu, sd = _standardise(x_f)
        z_f, z_v = (x_f - mu) / sd, (x_v - mu) / sd
        for i, member in enumerate(cfg.members):
            # Each fold gets its own seeds, so the folds are not one draw repeated.
            trainer = Trainer(member, x.shape[1], cfg.n_hash, cfg.batch_size,
                              cfg.seed * 1000 + k + 1)
            for ep in range(member.epochs):
                trainer.epoch(z_f, h_f, y_f)
                oof[i, ep, val_idx] = trainer.predict(z_v, h_v)
        log(f"fold {k}: {len(val_idx)} held out ({int(y[val_idx].sum())} Yes)")
    return oof


def best_epochs(cfg: TrainConfig, oof: np.ndarray, y: np.ndarray):
    """Each member's epoch count by its out-of-fold AUC (rounded, so the earliest of near
    ties): the counts, the members' out-of-fold predictions at them, and those AUCs."""
    epochs, member_oof, best_aucs = [], [], []
    for i, member in enumerate(cfg.members):
        aucs = [roc_auc(oof[i, ep], y) for ep in range(member.epochs)]
        ep = int(np.argmax(np.round(aucs, 4)))
        epochs.append(ep + 1)
        member_oof.append(oof[i, ep])
        best_aucs.append(aucs[ep])
    return epochs, member_oof, best_aucs


def out_of_fold_model(cfg: TrainConfig, train_xy, ids: np.ndarray, log=print):
    """The shipped model's out-of-fold probabilities over `train`: each member stopped at
    its best out-of-fold epoch, the members averaged. Returns them, the folds and the
    epoch counts."""
    folds = blocked_folds(ids, cfg.folds)
    oof = out_of_fold(cfg, train_xy, folds, log=log)
    epochs, member_oof, aucs = best_epochs(cfg, oof, train_xy[2])
    for i, member in enumerate(cfg.members):
        kind = f"MLP{member.hidden}" if member.hidden else "LR"
        log(f"member {i} ({kind}{'+ngrams' if member.use_hash else ''}, seed {member.seed}): "
            f"out-of-fold AUC {aucs[i]:.3f} after {epochs[i]} epochs")
    return np.mean(member_oof, 0), folds, epochs


def fit(cfg: TrainConfig, train_xy, ids: np.ndarray, vectors=None, log=print) -> Model:
    """Choose each member's epoch count and the threshold out of fold, then train on all.

    Out-of-fold predictions over `train` (blocked by debate) pick each member's epoch
    (best AUC) and the decision threshold (best F1 of the averaged members); `dev` and
    `dev-test` take no part in any choice.
    """
    x_tr, h_tr, y_tr = train_xy
    p_oof, folds, epochs = out_of_fold_model(cfg, train_xy, ids, log=log)
    threshold, f1 = best_threshold(p_oof, y_tr)
    per_fold = [best_threshold(p_oof[folds == k], y_tr[folds == k])[0]
                for k in range(cfg.folds)]
    log(f"out-of-fold: AUC {roc_auc(p_oof, y_tr):.3f}, F1 {f1:.3f} at threshold {threshold:.2f} "
        f"(per-fold best thresholds {per_fold})")

    mu, sd = _standardise(x_tr)
    z_tr = (x_tr - mu) / sd
    params = {"mu": mu.astype(np.float32), "sd": sd.astype(np.float32)}
    members = []
    for i, member in enumerate(cfg.members):
        trainer = Trainer(member, x_tr.shape[1], cfg.n_hash, cfg.batch_size, cfg.seed)
        for _ in range(epochs[i]):
            trainer.epoch(z_tr, h_tr, y_tr)
        params.update({f"{i}.{k}": v.copy() for k, v in trainer.p.items()})
        members.append(asdict(member) | {"epochs_trained": epochs[i]})
    config = {
        "threshold": threshold,
        "threshold_method": f"best F1 of out-of-fold predictions, {cfg.folds} folds "
                            "blocked by sentence id (debate)",
        "out_of_fold": {
            "f1": round(f1, 4),
            "auc": round(roc_auc(p_oof, y_tr), 4),
            "per_fold_best_threshold": per_fold,
            "latest_block_best_threshold": per_fold[-1],
        },
        "n_members": len(members),
        "n_hash": cfg.n_hash,
        "use_tensor": cfg.use_tensor,
        "vectors": vectors is not None,
        "seed": cfg.seed,
        "members": members,
    }
    return Model(params, config, vectors)


def save_model(model: Model, directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    # Matrices in float16 halve the shipped size; the rounding moves scores by < 1e-3.
    np.savez_compressed(directory / "model.npz", **{
        k: v.astype(np.float16 if v.ndim == 2 else np.float32) for k, v in model.params.items()})
    (directory / "model.json").write_text(json.dumps(model.config, indent=2) + "\n")


def precision_recall(p: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float]:
    pred = p >= threshold
    tp = float((pred & (y == 1)).sum())
    return (tp / pred.sum() if pred.sum() else 0.0), (tp / (y == 1).sum() if (y == 1).any() else 0.0)


def evaluate(model: Model, xy) -> dict:
    x, h, y = xy
    p = model.predict(x, h)
    best_t, best_f1 = best_threshold(p, y)
    precision, recall = precision_recall(p, y, model.threshold)
    return {
        "f1": round(f1_at(p, y, model.threshold), 4),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
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
    ap.add_argument("--spacy-model", default=DEFAULT_MODEL)
    ap.add_argument("--vectors", default=str(MODEL_DIR),
                    help=f"directory holding {VECTORS_FILE}; '' to train without word vectors")
    ap.add_argument("--config", help="JSON of TrainConfig fields to override")
    args = ap.parse_args(argv)
    return run(args.train, args.dev, args.dev_test, seed=args.seed, out=args.out,
               cache=args.cache, spacy_model=args.spacy_model, vectors_dir=args.vectors,
               overrides=json.loads(args.config) if args.config else None)


def sentence_order(sentences: list[Sentence]) -> np.ndarray:
    """Numeric sentence ids (debate order in ClaimBuster); file order if any is not a number."""
    try:
        return np.array([int(s.id) for s in sentences], dtype=np.int64)
    except ValueError:
        return np.arange(len(sentences))


def labelled_split(nlp, path: str, name: str, cfg: TrainConfig, vectors=None,
                   cache: Path | None = None):
    """A data file's labelled sentences and their (dense, hashed, label) arrays."""
    sentences = [s for s in read_sentences(path) if s.label is not None]
    docs = parse(nlp, sentences, cache, name)
    x, h = featurize_docs(Featurizer(cfg.n_hash, cfg.use_tensor, vectors), docs)
    return sentences, (x, h, np.array([s.label for s in sentences], dtype=np.float32))


def run(train, dev, dev_test=None, *, seed=0, out=str(MODEL_DIR), cache=None,
        spacy_model=DEFAULT_MODEL, vectors_dir=str(MODEL_DIR), overrides=None,
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
    ids = None
    for name, path in splits.items():
        t0 = time.perf_counter()
        sentences, (x, h, y) = labelled_split(nlp, path, name, cfg, vectors, cache_dir)
        xy[name] = (x, h, y)
        if name == "train":
            ids = sentence_order(sentences)
        log(f"{name}: {len(sentences)} sentences ({int(y.sum())} Yes), "
            f"read+parse+featurize {time.perf_counter() - t0:.1f}s")
    model = fit(cfg, xy["train"], ids, vectors, log=log)
    card = Path(out) / "model.json"
    shipped = json.loads(card.read_text()).get("shipped") if card.exists() else None
    save_model(model, Path(out))
    # Report what the shipped (float16) files give, not the float32 weights in memory.
    model = Model.load(Path(out))
    scores = {name: evaluate(model, xy[name]) for name in xy if name != "train"}
    model.config["scores"] = scores
    # Other ways to pick the threshold, for the record only (the model keeps its own).
    oof = model.config["out_of_fold"]
    alternatives = {
        "best F1 on dev": scores["dev"]["best_threshold"],
        "best F1 on the latest training block": oof["latest_block_best_threshold"],
        "median of per-fold best": float(np.median(oof["per_fold_best_threshold"])),
    }
    model.config["threshold_alternatives"] = {
        how: {"threshold": t} | {
            name: round(f1_at(model.predict(*xy[name][:2]), xy[name][2], t), 4)
            for name in xy if name != "train"
        }
        for how, t in alternatives.items()
    }
    model.config["spacy_model"] = spacy_model
    if shipped:
        model.config["shipped"] = shipped  # the MiniLM's, kept: a new feature model leaves it
    # The model card names the files it describes (tests check them against it).
    model.config["sha256"] = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                              for p in sorted(Path(out).iterdir()) if p.name != "model.json"}
    (Path(out) / "model.json").write_text(json.dumps(model.config, indent=2) + "\n")
    log(f"threshold (chosen out of fold on train): {model.threshold:.2f}")
    for name, s in scores.items():
        log(f"{name}: F1(Yes) {s['f1']:.3f}  AUC {s['auc']:.3f}  "
            f"(best-threshold F1 {s['best_threshold_f1']:.3f} @ {s['best_threshold']:.2f}, "
            "information only)")
    for how, row in model.config["threshold_alternatives"].items():
        log(f"  (not used) threshold by {how}: {row['threshold']:.2f} -> "
            + ", ".join(f"{k} F1 {v:.3f}" for k, v in row.items() if k != "threshold"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
