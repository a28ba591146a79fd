"""cross_validate: the fold errors, glmnet's mean/se formulas and 1-SE rule, the fold problems
built by Gram subtraction, and scikit-learn's LassoCV on the same folds as an oracle."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LassoCV
from sklearn.model_selection import PredefinedSplit

import regcore
from regcore import cv
from regcore.cv import fold_ids, fold_problems, one_se_rule
from regcore.solvers.problem import Problem


@pytest.mark.parametrize("p", [6, 70])  # Gram subtraction (n > p) and fresh fold problems (p > n)
@pytest.mark.parametrize("penalty", ["lasso", "ridge", "elasticnet"])
def test_fold_errors_mean_and_se_recomputed_by_hand(penalty, p, make_data):
    X, y = make_data(53, p, seed=31)  # 53 rows in 5 folds: uneven fold sizes
    k = 5
    res = regcore.cross_validate(X, y, penalty, k=k, n_lambdas=15)
    ids = fold_ids(53, k, seed=0)
    np.testing.assert_array_equal(res.folds, ids)
    for f in range(k):  # each fold standardised on its own training rows
        train = ids != f
        path = regcore.fit_path(X[train], y[train], penalty, lambdas=res.lambdas)
        np.testing.assert_allclose(res.fold_curves[f], path.mse(X[~train], y[~train]), rtol=1e-9)
    sizes = np.array([(ids == f).sum() for f in range(k)])
    assert len(set(sizes)) > 1
    mean = np.array(
        [sum(sizes[f] * res.fold_curves[f, i] for f in range(k)) / 53 for i in range(15)]
    )
    se = np.array(
        [
            np.sqrt(
                sum(sizes[f] * (res.fold_curves[f, i] - mean[i]) ** 2 for f in range(k))
                / 53
                / (k - 1)
            )
            for i in range(15)
        ]
    )
    np.testing.assert_allclose(res.mean, mean, rtol=1e-12)
    np.testing.assert_allclose(res.se, se, rtol=1e-12)


@pytest.mark.parametrize("offset", [0.0, 1e4])  # scatter by products, and from a centred copy
@pytest.mark.parametrize("noise", [1.0, 0.0])
def test_held_out_errors_from_the_scatter_equal_the_rows(noise, offset, make_data):
    # in Gram mode the held-out error comes from the rows' scatter, a quadratic form whose
    # terms cancel when the fit is nearly exact: those λ must be recomputed from the rows
    X, y = make_data(90, 6, seed=33, noise=noise)
    X = X + offset
    k = 4
    ids = fold_ids(90, k, seed=0)
    for penalty in ("none", "ridge", "lasso"):
        res = regcore.cross_validate(X, y, penalty, k=k, n_lambdas=12)
        for f in range(k):
            train = ids != f
            path = regcore.fit_path(X[train], y[train], penalty, lambdas=res.lambdas)
            rows = path.mse(X[~train], y[~train])
            np.testing.assert_allclose(res.fold_curves[f], rows, rtol=1e-8, atol=1e-12 * np.var(y))
    if (
        noise == 0.0
    ):  # least squares fits exactly: rounding-level errors, not the form's ~1e-16·‖y‖²
        assert regcore.cross_validate(X, y, "none", k=k).fold_curves.max() < 1e-20 * np.var(y)


def test_lambda_min_and_1se_follow_the_curve(make_data):
    X, y = make_data(80, 10, seed=32)
    res = regcore.cross_validate(X, y, "lasso", k=8)
    assert res.lambda_1se >= res.lambda_min
    assert (
        res.lambdas[res.index_min] == res.lambda_min
        and res.lambdas[res.index_1se] == res.lambda_1se
    )
    assert res.mean[res.index_min] == res.mean.min()
    assert res.mean[res.index_1se] <= res.mean.min() + res.se[res.index_min]
    np.testing.assert_array_equal(res.path.lambdas, res.lambdas)
    # the path on all the rows, as fit_path fits it: up to rounding, since its products are
    # the sums of the folds' (one pass over the data serves both)
    alone = regcore.fit_path(X, y, "lasso")
    np.testing.assert_array_equal(res.path.n_nonzero, alone.n_nonzero)
    np.testing.assert_allclose(
        res.path.coef, alone.coef, rtol=0, atol=1e-12 * np.abs(alone.coef).max()
    )


@pytest.mark.parametrize(
    "mean,se,expected",
    [
        ([10.0, 6.0, 4.5, 4.0, 4.2], [1.0, 0.8, 0.7, 0.6, 0.6], (3, 2)),  # 4.5 ≤ 4.0 + 0.6
        (
            [10.0, 6.0, 4.7, 4.0, 4.2],
            [1.0, 0.8, 0.7, 0.6, 0.6],
            (3, 3),
        ),  # nothing larger within reach
        (
            [4.5, 6.0, 5.0, 4.0, 4.0],
            [1.0, 0.8, 0.7, 0.6, 0.6],
            (3, 0),
        ),  # glmnet: the largest λ within, not the nearest
        (
            [5.0, 3.0, 3.0, 3.5, 4.0],
            [0.1, 0.1, 0.2, 0.2, 0.2],
            (1, 1),
        ),  # ties: the larger λ is λ_min
    ],
)
def test_one_se_rule_on_hand_made_curves(mean, se, expected):
    lambdas = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    assert one_se_rule(lambdas, np.array(mean), np.array(se)) == expected


@pytest.mark.parametrize(
    "budget", [None, 0]
)  # 0: the folds' products are not kept, the full scatter is subtracted from
@pytest.mark.parametrize("offset", [0.0, 1e4])  # 1e4: too far off to centre the products afterwards
@pytest.mark.parametrize("outlier", [1e3, 1e6])
@pytest.mark.parametrize("standardize,fit_intercept", [(True, True), (False, True), (True, False)])
def test_fold_problems_by_gram_products_equal_fresh_ones(
    standardize, fit_intercept, outlier, offset, budget, make_data, monkeypatch
):
    if budget is not None:
        monkeypatch.setattr(cv, "FOLD_PRODUCTS_BYTES", budget)
    X, y = make_data(60, 8, seed=33)
    X[:, 3] += offset
    k = 5
    ids = fold_ids(60, k, seed=3)
    X = np.column_stack([X, np.where(ids == 2, 5.0, -1.5)])  # constant on fold 2's training rows
    X[np.flatnonzero(ids == 4)[0], 1] = outlier * X[:, 1].std()  # held out by fold 4 only
    problems = list(
        fold_problems(X, y, ids, k, standardize=standardize, fit_intercept=fit_intercept)
    )
    assert len(problems) == k and all(prob.G is not None for prob in problems)
    for f, prob in enumerate(problems):
        train = ids != f
        fresh = Problem.from_data(
            X[train], y[train], standardize=standardize, fit_intercept=fit_intercept
        )
        assert prob.n == fresh.n
        for name in ("G", "c", "mean", "scale"):
            np.testing.assert_allclose(
                getattr(prob, name),
                getattr(fresh, name),
                rtol=1e-10,
                atol=1e-10,
                err_msg=f"fold {f}: {name}",
            )
        assert prob.yy == pytest.approx(fresh.yy, rel=1e-10)
        assert prob.y_mean == pytest.approx(fresh.y_mean, rel=1e-12, abs=1e-12)
    if fit_intercept:
        assert (problems[2].G[-1] == 0.0).all() and problems[2].c[-1] == 0.0


def test_a_held_out_outlier_does_not_drop_the_column_from_the_fold_model(make_data):
    """Subtracting a huge held-out row from the Gram matrix cancels the training rows' spread."""
    X, y = make_data(60, 8, seed=33)
    ids = fold_ids(60, 5, seed=0)
    X[np.flatnonzero(ids == 4)[0], 1] = 1e6 * X[:, 1].std()
    res = regcore.cross_validate(X, y, "lasso", k=5, n_lambdas=10)
    train = ids != 4
    path = regcore.fit_path(X[train], y[train], "lasso", lambdas=res.lambdas)
    np.testing.assert_allclose(res.fold_curves[4], path.mse(X[~train], y[~train]), rtol=1e-9)


def test_cross_validate_matches_sklearn_lasso_cv_on_the_same_folds(make_data, standardise):
    """LassoCV centres each fold but scales nothing: give both the same standardised X."""
    X, y = make_data(100, 12, rho=0.5, seed=34)
    Xs, _ = standardise(X, y)
    k = 5
    lambdas = regcore.fit_path(Xs, y, "lasso", n_lambdas=30, standardize=False).lambdas
    res = regcore.cross_validate(Xs, y, "lasso", k=k, seed=7, lambdas=lambdas, standardize=False)
    split = PredefinedSplit(fold_ids(100, k, seed=7))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        sk = LassoCV(alphas=lambdas / 2, cv=split, tol=1e-12, max_iter=200_000).fit(Xs, y)
    np.testing.assert_allclose(sk.alphas_, lambdas / 2, rtol=1e-15)
    np.testing.assert_allclose(res.fold_curves.T, sk.mse_path_, rtol=1e-8)
    np.testing.assert_allclose(res.mean, sk.mse_path_.mean(axis=1), rtol=1e-8)  # equal fold sizes
    assert res.lambda_min == pytest.approx(2 * sk.alpha_, rel=1e-12)


def test_progress_is_reported_once_per_fold(make_data):
    X, y = make_data(40, 4, seed=35)
    calls = []
    regcore.cross_validate(
        X, y, "ridge", k=4, n_lambdas=5, progress=lambda done, total: calls.append((done, total))
    )
    assert calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_more_folds_than_rows_is_a_value_error(make_data):
    X, y = make_data(6, 2, seed=36)
    with pytest.raises(ValueError, match="K must"):
        regcore.cross_validate(X, y, k=7)


def test_folds_are_balanced_and_seeded():
    ids = fold_ids(103, 10, seed=5)
    sizes = np.bincount(ids)
    assert sizes.size == 10 and sizes.max() - sizes.min() <= 1
    np.testing.assert_array_equal(ids, fold_ids(103, 10, seed=5))
    assert not np.array_equal(ids, fold_ids(103, 10, seed=6))


def test_held_out_errors_from_the_scatter_when_w_cancels_inside_the_quadratic_form():
    # columns near 1e4 about no centre (no intercept) and large opposite coefficients:
    # wᵀSw cancels inside itself, so the scatter's rounding must be judged by |w|ᵀ|S||w|
    from types import SimpleNamespace

    from regcore.cv import HeldOut
    from regcore.path import row_mse

    rng = np.random.default_rng(8)
    n = 200
    base = rng.normal(size=n)
    X = 1e4 + np.column_stack([base, base + 1e-3 * rng.normal(size=n), rng.normal(size=n)])
    W = np.array([[-3e3, 3e3, 0.5], [-1e3, 1e3, 1.0], [0.0, 0.0, 1.0]])
    y = X @ W[0] + 0.1 * rng.normal(size=n)
    path = SimpleNamespace(coef=W, intercept=np.zeros(3))
    held = HeldOut(
        X,
        y,
        m=np.zeros(3),
        ym=0.0,
        S=X.T @ X,
        sx=X.sum(axis=0),
        sxy=X.T @ y,
        sy=float(y.sum()),
        syy=float(y @ y),
    )
    np.testing.assert_allclose(held.mse(path), row_mse(X, y, W, np.zeros(3)), rtol=1e-9)
