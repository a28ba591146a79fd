"""Whatever bytes arrive, the reader returns a result or raises DataError with a message (issue 4)."""

import warnings

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regcore.data import DataError, default_target, make_design, read_csv, safe_csv_bytes

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ODD_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            "NA",
            "N/A",
            "null",
            "?",
            "-",
            "inf",
            "-inf",
            "True",
            "no",
            "yes",
            "1,234",
            "3,5",
            "2021-03-04",
            "04/03/2021",
            "=1+2",
            "@x",
            "'=y",
            '"',
            '""',
            "a\nb",
            "\t",
            " ",
            "é",
            "€",
            "\x00",
            "\r",
            ";",
            "|",
            ",",
            "1.234,5",
            "1e400",
            "nan",
            "Unnamed: 0",
        ]
    ),
    st.text(max_size=8),
)
NUMBER_CELLS = st.one_of(
    st.integers(-10_000, 10_000).map(str),
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda v: f"{v:.5g}"),
)
LEVEL_CELLS = st.sampled_from(["red", "green", "blue", "yes", "no", "2021-01-02"])
CELLS = st.one_of(NUMBER_CELLS, LEVEL_CELLS, ODD_CELLS)


@st.composite
def mangled_csv(draw) -> bytes:
    """A plausible table, then damaged: odd cells, separators, quotes, row lengths, encodings, truncation."""
    n_cols = draw(st.integers(1, 6))
    n_rows = draw(st.integers(0, 40))
    kinds = [
        draw(st.sampled_from([NUMBER_CELLS, NUMBER_CELLS, NUMBER_CELLS, LEVEL_CELLS, CELLS]))
        for _ in range(n_cols)
    ]
    sep = draw(st.sampled_from([",", ",", ";", "\t", "|", " "]))
    end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    header = [draw(ODD_CELLS) for _ in range(n_cols)] if draw(st.booleans()) else None
    ragged = draw(st.booleans())
    rows = []
    for _ in range(n_rows):
        row = [draw(kind) for kind in kinds]
        if ragged and draw(st.integers(0, 9)) == 0:
            row = row[:-1] if draw(st.booleans()) else [*row, draw(CELLS)]
        rows.append(row)
    quote = draw(st.booleans())
    lines = ([header] if header else []) + rows
    text = end.join(sep.join(f'"{c}"' if quote and sep in c else c for c in line) for line in lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if data and draw(st.integers(0, 4)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


def check(data: bytes) -> None:
    """read_csv (and make_design on success) return or raise DataError with a message; nothing else."""
    with warnings.catch_warnings():
        warnings.simplefilter(
            "error", RuntimeWarning
        )  # numpy on empty slices etc. counts as a failure
        try:
            df, report = read_csv(data)
        except DataError as refused:
            assert str(refused).strip()
            return
        assert (report.n_rows, report.n_columns) == df.shape and report.lines
        try:
            design = make_design(df, default_target(df))
        except DataError as refused:
            assert str(refused).strip()
            return
        assert np.isfinite(design.X_train).all() and np.isfinite(design.X_test).all()
        assert design.n_train >= 5 and design.n_test >= 2


@FUZZ
@given(st.binary(max_size=2_000))
def test_random_bytes(data):
    check(data)


@FUZZ
@given(mangled_csv())
def test_mangled_csv_text(data):
    check(data)


PRINTABLE_CELLS = st.one_of(
    NUMBER_CELLS,
    LEVEL_CELLS,
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=8),
    st.sampled_from(
        ["=1+2", "@x", "'=y", "''+z", "-a", "+1", "NA", "", " pad ", "a,b", 'say "hi"', "1,234"]
    ),
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=6),
        min_size=2,
        max_size=4,
        unique=True,
    ),
    st.data(),
)
def test_safe_csv_bytes_round_trips_what_the_reader_returns(names, data):
    """Text the reader returned comes back unchanged through safe_csv_bytes, escapes and all.

    (Printable text only: a cell of control characters may make the file look binary.)
    """
    n = 12
    frame = pd.DataFrame(
        {
            name: pd.Series(
                data.draw(st.lists(PRINTABLE_CELLS, min_size=n, max_size=n)), dtype="str"
            )
            for name in names
        }
    )
    frame["y"] = np.arange(n) % 5 + 0.5
    try:
        df, _ = read_csv(safe_csv_bytes(frame), header=True)
    except DataError:
        return
    again, _ = read_csv(safe_csv_bytes(df), header=True)
    pd.testing.assert_frame_equal(again, df, check_dtype=False)


# ---- issue 17: numbers written the way locales and spreadsheets write them ----------------

LOCALES = {  # name: (delimiter, decimal mark, thousands separator)
    "us": (",", ".", ","),
    "us-semicolon": (";", ".", ","),
    "german": (";", ",", "."),
    "french": (";", ",", "\u00a0"),
    "thin-space": ("\t", ",", "\u2009"),
    "swiss": (",", ".", "'"),
}


def written(value: float, decimal: str, thousands: str, style: str) -> str:
    """``value`` (two decimals) the way a spreadsheet in that locale and style writes it."""
    digits = f"{abs(value):,.2f}".replace(",", "\0").replace(".", decimal).replace("\0", thousands)
    if style == "currency":
        digits = "$" + digits
    elif style == "euro":
        digits = digits + " €"
    elif style == "percent":
        digits = digits + "%"
    if value < 0:
        return f"({digits})" if style == "accounting" else "-" + digits
    return digits


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    locale=st.sampled_from(sorted(LOCALES)),
    styles=st.lists(
        st.sampled_from(["plain", "currency", "euro", "percent", "accounting"]),
        min_size=2,
        max_size=4,
    ),
    quote=st.booleans(),
    data=st.data(),
)
def test_locale_formatted_numbers_round_trip_or_the_ragged_line_is_named(
    locale, styles, quote, data
):
    """Every cell reads back as the number written, or a split row is refused by its line."""
    delimiter, decimal, thousands = LOCALES[locale]
    n = data.draw(st.integers(12, 30))
    values = np.array(
        [
            data.draw(
                st.lists(
                    st.floats(-2e6, 2e6, allow_nan=False).map(lambda v: round(v, 2)),
                    min_size=n,
                    max_size=n,
                    unique=True,
                )
            )
            for _ in styles
        ]
    ).T
    names = [f"v{j}" for j in range(len(styles))]
    must_quote = quote or delimiter == decimal
    lines = [delimiter.join(names)]
    for row in values:
        cells = [written(v, decimal, thousands, s) for v, s in zip(row, styles, strict=True)]
        if must_quote:
            cells = [f'"{cell}"' for cell in cells]
        lines.append(delimiter.join(cells))
    body = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        df, report = read_csv(body)
    except DataError as refused:
        # only a comma file with unquoted ',' thousands may be refused, naming the line
        assert not must_quote or delimiter == thousands == ",", str(refused)
        assert str(refused).startswith("Line "), str(refused)
        return
    assert list(df.columns) == names, report.lines
    np.testing.assert_allclose(df.to_numpy(dtype=float), values, rtol=0, atol=1e-9)
