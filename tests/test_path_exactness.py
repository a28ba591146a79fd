"""Lasso and elastic-net paths on the diabetes data (a sign change along the path) and at
the grid's ends (λ_max, 0): certified and as good as a tight scikit-learn path's (copies,
constant columns, random and near-interpolating problems: ``test_cd.py``).  The exact
strategy (the active-set search, ``method="exact"``) must agree with the kernel and
survive a search that gives up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from regcore.datasets import SAMPLES_DIR
from regcore.path import fit_path, lambda_grid
from regcore.solvers import enet, kernel
from regcore.solvers.problem import Problem


@pytest.fixture
def diabetes_xy():
    frame = pd.read_csv(SAMPLES_DIR / "diabetes.csv")
    X = frame.drop(columns=["progression"]).to_numpy(dtype=float)
    return X, frame["progression"].to_numpy(dtype=float)


def _as_good_as_sklearn(path, X, y, standardise, sklearn_path, objective, slack=1e-9):
    """The path's objective at every λ is at most a tight reference's plus slack·yy."""
    Xs, yc = standardise(X, y)
    ref = sklearn_path(Xs, yc, path.lambdas, path.alpha)
    ours = objective(Xs, yc, path.coef_std, path.lambdas, path.alpha)
    theirs = objective(Xs, yc, ref, path.lambdas, path.alpha)
    yy = float(yc @ yc) / yc.size
    assert np.all(ours <= theirs + slack * yy)
    return ref


def test_diabetes_path_with_a_sign_change(diabetes_xy, standardise, sklearn_path, objective):
    # column 6 of the diabetes data crosses zero along the path: it leaves and joins again
    X, y = diabetes_xy
    path = fit_path(X, y, "lasso", n_lambdas=100)
    signs = np.sign(path.coef_std[:, 6])
    assert (signs < 0).any() and (signs > 0).any()
    assert path.converged.all() and (path.gap <= 1e-10 * path.objective[0]).all()
    ref = _as_good_as_sklearn(path, X, y, standardise, sklearn_path, objective, 1e-12)
    np.testing.assert_allclose(path.coef_std, ref, rtol=1e-7, atol=1e-8 * np.abs(ref).max())


@pytest.mark.parametrize("alpha", [0.9, 0.5, 0.1])
def test_diabetes_elastic_net_matches_a_tight_reference(
    diabetes_xy, alpha, standardise, sklearn_path, objective
):
    X, y = diabetes_xy
    path = fit_path(X, y, "elasticnet", alpha=alpha, n_lambdas=80)
    assert path.converged.all()
    ref = _as_good_as_sklearn(path, X, y, standardise, sklearn_path, objective, 1e-12)
    np.testing.assert_allclose(path.coef_std, ref, rtol=1e-7, atol=1e-8 * np.abs(ref).max())


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


def _near_interpolation(seed: int = 5198, corr: float = 0.405385086543729):
    """7 rows, 8 correlated columns: near interpolation the support's block turns singular."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(7, 8))
    X = np.sqrt(1 - corr) * Z + np.sqrt(corr) * Z[:, :1]
    y = X @ (rng.normal(size=8) * (rng.random(8) < 0.5)) + rng.normal(size=7)
    return X, y


def test_fit_path_same_answer_from_the_exact_strategy_and_the_kernel(diabetes_xy):
    X, y = diabetes_xy
    for penalty, alpha in (("lasso", None), ("elasticnet", 0.5)):
        exact = fit_path(X, y, penalty, alpha=alpha, method="exact")
        compiled = fit_path(X, y, penalty, alpha=alpha, method="kernel")
        np.testing.assert_allclose(exact.coef, compiled.coef, rtol=1e-9, atol=1e-9)
        assert exact.converged.all() and compiled.converged.all()
    with pytest.raises(ValueError, match="method"):
        fit_path(X, y, "lasso", method="fast")


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
    path = fit_path(X, y, "lasso", lambdas=grid, method="exact")
    assert len(calls) >= 20  # the search ran, and gave up once
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


@pytest.mark.parametrize(
    ("seed", "n", "p", "true", "ratio"), [(0, 340, 1000, 20, 3e-3), (1, 500, 450, 90, 1e-3)]
)
def test_a_support_beyond_exact_max_gets_the_exact_finish(seed, n, p, true, ratio):
    # the lasso support past kernel.EXACT_MAX columns, in data mode (p > n; the support
    # stays ≤ n) and in Gram mode (up to GRAM_EXACT_MAX): the kernel's exact solve still
    # ends each λ in a few epochs (the descent alone took 1 000-1 800 on the first, 279 at
    # a 400-column support on the second; with it 6)
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    y = X[:, :true] @ rng.standard_normal(true) + rng.standard_normal(n)
    path = fit_path(X, y, "lasso", n_lambdas=30, lambda_min_ratio=ratio, method="kernel")
    wide = path.n_nonzero > kernel.EXACT_MAX
    assert wide.any() and path.converged.all()
    assert path.n_iter[wide].max() <= 100


@pytest.mark.parametrize(("n", "p"), [(420, 360), (340, 1000)])
def test_auto_gives_the_kernel_every_problem_its_exact_finish_covers(n, p):
    # min(n, p) > EXACT_MAX, but within kernel.exact_max (Gram mode up to GRAM_EXACT_MAX
    # columns, data mode up to WIDE_EXACT_MAX rows): "auto" is the kernel, not the search
    rng = np.random.default_rng(n + p)
    X = rng.standard_normal((n, p))
    y = X[:, :30] @ rng.standard_normal(30) + rng.standard_normal(n)
    auto = fit_path(X, y, "lasso", n_lambdas=20)
    cd = fit_path(X, y, "lasso", n_lambdas=20, method="kernel")
    search = fit_path(X, y, "lasso", n_lambdas=20, method="exact")
    np.testing.assert_array_equal(auto.n_iter, cd.n_iter)
    np.testing.assert_array_equal(auto.coef, cd.coef)
    assert not np.array_equal(auto.n_iter, search.n_iter)
