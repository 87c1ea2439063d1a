"""The claim scorer's weights and its numpy forward pass.

An average of a few small members (logistic regressions over dense + hashed n-gram
features, one-hidden-layer MLPs over the dense features) sharing one input
standardisation. Files in `model/`: `model.npz` (weights, float16 matrices),
`model.json` (the model card: configuration, the threshold and how it was chosen, the
scores measured, the sha256 of each file) and `vectors.npz` (static word vectors, built by
`training/checkworthy/vectors.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .features import Featurizer, WordVectors
from .linalg import one_blas_thread

MODEL_DIR = Path(__file__).resolve().parent / "model"
VECTORS_FILE = "vectors.npz"


@dataclass
class Model:
    params: dict[str, np.ndarray]
    config: dict = field(default_factory=dict)
    vectors: WordVectors | None = None

    def __post_init__(self):
        self.featurizer = Featurizer(
            n_hash=int(self.config.get("n_hash", 2**14)),
            use_tensor=bool(self.config.get("use_tensor", True)),
            vectors=self.vectors,
        )
        self.threshold = float(self.config.get("threshold", 0.5))
        self.n_members = int(self.config.get("n_members", 1))
        # float16 on disk keeps the files small; compute in float32.
        self._p = {k: np.ascontiguousarray(v, dtype=np.float32) for k, v in self.params.items()}
        self._mu = self._p["mu"]
        self._inv_sd = 1.0 / self._p["sd"]

    def _member_logits(self, i: int, z: np.ndarray, flat_hashed: np.ndarray,
                       owners: np.ndarray) -> np.ndarray:
        p = self._p
        a = z @ p[f"{i}.Wd"] + p[f"{i}.b1"]
        wh = p.get(f"{i}.Wh")
        if wh is not None and len(flat_hashed):
            np.add.at(a, owners, wh[flat_hashed])
        if f"{i}.w2" not in p:
            return a[:, 0]
        return (np.maximum(a, 0) @ p[f"{i}.w2"] + p[f"{i}.b2"])[:, 0]

    def predict(self, dense: np.ndarray, hashed: list[np.ndarray]) -> np.ndarray:
        if len(dense) == 0:
            return np.zeros(0, dtype=np.float32)
        z = ((dense - self._mu) * self._inv_sd).astype(np.float32)
        # All spans' hashed features in one array, with the row each belongs to.
        flat = np.concatenate(hashed) if hashed else np.zeros(0, np.int64)
        owners = np.repeat(np.arange(len(hashed)), [len(h) for h in hashed])
        probs = np.zeros(len(dense), dtype=np.float64)
        with one_blas_thread():
            for i in range(self.n_members):
                logits = self._member_logits(i, z, flat, owners)
                # Clip before exp: a far-out logit must give 0 or 1, not an overflow warning.
                probs += 1.0 / (1.0 + np.exp(-np.clip(logits, -30, 30)))
        return probs / self.n_members

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> Model:
        with np.load(directory / "model.npz") as npz:
            params = {k: npz[k] for k in npz.files}
        config = json.loads((directory / "model.json").read_text())
        vectors = load_vectors(directory) if config.get("vectors") else None
        return cls(params, config, vectors)


def load_vectors(directory: Path = MODEL_DIR) -> WordVectors | None:
    path = directory / VECTORS_FILE
    if not path.exists():
        return None
    with np.load(path) as npz:
        return WordVectors(npz["keys"], npz["table"])


def read_threshold(directory: Path = MODEL_DIR, shipped: bool = False) -> float:
    """A decision threshold alone, without loading the weights: the feature model's, or
    with `shipped` the shipped score's (model.json `shipped`)."""
    try:
        config = json.loads((directory / "model.json").read_text())
    except (OSError, ValueError):
        return 0.5
    if shipped:
        config = config.get("shipped", config)
    return float(config.get("threshold", 0.5))
