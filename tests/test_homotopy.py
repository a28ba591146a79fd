"""The lasso homotopy (regcore.solvers.homotopy) against the one-λ active-set solver.

Every grid point it reads off must be the lasso solution there: equal to ``enet.solve``'s
(which is certified by its duality gap) and with a gap of its own at rounding level.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regcore.path as rpath
from regcore.datasets import SAMPLES_DIR
from regcore.path import fit_path, lambda_grid
from regcore.solvers import enet, homotopy
from regcore.solvers.problem import Problem


def _grid(prob: Problem, k: int = 60, ratio: float = 1e-4) -> np.ndarray:
    return lambda_grid(2.0 * float(np.abs(prob.c).max()), k, ratio)


def _check_against_solve(prob: Problem, grid: np.ndarray, W: np.ndarray, done: int) -> None:
    g = prob.c[None, :] - W[:done] @ prob.G
    _, gap, kkt = enet.certificates(prob, W[:done], g, grid[:done], np.zeros(done))
    assert np.all(gap <= 1e-12 * prob.yy)
    for i in range(0, done, 7):
        ref = enet.solve(prob, grid[i], 0.0, tol=1e-14)
        np.testing.assert_allclose(
            W[i], ref.w, rtol=1e-8, atol=1e-9 * np.abs(ref.w).max(initial=1.0)
        )


def test_diabetes_path_with_a_sign_change(diabetes_xy):
    # column 6 of the diabetes data crosses zero along the path: it leaves and joins again
    X, y = diabetes_xy
    prob = Problem.from_data(X, y)
    grid = _grid(prob, 100)
    W, kinks, done = homotopy.lasso_path(prob, grid)
    assert done == grid.size
    signs = np.sign(W[:, 6])
    assert (signs < 0).any() and (signs > 0).any()
    assert kinks.sum() > (W[-1] != 0).sum()  # more kinks than columns: somebody left
    _check_against_solve(prob, grid, W, done)


def test_duplicated_and_constant_columns():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 6))
    X = np.column_stack([X, X[:, 0], np.full(80, 2.5)])  # a copy of column 0 and a constant
    y = X[:, 0] * 2 - X[:, 3] + rng.normal(size=80)
    prob = Problem.from_data(X, y)
    grid = _grid(prob)
    W, _, done = homotopy.lasso_path(prob, grid)
    assert done == grid.size  # an exact copy sits on its bound (q = 0, a = ±1): it never joins
    assert np.all(W[:, 7] == 0)  # the constant column never enters
    assert np.all((W[:, 0] == 0) | (W[:, 6] == 0))  # of two equal columns one carries the weight
    _check_against_solve(prob, grid, W, done)
    path = fit_path(X, y, "lasso", lambdas=grid)  # the one-λ search finishes the grid
    assert path.converged.all() and np.all(path.coef[:, 7] == 0)
    reference = np.array([enet.solve(prob, lam, 0.0, tol=1e-14).objective for lam in grid])
    np.testing.assert_allclose(path.objective, reference, rtol=1e-10)


def test_budget_stops_early_and_fit_path_finishes_the_grid():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(200, 12))
    y = X @ rng.normal(size=12) + rng.normal(size=200)
    prob = Problem.from_data(X, y)
    grid = _grid(prob, 50)
    W, _, done = homotopy.lasso_path(prob, grid, max_kinks=4)
    assert 0 < done < grid.size
    _check_against_solve(prob, grid, W, done)
    path = fit_path(X, y, "lasso", lambdas=grid)
    assert path.converged.all()
    ref = np.array([enet.solve(prob, lam, 0.0, tol=1e-14).w for lam in grid])
    np.testing.assert_allclose(path.coef_std, ref, rtol=1e-8, atol=1e-9)


def test_fit_path_same_answer_from_the_exact_strategies_and_the_kernel(diabetes_xy):
    X, y = diabetes_xy
    exact = fit_path(X, y, "lasso", method="exact")
    compiled = fit_path(X, y, "lasso", method="kernel")
    np.testing.assert_allclose(exact.coef, compiled.coef, rtol=1e-9, atol=1e-9)
    assert exact.converged.all() and compiled.converged.all()
    with pytest.raises(ValueError, match="method"):
        fit_path(X, y, "lasso", method="fast")


def test_grid_point_exactly_at_lambda_max_and_at_zero():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(60, 5))
    y = X[:, 1] + 0.5 * rng.normal(size=60)
    path = fit_path(X, y, "lasso", lambdas=[0.0, 1e-3, 0.1, 10.0])
    lam_max = path.lambda_max
    path2 = fit_path(X, y, "lasso", lambdas=[lam_max, lam_max / 2, 0.0])
    assert np.all(path2.coef[0] == 0)
    assert path.converged.all() and path2.converged.all()
    ls = np.linalg.lstsq(np.column_stack([np.ones(60), X]), y, rcond=None)[0]
    np.testing.assert_allclose(path.coef[-1], ls[1:], rtol=1e-10)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(5, 40),
    p=st.integers(1, 12),
    seed=st.integers(0, 10_000),
    corr=st.floats(0.0, 0.95),
)
def test_random_problems_match_the_one_lambda_solver(n, p, seed, corr):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p))
    X = np.sqrt(1 - corr) * Z + np.sqrt(corr) * Z[:, :1]  # correlated columns
    y = X @ (rng.normal(size=p) * (rng.random(p) < 0.5)) + rng.normal(size=n)
    prob = Problem.from_data(X, y, gram=True)
    if prob.yy == 0 or not np.abs(prob.c).max() > 0:
        return
    grid = _grid(prob, 30, 1e-3)
    W, _, done = homotopy.lasso_path(prob, grid)
    assert done > 0
    g = prob.c[None, :] - W[:done] @ prob.G
    objective, _, _ = enet.certificates(prob, W[:done], g, grid[:done], np.zeros(done))
    # as good as the one-λ solver, to the rounding of the objective itself
    reference = np.array([enet.solve(prob, lam, 0.0).objective for lam in grid[:done]])
    assert np.all(objective <= reference + 1e-9 * prob.yy)
    path = fit_path(X, y, "lasso", lambdas=grid)
    assert path.converged.all()


@pytest.fixture
def diabetes_xy():
    frame = pd.read_csv(SAMPLES_DIR / "diabetes.csv")
    X = frame.drop(columns=["progression"]).to_numpy(dtype=float)
    return X, frame["progression"].to_numpy(dtype=float)


@pytest.mark.parametrize("alpha", [0.9, 0.5, 0.1])
def test_elastic_net_closed_form_between_changes_matches_the_search(
    monkeypatch, diabetes_xy, alpha
):
    X, y = diabetes_xy
    prob = Problem.from_data(X, y)
    grid = lambda_grid(2.0 * float(np.abs(prob.c).max()) / alpha, 80, 1e-4)
    calls = []

    def counted(*args, **kwargs):
        calls.append(1)
        return enet.search(*args, **kwargs)

    W, g, _, settled, _ = homotopy.enet_path(prob, grid, alpha, 1e-10, counted)
    assert settled.all()
    assert len(calls) < grid.size / 2  # most points came from the closed form
    np.testing.assert_allclose(g, prob.c[None, :] - W @ prob.G, atol=1e-12 * np.abs(prob.c).max())
    _, gap, _ = enet.certificates(prob, W, g, grid * alpha, grid * (1 - alpha))
    assert np.all(gap <= 1e-12 * prob.yy)
    for i in range(0, grid.size, 9):
        ref = enet.solve(prob, grid[i] * alpha, grid[i] * (1 - alpha), tol=1e-14)
        np.testing.assert_allclose(
            W[i], ref.w, rtol=1e-8, atol=1e-9 * np.abs(ref.w).max(initial=1.0)
        )
    np.testing.assert_array_equal(
        fit_path(X, y, "elasticnet", alpha=alpha, lambdas=grid, method="exact").coef_std, W
    )
    monkeypatch.setattr(rpath, "HOMOTOPY_KINKS_PER_POINT", 0.0)
    one_by_one = fit_path(X, y, "elasticnet", alpha=alpha, lambdas=grid, method="exact")
    np.testing.assert_allclose(one_by_one.coef_std, W, rtol=1e-9, atol=1e-9)


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(5, 40),
    p=st.integers(1, 12),
    seed=st.integers(0, 10_000),
    corr=st.floats(0.0, 0.95),
    alpha=st.sampled_from([0.05, 0.5, 0.9]),
)
def test_elastic_net_closed_form_on_random_problems(n, p, seed, corr, alpha):
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n, p))
    X = np.sqrt(1 - corr) * Z + np.sqrt(corr) * Z[:, :1]
    y = X @ (rng.normal(size=p) * (rng.random(p) < 0.5)) + rng.normal(size=n)
    prob = Problem.from_data(X, y, gram=True)
    if prob.yy == 0 or not np.abs(prob.c).max() > 0:
        return
    grid = lambda_grid(2.0 * float(np.abs(prob.c).max()) / alpha, 30, 1e-3)
    W, g, _, _, _ = homotopy.enet_path(prob, grid, alpha, 1e-10)
    np.testing.assert_allclose(
        g, prob.c[None, :] - W @ prob.G, atol=1e-10 * (np.abs(prob.c).max() + 1)
    )
    objective, _, _ = enet.certificates(prob, W, g, grid * alpha, grid * (1 - alpha))
    reference = np.array(
        [enet.solve(prob, lam * alpha, lam * (1 - alpha)).objective for lam in grid]
    )
    assert np.all(objective <= reference + 1e-9 * prob.yy)


def _near_interpolation(seed: int = 5198, corr: float = 0.405385086543729):
    """7 rows, 8 correlated columns: near interpolation the active block turns singular."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(7, 8))
    X = np.sqrt(1 - corr) * Z + np.sqrt(corr) * Z[:, :1]
    y = X @ (rng.normal(size=8) * (rng.random(8) < 0.5)) + rng.normal(size=7)
    return X, y


def test_a_point_the_search_cannot_settle_does_not_spoil_the_ones_after_it(monkeypatch):
    # where the search hands a point over to ``solve`` (here: made to, at one point), the
    # next points must start from that finished point, not from the unsettled search
    X, y = _near_interpolation()
    prob = Problem.from_data(X, y, gram=True)
    grid = lambda_grid(2.0 * float(np.abs(prob.c).max()), 30, 1e-3)
    real = enet.search
    calls = []

    def search(prob, lam1, lam2, w0=None, **kwargs):
        step = real(prob, lam1, lam2, w0, **kwargs)
        calls.append(lam1)
        if len(calls) == 20:  # this point's search gives up half way
            return enet.Step(w=w0.copy(), g=step.g, n_iter=step.n_iter, settled=False, factor=None)
        return step

    monkeypatch.setattr(enet, "search", search)
    path = fit_path(X, y, "lasso", lambdas=grid)
    prob = path.problem(X, y)
    assert prob.mode == "data" and path.converged.all()
    reference = np.array([real(prob, lam, 0.0).w for lam in grid])
    np.testing.assert_allclose(
        path.coef_std, reference, rtol=0, atol=1e-8 * np.abs(reference).max()
    )


@pytest.mark.parametrize("seed", [5198, 5, 77, 1234])
def test_a_singular_active_block_is_crossed_by_swapping_columns(seed):
    # lasso with more columns than the rows can separate: a violating column that is a
    # combination of the active ones swaps in for one of them (same fit, smaller ‖w‖₁), so
    # a cold start at any λ settles by itself, with no fallback, at the path's objective
    X, y = _near_interpolation(seed)
    for gram in (True, False):
        prob = Problem.from_data(X, y, gram=gram)
        grid = lambda_grid(2.0 * float(np.abs(prob.c).max()), 20, 1e-3)
        path = fit_path(X, y, "lasso", lambdas=grid)
        for lam, best in zip(grid, path.objective, strict=True):
            step = enet.search(prob, lam, 0.0)
            assert step.settled and step.n_iter < 60
            sol = enet.solve(prob, lam, 0.0)
            assert sol.converged and sol.n_iter < 60
            assert sol.objective <= best + 1e-9 * prob.yy
