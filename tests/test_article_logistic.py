"""The article's updates on the log-loss of a 0/1 target: the same L1 ±λ push and L2 2λw
shrink, with H = (1/n)·Σ(p − y)x; the runs end on regcore's logistic lasso and ridge."""

import numpy as np
import pytest

import regcore
from regcore.article import losses, trajectory, updates

RNG = np.random.default_rng(11)
N = 120
X1 = RNG.normal(size=N)
X1 = (X1 - X1.mean()) / X1.std()
Y1 = (RNG.random(N) < 1 / (1 + np.exp(-(0.3 + 1.2 * X1)))).astype(float)


def test_the_logistic_gradient_is_the_slope_of_the_log_loss():
    X, w, b, h = X1[:, None], np.array([0.7]), -0.2, 1e-6
    H, db = losses.logistic_gradient_of(X, Y1, w, b)
    value = losses.logistic_error_of
    slope_w = (value(X, Y1, w + h, b) - value(X, Y1, w - h, b)) / (2 * h)
    slope_b = (value(X, Y1, w, b + h) - value(X, Y1, w, b - h)) / (2 * h)
    assert H[0] == pytest.approx(slope_w, rel=1e-7) and db == pytest.approx(slope_b, rel=1e-7)
    p = 1 / (1 + np.exp(-(0.7 * X1 - 0.2)))
    assert H[0] == pytest.approx(np.mean((p - Y1) * X1), rel=1e-12)  # (p − y)x, no factor 2


@pytest.mark.parametrize("rule, penalty", [("l1_prox", "lasso"), ("l2", "ridge")])
def test_a_long_run_on_the_log_loss_ends_on_regcores_logistic_fit(rule, penalty):
    lam = 0.02
    eta = 0.9 * updates.eta_limit(X1, lam=lam, rule=rule, error="logistic")
    run = trajectory.trajectory(
        X1, Y1, rule=rule, eta=eta, lam=lam, steps=4000, every=4000, error="logistic"
    )
    exact = regcore.fit_path(
        X1[:, None], Y1, penalty, lambdas=[lam], standardize=False, family="logistic", tol=1e-12
    )
    last = run.iloc[-1]
    assert not run["diverged"].any()
    assert last["w"] == pytest.approx(exact.coef[0, 0], abs=1e-7)
    assert last["b"] == pytest.approx(exact.intercept[0], abs=1e-7)
    assert last["error"] == pytest.approx(
        losses.logistic_error_of(X1[:, None], Y1, [last["w"]], last["b"])
    )


def test_above_the_logistic_lambda_max_the_proximal_run_sits_exactly_at_zero():
    # the log-loss's slope at w = 0 (b at the log-odds of ȳ) is (1/n)·xᵀ(ȳ − y): half the
    # squared error's, so its λ_max is half the squared error's
    lam_max = abs(X1 @ (Y1 - Y1.mean())) / N
    eta = 0.9 * updates.eta_limit(X1, lam=lam_max, rule="l1_prox", error="logistic")
    settings = dict(rule="l1_prox", eta=eta, steps=3000, every=3000, error="logistic")
    above = trajectory.trajectory(X1, Y1, lam=1.01 * lam_max, **settings).iloc[-1]
    below = trajectory.trajectory(X1, Y1, lam=0.9 * lam_max, **settings).iloc[-1]
    assert above["w"] == 0.0 and below["w"] != 0.0


def test_the_logistic_loss_curves_are_the_log_loss_plus_the_penalties():
    w = np.array([-1.0, 0.0, 0.5])
    curves = losses.loss_curves(X1, Y1, b=0.1, lam=0.3, w_values=w, error="logistic")
    base = [losses.logistic_error_of(X1[:, None], Y1, np.array([v]), 0.1) for v in w]
    by = curves.pivot(index="w", columns="loss", values="value").loc[w]
    np.testing.assert_allclose(by["L"], base, rtol=1e-12)
    np.testing.assert_allclose(by["L1"], np.array(base) + 0.3 * np.abs(w), rtol=1e-12)
    np.testing.assert_allclose(by["L2"], np.array(base) + 0.3 * w**2, rtol=1e-12)


def test_an_unknown_error_or_a_target_that_is_not_0_1_is_refused_plainly():
    with pytest.raises(ValueError, match="Unknown error"):
        trajectory.trajectory(X1, Y1, rule="plain", eta=0.1, error="hinge")
    with pytest.raises(ValueError, match="0s and 1s"):
        trajectory.trajectory(X1, Y1 + 1, rule="plain", eta=0.1, error="logistic")
