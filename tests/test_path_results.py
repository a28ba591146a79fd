"""A Path holds results only: it pickles small, and off the grid it solves from data it is given."""

import pickle

import numpy as np
import pytest
from sklearn.linear_model import Lasso as SkLasso

import regcore
from regcore.path import Path
from regcore.solvers.problem import Problem


def _result_bytes(path: Path) -> int:
    """The bytes of every array the path holds: its results, nothing more."""
    return sum(v.nbytes for v in vars(path).values() if isinstance(v, np.ndarray))


@pytest.mark.parametrize("shape", [(60, 800), (400, 30)], ids=["wide-data-mode", "tall-gram"])
@pytest.mark.parametrize("penalty", ["lasso", "elasticnet", "ridge"])
def test_a_path_pickles_to_its_results_and_a_few_kilobytes(shape, penalty, make_data):
    X, y = make_data(*shape, seed=3)
    path = regcore.fit_path(X, y, penalty, alpha=0.5 if penalty == "elasticnet" else None)
    size = len(pickle.dumps(path))
    # solver state (G, or the standardised columns, or a decomposition) would add n·p or p²
    assert size <= _result_bytes(path) + 8_192
    assert not any(isinstance(v, Problem) for v in vars(path).values())


def test_off_grid_on_an_unstandardised_path_keeps_its_settings(make_data):
    X, y = make_data(80, 10, seed=4)
    X = X * np.linspace(0.2, 5.0, 10)  # unequal scales: standardising would change the answer
    path = regcore.fit_path(X, y, "lasso", standardize=False, n_lambdas=20, tol=1e-12)
    lam = float(np.sqrt(path.lambdas[6] * path.lambdas[7]))
    coef, intercept = path.coef_at(lam, X, y)
    direct = regcore.fit_path(X, y, "lasso", lambdas=[lam], standardize=False, tol=1e-12)
    np.testing.assert_allclose(coef, direct.coef[0], rtol=0, atol=1e-9)
    assert intercept == pytest.approx(direct.intercept[0], abs=1e-9)
    sk = SkLasso(alpha=lam / 2, tol=1e-14, max_iter=1_000_000).fit(X, y)
    np.testing.assert_allclose(coef, sk.coef_, rtol=0, atol=1e-7)


@pytest.mark.parametrize("penalty", ["lasso", "ridge"])
def test_a_kept_problem_gives_the_same_solution_as_the_rows(penalty, make_data):
    X, y = make_data(70, 12, seed=5)
    path = regcore.fit_path(X, y, penalty, n_lambdas=15)
    lam = float(np.sqrt(path.lambdas[4] * path.lambdas[5]))
    problem = path.problem(X, y)
    from_problem = path.coef_at(lam, problem=problem)
    from_rows = path.coef_at(lam, X, y)
    np.testing.assert_array_equal(from_problem[0], from_rows[0])
    assert from_problem[1] == from_rows[1]
    if penalty == "ridge":  # the decomposition is kept on the problem, not on the path
        assert problem.spectrum is not None and "spectrum" not in vars(path)


def test_off_grid_without_data_or_with_other_rows_is_refused_in_plain_words(make_data):
    X, y = make_data(50, 6, seed=6)
    path = regcore.fit_path(X, y, "lasso", n_lambdas=10)
    lam = float(np.sqrt(path.lambdas[2] * path.lambdas[3]))
    with pytest.raises(ValueError, match="keeps no data"):
        path.coef_at(lam)
    with pytest.raises(ValueError, match="not the training rows"):
        path.coef_at(lam, X + 1.0, y)
    with pytest.raises(ValueError, match="not the training rows"):
        path.coef_at(lam, problem=Problem.from_data(X, y, standardize=False))
    with pytest.raises(ValueError, match="rows"):
        path.coef_at(lam, X[:-1], y[:-1])
    coef, _ = path.coef_at(path.lambdas[3])  # a grid λ needs no data
    np.testing.assert_array_equal(coef, path.coef[3])
