r"""The logistic family: ``fit_path(..., family="logistic")`` for a 0/1 target.

It minimises, for every λ of a decreasing grid, on standardised features,

    (1/n)·Σᵢ log-loss(yᵢ, b + xᵢᵀw)  +  λ·[α·‖w‖₁ + (1 − α)·‖w‖₂²],
    log-loss(y, η) = log(1 + e^η) − y·η = −y·log p − (1 − y)·log(1 − p),   p = σ(η),

the intercept b unpenalised — the linear family's convention with the log-loss as the
error.  The solver, its certificate and λ_max are in ``regcore.solvers.logistic``.  The
default grid is the linear family's (``n_lambdas`` values from λ_max down to
λ_max·``lambda_min_ratio``); on (nearly) separable training rows the path stops early
with a note (the grid then has fewer points).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regcore.metrics import auc, deviance, misclassification
from regcore.solvers import logistic as solver
from regcore.solvers.problem import as_float_matrix, check_xy, column_scale

MEASURES = {"deviance": deviance, "misclassification": misclassification, "auc": auc}


@dataclass
class LogisticData:
    """The standardised training problem a logistic path keeps to solve off its grid."""

    XT: np.ndarray  # ``solver.coordinates``: standardised columns as rows (+ a row of ones)
    y: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    fit_intercept: bool
    v: np.ndarray

    @classmethod
    def from_data(cls, X, y, standardize: bool, fit_intercept: bool, v) -> LogisticData:
        n, p = X.shape
        if not np.isfinite(X).all():
            bad = int((~np.isfinite(X)).sum())
            raise ValueError(
                f"X contains {bad} missing or infinite value(s); impute or drop them first."
            )
        mean = X.mean(axis=0) if fit_intercept else np.zeros(p)
        XT = solver.coordinates(X - mean, fit_intercept)
        Xs = XT[:p].T  # a view: the standardised columns
        scale, constant = column_scale(Xs, X, standardize, fit_intercept)
        if standardize:
            Xs /= scale
        if constant.any():
            Xs[:, constant] = 0.0
        v = np.ones(p) if v is None else np.asarray(v, dtype=float)
        return cls(XT, y, mean, scale, fit_intercept, v)

    def to_original(self, W: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        coef = W / self.scale
        return coef, B - coef @ self.mean

    def standardised_intercept(self, coef: np.ndarray, intercept: float) -> float:
        return float(intercept + coef @ self.mean)


def check_binary(y) -> np.ndarray:
    """y as a float vector of 0s and 1s holding both; ValueError in plain words otherwise."""
    y = np.asarray(y, dtype=float)
    values = np.unique(y)
    if not np.isin(values, (0.0, 1.0)).all():
        shown = ", ".join(f"{v:g}" for v in values[:5])
        raise ValueError(
            "A logistic model needs a target of 0s and 1s; this one holds "
            f"{values.size} distinct value(s) ({shown}{', …' if values.size > 5 else ''})."
        )
    if values.size < 2:
        raise ValueError(
            f"The target holds only {int(values[0]) if values.size else 'no'} values: a "
            "logistic model needs both classes (0 and 1) among the training rows."
        )
    return y


def logistic_lambda_max(
    X, y, alpha: float = 1.0, *, standardize=True, fit_intercept=True, penalty_factor=None
) -> float:
    """λ_max of the logistic family: max_j |xs_jᵀ(y − ȳ)| / (n·α·v_j) on the standardised
    columns (the unpenalised features, if any, fitted first): the smallest λ at which every
    penalised coefficient is exactly 0 (``regcore.solvers.logistic``)."""
    from regcore.path import _check_factor

    X, y, _ = check_xy(X, y)
    y = check_binary(y)
    v = _check_factor(penalty_factor, X.shape[1])
    data = LogisticData.from_data(X, y, standardize, fit_intercept, v)
    g = solver.start(data.XT, y, data.v, fit_intercept, 1e-12)[2]
    return solver.lambda_max(g[: X.shape[1]], alpha, data.v)


def fit(
    X,
    y,
    penalty,
    alpha,
    lambdas,
    n_lambdas,
    lambda_min_ratio,
    standardize,
    fit_intercept,
    tol,
    feature_names,
    penalty_factor,
    *,
    stop_separated: bool = True,
):
    """The logistic ``Path`` (``fit_path``'s arguments; see the module docstring).

    ``stop_separated=False`` solves every λ given even on separated rows (cross-validation's
    folds, which must score the whole grid).
    """
    from regcore.path import (
        Path,
        _check_factor,
        _check_lambdas,
        lambda_grid,
        normalise_model,
    )

    penalty, alpha = normalise_model(penalty, alpha)
    if penalty == "none":
        raise ValueError(
            "Unpenalised logistic regression has no finite solution on separable data; "
            "choose lasso, ridge or elastic net (a small λ is nearly unpenalised)."
        )
    if not (np.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive number; got {tol}.")
    X, y, names = check_xy(X, y, check_finite=False)
    y = check_binary(y)
    n, p = X.shape
    names = list(feature_names) if feature_names is not None else names
    names = names or [f"x{j}" for j in range(p)]
    if len(names) != p:
        raise ValueError(f"{len(names)} feature names for {p} columns.")
    v = _check_factor(penalty_factor, p)
    data = LogisticData.from_data(X, y, standardize, fit_intercept, v)
    notes: list[str] = []
    g = solver.start(data.XT, y, data.v, fit_intercept, 1e-2 * tol)[2][:p]
    lam_max = solver.lambda_max(g, alpha, data.v) if alpha > 0 else float("inf")
    if lambdas is not None:
        grid = _check_lambdas(lambdas)
    else:
        ratio = lambda_min_ratio if lambda_min_ratio is not None else (1e-4 if n >= p else 1e-2)
        top = lam_max if alpha > 0 else solver.lambda_max(g, 1.0, data.v) * 10.0
        grid = lambda_grid(top, n_lambdas, ratio)
    if (grid <= 0).any():
        raise ValueError(
            "λ = 0 is unpenalised logistic regression, which has no finite solution on "
            "separable data; use a small positive λ."
        )
    W, B, objective, gap, kkt, n_iter, done = solver.path(
        data.XT, y, grid, alpha, tol, data.v, fit_intercept, stop_separated
    )
    if done < grid.size:
        notes.append(
            f"The path stops at λ = {grid[done - 1]:.4g} ({done} of {grid.size} values): the "
            "model already explains 99.9 % of the null deviance, so the training rows are "
            "(nearly) perfectly separated and smaller λ would send the coefficients towards "
            "infinity."
        )
        grid, W, B = grid[:done], W[:done], B[:done]
        objective, gap, kkt, n_iter = objective[:done], gap[:done], kkt[:done], n_iter[:done]
    converged = gap <= tol * solver.null_objective(y, fit_intercept)
    if not converged.all():
        bad = int((~converged).sum())
        notes.append(f"{bad} of {grid.size} λ did not reach the duality-gap target {tol:g}.")
    coef, intercept = data.to_original(W, B)
    nnz = (W != 0).sum(axis=1)
    return Path(
        penalty=penalty,
        alpha=alpha,
        lambdas=grid,
        coef=coef,
        intercept=intercept,
        coef_std=W,
        df=nnz.astype(float),
        n_nonzero=nnz,
        objective=objective,
        gap=gap,
        kkt=kkt,
        n_iter=n_iter,
        converged=converged,
        feature_names=names,
        n_samples=n,
        lambda_max=lam_max,
        tol=tol,
        notes=notes,
        penalty_factor=v,
        family="logistic",
        standardize=standardize,
        fit_intercept=fit_intercept,
        x_mean=data.mean,
        x_scale=data.scale,
    )


def coef_at(path, lam: float, X=None, y=None, problem=None) -> tuple[np.ndarray, float]:
    """(coefficients on the original scale, intercept) of a logistic path at any λ > 0,
    solved from the nearest grid point on the training rows ``X, y`` (the path keeps no
    data) or on the ``LogisticData`` of those rows passed as ``problem``."""
    if lam <= 0:
        raise ValueError("A logistic model needs λ > 0 (λ = 0 may have no finite solution).")
    data = problem
    if data is None:
        if X is None or y is None:
            raise ValueError(
                "A path keeps no data: pass its training X and y to solve off the grid."
            )
        X, y, _ = check_xy(X, y)
        data = LogisticData.from_data(
            X, check_binary(y), path.standardize, path.fit_intercept, path.penalty_factor
        )
    if not (
        isinstance(data, LogisticData)
        and data.XT.shape == (path.n_features + data.fit_intercept, path.n_samples)
        and np.allclose(data.mean, path.x_mean, rtol=1e-9, atol=0.0)
        and np.allclose(data.scale, path.x_scale, rtol=1e-9, atol=0.0)
    ):
        raise ValueError("These are not the rows this logistic path was fitted on.")
    logs = np.log(path.lambdas)
    near = int(np.argmin(np.abs(logs - np.log(lam))))
    b0 = data.standardised_intercept(path.coef[near], path.intercept[near])
    W, B, *_ = solver.path(
        data.XT,
        data.y,
        np.array([lam]),
        path.alpha,
        path.tol,
        data.v,
        data.fit_intercept,
        stop_separated=False,
        warm=(path.coef_std[near], b0),
    )
    coef, intercept = data.to_original(W, B)
    return coef[0], float(intercept[0])


def loss(path, X, y, measure: str) -> np.ndarray:
    """``measure`` (deviance, misclassification or auc) of every grid λ on (X, y)."""
    if measure not in MEASURES:
        raise ValueError(
            f"Unknown measure {measure!r} for a logistic model: choose {', '.join(MEASURES)}."
        )
    X, _ = as_float_matrix(X)
    y = check_binary(y) if measure != "auc" else np.asarray(y, dtype=float)
    if measure == "auc":
        return MEASURES[measure](y, path.decision_function(X))
    return MEASURES[measure](y, path.predict_proba(X))


def stratified_folds(y: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Fold number (0 … k−1) of each row, each class dealt round-robin in a seeded shuffle
    (continuing the count across classes, so the folds' sizes differ by at most one): every
    fold then holds each class in proportion, and a class of ≥ 2 rows is in ≥ 2 folds."""
    perm = np.random.default_rng(seed).permutation(y.size)
    order = perm[np.argsort(y[perm], kind="stable")]  # shuffled within each class
    ids = np.empty(y.size, dtype=int)
    ids[order] = np.arange(y.size) % k
    return ids


def cross_validate(
    X,
    y,
    ids,
    penalty,
    alpha,
    lambdas,
    n_lambdas,
    lambda_min_ratio,
    standardize,
    fit_intercept,
    tol,
    progress,
    penalty_factor,
    measure,
):
    """K-fold cross-validation of the logistic path (``regcore.cv.cross_validate``'s
    arguments; ``ids`` the fold 0 … K−1 of each row, or (K, seed) for folds stratified by
    class, ``stratified_folds``): the grid from all the rows, each fold fitted on the whole
    grid (no early stop on separated folds) and scored on its held-out rows by ``measure``."""
    from regcore.cv import summarise

    if measure not in MEASURES:
        raise ValueError(f"Unknown measure {measure!r}: choose {', '.join(MEASURES)}.")
    settings = dict(standardize=standardize, fit_intercept=fit_intercept, tol=tol)
    full = fit(
        X, y, penalty, alpha, lambdas, n_lambdas, lambda_min_ratio, **settings,
        feature_names=None, penalty_factor=penalty_factor,
    )  # fmt: skip
    if isinstance(ids, tuple):
        ids = stratified_folds(y, *ids)
    k = int(ids.max()) + 1
    scores = np.empty((k, full.lambdas.size))
    for f in range(k):
        held = ids == f
        if np.ptp(y[~held]) == 0:
            raise ValueError(
                f"The training rows of fold {f + 1} hold one class only (the other has too few "
                "rows): use fewer folds."
            )
        path = fit(
            X[~held], y[~held], full.penalty, full.alpha, full.lambdas, None, None, **settings,
            feature_names=None, penalty_factor=full.penalty_factor, stop_separated=False,
        )  # fmt: skip
        scores[f] = path.loss(X[held], y[held], measure)
        if progress is not None:
            progress(f + 1, k)
    return summarise(full, scores, np.bincount(ids, minlength=k), ids, measure)
