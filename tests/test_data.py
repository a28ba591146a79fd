"""The CSV reader and the design-matrix builder (issue 4), on the corpus and on made-up frames."""

import numpy as np
import pandas as pd
import pytest
from data import make_corpus
from data.cases import CASES, DATA_DIR, page_error

import regcore.data.sniff
from regcore.data import (
    MAX_UPLOAD_MB,
    DataError,
    default_target,
    make_design,
    read_csv,
    safe_csv_bytes,
    usable_features,
    usable_targets,
)

KINDS = {"numeric", "boolean", "date", "categorical", "text"}


def case_id(case):
    return case["file"] + (
        "+" + ",".join(f"{k}={v}" for k, v in case["options"].items()) if "options" in case else ""
    )


def read(name, **options):
    return read_csv((DATA_DIR / name).read_bytes(), **options)


def assert_lines_contain(lines, expected):
    for text in expected:
        assert any(text in line for line in lines), f"{text!r} not in {lines}"


# ---- the corpus ----------------------------------------------------------------------


def test_corpus_is_complete_and_every_file_has_an_expectation():
    files = {path.name for path in DATA_DIR.glob("*.csv")}
    described = {case["file"] for case in CASES}
    assert len(files) >= 30
    assert files == described
    assert 10 <= sum(1 for case in CASES if case.get("app")) <= 26


def test_corpus_files_are_what_make_corpus_writes():
    made = {name: text.encode("utf-8") for name, text in make_corpus.text_files().items()}
    made.update(make_corpus.encoded_files(make_corpus.numbers()))
    for name, data in made.items():
        assert (DATA_DIR / name).read_bytes() == data, (
            f"{name} differs: run tests/data/make_corpus.py"
        )


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_corpus_case(case):
    data = (DATA_DIR / case["file"]).read_bytes()
    if not case["ok"]:
        with pytest.raises(DataError) as refused:
            read_csv(data, **case.get("options", {}))
        assert case["message_contains"] in str(refused.value)
        assert "Traceback" not in str(refused.value)
        return
    df, report = read_csv(data, **case.get("options", {}))
    assert df.shape == case["shape"]
    assert (report.n_rows, report.n_columns) == df.shape
    assert list(report.column_kinds) == list(df.columns)
    assert set(report.column_kinds.values()) <= KINDS
    assert not set(report.dropped) & set(df.columns)
    assert_lines_contain(report.lines, case["report_contains"])
    assert case.get("kinds", {}).items() <= report.column_kinds.items()
    assert case.get("renamed", {}).items() <= report.renamed.items()
    assert case.get("dropped", {}).items() <= report.dropped.items()
    for name, reason in report.dropped.items():
        assert f"dropped {name!r}: {reason}" in report.lines

    expected = case["design"]
    if not expected["ok"]:
        with pytest.raises(DataError) as refused:
            make_design(df, default_target(df))
        assert expected["message_contains"] in str(refused.value)
        assert page_error(case) == expected["message_contains"]
        return
    design = make_design(df, default_target(df))
    assert design.n_features == expected["n_features"] == len(design.feature_names)
    assert design.target == expected.get("target", design.target)
    assert len(set(design.feature_names)) == design.n_features
    assert_lines_contain(design.lines, expected.get("lines_contain", []))
    assert set(expected.get("features", [])) <= set(design.feature_names)
    for matrix in (design.X_train, design.X_test, design.y_train, design.y_test):
        assert matrix.dtype == np.float64 and np.isfinite(matrix).all()
    assert page_error(case) is None


def test_header_option_overrides_detection():
    df, report = read("basic.csv", header=False)
    assert df.shape == (41, 4) and report.header is False
    assert list(df.columns) == ["column_1", "column_2", "column_3", "column_4"]
    # the name "x1" is now one odd value among 40 numbers
    assert "'column_1': 1 non-numeric value treated as missing (e.g. 'x1')" in report.lines
    df, report = read("no_header.csv", header=True)
    assert df.shape == (39, 4) and report.header is True


def test_bytes_like_input_is_accepted():
    data = (DATA_DIR / "basic.csv").read_bytes()
    for wrapped in (bytearray(data), memoryview(data)):
        assert read_csv(wrapped)[0].shape == (40, 4)


# ---- limits ----------------------------------------------------------------------------


def test_row_limit_is_stated():
    with pytest.raises(DataError, match="more than 39 rows"):
        read("basic.csv", max_rows=39)
    assert read("basic.csv", max_rows=40)[0].shape == (40, 4)


def test_column_limit_is_stated():
    with pytest.raises(DataError, match="301 columns; this app handles at most 300"):
        read("wide_p_gt_n.csv", max_columns=300)


def test_upload_size_limit_is_stated(monkeypatch):
    assert MAX_UPLOAD_MB == 200
    config = (DATA_DIR.parents[1] / ".streamlit" / "config.toml").read_text()
    assert f"maxUploadSize = {MAX_UPLOAD_MB}" in config
    monkeypatch.setattr(regcore.data.sniff, "MAX_UPLOAD_MB", 0.0005)
    with pytest.raises(DataError, match="the limit is 0.0005 MB"):
        read("basic.csv")


# ---- values ----------------------------------------------------------------------------


def test_negative_numbers_are_numbers_and_a_lone_dash_is_missing():
    df, _ = read_csv(b"a,b,y\n-3.5,1,2\n-,2,3\n+2,-1,4\n4,1,5\n5,2,1\n6,3,2\n")
    assert df["a"][0] == -3.5 and np.isnan(df["a"][1]) and df["a"][2] == 2.0
    assert df["b"][2] == -1


def test_missing_tokens_inside_text_columns_and_after_spaces():
    rows = "".join(
        f"{v},{i},{i % 3}\n"
        for i, v in enumerate(["red", " NA ", "blue", "n/a", "?", "red", "blue"])
    )
    df, report = read_csv(("c,x,y\n" + rows).encode())
    assert df["c"].isna().sum() == 3
    assert report.column_kinds["c"] == "categorical"
    assert sorted(df["c"].dropna().unique()) == ["blue", "red"]


def test_numbers_mostly_but_not_entirely_numbers_stay_text_when_junk_is_common():
    values = ["1", "2", "x", "y", "3", "x", "1", "2", "3", "y", "2", "1"]
    body = "".join(f"{v},{i}\n" for i, v in enumerate(values))
    df, report = read_csv(("a,y\n" + body).encode())
    assert report.column_kinds["a"] == "categorical"


def test_a_distinct_float_in_every_row_is_a_feature_not_an_id():
    df, report = read("basic.csv")
    assert "x1" in df.columns and df["x1"].nunique() == 40


def test_free_text_is_kind_text_and_is_not_one_hot_encoded():
    words = [f"comment {i % 60}" for i in range(100)]
    body = "".join(f"{w},{i % 7},{i % 5 + i % 3}\n" for i, w in enumerate(words))
    df, report = read_csv(("note,x,y\n" + body).encode())
    assert report.column_kinds["note"] == "text"
    design = make_design(df, "y")
    assert design.dropped["note"].startswith("60 distinct values")


def test_spreadsheet_escape_quote_is_removed_on_read():
    df, report = read_csv(b"'=name,x,y\n'=1+2,1,2\n'@a,2,3\nplain,3,1\n'-x,4,2\n'=1+2,5,3\n")
    assert list(df.columns) == ["=name", "x", "y"]
    assert sorted(df["=name"].unique()) == ["-x", "=1+2", "@a", "plain"]
    assert report.renamed == {"'=name": "=name"}


# ---- targets and features ----------------------------------------------------------------


def mixed_frame(n=40, seed=1):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    return pd.DataFrame(
        {
            "x": x,
            "flag": (rng.random(n) < 0.5).astype(float),
            "colour": pd.Series(rng.choice(["red", "green", "blue"], n), dtype="str"),
            "when": pd.date_range("2020-01-01", periods=n, freq="D"),
            "const": np.full(n, 2.0),
            "y": 3 * x + rng.normal(size=n),
        }
    )


def test_usable_targets_features_and_default():
    df = mixed_frame()
    assert usable_targets(df) == ["x", "flag", "y"]
    assert default_target(df) == "y"
    assert usable_features(df, "y") == ["x", "flag", "colour", "when"]
    with pytest.raises(DataError, match="No column can be the target"):
        default_target(df[["colour", "const"]])


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("nope", "There is no column 'nope'"),
        ("colour", "The target 'colour' is not numeric and has more than two labels"),
        ("const", "The target 'const' is constant (every value is 2)"),
    ],
)
def test_bad_targets_are_refused_with_the_reason(target, message):
    with pytest.raises(DataError) as refused:
        make_design(mixed_frame(), target)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"test_fraction": 0}, "test fraction must be above 0 and at most 0.9"),
        ({"test_fraction": 0.95}, "test fraction must be above 0 and at most 0.9"),
        ({"test_fraction": "a"}, "test fraction"),
        ({"max_levels": 1}, "at least 2"),
        ({"features": ["x", "ghost"]}, "No such column: 'ghost'"),
        ({"features": ["y"]}, "A model needs at least one feature"),
        (
            {"features": ["const"]},
            "No usable feature is left ('const': constant on the training rows)",
        ),
    ],
)
def test_bad_settings_are_refused_with_the_reason(options, message):
    with pytest.raises(DataError) as refused:
        make_design(mixed_frame(), "y", **options)
    assert message in str(refused.value)


def test_frames_from_elsewhere_with_odd_column_names():
    df = mixed_frame()[["x", "y"]]
    df.columns = [0, 1]
    assert make_design(df, "1").feature_names == ["0"]
    df.columns = ["x", "x"]
    with pytest.raises(DataError, match="Column names repeat"):
        make_design(df, "x")


def test_month_first_dates_are_recognised_when_day_first_fails():
    days = pd.date_range("2020-01-01", periods=60, freq="D")
    body = "".join(f"{d:%m/%d/%Y},{i % 7},{i % 5}\n" for i, d in enumerate(days))
    df, report = read_csv(("when,x,y\n" + body).encode())
    assert (
        "'when': dates (MM/DD/YYYY); the design matrix uses days since 1970-01-01" in report.lines
    )
    assert df["when"].tolist() == list(days)


def test_all_missing_target_is_refused():
    df = mixed_frame()
    df["y"] = np.nan
    with pytest.raises(DataError, match="has no values"):
        make_design(df, "y")


# ---- the split ---------------------------------------------------------------------------


def test_split_sizes_follow_the_test_fraction():
    df = mixed_frame(n=40)
    for fraction, (n_train, n_test) in {
        0.25: (30, 10),
        0.5: (20, 20),
        0.1: (36, 4),
        0.9: (4, 36),
    }.items():
        if n_train < 5:
            with pytest.raises(
                DataError, match=f"give {n_train} for training and {n_test} for testing"
            ):
                make_design(df, "y", test_fraction=fraction)
            continue
        design = make_design(df, "y", test_fraction=fraction)
        assert (design.n_train, design.n_test) == (n_train, n_test)
        assert len(design.y_train) == n_train and design.X_test.shape == (n_test, design.n_features)


def test_split_is_the_documented_seeded_permutation_and_keeps_file_order():
    df = mixed_frame(n=40)
    design = make_design(df, "y", seed=7)
    test = np.sort(np.random.default_rng(7).permutation(40)[:10])
    np.testing.assert_array_equal(design.test_rows, test)
    np.testing.assert_array_equal(design.train_rows, np.setdiff1d(np.arange(40), test))
    np.testing.assert_array_equal(design.y_test, df["y"].to_numpy()[test])
    np.testing.assert_array_equal(design.X_train[:, 0], df["x"].to_numpy()[design.train_rows])


def test_same_seed_same_split_other_seed_other_split():
    df = mixed_frame()
    a, b, c = (
        make_design(df, "y", seed=3),
        make_design(df, "y", seed=3),
        make_design(df, "y", seed=4),
    )
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    assert not np.array_equal(a.test_rows, c.test_rows)


def test_rows_with_a_missing_target_are_dropped_and_counted():
    df = mixed_frame(n=40)
    df.loc[[0, 5, 9], "y"] = np.nan
    design = make_design(df, "y")
    assert design.n_train + design.n_test == 37
    assert not {0, 5, 9} & (set(design.train_rows) | set(design.test_rows))
    assert "dropped 3 rows with a missing target 'y'" in design.lines


# ---- imputation, one-hot, dates ------------------------------------------------------------


def test_numeric_imputation_uses_training_rows_only():
    df = mixed_frame(n=40)
    df.loc[[1, 2, 3, 4, 20, 30], "x"] = np.nan
    design = make_design(df, "y", features=["x"])
    train_values = df["x"].to_numpy()[design.train_rows]
    fill = np.nanmean(train_values)
    filled = np.isnan(df["x"].to_numpy())
    for rows, X in ((design.train_rows, design.X_train), (design.test_rows, design.X_test)):
        np.testing.assert_allclose(X[filled[rows], 0], fill)
    # moving the test rows' values does not move the fill: no leakage from the test split
    moved = df.copy()
    test_rows = [r for r in design.test_rows if not filled[r]]
    moved.loc[test_rows, "x"] = 1e6
    again = make_design(moved, "y", features=["x"])
    np.testing.assert_array_equal(again.X_train, design.X_train)
    assert any(line.startswith("imputed 'x'") and f"{fill:.6g}" in line for line in design.lines)


def test_one_hot_drops_the_first_training_level_and_names_columns_name_equals_level():
    df = mixed_frame(n=40)
    design = make_design(df, "y", features=["colour"])
    assert design.feature_names == ["colour=green", "colour=red"]
    colour = df["colour"].to_numpy()
    for rows, X in ((design.train_rows, design.X_train), (design.test_rows, design.X_test)):
        np.testing.assert_array_equal(X[:, 0], colour[rows] == "green")
        np.testing.assert_array_equal(X[:, 1], colour[rows] == "red")
    assert "one-hot 'colour': 3 levels, 2 columns ('blue' is the reference)" in design.lines


def test_missing_categorical_takes_the_most_common_training_level():
    df = mixed_frame(n=40)
    df["colour"] = pd.Series(["red"] * 20 + ["blue"] * 12 + [None] * 8, dtype="str")
    design = make_design(df, "y", features=["colour"], seed=0)
    missing_rows = np.arange(32, 40)
    red = design.feature_names.index("colour=red")
    in_train = np.isin(design.train_rows, missing_rows)
    assert (design.X_train[in_train, red] == 1).all()
    assert any("filled with the most common training level 'red'" in line for line in design.lines)


def test_a_level_seen_only_in_test_rows_is_the_reference():
    df = mixed_frame(n=40)
    design0 = make_design(df, "y", seed=0)
    only_test = design0.test_rows[0]
    df["colour"] = df["colour"].where(df.index != only_test, "purple")
    design = make_design(df, "y", features=["colour"], seed=0)
    assert "colour=purple" not in design.feature_names
    row = list(design.test_rows).index(only_test)
    assert (design.X_test[row] == 0).all()
    assert any("1 test row with a level not seen in training" in line for line in design.lines)


def test_too_many_levels_drops_the_column_with_the_reason():
    df = mixed_frame(n=40)
    df["shop"] = pd.Series([f"s{i % 25}" for i in range(40)], dtype="str")
    design = make_design(df, "y", features=["x", "shop"])
    assert design.feature_names == ["x"]
    assert design.dropped == {
        "shop": "25 distinct values, more than the 20 that are one-hot encoded"
    }
    wider = make_design(df, "y", features=["x", "shop"], max_levels=30)
    assert wider.n_features > 20


def test_dates_become_days_since_1970_and_booleans_stay_0_1():
    df = mixed_frame(n=40)
    design = make_design(df, "y", features=["when", "flag"])
    days = (df["when"] - pd.Timestamp("1970-01-01")).dt.days.to_numpy()
    np.testing.assert_array_equal(design.X_train[:, 0], days[design.train_rows])
    assert set(np.unique(design.X_train[:, 1])) <= {0.0, 1.0}


def test_feature_constant_on_training_rows_is_dropped():
    df = mixed_frame(n=40)
    design0 = make_design(df, "y")
    df["rare"] = 0.0
    df.loc[design0.test_rows[0], "rare"] = 1.0
    design = make_design(df, "y", features=["x", "rare"])
    assert design.dropped == {"rare": "constant on the training rows"}


def test_the_frame_is_not_modified_and_infinities_are_missing():
    df = mixed_frame(n=40)
    df.loc[3, "x"] = np.inf
    df.loc[4, "y"] = -np.inf
    before = df.copy()
    design = make_design(df, "y", features=["x"])
    pd.testing.assert_frame_equal(df, before)
    assert design.n_train + design.n_test == 39
    assert np.isfinite(design.X_train).all() and np.isfinite(design.X_test).all()


def test_wide_data_with_more_columns_than_rows():
    df, _ = read("wide_p_gt_n.csv")
    design = make_design(df, "y")
    assert design.X_train.shape == (22, 300) and design.n_features > design.n_train


# ---- downloads -------------------------------------------------------------------------------


def test_safe_csv_bytes_escapes_formula_cells_but_not_numbers():
    df = pd.DataFrame(
        {
            "=bad": pd.Series(
                ["=1+2", "+3", "-x", "@SUM(A1)", "\tq", "'=quoted", "plain"], dtype="str"
            ),
            "n": [-3.5, 1, 2, 3, 4, 5, 6],
        }
    )
    text = safe_csv_bytes(df).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "'=bad,n"
    assert [line.rsplit(",", 1)[0] for line in lines[1:]] == [
        "'=1+2",
        "'+3",
        "'-x",
        "'@SUM(A1)",
        "'\tq",
        "''=quoted",
        "plain",
    ]
    assert lines[1].endswith(",-3.5")


@pytest.mark.parametrize(
    "name",
    [
        "basic.csv",
        "formula_cells.csv",
        "categorical.csv",
        "dates.csv",
        "booleans.csv",
        "messy_headers.csv",
        "quoted_newlines.csv",
        "cp1252.csv",
        "missing_tokens.csv",
        "html_markdown_headers.csv",
    ],
)
def test_safe_csv_bytes_round_trips_through_the_reader(name):
    df, _ = read(name)
    again, report = read_csv(safe_csv_bytes(df))
    assert report.encoding == "UTF-8 with BOM"
    assert report.dropped == {}
    assert set(report.renamed.values()) <= {name for name in df.columns if name[0] in "=+-@"}
    pd.testing.assert_frame_equal(again, df, check_dtype=False)


def test_safe_csv_bytes_of_escaped_looking_text_round_trips():
    df = pd.DataFrame(
        {"t": pd.Series(["'=a", "''+b", "'plain", "=c", "d"], dtype="str"), "n": [1, 2, 3, 4, 5]}
    )
    again, _ = read_csv(safe_csv_bytes(df))
    assert again["t"].tolist() == df["t"].tolist()


def test_varying_columns_serves_the_usable_lists_unchanged():
    from regcore.data import usable_features, usable_targets, varying_columns

    df = pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0],
            "const": [5, 5, 5],
            "text": ["x", "y", "x"],
            "same": ["k", "k", "k"],
            "flag": [True, False, True],
            "y": [0.5, 0.1, 0.7],
        }
    )
    varying = varying_columns(df)
    assert varying == {"a", "text", "flag", "y"}
    # "text" holds two labels: a binary target
    assert usable_targets(df, varying) == usable_targets(df) == ["a", "text", "flag", "y"]
    assert usable_features(df, "y", varying) == usable_features(df, "y") == ["a", "text", "flag"]
