"""What every benchmark needs: interleaved timing, the objective, the machine, a table.

Ratios measured in one process, with the two sides interleaved (a, b, a, b, …) so that both
share the machine's noise, are what issue notes quote; absolute times move with the load.
"""

from __future__ import annotations

import contextlib
import gc
import os
import platform
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np


@dataclass
class Timing:
    """Seconds per call in each timed run of one side, and what its warm-up run returned.

    ``first`` holds each run's first call alone (the same as ``seconds`` where a run is one
    call) and ``calls`` the most calls any run made.
    """

    seconds: list[float]
    result: object
    warnings: list[str] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    calls: int = 1

    @property
    def median_ms(self) -> float:
        return 1e3 * statistics.median(self.seconds)

    @property
    def first_ms(self) -> float:
        return 1e3 * statistics.median(self.first or self.seconds)


MIN_RUN_S = 0.05  # a run lasts at least this long: shorter calls are repeated back-to-back in it


def run_once(fn: Callable[[], object], min_run_s: float = 0.0) -> tuple[float, object, float, int]:
    """(seconds per call, result, seconds of the first call, calls) of one run.

    The garbage collector is held off as timeit does.  A call shorter than ``min_run_s``
    is repeated back-to-back until the run has lasted that long, and the run reports the
    mean per call (timeit's autorange): a single sub-millisecond call right after the other
    side's run measures mostly the caches that run evicted.
    """
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        result = fn()
        first = time.perf_counter() - start
        calls, took = 1, first
        while took < min_run_s:
            fn()
            calls += 1
            took = time.perf_counter() - start
        return took / calls, result, first, calls
    finally:
        gc.enable()


WARMUP_KEEP_S = 1.0  # a first run this long counts as a timed run: first-call costs are lost in it


def time_interleaved(
    sides: dict[str, Callable[[], object]], repeats: int, min_run_s: float = MIN_RUN_S
) -> dict[str, Timing]:
    """Time every side ``repeats`` times, interleaved (a, b, a, b, …), after a warm-up each.

    The warm-up's result is the one to check for accuracy, and the warnings it raised
    (e.g. scikit-learn's ConvergenceWarning) are kept; the timed runs are silent.  A
    warm-up that took ``WARMUP_KEEP_S`` or more is kept as the first timed run, which
    saves a sixth of the time of the slow tasks without letting first-call costs
    (imports, caches) weigh on the fast ones.  Each timed run lasts at least
    ``min_run_s`` (see ``run_once``).
    """
    results, caught = {}, {}
    seconds: dict[str, list[float]] = {}
    firsts: dict[str, list[float]] = {}
    calls = dict.fromkeys(sides, 1)
    for name, fn in sides.items():
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            took, results[name], _, _ = run_once(fn)
        caught[name] = sorted({w.category.__name__ for w in seen})
        seconds[name] = [took] if took >= WARMUP_KEEP_S else []
        firsts[name] = list(seconds[name])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(repeats):
            for name, fn in sides.items():
                if len(seconds[name]) < repeats:
                    took, _, first, made = run_once(fn, min_run_s)
                    seconds[name].append(took)
                    firsts[name].append(first)
                    calls[name] = max(calls[name], made)
    return {
        name: Timing(seconds[name], results[name], caught[name], firsts[name], calls[name])
        for name in sides
    }


def objective(
    X: np.ndarray,
    y: np.ndarray,
    coefs: np.ndarray,
    intercepts: np.ndarray,
    lambdas: np.ndarray,
    alpha: float,
) -> np.ndarray:
    """(1/n)·‖y − b − Xw‖² + λ·[α‖w‖₁ + (1 − α)‖w‖²] for each row w of ``coefs``.

    Computed from the residuals themselves (not from a Gram expansion, which loses the
    digits a 1e-10 comparison needs), a few λ at a time to bound the memory.
    """
    coefs = np.atleast_2d(coefs)
    intercepts = np.broadcast_to(np.asarray(intercepts, dtype=float), (coefs.shape[0],))
    out = np.empty(coefs.shape[0])
    step = max(1, 2_000_000 // X.shape[0])
    for lo in range(0, coefs.shape[0], step):
        W = coefs[lo : lo + step]
        R = y[:, None] - intercepts[None, lo : lo + step] - X @ W.T
        out[lo : lo + step] = np.mean(R * R, axis=0)
    penalty = alpha * np.abs(coefs).sum(axis=1) + (1.0 - alpha) * (coefs * coefs).sum(axis=1)
    return out + np.asarray(lambdas, dtype=float) * penalty


def worst_excess(obj: np.ndarray, ref: np.ndarray) -> float:
    """max over λ of (obj − ref)/ref: how far a side sits above the reference (< 0: below it)."""
    return float(np.max((obj - ref) / ref))


def blas_threads(limit: int | None):
    """A context that caps the BLAS and OpenMP thread pools of both sides (None: leave them)."""
    if limit is None:
        return contextlib.nullcontext()
    import sklearn.linear_model  # noqa: F401  (loads scipy's BLAS and OpenMP, so the cap reaches them too)
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=limit)


def load_kernel() -> None:
    """Make the compiled path kernel ready in this process before anything is timed: while a
    compile is pending (a cold or stale numba cache), small paths would run its Python route
    (``regcore.solvers.kernel.python_route``), and a benchmark measures the compiled solver."""
    from regcore.solvers import kernel

    kernel.load()


def environment_lines() -> list[str]:
    """Versions, BLAS threading and the environment variables that steer BLAS."""
    import numpy
    import sklearn

    lines = [
        f"python {platform.python_version()}, numpy {numpy.__version__}, "
        f"scikit-learn {sklearn.__version__}, {os.cpu_count()} CPUs, "
        f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}"
    ]
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        lines.append("threadpoolctl not installed: BLAS threading unknown")
    else:
        for pool in threadpool_info():
            lib = os.path.basename(pool.get("filepath", "?"))
            lines.append(
                f"  {pool['user_api']:6s} {pool['internal_api']:8s} {pool.get('version') or '':12s} "
                f"threads={pool['num_threads']} arch={pool.get('architecture', '-')} ({lib})"
            )
    steer = {
        k: v
        for k, v in sorted(os.environ.items())
        if k.startswith(("OPENBLAS_", "OMP_", "MKL_", "BLIS_")) and k != "OPENBLAS_CORETYPE"
    }
    if steer:
        lines.append("BLAS environment: " + ", ".join(f"{k}={v}" for k, v in steer.items()))
    load, cpus = os.getloadavg()[0], os.cpu_count() or 1
    if load > cpus - 0.5:
        lines.append(
            f"warning: the machine is busy (load {load:.1f} on {cpus} CPUs): multithreaded BLAS can "
            "stall on small products, so expect noise; --blas-threads 1 avoids the stalls."
        )
    coretype = os.environ.get("OPENBLAS_CORETYPE")
    if coretype:
        lines.append(
            f"note: OPENBLAS_CORETYPE={coretype} is set, so OpenBLAS uses its {coretype} kernels "
            "instead of detecting the CPU (left as found; both sides share it)."
        )
    return lines


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain text table, columns padded to their widest cell, numbers right-aligned."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells):
        return "  ".join(
            str(c).rjust(w) if _numeric(c) else str(c).ljust(w)
            for c, w in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


def _numeric(cell) -> bool:
    try:
        float(str(cell))
    except ValueError:
        return False
    return True
