"""K-fold cross-validation along a path, with glmnet's λ_min and λ_1se.

The λ grid comes from the whole data (as ``cv.glmnet`` does); each fold standardises
with its own training rows only, fits the path on that grid and scores the held-out
rows.  With fold sizes n_f and fold errors e_f(λ):

    mean(λ) = Σ n_f·e_f(λ) / n,      se(λ) = sqrt( Σ n_f·(e_f(λ) − mean(λ))² / n / (K − 1) )

λ_min minimises mean; λ_1se is the largest λ whose mean is within one standard error of
the minimum, mean(λ) ≤ mean(λ_min) + se(λ_min) (glmnet's ``getOptcv.glmnet``).

When n > p every fold's Gram matrix comes from the full one by subtracting the held-out
rows' part (``Problem``'s moments are shifted to the fold's own mean and scale), so K folds
cost one pass over the data instead of K − 1.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from regcore.path import Path, fit_path
from regcore.solvers.problem import GRAM_MAX_P, Problem, check_xy


@dataclass
class CVResult:
    lambdas: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    fold_mse: np.ndarray  # K × n_λ
    lambda_min: float
    lambda_1se: float
    index_min: int
    index_1se: int
    folds: np.ndarray  # the fold of each row
    path: Path  # fitted on all the rows


def fold_ids(n: int, k: int, seed: int = 0) -> np.ndarray:
    """Fold number (0 … k−1) of each of n rows: a seeded shuffle dealt round-robin."""
    perm = np.random.default_rng(seed).permutation(n)
    ids = np.empty(n, dtype=int)
    ids[perm] = np.arange(n) % k
    return ids


def one_se_rule(lambdas: np.ndarray, mean: np.ndarray, se: np.ndarray) -> tuple[int, int]:
    """(index of λ_min, index of λ_1se) for a decreasing λ grid."""
    i_min = int(np.argmin(mean))
    within = np.flatnonzero(mean <= mean[i_min] + se[i_min])
    i_1se = int(within[np.argmax(lambdas[within])])
    return i_min, i_1se


def cross_validate(X, y, penalty: str = "lasso", alpha: float | None = None, k: int = 10, seed: int = 0,
                   lambdas=None, n_lambdas: int = 100, lambda_min_ratio: float | None = None,
                   standardize: bool = True, fit_intercept: bool = True, tol: float = 1e-10,
                   progress: Callable[[int, int], None] | None = None) -> CVResult:
    """K-fold cross-validation of ``fit_path`` (see the module docstring).

    ``progress(done, k)`` is called after each fold.
    """
    X, y, names = check_xy(X, y)
    n = X.shape[0]
    if not (isinstance(k, int | np.integer) and 2 <= k <= n):
        raise ValueError(f"K must be a whole number from 2 to the number of rows ({n}); got {k}.")
    full = fit_path(X, y, penalty, alpha, lambdas=lambdas, n_lambdas=n_lambdas, lambda_min_ratio=lambda_min_ratio,
                    standardize=standardize, fit_intercept=fit_intercept, tol=tol, feature_names=names)
    ids = fold_ids(n, k, seed)
    fold_mse = np.empty((k, full.lambdas.size))
    sizes = np.bincount(ids, minlength=k)
    for f, prob in enumerate(fold_problems(X, y, ids, k, standardize=standardize, fit_intercept=fit_intercept)):
        path = fit_path(None, None, full.penalty, full.alpha, lambdas=full.lambdas, tol=tol, problem=prob)
        held = ids == f
        resid = y[held, None] - (X[held] @ path.coef.T + path.intercept[None, :])
        fold_mse[f] = np.mean(resid * resid, axis=0)
        if progress is not None:
            progress(f + 1, k)
    mean = sizes @ fold_mse / n
    se = np.sqrt(sizes @ (fold_mse - mean) ** 2 / n / (k - 1))
    i_min, i_1se = one_se_rule(full.lambdas, mean, se)
    return CVResult(lambdas=full.lambdas, mean=mean, se=se, fold_mse=fold_mse,
                    lambda_min=float(full.lambdas[i_min]), lambda_1se=float(full.lambdas[i_1se]),
                    index_min=i_min, index_1se=i_1se, folds=ids, path=full)


def fold_problems(X: np.ndarray, y: np.ndarray, ids: np.ndarray, k: int, *, standardize: bool = True,
                  fit_intercept: bool = True) -> Iterator[Problem]:
    """The training problem of each fold, standardised with that fold's training rows."""
    n, p = X.shape
    if not (n - np.bincount(ids).max() >= p and p <= GRAM_MAX_P):
        for f in range(k):
            train = ids != f
            yield Problem.from_data(X[train], y[train], standardize=standardize, fit_intercept=fit_intercept)
        return
    # Gram by subtraction: centre once globally, then shift each fold's moments to its own mean.
    m = X.mean(axis=0) if fit_intercept else np.zeros(p)
    ym = float(y.mean()) if fit_intercept else 0.0
    Xc, yc = X - m, y - ym
    S, sxy, syy = Xc.T @ Xc, Xc.T @ yc, float(yc @ yc)
    sx, sy = Xc.sum(axis=0), float(yc.sum())
    for f in range(k):
        held = ids == f
        XF, yF = Xc[held], yc[held]
        nT = n - XF.shape[0]
        C, cxy, cyy = S - XF.T @ XF, sxy - XF.T @ yF, syy - float(yF @ yF)
        mu, my = np.zeros(p), 0.0
        if fit_intercept:
            mu, my = (sx - XF.sum(axis=0)) / nT, (sy - float(yF.sum())) / nT
            C = C - nT * np.outer(mu, mu)
            cxy = cxy - nT * mu * my
            cyy = cyy - nT * my * my
        var = np.diag(C) / nT
        if (np.diag(C) < 1e-6 * np.diag(S)).any():
            # held-out rows carry nearly all of a column's spread (an outlier): subtracting
            # them would leave only rounding, so build this fold from its rows instead
            train = ids != f
            yield Problem.from_data(X[train], y[train], standardize=standardize, fit_intercept=fit_intercept)
            continue
        constant = np.zeros(p, dtype=bool)
        if fit_intercept:  # constant on the training rows, up to the rounding of the subtraction
            constant = np.diag(C) <= 1e-10 * np.diag(S)
        scale = np.sqrt(np.where(constant | (var <= 0), 1.0, var)) if standardize else np.ones(p)
        G = C / np.outer(scale, scale) / nT
        c = cxy / scale / nT
        G[constant, :] = 0.0
        G[:, constant] = 0.0
        c[constant] = 0.0
        yield Problem(n=nT, mean=m + mu, scale=scale, y_mean=ym + my, c=c, yy=max(cyy / nT, 0.0), G=G)
