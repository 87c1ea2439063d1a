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
    """Hold numpy's BLAS to one thread for the block.

    The products here are small (tens of rows): OpenBLAS, left to start a thread per core,
    spends 2.4x the CPU time of one thread on them and, on a busy machine, more wall time
    too. On one thread it is 3x faster than spaCy's blis (AMD EPYC, AVX-512: 90 against
    30 GFLOP/s for a 60 x 384 x 1536 product), which made the MiniLM second stage 2.5x
    cheaper. The limit is process-wide while it lasts; a thread that enters it while
    another is inside only leaves the count at one for longer, never changes a result.
    """
    global _controller
    if _controller is None:
        with _lock:
            if _controller is None:
                # Finding the loaded BLAS libraries takes milliseconds: do it once.
                _controller = ThreadpoolController()
    with _controller.limit(limits=1, user_api="blas"):
        yield
