"""Data mode's single-precision screening product (Problem.gradient with exact_from)."""

from __future__ import annotations

import numpy as np
import pytest

from regcore.path import fit_path
from regcore.solvers.problem import Problem


@pytest.mark.parametrize("scale", [1.0, 1e6])
def test_screened_gradient_is_exact_where_it_matters(scale):
    rng = np.random.default_rng(0)
    n, p = 60, 600
    X = rng.normal(size=(n, p)) * scale + 3.0 * scale
    y = X[:, :5] @ np.ones(5) / scale + rng.normal(size=n)
    prob = Problem.from_data(X, y, standardize=False)
    assert prob.mode == "data"
    active = np.array([0, 3, 7, 100])
    w = np.zeros(p)
    w[active] = rng.normal(size=4) / scale
    exact = prob.gradient(w, active)
    t = np.quantile(np.abs(exact), 0.97)
    g = prob.gradient(w, active, exact_from=t)
    need = np.union1d(active, np.flatnonzero(np.abs(exact) >= t))
    np.testing.assert_allclose(g[need], exact[need], rtol=1e-12, atol=1e-14 * np.abs(exact).max())
    rest = np.setdiff1d(np.arange(p), need)
    assert np.all(np.abs(g[rest]) < t) and np.all(np.abs(exact[rest]) < t)
    assert not np.array_equal(g, exact)  # the screening product really ran in single precision


def test_wide_path_agrees_with_gram_mode():
    rng = np.random.default_rng(1)
    n, p = 40, 400
    X = rng.normal(size=(n, p))
    y = X[:, :6] @ rng.normal(size=6) + 0.3 * rng.normal(size=n)
    data = fit_path(X, y, "elasticnet", alpha=0.7)
    assert data._problem.mode == "data"
    gram = fit_path(None, None, "elasticnet", alpha=0.7, lambdas=data.lambdas,
                    problem=Problem.from_data(X, y, gram=True))
    assert data.converged.all() and gram.converged.all()
    np.testing.assert_allclose(data.objective, gram.objective, rtol=1e-9)
