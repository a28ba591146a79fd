"""Data mode's single-precision screening product (Problem.gradient with exact_from)."""

from __future__ import annotations

import numpy as np
import pytest

from regcore.path import fit_path
from regcore.solvers.problem import Problem


@pytest.mark.parametrize("scale", [1.0, 1e6])
def test_screened_gradient_is_exact_where_it_matters(scale):
    rng = np.random.default_rng(0)
    n, p = 60, 600
    X = rng.normal(size=(n, p)) * scale + 3.0 * scale
    y = X[:, :5] @ np.ones(5) / scale + rng.normal(size=n)
    prob = Problem.from_data(X, y, standardize=False)
    assert prob.mode == "data"
    active = np.array([0, 3, 7, 100])
    w = np.zeros(p)
    w[active] = rng.normal(size=4) / scale
    exact = prob.gradient(w, active)
    t = np.quantile(np.abs(exact), 0.97)
    g = prob.gradient(w, active, exact_from=t)
    need = np.union1d(active, np.flatnonzero(np.abs(exact) >= t))
    np.testing.assert_allclose(g[need], exact[need], rtol=1e-12, atol=1e-14 * np.abs(exact).max())
    rest = np.setdiff1d(np.arange(p), need)
    assert np.all(np.abs(g[rest]) < t) and np.all(np.abs(exact[rest]) < t)
    assert not np.array_equal(g, exact)  # the screening product really ran in single precision


def test_wide_path_agrees_with_gram_mode():
    rng = np.random.default_rng(1)
    n, p = 40, 400
    X = rng.normal(size=(n, p))
    y = X[:, :6] @ rng.normal(size=6) + 0.3 * rng.normal(size=n)
    data = fit_path(X, y, "elasticnet", alpha=0.7)
    assert data.problem(X, y).mode == "data"
    gram = fit_path(
        None,
        None,
        "elasticnet",
        alpha=0.7,
        lambdas=data.lambdas,
        problem=Problem.from_data(X, y, gram=True),
    )
    assert data.converged.all() and gram.converged.all()
    np.testing.assert_allclose(data.objective, gram.objective, rtol=1e-9)


@pytest.mark.parametrize(
    ("n", "p", "alpha"), [(300, 40, 1.0), (300, 40, 0.3), (40, 120, 1.0), (40, 120, 0.5)]
)
def test_a_wrong_prediction_of_the_violators_costs_time_not_the_answer(n, p, alpha):
    # search(g0=…) takes the predicted violators in before its first solve; a prediction
    # that names the wrong columns, with the wrong signs, must still end at the same point
    from regcore.solvers import enet

    rng = np.random.default_rng(11)
    X = rng.normal(size=(n, p))
    y = X[:, :6] @ rng.normal(size=6) + rng.normal(size=n)
    prob = Problem.from_data(X, y)
    lam = 0.05 * 2 * np.abs(prob.c).max()
    lam1, lam2 = lam * alpha, lam * (1 - alpha)
    w0 = enet.solve(prob, 2 * lam1, 2 * lam2).w  # a warm start from a larger λ
    plain = enet.search(prob, lam1, lam2, w0)
    assert plain.settled
    best = enet.certificate(prob, plain.w, plain.g, lam1, lam2)[0]
    # the search stops once its active KKT residual is within 1e-9 of the scale, so its gap
    # can reach the path's default tolerance after many updates of the inverse (the path
    # certifies every point and solves again any that misses it)
    accurate = 1e-10 * prob.yy
    h = lam1 / 2
    for g0 in (-prob.c, rng.normal(scale=3 * h, size=p), np.full(p, 10 * h), np.zeros(p)):
        step = enet.search(prob, lam1, lam2, w0, g0=g0)
        assert step.settled
        objective, gap, _ = enet.certificate(prob, step.w, step.g, lam1, lam2)
        assert gap <= accurate and abs(objective - best) <= accurate
        np.testing.assert_array_equal(step.w != 0, plain.w != 0)
        np.testing.assert_allclose(step.w, plain.w, rtol=0, atol=1e-8 * np.abs(plain.w).max())


@pytest.mark.parametrize("n", [100, 16 * 2048 + 7])  # plain products; blocks, the last one short
@pytest.mark.parametrize("order", ["C", "F"])
def test_products_in_one_pass_equal_plain_ones(n, order):
    from regcore.solvers.problem import products

    rng = np.random.default_rng(5)
    X = np.asarray(rng.normal(size=(n, 7)) + 3.0, order=order)
    v = rng.normal(size=n)
    XtX, sums, Xtv = products(X, v)
    np.testing.assert_allclose(XtX, X.T @ X, rtol=1e-12)
    np.testing.assert_allclose(sums, X.sum(axis=0), rtol=1e-12)
    np.testing.assert_allclose(Xtv, X.T @ v, rtol=1e-10, atol=1e-12 * n)
