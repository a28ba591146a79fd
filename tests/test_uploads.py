"""Issue 17: uploads you can trust (no silent misreads, plain messages, unique names).

The corpus in tests/data covers whole files; these tests pin the rules one at a time.
"""

import time
import tomllib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from data.cases import DATA_DIR
from streamlit.config import ShowErrorDetailsConfigOptions
from test_app import assert_clean, go, start

import regcore
from dashboard import show
from regcore.data import (
    MAX_ABS_VALUE,
    DataError,
    make_design,
    read_csv,
    target_problems,
    usable_targets,
)
from regcore.data.names import looks_like_id_name
from regcore.data.ragged import join_thousands

ROOT = Path(__file__).resolve().parents[1]


def rows(n=12):
    return "".join(f"{i % 5},{(i * 7) % 11},{i * 0.5 + (i % 3)}\n" for i in range(n))


# ---- never drop data silently -----------------------------------------------------------


def test_rows_longer_than_the_header_are_refused_with_the_line_and_the_values():
    with pytest.raises(DataError, match=r"Line 2 has 3 values but the header has 2.*'1', '2', '3'"):
        read_csv(b"a,b\n1,2,3\n4,5,6\n7,8,9\n")
    with pytest.raises(DataError, match="Line 4 has 4 values but the header has 3"):
        read_csv(b"a,b,y\n" + rows(2).encode() + b"1,2,3,4\n" + rows(8).encode())


def test_a_number_split_by_its_thousands_separator_is_joined_back():
    df, report = read_csv(b"amount,rooms,y\n4,512.30,3,1\n" + rows(12).encode())
    assert df["amount"].iloc[0] == 4512.30 and df["rooms"].iloc[0] == 3
    assert df.shape == (13, 3)
    assert any("mended 1 row" in line and "line 2: '4,512.30'" in line for line in report.lines)


@pytest.mark.parametrize(
    "row, extra, joined",
    [
        (["1", "4", "512.30", "3"], 1, ["1", "4,512.30", "3"]),
        (["$1", "234", "567.5", "x"], 2, ["$1,234,567.5", "x"]),
        (["(12", "345.00)", "2"], 1, ["(12,345.00)", "2"]),
        (["1", "200", "300", "4"], 1, None),  # 1,200 | 300 or 1 | 200,300: refused
        (["1", "2", "3"], 1, None),
    ],
)
def test_join_thousands_takes_the_only_way_or_none(row, extra, joined):
    assert join_thousands(row, extra) == joined


def test_an_excel_sep_line_names_the_delimiter_and_is_not_a_row():
    df, report = read_csv(b"sep=;\na;b;y\n" + rows().replace(",", ";").encode())
    assert list(df.columns) == ["a", "b", "y"] and len(df) == 12
    assert "the first line 'sep=;' names the delimiter (skipped)" in report.lines


def test_trailing_empty_values_are_ignored_not_refused():
    df, _ = read_csv(b"a,b,y\n" + rows().replace("\n", ",,\n").encode())
    assert df.shape == (12, 3)


# ---- numbers as people write them -------------------------------------------------------


@pytest.mark.parametrize(
    "cells, numbers, note",
    [
        (["12.5%", "3%", "-1.25%"], [12.5, 3, -1.25], "percent signs removed"),
        (['"$1,234.50"', "$3.00", "-$2"], [1234.5, 3, -2], "currency symbols removed"),
        (["(45.20)", "10", "(1)"], [-45.2, 10, -1], "accounting negatives in parentheses"),
        (
            ['"12\u00a0345,67 €"', '"1\u202f000,5"', '"3,25"'],
            [12345.67, 1000.5, 3.25],
            "decimal comma",
        ),
        (["1.5D+03", "2d-1", "-3D0"], [1500, 0.2, -3], "D exponents read as E"),
        (["1\u2009234", "5 678", "12"], [1234, 5678, 12], "thousands separators removed"),
    ],
)
def test_numbers_written_the_usual_ways_read_as_numbers_and_are_reported(cells, numbers, note):
    body = "v,y\n" + "".join(f"{cells[i % 3]},{i}\n" for i in range(12))
    df, report = read_csv(body.encode())
    assert report.column_kinds["v"] == "numeric"
    np.testing.assert_allclose(df["v"].iloc[:3], numbers)
    assert any(line.startswith(f"'v': {note}") for line in report.lines), report.lines


@pytest.mark.parametrize(
    "code", [".", "#N/A", "#DIV/0!", "#REF!", "#VALUE!", "NA", "NaN", "n/a", "-"]
)
def test_missing_value_codes_of_spreadsheets_and_statistics_exports(code):
    body = "v,y\n" + "".join(f"{code if i % 4 == 0 else i * 1.5},{i}\n" for i in range(12))
    df, report = read_csv(body.encode())
    assert report.column_kinds["v"] == "numeric" and int(df["v"].isna().sum()) == 3


@pytest.mark.parametrize(
    "name, id_like",
    [
        ("id", True), ("customer_id", True), ("orderID", True), ("rowNo", True),
        ("Id number", True), ("amount_paid", False), ("paid", False), ("valid", False),
        ("no_of_rooms", False), ("android", False),
    ],
)  # fmt: skip
def test_id_names_are_whole_words_not_word_endings(name, id_like):
    assert looks_like_id_name(name) is id_like


def test_an_id_like_column_says_why():
    body = "customer_id,amount_paid,y\n" + "".join(
        f"{900 + 3 * i},{100 + 7 * i},{i % 4}\n" for i in range(20)
    )
    df, report = read_csv(body.encode())
    assert list(df.columns) == ["amount_paid", "y"]
    assert "its name reads as an identifier" in report.dropped["customer_id"]


# ---- targets, footers, sizes, names -------------------------------------------------------


def test_target_problems_say_why_each_column_cannot_be_the_target():
    df = pd.DataFrame(
        {
            "city": ["a", "b", "c", "d"] * 5,  # two labels would be a binary target
            "flat": 1.0,
            "sparse": [np.nan] * 15 + [1.0, 2, 3, 4, 5],
            "day": pd.date_range("2020-01-01", periods=20),
            "y": np.arange(20.0),
        }
    )
    problems = target_problems(df)
    assert set(problems) == {"city", "flat", "sparse", "day"}
    assert "more than two labels" in problems["city"] and "constant" in problems["flat"]
    assert problems["sparse"] == "too many missing values (15 of 20 rows)"
    assert usable_targets(df) == ["y"]


def test_footer_rows_are_dropped_with_a_notice():
    body = "region,x,y\n" + "".join(f"r{i % 3},{i * 1.5},{i % 7}\n" for i in range(20))
    df, report = read_csv((body + "Grand total,300,60\nAverage:,15,3\n").encode())
    assert len(df) == 20 and report.column_kinds["x"] == "numeric"
    assert any("2 footer rows" in line and "'Grand total'" in line for line in report.lines)


def test_values_too_large_for_double_precision_are_refused_naming_the_column():
    body = "x,big,y\n" + "".join(f"{i},{(i + 1) * 1e76},{i % 3}\n" for i in range(12))
    with pytest.raises(DataError, match="The column 'big' holds a value of 1.2e\\+77"):
        read_csv(body.encode())


def test_the_largest_values_accepted_keep_every_statistic_finite():
    """A target at the limit: the path, the CV curve and its standard errors stay finite."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = (X[:, 0] + rng.normal(size=60)) / 4 * MAX_ABS_VALUE
    body = "a,b,c,y\n" + "".join(
        f"{r[0]:.6g},{r[1]:.6g},{r[2]:.6g},{t:.6g}\n" for r, t in zip(X, y, strict=True)
    )
    df, _ = read_csv(body.encode())
    design = make_design(df, "y")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        path = regcore.fit_path(design.X_train, design.y_train, "lasso")
        cv = regcore.cross_validate(design.X_train, design.y_train, k=3, lambdas=path.lambdas)
    assert np.isfinite(cv.mean).all() and np.isfinite(cv.se).all()


def test_one_hot_names_never_collide_with_existing_columns():
    df = pd.DataFrame(
        {
            "colour": ["red", "green", "blue"] * 10,
            "colour=red": np.arange(30) % 2 * 1.0,
            "colour=red_2": np.arange(30) % 3 * 1.0,
            "y": np.arange(30.0),
        }
    )
    design = make_design(df, "y")
    assert len(set(design.feature_names)) == design.n_features == 4
    assert "colour=red_3" in design.feature_names
    assert any("one-hot column 'colour=red' named 'colour=red_3'" in line for line in design.lines)


def test_a_target_too_large_for_double_precision_gets_the_right_message():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), rng.uniform(1, 1.7, size=30) * 1e308
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        with pytest.raises(ValueError, match="too large for double precision") as raised:
            regcore.fit_path(X, y, "lasso")
    assert "mixing" not in str(raised.value)


def test_error_details_never_show_tracebacks_or_server_paths():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    value = config["client"]["showErrorDetails"]
    assert value in {ShowErrorDetailsConfigOptions.TYPE, ShowErrorDetailsConfigOptions.NONE}


# ---- the Data page ----------------------------------------------------------------------------


def upload(at, name, data):
    return at.file_uploader(key="uploader").upload(name, data, "text/csv").run()


def target_box(at):
    (box,) = [box for box in at.selectbox if box.label.startswith("Target")]
    return box


def test_the_data_page_lists_columns_that_cannot_be_the_target_and_why():
    at = upload(go(start(), "data"), "c.csv", (DATA_DIR / "constant_target.csv").read_bytes())
    assert_clean(at)
    table = [df for df in at.dataframe if "why not" in df.value.columns]
    assert table, "no table of columns that cannot be the target"
    reasons = dict(zip(table[0].value["column"], table[0].value["why not"], strict=True))
    assert reasons["y"].startswith("constant") and "group" not in reasons  # a/b: binary
    told = [show.unliteral(i.value) for i in at.info]
    assert (
        "The last column, 'y', cannot be the target (constant (every value is 3)), so the "
        "target is 'x1'." in told
    ), told


def test_the_users_target_is_kept_for_the_next_upload_or_a_message_says_why():
    body = "a,b,c,y\n" + "".join(f"{i % 4},{(i * 7) % 5},{i * 0.3},{i % 6}\n" for i in range(30))
    at = upload(go(start(), "data"), "first.csv", body.encode())
    target_box(at).set_value("b").run()
    assert_clean(at)
    at = upload(at, "second.csv", body.replace("\n0,", "\n9,").encode())
    assert_clean(at)
    assert target_box(at).value == "b"
    text_b = body.replace("a,b,c,y", "a,b,c,y").splitlines()
    text_b = "\n".join(
        [text_b[0]] + [",".join([r.split(",")[0], "word", *r.split(",")[2:]]) for r in text_b[1:]]
    )
    at = upload(at, "third.csv", (text_b + "\n").encode())
    assert not at.exception
    warned = [show.unliteral(w.value) for w in at.warning]
    assert any(
        "The target you chose before, 'b', cannot be the target of third.csv" in w for w in warned
    ), warned
    assert target_box(at).value == "y"


def test_a_session_whose_tab_is_gone_is_closed_for_good_and_the_sweeper_stops(monkeypatch):
    from types import SimpleNamespace

    from dashboard import resources

    closed, active = [], {"open-tab"}
    runtime = SimpleNamespace(
        is_active_session=lambda sid: sid in active,
        clear_user_info_for_session=closed.append,
    )
    monkeypatch.setattr(
        resources, "Runtime", SimpleNamespace(exists=lambda: True, instance=lambda: runtime)
    )
    monkeypatch.setattr(resources, "SWEEP_S", 0.01)
    monkeypatch.setattr(resources, "CLOSED_GRACE_S", 0.05)
    monkeypatch.setattr(resources, "_return_memory", lambda: None)
    # sessions other tests registered (an AppTest's "test session id") are not this test's
    monkeypatch.setattr(resources, "_watched", {})
    monkeypatch.setattr(resources, "_sweeper", None)
    for sid in ("open-tab", "closed-tab"):
        monkeypatch.setattr(
            resources,
            "get_script_run_ctx",
            lambda suppress_warning, sid=sid: SimpleNamespace(session_id=sid),
        )
        resources.release_upload_when_closed()
    sweeper = resources._sweeper

    def wait_for(count: int) -> None:  # a loaded machine may delay the sweeper's thread
        deadline = time.monotonic() + 20
        while len(closed) < count and time.monotonic() < deadline:
            time.sleep(0.01)

    wait_for(1)
    assert closed == ["closed-tab"] and sweeper.is_alive()  # the open tab is still watched
    active.clear()
    wait_for(2)
    sweeper.join(20)
    assert closed == ["closed-tab", "open-tab"]
    assert not sweeper.is_alive() and resources._sweeper is None
