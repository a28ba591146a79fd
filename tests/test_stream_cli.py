"""Streaming a CSV: the reader's rules chunk by chunk, equal to the in-memory design and fits;
the command line's --stream, --chunk-rows and --save-moments."""

import io

import numpy as np
import pandas as pd
import pytest

from regcore.__main__ import main
from regcore.cv import cross_validate
from regcore.data import DataError, read_csv
from regcore.data.design import _numeric_column, _one_hot_columns
from regcore.moments import Moments, chunks, from_csv, groups_of, train_test_mse
from regcore.path import fit_path

K, SEED, TEST = 4, 3, 0.25


def _table(n=1200, offset=0.0, seed=0):
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(
        {
            "a": rng.normal(size=n) + offset,
            "b": rng.normal(size=n) * 3,
            "colour": rng.choice(["red", "green", "blue"], n),
            "flag": rng.choice(["yes", "no"], n),
            "e": rng.normal(size=n),
        }
    )
    df["y"] = (
        df.a
        - offset
        + 2 * df.b
        + (df.colour == "red") * 1.5
        + (df.flag == "yes")
        + rng.normal(size=n)
    )
    df.loc[rng.choice(n, 60, replace=False), "b"] = np.nan
    df.loc[rng.choice(n, 40, replace=False), "colour"] = None
    df.loc[rng.choice(n, 25, replace=False), "y"] = np.nan
    return df


def _file(tmp_path, df, name="t.csv"):
    path = tmp_path / name
    df.to_csv(path, index=False)
    return path


def _in_memory(path, features=("a", "b", "colour", "flag", "e")):
    """The in-memory reader and make_design's encoding rules, on the streamed split."""
    df, _ = read_csv(path.read_bytes())
    y_all = df["y"].to_numpy(dtype=float)
    keep = ~np.isnan(y_all)
    groups = groups_of(np.flatnonzero(keep), K, SEED, TEST)
    is_test = groups == K
    columns, names = [], []
    for name in features:
        series = df[name][keep]
        if pd.api.types.is_numeric_dtype(series):
            made, _ = _numeric_column(name, series, is_test, [])
        else:
            made, _ = _one_hot_columns(name, series, is_test, 20, [])
        columns += made.values()
        names += made.keys()
    return np.column_stack(columns), y_all[keep], groups, names


@pytest.mark.parametrize("offset", [0.0, 1e8])
def test_streamed_design_path_and_cv_equal_in_memory(tmp_path, offset):
    path = _file(tmp_path, _table(offset=offset))
    X, y, groups, names = _in_memory(path)
    m = from_csv(path, target="y", chunk_rows=173, k=K, seed=SEED, test_fraction=TEST)
    assert m.feature_names == names
    train, test = groups < K, groups == K
    assert m.n.tolist() == np.bincount(groups, minlength=K + 1).tolist()
    streamed, memory = fit_path(moments=m), fit_path(X[train], y[train], feature_names=names)
    assert np.max(np.abs(streamed.objective / memory.objective - 1)) < 1e-10
    tol = 1e-10 if offset == 0 else 1e-6  # an intercept near 1e8 rounds at 1e-8 either way
    np.testing.assert_allclose(
        train_test_mse(m, streamed)[1], memory.mse(X[test], y[test]), rtol=tol
    )
    cv_s = cross_validate(moments=m)
    cv_m = cross_validate(X[train], y[train], row_folds=groups[train])
    np.testing.assert_allclose(cv_s.mean, cv_m.mean, rtol=tol)
    assert cv_s.index_1se == cv_m.index_1se


def test_numbers_missing_only_late_in_the_file_are_imputed_as_in_memory(tmp_path):
    df = _table(offset=1e3)[["a", "b", "e", "y"]]
    df.loc[:900, ["b", "y"]] = df.loc[:900, ["b", "y"]].fillna(1.0)  # missing only after row 900
    path = _file(tmp_path, df)
    X, y, groups, names = _in_memory(path, ("a", "b", "e"))
    m = from_csv(path, target="y", chunk_rows=150, k=K, seed=SEED, test_fraction=TEST)
    assert any("imputed 'b'" in line for line in m.lines)
    train = groups < K
    memory = fit_path(X[train], y[train])
    assert np.max(np.abs(fit_path(moments=m).objective / memory.objective - 1)) < 1e-10


def test_a_chunk_without_any_target_is_skipped(tmp_path):
    df = _table()[["a", "e", "y"]].dropna().reset_index(drop=True)
    df.loc[100:299, "y"] = np.nan  # chunks 2 and 3 of 100 rows hold no target at all
    m = from_csv(_file(tmp_path, df), target="y", chunk_rows=100, k=K, seed=SEED)
    assert int(m.n.sum()) == len(df) - 200
    assert any("dropped 200 rows with a missing target" in line for line in m.lines)


def test_chunk_size_changes_nothing(tmp_path):
    path = _file(tmp_path, _table())
    a = from_csv(path, target="y", chunk_rows=50, k=K, seed=SEED)
    b = from_csv(path, target="y", chunk_rows=100_000, k=K, seed=SEED)
    assert np.array_equal(a.n, b.n)
    np.testing.assert_allclose(a.Sxx, b.Sxx, rtol=0, atol=1e-12 * np.abs(b.Sxx).max())


def test_one_pass_and_the_report_says_what_was_done(tmp_path):
    df = _table()[["a", "e", "y"]].dropna()
    path = _file(tmp_path, df)
    m = from_csv(path, target="y", chunk_rows=100, k=K, seed=SEED)
    assert any("(1 pass over the file)" in line for line in m.lines)
    messy = _file(tmp_path, _table(), "messy.csv")
    lines = from_csv(messy, target="y", chunk_rows=100, k=K, seed=SEED).lines
    text = "\n".join(lines)
    assert "(1 pass over the file)" in text  # missing cells and text columns too
    assert "dropped 25 rows with a missing target 'y'" in text
    assert "imputed 'b'" in text and "one-hot 'colour': 3 levels" in text
    assert "'flag': yes read as 1, no as 0" in text


def test_a_column_constant_on_the_training_rows_is_dropped(tmp_path):
    df = _table()
    df = df[df.y.notna()].reset_index(drop=True)
    is_test = groups_of(np.arange(len(df)), K, SEED, TEST) == K
    df["same"] = np.where(is_test, 6.0, 5.0)  # varies in the file, not on the training rows
    m = from_csv(_file(tmp_path, df), target="y", k=K, seed=SEED, test_fraction=TEST)
    assert "same" not in m.feature_names and "a" in m.feature_names
    assert any("dropped feature 'same': constant on the training rows" in s for s in m.lines)


def test_a_chunk_of_another_kind_is_refused_plainly(tmp_path, monkeypatch):
    monkeypatch.setattr(chunks, "HEAD_BYTES", 4000)  # the schema from the first ~800 rows
    n = 3000
    rows = [f"{i % 7},{(i * 13) % 11}" for i in range(n)] + ["cat,1", "dog,2"] * 600
    path = tmp_path / "kinds.csv"
    path.write_text("x,y\n" + "\n".join(rows) + "\n")
    with pytest.raises(DataError, match="reads as numeric in the first rows"):
        from_csv(path, target="y", chunk_rows=500)


def test_dates_in_a_later_chunk_read_in_the_heads_order_of_month_and_day(tmp_path, monkeypatch):
    monkeypatch.setattr(chunks, "HEAD_BYTES", 3000)
    rng = np.random.default_rng(0)
    head = [
        f"{m:02d}/{d:02d}/2020"
        for m, d in zip(rng.integers(1, 13, 200), rng.integers(13, 29, 200), strict=True)
    ]
    tail = [
        f"{m:02d}/{d:02d}/2020"
        for m, d in zip(rng.integers(1, 13, 2000), rng.integers(1, 13, 2000), strict=True)
    ]
    days = pd.to_datetime(head + tail, format="%m/%d/%Y")  # month first, as the head shows
    y = (days - days.min()).days.to_numpy() * 0.1 + rng.normal(size=days.size)
    path = tmp_path / "dates.csv"
    pd.DataFrame({"when": head + tail, "y": y}).to_csv(path, index=False)
    m = from_csv(path, target="y", chunk_rows=1000, k=K, seed=SEED, test_fraction=0.0)
    since_1970 = ((days - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)).to_numpy()
    assert m.training().mean[0, 0] + m.shift[0] == pytest.approx(since_1970.mean(), rel=1e-12)


def test_unknown_target_and_missing_file_are_plain_errors(tmp_path):
    path = _file(tmp_path, _table())
    with pytest.raises(DataError, match="no column 'nope'"):
        from_csv(path, target="nope")
    with pytest.raises(DataError, match="cannot be read"):
        from_csv(tmp_path / "missing.csv")


def test_cli_path_stream_equals_the_moments_and_saves_them(tmp_path, capsys):
    path = _file(tmp_path, _table())
    saved, out = tmp_path / "m.npz", tmp_path / "p.csv"
    argv = [
        "path",
        str(path),
        "--target",
        "y",
        "--stream",
        "--chunk-rows",
        "200",
        "--n-lambdas",
        "20",
    ]
    assert main([*argv, "--save-moments", str(saved), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "# pass 1: 1,200 rows read" in err and "rows/s" in err and "best test MSE" in err
    m = Moments.load(saved)
    expect = fit_path(moments=m, n_lambdas=20)
    frame = pd.read_csv(out, encoding="utf-8-sig")
    np.testing.assert_allclose(frame["lambda"], expect.lambdas, rtol=1e-12)
    np.testing.assert_allclose(
        frame[m.feature_names].to_numpy(), expect.coef, rtol=1e-9, atol=1e-12
    )
    np.testing.assert_allclose(frame["test_mse"], train_test_mse(m, expect)[1], rtol=1e-9)


def test_cli_cv_stream(tmp_path, capsys):
    path = _file(tmp_path, _table())
    assert main(["cv", str(path), "--stream", "-k", "3", "--n-lambdas", "12"]) == 0
    captured = capsys.readouterr()
    curve = pd.read_csv(io.StringIO(captured.out))
    assert list(curve.columns) == ["lambda", "cv_mse", "cv_se", "n_nonzero"] and len(curve) == 12
    assert "λ_1se" in captured.err


def test_cli_stream_errors_are_plain(tmp_path, capsys):
    assert main(["path", "--sample", "Diabetes", "--stream"]) == 2
    assert "--stream reads a CSV file" in capsys.readouterr().err
    assert main(["path", str(tmp_path / "none.csv"), "--stream"]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_imputed_means_far_from_zero_do_not_depend_on_the_chunks(tmp_path):
    # the training mean that fills missing values is summed about one of the values: a running
    # mean of numbers near 1e6 rounded differently with each chunking (1e-12 of Sxx apart)
    df = _table(n=4000, offset=1e6)[["a", "b", "e", "y"]]
    df[["b", "e"]] += 1e6
    path = _file(tmp_path, df)
    parts = [from_csv(path, target="y", chunk_rows=c, k=5, seed=2) for c in (100, 777, 10**6)]
    assert all(any("imputed 'b'" in line for line in m.lines) for m in parts)
    for m in parts[:-1]:
        assert np.array_equal(m.n, parts[-1].n)
        np.testing.assert_allclose(m.Sxx, parts[-1].Sxx, rtol=0, atol=1e-14 * np.abs(m.Sxx).max())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_blocks_cut_between_records_never_inside_quotes(tmp_path, encoding):
    rng = np.random.default_rng(0)
    n = 3000
    df = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "t": rng.choice(['x, "q"\nz', "plain", "w"], n),  # a comma, quotes, a line end
            "y": rng.normal(size=n),
        }
    )
    path = tmp_path / "quoted.csv"
    df.to_csv(path, index=False, encoding=encoding)
    small, whole = (from_csv(path, target="y", chunk_rows=c) for c in (37, 10**6))
    assert small.feature_names == ["a", "t=w", 't=x, "q"\nz'] == whole.feature_names
    assert int(small.n.sum()) == n and np.array_equal(small.n, whole.n)
    np.testing.assert_allclose(small.Sxx, whole.Sxx, rtol=0, atol=1e-13 * np.abs(whole.Sxx).max())


def test_records_end_at_line_ends_outside_quotes():
    text = b'a,b\n1,"x\n""y"""\n2,z\n'
    for size in range(1, len(text) + 1):
        blocks = list(chunks.records(io.BytesIO(text), size))
        assert b"".join(blocks) == text
        assert all(block.endswith(b"\n") and block.count(b'"') % 2 == 0 for block in blocks)
