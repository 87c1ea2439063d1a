"""The claim scorer's weights and its numpy forward pass.

A logistic regression or a one-hidden-layer MLP over the span features of `features.py`:
dense inputs are standardised with the training mean/std, hashed n-gram features add
rows of an embedding-style weight table. Stored as `model.npz` (weights) and
`model.json` (configuration, threshold, the scores it was selected on).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .features import Featurizer

MODEL_DIR = Path(__file__).resolve().parent / "model"


@dataclass
class Model:
    params: dict[str, np.ndarray]
    config: dict = field(default_factory=dict)

    def __post_init__(self):
        self.featurizer = Featurizer(
            n_hash=int(self.config.get("n_hash", 2**14)),
            use_tensor=bool(self.config.get("use_tensor", True)),
        )
        self.threshold = float(self.config.get("threshold", 0.5))
        self._hidden = "w2" in self.params
        self._use_hash = "Wh" in self.params
        # float16 on disk keeps the files small; compute in float32.
        self._p = {k: np.asarray(v, dtype=np.float32) for k, v in self.params.items()}
        self._inv_sd = 1.0 / self._p["sd"]

    def logits(self, dense: np.ndarray, hashed: list[np.ndarray]) -> np.ndarray:
        p = self._p
        z = (dense - p["mu"]) * self._inv_sd
        a = z @ p["Wd"] + p["b1"]
        if self._use_hash:
            wh = p["Wh"]
            for i, h in enumerate(hashed):
                if len(h):
                    a[i] += wh[h].sum(0)
        if not self._hidden:
            return a[:, 0]
        return (np.maximum(a, 0) @ p["w2"] + p["b2"])[:, 0]

    def predict(self, dense: np.ndarray, hashed: list[np.ndarray]) -> np.ndarray:
        if len(dense) == 0:
            return np.zeros(0, dtype=np.float32)
        # Clip before exp: a far-out logit must give 0 or 1, not an overflow warning.
        return 1.0 / (1.0 + np.exp(-np.clip(self.logits(dense, hashed), -30, 30)))

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            directory / "model.npz",
            **{k: v.astype(np.float16) if v.ndim == 2 else v.astype(np.float32)
               for k, v in self.params.items()},
        )
        (directory / "model.json").write_text(json.dumps(self.config, indent=2) + "\n")

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> Model:
        with np.load(directory / "model.npz") as npz:
            params = {k: npz[k] for k in npz.files}
        config = json.loads((directory / "model.json").read_text())
        return cls(params, config)


def read_threshold(directory: Path = MODEL_DIR) -> float:
    """The decision threshold alone, without loading the weights."""
    try:
        return float(json.loads((directory / "model.json").read_text())["threshold"])
    except (OSError, KeyError, ValueError):
        return 0.5
