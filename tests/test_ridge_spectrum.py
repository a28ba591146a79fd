"""regcore.solvers.ridge against direct solves, in every form its decomposition takes.

Gram mode (n ≥ p, G formed), data mode with p > n (the n×n kernel, V never formed) and
data mode with n ≥ p (G formed locally): the coefficients, df, rank and the certificate
must equal what the normal equations give directly.  The certificate is checked on
deliberately wrong coefficients too, including errors in X's null space, so that a gap
computed from the eigenbasis (which would miss them) fails.
"""

from __future__ import annotations

import numpy as np
import pytest

from regcore.solvers import ridge
from regcore.solvers.problem import Problem

MODES = {  # name: (n, p, gram)
    "gram": (60, 8, None),
    "kernel": (20, 45, None),
    "data n>=p": (40, 12, False),
}


def _problem(mode, make_data, *, extra=None):
    n, p, gram = MODES[mode]
    X, y = make_data(n, p, rho=0.4, seed=41)
    if extra is not None:
        X = extra(X)
    prob = Problem.from_data(X, y, gram=gram)
    Xs = prob.Xs if prob.G is None else None
    G = prob.G if prob.G is not None else Xs.T @ Xs / n
    return prob, G


def _direct(G, c, lam):
    return np.linalg.solve(G + lam * np.eye(G.shape[0]), c)


@pytest.mark.parametrize("mode", MODES)
def test_coefs_df_and_rank_equal_the_normal_equations(mode, make_data):
    prob, G = _problem(mode, make_data)
    spec = ridge.Spectrum.of(prob)
    assert prob.mode == ("gram" if mode == "gram" else "data")
    lambdas = spec.grid(12)
    W = spec.coefs(lambdas)
    for lam, w in zip(lambdas, W, strict=True):
        np.testing.assert_allclose(w, _direct(G, prob.c, lam), rtol=0, atol=1e-11 * np.abs(w).max())
    e = np.linalg.eigvalsh(G)
    rank = int((e > e.max() * max(G.shape[0], prob.n) * np.finfo(float).eps).sum())
    assert spec.rank == rank == min(prob.n - 1, prob.p)
    expected_df = np.array(
        [np.trace(np.linalg.solve(G + lam * np.eye(prob.p), G)) for lam in lambdas]
    )
    np.testing.assert_allclose(spec.df(lambdas), expected_df, rtol=1e-10)
    assert spec.df(lambdas)[0] < 0.02 * rank and spec.df(lambdas)[-1] > 0.98 * rank


@pytest.mark.parametrize("mode", MODES)
def test_least_squares_at_zero_is_the_minimum_norm_solution(mode, make_data):
    prob, G = _problem(mode, make_data)
    w = ridge.Spectrum.of(prob).coefs([0.0])[0]
    np.testing.assert_allclose(w, np.linalg.pinv(G) @ prob.c, rtol=0, atol=1e-9 * np.abs(w).max())


@pytest.mark.parametrize("mode", MODES)
def test_certificate_is_the_exact_suboptimality_of_any_coefficients(mode, make_data):
    """gap = (w − w*)ᵀ(G + λI)(w − w*) for w off the optimum, kkt and objective from the data."""
    prob, G = _problem(mode, make_data)
    spec = ridge.Spectrum.of(prob)
    rng = np.random.default_rng(3)
    lambdas = spec.grid(6)
    exact = np.array([_direct(G, prob.c, lam) for lam in lambdas])
    delta = 1e-3 * rng.standard_normal(exact.shape)
    if (
        prob.p > prob.n
    ):  # errors X cannot see: only the penalty, hence the null-space term, notices them
        Xs = prob.Xs
        delta[::2] -= np.linalg.lstsq(Xs, Xs @ delta[::2].T, rcond=None)[0].T
        assert np.abs(Xs @ delta[::2].T).max() < 1e-12
    W = exact + delta
    objective, gap, kkt = ridge.certificate(prob, spec, W, lambdas)
    for i, lam in enumerate(lambdas):
        A = G + lam * np.eye(prob.p)
        assert gap[i] == pytest.approx(delta[i] @ A @ delta[i], rel=1e-8)
        w = W[i]
        assert objective[i] == pytest.approx(
            prob.yy - 2 * w @ prob.c + w @ G @ w + lam * w @ w, rel=1e-12
        )
        assert kkt[i] == pytest.approx(2 * np.abs(prob.c - A @ w).max(), rel=1e-10)
    _, gap_opt, kkt_opt = ridge.certificate(prob, spec, spec.coefs(lambdas), lambdas)
    assert (gap_opt >= 0).all() and gap_opt.max() < 1e-25 and kkt_opt.max() < 1e-12


@pytest.mark.parametrize("mode", MODES)
def test_fit_equals_its_parts(mode, make_data):
    prob, _ = _problem(mode, make_data)
    out = ridge.fit(prob, n_lambdas=9)
    spec = out.spectrum
    np.testing.assert_array_equal(out.lambdas, spec.grid(9))
    np.testing.assert_allclose(out.W, spec.coefs(out.lambdas), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(out.df, spec.df(out.lambdas), rtol=1e-13)
    # the kernel form forms its residuals from K (``_kernel_coefs``): the same certificate up
    # to rounding, which at the exact solution is all the gap and KKT residual there is
    floors = (1e-30, 1e-24, 1e-13) if mode == "kernel" else (1e-30, 1e-30, 1e-30)
    for mine, theirs, floor in zip(
        (out.objective, out.gap, out.kkt),
        ridge.certificate(prob, spec, out.W, out.lambdas),
        floors,
        strict=True,
    ):
        np.testing.assert_allclose(mine, theirs, rtol=1e-12, atol=floor)
    given = ridge.fit(prob, np.array([2.0, 0.5, 0.0]))
    np.testing.assert_array_equal(given.lambdas, [2.0, 0.5, 0.0])
    assert given.W.shape == (3, prob.p) and np.isfinite(given.gap).all()


@pytest.mark.parametrize("mode", MODES)
def test_constant_and_duplicated_columns(mode, make_data):
    def degrade(X):
        X = X.copy()
        X[:, 1] = 2.5  # constant: exactly zero weight
        X[:, 3] = X[:, 0] - 0.5 * X[:, 2]  # collinear: the rank drops by one more
        return X

    prob, G = _problem(mode, make_data, extra=degrade)
    spec = ridge.Spectrum.of(prob)
    assert spec.rank == min(prob.n - 1, prob.p - 2)
    lambdas = np.array([1.0, 1e-3, 0.0])
    W = spec.coefs(lambdas)
    assert (W[:, 1] == 0.0).all()
    for lam, w in zip(lambdas[:2], W[:2], strict=True):
        np.testing.assert_allclose(w, _direct(G, prob.c, lam), rtol=0, atol=1e-10 * np.abs(w).max())
    np.testing.assert_allclose(
        W[2], np.linalg.pinv(G) @ prob.c, rtol=0, atol=1e-8 * np.abs(W[2]).max()
    )
    objective, gap, kkt = ridge.certificate(prob, spec, W, lambdas)
    assert (
        np.isfinite(objective).all()
        and (gap >= 0).all()
        and gap.max() < 1e-20
        and kkt.max() < 1e-10
    )
