"""The active block's inverse (regcore.solvers.factor.ActiveInverse) under adds and drops."""

from __future__ import annotations

import numpy as np
import pytest

from regcore.solvers.factor import ActiveInverse
from regcore.solvers.problem import Problem


@pytest.fixture(params=["gram", "data"])
def prob(request):
    rng = np.random.default_rng(7)
    n, p = (200, 30) if request.param == "gram" else (25, 60)
    X = rng.normal(size=(n, p)) + 0.4 * rng.normal(size=(n, 1))
    return Problem.from_data(X, rng.normal(size=n), gram=request.param == "gram")


def _exact(prob: Problem, inv: ActiveInverse) -> np.ndarray:
    idx = inv.idx
    return np.linalg.inv(prob.block(idx) + inv.lam2 * np.eye(idx.size))


@pytest.mark.parametrize("lam2", [0.0, 0.3])
def test_adds_and_drops_of_one_and_many_keep_the_inverse(prob, lam2):
    if lam2 == 0.0 and prob.mode == "data":
        lam2 = 1e-3  # p > n: the block must stay invertible as it grows
    rng = np.random.default_rng(1)
    inv = ActiveInverse(prob, lam2)
    inv.rebuild(np.array([0, 5, 9]))
    assert inv.add(3)
    added = inv.add_many(np.array([11, 17, 2, 20, 21]))
    assert added.size == 5
    for drops in ([1], [0, 4, 6], [2, 3]):
        before = inv.idx.copy()
        keep = np.ones(before.size, dtype=bool)
        keep[drops] = False
        order = inv.keep(keep)
        assert sorted(inv.idx) == sorted(before[keep])
        np.testing.assert_array_equal(inv.idx, before[order])  # order maps new places to old ones
        np.testing.assert_allclose(inv.inv, _exact(prob, inv), rtol=1e-9, atol=1e-10)
        inv.add_many(rng.choice(np.setdiff1d(np.arange(22, 30), inv.idx), 2, replace=False))
        np.testing.assert_allclose(inv.inv, _exact(prob, inv), rtol=1e-9, atol=1e-10)


def test_dependent_column_is_refused():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(50, 4))
    X = np.column_stack([X, X[:, 0] + X[:, 1]])
    prob = Problem.from_data(X, rng.normal(size=50))
    inv = ActiveInverse(prob, 0.0)
    inv.rebuild(np.array([0, 1]))
    assert not inv.add(4)
    assert list(inv.add_many(np.array([2, 4]))) == [2]


@pytest.mark.parametrize("ratio", [0.96, 0.8, 0.61, 1.15, 1.39])
def test_solve_at_a_nearby_lambda2_matches_a_direct_solve(ratio):
    # p > n: G_AA is singular, so λ₂ alone keeps the block invertible, the hardest case
    rng = np.random.default_rng(3)
    X = rng.normal(size=(60, 200))
    prob = Problem.from_data(X, rng.normal(size=60))
    inv = ActiveInverse(prob, 0.05)
    idx = np.arange(0, 150, 2)
    inv.rebuild(idx)
    rhs = rng.normal(size=idx.size)
    lam2 = 0.05 * ratio
    assert inv.close(lam2) == (abs(ratio - 1) <= 0.4)
    direct = np.linalg.solve(prob.block(idx) + lam2 * np.eye(idx.size), rhs)
    np.testing.assert_allclose(inv.solve(rhs, lam2), direct, rtol=0, atol=1e-13 * np.abs(direct).max())
