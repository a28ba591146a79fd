"""Shared fixtures.

Oracle helpers (the regcore core tests): data makers and independent re-computations of the
standardisation, the objective, the KKT conditions and a tight scikit-learn reference path.
They never call regcore, so a test can check the library against them.  Session-scoped
factories so hypothesis tests may use them too.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest


def _make_data(
    n: int, p: int, *, rho: float = 0.0, seed: int = 0, n_true: int = 5, noise: float = 1.0
):
    """(X, y): columns with AR(1) neighbour correlation rho, uneven scales and offsets, a sparse truth."""
    rng = np.random.default_rng(seed)
    Z = rng.standard_normal((n, p))
    X = np.empty_like(Z)
    X[:, 0] = Z[:, 0]
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1.0 - rho * rho) * Z[:, j]
    X = X * rng.uniform(0.5, 3.0, p) + rng.uniform(-2.0, 2.0, p)
    w = np.zeros(p)
    k = min(n_true, p)
    w[:k] = rng.uniform(1.0, 3.0, k) * rng.choice([-1.0, 1.0], k)
    y = X @ w + noise * rng.standard_normal(n) + 3.0
    return X, y


def _standardise(X, y):
    """(Xs, yc): training mean and 1/n standard deviation; constant columns become exactly 0."""
    X = np.asarray(X, dtype=float)
    sd = X.std(axis=0)
    constant = np.ptp(X, axis=0) == 0
    Xs = (X - X.mean(axis=0)) / np.where(constant, 1.0, sd)
    Xs[:, constant] = 0.0
    return Xs, y - y.mean()


def _objective(Xs, yc, W, lambdas, alpha):
    """(1/n)‖yc − Xs·w‖² + λ[α‖w‖₁ + (1 − α)‖w‖²] for each row w of W at its λ."""
    W = np.atleast_2d(W)
    lambdas = np.broadcast_to(np.asarray(lambdas, dtype=float), (W.shape[0],))
    R = yc[:, None] - Xs @ W.T
    return (R * R).mean(axis=0) + lambdas * (
        alpha * np.abs(W).sum(axis=1) + (1 - alpha) * (W * W).sum(axis=1)
    )


def _kkt_violation(Xs, yc, W, lambdas, alpha):
    """Largest violation of the optimality conditions per row, in units of ∂P/∂w.

    With g = Xsᵀ(yc − Xs·w)/n: |−2g_j + 2λ(1−α)w_j + λα·sign(w_j)| where w_j ≠ 0,
    and max(2|g_j| − λα, 0) where w_j = 0.
    """
    W = np.atleast_2d(W)
    lambdas = np.broadcast_to(np.asarray(lambdas, dtype=float), (W.shape[0],))
    out = np.empty(W.shape[0])
    for i, (w, lam) in enumerate(zip(W, lambdas, strict=True)):
        g = Xs.T @ (yc - Xs @ w) / len(yc)
        viol = np.maximum(2 * np.abs(g) - lam * alpha, 0.0)
        nz = w != 0
        viol[nz] = np.abs(-2 * g[nz] + 2 * lam * (1 - alpha) * w[nz] + lam * alpha * np.sign(w[nz]))
        out[i] = viol.max(initial=0.0)
    return out


def _sklearn_path(Xs, yc, lambdas, alpha):
    """scikit-learn's lasso_path / enet_path at our λ grid (converted), tight: rows are λ."""
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import enet_path, lasso_path

    lambdas = np.asarray(lambdas, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        if alpha == 1.0:
            _, coefs, _ = lasso_path(Xs, yc, alphas=lambdas / 2, tol=1e-12, max_iter=200_000)
        else:
            _, coefs, _ = enet_path(
                Xs,
                yc,
                l1_ratio=alpha / (2 - alpha),
                alphas=lambdas * (1 - alpha / 2),
                tol=1e-12,
                max_iter=200_000,
            )
    return coefs.T


@pytest.fixture(scope="session")
def make_data():
    return _make_data


@pytest.fixture(scope="session")
def standardise():
    return _standardise


@pytest.fixture(scope="session")
def objective():
    return _objective


@pytest.fixture(scope="session")
def kkt_violation():
    return _kkt_violation


@pytest.fixture(scope="session")
def sklearn_path():
    return _sklearn_path
