"""Penalties: value, (sub)gradient, prox (against a brute-force argmin) and λ_max (against the
smallest all-zero λ found by bisection with fit_path)."""

from __future__ import annotations

import numpy as np
import pytest

import regcore
from regcore.penalties import L1, L2, ElasticNetPenalty, penalty_for, soft_threshold

PENALTY_OBJECTS = [
    L1(),
    L2(),
    ElasticNetPenalty(0.3),
    ElasticNetPenalty(0.0),
    ElasticNetPenalty(1.0),
]
W = np.array([-2.0, -0.5, 0.0, 0.25, 3.0])


@pytest.mark.parametrize("pen", PENALTY_OBJECTS, ids=repr)
def test_value_is_lambda_times_the_mixed_norm(pen):
    a, lam = pen.alpha, 0.7
    expected = lam * (a * np.abs(W).sum() + (1 - a) * (W @ W))
    assert pen.value(W, lam) == pytest.approx(expected, rel=1e-15)
    assert pen.value(np.zeros(3), lam) == 0.0


@pytest.mark.parametrize("pen", PENALTY_OBJECTS, ids=repr)
def test_gradient_uses_sign_zero_at_zero_and_matches_finite_differences(pen):
    lam, a = 0.7, pen.alpha
    g = pen.grad(W, lam)
    np.testing.assert_allclose(g, lam * (a * np.sign(W) + 2 * (1 - a) * W), rtol=1e-15)
    assert g[2] == 0.0  # the article's convention: |w| contributes 0 at w = 0
    h = 1e-6
    for j in np.flatnonzero(W):
        step = np.zeros_like(W)
        step[j] = h
        numeric = (pen.value(W + step, lam) - pen.value(W - step, lam)) / (2 * h)
        assert g[j] == pytest.approx(numeric, rel=1e-6)


@pytest.mark.parametrize("pen", PENALTY_OBJECTS, ids=repr)
@pytest.mark.parametrize("v", [-3.0, -0.4, -0.1, 0.0, 0.05, 0.3, 2.5])
def test_prox_is_the_brute_force_argmin(pen, v):
    lam, step = 0.8, 0.5
    grid = np.linspace(-4.0, 4.0, 800_001)  # spacing 1e-5
    objective = 0.5 * (grid - v) ** 2 + step * lam * (
        pen.alpha * np.abs(grid) + (1 - pen.alpha) * grid**2
    )
    best = grid[np.argmin(objective)]
    assert float(pen.prox(np.array([v]), lam, step)[0]) == pytest.approx(best, abs=1e-5)


def test_prox_of_l1_lands_exactly_on_zero_inside_the_threshold():
    v = np.array([-0.39, -0.2, 0.0, 0.1, 0.4])
    out = L1().prox(v, 0.8, 0.5)  # threshold 0.4
    np.testing.assert_array_equal(out[:4], 0.0)
    assert out[4] == pytest.approx(0.0, abs=1e-15) and out[4] >= 0
    np.testing.assert_array_equal(soft_threshold([-3.0, 0.5, 3.0], 1.0), [-2.0, 0.0, 2.0])


@pytest.mark.parametrize("penalty,alpha", [("lasso", 1.0), ("elasticnet", 0.6)])
def test_lambda_max_is_the_smallest_all_zero_lambda(penalty, alpha, make_data, standardise):
    X, y = make_data(50, 7, seed=41)
    Xs, _ = standardise(X, y)
    claimed = penalty_for(penalty, alpha).lambda_max(Xs, y)

    def all_zero(lam):
        return bool(
            (regcore.fit_path(X, y, penalty, alpha=alpha, lambdas=[lam]).coef_std == 0).all()
        )

    lo, hi = 0.5 * claimed, 2.0 * claimed
    assert all_zero(hi) and not all_zero(lo)
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if all_zero(mid) else (mid, hi)
    assert hi == pytest.approx(claimed, rel=1e-9)


def test_ridge_has_no_finite_lambda_max(make_data, standardise):
    X, y = make_data(40, 5, seed=42)
    Xs, _ = standardise(X, y)
    assert L2().lambda_max(Xs, y) == float("inf")
    huge = regcore.fit_path(X, y, "ridge", lambdas=[1e8])
    assert (huge.coef_std != 0).all()  # shrunk, never exactly zero


@pytest.mark.parametrize("alpha", [-0.01, 1.01, float("nan"), float("inf")])
def test_mixing_outside_the_unit_interval_is_a_value_error(alpha):
    with pytest.raises(ValueError, match="α"):
        ElasticNetPenalty(alpha)


def test_penalty_names():
    assert penalty_for("lasso") == L1() and penalty_for("Ridge") == L2()
    assert penalty_for("elastic-net", 0.2).alpha == 0.2 and penalty_for("none") is None
    with pytest.raises(ValueError, match="Unknown penalty"):
        penalty_for("l0")
