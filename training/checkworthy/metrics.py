"""Folds and scores shared by the training scripts (numpy only)."""

from __future__ import annotations

import numpy as np


def blocked_folds(ids: np.ndarray, k: int) -> np.ndarray:
    """Fold of each sentence: k contiguous blocks of sentence ids, about equal in size.

    ClaimBuster numbers sentences debate by debate, in date order, so a block holds whole
    debates (bar its edges): a model never sees the debate it is scored on, which is
    what deployment (and the hidden test's later debates) look like. A random split, as
    `dev` is, puts the same debates on both sides and flatters: AUC 0.98 there against
    0.89 out of fold.
    """
    ranks = np.argsort(np.argsort(ids, kind="stable"), kind="stable")
    return (ranks * k // max(len(ids), 1)).astype(np.int64)


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
