"""The one matrix product the scorer's numpy code uses."""

from __future__ import annotations

import numpy as np

try:
    # spaCy's own matrix library. numpy's OpenBLAS starts threads even for the small
    # products here and, on a busy machine, waits for them: 10-20x slower than blis.
    from blis.py import gemm as _blis_gemm
except ImportError:  # pragma: no cover - blis ships with spaCy
    _blis_gemm = None


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if _blis_gemm is not None:
        return _blis_gemm(np.ascontiguousarray(a, dtype=np.float32),
                          np.ascontiguousarray(b, dtype=np.float32))
    return a @ b
