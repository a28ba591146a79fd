"""The scikit-learn-style estimators against scikit-learn itself after the λ conversion.

regcore standardises by default, scikit-learn never: fitted on the standardised X, scikit-learn's
coefficients map back to the original scale as coef/scale with intercept ȳ − (coef/scale)·mean.
With standardize=False both see the same columns and must agree directly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sklearn.linear_model as sk
from sklearn.metrics import r2_score

import regcore

ATOL = 1e-7


def _models(lam, n):
    """(ours, theirs) for each penalty at our λ, scikit-learn converted and tight."""
    tight = {"tol": 1e-12, "max_iter": 200_000}
    return {
        "lasso": (regcore.Lasso(lam), sk.Lasso(alpha=lam / 2, **tight)),
        "ridge": (regcore.Ridge(lam), sk.Ridge(alpha=n * lam, solver="svd")),
        "elasticnet": (
            regcore.ElasticNet(lam, l1_weight=0.3),
            sk.ElasticNet(alpha=lam * (1 - 0.3 / 2), l1_ratio=0.3 / (2 - 0.3), **tight),
        ),
        "none": (regcore.LinearRegression(), sk.LinearRegression()),
    }


@pytest.mark.parametrize("name", ["lasso", "ridge", "elasticnet", "none"])
def test_standardised_fit_matches_sklearn_on_standardised_columns(name, make_data, standardise):
    X, y = make_data(120, 10, rho=0.5, seed=61)
    X_new, _ = make_data(15, 10, seed=62)
    ours, theirs = _models(0.2, len(y))[name]
    Xs, _ = standardise(X, y)
    ours.fit(X, y)
    theirs.fit(Xs, y)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    coef = theirs.coef_ / scale
    np.testing.assert_allclose(ours.coef_, coef, rtol=0, atol=ATOL)
    assert ours.intercept_ == pytest.approx(theirs.intercept_ - coef @ mean, abs=ATOL * 10)
    np.testing.assert_allclose(
        ours.predict(X_new), theirs.predict((X_new - mean) / scale), rtol=0, atol=1e-6
    )
    assert ours.predict(X_new).shape == (15,)
    assert ours.converged_


@pytest.mark.parametrize("name", ["lasso", "ridge", "elasticnet", "none"])
def test_unstandardised_fit_matches_sklearn_directly(name, make_data):
    X, y = make_data(120, 10, seed=63)
    ours, theirs = _models(0.2, len(y))[name]
    ours.standardize = False
    ours.fit(X, y)
    theirs.fit(X, y)
    np.testing.assert_allclose(ours.coef_, theirs.coef_, rtol=0, atol=ATOL)
    assert ours.intercept_ == pytest.approx(theirs.intercept_, abs=1e-6)
    assert ours.score(X, y) == pytest.approx(theirs.score(X, y), abs=1e-10)


def test_score_is_r_squared(make_data):
    X, y = make_data(80, 6, seed=64)
    model = regcore.Lasso(0.05).fit(X, y)
    X_test, y_test = make_data(30, 6, seed=65)
    assert model.score(X_test, y_test) == pytest.approx(
        r2_score(y_test, model.predict(X_test)), rel=1e-12
    )
    assert model.score(X, y) <= 1.0


def test_dataframe_names_and_unfitted_predict(make_data):
    X, y = make_data(40, 3, seed=66)
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    model = regcore.Ridge(0.1)
    with pytest.raises(ValueError, match="fit"):
        model.predict(frame)
    model.fit(frame, pd.Series(y))
    assert list(model.feature_names_in_) == ["a", "b", "c"] and model.n_features_in_ == 3
    assert model.path_.feature_names == ["a", "b", "c"]
    with pytest.warns(UserWarning, match="feature names"):  # an array after a frame
        from_array = model.predict(X)
    np.testing.assert_allclose(model.predict(frame), from_array, rtol=1e-14)
    assert repr(model) == "Ridge(lam=0.1)"


@pytest.mark.parametrize(
    "make_model", [lambda: regcore.Lasso(-1.0), lambda: regcore.ElasticNet(0.1, l1_weight=2.0)]
)
def test_invalid_settings_raise_value_error_on_fit(make_model, make_data):
    X, y = make_data(20, 3, seed=67)
    with pytest.raises(ValueError):
        make_model().fit(X, y)


def test_penalty_factor_reaches_fit_path(make_data):
    """A zero factor leaves its feature unpenalised, so a huge λ zeroes every coefficient but
    that one."""
    X, y = make_data(60, 4, seed=68)
    model = regcore.Lasso(1e6, penalty_factor=[0.0, 1.0, 1.0, 1.0]).fit(X, y)
    assert model.coef_[0] != 0.0 and (model.coef_[1:] == 0.0).all()
