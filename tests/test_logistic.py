"""The logistic family against scikit-learn after conversion, and against its own optimality
conditions: objective, λ_max, exact zeros, the gap certificate, penalty factors, separable data.

The oracle objective and KKT check below are written from the formulas, independently of
``regcore.solvers.logistic``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression

from regcore import fit_path, sklearn_equivalent
from regcore.conversions import glmnet_lambda
from regcore.datasets import make_rentals


def standardise(X):
    X = np.asarray(X, dtype=float)
    sd = X.std(axis=0)
    return (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def objective(Xs, y, w, b, lam, alpha):
    """(1/n)·Σ log(1 + e^η) − yη + λ[α‖w‖₁ + (1 − α)‖w‖²]."""
    eta = b + Xs @ w
    return np.mean(np.logaddexp(0.0, eta) - y * eta) + lam * (
        alpha * np.abs(w).sum() + (1 - alpha) * w @ w
    )


def kkt(Xs, y, w, b, lam, alpha):
    """Largest violation of the optimality conditions (intercept included)."""
    p = 1.0 / (1.0 + np.exp(-(b + Xs @ w)))
    g = Xs.T @ (y - p) / y.size - 2 * lam * (1 - alpha) * w
    h = lam * alpha
    viol = np.where(w != 0, np.abs(g - h * np.sign(w)), np.maximum(np.abs(g) - h, 0.0))
    return max(viol.max(), abs(np.mean(y - p)))


def sklearn_fit(Xs, y, lam, alpha, penalty):
    conv = sklearn_equivalent(penalty, lam, y.size, alpha, family="logistic")
    solver = "lbfgs" if conv["l1_ratio"] == 0 else "saga"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = LogisticRegression(
            C=conv["C"], l1_ratio=conv["l1_ratio"], solver=solver, tol=1e-12, max_iter=20_000
        ).fit(Xs, y)
    return model.coef_[0], model.intercept_[0]


@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X, y.astype(float)


@pytest.fixture(scope="module")
def rentals():
    """Real-like binary data with one-hot columns: rent above its median."""
    df = make_rentals().drop(columns=["listing_id"])
    df["year_built"] = df["year_built"].astype(float).fillna(df["year_built"].median())
    y = (df["rent"] > df["rent"].median()).to_numpy(dtype=float)
    X = pd.get_dummies(df.drop(columns=["rent"]), drop_first=False, dtype=float)
    return X, y


@pytest.mark.parametrize(
    ("penalty", "alpha"), [("lasso", None), ("ridge", None), ("elasticnet", 0.5)]
)
def test_matches_sklearn_after_conversion(cancer, penalty, alpha):
    X, y = cancer
    path = fit_path(X, y, penalty, alpha, n_lambdas=20, family="logistic")
    a = path.alpha
    Xs = standardise(X)
    for i in (3, 12):
        lam = path.lambdas[i]
        w_sk, b_sk = sklearn_fit(Xs, y, lam, a, penalty)
        b = path.intercept[i] + path.coef[i] @ X.mean(axis=0)
        ours = objective(Xs, y, path.coef_std[i], b, lam, a)
        theirs = objective(Xs, y, w_sk, b_sk, lam, a)
        assert ours <= theirs * (1 + 1e-8)
        assert abs(ours - path.objective[i]) <= 1e-12
        if i == 3:  # where scikit-learn's own solve is tight (correlated columns slow it below)
            np.testing.assert_allclose(path.coef_std[i], w_sk, atol=1e-5)
    assert path.converged.all() and (path.gap <= 1e-8 * path.objective).all()


@pytest.mark.parametrize(
    ("penalty", "alpha"), [("lasso", None), ("ridge", None), ("elasticnet", 0.3)]
)
def test_every_point_certified_on_one_hot_data(rentals, penalty, alpha):
    X, y = rentals
    path = fit_path(X, y, penalty, alpha, family="logistic")
    assert path.family == "logistic"
    assert path.converged.all()
    Xs = standardise(X.to_numpy())
    Xs[:, X.to_numpy().std(axis=0) == 0] = 0.0
    for i in range(0, path.lambdas.size, 9):
        w = path.coef_std[i]
        b = path.intercept[i] + path.coef[i] @ X.to_numpy().mean(axis=0)
        # a gap ε leaves gradients of order √(2Lε), L ≤ ¼·‖Xs‖²/n the loss's curvature
        assert kkt(Xs, y, w, b, path.lambdas[i], path.alpha) <= 1e-4
        assert path.gap[i] <= 1e-10 * np.log(2)
        assert abs(objective(Xs, y, w, b, path.lambdas[i], path.alpha) - path.objective[i]) < 1e-12


def test_wide_data_matches_sklearn_and_stops_when_separated():
    rng = np.random.default_rng(3)
    n, p = 60, 200
    X = rng.standard_normal((n, p))
    y = (X[:, :3] @ np.array([2.0, -1.5, 1.0]) + 0.5 * rng.standard_normal(n) > 0).astype(float)
    path = fit_path(X, y, lambda_min_ratio=1e-4, family="logistic")
    assert path.converged.all()
    assert path.lambdas.size < 100 and any("separated" in note for note in path.notes)
    Xs = standardise(X)
    for i in (5, path.lambdas.size // 2):
        lam = path.lambdas[i]
        w_sk, b_sk = sklearn_fit(Xs, y, lam, 1.0, "lasso")
        b = path.intercept[i] + path.coef[i] @ X.mean(axis=0)
        ours = objective(Xs, y, path.coef_std[i], b, lam, 1.0)
        assert ours <= objective(Xs, y, w_sk, b_sk, lam, 1.0) * (1 + 1e-8)


def test_lambda_max_is_the_all_zero_boundary(cancer):
    X, y = cancer
    Xs = standardise(X)
    expected = np.max(np.abs(Xs.T @ (y - y.mean()))) / y.size  # no factor 2 for the log-loss
    path = fit_path(X, y, lambdas=[expected * 1.000001, expected * 0.999], family="logistic")
    assert path.lambda_max == pytest.approx(expected, rel=1e-12)
    assert path.n_nonzero[0] == 0 and path.n_nonzero[1] > 0
    ybar = y.mean()
    assert path.intercept[0] == pytest.approx(np.log(ybar / (1 - ybar)), rel=1e-9)
    assert (path.coef_std[1] == 0).sum() == X.shape[1] - path.n_nonzero[1]  # exact zeros


def test_penalty_factor_zero_leaves_a_feature_free(cancer):
    X, y = cancer
    v = np.ones(X.shape[1])
    v[4] = 0.0
    path = fit_path(X, y, penalty_factor=v, n_lambdas=10, family="logistic")
    assert path.converged.all()
    assert (path.coef_std[:, 4] != 0).all()
    assert (path.n_nonzero[0] == 1) and path.coef_std[0, 4] != 0


def test_predictions_and_losses(cancer):
    X, y = cancer
    path = fit_path(X, y, n_lambdas=15, family="logistic")
    prob = path.predict_proba(X)
    assert prob.shape == (y.size, 15) and ((prob >= 0) & (prob <= 1)).all()
    eta = path.decision_function(X)
    np.testing.assert_allclose(prob, 1 / (1 + np.exp(-eta)), rtol=1e-12)
    dev = path.loss(X, y, "deviance")
    i = 10
    b = path.intercept[i] + path.coef[i] @ X.mean(axis=0)
    loss = objective(standardise(X), y, path.coef_std[i], b, 0.0, 1.0)
    assert dev[i] == pytest.approx(2 * loss, rel=1e-9)  # deviance = 2 × mean log-loss
    assert path.loss(X, y, "misclassification")[-1] < 0.05
    assert path.loss(X, y, "auc")[-1] > 0.98
    lam = np.sqrt(path.lambdas[4] * path.lambdas[5])  # off the grid: solved afresh
    with pytest.raises(ValueError, match="keeps no data"):
        path.coef_at(lam)  # a path holds results only
    coef, intercept = path.coef_at(lam, X, y)
    assert path.predict_proba(X, path.lambdas[4]).shape == (y.size,)
    Xs = standardise(X)
    w = coef * X.std(axis=0)
    assert kkt(Xs, y, w, intercept + coef @ X.mean(axis=0), lam, 1.0) <= 1e-7


def test_plain_errors():
    X = np.arange(20.0).reshape(10, 2)
    with pytest.raises(ValueError, match="0s and 1s"):
        fit_path(X, np.arange(10.0), family="logistic")
    with pytest.raises(ValueError, match="both classes"):
        fit_path(X, np.ones(10), family="logistic")
    with pytest.raises(ValueError, match="family"):
        fit_path(X, np.ones(10), family="poisson")


def test_conversions():
    conv = sklearn_equivalent("lasso", 0.02, 100, family="logistic")
    assert conv == {"estimator": "LogisticRegression", "C": 1 / (100 * 0.02), "l1_ratio": 1.0}
    assert sklearn_equivalent("ridge", 0.02, 100, family="logistic")["C"] == 1 / (2 * 100 * 0.02)
    enet = sklearn_equivalent("elasticnet", 0.02, 100, 0.5, family="logistic")
    assert enet["l1_ratio"] == pytest.approx(1 / 3) and enet["C"] == pytest.approx(1 / 3)
    assert glmnet_lambda("lasso", 0.02, family="logistic") == 0.02


def test_logistic_lambda_max_function_agrees_with_the_path(cancer):
    from regcore import logistic_lambda_max

    X, y = cancer
    assert logistic_lambda_max(X, y) == pytest.approx(
        fit_path(X, y, n_lambdas=2, family="logistic").lambda_max, rel=1e-12
    )
    assert logistic_lambda_max(X, y, 0.5) == pytest.approx(2 * logistic_lambda_max(X, y))


def test_without_intercept_meets_its_optimality_conditions(cancer):
    X, y = cancer
    Xs = standardise(X)
    v = np.ones(X.shape[1])
    v[0] = 0.0  # an unpenalised feature beside no intercept: fitted alone at λ_max
    path = fit_path(
        Xs, y, n_lambdas=8, family="logistic", fit_intercept=False, standardize=False,
        penalty_factor=v,
    )  # fmt: skip
    assert path.converged.all() and (path.intercept == 0).all()
    assert path.coef_std[0, 0] != 0 and (path.coef_std[0, 1:] == 0).all()
    for i in (0, 3, 7):
        w, h = path.coef_std[i], path.lambdas[i] * v
        g = Xs.T @ (y - 1.0 / (1.0 + np.exp(-(Xs @ w)))) / y.size
        viol = np.where(w != 0, np.abs(g - h * np.sign(w)), np.maximum(np.abs(g) - h, 0.0))
        assert viol.max() <= 1e-4  # as in the one-hot test: gradients of order √(2Lε)


def test_newton_step_is_the_least_norm_one_on_a_singular_hessian():
    from regcore.solvers.logistic import _newton_step

    rng = np.random.default_rng(0)
    Z = rng.standard_normal((50, 4))
    regular = Z.T @ Z / 50
    grad = rng.standard_normal(4)
    np.testing.assert_allclose(_newton_step(regular, grad), np.linalg.solve(regular, grad))
    Z[:, 3] = Z[:, 0] + Z[:, 1]  # a one-hot-like dependency: H singular
    singular = Z.T @ Z / 50
    grad = singular @ rng.standard_normal(4)  # in H's range, as a gradient on such columns is
    step = _newton_step(singular, grad)
    np.testing.assert_allclose(step, np.linalg.pinv(singular) @ grad, atol=1e-10)
