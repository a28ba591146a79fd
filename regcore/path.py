"""Regularisation paths: the λ grid, ``fit_path`` and the ``Path`` result.

``fit_path`` minimises, for every λ of a decreasing grid,

    (1/n)·Σᵢ (yᵢ − b − xᵢᵀw)²  +  λ·[α·‖w‖₁ + (1 − α)·‖w‖₂²]

on standardised features (training mean, 1/n standard deviation), and reports the
coefficients on both scales with the certificate each λ reached.  Lasso and elastic net
come from one call of the compiled path kernel (``regcore.solvers.kernel``: working-set
coordinate descent along the grid with an exact solve on the support where it is cheap)
or from the exact strategy (the active-set search), whichever ``method``
picks (``fit_path``); every grid point is certified by its duality gap.  That gap is formed from G; where its rounding could reach the target (nearly
collinear columns with large opposite coefficients) or the target is missed, the point
is refined and certified again from the rows themselves (``_polish``), and a point whose
gap stays at double precision's rounding level is reported as such.
Ridge and least squares come from one decomposition (``regcore.solvers.ridge``).

The result, a ``Path``, holds results only (see its docstring): solver state stays with the
``Problem`` the caller builds or keeps, never inside the result.

Default grid, as glmnet: ``n_lambdas`` values, geometric, from λ_max (every coefficient
exactly 0) down to λ_max·``lambda_min_ratio`` (1e-4, or 1e-2 when n < p).  Ridge has no
λ_max, so its grid spans the effective degrees of freedom from about 1 % to 99 % of the
rank.  Least squares ("none") is the single λ = 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regcore.penalties import ElasticNetPenalty, lambda_max_of, penalty_for
from regcore.solvers import enet, kernel, ridge
from regcore.solvers.blas import capped
from regcore.solvers.factor import shifted_block
from regcore.solvers.problem import (
    Problem,
    as_float_matrix,
    check_xy,
    gap_converged,
    gap_target,
)
from regcore.solvers.ridge import Spectrum
from regcore.solvers.ridge import certificate as ridge_certificate

PENALTIES = ("lasso", "ridge", "elasticnet", "none")


_FIXED_MODELS = {"lasso": ("lasso", 1.0), "ridge": ("ridge", 0.0), "none": ("none", 0.0)}
TINY = float(np.finfo(float).tiny)


def normalise_model(penalty: str, alpha: float | None) -> tuple[str, float]:
    """(penalty name, α) after validation; elastic net with α = 1 or 0 is lasso or ridge.

    α is checked whatever the penalty (lasso and ridge fix it at 1 and 0).
    """
    if alpha is None and isinstance(penalty, str) and penalty in _FIXED_MODELS:
        return _FIXED_MODELS[penalty]  # the common spellings, without building a penalty object
    if alpha is not None:
        ElasticNetPenalty(alpha)  # raises ValueError outside [0, 1]
    pen = penalty_for(penalty, alpha)
    if pen is None:
        return "none", 0.0
    a = pen.alpha
    if a == 1.0:
        return "lasso", 1.0
    if a == 0.0:
        return "ridge", 0.0
    return "elasticnet", float(a)


def lambda_grid(lam_max: float, n_lambdas: int = 100, ratio: float = 1e-4) -> np.ndarray:
    """``n_lambdas`` values, geometric and decreasing, from lam_max to lam_max·ratio."""
    if n_lambdas < 1:
        raise ValueError("n_lambdas must be at least 1.")
    if not 0 < ratio < 1:
        raise ValueError(f"lambda_min_ratio must lie strictly between 0 and 1; got {ratio}.")
    if not np.isfinite(lam_max) or lam_max <= 0:
        lam_max = 1.0  # nothing to fit (constant y or constant columns): any positive grid
    return lam_max * np.geomspace(1.0, ratio, n_lambdas) if n_lambdas > 1 else np.array([lam_max])


@dataclass
class Path:
    """The solutions along a λ grid, with their certificates (see ``fit_path``): results only.

    It holds the grid, the coefficients on both scales, the intercepts and each λ's
    certificate, plus what solving again needs besides the data: the model (penalty, α,
    penalty factors, ``tol``), the settings (``standardize``, ``fit_intercept``) and the
    training moments (``x_mean``, ``x_scale``, ``y_mean``).  It keeps no solver state (no
    Gram matrix, standardised columns or decomposition), so it pickles to about the size of
    its coefficients.  Off the grid, ``coef_at`` and ``predict`` solve from the training rows
    or a ``Problem`` the caller passes.
    """

    penalty: str
    alpha: float
    lambdas: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    coef_std: np.ndarray
    df: np.ndarray
    n_nonzero: np.ndarray
    objective: np.ndarray
    gap: np.ndarray
    kkt: np.ndarray
    n_iter: np.ndarray  # work per point: search steps or kernel epochs, or 0 (read off)
    converged: np.ndarray
    feature_names: list[str]
    n_samples: int
    lambda_max: float
    tol: float
    rank: int | None = None
    notes: list[str] = field(default_factory=list)
    penalty_factor: np.ndarray | None = None  # None: every feature's factor is 1
    standardize: bool = True
    fit_intercept: bool = True
    x_mean: np.ndarray | None = None  # the training columns' means (0 without an intercept)
    x_scale: np.ndarray | None = None  # their 1/n standard deviations (1 when not standardised)
    y_mean: float = 0.0  # the training target's mean (0 without an intercept)
    family: str = "gaussian"  # or "logistic" (regcore.logistic): the error is the log-loss

    @property
    def n_features(self) -> int:
        return self.coef.shape[1]

    def problem(self, X, y) -> Problem:
        """The training problem behind this path, rebuilt from its training rows (X, y).

        Built with the path's own ``standardize`` and ``fit_intercept``; raises ValueError
        when (X, y) are not the rows the path was fitted on (their shape or moments differ).
        Keep it to solve several λ off the grid: ``coef_at(lam, problem=...)``.
        """
        X, y, _ = check_xy(X, y)
        if X.shape != (self.n_samples, self.n_features):
            raise ValueError(
                f"The path was fitted on {self.n_samples} rows × {self.n_features} columns; "
                f"got {X.shape[0]} × {X.shape[1]}: pass its training rows."
            )
        prob = Problem.from_data(
            X, y, standardize=self.standardize, fit_intercept=self.fit_intercept
        )
        self._check_problem(prob)
        return prob

    def _check_problem(self, prob: Problem) -> None:
        """Raise ValueError unless ``prob`` has this path's training moments."""
        same = (
            prob.p == self.n_features
            and prob.n == self.n_samples
            and np.allclose(prob.mean, self.x_mean, rtol=1e-9, atol=0.0)
            and np.allclose(prob.scale, self.x_scale, rtol=1e-9, atol=0.0)
            and math.isclose(prob.y_mean, self.y_mean, rel_tol=1e-9, abs_tol=1e-300)
        )
        if not same:
            raise ValueError(
                "These are not the training rows (or settings) the path was fitted on: "
                "their means or scales differ."
            )

    def coef_at(
        self, lam: float, X=None, y=None, *, problem: Problem | None = None
    ) -> tuple[np.ndarray, float]:
        """(coefficients on the original scale, intercept) at any λ ≥ 0, solved exactly.

        A grid λ returns the grid solution as it is.  Off the grid the path keeps no data:
        pass either its training rows ``X, y`` (the problem is rebuilt with the path's
        ``standardize`` and ``fit_intercept``) or ``problem``, the training problem kept by
        the caller (``Path.problem(X, y)``, ``Problem.from_data`` or a ``Moments``'
        ``to_problem`` with the same settings), which saves rebuilding it per λ.  Ridge and
        least squares evaluate the decomposition at λ (kept on ``problem`` once made); lasso
        and elastic net solve afresh at the path's ``tol``, warm-started from the nearest
        grid point.
        """
        lam = _check_lambda(lam)
        hit = np.flatnonzero(np.isclose(self.lambdas, lam, rtol=1e-12, atol=0.0))
        if hit.size:
            return self.coef[hit[0]].copy(), float(self.intercept[hit[0]])
        if self.family == "logistic":
            from regcore import logistic

            return logistic.coef_at(self, lam, X, y, problem)
        if self.penalty == "none":
            return self.coef[0].copy(), float(self.intercept[0])
        if problem is None:
            if X is None or y is None:
                raise ValueError(
                    "A path keeps no data: pass its training X and y (or a problem) to solve "
                    "off the grid."
                )
            problem = self.problem(X, y)
        else:
            self._check_problem(problem)
        prob = problem
        v = self.penalty_factor
        if v is not None and lam > 0.0:
            logs = np.log(np.maximum(self.lambdas, TINY))
            near = int(np.argmin(np.abs(logs - np.log(lam))))
            grid = np.array([lam])
            w = _solve_grid(prob, grid, self.alpha, self.tol, v, self.coef_std[near])[0][0]
        elif self.penalty == "ridge" or lam == 0.0:
            w = Spectrum.of(prob).coefs([lam])[0]
        else:
            logs = np.log(np.maximum(self.lambdas, np.finfo(float).tiny))
            near = int(np.argmin(np.abs(logs - np.log(lam))))
            w = enet.solve(
                prob, lam * self.alpha, lam * (1 - self.alpha), self.coef_std[near], tol=self.tol
            ).w
        coef, intercept = prob.to_original(w)
        return coef, float(intercept)

    def predict(self, X, lam: float | None = None, *, problem: Problem | None = None) -> np.ndarray:
        """Predictions for X: (n, k) for every grid λ, or (n,) at one λ; for the logistic
        family the predicted class, 1 where P(y = 1) > ½."""
        if self.family == "logistic":
            return (self.decision_function(X, lam, problem=problem) > 0).astype(float)
        return self.decision_function(X, lam, problem=problem)

    def predict_proba(self, X, lam: float | None = None, *, problem=None) -> np.ndarray:
        """P(y = 1 | x) of the logistic family: (n, k) for every grid λ, or (n,) at one λ
        (off the grid, ``problem`` is the training rows' ``regcore.logistic.LogisticData``)."""
        if self.family != "logistic":
            raise ValueError("Probabilities come from a logistic path (family='logistic').")
        from regcore.solvers.logistic import sigmoid

        return sigmoid(self.decision_function(X, lam, problem=problem))

    def loss(self, X, y, measure: str | None = None) -> np.ndarray:
        """``measure`` of every grid λ on (X, y): "mse" (the default) for the gaussian family;
        "deviance" (the default), "misclassification" or "auc" for the logistic one
        (``regcore.metrics``)."""
        if self.family == "logistic":
            from regcore import logistic

            return logistic.loss(self, X, y, measure or "deviance")
        if measure not in (None, "mse"):
            raise ValueError(f"Unknown measure {measure!r} for a linear model: use 'mse'.")
        return self.mse(X, y)

    def decision_function(
        self, X, lam: float | None = None, *, problem: Problem | None = None
    ) -> np.ndarray:
        """The linear predictor b + Xw: (n, k) for every grid λ, or (n,) at one λ.

        Off the grid, ``problem`` is the training problem ``coef_at`` needs.
        """
        X, _ = as_float_matrix(X)
        if X.shape[1] != self.n_features:
            raise ValueError(
                f"X has {X.shape[1]} columns; the model was fitted on {self.n_features}."
            )
        if lam is None:
            return X @ self.coef.T + self.intercept[None, :]
        coef, intercept = self.coef_at(lam, problem=problem)
        return X @ coef + intercept

    def mse(self, X, y) -> np.ndarray:
        """Mean squared error of every grid λ on (X, y), in blocks of rows (memory ∝ block × λ)."""
        X, y, _ = check_xy(X, y)
        return row_mse(X, y, self.coef, self.intercept)

    def to_frame(self) -> pd.DataFrame:
        """One row per λ: lambda, df, n_nonzero, then one column per feature (original scale)."""
        head = pd.DataFrame(
            {
                "lambda": self.lambdas,
                "df": self.df,
                "n_nonzero": self.n_nonzero,
                "intercept": self.intercept,
            }
        )
        coefs = pd.DataFrame(self.coef, columns=self.feature_names)
        return pd.concat([head, coefs], axis=1)


def row_mse(
    X: np.ndarray, y: np.ndarray, W: np.ndarray, b: np.ndarray, rows_per_block: int = 4096
) -> np.ndarray:
    """Mean squared error of each row w of W (with intercept b) on (X, y), in blocks of rows."""
    total = np.zeros(W.shape[0])
    for start in range(0, X.shape[0], rows_per_block):
        block = slice(start, start + rows_per_block)
        resid = y[block, None] - (X[block] @ W.T + b[None, :])
        total += np.einsum("ik,ik->k", resid, resid)
    return total / X.shape[0]


def _sparse_path(prob: Problem, grid: np.ndarray, alpha: float, tol: float):
    """Lasso / elastic net along the grid: (W, objective, gap, kkt, n_iter, spectrum or None).

    Each grid point is solved by the active-set search (``enet.search_point``),
    warm-started from the one before.  Every point is then certified at once, and any
    point whose gap misses ``tol`` (or whose search did not settle) is solved again on its
    own.
    """
    k, p = grid.size, prob.p
    W, g = np.zeros((k, p)), np.zeros((k, p))
    n_iter = np.zeros(k, dtype=int)
    settled = np.ones(k, dtype=bool)
    finished = np.zeros(k, dtype=bool)  # points already solved to the end on their own
    positive = int(np.count_nonzero(grid > 0))
    w = np.zeros(p)
    gw = prob.c  # c − G·w at the warm start
    slope = None  # d(c − G·w)/dλ between the last two points: it predicts the next violators
    factor = None
    for i in range(positive):
        lam = grid[i]
        g0 = gw if slope is None else gw + slope * (lam - grid[i - 1])
        step = enet.search_point(prob, lam * alpha, lam * (1 - alpha), w, factor, tol, g0=g0)
        slope = (step.g - gw) / (lam - grid[i - 1]) if i and lam != grid[i - 1] else None
        w, factor, gw = step.w, step.factor, step.g
        W[i], g[i], n_iter[i], settled[i], finished[i] = (
            w,
            step.g,
            step.n_iter,
            step.settled,
            step.finished,
        )
    lam1, lam2 = grid * alpha, grid * (1 - alpha)
    objective, gap, kkt = kernel.certificates(prob, W, g, lam1, lam2)
    spectrum = None
    if positive < k:  # λ = 0: no penalty left, the minimum-norm least squares
        spectrum = Spectrum.of(prob)
        W[positive:] = spectrum.coefs(grid[positive:])
        objective[positive:], gap[positive:], kkt[positive:] = ridge_certificate(
            prob, spectrum, W[positive:], grid[positive:]
        )
    for i in np.flatnonzero(
        (~settled[:positive] | ~gap_converged(gap[:positive], tol, prob.yy)) & ~finished[:positive]
    ):
        # solved again from there with a fresh inverse, then by the fallback if need be
        sol = enet.solve(prob, lam1[i], lam2[i], W[i], tol=tol)
        W[i], objective[i], gap[i], kkt[i] = sol.w, sol.objective, sol.gap, sol.kkt
        n_iter[i] += sol.n_iter
    return W, objective, gap, kkt, n_iter, spectrum


METHODS = ("auto", "kernel", "exact")


def _pick_method(prob: Problem, method: str, weights) -> str:
    """Which solver serves a lasso / elastic-net path, "kernel" or "exact" (``fit_path``)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}; got {method!r}.")
    if weights is not None:
        return "kernel"  # the exact strategies know no penalty factors
    if method != "auto":
        return method
    # the kernel wherever its exact finish takes any support a lasso reaches (≤ min(n, p)):
    # it wins dense 2 250 × 1 500 and square 1 000 × 1 000 (Gram mode) and a square CV
    # fold 800 × 1 000 near interpolation (data mode, 8 s against the search's > 230 s);
    # it loses the wide 500 × 5 000 lasso by 1.3-1.6× (bench/README.md, "large")
    rows = 0 if prob.G is not None else prob.n
    return "kernel" if kernel.exact_max(prob.p, rows) >= min(prob.n, prob.p) else "exact"


def _solve_grid(
    prob: Problem, grid: np.ndarray, alpha: float, tol: float, weights, start=None, method="auto"
):
    """Lasso / elastic net along the grid: (W, objective, gap, kkt, n_iter, spectrum or None).

    ``method`` "exact" (no penalty factors, no ``start``) hands the grid to the exact
    strategies (``_sparse_path``); otherwise, as follows.

    The positive λ in one call of the compiled path kernel (``regcore.solvers.kernel``:
    working-set coordinate descent, Gram mode when the problem holds G, data mode
    otherwise), warm-started along the grid (from ``start`` at the first point, if given)
    and certified per point by its duality gap; λ = 0 (no penalty left) is the
    minimum-norm least squares.  ``weights``: the penalty factors (None: all 1).
    """
    if start is None and _pick_method(prob, method, weights) == "exact":
        return _sparse_path(prob, grid, alpha, tol)
    k, p = grid.size, prob.p
    W, g = np.zeros((k, p)), np.zeros((k, p))
    n_iter = np.zeros(k, dtype=int)
    positive = int(np.count_nonzero(grid > 0))
    if positive:
        W[:positive], g[:positive], n_iter[:positive], _ = kernel.path(
            prob, grid[:positive], ElasticNetPenalty(alpha), tol, weights, start
        )
    objective, gap, kkt = kernel.certificates(prob, W, g, grid * alpha, grid * (1 - alpha), weights)
    spectrum = None
    if positive < k:
        spectrum = Spectrum.of(prob)
        W[positive:] = spectrum.coefs(grid[positive:])
        objective[positive:], gap[positive:], kkt[positive:] = ridge_certificate(
            prob, spectrum, W[positive:], grid[positive:]
        )
    return W, objective, gap, kkt, n_iter, spectrum


def _check_factor(penalty_factor, p: int) -> np.ndarray | None:
    """The penalty factors as a float array, or None when absent or all 1."""
    if penalty_factor is None:
        return None
    try:
        v = np.asarray(penalty_factor, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise ValueError("penalty_factor must hold numbers only.") from exc
    if v.size != p:
        raise ValueError(f"penalty_factor has {v.size} values for {p} features.")
    if not np.isfinite(v).all() or (v < 0).any():
        raise ValueError("Every penalty factor must be a finite number ≥ 0.")
    return None if (v == 1.0).all() else v


def _polish(
    prob: Problem,
    X: np.ndarray,
    y: np.ndarray,
    W: np.ndarray,
    lam1: np.ndarray,
    lam2: np.ndarray,
    target: float,
    steps: int = 2,
):
    """Iterative refinement of lasso / elastic-net solutions against the rows: (W, objective, gap, kkt).

    Through G, the gradient and the gap of a fit with nearly collinear columns and large
    opposite coefficients carry rounding of order ε·|w|ᵀ|G||w|, which can exceed the gap
    target however long the search runs (``enet.gap_rounding``).  Formed from the rows
    themselves (``Problem.fit_from_rows``) they keep their digits: each step solves the
    active block for the KKT residual left there, (G_AA + λ₂I)·δ = g_A − λ₂w_A − (λ₁/2)·s_A,
    and keeps w_A + δ where it keeps the signs.  Every row ends at whichever of its iterates
    the rows certify best.  A row whose gap from the rows already meets ``target`` is not
    refined: certifying costs n·p, a step up to |A|³ (on a dense solution, seconds per λ).
    """
    best = None
    for step in range(steps + 1):
        rr, ry, g = prob.fit_from_rows(X, y, W)
        cert = kernel.certificates(prob, W, g, lam1, lam2, fit=(rr, ry))
        if best is None:
            best = [W.copy(), *cert]
        else:
            better = cert[1] < best[2]
            for part, new in zip(best, (W, *cert), strict=True):
                part[better] = new[better]
        todo = np.flatnonzero(best[2] > target)
        if step == steps or not todo.size:
            break
        W = W.copy()
        for i in todo:
            w = W[i]
            active = np.flatnonzero(w)
            if active.size:
                signs = np.sign(w[active])
                residual = g[i, active] - lam2[i] * w[active] - lam1[i] / 2 * signs
                block = shifted_block(prob, active, lam2[i])
                new = w[active] + np.linalg.lstsq(block, residual, rcond=None)[0]
                if (np.sign(new) == signs).all():
                    W[i, active] = new
    return tuple(best)


def _check_lambda(lam) -> float:
    try:
        lam = float(lam)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"λ must be a number; got {lam!r}.") from exc
    if not np.isfinite(lam) or lam < 0:
        raise ValueError(f"λ must be a finite number ≥ 0; got {lam}.")
    return lam


def _check_lambdas(lambdas) -> np.ndarray:
    lambdas = np.atleast_1d(np.asarray(lambdas, dtype=float))
    if lambdas.ndim != 1 or lambdas.size == 0:
        raise ValueError("lambdas must be a non-empty list of numbers.")
    if not np.isfinite(lambdas).all() or (lambdas < 0).any():
        raise ValueError("Every λ must be a finite number ≥ 0.")
    return np.sort(lambdas)[::-1]


@capped()
def fit_path(
    X=None,
    y=None,
    penalty: str = "lasso",
    alpha: float | None = None,
    lambdas=None,
    n_lambdas: int = 100,
    lambda_min_ratio: float | None = None,
    standardize: bool = True,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    feature_names=None,
    *,
    problem: Problem | None = None,
    moments=None,
    penalty_factor=None,
    method: str = "auto",
    family: str = "gaussian",
) -> Path:
    """Fit the whole regularisation path; see the module docstring.

    X is an array or a DataFrame (its column names are kept); y a vector.  Invalid input
    (NaN or inf, mismatched shapes, a negative λ, α outside [0, 1]) raises ValueError with
    a plain message.  ``tol`` is the duality-gap target relative to the all-zero model's
    objective; every λ reports the gap it reached and whether it met ``tol``.
    ``problem`` lets cross-validation pass a prepared training problem (X is then unused);
    ``standardize`` and ``fit_intercept`` should then say how it was made: the ``Path``
    records them, and ``coef_at`` rebuilds an off-grid problem with them.
    ``moments`` (a ``regcore.moments.Moments``) fits its training rows (X and y unused).

    ``penalty_factor``: p weights v_j ≥ 0 multiplying feature j's penalty terms, both of
    them: λ·v_j·[α|w_j| + (1 − α)w_j²]; 0 leaves the feature unpenalised.  They are used as
    given (glmnet rescales them to sum to p; regcore does not, so factors of 1 are the plain
    penalty and λ keeps its meaning).  They act on the standardised coefficients when
    ``standardize`` is on.  For the L1 part a factor f on column j is the same as dividing
    that (standardised) column by f; the L2 part would need 1/√f instead, so for an elastic
    net the factor is not a rescaling.  λ_max is then the smallest λ at which every
    penalised coefficient is 0, the unpenalised ones fitted by least squares.  Factors other
    than all 1 go through the same compiled kernel (``regcore.solvers.kernel``).

    ``method`` (lasso and elastic net): "kernel", the compiled working-set coordinate
    descent (``regcore.solvers.kernel``); "exact", the active-set search warm-started along
    the grid (``regcore.solvers.enet``); "auto" (default) the kernel wherever its exact
    finish takes every support a lasso can reach, min(n, p) ≤ ``kernel.exact_max`` (Gram
    mode up to ``kernel.GRAM_EXACT_MAX`` columns, data mode up to
    ``kernel.WIDE_EXACT_MAX`` rows), and always with penalty factors (which the search
    does not handle); the search otherwise, where the kernel's descent would crawl
    (``bench/README.md``).
    Both certify every λ by its duality gap.


    ``family``: "gaussian" (the squared error above) or "logistic" (y of 0s and 1s, the
    log-loss as the error: ``regcore.logistic``; ``problem`` and ``moments`` are then unused).
    """
    if family == "logistic":
        from regcore import logistic

        settings = (lambdas, n_lambdas, lambda_min_ratio, standardize, fit_intercept, tol)
        return logistic.fit(X, y, penalty, alpha, *settings, feature_names, penalty_factor)
    if family != "gaussian":
        raise ValueError(f"Unknown family {family!r}: choose 'gaussian' or 'logistic'.")
    penalty, alpha = normalise_model(penalty, alpha)
    if not (math.isfinite(tol) and tol > 0):
        raise ValueError(f"tol must be a positive number; got {tol}.")
    if moments is not None:
        problem = moments.to_problem(standardize, fit_intercept)
        X = y = None
        feature_names = moments.feature_names if feature_names is None else feature_names
    if problem is None:
        X, y, names = check_xy(X, y, check_finite=False)
        problem = Problem.from_data(X, y, standardize=standardize, fit_intercept=fit_intercept)
    else:
        names = None
    prob = problem
    n, p = prob.n, prob.p
    names = (
        list(feature_names) if feature_names is not None else names or [f"x{j}" for j in range(p)]
    )
    if len(names) != p:
        raise ValueError(f"{len(names)} feature names for {p} columns.")
    weights = _check_factor(penalty_factor, p) if penalty != "none" else None
    if n_lambdas < 1:
        raise ValueError("n_lambdas must be at least 1.")
    ratio = lambda_min_ratio if lambda_min_ratio is not None else (1e-4 if n >= p else 1e-2)
    if weights is None:
        lam_max = lambda_max_of(prob.c, alpha)
    else:
        lam_max = kernel.lambda_max(prob, alpha, weights)[0]
    if not np.isfinite(prob.c).all():
        raise ValueError(
            "The data are too large for double precision: the features' products with the "
            "target overflow. Rescale the target or the features (change their units)."
        )
    if alpha > 0 and not np.isfinite(lam_max):
        raise ValueError(
            f"The mixing α = {alpha:g} is too small to place the all-zero end of the λ grid; "
            "use α ≥ 1e-6, or ridge (α = 0)."
        )
    notes: list[str] = []
    spectrum = None
    if weights is not None:  # penalty factors: the coordinate-descent kernel
        if lambdas is not None:
            grid = _check_lambdas(lambdas)
        elif alpha == 0:  # ridge with penalty factors: the plain ridge's grid
            grid = Spectrum.of(prob).grid(n_lambdas)
        else:
            grid = lambda_grid(lam_max, n_lambdas, ratio)
        W, objective, gap, kkt, n_iter, spectrum = _solve_grid(
            prob, grid, alpha, tol, weights, method=method
        )
        df = (W != 0).sum(axis=1).astype(float)
    elif penalty in ("ridge", "none"):
        if penalty == "none":
            lambdas = np.array([0.0])
        elif lambdas is not None:
            lambdas = _check_lambdas(lambdas)
        fit = ridge.fit(prob, lambdas, n_lambdas)
        spectrum, grid, W, df = fit.spectrum, fit.lambdas, fit.W, fit.df
        objective, gap, kkt = fit.objective, fit.gap, fit.kkt
        n_iter = np.zeros(grid.size, dtype=int)
        if spectrum.rank < p:
            notes.append(
                f"The standardised features have rank {spectrum.rank} < {p} columns "
                "(collinear or constant columns, or more columns than rows)."
            )
            if penalty == "none":
                notes.append(
                    "Least squares is then not unique: regcore reports the minimum-norm solution."
                )
    else:
        grid = (
            lambda_grid(lam_max, n_lambdas, ratio) if lambdas is None else _check_lambdas(lambdas)
        )
        W, objective, gap, kkt, n_iter, spectrum = _solve_grid(
            prob, grid, alpha, tol, None, method=method
        )
        df = (W != 0).sum(axis=1).astype(float)
    converged = gap_converged(gap, tol, prob.yy)
    if alpha > 0 and X is not None and weights is None:
        # λ not certified, or whose gap formed from G may be mostly rounding: certified again
        # (and refined) from the rows, where the gap keeps its digits
        doubtful = 0.1 * gap_target(tol, prob.yy)
        doubt = np.flatnonzero(
            (grid > 0) & (~converged | (enet.gap_rounding(prob, W, doubtful) > doubtful))
        )
        if doubt.size:
            W[doubt], objective[doubt], gap[doubt], kkt[doubt] = _polish(
                prob,
                X,
                y,
                W[doubt],
                grid[doubt] * alpha,
                grid[doubt] * (1 - alpha),
                gap_target(tol, prob.yy),
            )
            converged = gap_converged(gap, tol, prob.yy)
    if not converged.all():
        bad = np.flatnonzero(~converged)
        note = f"{bad.size} of {grid.size} λ did not reach the duality-gap target {tol:g}; see gap."
        if alpha > 0 and (gap[bad] <= enet.gap_rounding(prob, W[bad])).all():
            note += (
                " Their gaps are at the rounding level of double precision for these coefficients "
                "(nearly collinear columns with large opposite coefficients), so they cannot be "
                "certified more closely; a larger λ, or dropping one of two near-duplicate columns, can."
            )
        notes.append(note)
    coef, intercept = prob.to_original(W)
    return Path(
        penalty=penalty,
        alpha=alpha,
        lambdas=grid,
        coef=coef,
        intercept=intercept,
        coef_std=W,
        df=df,
        n_nonzero=(W != 0).sum(axis=1),
        objective=objective,
        gap=gap,
        kkt=kkt,
        n_iter=n_iter,
        converged=converged,
        feature_names=names,
        n_samples=n,
        lambda_max=lam_max,
        tol=tol,
        rank=spectrum.rank if spectrum is not None else None,
        notes=notes,
        penalty_factor=weights,
        standardize=bool(standardize),
        fit_intercept=bool(fit_intercept),
        x_mean=np.array(prob.mean, dtype=float),
        x_scale=np.array(prob.scale, dtype=float),
        y_mean=float(prob.y_mean),
    )
