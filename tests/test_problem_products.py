"""The Gram route of ``Problem.from_data``: products about the first rows' means, so that a
common offset far above the spread needs no centred copy of X and costs no digits."""

from __future__ import annotations

import numpy as np
import pytest

from regcore.solvers import problem
from regcore.solvers.problem import PRODUCT_BLOCK_ROWS, PRODUCT_MIN_BLOCKS, Problem


@pytest.mark.parametrize(
    "rows", [3000, PRODUCT_MIN_BLOCKS * PRODUCT_BLOCK_ROWS + 17]
)  # plain, blocks
@pytest.mark.parametrize("standardize", [True, False])
def test_offset_columns_take_the_product_route_and_keep_their_digits(
    rows, standardize, monkeypatch
):
    rng = np.random.default_rng(7)
    spread = np.array([1.0, 3.0, 0.5, 2.0])
    X = 1e6 + rng.standard_normal((rows, 4)) * spread + np.arange(4)
    y = X @ np.array([1.0, -2.0, 0.0, 0.5]) + rng.standard_normal(rows) + 5e3

    def centred_route(*args, **kwargs):
        raise AssertionError("the centred copy was made")

    monkeypatch.setattr(problem, "column_scale", centred_route)
    prob = Problem.from_data(X, y, standardize=standardize)
    monkeypatch.undo()
    assert prob.G is not None
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    scale = Xc.std(axis=0) if standardize else np.ones(4)
    Xs = Xc / scale
    np.testing.assert_allclose(prob.mean, X.mean(axis=0), rtol=1e-14)
    np.testing.assert_allclose(prob.scale, scale, rtol=1e-10)
    np.testing.assert_allclose(prob.G, Xs.T @ Xs / rows, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(prob.c, Xs.T @ yc / rows, rtol=1e-10)
    assert prob.yy == pytest.approx(yc @ yc / rows, rel=1e-12)
    # without the shift, the raw products would centre 1e12-sized terms: the route refused them
    raw = problem.products(X, y)
    assert Problem.from_products(rows, *raw, y, standardize, True) is None
