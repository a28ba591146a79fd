"""Moments: exact merges, fits and CV from moments equal to the in-memory results."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regcore.cv import cross_validate
from regcore.moments import Moments, groups_of, train_test_mse
from regcore.path import fit_path

K = 5


def _data(n=1500, p=6, offset=0.0, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * np.arange(1, p + 1) + offset * (np.arange(p) % 2)
    y = X @ rng.normal(size=p) + rng.normal(size=n) + offset
    return X, y


def _chunked(X, y, groups, rows, order=None):
    """Moments built chunk by chunk (in the given order of chunks), sharing the first row's shift."""
    starts = list(range(0, X.shape[0], rows))
    if order is not None:
        starts = [starts[i] for i in order]
    parts = [
        Moments.of_rows(
            X[s : s + rows], y[s : s + rows], groups[s : s + rows], K, shift=X[0], y_shift=y[0]
        )
        for s in starts
    ]
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part)
    return out


def _rel(a, b):
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))


def test_groups_depend_on_row_number_and_seed_only():
    rows = np.arange(100_000)
    g = groups_of(rows, K, seed=3, test_fraction=0.2)
    assert np.array_equal(g[5000:6000], groups_of(rows[5000:6000], K, seed=3, test_fraction=0.2))
    share = np.bincount(g, minlength=K + 1) / rows.size
    assert abs(share[K] - 0.2) < 0.01
    assert np.all(np.abs(share[:K] - 0.16) < 0.01)
    assert not np.array_equal(g, groups_of(rows, K, seed=4, test_fraction=0.2))


def test_merge_equals_one_block_and_ignores_chunk_order():
    X, y = _data(offset=1e8)
    g = groups_of(np.arange(X.shape[0]), K, seed=1, test_fraction=0.2)
    whole = Moments.of_rows(X, y, g, K)
    a = _chunked(X, y, g, 97)
    b = _chunked(X, y, g, 97, order=np.random.default_rng(5).permutation(16))
    for field in ("n", "mean", "y_mean", "lo", "hi", "Sxx", "Sxy", "Syy"):
        assert _rel(getattr(a, field), getattr(b, field)) <= 1e-12 or field in ("mean", "y_mean")
    np.testing.assert_allclose(a.Sxx, whole.Sxx, rtol=1e-12, atol=1e-12 * np.abs(whole.Sxx).max())
    np.testing.assert_allclose(a.mean, b.mean, rtol=0, atol=1e-12 * X.std(axis=0).max())


def test_large_offsets_lose_no_digits():
    """Columns at 1e8 with spread 1: the centred scatter keeps its digits (raw sums would not)."""
    X, y = _data(offset=1e8)
    g = np.zeros(X.shape[0], dtype=int)
    m = _chunked(X, y, g, 100)
    exact = (X - X.mean(axis=0)).T @ (X - X.mean(axis=0))
    assert _rel(m.pooled([0]).Sxx[0], exact) < 1e-11
    raw = X.T @ X - X.shape[0] * np.outer(X.mean(axis=0), X.mean(axis=0))
    assert _rel(raw, exact) > 1e-6  # the naive route this replaces


@pytest.mark.parametrize("penalty,alpha", [("lasso", None), ("ridge", None), ("elasticnet", 0.5)])
@pytest.mark.parametrize("offset", [0.0, 1e8])
def test_path_from_moments_equals_in_memory(penalty, alpha, offset):
    X, y = _data(offset=offset)
    g = groups_of(np.arange(X.shape[0]), K, seed=2, test_fraction=0.25)
    m = _chunked(X, y, g, 211)
    train, test = g < K, g == K
    streamed = fit_path(moments=m, penalty=penalty, alpha=alpha)
    memory = fit_path(X[train], y[train], penalty=penalty, alpha=alpha)
    assert streamed.converged.all()
    assert _rel(streamed.objective, memory.objective) < 1e-10
    np.testing.assert_allclose(streamed.lambdas, memory.lambdas, rtol=1e-10)
    tol = 1e-11 if offset == 0 else 1e-7  # intercepts near 1e8 carry 1e-8 of rounding either way
    train_err, test_err = train_test_mse(m, streamed)
    assert _rel(test_err, memory.mse(X[test], y[test])) < tol
    assert _rel(train_err, memory.mse(X[train], y[train])) < tol


@pytest.mark.parametrize("fit_intercept,standardize", [(False, True), (True, False)])
def test_path_options_from_moments(fit_intercept, standardize):
    X, y = _data(n=400, p=4)
    m = _chunked(X, y, np.zeros(400, dtype=int), 50)
    opts = dict(fit_intercept=fit_intercept, standardize=standardize)
    assert _rel(fit_path(moments=m, **opts).objective, fit_path(X, y, **opts).objective) < 1e-10


def test_constant_column_gets_zero_coefficient_as_in_memory():
    X, y = _data(n=300, p=4)
    X[:, 2] = 7.0
    m = _chunked(X, y, np.zeros(300, dtype=int), 64)
    streamed, memory = fit_path(moments=m), fit_path(X, y)
    assert (streamed.coef[:, 2] == 0).all()
    assert _rel(streamed.objective, memory.objective) < 1e-10


def test_cross_validation_from_moments_equals_in_memory_with_the_same_folds():
    X, y = _data()
    g = groups_of(np.arange(X.shape[0]), K, seed=7, test_fraction=0.2)
    m = _chunked(X, y, g, 300)
    train = g < K
    streamed = cross_validate(moments=m)
    memory = cross_validate(X[train], y[train], row_folds=g[train])
    assert _rel(streamed.mean, memory.mean) < 1e-10
    assert _rel(streamed.se, memory.se) < 1e-8
    assert (streamed.index_min, streamed.index_1se) == (memory.index_min, memory.index_1se)


def test_cross_validation_needs_two_folds():
    X, y = _data(n=100)
    m = Moments.of_rows(X, y, np.zeros(100, dtype=int), 1)
    with pytest.raises(ValueError, match="at least 2 folds"):
        cross_validate(moments=m)


def test_save_and_load_round_trip(tmp_path):
    X, y = _data(n=200)
    m = Moments.of_rows(X, y, groups_of(np.arange(200), K, seed=1, test_fraction=0.2), K)
    m.lines = ["read 200 rows"]
    m.save(tmp_path / "m.npz")
    back = Moments.load(tmp_path / "m.npz")
    assert back.lines == m.lines and back.feature_names == m.feature_names
    np.testing.assert_array_equal(back.Sxx, m.Sxx)
    assert _rel(fit_path(moments=back).objective, fit_path(moments=m).objective) == 0.0
    for bad in (b"not a zip", b"PK\x03\x04" + b"\x00" * 40):  # not a zip; a broken one
        (tmp_path / "bad.npz").write_bytes(bad)
        with pytest.raises(ValueError, match="not a moments file"):
            Moments.load(tmp_path / "bad.npz")


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(20, 120),
    rows=st.integers(1, 40),
    offset=st.sampled_from([0.0, 1e3, 1e8]),
    seed=st.integers(0, 1000),
)
def test_any_chunking_gives_the_same_moments(n, rows, offset, seed):
    X, y = _data(n=n, p=3, offset=offset, seed=seed)
    g = groups_of(np.arange(n), 2, seed=seed)
    g = np.minimum(g, 1)  # two training folds, no test rows
    a = Moments.of_rows(X, y, g, 2, shift=X[0], y_shift=y[0])
    starts = list(range(0, n, rows))
    parts = [
        Moments.of_rows(
            X[s : s + rows], y[s : s + rows], g[s : s + rows], 2, shift=X[0], y_shift=y[0]
        )
        for s in starts
    ]
    b = parts[-1]
    for part in reversed(parts[:-1]):
        b = b.merge(part)
    assert np.array_equal(a.n, b.n)
    scale = np.abs(a.Sxx).max()
    np.testing.assert_allclose(b.Sxx, a.Sxx, rtol=0, atol=1e-11 * scale)
    np.testing.assert_allclose(b.Syy, a.Syy, rtol=1e-11)
