"""Properties every path must have: the grid, λ_max, df, and (hypothesis) robustness on random
shapes, duplicated and constant columns, column scales from 1e-6 to 1e6, all four penalties.

Valid input never raises and never yields NaN; invalid input raises ValueError with a plain
one-line message; ``converged`` is False exactly where the gap exceeds tol·yy.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import regcore

PENALTIES = ["lasso", "ridge", "elasticnet", "none"]


# ---------------------------------------------------------------------------- deterministic
@pytest.mark.parametrize("alpha", [1.0, 0.4])
def test_lambda_max_is_the_formula_and_the_edge_of_all_zero(alpha, make_data, standardise):
    X, y = make_data(80, 12, seed=21)
    Xs, yc = standardise(X, y)
    path = regcore.fit_path(X, y, "elasticnet", alpha=alpha)
    formula = 2.0 / len(y) * np.max(np.abs(Xs.T @ yc)) / alpha
    assert path.lambda_max == pytest.approx(formula, rel=1e-12)
    assert path.lambdas[0] == path.lambda_max
    assert (path.coef_std[0] == 0.0).all() and (path.coef[0] == 0.0).all()
    assert (path.coef_std[1] != 0.0).any()
    just_below = regcore.fit_path(
        X, y, "elasticnet", alpha=alpha, lambdas=[path.lambda_max * (1 - 1e-6)]
    )
    assert (just_below.coef_std[0] != 0.0).any()


@pytest.mark.parametrize("n,p,ratio", [(80, 12, 1e-4), (30, 50, 1e-2), (40, 40, 1e-4)])
def test_default_grid_is_geometric_from_lambda_max(n, p, ratio, make_data):
    X, y = make_data(n, p, seed=22)
    lambdas = regcore.fit_path(X, y, "lasso").lambdas
    assert lambdas.size == 100
    assert lambdas[0] == pytest.approx(
        regcore.fit_path(X, y, "lasso", n_lambdas=1).lambda_max, rel=1e-14
    )
    assert lambdas[-1] / lambdas[0] == pytest.approx(ratio, rel=1e-10)
    steps = np.diff(np.log(lambdas))
    np.testing.assert_allclose(steps, steps[0], rtol=1e-9)
    assert steps[0] < 0


def test_lambda_min_ratio_and_n_lambdas_are_respected(make_data):
    X, y = make_data(50, 5, seed=23)
    lambdas = regcore.fit_path(X, y, "lasso", n_lambdas=7, lambda_min_ratio=0.1).lambdas
    assert lambdas.size == 7
    assert lambdas[-1] / lambdas[0] == pytest.approx(0.1, rel=1e-12)


@pytest.mark.parametrize("n,p", [(90, 15), (25, 60)])
def test_ridge_df_falls_between_zero_and_rank_and_matches_singular_values(
    n, p, make_data, standardise
):
    X, y = make_data(n, p, rho=0.5, seed=24)
    path = regcore.fit_path(X, y, "ridge")
    Xs, _ = standardise(X, y)
    d = np.linalg.svd(Xs, compute_uv=False)
    rank = int((d > d[0] * max(n, p) * np.finfo(float).eps).sum())
    expected = (d[None, :] ** 2 / (d[None, :] ** 2 + n * path.lambdas[:, None])).sum(axis=1)
    np.testing.assert_allclose(path.df, expected, rtol=1e-10)
    assert path.rank == rank == min(n - 1, p)
    assert (np.diff(path.df) >= 0).all()  # λ falls along the grid
    assert (path.df > 0).all() and (path.df <= rank).all()
    assert path.df[0] <= 0.02 * rank and path.df[-1] >= 0.98 * rank


def test_sparse_df_counts_nonzeros_and_none_df_is_the_rank(make_data):
    X, y = make_data(60, 10, seed=25)
    for penalty in ("lasso", "elasticnet"):
        path = regcore.fit_path(X, y, penalty)
        np.testing.assert_array_equal(path.df, (path.coef != 0).sum(axis=1))
        np.testing.assert_array_equal(path.n_nonzero, (path.coef_std != 0).sum(axis=1))
    X = np.column_stack([X, X[:, 0] - X[:, 1]])
    ols = regcore.fit_path(X, y, "none")
    assert ols.df[0] == ols.rank == 10


@pytest.mark.parametrize("penalty", PENALTIES)
def test_constant_target_gives_exact_zero_coefficients(penalty, make_data):
    """y = 0.7 everywhere: its centred values are rounding noise, which no model should fit."""
    X, _ = make_data(30, 8, seed=29)
    y = np.full(30, 0.7)
    path = regcore.fit_path(X, y, penalty, n_lambdas=10)
    assert (path.coef == 0.0).all()
    np.testing.assert_allclose(path.intercept, 0.7, rtol=1e-15)
    assert path.converged.all()


def test_tiny_alpha_grid_starts_where_the_coefficients_are_zero(make_data):
    """A subnormal α makes λ_max = 2‖c‖∞/α overflow; the grid must still mean something."""
    X, y = make_data(30, 5, seed=30)
    try:
        path = regcore.fit_path(X, y, "elasticnet", alpha=5e-324, n_lambdas=3)
    except ValueError as err:  # refusing such an α plainly is fine too
        _assert_plain(err, "α")
        return
    assert np.isfinite(path.lambda_max) and path.lambdas[0] == path.lambda_max
    assert (path.coef_std[0] == 0.0).all()


# ---------------------------------------------------------------------------- hypothesis
@st.composite
def problems(draw):
    """(X, y, constant column indices) from a drawn seed and drawn structure."""
    n = draw(st.integers(3, 200))
    p = draw(st.integers(1, 60))
    n_const = draw(st.integers(0, min(3, p)))
    n_dup = draw(st.integers(0, min(3, p - n_const - 1))) if p - n_const > 1 else 0
    wild = draw(st.booleans())
    y_kind = draw(st.sampled_from(["signal", "noise", "constant"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    p_base = p - n_const - n_dup
    base = rng.standard_normal((n, p_base))
    if wild:  # column scales and the target's scale from 1e-6 to 1e6
        base *= 10.0 ** rng.uniform(-6, 6, p_base)
    base += rng.uniform(-5, 5, p_base) * np.abs(base).max(axis=0, initial=1.0)
    dups = base[:, rng.integers(0, p_base, n_dup)] if p_base else np.empty((n, 0))
    consts = np.tile(rng.uniform(-10, 10, n_const), (n, 1))
    X = np.column_stack([base, dups, consts])
    if y_kind == "constant":
        y = np.full(n, rng.uniform(-3, 3))
    else:
        signal = base[:, : min(3, p_base)].sum(axis=1) if y_kind == "signal" and p_base else 0.0
        y = signal + rng.standard_normal(n) * (10.0 ** rng.uniform(-6, 6) if wild else 1.0)
    return X, y, np.arange(p - n_const, p)


models = st.tuples(st.sampled_from(PENALTIES), st.floats(0.0, 1.0))


@settings(max_examples=60, deadline=None)
@given(
    data=problems(),
    model=models,
    standardize=st.booleans(),
    fit_intercept=st.booleans(),
    n_lambdas=st.integers(1, 25),
)
def test_valid_input_gives_finite_certified_paths(
    data, model, standardize, fit_intercept, n_lambdas
):
    X, y, constant = data
    penalty, alpha = model
    try:
        path = regcore.fit_path(
            X,
            y,
            penalty,
            alpha=alpha,
            standardize=standardize,
            fit_intercept=fit_intercept,
            n_lambdas=n_lambdas,
        )
    except ValueError as err:  # only an α so tiny that λ_max = 2‖c‖∞/α overflows may be refused
        assert penalty == "elasticnet" and 0 < alpha < 1e-250 and "too small" in str(err)
        return
    k = path.lambdas.size
    assert path.coef.shape == path.coef_std.shape == (k, X.shape[1])
    for name in ("lambdas", "coef", "coef_std", "intercept", "df", "gap", "kkt", "objective"):
        assert np.isfinite(getattr(path, name)).all(), name
    assert (np.diff(path.lambdas) <= 0).all() and (path.lambdas >= 0).all()
    assert (path.gap >= 0).all()
    yc = y - y.mean() if fit_intercept else y
    yy = float(yc @ yc) / len(y)
    expected = (path.gap <= path.tol * max(yy, np.finfo(float).tiny)) | (yy == 0.0)
    np.testing.assert_array_equal(path.converged, expected)
    if path.alpha > 0 and path.penalty != "none":
        if np.isfinite(path.lambda_max):  # a subnormal α overflows λ_max: see test_tiny_alpha_…
            assert path.lambdas[0] == path.lambda_max or path.lambda_max == 0.0
            assert (path.coef_std[0] == 0.0).all()  # the grid starts at λ_max
        np.testing.assert_array_equal(path.df, (path.coef_std != 0).sum(axis=1))
        if fit_intercept:  # ridge and none are covered by test_path_oracle's constant-column test
            assert (path.coef[:, constant] == 0.0).all()
    if path.penalty == "ridge":
        assert (np.diff(path.df) >= -1e-12 * X.shape[1]).all()
    off_grid = float(path.lambdas[-1]) * 0.7
    problem = path.problem(X, y)
    assert np.isfinite(path.predict(X[:2], lam=off_grid, problem=problem)).all()


def _corrupt(X, y, how, rng):
    X, y = X.copy(), y.copy()
    i, j = rng.integers(0, X.shape[0]), rng.integers(0, X.shape[1])
    if how == "nan_x":
        X[i, j] = np.nan
    elif how == "inf_x":
        X[i, j] = -np.inf
    elif how == "nan_y":
        y[i] = np.nan
    elif how == "inf_y":
        y[i] = np.inf
    elif how == "rows":
        y = y[:-1]
    return X, y


INVALID = {  # how: (keyword arguments, a word the message must contain)
    "nan_x": ({}, "X contains"),
    "inf_x": ({}, "X contains"),
    "nan_y": ({}, "y contains"),
    "inf_y": ({}, "y contains"),
    "rows": ({}, "rows"),
    "negative_lambda": ({"lambdas": [1.0, -0.5]}, "λ"),
    "alpha_above_1": ({"penalty": "elasticnet", "alpha": 1.5}, "α"),
    "alpha_below_0": ({"penalty": "elasticnet", "alpha": -0.1}, "α"),
    "alpha_nan": ({"penalty": "elasticnet", "alpha": float("nan")}, "α"),
}


def _assert_plain(err: ValueError, word: str):
    msg = str(err)
    assert word in msg
    assert 10 <= len(msg) <= 300 and "\n" not in msg and "Traceback" not in msg


@settings(max_examples=40, deadline=None)
@given(data=problems(), how=st.sampled_from(sorted(INVALID)), seed=st.integers(0, 1000))
def test_invalid_input_raises_a_plain_value_error(data, how, seed):
    X, y, _ = data
    kwargs, word = INVALID[how]
    X, y = _corrupt(X, y, how, np.random.default_rng(seed))
    with pytest.raises(ValueError) as info:
        regcore.fit_path(X, y, **{"penalty": "lasso", **kwargs})
    _assert_plain(info.value, word)


@pytest.mark.parametrize("k", [0, 1, -3])
def test_fewer_than_two_folds_is_a_value_error(k, make_data):
    X, y = make_data(20, 3, seed=26)
    with pytest.raises(ValueError) as info:
        regcore.cross_validate(X, y, k=k)
    _assert_plain(info.value, "K must")


@pytest.mark.parametrize("penalty", ["lasso", "ridge", "none"])
@pytest.mark.parametrize("alpha", [1.5, -0.1])
def test_alpha_outside_unit_interval_is_rejected_for_every_penalty(penalty, alpha, make_data):
    """An α the model cannot have is a mistake to report, not to ignore silently."""
    X, y = make_data(20, 3, seed=27)
    with pytest.raises(ValueError) as info:
        regcore.fit_path(X, y, penalty, alpha=alpha)
    _assert_plain(info.value, "α")


def test_negative_lambda_is_rejected_by_coef_at_and_predict(make_data):
    X, y = make_data(20, 3, seed=28)
    path = regcore.fit_path(X, y, "lasso", n_lambdas=3)
    for call in (
        lambda: path.coef_at(-1.0),
        lambda: path.predict(X, lam=-1.0),
        lambda: path.coef_at(np.nan),
    ):
        with pytest.raises(ValueError) as info:
            call()
        _assert_plain(info.value, "λ")
