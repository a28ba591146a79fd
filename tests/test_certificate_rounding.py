"""Certificates at the edge of double precision: nearly duplicate columns.

Two columns that differ by 1e-3 of their spread, with a target that follows their
difference, put coefficients of ±2 800 on them.  Through G the duality gap then carries
rounding of order ε·|w|ᵀ|G||w| ≈ 1e-9·yy, above the default tol, which no iteration can lower.
What must hold: the path finishes without grinding coordinate descent against that floor,
it re-certifies (and refines) those λ from the rows, every λ is either converged or at its
stated rounding floor, the note says so, and the coefficients are at least as good as a
tight scikit-learn reference's.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.linear_model import enet_path

import regcore
import regcore.path as rpath
from regcore.cv import cross_validate
from regcore.solvers import enet, kernel
from regcore.solvers.factor import ActiveInverse
from regcore.solvers.problem import Problem


def _near_duplicates(n: int = 160, seed: int = 0):
    rng = np.random.default_rng(seed)
    b = rng.standard_normal(n)
    X = 1e4 + np.column_stack([b, b + 1e-3 * rng.standard_normal(n), rng.standard_normal((n, 3))])
    y = 3000.0 * (X[:, 1] - X[:, 0]) + 0.1 * rng.standard_normal(n)
    return X, y


@pytest.fixture
def count_sweeps(monkeypatch):
    """Total coordinate-descent sweeps of the fallback while the test runs."""
    sweeps = [0]
    original = enet._coordinate_descent

    def counted(*args, **kwargs):
        w, done = original(*args, **kwargs)
        sweeps[0] += done
        return w, done

    monkeypatch.setattr(enet, "_coordinate_descent", counted)
    return sweeps


@pytest.mark.parametrize("mode", ["gram", "data"])
@pytest.mark.parametrize("fit_intercept,standardize", [(True, True), (True, False), (False, True)])
def test_fit_from_rows_agrees_with_the_moments_on_a_plain_problem(
    mode, fit_intercept, standardize, make_data
):
    X, y = make_data(70, 9, rho=0.3, seed=11)
    prob = Problem.from_data(
        X, y, standardize=standardize, fit_intercept=fit_intercept, gram=mode == "gram"
    )
    W = np.random.default_rng(1).standard_normal((4, 9)) * (
        np.random.default_rng(2).random((4, 9)) < 0.6
    )
    rr, ry, g = prob.fit_from_rows(
        X, y, W, block_elements=70 * 3
    )  # blocks of 3 rows of W (and of 3 columns)
    G = prob.G if prob.G is not None else prob.Xs.T @ prob.Xs / prob.n
    np.testing.assert_allclose(
        g, prob.c[None, :] - W @ G, rtol=0, atol=1e-12 * np.abs(prob.c).max()
    )
    np.testing.assert_allclose(ry, prob.yy - W @ prob.c, rtol=1e-12)
    np.testing.assert_allclose(
        rr, prob.yy - 2 * W @ prob.c + np.einsum("kp,pq,kq->k", W, G, W), rtol=1e-11
    )


@pytest.mark.parametrize(
    "penalty,alpha", [("lasso", None), ("elasticnet", 0.99), ("elasticnet", 0.5)]
)
def test_near_duplicate_columns_finish_at_once_and_are_certified_honestly(
    penalty, alpha, count_sweeps, standardise, objective
):
    X, y = _near_duplicates()
    path = regcore.fit_path(X, y, penalty, alpha=alpha, n_lambdas=30)
    prob = path.problem(X, y)
    # before the rounding floor was recognised, the fallback ran 400 000 sweeps per λ here
    assert count_sweeps[0] <= 100 * path.lambdas.size
    assert (path.n_iter <= 1000).all()
    floors = enet.gap_rounding(prob, path.coef_std)
    assert (path.converged | (path.gap <= floors)).all()
    assert (path.gap[path.converged] <= path.tol * prob.yy).all()
    if not path.converged.all():
        assert any("rounding level of double precision" in note for note in path.notes)
    # the reported gap is the rows' own: recomputed here from the data, it agrees
    a = path.alpha
    Xs, yc = standardise(X, y)
    ours = objective(Xs, yc, path.coef_std, path.lambdas, a)
    np.testing.assert_allclose(path.objective, ours, rtol=1e-12)
    # and the coefficients are as good as a tight scikit-learn path's, to rounding
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn does not converge here
        ref = enet_path(Xs, yc, l1_ratio=a, alphas=path.lambdas / 2, tol=1e-12, max_iter=200_000)[
            1
        ].T
    theirs = objective(Xs, yc, ref, path.lambdas, a)
    assert ((ours - theirs) / prob.yy).max() <= 1e-12


def test_refinement_from_the_rows_lowers_the_gap_the_rows_certify():
    X, y = _near_duplicates()
    prob = Problem.from_data(X, y)
    grid = rpath.lambda_grid(2.0 * np.abs(prob.c).max(), 30)
    W = rpath._solve_grid(prob, grid, 1.0, 1e-10, None)[0]
    lam1, lam2 = grid, np.zeros_like(grid)
    rr, ry, g = prob.fit_from_rows(X, y, W)
    before = kernel.certificates(prob, W, g, lam1, lam2, fit=(rr, ry))[1]
    W2, objective, after, kkt = rpath._polish(prob, X, y, W, lam1, lam2, target=0.0)
    assert (after <= before).all()
    assert (after < 0.5 * before).sum() >= 5  # the small-λ end, where the coefficients are large
    rr2, ry2, g2 = prob.fit_from_rows(X, y, W2)
    np.testing.assert_array_equal(
        after, kernel.certificates(prob, W2, g2, lam1, lam2, fit=(rr2, ry2))[1]
    )
    assert (np.sign(W2) == np.sign(W)).all()


def test_one_lambda_solve_at_the_floor_skips_the_fallback(count_sweeps):
    X, y = _near_duplicates()
    prob = Problem.from_data(X, y)
    lam = 1e-4 * 2.0 * np.abs(prob.c).max()
    sol = enet.solve(prob, lam, 0.0, tol=1e-10)
    assert count_sweeps[0] == 0 or sol.converged
    assert sol.converged or sol.gap <= enet.gap_rounding(prob, sol.w)[0]
    # forced to run, coordinate descent stops as soon as its objective stalls or reaches the floor
    w, sweeps = enet._coordinate_descent(prob, sol.w, lam, 0.0, 1e-14)
    assert sweeps <= 30
    g = prob.gradient(w, np.flatnonzero(w))
    assert enet.certificate(prob, w, g, lam, 0.0)[0] <= sol.objective + 1e-14 * prob.yy


def test_cross_validation_of_near_duplicates_does_not_grind(count_sweeps):
    X, y = _near_duplicates()
    result = cross_validate(X, y, "lasso", k=5, n_lambdas=30)
    assert count_sweeps[0] <= 100 * 30 * 6
    assert np.isfinite(result.mean).all()


def _offset_without_intercept(n: int = 32, p: int = 21, seed: int = 157):
    """Columns 5 + 1e-3·noise, fitted without an intercept: G is nearly 25·11ᵀ, its small
    eigenvalues known only to rounding, so the updated inverse cannot meet the search's
    residual test and the block must be solved by a pivoted factorisation."""
    rng = np.random.default_rng(seed)
    X = 5.0 + 1e-3 * rng.standard_normal((n, p))
    y = X[:, :3].sum(axis=1) * 0.4 + rng.standard_normal(n)
    return X, y


@pytest.mark.parametrize("penalty,alpha", [("lasso", None), ("elasticnet", 0.95)])
def test_nearly_rank_one_design_without_intercept_is_solved_by_the_search(
    penalty, alpha, count_sweeps, objective
):
    X, y = _offset_without_intercept()
    path = regcore.fit_path(
        X, y, penalty, alpha=alpha, standardize=False, fit_intercept=False, n_lambdas=30
    )
    prob = path.problem(X, y)
    assert count_sweeps[0] <= 100 * path.lambdas.size  # before: two λ ran 95 000 sweeps each
    floors = enet.gap_rounding(prob, path.coef_std)
    assert (path.converged | (path.gap <= floors)).all()
    a = path.alpha
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = enet_path(X, y, l1_ratio=a, alphas=path.lambdas / 2, tol=1e-12, max_iter=200_000)[1].T
    ours, theirs = (
        objective(X, y, path.coef, path.lambdas, a),
        objective(X, y, ref, path.lambdas, a),
    )
    assert ((ours - theirs) / prob.yy).max() <= 1e-12


def test_a_direct_factor_solves_with_the_block_itself():
    X, y = _offset_without_intercept()
    prob = Problem.from_data(X, y, standardize=False, fit_intercept=False)
    idx = np.array([0, 3, 4, 9, 12, 17])
    rhs = np.random.default_rng(0).standard_normal(idx.size)
    factor = ActiveInverse.build(prob, 0.0, idx)
    factor.direct = True
    M = prob.block(idx)
    x = factor.solve(rhs)
    # backward stable: the residual is rounding of ‖M‖·‖x‖, whatever the condition number
    assert (
        np.abs(M @ x - rhs).max() <= 1e3 * np.finfo(float).eps * np.abs(M).max() * np.abs(x).max()
    )
    lam2 = 0.3
    np.testing.assert_allclose(
        factor.solve(rhs, lam2), np.linalg.solve(M + lam2 * np.eye(idx.size), rhs), rtol=1e-10
    )


def test_the_fallback_never_returns_a_worse_gap_than_its_start(monkeypatch):
    descent = enet._coordinate_descent
    monkeypatch.setattr(
        enet, "_coordinate_descent", lambda *a, **k: descent(*a, **k, max_updates=20_000)
    )
    X, y = _near_duplicates()
    path = regcore.fit_path(X, y, "lasso", n_lambdas=30)
    prob = path.problem(X, y)
    worse = 0
    for w, lam1 in zip(path.coef_std[10:], path.lambdas[10:], strict=True):
        start_gap = enet.certificate(prob, w, prob.gradient(w, np.flatnonzero(w)), lam1, 0.0)[1]
        end, _ = descent(prob, w, lam1, 0.0, 1e-16, max_updates=20_000)
        worse += (
            enet.certificate(prob, end, prob.gradient(end, np.flatnonzero(end)), lam1, 0.0)[1]
            > start_gap
        )
        # a tol no gap can meet: the descent runs, and its rounding may leave it worse off
        assert enet._fallback(prob, w, lam1, 0.0, 1e-16).gap <= start_gap
    assert worse  # the case the fallback guards against does occur here


def test_a_search_that_ends_above_its_start_is_retried_from_the_start(monkeypatch):
    # on a nearly singular block, rounding can lead the search, unsettled, to a point above its
    # warm start; the retry (and the fallback after it) must go on from the lower of the two
    X, y = _near_duplicates()
    prob = Problem.from_data(X, y)
    lam = 0.05 * 2.0 * np.abs(prob.c).max()
    good = enet.solve(prob, lam, 0.0).w
    original = enet.search
    starts = []

    def wandering(prob, lam1, lam2, w0=None, **kwargs):
        starts.append(np.array(w0, dtype=float))
        if len(starts) == 1:  # the first search wanders off and does not settle
            bad = np.array(w0, dtype=float)
            bad[np.flatnonzero(bad == 0)[:2]] = 50.0
            return enet.Step(
                w=bad,
                g=prob.gradient(bad, np.flatnonzero(bad)),
                n_iter=3,
                settled=False,
                factor=None,
            )
        return original(prob, lam1, lam2, w0, **kwargs)

    monkeypatch.setattr(enet, "search", wandering)
    sol = enet.solve(prob, lam, 0.0, good)
    assert len(starts) == 2
    np.testing.assert_array_equal(starts[1], good)  # not the point the first search left
    assert (
        sol.converged
        and sol.objective
        <= enet.certificate(prob, good, prob.gradient(good, np.flatnonzero(good)), lam, 0.0)[0]
        + 1e-14 * prob.yy
    )
