"""fit_path against oracles: scikit-learn after the documented λ conversion, numpy lstsq, and
the optimality conditions recomputed here from the returned coefficients.

Stated tolerances (the standardised problem, default solver tol = 1e-10):
- objective: |P(ours) − P(sklearn)| / P(sklearn) ≤ 1e-8 at every λ, with sklearn at tol=1e-12;
- coefficients: within 1e-6 of sklearn where the solution is unique (n > p, full rank);
- ridge: within 1e-10 of sklearn Ridge(solver="svd") and of the normal equations;
- KKT: the largest violation, in units of ∂P/∂w, ≤ 1e-9·S with S = 2‖Xsᵀyc‖∞/n (the size of
  the data-fit gradient at w = 0);
- gap: 0 ≤ gap ≤ tol·yy wherever converged, yy = ‖yc‖²/n.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso as SkLasso
from sklearn.linear_model import Ridge as SkRidge

import regcore

OBJ_RTOL = 1e-8
COEF_ATOL = 1e-6
RIDGE_ATOL = 1e-10
KKT_RTOL = 1e-9

# name: (n, p, neighbour correlation, seed)
PROBLEMS = {"dense": (100, 20, 0.0, 1), "p>n": (60, 200, 0.0, 2), "correlated": (150, 40, 0.8, 3)}
SPARSE_MODELS = [("lasso", 1.0), ("elasticnet", 0.5), ("elasticnet", 0.1)]


def _kkt_scale(Xs, yc):
    return 2.0 * np.max(np.abs(Xs.T @ yc)) / len(yc)


def _yy(y):
    return float(np.mean((y - y.mean()) ** 2))


@pytest.mark.parametrize("penalty,alpha", SPARSE_MODELS)
@pytest.mark.parametrize("problem", PROBLEMS)
def test_sparse_path_matches_sklearn_and_is_certified(
    problem, penalty, alpha, make_data, standardise, objective, kkt_violation, sklearn_path
):
    n, p, rho, seed = PROBLEMS[problem]
    X, y = make_data(n, p, rho=rho, seed=seed)
    path = regcore.fit_path(X, y, penalty, alpha=alpha)
    Xs, yc = standardise(X, y)
    ref = sklearn_path(Xs, yc, path.lambdas, alpha)

    ours = objective(Xs, yc, path.coef_std, path.lambdas, alpha)
    theirs = objective(Xs, yc, ref, path.lambdas, alpha)
    assert np.max(np.abs(ours - theirs) / theirs) <= OBJ_RTOL
    if n > p:
        np.testing.assert_allclose(path.coef_std, ref, rtol=0, atol=COEF_ATOL)

    bound = KKT_RTOL * _kkt_scale(Xs, yc)
    assert np.max(kkt_violation(Xs, yc, path.coef_std, path.lambdas, alpha)) <= bound
    assert np.max(path.kkt) <= bound
    assert path.converged.all()
    assert (path.gap >= 0).all()
    assert (path.gap <= path.tol * _yy(y)).all()


def test_sklearn_on_standardised_input_with_standardize_false(
    make_data, standardise, objective, sklearn_path
):
    """The second route: hand fit_path the standardised X itself and compare coef directly."""
    X, y = make_data(120, 15, seed=4)
    Xs, yc = standardise(X, y)
    path = regcore.fit_path(Xs, y, "lasso", standardize=False)
    ref = sklearn_path(Xs, yc, path.lambdas, 1.0)
    np.testing.assert_allclose(path.coef, ref, rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(path.intercept, y.mean(), rtol=0, atol=1e-9 * abs(y.mean()))
    ours = objective(Xs, yc, path.coef, path.lambdas, 1.0)
    theirs = objective(Xs, yc, ref, path.lambdas, 1.0)
    assert np.max(np.abs(ours - theirs) / theirs) <= OBJ_RTOL


@pytest.mark.parametrize("problem", PROBLEMS)
def test_ridge_path_matches_sklearn_ridge_and_normal_equations(
    problem, make_data, standardise, kkt_violation
):
    n, p, rho, seed = PROBLEMS[problem]
    X, y = make_data(n, p, rho=rho, seed=seed)
    path = regcore.fit_path(X, y, "ridge")
    Xs, yc = standardise(X, y)
    G, c = Xs.T @ Xs / n, Xs.T @ yc / n
    for lam, w in zip(path.lambdas, path.coef_std, strict=True):
        sk = SkRidge(alpha=n * lam, solver="svd", fit_intercept=False).fit(Xs, yc)
        np.testing.assert_allclose(w, sk.coef_, rtol=0, atol=RIDGE_ATOL)
        np.testing.assert_allclose(
            w, np.linalg.solve(G + lam * np.eye(p), c), rtol=0, atol=RIDGE_ATOL
        )
    bound = KKT_RTOL * _kkt_scale(Xs, yc)
    assert np.max(kkt_violation(Xs, yc, path.coef_std, path.lambdas, 0.0)) <= bound
    assert np.max(path.kkt) <= bound
    assert path.converged.all() and (path.gap >= 0).all()


def test_least_squares_matches_lstsq(make_data):
    X, y = make_data(80, 12, rho=0.5, seed=5)
    path = regcore.fit_path(X, y, "none")
    np.testing.assert_array_equal(path.lambdas, [0.0])
    A = np.column_stack([np.ones(len(y)), X])
    beta = np.linalg.lstsq(A, y, rcond=None)[0]
    np.testing.assert_allclose(path.coef[0], beta[1:], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(path.intercept[0], beta[0], rtol=1e-10)
    assert path.rank == 12 and path.df[0] == 12


def test_original_scale_predictions_equal_standardised_ones(make_data, standardise):
    X, y = make_data(90, 10, seed=6)
    Xs, _ = standardise(X, y)
    for penalty in ("lasso", "ridge", "elasticnet", "none"):
        path = regcore.fit_path(X, y, penalty)
        original = X @ path.coef.T + path.intercept[None, :]
        standardised = Xs @ path.coef_std.T + y.mean()
        np.testing.assert_allclose(original, standardised, rtol=1e-10, atol=1e-10 * np.abs(y).max())
        np.testing.assert_allclose(path.predict(X), original, rtol=1e-12, atol=1e-12)


def test_dataframe_input_keeps_feature_names(make_data):
    X, y = make_data(50, 4, seed=7)
    names = ["age", "income", "height", "x y"]
    frame = pd.DataFrame(X, columns=names)
    path = regcore.fit_path(frame, pd.Series(y, name="target"), "lasso", n_lambdas=5)
    assert path.feature_names == names
    table = path.to_frame()
    assert list(table.columns[-4:]) == names
    np.testing.assert_array_equal(table[names].to_numpy(), path.coef)
    np.testing.assert_allclose(path.predict(frame), path.predict(X), rtol=1e-14)


def test_predict_shapes(make_data):
    X, y = make_data(40, 6, seed=8)
    path = regcore.fit_path(X, y, "lasso", n_lambdas=7)
    assert path.predict(X).shape == (40, 7)
    assert path.predict(X[:3], lam=float(path.lambdas[2])).shape == (3,)
    assert path.predict(X[:1], lam=0.123, problem=path.problem(X, y)).shape == (1,)
    with pytest.raises(ValueError, match="columns"):
        path.predict(X[:, :5])


@pytest.mark.parametrize("penalty,alpha", [("lasso", 1.0), ("elasticnet", 0.3), ("ridge", 0.0)])
def test_coef_at_grid_point_is_the_grid_row(penalty, alpha, make_data):
    X, y = make_data(70, 8, seed=9)
    path = regcore.fit_path(X, y, penalty, alpha=alpha, n_lambdas=20)
    for i in (0, 7, 19):
        coef, intercept = path.coef_at(path.lambdas[i])
        np.testing.assert_array_equal(coef, path.coef[i])
        assert intercept == path.intercept[i]


@pytest.mark.parametrize("penalty,alpha", [("lasso", 1.0), ("elasticnet", 0.3)])
def test_coef_at_off_grid_matches_a_fresh_sklearn_fit(penalty, alpha, make_data, standardise):
    X, y = make_data(70, 8, seed=10)
    path = regcore.fit_path(X, y, penalty, alpha=alpha, n_lambdas=20)
    lam = float(np.sqrt(path.lambdas[5] * path.lambdas[6]))
    coef, intercept = path.coef_at(lam, X, y)
    Xs, _ = standardise(X, y)
    sk = regcore.sklearn_equivalent(penalty, lam, len(y), alpha=alpha)
    params = {k: v for k, v in sk.items() if k != "estimator"}
    model = {"Lasso": SkLasso, "ElasticNet": SkElasticNet}[sk["estimator"]]
    fresh = model(**params, tol=1e-12, max_iter=200_000).fit(Xs, y)
    scale = X.std(axis=0)
    np.testing.assert_allclose(coef * scale, fresh.coef_, rtol=0, atol=COEF_ATOL)
    np.testing.assert_allclose(
        intercept,
        fresh.intercept_ - (fresh.coef_ / scale) @ X.mean(axis=0),
        rtol=0,
        atol=COEF_ATOL * np.abs(X).max(),
    )


def test_coef_at_off_grid_ridge_is_the_exact_formula(make_data, standardise):
    X, y = make_data(70, 8, rho=0.6, seed=11)
    path = regcore.fit_path(X, y, "ridge", n_lambdas=20)
    lam = float(np.sqrt(path.lambdas[3] * path.lambdas[4]))
    Xs, yc = standardise(X, y)
    n, p = X.shape
    w = np.linalg.solve(Xs.T @ Xs / n + lam * np.eye(p), Xs.T @ yc / n)
    coef, intercept = path.coef_at(lam, X, y)
    np.testing.assert_allclose(coef * X.std(axis=0), w, rtol=0, atol=RIDGE_ATOL)
    np.testing.assert_allclose(intercept, y.mean() - coef @ X.mean(axis=0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("penalty", ["lasso", "ridge", "elasticnet", "none"])
def test_constant_columns_get_exact_zero_without_warnings(penalty, make_data):
    X, y = make_data(60, 6, seed=12)
    X[:, 1] = 3.7
    X[:, 4] = 0.0
    with warnings.catch_warnings(), np.errstate(divide="raise", invalid="raise", over="raise"):
        warnings.simplefilter("error")
        path = regcore.fit_path(X, y, penalty)
        path.coef_at(0.5 * path.lambdas[-1] + 1e-3, X, y)
    assert (path.coef[:, [1, 4]] == 0.0).all()
    assert (path.coef_std[:, [1, 4]] == 0.0).all()
    assert np.isfinite(path.coef).all() and np.isfinite(path.intercept).all()
    assert path.converged.all()


def test_duplicated_columns_lasso_converges_to_sklearn_objective(
    make_data, standardise, objective, sklearn_path
):
    X, y = make_data(80, 10, seed=13)
    X = np.column_stack([X, X[:, :3], 2.0 * X[:, 0]])
    path = regcore.fit_path(X, y, "lasso")
    assert path.converged.all()
    Xs, yc = standardise(X, y)
    ref = sklearn_path(Xs, yc, path.lambdas, 1.0)
    ours = objective(Xs, yc, path.coef_std, path.lambdas, 1.0)
    theirs = objective(Xs, yc, ref, path.lambdas, 1.0)
    assert np.max((ours - theirs) / theirs) <= OBJ_RTOL


@pytest.mark.parametrize("penalty", ["ridge", "none"])
def test_more_columns_than_rows_is_noted(penalty, make_data):
    X, y = make_data(20, 50, seed=14)
    path = regcore.fit_path(X, y, penalty)
    assert path.rank == 19  # centring removes one dimension
    assert any("rank 19" in note for note in path.notes)
    if penalty == "none":
        assert any("minimum-norm" in note for note in path.notes)


def test_least_squares_on_rank_deficient_x_is_the_minimum_norm_solution(make_data, standardise):
    X, y = make_data(30, 8, seed=15)
    X = np.column_stack([X, X[:, 0] + X[:, 1], X[:, 2]])
    Xs, yc = standardise(X, y)
    path = regcore.fit_path(X, y, "none")
    w = np.linalg.lstsq(Xs, yc, rcond=None)[0]
    np.testing.assert_allclose(path.coef_std[0], w, rtol=0, atol=1e-10)
    assert path.rank == 8
    # without standardising, the minimum norm is taken on the centred original columns
    raw = regcore.fit_path(X, y, "none", standardize=False)
    w_raw = np.linalg.lstsq(X - X.mean(axis=0), yc, rcond=None)[0]
    np.testing.assert_allclose(raw.coef[0], w_raw, rtol=0, atol=1e-10)


@pytest.mark.parametrize("penalty,alpha", [("lasso", 1.0), ("elasticnet", 0.5)])
def test_lambda_zero_on_a_sparse_path_is_least_squares(penalty, alpha, make_data):
    """λ = 0 in the grid, or asked of coef_at / predict later, is the least-squares fit."""
    X, y = make_data(50, 6, seed=16)
    beta = np.linalg.lstsq(np.column_stack([np.ones(len(y)), X]), y, rcond=None)[0]
    with_zero = regcore.fit_path(X, y, penalty, alpha=alpha, lambdas=[0.1, 0.0, 0.3])
    np.testing.assert_array_equal(with_zero.lambdas, [0.3, 0.1, 0.0])
    np.testing.assert_allclose(with_zero.coef[-1], beta[1:], rtol=1e-10)
    default = regcore.fit_path(X, y, penalty, alpha=alpha, n_lambdas=5)
    coef, intercept = default.coef_at(0.0, X, y)
    np.testing.assert_allclose(coef, beta[1:], rtol=1e-10)
    assert intercept == pytest.approx(beta[0], rel=1e-10)
    np.testing.assert_allclose(
        default.predict(X[:3], lam=0.0, problem=default.problem(X, y)),
        X[:3] @ beta[1:] + beta[0],
        rtol=1e-10,
    )
