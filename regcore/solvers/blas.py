"""How many BLAS threads the library's own products use: one, by default.

A path's BLAS work is a few products (forming XᵀX, the certificates) around a compiled
kernel that runs on one core.  Measured on 2 cores (``bench/contention.py``,
``bench/README.md``): with another process on the machine, OpenBLAS's two threads wait on
each other, and one XᵀX of 20 000 × 50 took 2-10 × as long as on one thread; with one core
kept busy the paths lost 2-3 × against their quiet time on two threads, and about 1 × on
one.  So ``fit_path`` and ``cross_validate`` run inside ``capped()``.

threadpoolctl's limits are process wide.  ``capped`` counts the calls inside it across
threads: the first sets the limit, the last to leave restores what it found, so concurrent
fits (the dashboard's sessions are threads of one process) neither undo each other's limit
nor leave the process capped.  While a fit runs, other BLAS calls of the process are
capped too.  OpenBLAS (0.3.31 measured) ignores a limit set from another thread once the
main thread has set one itself; a fit run from such a thread then keeps BLAS as found.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

THREADS: int | None = 1  # BLAS threads inside ``capped``; None leaves BLAS as found

_lock = threading.Lock()
_depth = 0
_limiter = None
_controller = None
_pool: ThreadPoolExecutor | None = None


@contextmanager
def capped():
    """A context (or decorator) in which BLAS runs on ``THREADS`` threads."""
    global _depth, _limiter, _controller
    with _lock:
        if _depth == 0 and THREADS is not None:
            if _controller is None:  # finding the loaded libraries costs milliseconds: once
                from threadpoolctl import ThreadpoolController

                _controller = ThreadpoolController()
            _limiter = _controller.limit(limits=THREADS, user_api="blas")
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _limiter is not None:
                _limiter.restore_original_limits()
                _limiter = None


def workers() -> ThreadPoolExecutor | None:
    """A pool of one thread per core for independent BLAS calls, when inside ``capped`` on
    one thread (otherwise None: BLAS spreads each call over the cores itself).

    Parts of a product handed out one at a time go to whichever core is free, so a core
    taken by another process slows the product by its share only, where BLAS's own threads,
    each given a fixed half, wait for the slower one.  One pool per process, shared by every
    caller.
    """
    global _pool
    if THREADS != 1 or _depth == 0:
        return None
    with _lock:
        if _pool is None:
            cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
            _pool = ThreadPoolExecutor(max_workers=cores or os.cpu_count() or 1)
    return _pool
