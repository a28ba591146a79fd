"""The estimators inside scikit-learn's own machinery give regcore's own numbers.

``check_estimator`` runs every check on every estimator.  The one check scikit-learn skips
by itself is ``check_array_api_input`` (it needs the environment variable SCIPY_ARRAY_API
and an array-API library; regcore computes in numpy only).  The single-λ estimators are
checked at a small λ: ``check_regressors_train`` asks for R² > 0.5 on a standardised
target, where the default λ = 1 zeroes every lasso coefficient (as scikit-learn's
``Lasso(alpha=1)`` does).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import SkipTestWarning
from sklearn.metrics import r2_score as sk_r2_score
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import check_estimator

import regcore
from regcore.metrics import r2_from_mse, r2_score

ESTIMATORS = [
    regcore.Lasso(lam=0.01),
    regcore.Ridge(lam=0.01),
    regcore.ElasticNet(lam=0.01, l1_weight=0.3),
    regcore.LinearRegression(),
    regcore.LassoCV(k=3, n_lambdas=10),
    regcore.RidgeCV(n_lambdas=10),
    regcore.RidgeCV(k=3, n_lambdas=10),
    regcore.ElasticNetCV(k=3, n_lambdas=10, l1_weight=0.7),
    regcore.LogisticLasso(lam=0.01),
    regcore.LogisticRidge(lam=0.01),
    regcore.LogisticElasticNet(lam=0.01, l1_weight=0.3),
    regcore.LogisticNetCV(k=3, n_lambdas=8),
]


@pytest.mark.parametrize("estimator", ESTIMATORS, ids=repr)
def test_check_estimator_passes(estimator):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SkipTestWarning)
        results = check_estimator(estimator, on_fail=None)
    skipped = {r["check_name"] for r in results if r["status"] == "skipped"}
    assert skipped <= {"check_array_api_input"}, caught
    failed = [(r["check_name"], r["exception"]) for r in results if r["status"] == "failed"]
    assert not failed
    assert len(results) > 40


def test_clone_copies_parameters_not_fit(make_data):
    X, y = make_data(50, 4, seed=80)
    model = regcore.ElasticNet(0.1, l1_weight=0.2, standardize=False).fit(X, y)
    copy = clone(model)
    assert copy.get_params() == model.get_params() and not hasattr(copy, "coef_")
    np.testing.assert_array_equal(copy.fit(X, y).coef_, model.coef_)
    assert copy.set_params(lam=0.5).lam == 0.5


@pytest.mark.parametrize("model", [regcore.Ridge(0.3), regcore.Lasso(0.05)], ids=repr)
def test_pipeline_with_standard_scaler_equals_regcore_standardising(model, make_data):
    """StandardScaler's 1/n standard deviation is regcore's: scaling twice changes nothing."""
    X, y = make_data(90, 6, rho=0.4, seed=81)
    X_new, _ = make_data(20, 6, seed=82)
    piped = make_pipeline(StandardScaler(), clone(model)).fit(X, y)
    alone = clone(model).fit(X, y)
    np.testing.assert_allclose(piped.predict(X_new), alone.predict(X_new), rtol=0, atol=1e-8)


def _fold_scores(X, y, penalty, lam, alpha, cv):
    """R² of regcore's own path at λ on each held-out fold."""
    scores = []
    for train, test in cv.split(X):
        path = regcore.fit_path(X[train], y[train], penalty, alpha, lambdas=[lam])
        scores.append(sk_r2_score(y[test], path.predict(X[test])[:, 0]))
    return np.array(scores)


def test_grid_search_over_lambda_equals_the_path(make_data):
    X, y = make_data(100, 8, seed=83)
    lams = [0.5, 0.1, 0.01]
    cv = KFold(4, shuffle=True, random_state=0)
    search = GridSearchCV(regcore.Lasso(), {"lam": lams}, cv=cv).fit(X, y)
    for lam, mean in zip(lams, search.cv_results_["mean_test_score"], strict=True):
        assert mean == pytest.approx(_fold_scores(X, y, "lasso", lam, None, cv).mean(), abs=1e-10)
    best = search.best_params_["lam"]
    coef, intercept = regcore.fit_path(X, y, lambdas=[best]).coef_at(best)
    np.testing.assert_allclose(search.best_estimator_.coef_, coef, rtol=0, atol=1e-12)


def test_cross_val_score_equals_the_path(make_data):
    X, y = make_data(80, 5, seed=84)
    cv = KFold(5, shuffle=True, random_state=1)
    scores = cross_val_score(regcore.ElasticNet(0.2, l1_weight=0.3), X, y, cv=cv)
    np.testing.assert_allclose(
        scores, _fold_scores(X, y, "elasticnet", 0.2, 0.3, cv), rtol=0, atol=1e-10
    )


@pytest.mark.parametrize("selection", ["1se", "min"])
def test_cv_estimators_pick_cross_validate_lambda(selection, make_data):
    X, y = make_data(120, 10, seed=85)
    model = regcore.LassoCV(k=5, n_lambdas=30, selection=selection).fit(X, y)
    cv = regcore.cross_validate(X, y, "lasso", k=5, n_lambdas=30)
    expect = cv.lambda_1se if selection == "1se" else cv.lambda_min
    assert model.lam_ == expect
    assert (model.lambda_min_, model.lambda_1se_) == (cv.lambda_min, cv.lambda_1se)
    coef, intercept = cv.path.coef_at(expect)
    np.testing.assert_allclose(model.coef_, coef, rtol=0, atol=1e-12)
    assert model.intercept_ == pytest.approx(intercept, abs=1e-12)


def test_ridge_cv_defaults_to_leave_one_out_and_the_one_se_rule(make_data):
    X, y = make_data(70, 6, seed=86)
    model = regcore.RidgeCV(n_lambdas=25).fit(X, y)
    cv = regcore.cross_validate(X, y, "ridge", k="loo", n_lambdas=25)
    assert model.lam_ == cv.lambda_1se >= cv.lambda_min
    assert model.cv_.fold_curves.shape == (70, 25)
    np.testing.assert_allclose(model.coef_, cv.path.coef[cv.index_1se], rtol=0, atol=0)


def test_bad_selection_is_a_plain_value_error(make_data):
    X, y = make_data(40, 3, seed=87)
    with pytest.raises(ValueError, match="selection"):
        regcore.LassoCV(selection="best", k=3).fit(X, y)


def test_r2_is_defined_once_and_matches_sklearn(make_data):
    rng = np.random.default_rng(88)
    y, pred = rng.standard_normal(30), rng.standard_normal(30)
    assert r2_score(y, pred) == pytest.approx(sk_r2_score(y, pred), rel=1e-13)
    mse = np.array([0.5, 1.0, 2.0])
    np.testing.assert_allclose(r2_from_mse(mse, y), 1 - mse / y.var(), rtol=1e-14)
    assert np.isnan(r2_score(np.ones(4), np.zeros(4)))


def test_estimators_work_without_scikit_learn(tmp_path):
    """scikit-learn is a test dependency only: blocked, the fallback base still fits, predicts,
    gets and sets parameters."""
    code = textwrap.dedent(
        """
        import sys
        sys.modules["sklearn"] = None  # any import of scikit-learn now fails
        import numpy as np, pandas as pd
        import regcore
        rng = np.random.default_rng(0)
        X = pd.DataFrame(rng.standard_normal((40, 3)), columns=["a", "b", "c"])
        y = X["a"] * 2 + rng.standard_normal(40)
        model = regcore.ElasticNet(0.1, l1_weight=0.4)
        assert model.get_params()["l1_weight"] == 0.4
        assert repr(model) == "ElasticNet(l1_weight=0.4, lam=0.1)", repr(model)
        model.set_params(lam=0.05).fit(X, y)
        assert list(model.feature_names_in_) == ["a", "b", "c"] and model.n_features_in_ == 3
        assert model.predict(X).shape == (40,) and model.score(X, y) > 0.5
        try:
            model.predict(X.iloc[:, :2])
        except ValueError as err:
            assert "2 features" in str(err)
        else:
            raise AssertionError("a wrong number of columns must raise")
        print(regcore.RidgeCV(n_lambdas=10).fit(X, y).lam_ > 0)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(regcore.__file__).parents[1])},
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "True"
