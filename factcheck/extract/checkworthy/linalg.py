"""How the scorer's numpy code multiplies matrices: numpy's OpenBLAS, on one thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from threadpoolctl import ThreadpoolController

_controller: ThreadpoolController | None = None
_lock = threading.Lock()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Hold numpy's BLAS to one thread for the block: on products this small (tens of
    rows) OpenBLAS, left to start a thread per core, spends 2.4x the CPU time. The limit is
    process-wide while it lasts; another thread inside only keeps it longer."""
    global _controller
    if _controller is None:
        with _lock:
            if _controller is None:
                # Finding the loaded BLAS libraries takes milliseconds: do it once.
                _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield
