"""Paths and cross-validation from ``Moments`` alone: no row is read again.

The path on the training rows is ``fit_path(moments=m)``.  Cross-validation follows
``regcore.cv``: the λ grid comes from every training row, each fold's training problem is
made from the other folds' moments merged (so it standardises with its own training rows),
and the held-out fold is scored from its centred moments (``Moments.mse``).  The certificate
of every λ is the duality gap computed from G, as for any Gram-mode problem.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from regcore.cv import CVResult, summarise
from regcore.moments.stats import Moments
from regcore.path import Path, fit_path


def cross_validate(
    moments: Moments,
    penalty: str = "lasso",
    alpha: float | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    **options,
) -> CVResult:
    """K-fold CV over the moments' own k folds; ``CVResult.folds`` is then empty (no rows).

    ``options`` are ``fit_path``'s (``lambdas``, ``n_lambdas``, ``lambda_min_ratio``,
    ``standardize``, ``fit_intercept``, ``tol``); ``progress(done, k)`` follows each fold.
    """
    k = moments.k
    sizes = moments.n[:k].astype(np.int64)
    if k < 2 or (sizes == 0).any():
        raise ValueError(
            f"Cross-validation needs at least 2 folds with rows; these moments have {k} "
            f"fold(s) of sizes {sizes.tolist()}."
        )
    full = fit_path(penalty=penalty, alpha=alpha, moments=moments, **options)
    standardize = options.get("standardize", True)
    fit_intercept = options.get("fit_intercept", True)
    fold_curves = np.empty((k, full.lambdas.size))
    for f in range(k):
        prob = moments.to_problem(standardize, fit_intercept, [g for g in range(k) if g != f])
        path = fit_path(
            penalty=full.penalty, alpha=full.alpha, lambdas=full.lambdas, tol=full.tol, problem=prob
        )
        fold_curves[f] = moments.mse(f, path.coef, path.intercept)
        if progress is not None:
            progress(f + 1, k)
    return summarise(full, fold_curves, sizes, np.empty(0, dtype=int))


def train_test_mse(moments: Moments, path: Path) -> tuple[np.ndarray, np.ndarray]:
    """Mean squared error of every λ of ``path`` on the training rows and on the test rows
    (NaN without test rows)."""
    train = moments.training().mse(0, path.coef, path.intercept)
    return train, moments.mse(moments.k, path.coef, path.intercept)
