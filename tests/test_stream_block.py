"""Blocks of plain numbers summed in the parser threads (``regcore.moments.block``): the same
moments as the general route to 1e-12, the same folds whatever the blocks before a block
held, and files with missing cells or text still routed the general way."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regcore.data import DataError
from regcore.moments import chunks, from_csv, groups_of, stream
from regcore.moments.block import block_moments
from regcore.moments.parse import numbers
from regcore.moments.stats import Moments
from tests.test_stream_one_pass import _same

K, SEED, TEST = 5, 7, 0.2


@pytest.fixture
def summed(monkeypatch):
    """The blocks each stream summed in a parser thread (their first rows)."""
    starts = []

    def counted(values, start, **options):
        out = block_moments(values, start, **options)
        if out is not None:
            starts.append(start)
        return out

    monkeypatch.setattr(stream, "block_moments", counted)
    return starts


def _general(monkeypatch, path, **options):
    """The same stream with every block parsed by pandas (so none is summed in a thread)."""
    with monkeypatch.context() as patch:
        patch.setattr(chunks, "numbers", lambda *args: None)
        return from_csv(path, **options)


def _numbers(n=3000, offset=1e8, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4)) * [1, 30, 1e-3, 5] + [offset, -offset, 0, 7]
    y = X[:, :2] @ [2.0, 0.1] - X[:, 3] + rng.normal(size=n)
    return pd.DataFrame(np.column_stack([X, y]), columns=["a", "b", "c", "d", "y"])


def test_a_blocks_moments_equal_the_columns_moments_far_from_zero():
    rng = np.random.default_rng(2)
    values = rng.normal(size=(6, 5000)) * [[1], [1e3], [1e-3], [1], [2], [1]] + [[1e8], [0]] * 3
    take = np.array([0, 2, 3, 4, 5, 1])  # features, then the target
    shift = values[take, 0] + 0.5
    got = block_moments(values, 123, take, K, shift, list("abcde"), seed=SEED, test_fraction=TEST)
    groups = groups_of(np.arange(123, 5123), K, SEED, TEST)
    want = Moments.of_columns(list(values[take[:-1]]), values[1], groups, K, list("abcde"))
    np.testing.assert_array_equal(got.n, want.n)
    _same(got, want, rtol=1e-12)
    spread = np.abs(values[1]).max()
    np.testing.assert_allclose(
        got.y_mean + got.y_shift, want.y_mean + want.y_shift, rtol=0, atol=1e-14 * spread
    )
    values[3, 4000] = np.nan
    assert block_moments(values, 0, take, K, shift, list("abcde")) is None


def test_a_numeric_file_is_summed_in_the_threads_as_the_general_route(
    tmp_path, monkeypatch, summed
):
    path = tmp_path / "n.csv"
    _numbers().to_csv(path, index=False, float_format="%.6f")
    options = dict(target="y", chunk_rows=500, k=K, seed=SEED, test_fraction=TEST)
    fast = from_csv(path, **options)
    assert len(summed) > 20 and 0 in summed
    slow = _general(monkeypatch, path, **options)
    np.testing.assert_array_equal(fast.n, slow.n)
    _same(fast, slow, rtol=1e-12)


def test_blank_and_empty_rows_before_a_block_keep_its_row_numbers(tmp_path, monkeypatch, summed):
    """Blocks after ones that pandas read (a blank line, a row with no value, a quoted number)
    hold the rows their numbers say, so the hashed folds are the file order's."""
    lines = _numbers(n=2400).to_csv(index=False, float_format="%.6f").splitlines(keepends=True)
    lines[700:700] = ["\n", ",,,,\n", "\n"]
    lines[1500] = '"' + lines[1500].replace(",", '","').rstrip("\n") + '"\n'
    path = tmp_path / "gaps.csv"
    path.write_text("".join(lines))
    options = dict(target="y", chunk_rows=300, k=K, seed=SEED, test_fraction=TEST)
    fast = from_csv(path, **options)
    assert len(summed) > 20 and max(summed) > 1500
    slow = _general(monkeypatch, path, **options)
    np.testing.assert_array_equal(fast.n, slow.n)
    _same(fast, slow, rtol=1e-12)


def test_missing_cells_and_text_go_the_general_way(tmp_path, monkeypatch, summed):
    frame = _numbers(n=2000)
    frame.loc[1200, "c"] = np.nan  # the blocks after it cannot be summed as plain numbers
    path = tmp_path / "late.csv"
    frame.to_csv(path, index=False, float_format="%.6f")
    options = dict(target="y", chunk_rows=300, k=K, seed=SEED, test_fraction=TEST)
    fast = from_csv(path, **options)
    assert summed and max(summed) < 2000
    assert any("imputed 'c'" in line for line in fast.lines)
    _same(fast, _general(monkeypatch, path, **options), rtol=1e-12)

    summed.clear()
    frame = _numbers(n=2000)
    frame["town"] = np.where(np.arange(2000) % 3, "north", "south")
    frame.to_csv(path, index=False, float_format="%.6f")
    both = from_csv(path, **options)
    assert summed == [] and "town=south" in both.feature_names


def test_a_bad_block_in_a_thread_is_a_plain_error_without_waiting(tmp_path, monkeypatch):
    frame = _numbers(n=30000)  # past the head of the file (the schema's 1 MB)
    lines = frame.to_csv(index=False, float_format="%.6f").splitlines(keepends=True)
    lines[25000] = '"1.5,2\n'  # a quote never closed
    path = tmp_path / "bad.csv"
    path.write_text("".join(lines))
    with pytest.raises(DataError, match="could not be read past row"):
        from_csv(path, target="y", chunk_rows=3000)

    calls = []

    def failing(*args):  # the fifth block fails; the blocks after it wait on its end
        calls.append(1)
        if len(calls) == 5:
            raise ValueError("a block that cannot be read")
        return numbers(*args)

    frame.to_csv(path, index=False, float_format="%.6f")
    monkeypatch.setattr(chunks, "numbers", failing)
    with pytest.raises(DataError, match=r"past row 2,\d{3} \(a block that cannot be read\)"):
        from_csv(path, target="y", chunk_rows=3000)


@settings(max_examples=40, deadline=None)
@given(
    p=st.integers(1, 6),
    rows=st.integers(1, 400),
    k=st.integers(1, 6),
    test_fraction=st.sampled_from([0.0, 0.25, 0.5]),
    start=st.integers(0, 10**12),
    offset=st.sampled_from([0.0, 1e4, -1e8]),
    seed=st.integers(0, 2**32),
)
def test_block_moments_equal_the_columns_moments(p, rows, k, test_fraction, start, offset, seed):
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(p + 2, rows)) * rng.uniform(0.1, 10, (p + 2, 1)) + offset
    values[0] = np.round(values[0])  # ties and constant groups
    take = rng.permutation(p + 2)[: p + 1]
    shift = values[take, 0].copy()
    names = [f"x{j}" for j in range(p)]
    got = block_moments(
        values, start, take, k, shift, names, seed=seed, test_fraction=test_fraction
    )
    groups = groups_of(np.arange(start, start + rows), k, seed, test_fraction)
    columns = list(values[take[:-1]])
    want = Moments.of_columns(columns, values[take[-1]], groups, k, names, seed=seed)
    np.testing.assert_array_equal(got.n, want.n)
    np.testing.assert_array_equal(got.lo, want.lo)
    np.testing.assert_array_equal(got.hi, want.hi)
    scale = np.abs(values - offset).max() + 1.0
    np.testing.assert_allclose(
        got.mean + got.shift,
        want.mean + want.shift,
        rtol=0,
        atol=1e-13 * scale + 1e-15 * abs(offset),
    )
    for name in ("Sxx", "Sxy", "Syy"):
        x, y = getattr(got, name), getattr(want, name)
        np.testing.assert_allclose(x, y, rtol=0, atol=1e-12 * max(np.abs(y).max(), scale**2))
