"""K-fold cross-validation along a path, with glmnet's λ_min and λ_1se.

The λ grid comes from the whole data (as ``cv.glmnet`` does); each fold standardises
with its own training rows only, fits the path on that grid and scores the held-out
rows.  With fold sizes n_f and fold errors e_f(λ):

    mean(λ) = Σ n_f·e_f(λ) / n,      se(λ) = sqrt( Σ n_f·(e_f(λ) − mean(λ))² / n / (K − 1) )

λ_min minimises mean; λ_1se is the largest λ whose mean is within one standard error of
the minimum, mean(λ) ≤ mean(λ_min) + se(λ_min) (glmnet's ``getOptcv.glmnet``).

When n > p the rows are sorted by fold once and each fold's products (XᵀX, Xᵀ1, Xᵀy) are
formed once: the whole data's are their sums, and each fold's training problem is made from
the sums of the other folds', as a fresh fit's would be from its rows (``fold_products``).
The whole of cross-validation thus makes one pass of products over the data.  Where the
K p × p products would take too much memory (``FOLD_PRODUCTS_BYTES``), or the offsets are
too large to centre products afterwards, each fold subtracts its held-out rows' part from
the whole data's Gram matrix instead (the moments then shifted to the fold's own mean and
scale).  The held-out rows' scatter then also scores them: their squared error at every
λ is a quadratic form in the coefficients (``HeldOut.mse``), so the held-out rows are not
multiplied by the K × p coefficients again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from regcore.path import Path, fit_path, row_mse
from regcore.solvers.blas import capped
from regcore.solvers.problem import GRAM_MAX_P, Problem, check_xy, products

# cross-validation keeps every fold's p × p products (one pass over the data serves the folds
# and the whole data) while they take at most this much memory
FOLD_PRODUCTS_BYTES = 128 << 20
CANCEL = (
    1e-6  # below this fraction of its terms' size a quadratic-form error is recomputed row by row
)


@dataclass
class CVResult:
    """The CV curve of ``measure`` along the grid.  ``fold_curves`` holds the per-fold curves
    (K × n_λ) of ``measure`` (mean squared error, deviance, misclassification or AUC); λ_min
    is the best λ: the lowest error or deviance, the highest AUC."""

    lambdas: np.ndarray
    mean: np.ndarray
    se: np.ndarray
    fold_curves: np.ndarray  # K × n_λ, of ``measure``
    lambda_min: float
    lambda_1se: float
    index_min: int
    index_1se: int
    folds: np.ndarray  # the fold of each row
    path: Path  # fitted on all the rows
    measure: str = "mse"  # or, for the logistic family: deviance, misclassification, auc


@dataclass
class HeldOut:
    """A fold's held-out rows and, in Gram mode, their scatter about a centre (m, ym):
    S = Σ(x−m)(x−m)ᵀ, sx = Σ(x−m), sxy = Σ(x−m)(y−ym), sy = Σ(y−ym), syy = Σ(y−ym)²."""

    X: np.ndarray
    y: np.ndarray
    m: np.ndarray | None = None
    ym: float = 0.0
    S: np.ndarray | None = None
    sx: np.ndarray | None = None
    sxy: np.ndarray | None = None
    sy: float = 0.0
    syy: float = 0.0

    def mse(self, path: Path) -> np.ndarray:
        """Mean squared error of every grid λ of ``path`` on these rows.

        From the scatter: with b' = b − ym + mᵀw, the error is
        Σ(y − b − xᵀw)² = syy − 2wᵀsxy − 2b'·sy + wᵀSw + 2b'·wᵀsx + n·b'².  Where that sum
        is below ``CANCEL`` of the size of its terms (signs dropped, inside wᵀSw too),
        rounding could dominate it: those λ are recomputed from the rows themselves.
        """
        W, n = path.coef, self.y.shape[0]
        if self.S is None:
            return row_mse(self.X, self.y, W, path.intercept)
        b = path.intercept - self.ym + W @ self.m
        quad = np.vecdot(W @ self.S, W)
        sse = (
            self.syy
            - 2.0 * (W @ self.sxy)
            - 2.0 * b * self.sy
            + quad
            + 2.0 * b * (W @ self.sx)
            + n * b * b
        )
        # the terms' sizes, signs dropped: wᵀSw itself can cancel inside (collinear columns
        # with large opposite coefficients), so its rounding scales with |w|ᵀ|S||w|
        A, B = np.abs(W), np.abs(b)
        size = (
            self.syy
            + 2.0 * (A @ np.abs(self.sxy))
            + 2.0 * B * abs(self.sy)
            + np.vecdot(A @ np.abs(self.S), A)
            + 2.0 * B * (A @ np.abs(self.sx))
            + n * B * B
        )
        close = sse < CANCEL * size
        if close.any():
            sse[close] = n * row_mse(self.X, self.y, W[close], path.intercept[close])
        return np.maximum(sse, 0.0) / n


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


@capped()
def cross_validate(
    X=None,
    y=None,
    penalty: str = "lasso",
    alpha: float | None = None,
    k: int = 10,
    seed: int = 0,
    lambdas=None,
    n_lambdas: int = 100,
    lambda_min_ratio: float | None = None,
    standardize: bool = True,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    progress: Callable[[int, int], None] | None = None,
    *,
    row_folds: np.ndarray | None = None,
    moments=None,
    penalty_factor=None,
    family: str = "gaussian",
    measure: str | None = None,
) -> CVResult:
    """K-fold cross-validation of ``fit_path`` (see the module docstring).

    ``family="logistic"`` (y of 0s and 1s) scores the held-out rows by ``measure``:
    "deviance" (the default), "misclassification" or "auc" (``regcore.logistic.cross_validate``).

    ``progress(done, k)`` is called after each fold; ``penalty_factor`` as in ``fit_path``.
    ``k="loo"`` with ridge is exact
    leave-one-out from one decomposition (``regcore.loo``; ``folds`` then numbers the rows).
    ``row_folds`` (the fold 0 … k−1 of each row) replaces the seeded shuffle.  ``moments``
    (a ``regcore.moments.Moments``) cross-validates over its own folds, X and y unused
    (``regcore.moments.cross_validate``).
    """
    if family == "logistic" and (moments is not None or k == "loo"):
        raise ValueError("The logistic family is cross-validated with K folds of rows.")
    if family not in ("gaussian", "logistic") or (
        family == "gaussian" and measure not in (None, "mse")
    ):
        raise ValueError("The gaussian family is scored by mse; binary measures need 'logistic'.")
    if penalty_factor is not None and (moments is not None or k == "loo"):
        raise ValueError(
            "Penalty factors are fitted from the rows with K folds: leave-one-out and moments "
            "take none."
        )
    if moments is not None:
        from regcore.moments.fit import cross_validate as from_moments

        settings = dict(standardize=standardize, fit_intercept=fit_intercept, tol=tol)
        grid = dict(lambdas=lambdas, n_lambdas=n_lambdas, lambda_min_ratio=lambda_min_ratio)
        return from_moments(moments, penalty, alpha, progress=progress, **settings, **grid)
    if isinstance(k, str) and k == "loo":
        from regcore.loo import loo_cross_validate

        return loo_cross_validate(
            X, y, penalty, alpha, lambdas, n_lambdas, standardize, fit_intercept, tol, progress
        )
    X, y, names = check_xy(X, y, check_finite=False)  # fit_path below names any NaN or inf
    n = X.shape[0]
    if row_folds is not None:
        ids = np.asarray(row_folds, dtype=int)
        if ids.shape != (n,) or ids.min() < 0:
            raise ValueError(f"row_folds must give a fold number ≥ 0 for each of the {n} rows.")
        k = int(ids.max()) + 1
    if not (isinstance(k, int | np.integer) and 2 <= k <= n):
        raise ValueError(f"K must be a whole number from 2 to the number of rows ({n}); got {k}.")
    if family == "logistic":  # folds stratified by class unless given
        from regcore import logistic

        return logistic.cross_validate(
            X, y, ids if row_folds is not None else (k, seed), penalty, alpha, lambdas,
            n_lambdas, lambda_min_ratio, standardize, fit_intercept, tol, progress,
            penalty_factor, measure or "deviance",
        )  # fmt: skip
    ids = fold_ids(n, k, seed) if row_folds is None else ids
    sizes = np.bincount(ids, minlength=k)
    base, parts = whole_problem(X, y, ids, k, standardize=standardize, fit_intercept=fit_intercept)
    full = fit_path(
        X,
        y,
        penalty,
        alpha,
        lambdas=lambdas,
        n_lambdas=n_lambdas,
        lambda_min_ratio=lambda_min_ratio,
        standardize=standardize,
        fit_intercept=fit_intercept,
        tol=tol,
        feature_names=names,
        problem=base,
        penalty_factor=penalty_factor,
    )
    fold_curves = np.empty((k, full.lambdas.size))
    for f, (prob, held) in enumerate(
        folds(
            X,
            y,
            ids,
            k,
            base,
            standardize=standardize,
            fit_intercept=fit_intercept,
            parts=parts,
        )
    ):
        path = fit_path(
            None,
            None,
            full.penalty,
            full.alpha,
            lambdas=full.lambdas,
            tol=tol,
            problem=prob,
            penalty_factor=full.penalty_factor,
        )
        fold_curves[f] = held.mse(path)
        if progress is not None:
            progress(f + 1, k)
    return summarise(full, fold_curves, sizes, ids)


def summarise(
    full: Path, fold_curves: np.ndarray, sizes: np.ndarray, ids: np.ndarray, measure: str = "mse"
) -> CVResult:
    """The CV curve, its standard errors and λ_min / λ_1se from the folds' errors (K × n_λ)
    and sizes; ``full`` is the path on all the rows, ``ids`` the fold of each row.  For
    ``measure`` "auc" higher is better: the rule runs on −AUC."""
    n, k = int(sizes.sum()), sizes.size
    mean = sizes @ fold_curves / n
    se = np.sqrt(sizes @ (fold_curves - mean) ** 2 / n / (k - 1))
    i_min, i_1se = one_se_rule(full.lambdas, -mean if measure == "auc" else mean, se)
    return CVResult(
        lambdas=full.lambdas,
        mean=mean,
        se=se,
        fold_curves=fold_curves,
        lambda_min=float(full.lambdas[i_min]),
        lambda_1se=float(full.lambdas[i_1se]),
        index_min=i_min,
        index_1se=i_1se,
        folds=ids,
        path=full,
        measure=measure,
    )


def fold_problems(
    X: np.ndarray,
    y: np.ndarray,
    ids: np.ndarray,
    k: int,
    *,
    standardize: bool = True,
    fit_intercept: bool = True,
) -> Iterator[Problem]:
    """The training problem of each fold, standardised with that fold's training rows."""
    base, parts = whole_problem(X, y, ids, k, standardize=standardize, fit_intercept=fit_intercept)
    for problem, _ in folds(
        X, y, ids, k, base, standardize=standardize, fit_intercept=fit_intercept, parts=parts
    ):
        yield problem


def whole_problem(
    X: np.ndarray, y: np.ndarray, ids: np.ndarray, k: int, *, standardize: bool, fit_intercept: bool
) -> tuple[Problem, list | None]:
    """(the whole data's problem, the folds' products or None): from ``shared_products``
    where they serve, else from the rows.  The folds are derived from that problem."""
    base, parts = shared_products(
        X, y, ids, k, standardize=standardize, fit_intercept=fit_intercept
    )
    if base is None:
        base = Problem.from_data(X, y, standardize=standardize, fit_intercept=fit_intercept)
    return base, parts


def shared_products(
    X: np.ndarray,
    y: np.ndarray,
    ids: np.ndarray,
    k: int,
    *,
    standardize: bool = True,
    fit_intercept: bool = True,
) -> tuple[Problem | None, list | None]:
    """(the whole data's problem, each fold's rows and products) when every fold is in Gram
    mode, the K folds' p × p products fit in ``FOLD_PRODUCTS_BYTES``, and the whole data's
    problem can be made from them; else (None, None) (offsets too large to centre afterwards,
    NaN or inf: ``Problem.from_data`` then centres the rows, and names any NaN or inf)."""
    n, p = X.shape
    if (
        n - np.bincount(ids, minlength=k).max() < p
        or p > GRAM_MAX_P
        or 8 * k * p * p > FOLD_PRODUCTS_BYTES
    ):
        return None, None
    parts, ym, XtX, sums, Xty = fold_products(X, y, ids, k, fit_intercept)
    base = Problem.from_products(n, XtX, sums, Xty, y, standardize, fit_intercept, y_shift=ym)
    return (base, parts) if base is not None else (None, None)


def fold_products(X: np.ndarray, y: np.ndarray, ids: np.ndarray, k: int, fit_intercept: bool):
    """Each fold's rows and products, and the whole data's products as their sums.

    Returns (parts, ym, XᵀX, Xᵀ1, Xᵀ(y − ym)), where ym is the target's mean (0 without an
    intercept) and parts[f] = (X_f, y_f, X_fᵀX_f, X_fᵀ1, X_fᵀ(y_f − ym)).  The rows are
    sorted by fold once, so each fold is a contiguous block: the folds' products together
    cost one XᵀX, and the whole data's follow by addition instead of a second pass.
    """
    order = np.argsort(ids, kind="stable")
    Xo, yo = X[order], y[order]
    ym = float(y.sum()) / y.shape[0] if fit_intercept else 0.0  # as Problem.from_products forms it
    bounds = np.concatenate([[0], np.cumsum(np.bincount(ids, minlength=k))])
    parts = []
    for f in range(k):
        Xh, yh = Xo[bounds[f] : bounds[f + 1]], yo[bounds[f] : bounds[f + 1]]
        parts.append((Xh, yh, *products(Xh, yh - ym)))
    return (parts, ym, *_summed(parts))


def _summed(parts: list) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sums of the parts' products (XᵀX, Xᵀ1, Xᵀ(y − ym))."""
    XtX, sums, Xty = (product.copy() for product in parts[0][2:])
    for part in parts[1:]:
        XtX += part[2]
        sums += part[3]
        Xty += part[4]
    return XtX, sums, Xty


def _folds_from_parts(
    X: np.ndarray,
    y: np.ndarray,
    ids: np.ndarray,
    base: Problem,
    parts: list,
    *,
    standardize: bool,
    fit_intercept: bool,
) -> Iterator[tuple[Problem, HeldOut]]:
    """``folds`` from ``fold_products``: each training problem from the sums of the other
    folds' products, as a fresh fit's would be made from its rows (no subtraction, which
    an offset far above the spread, or a held-out outlier, would leave mostly rounding)."""
    m, ym = base.mean, base.y_mean
    for f, (Xh, yh, XhXh, sh, Xhy) in enumerate(parts):
        train = ids != f
        prob = Problem.from_products(
            int(train.sum()),
            *_summed(parts[:f] + parts[f + 1 :]),
            y[train],
            standardize,
            fit_intercept,
            y_shift=ym,
        )
        if prob is None:  # a column (nearly) constant on the training rows: centre them
            prob = Problem.from_data(
                X[train], y[train], standardize=standardize, fit_intercept=fit_intercept
            )
        yield prob, _held_out(Xh, yh, m, ym, XhXh, sh, Xhy)


def _held_out(
    Xh: np.ndarray,
    yh: np.ndarray,
    m: np.ndarray,
    ym: float,
    XhXh: np.ndarray,
    sh: np.ndarray,
    Xhy: np.ndarray,
) -> HeldOut:
    """Held-out rows with their scatter about (m, ym), from their products XᵀX, Xᵀ1 and Xᵀ(y − ym)."""
    n_f = Xh.shape[0]
    ycF = yh - ym
    sy = float(ycF.sum())
    SF = XhXh - np.outer(m, sh) - np.outer(sh, m) + n_f * np.outer(m, m)
    return HeldOut(
        Xh, yh, m=m, ym=ym, S=SF, sx=sh - n_f * m, sxy=Xhy - m * sy, sy=sy, syy=float(ycF @ ycF)
    )


def folds(
    X: np.ndarray,
    y: np.ndarray,
    ids: np.ndarray,
    k: int,
    base: Problem,
    *,
    standardize: bool = True,
    fit_intercept: bool = True,
    parts: list | None = None,
) -> Iterator[tuple[Problem, HeldOut]]:
    """(training problem, held-out rows) of each fold; ``base`` is the full data's problem.

    In Gram mode the full centred scatter comes back from ``base`` (G·n·s·sᵀ), and each fold
    subtracts its held-out rows' scatter about the full mean, formed from the rows' own
    products (XᵀX − m·Σxᵀ − Σx·mᵀ + n_F·m·mᵀ) when the offsets allow it, as in
    ``Problem.from_products``, or from a centred copy otherwise.  ``parts`` (from
    ``fold_products``, when ``base`` was made from them) supplies those products.
    """
    if parts is not None:
        yield from _folds_from_parts(
            X, y, ids, base, parts, standardize=standardize, fit_intercept=fit_intercept
        )
        return
    n, p = X.shape
    if base.G is None or n - np.bincount(ids).max() < p:
        for f in range(k):
            held = ids == f
            train = ~held
            yield (
                Problem.from_data(
                    X[train], y[train], standardize=standardize, fit_intercept=fit_intercept
                ),
                HeldOut(X[held], y[held]),
            )
        return
    m, ym = base.mean, base.y_mean
    S = base.G * n * np.outer(base.scale, base.scale)
    sxy, syy = base.c * base.scale * n, base.yy * n
    var = np.diag(S) / n
    by_products = not fit_intercept or bool((var > 1e-4 * (m * m + var)).all())
    Xc = None if by_products else X - m
    for f in range(k):
        held = ids == f
        Xh, yh = X[held], y[held]
        ycF = yh - ym
        if by_products:
            scored = _held_out(Xh, yh, m, ym, *products(Xh, ycF))
        else:
            XF = Xc[held]
            scored = HeldOut(
                Xh,
                yh,
                m=m,
                ym=ym,
                S=XF.T @ XF,
                sx=XF.sum(axis=0),
                sxy=XF.T @ ycF,
                sy=float(ycF.sum()),
                syy=float(ycF @ ycF),
            )
        SF, sxF, sxyF, syF, syyF = scored.S, scored.sx, scored.sxy, scored.sy, scored.syy
        nT = n - Xh.shape[0]
        C, cxy, cyy = S - SF, sxy - sxyF, syy - syyF
        mu, my = np.zeros(p), 0.0
        if fit_intercept:  # shift from the full mean to the training rows' own mean
            mu, my = -sxF / nT, -syF / nT
            C = C - nT * np.outer(mu, mu)
            cxy = cxy - nT * mu * my
            cyy = cyy - nT * my * my
        if (np.diag(C) < 1e-6 * np.diag(S)).any():
            # held-out rows carry nearly all of a column's spread (an outlier): subtracting
            # them would leave only rounding, so build this fold from its rows instead
            train = ~held
            yield (
                Problem.from_data(
                    X[train], y[train], standardize=standardize, fit_intercept=fit_intercept
                ),
                scored,
            )
            continue
        var_t = np.diag(C) / nT
        constant = np.zeros(p, dtype=bool)
        if fit_intercept:  # constant on the training rows, up to the rounding of the subtraction
            constant = np.diag(C) <= 1e-10 * np.diag(S)
        scale = (
            np.sqrt(np.where(constant | (var_t <= 0), 1.0, var_t)) if standardize else np.ones(p)
        )
        G = C / np.outer(scale, scale) / nT
        c = cxy / scale / nT
        G[constant, :] = 0.0
        G[:, constant] = 0.0
        c[constant] = 0.0
        yield (
            Problem(
                n=nT, mean=m + mu, scale=scale, y_mean=ym + my, c=c, yy=max(cyy / nT, 0.0), G=G
            ),
            scored,
        )
