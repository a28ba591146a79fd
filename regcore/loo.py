r"""Ridge's exact leave-one-out and generalised cross-validation, every λ from one decomposition.

Leaving row i out and fitting the others with regcore's objective at λ,

    (1/(n − 1))·Σ_{j≠i} (yⱼ − b − xⱼᵀw)² + λ·‖w‖²,

is the penalised least squares Σ_{j≠i}(…)² + Λ‖w‖² with Λ = (n − 1)·λ.  For such a linear
smoother the left-out residual is the full fit's residual (at the same Λ) inflated by its
leverage:

    yᵢ − ŷ₋ᵢ(xᵢ) = eᵢ / (1 − hᵢᵢ),    H = 11ᵀ/n + Xs·(XsᵀXs + Λ·I)⁻¹·Xsᵀ

(the 11ᵀ/n term is the unpenalised intercept; without one it is absent and y is not
centred).  With the decomposition G = XsᵀXs/n = V·diag(e)·Vᵀ that ``fit_path`` already made
and P = Xs·V (n × r), for every λ at once:

    hᵢᵢ = 1/n + Σₖ Pᵢₖ² / (n·eₖ + Λ),        ŷ − ȳ = P · (n·Vᵀc / (n·e + Λ)).

GCV replaces every hᵢᵢ by their mean: GCV(λ) = mean(e²) / (1 − tr(H)/n)².

The columns are standardised once, with every training row (a left-out fit standardising
with its own rows would change its penalty row by row, which no single decomposition can
follow); the intercept is refitted exactly.  With ``standardize=False`` the left-out errors
are those of fits on the n − 1 rows exactly.  scikit-learn's ``RidgeCV`` (leave-one-out)
keeps its penalty a fixed across the n − 1-row fits and the n-row refit, so its error at
a = (n − 1)·λ is ours at λ.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from regcore.cv import CVResult, one_se_rule
from regcore.path import Path, fit_path, normalise_model
from regcore.solvers.problem import Problem, check_xy
from regcore.solvers.ridge import Spectrum

# the left-out errors are kept for every row and λ (n × λ doubles); above this, use K folds
LOO_MAX_BYTES = 256 << 20


def fits_in_memory(n_rows: int, n_lambdas: int) -> bool:
    """Whether leave-one-out's n × λ errors stay within ``LOO_MAX_BYTES``."""
    return 8 * n_rows * n_lambdas <= LOO_MAX_BYTES


@dataclass
class LeaveOneOut:
    """Squared left-out errors (n × λ), their mean, and GCV for every λ of ``path``."""

    path: Path
    errors: np.ndarray  # errors[i, j]: row i left out, at lambdas[j]
    gcv: np.ndarray

    @property
    def lambdas(self) -> np.ndarray:
        return self.path.lambdas

    @property
    def mean(self) -> np.ndarray:
        return self.errors.mean(axis=0)

    @property
    def se(self) -> np.ndarray:
        """Standard error of ``mean``: the n errors' standard deviation / √n."""
        n = self.errors.shape[0]
        return self.errors.std(axis=0, ddof=1) / np.sqrt(n)


def ridge_loo(
    X,
    y,
    lambdas=None,
    n_lambdas: int = 100,
    standardize: bool = True,
    fit_intercept: bool = True,
    tol: float = 1e-10,
    feature_names=None,
) -> LeaveOneOut:
    """Exact leave-one-out errors and GCV of ridge on a λ grid (see the module docstring).

    The grid and the path are ``fit_path(X, y, "ridge", lambdas=…)``'s, fitted on every row.
    Raises ValueError when the n × λ errors would exceed ``LOO_MAX_BYTES``.
    """
    n_grid = n_lambdas if lambdas is None else np.size(lambdas)
    if not fits_in_memory(len(y), n_grid):
        raise ValueError(
            f"Leave-one-out keeps an error per row and λ ({len(y):,} × {n_grid}), more than "
            f"{LOO_MAX_BYTES >> 20} MB: use K-fold cross-validation for this many rows."
        )
    X, y, names = check_xy(X, y)
    prob = Problem.from_data(X, y, standardize=standardize, fit_intercept=fit_intercept)
    path = fit_path(
        X,
        y,
        "ridge",
        lambdas=lambdas,
        n_lambdas=n_lambdas,
        standardize=standardize,
        fit_intercept=fit_intercept,
        tol=tol,
        feature_names=names if feature_names is None else feature_names,
        problem=prob,
    )
    spec = Spectrum.of(prob)  # the path's own decomposition, kept on the problem
    n = prob.n
    if spec.V is not None:
        Xs = prob.Xs if prob.Xs is not None else prob.standardised(X, np.arange(prob.p))
        P = Xs @ spec.V
    else:  # kernel form: Xs·V = U·diag(√(n·e))
        P = spec.U * np.sqrt(n * spec.e)
    ne = n * spec.e
    D = 1.0 / (ne[:, None] + (n - 1) * path.lambdas)  # r × λ
    lev = (P * P) @ D  # n × λ, like every array below: each formed in place of the last
    if fit_intercept:
        lev += 1.0 / n
    trace = lev.sum(axis=0)
    resid = P @ ((n * spec.Vc)[:, None] * D)
    np.subtract((y - prob.y_mean)[:, None], resid, out=resid)
    gcv = np.vecdot(resid.T, resid.T) / n / (1.0 - trace / n) ** 2
    np.subtract(1.0, lev, out=lev)
    resid /= lev
    resid *= resid
    return LeaveOneOut(path=path, errors=resid, gcv=gcv)


def loo_cross_validate(
    X, y, penalty, alpha, lambdas, n_lambdas, standardize, fit_intercept, tol, progress
):
    """``cross_validate(..., k="loo")``: ridge's leave-one-out as a ``CVResult`` (n folds of one row)."""
    if normalise_model(penalty, alpha)[0] != "ridge":
        raise ValueError(
            "Exact leave-one-out is available for ridge only; use a number of folds K "
            "for lasso and elastic net."
        )
    loo = ridge_loo(X, y, lambdas, n_lambdas, standardize, fit_intercept, tol)
    mean, se = loo.mean, loo.se
    i_min, i_1se = one_se_rule(loo.lambdas, mean, se)
    n = loo.errors.shape[0]
    if progress is not None:
        progress(n, n)
    return CVResult(
        lambdas=loo.lambdas,
        mean=mean,
        se=se,
        fold_curves=loo.errors,
        lambda_min=float(loo.lambdas[i_min]),
        lambda_1se=float(loo.lambdas[i_1se]),
        index_min=i_min,
        index_1se=i_1se,
        folds=np.arange(n),
        path=loo.path,
    )
