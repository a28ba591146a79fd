"""The compiled parser of plain numbers: pandas' values to the last bit, pandas for the rest."""

import io
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regcore.moments import chunks, from_csv
from regcore.moments.parse import numbers
from tests.test_stream_one_pass import _same


def _layout(width, positions, header=False, delimiter=",", decimal="."):
    """What ``numbers`` reads of a file's layout."""
    return SimpleNamespace(
        width=width, positions=positions, header=header, delimiter=delimiter, decimal=decimal
    )


def _pandas(text: bytes, width: int, decimal=".", delimiter=","):
    frame = pd.read_csv(
        io.BytesIO(text), header=None, names=range(width), sep=delimiter, decimal=decimal
    )
    return frame.to_numpy(dtype="float64", na_value=np.nan).T


def _plain(field: str) -> bool:
    """The parser's bounds (its module docstring), written again by other means."""
    match = re.fullmatch(r"[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,3}))?", field)
    if field == "":
        return True
    if match is None:
        return False
    whole, frac, exp = match.group(1), match.group(2) or "", match.group(3)
    digits = whole + frac
    scale = int(exp or 0) - len(frac)
    return 0 < len(digits) <= 18 and int(digits) <= 2**53 and -22 <= scale <= 22


_number = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: f"{v:.6f}"),
    st.integers(-(2**53), 2**53).map(str),
    st.builds(
        lambda sign, whole, frac, exp: f"{sign}{whole}.{frac}{exp}",
        st.sampled_from(["", "-", "+"]),
        st.text("0123456789", min_size=0, max_size=9),
        st.text("0123456789", min_size=1, max_size=9),
        st.sampled_from(["", "e5", "E-12", "e+22", "e-22", "e300", "e-300"]),
    ),
    st.just(""),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_number, min_size=3, max_size=3), min_size=1, max_size=20))
def test_parsed_numbers_are_pandas_values_to_the_last_bit(rows):
    text = "".join(",".join(row) + "\n" for row in rows).encode()
    if all(v == "" for row in rows for v in row):
        return  # pandas reads a table of empty fields as text
    got = numbers(text, _layout(3, [0, 1, 2]), first=False)
    expect = _pandas(text, 3)
    assert (got is None) == (not all(_plain(v) for row in rows for v in row))
    if got is None:
        return
    assert got.shape == expect.shape
    same = (got.view(np.int64) == expect.view(np.int64)) | (got == expect)  # −0 and 0
    assert (same | (np.isnan(got) & np.isnan(expect))).all()


def test_columns_not_kept_are_skipped_whatever_they_hold():
    text = b"h1;h2;h3\n1,5;some text;-2\n3;;4e1\n"
    got = numbers(text, _layout(3, [0, 2], header=True, delimiter=";", decimal=","), first=True)
    np.testing.assert_array_equal(got, [[1.5, 3.0], [-2.0, 40.0]])


@pytest.mark.parametrize(
    "text",
    [
        b'1,"2"\n',  # a quote
        b"1,2\n\n3,4\n",  # a blank line
        b"1, 2\n",  # a space
        b"1,NA\n",  # a missing value written as text
        b"1,-\n",  # a sign alone
        b"1,2,3\n",  # a row of another width
        b"1,1234567890123456789\n",  # more than 18 digits
        b"1,9007199254740993\n",  # digits beyond 2^53
        b"1,1e23\n",  # a power of ten beyond 22
        b"1,2x\n",
        b"1,e5\n",
    ],
)
def test_anything_but_plain_numbers_is_left_to_pandas(text):
    assert numbers(text, _layout(2, [0, 1]), first=False) is None


def test_a_last_record_without_a_line_end_and_windows_line_ends():
    got = numbers(b"a,b\r\n1,2\r\n3,4", _layout(2, [0, 1], header=True), first=True)
    np.testing.assert_array_equal(got, [[1.0, 3.0], [2.0, 4.0]])


def test_a_stream_gives_the_same_moments_with_or_without_the_parser(tmp_path, monkeypatch):
    rng = np.random.default_rng(1)
    n = 3000
    df = pd.DataFrame(rng.normal(size=(n, 4)) * [1, 1e3, 1e-3, 1] + [0, 0, 0, 1e6])
    df.columns = ["a", "b", "c", "y"]
    df.loc[rng.choice(n, 50, replace=False), "b"] = np.nan  # empty fields
    lines = df.to_csv(index=False, float_format="%.9g").splitlines(keepends=True)
    lines[2000] = "1,NA,2,3\n"  # one block goes to pandas
    path = tmp_path / "n.csv"
    path.write_text("".join(lines))
    fast = from_csv(path, target="y", chunk_rows=400)
    monkeypatch.setattr(chunks, "numbers", lambda *args: None)
    slow = from_csv(path, target="y", chunk_rows=400)
    _same(fast, slow, rtol=1e-12)  # blocks summed in the parser threads, or by pandas' route


@pytest.mark.parametrize(
    "encoding,sep,decimal,newline,header,final",
    [
        ("utf-8", ",", ".", "\n", True, True),
        ("utf-8-sig", ",", ".", "\r\n", True, False),
        ("utf-8", ";", ",", "\n", True, True),
        ("latin-1", "\t", ".", "\r\n", False, True),
        ("utf-8-sig", ",", ".", "\n", False, False),
    ],
)
def test_dialects_stream_the_same_with_or_without_the_parser(
    tmp_path, monkeypatch, encoding, sep, decimal, newline, header, final
):
    rng = np.random.default_rng(4)
    n = 2500
    values = np.column_stack(
        [rng.normal(size=n) * 100, rng.integers(-50, 50, n), rng.normal(size=n)]
    )
    values[:, 2] += values[:, 0] * 0.01
    body = newline.join(
        sep.join(
            f"{v:.5f}".replace(".", decimal) if j != 1 else str(int(v)) for j, v in enumerate(row)
        )
        for row in values
    )
    text = (
        ("a" + sep + "b" + sep + "y" + newline if header else "")
        + body
        + (newline if final else "")
    )
    path = tmp_path / "d.csv"
    path.write_bytes(text.encode(encoding))
    fast = from_csv(path, chunk_rows=300)
    with monkeypatch.context() as patch:
        patch.setattr(chunks, "numbers", lambda *args: None)
        slow = from_csv(path, chunk_rows=300)
    assert int(fast.n.sum()) == n
    _same(fast, slow, rtol=1e-12)
    parsed = []

    def counted(*args):
        out = numbers(*args)
        parsed.append(out is not None)
        return out

    monkeypatch.setattr(chunks, "numbers", counted)
    from_csv(path, chunk_rows=300)
    # every block by the parser; a first block that opens with a byte-order mark by pandas
    assert sum(parsed) == len(parsed) - (encoding == "utf-8-sig" and not header) > 10
