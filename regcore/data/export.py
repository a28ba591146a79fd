"""CSV downloads that are safe to open in a spreadsheet, and that the reader reads back.

Spreadsheet programs run a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab / carriage return before one) as a formula: a text cell such as
``=HYPERLINK(...)`` in a downloaded file is an attack ("CSV injection"). The
usual defence is a leading apostrophe, which spreadsheets show as "this is
text". :func:`escape_formulas` adds it to every text cell that starts with one of
those characters *after any apostrophes it already has*, and
:func:`unescape_formulas` (used by the reader) removes exactly one, so
``read_csv(safe_csv_bytes(df))`` gives ``df`` back.

Numeric columns are written as numbers and never escaped: ``-3.5`` in a number
column is a number, not a formula.
"""

import pandas as pd

FORMULA_START = r"'*[=+\-@\t\r]"
ESCAPED = r"^'(?=" + FORMULA_START + ")"


def escape_formulas(values: pd.Series) -> pd.Series:
    """Prefix ``'`` to text cells that a spreadsheet would run as a formula."""
    risky = values.str.match(FORMULA_START, na=False)
    if not risky.any():
        return values
    return values.where(~risky, "'" + values)


def unescape_formulas(values: pd.Series) -> pd.Series:
    """Undo :func:`escape_formulas`: drop one ``'`` before a formula-looking start."""
    if not values.str.startswith("'", na=False).any():
        return values
    return values.str.replace(ESCAPED, "", n=1, regex=True)


def safe_csv_bytes(df: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV (with a BOM, so Excel shows accents), formulas neutralised.

    Text columns and column names are escaped; numbers and dates are written as
    they are. Reading the bytes back with :func:`regcore.data.read_csv` returns the
    same values and names (a frame whose names are all numbers needs
    ``header=True`` there, since such a first row looks like data).
    """
    out = df.copy()
    for name in out.columns:
        if pd.api.types.is_string_dtype(out[name]) or pd.api.types.is_object_dtype(out[name]):
            out[name] = escape_formulas(out[name].astype("str"))
    out.columns = escape_formulas(pd.Series([str(c) for c in out.columns], dtype="str")).tolist()
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")
