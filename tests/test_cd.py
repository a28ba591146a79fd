"""The compiled path kernel (regcore.solvers.kernel) against independent references.

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
from regcore.penalties import ElasticNetPenalty, lambda_max_of
from regcore.solvers import enet, kernel
from regcore.solvers.problem import Problem


def _kernel_inputs(n=50, p=8, seed=0, gram=True):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p))
    y = X[:, :3] @ np.array([1.0, -2.0, 0.5]) + rng.normal(size=n)
    prob = Problem.from_data(X, y, gram=gram)
    grid = lambda_grid(lambda_max_of(prob.c, 0.7), 20, 1e-3)
    return X, y, prob, grid


@pytest.mark.parametrize("gram", [True, False])
def test_the_kernel_runs_compiled_and_agrees_with_its_source(gram):
    assert not numba.config.DISABLE_JIT
    _, _, prob, grid = _kernel_inputs(gram=gram)
    a, b = ElasticNetPenalty(0.7).coordinate_weights(None, prob.p)
    out = []
    fn = kernel.cd_path
    none = np.empty((0, 0))
    if gram:
        data = (np.ascontiguousarray(prob.G), none, np.empty(0), prob.c, prob.yy)
    else:
        XT = np.ascontiguousarray(prob.Xs.T)
        data = (none, XT, np.full(prob.n, 1 / prob.n), prob.c, prob.yy)
    for f in (fn, fn.py_func):
        k = grid.size
        res = (
            np.zeros((k, prob.p)),
            np.zeros((k, prob.p)),
            np.zeros(k, np.int64),
            np.zeros(k, bool),
        )
        buffers = kernel.workspace(prob.p, data[2].size)
        f(*data, a, b, grid, np.zeros(prob.p), 1e-12 * prob.yy, 10_000, *res, *buffers)
        out.append(res)
    assert fn.signatures  # compiled, not interpreted
    assert len(fn.signatures) == 1  # one signature: float64 arrays, int64 indices
    np.testing.assert_allclose(out[0][0], out[1][0], rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(out[0][2], out[1][2])
    assert out[0][3].all()
    W, g = out[0][0], out[0][1]
    np.testing.assert_allclose(
        g, prob.c - W @ (prob.Xs.T @ prob.Xs / prob.n if not gram else prob.G), atol=1e-12
    )


def test_weighted_sweeps_reach_the_weighted_lasso(objective):
    """The inner routine on row weights ω and a working response z (c0 = 0) converges to
    the weighted problem's optimum: its KKT conditions hold, and it matches scikit-learn's
    Lasso with sample weights."""
    from sklearn.linear_model import Lasso

    rng = np.random.default_rng(4)
    n, p = 40, 12
    X = rng.normal(size=(n, p))
    z = X[:, 0] - X[:, 1] + 0.3 * rng.normal(size=n)
    omega = rng.uniform(0.2, 1.0, size=n) / n
    h, l2 = np.full(p, 0.02), np.zeros(p)
    XT = np.ascontiguousarray(X.T)
    d = (XT * XT) @ omega
    w, r = np.zeros(p), z.copy()
    ws = np.arange(p, dtype=np.int64)
    for _ in range(5_000):
        if kernel.weighted_cd(XT, omega, r, np.zeros(p), w, ws, p, h, l2, d) < 1e-30:
            break
    np.testing.assert_allclose(r, z - X @ w, atol=1e-12)
    g = XT @ (omega * r)
    on = w != 0
    assert on.any() and (~on).any()
    np.testing.assert_allclose(g[on], h[on] * np.sign(w[on]), atol=1e-12)
    assert (np.abs(g[~on]) <= h[~on] + 1e-12).all()
    # Σω(z − Xw)² + 2h‖w‖₁  =  2·S·[(1/(2S))·Σ(ω/S)(z − Xw)²·… ]: sklearn's Lasso with
    # sample weights ω minimises (1/(2Σω))Σω(z − Xw)² + α‖w‖₁, so α = h/Σω
    ref = Lasso(alpha=0.02 / omega.sum(), fit_intercept=False, tol=1e-14, max_iter=100_000)
    ref.fit(X, z, sample_weight=omega)
    np.testing.assert_allclose(w, ref.coef_, atol=1e-8)


@pytest.mark.parametrize("gram", [True, False])
def test_warm_and_cold_starts_agree(gram):
    _, _, prob, grid = _kernel_inputs(n=60, p=15, seed=2, gram=gram)
    pen = ElasticNetPenalty(0.7)
    W, _, _, conv = kernel.path(prob, grid, pen, 1e-12)
    assert conv.all()
    for i in (3, 10, 19):
        cold, _, _, ok = kernel.path(prob, grid[i : i + 1], pen, 1e-12, start=np.zeros(prob.p))
        assert ok.all()
        np.testing.assert_allclose(cold[0], W[i], atol=1e-9)


@pytest.mark.parametrize("shape", [(300, 20), (40, 120), (5_000, 6)])
@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_both_modes_match_sklearn_with_factors(shape, alpha, standardise, sklearn_path, objective):
    """Penalty factors f on the L1 part are column scalings 1/f for the lasso; with an
    unpenalised column (factor 0) the optimum also has it at zero gradient."""
    n, p = shape
    rng = np.random.default_rng(n + p)
    X = rng.normal(size=(n, p))
    y = X[:, :4] @ np.array([2.0, -1.0, 0.5, 1.0]) + rng.normal(size=n)
    v = rng.uniform(0.5, 2.0, size=p)
    v[1] = 0.0
    for gram in [True, False] if n >= p else [False]:
        prob = Problem.from_data(X, y, gram=gram)
        path = regcore.fit_path(
            None, None, "elasticnet", alpha=alpha, problem=prob, penalty_factor=v, n_lambdas=30
        )
        assert path.converged.all()
        W = path.coef_std
        assert (W[:, 1] != 0).all()  # unpenalised: always in
        g = prob.c - W @ (prob.G if gram else prob.Xs.T @ prob.Xs / n)
        assert np.abs(g[:, 1]).max() <= 1e-9
        if alpha == 1.0:  # compare to scikit-learn on rescaled penalised columns
            Xs, yc = standardise(X, y)
            pen = v > 0
            Xr = Xs[:, pen] / v[pen]
            Xr -= Xs[:, ~pen] @ np.linalg.lstsq(Xs[:, ~pen], Xr, rcond=None)[0]
            yr = yc - Xs[:, ~pen] @ np.linalg.lstsq(Xs[:, ~pen], yc, rcond=None)[0]
            ref = sklearn_path(Xr, yr, path.lambdas, 1.0) / v[pen]
            ours = objective(Xr, yr, W[:, pen] * v[pen], path.lambdas, 1.0)
            theirs = objective(Xr, yr, ref * v[pen], path.lambdas, 1.0)
            yy = yr @ yr / n
            assert ((ours - theirs) / yy).max() <= 1e-10


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


@pytest.mark.parametrize("gram", [True, False])
def test_one_hot_groups_certify_every_point(gram, standardise, sklearn_path, objective):
    """The benchmark's one-hot table (every diabetes feature also cut into quintile
    indicators): after centring each indicator group is exactly collinear, so the support's
    block is singular.  The kernel still certifies every λ, in few epochs (the descent
    alone crawls there: over 1 000 epochs per λ, uncertified), and matches a tight reference."""
    from bench.paths import diabetes_one_hot

    X, y = diabetes_one_hot()
    prob = Problem.from_data(X, y, gram=gram)
    path = regcore.fit_path(None, None, "lasso", problem=prob, method="kernel")
    assert path.converged.all()
    assert path.n_iter.max() < 200
    Xs, yc = standardise(X, y)
    ref = sklearn_path(Xs, yc, path.lambdas, 1.0)
    ours, theirs = (objective(Xs, yc, W, path.lambdas, 1.0) for W in (path.coef_std, ref))
    assert ((ours - theirs) / (yc @ yc / len(y))).max() <= 1e-10


def _spd(k, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(3 * k, k))
    return A.T @ A / (3 * k)


def test_a_column_rotated_out_of_the_factor_leaves_the_factor_of_the_rest():
    """``_drop`` (Givens rotations) gives the Cholesky factor of the block without that place."""
    k = 7
    M = _spd(k, 1)
    lused = np.arange(k, dtype=float)
    for t in (0, 3, k - 1):
        L = np.linalg.cholesky(M)
        lf = lused.copy()
        kernel._drop(L, lf, t, k)
        keep = np.delete(np.arange(k), t)
        R = np.tril(L[: k - 1, : k - 1])
        np.testing.assert_allclose(R @ R.T, M[np.ix_(keep, keep)], rtol=0, atol=1e-13)
        assert (np.diag(R) > 0).all()
        np.testing.assert_array_equal(lf[: k - 1], lused[keep])


@pytest.mark.parametrize("stale", [False, True])
def test_the_block_solve_on_a_stale_factor_reaches_the_current_minimiser(stale):
    """``_solve``: with a factor made at a larger l2 (the last λ's), preconditioned conjugate
    gradients reach the solution of (Mo + diag(l2))·x = b; with a fresh factor, one solve."""
    k = 9
    Mo = _spd(k, 2)
    l2 = np.full(k, 0.05)
    lf = l2 / 0.75 if stale else l2
    B = np.zeros((2, k, k))
    B[0] = Mo
    B[1] = np.linalg.cholesky(Mo + np.diag(lf))
    F = np.zeros((9, k))
    F[4] = np.random.default_rng(3).normal(size=k)
    order, dep = np.arange(k), np.zeros(k, dtype=bool)
    assert kernel._solve(B, l2, order, dep, F, k, stale, 1e-30)
    np.testing.assert_allclose(F[2], np.linalg.solve(Mo + np.diag(l2), F[4]), rtol=1e-12)
    if stale:  # the stale factor alone is not the answer: the iterations did the work
        one = np.linalg.solve(Mo + np.diag(lf), F[4])
        assert np.abs(one - F[2]).max() > 1e-6
