"""Fill numba's on-disk cache before the kernels are needed: ``python -m regcore.warmup``.

The compiled kernels (``regcore.solvers.kernel``, ``regcore.solvers.logistic``) are
compiled on their first call and kept in numba's cache (``cache=True``: next to the source,
or under ``NUMBA_CACHE_DIR``), so only the first process on a fresh install pays the
compile (tens of seconds on a busy machine; bench/README.md, ``cold.py``).  ``touch()``
makes those first calls on tiny problems: every kernel that ``fit_path`` and
``cross_validate`` reach, the linear family's (``touch_linear``: Gram and data mode; lasso,
elastic net, ridge; penalty factors; CV), which the dashboard's first page needs, then the
logistic family's.  A process that runs them on a warm cache loads the kernels instead.

``python -m regcore.warmup`` runs ``touch()`` at a low CPU priority and always exits 0: a
warm-up that cannot write the cache (a read-only directory: numba then compiles without
caching) or fails otherwise only leaves the compile to the first real call, so it reports
the reason on stderr and nothing else.  Run once after installing (or in a deployment's
build step, with the cache where the server will look), it makes the first start warm.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

NICENESS = 10  # the warm-up yields the CPU to the server and the browser it runs beside


def problems():
    """(X, y) pairs, seeded: a tall one (Gram mode) and a wide one (data mode)."""
    rng = np.random.default_rng(0)
    for n, p in ((120, 6), (12, 30)):
        X = rng.normal(size=(n, p))
        yield X, X[:, 0] - X[:, 1] + rng.normal(size=n)


def touch_linear() -> None:
    """Call every kernel of the linear family once (the dashboard's default page: first).
    ``kernel.load`` first: the fits alone would take the Python route while it is not loaded."""
    from regcore import cross_validate, fit_path
    from regcore.solvers import kernel

    kernel.load()
    for X, y in problems():
        factor = np.ones(X.shape[1])
        factor[0] = 0.0
        for penalty, alpha in (("lasso", None), ("elasticnet", 0.5)):
            fit_path(X, y, penalty, alpha, n_lambdas=5, method="kernel")
            fit_path(X, y, penalty, alpha, n_lambdas=5, penalty_factor=factor)
        fit_path(X, y, "ridge", n_lambdas=5, penalty_factor=factor)
        cross_validate(X, y, "lasso", k=3, n_lambdas=5)


def touch_logistic() -> None:
    """Call every kernel of the logistic family once."""
    from regcore import fit_path

    for X, y in problems():
        labels = (y > np.median(y)).astype(float)
        fit_path(X, labels, "lasso", n_lambdas=5, family="logistic")
        fit_path(X, labels, "elasticnet", 0.5, n_lambdas=5, family="logistic")


def touch() -> None:
    """Call every compiled kernel once, on tiny problems (see the module docstring)."""
    touch_linear()
    touch_logistic()


def main() -> int:
    """Run ``touch()`` at low priority; report on stderr, exit 0 whatever happens."""
    start = time.perf_counter()
    try:
        os.nice(NICENESS)
    except (OSError, AttributeError):
        pass  # no nice on this platform: run at the usual priority
    try:
        touch()
    except Exception as exc:  # noqa: BLE001 - a failed warm-up only defers the compile
        print(f"regcore.warmup: skipped ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 0
    print(f"regcore.warmup: kernels ready in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
