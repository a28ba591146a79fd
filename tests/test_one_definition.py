"""Rules defined once: standardisation, the convergence test, R², λ_max, input validation."""

import numpy as np
import pytest

import regcore
from dashboard import views
from regcore.article import checks
from regcore.moments import Moments
from regcore.penalties import lambda_max, lambda_max_of
from regcore.solvers.problem import Problem, check_xy, gap_converged, gap_target


@pytest.mark.parametrize("standardize", [True, False])
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_rows_and_moments_standardise_by_the_same_rule(standardize, fit_intercept):
    rng = np.random.default_rng(1)
    X = rng.normal(size=(200, 5)) * [1.0, 3.0, 1.0, 0.5, 1.0]
    X[:, 2] = 4.0  # constant
    X[:, 4] = 1e6 + 1e-9 * rng.normal(size=200)  # equal up to rounding when standardising
    y = X[:, 0] - X[:, 1] + rng.normal(size=200)
    rows = Problem.from_data(X, y, standardize=standardize, fit_intercept=fit_intercept, gram=False)
    moments = Moments.of_rows(X, y, np.zeros(200, dtype=int), 1).to_problem(
        standardize, fit_intercept
    )
    np.testing.assert_allclose(moments.scale, rows.scale, rtol=1e-9)
    np.testing.assert_array_equal(moments.scale == 1.0, rows.scale == 1.0)


def test_the_lesson_standardises_as_the_solvers_do(make_data):
    X, y = make_data(60, 4, seed=2)
    X[:, 1] = 2.5
    design = type("D", (), {"X_train": X, "y_train": y, "feature_names": list("abcd")})()
    Xs, _ = views.standardized_training(design)
    prob = Problem.from_data(X, y, gram=False)
    np.testing.assert_allclose(Xs.to_numpy(), prob.Xs, rtol=1e-12, atol=1e-12)
    assert (Xs["b"] == 0.0).all()


def test_the_convergence_test():
    assert gap_target(1e-10, 4.0) == pytest.approx(4e-10)
    assert gap_converged(3e-10, 1e-10, 4.0) is True
    assert gap_converged(5e-10, 1e-10, 4.0) is False
    assert gap_converged(1.0, 1e-10, 0.0) is True  # a constant target is fitted by w = 0
    np.testing.assert_array_equal(gap_converged(np.array([1e-12, 1e-9]), 1e-10, 1.0), [True, False])
    path = regcore.fit_path(*_xy(), "lasso", n_lambdas=10)
    prob = Problem.from_data(*_xy())
    np.testing.assert_array_equal(path.converged, gap_converged(path.gap, path.tol, prob.yy))


def _xy():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 6))
    return X, X[:, 0] + rng.normal(size=50)


def test_lambda_max_has_one_formula():
    X, y = _xy()
    prob = Problem.from_data(X, y)
    path = regcore.fit_path(X, y, "lasso", n_lambdas=5)
    assert path.lambda_max == lambda_max_of(prob.c, 1.0)
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    assert lambda_max(Xs, y) == pytest.approx(path.lambda_max, rel=1e-12)
    assert (path.coef[0] == 0).all()


def test_the_article_validates_through_check_xy():
    bad = np.array([[1.0], [np.nan], [2.0]])
    y = np.zeros(3)
    with pytest.raises(ValueError) as from_article:
        checks.as_problem(bad, y)
    with pytest.raises(ValueError) as from_solvers:
        check_xy(bad, y)
    assert str(from_article.value) == str(from_solvers.value)
