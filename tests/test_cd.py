"""The coordinate-descent path solver (regcore.solvers.cd) against independent references.

Every grid point must be as good as a tight scikit-learn path (relative objective within
1e-9 of yy, usually at rounding), certified by its duality gap, with exact zeros; the
compiled kernel must really run compiled and agree with its Python source.
"""

from __future__ import annotations

import numba
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regcore
from regcore.datasets import SAMPLES_DIR
from regcore.path import lambda_grid
from regcore.solvers import cd, enet
from regcore.solvers.problem import Problem


def test_the_kernel_runs_compiled_and_agrees_with_its_source():
    assert not numba.config.DISABLE_JIT
    rng = np.random.default_rng(0)
    X = rng.normal(size=(50, 8))
    Q = X.T @ X / 50
    c = X.T @ rng.normal(size=50) / 50
    h, l2 = np.full(8, 0.05), np.full(8, 0.01)
    out = []
    for kernel in (cd.block_cd, cd.block_cd.py_func):
        w = np.zeros(8)
        q = c.copy()
        epochs, gap = kernel(Q, c, q, w, h, l2, 1.0, 1e-14, 10_000)
        out.append((w, q, epochs, gap))
    assert cd.block_cd.signatures  # compiled, not interpreted
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(out[0][1], c - Q @ out[0][0], atol=1e-13)
    assert out[0][3] <= 1e-14 and out[0][2] == out[1][2]


def test_diabetes_path_with_a_sign_change(standardise, sklearn_path, objective):
    # column 6 of the diabetes data crosses zero along the path: it leaves and joins again
    frame = pd.read_csv(SAMPLES_DIR / "diabetes.csv")
    X, y = frame.drop(columns=frame.columns[-1]).to_numpy(float), frame.iloc[:, -1].to_numpy(float)
    path = regcore.fit_path(X, y, "lasso")
    signs = np.sign(path.coef_std[:, 6])
    assert (signs < 0).any() and (signs > 0).any()
    assert path.converged.all()
    Xs, yc = standardise(X, y)
    ref = sklearn_path(Xs, yc, path.lambdas, 1.0)
    ours, theirs = (objective(Xs, yc, W, path.lambdas, 1.0) for W in (path.coef_std, ref))
    yy = yc @ yc / len(yc)
    assert ((ours - theirs) / yy).max() <= 1e-12


def test_duplicated_and_constant_columns():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 6))
    X = np.column_stack([X, X[:, 0], np.full(80, 2.5)])  # a copy of column 0 and a constant
    y = X[:, 0] * 2 - X[:, 3] + rng.normal(size=80)
    path = regcore.fit_path(X, y, "lasso", n_lambdas=60)
    assert path.converged.all()
    assert np.all(path.coef[:, 7] == 0)  # the constant column never enters
    # the copies share one fit: their sum is the single column's lasso coefficient
    single = regcore.fit_path(X[:, :6], y, "lasso", lambdas=path.lambdas)
    np.testing.assert_allclose(
        path.coef_std[:, 0] + path.coef_std[:, 6], single.coef_std[:, 0], atol=1e-6
    )
    np.testing.assert_allclose(path.objective, single.objective, rtol=1e-9)


@pytest.mark.parametrize("seed", [5198, 5, 77])
def test_more_columns_than_rows_near_interpolation(seed, objective):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(7, 8))
    X = np.sqrt(0.6) * Z + np.sqrt(0.4) * Z[:, :1]
    y = X @ (rng.normal(size=8) * (rng.random(8) < 0.5)) + rng.normal(size=7)
    for gram in (True, False):
        prob = Problem.from_data(X, y, gram=gram)
        grid = lambda_grid(2.0 * float(np.abs(prob.c).max()), 20, 1e-3)
        path = regcore.fit_path(None, None, "lasso", lambdas=grid, problem=prob)
        assert path.converged.all()
        assert (np.abs(path.kkt) <= 1e-8 * np.abs(prob.c).max()).all()


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(5, 60),
    p=st.integers(1, 30),
    seed=st.integers(0, 10_000),
    corr=st.floats(0.0, 0.95),
    alpha=st.sampled_from([1.0, 0.5, 0.1]),
)
def test_random_problems_match_a_tight_reference(
    n, p, seed, corr, alpha, standardise, sklearn_path, objective
):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p))
    X = np.sqrt(1 - corr) * Z + np.sqrt(corr) * Z[:, :1]  # correlated columns
    y = X @ (rng.normal(size=p) * (rng.random(p) < 0.5)) + rng.normal(size=n)
    path = regcore.fit_path(X, y, "elasticnet", alpha=alpha, n_lambdas=30)
    Xs, yc = standardise(X, y)
    yy = yc @ yc / n
    ref = sklearn_path(Xs, yc, path.lambdas, path.alpha)
    ours = objective(Xs, yc, path.coef_std, path.lambdas, path.alpha)
    theirs = objective(Xs, yc, ref, path.lambdas, path.alpha)
    assert ((ours - theirs) / yy).max() <= 1e-9
    assert (
        path.converged | (path.gap <= enet.gap_rounding(Problem.from_data(X, y), path.coef_std))
    ).all()
