"""The active block's inverse (regcore.solvers.factor.ActiveInverse) under adds and drops."""

from __future__ import annotations

import numpy as np
import pytest

from regcore.solvers.factor import REFINE_TOL, ActiveInverse
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


def _every_other(seed: int, n: int, p: int, upto: int, lam2: float):
    """(prob, inv, rng): the inverse of the block of every other column below ``upto``."""
    rng = np.random.default_rng(seed)
    prob = Problem.from_data(rng.normal(size=(n, p)), rng.normal(size=n))
    inv = ActiveInverse(prob, lam2)
    inv.rebuild(np.arange(0, upto, 2))
    return prob, inv, rng


def _assert_solves(prob, inv, rng, lam2, atol):
    idx = inv.idx
    rhs = rng.normal(size=idx.size)
    direct = np.linalg.solve(prob.block(idx) + lam2 * np.eye(idx.size), rhs)
    np.testing.assert_allclose(
        inv.solve(rhs, lam2), direct, rtol=0, atol=atol * np.abs(direct).max()
    )


@pytest.mark.parametrize("ratio", [0.96, 0.8, 0.61, 1.15, 1.39])
def test_solve_at_a_nearby_lambda2_matches_a_direct_solve(ratio):
    # p > n: G_AA is singular, so λ₂ alone keeps the block invertible, the hardest case
    prob, inv, rng = _every_other(3, 60, 200, 150, 0.05)
    lam2 = 0.05 * ratio
    assert inv.norm() == pytest.approx(1 / 0.05)  # singular G_AA: only 1/λ₂' bounds ‖M⁻¹‖
    assert inv.close(lam2) == (abs(ratio - 1) <= 0.1)  # 75 columns refine up to ρ = 0.1
    _assert_solves(prob, inv, rng, lam2, 2 * REFINE_TOL)


@pytest.mark.parametrize("lam2", [0.0, 0.005, 0.02, 0.1])
def test_refinement_rate_comes_from_the_block_not_only_from_lambda2(lam2):
    # a well-conditioned block: ‖M⁻¹‖ is bounded by its row sums, far below 1/λ₂' for small
    # λ₂', so a λ₂ several times away is still served by refinement, and exactly
    prob, inv, rng = _every_other(4, 400, 120, 120, 0.01)
    inv.add_many(np.array([1, 3, 5]))
    idx = inv.idx
    exact = np.linalg.eigvalsh(prob.block(idx) + 0.01 * np.eye(idx.size))
    assert 1 / exact[0] <= inv.norm() < 0.2 / 0.01  # a true bound, and a tight one
    # 63 columns refine while the condition number of I + δ·M⁻¹ stays within 1/(1 − 0.1):
    # ρ up to 0.1 below λ₂', up to 1/9 above it
    nrm = inv.norm()
    assert inv.close(0.01 - 0.099 / nrm) and not inv.close(0.01 - 0.101 / nrm)
    assert inv.close(0.01 + 0.11 / nrm) and not inv.close(0.01 + 0.112 / nrm)
    assert inv.close(0.02)  # twice λ₂'
    _assert_solves(prob, inv, rng, lam2, 2 * REFINE_TOL)


def test_a_path_factor_starts_below_lambda2_and_serves_it_by_refinement():
    prob, _, rng = _every_other(6, 400, 120, 120, 0.01)
    idx = np.arange(0, 120, 2)
    inv = ActiveInverse.build(prob, 0.02, idx, ahead=True)
    assert inv.lam2 == pytest.approx(0.02 * (1 - 0.1)) and inv.close(0.02)
    _assert_solves(prob, inv, rng, 0.02, 2 * REFINE_TOL)
    small = ActiveInverse.build(
        prob, 0.02, idx[:10], ahead=True
    )  # too small to refine: exact at λ₂
    assert small.lam2 == 0.02


def test_keeping_all_or_none_of_the_columns(prob):
    inv = ActiveInverse(prob, 0.1)
    inv.rebuild(np.array([0, 4, 7, 9]))
    before = inv.inv.copy()
    np.testing.assert_array_equal(inv.keep(np.ones(4, dtype=bool)), np.arange(4))
    np.testing.assert_array_equal(inv.idx, [0, 4, 7, 9])
    np.testing.assert_array_equal(inv.inv, before)  # untouched, not just close
    assert inv.keep(np.zeros(4, dtype=bool)).size == 0 and inv.idx.size == 0
    inv.add_many(np.array([2, 5]))  # and it grows again from nothing
    np.testing.assert_allclose(inv.inv, _exact(prob, inv), rtol=1e-9, atol=1e-10)
