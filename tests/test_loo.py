"""Ridge's exact leave-one-out and GCV against brute force and scikit-learn's RidgeCV."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import RidgeCV as SkRidgeCV

import regcore
from regcore.loo import ridge_loo

LAMBDAS = np.geomspace(10.0, 1e-3, 9)


def _brute_force(X, y, loo, fit_intercept):
    """Row i left out: ridge fitted on the others at each λ, on the columns scaled once with
    every row (the standardisation ``ridge_loo`` documents), then row i predicted."""
    Xs = (X - loo.path.x_mean) / loo.path.x_scale
    n = len(y)
    errors = np.empty((n, loo.lambdas.size))
    for i in range(n):
        keep = np.arange(n) != i
        path = regcore.fit_path(
            Xs[keep],
            y[keep],
            "ridge",
            lambdas=loo.lambdas,
            standardize=False,
            fit_intercept=fit_intercept,
        )
        errors[i] = (y[i] - path.predict(Xs[i : i + 1])[0]) ** 2
    return errors


@pytest.mark.parametrize("shape", [(40, 6), (25, 40)], ids=["tall", "wide"])
@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_leave_one_out_equals_brute_force(shape, standardize, fit_intercept, make_data):
    X, y = make_data(*shape, rho=0.3, seed=90)
    loo = ridge_loo(X, y, LAMBDAS, standardize=standardize, fit_intercept=fit_intercept)
    brute = _brute_force(X, y, loo, fit_intercept)
    np.testing.assert_allclose(loo.errors, brute, rtol=0, atol=1e-10 * brute.max())
    assert loo.errors.shape == (shape[0], LAMBDAS.size)


def test_constant_column_gets_no_weight_in_leave_one_out(make_data):
    X, y = make_data(30, 4, seed=91)
    X[:, 2] = 5.0
    loo = ridge_loo(X, y, LAMBDAS)
    brute = _brute_force(X, y, loo, True)
    np.testing.assert_allclose(loo.errors, brute, rtol=0, atol=1e-10 * brute.max())


def test_gcv_from_the_explicit_hat_matrix(make_data):
    X, y = make_data(30, 5, seed=92)
    loo = ridge_loo(X, y, LAMBDAS)
    Xs = (X - loo.path.x_mean) / loo.path.x_scale
    n = len(y)
    for j, lam in enumerate(LAMBDAS):
        H = np.full((n, n), 1.0 / n) + Xs @ np.linalg.solve(
            Xs.T @ Xs + (n - 1) * lam * np.eye(5), Xs.T
        )
        resid = y - H @ y
        expect = np.mean(resid**2) / (1 - np.trace(H) / n) ** 2
        assert loo.gcv[j] == pytest.approx(expect, rel=1e-10)
        np.testing.assert_allclose(
            loo.errors[:, j], (resid / (1 - np.diag(H))) ** 2, rtol=1e-9, atol=1e-12
        )


def test_ridge_cv_of_scikit_learn_after_conversion(make_data, standardise):
    """scikit-learn's leave-one-out at a = (n − 1)·λ on the standardised columns is ours at λ."""
    X, y = make_data(60, 8, rho=0.5, seed=93)
    n = len(y)
    cv = regcore.cross_validate(X, y, "ridge", k="loo", lambdas=LAMBDAS)
    Xs, _ = standardise(X, y)
    theirs = SkRidgeCV(alphas=(n - 1) * cv.lambdas, store_cv_results=True).fit(Xs, y)
    np.testing.assert_allclose(theirs.cv_results_, cv.fold_curves, rtol=1e-8, atol=1e-12)
    assert theirs.alpha_ == pytest.approx((n - 1) * cv.lambda_min, rel=1e-12)
    # its refit on all n rows keeps a: our ridge at λ = a/n (the Ridge conversion a = n·λ)
    refit = regcore.Ridge(theirs.alpha_ / n, standardize=False).fit(Xs, y)
    np.testing.assert_allclose(refit.coef_, theirs.coef_, rtol=0, atol=1e-10)


def test_cross_validate_loo_result(make_data):
    X, y = make_data(50, 5, seed=94)
    cv = regcore.cross_validate(X, y, "ridge", k="loo", n_lambdas=20)
    np.testing.assert_array_equal(cv.folds, np.arange(50))
    np.testing.assert_allclose(cv.mean, cv.fold_curves.mean(axis=0), rtol=1e-14)
    assert cv.lambda_1se >= cv.lambda_min and (cv.se > 0).all()
    assert cv.mean[cv.index_1se] <= cv.mean[cv.index_min] + cv.se[cv.index_min]
    np.testing.assert_allclose(
        cv.path.coef, regcore.fit_path(X, y, "ridge", n_lambdas=20).coef, rtol=0, atol=1e-12
    )


def test_leave_one_out_is_for_ridge_only(make_data):
    X, y = make_data(30, 4, seed=95)
    with pytest.raises(ValueError, match="ridge only"):
        regcore.cross_validate(X, y, "lasso", k="loo")


def test_cross_validation_page_offers_leave_one_out_for_ridge_only():
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from regcore.data import make_design, read_csv
    from regcore.datasets import sample_bytes

    app = str(Path(__file__).resolve().parents[1] / "app.py")
    at = AppTest.from_file(app, default_timeout=60)
    at.query_params.update({"sample": "Diabetes", "model": "Ridge", "cv_loo": "true"})
    at.run()
    at.switch_page("app_pages/cv.py").run()
    assert not at.exception and not at.error, [e.value for e in at.exception]
    assert at.toggle(key="cv_loo").value
    df, _ = read_csv(sample_bytes("Diabetes"))
    d = make_design(df, "progression", test_fraction=0.25, seed=0)
    grid = regcore.fit_path(d.X_train, d.y_train, "ridge").lambdas
    cv = regcore.cross_validate(d.X_train, d.y_train, "ridge", k="loo", lambdas=grid)
    shown = {m.label: m.value for m in at.metric}
    assert shown["λ_1se"] == f"{cv.lambda_1se:.4g}"
    assert shown["CV MSE at λ_min"] == f"{cv.mean[cv.index_min]:.4g}"
    at.radio(key="model").set_value("Lasso").run()
    assert not at.exception
    assert all(t.key != "cv_loo" for t in at.toggle)  # no leave-one-out for the lasso


def test_leave_one_out_refuses_more_errors_than_memory_allows(make_data, monkeypatch):
    X, y = make_data(50, 4, seed=96)
    monkeypatch.setattr("regcore.loo.LOO_MAX_BYTES", 8 * 50 * 10 - 1)
    with pytest.raises(ValueError, match="K-fold"):
        ridge_loo(X, y, n_lambdas=10)
    assert ridge_loo(X, y, n_lambdas=9).errors.shape == (50, 9)
    with pytest.raises(ValueError, match="penalty factors"):
        regcore.RidgeCV(penalty_factor=[1.0, 1.0, 0.0, 1.0]).fit(X, y)


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(8, 20),
    p=st.integers(1, 30),
    seed=st.integers(0, 10_000),
    collinear=st.booleans(),
    scale=st.sampled_from([1e-3, 1.0, 1e4]),
)
def test_leave_one_out_property(n, p, seed, collinear, scale):
    """Random shapes (p > n too), a duplicated column and extreme scales: still brute force,
    to 1e-9 here (p > n at extreme scales leaves ~1e-10 of rounding in the brute force too)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p)) * scale + rng.uniform(-5, 5, p)
    if collinear and p > 1:
        X[:, -1] = 2.0 * X[:, 0]
    y = X[:, 0] / scale + rng.standard_normal(n)
    loo = ridge_loo(X, y, np.geomspace(5.0, 1e-2, 4))
    brute = _brute_force(X, y, loo, True)
    np.testing.assert_allclose(loo.errors, brute, rtol=0, atol=1e-9 * brute.max())
