"""Conversions: the numbers sklearn_equivalent gives reproduce scikit-learn's solution of our
objective; glmnet_lambda is λ/2 for the lasso and None otherwise."""

from __future__ import annotations

import numpy as np
import pytest
import sklearn.linear_model as sk

import regcore

CASES = [
    ("lasso", None, 0.3),
    ("elasticnet", 0.4, 0.3),
    ("elasticnet", 0.9, 0.05),
    ("ridge", None, 0.2),
    ("none", None, 0.0),
    ("lasso", None, 0.0),
]


@pytest.mark.parametrize("penalty,alpha,lam", CASES)
def test_sklearn_equivalent_reproduces_the_solution(penalty, alpha, lam, make_data, standardise):
    X, y = make_data(90, 9, rho=0.4, seed=51)
    Xs, _ = standardise(X, y)
    spec = regcore.sklearn_equivalent(penalty, lam, len(y), alpha=alpha)
    params = {key: value for key, value in spec.items() if key != "estimator"}
    if spec["estimator"] in ("Lasso", "ElasticNet"):
        params.update(tol=1e-12, max_iter=200_000)
    theirs = getattr(sk, spec["estimator"])(**params).fit(Xs, y)
    ours = regcore.fit_path(Xs, y, penalty, alpha=alpha, lambdas=[lam], standardize=False)
    np.testing.assert_allclose(ours.coef[0], theirs.coef_, rtol=0, atol=1e-7)
    assert ours.intercept[0] == pytest.approx(theirs.intercept_, abs=1e-7)


def test_sklearn_equivalent_formulas():
    assert regcore.sklearn_equivalent("lasso", 0.8, 100) == {"estimator": "Lasso", "alpha": 0.4}
    assert regcore.sklearn_equivalent("ridge", 0.8, 100) == {"estimator": "Ridge", "alpha": 80.0}
    enet = regcore.sklearn_equivalent("elasticnet", 0.8, 100, alpha=0.5)
    assert enet["estimator"] == "ElasticNet"
    assert enet["alpha"] == pytest.approx(0.8 * (1 - 0.25)) and enet["l1_ratio"] == pytest.approx(
        0.5 / 1.5
    )
    assert regcore.sklearn_equivalent("none", 0.0, 100) == {"estimator": "LinearRegression"}
    assert regcore.sklearn_equivalent("ridge", 0.0, 100) == {"estimator": "LinearRegression"}


def test_glmnet_lambda_is_half_for_the_lasso_only():
    assert regcore.glmnet_lambda("lasso", 0.8) == pytest.approx(0.4)
    assert regcore.glmnet_lambda("elasticnet", 0.8, alpha=1.0) == pytest.approx(0.4)
    assert regcore.glmnet_lambda("elasticnet", 0.8, alpha=0.5) is None
    assert regcore.glmnet_lambda("ridge", 0.8) is None
    assert regcore.glmnet_lambda("none", 0.0) is None
