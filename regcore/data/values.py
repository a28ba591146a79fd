"""One column of the parsed file -> clean values and a kind, or a reason to drop it.

pandas has already turned every column it could into numbers (with the file's
decimal mark and the missing-value tokens below). What is left as text is
examined through its *distinct* values (``pandas.factorize``), so a 200 000-row
column with five levels costs five conversions, not 200 000:

- booleans (true/false, yes/no, y/n, t/f in any case) become 1.0 / 0.0;
- numbers pandas could not read (quoted ``"1,234"``, ``1.234,5`` in a
  decimal-comma file, a few stray words among numbers) become numbers, and every
  such change is reported;
- dates in one of ``DATE_FORMATS`` become datetimes (the first format, in that
  order, that reads the first 50 distinct values and 90 % of all values: an
  ambiguous 03/04/2020 is day first unless a later value rules that out);
- anything else is text: categorical, free text, or ID-like.

Kinds: ``numeric``, ``boolean``, ``date``, ``categorical``, ``text``.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regcore.data.errors import MAX_ABS_VALUE, DataError, plural, quoted_list
from regcore.data.export import unescape_formulas
from regcore.data.names import looks_like_id_name

NA_VALUES = [
    "", "NA", "N/A", "n/a", "na", "NaN", "nan", "NAN", "null", "NULL", "Null",
    "None", "none", "?", "-", "--", ".", "#N/A", "#DIV/0!", "#REF!", "#VALUE!", "#NAME?",
    "#NUM!", "#NULL!",
]  # fmt: skip
# how the report names them (spreadsheet errors and Stata's "." included)
NA_SHOWN = "empty cells and NA, N/A, NaN, null, None, ?, -, . and #N/A, #DIV/0!, #REF!, #VALUE!"
NA_LOWER = frozenset(token.lower() for token in NA_VALUES)
BOOLEAN = {"true": 1.0, "false": 0.0, "yes": 1.0, "no": 0.0, "y": 1.0, "n": 0.0, "t": 1.0, "f": 0.0}
DATE_FORMATS = {
    "%Y-%m-%d": "YYYY-MM-DD",
    "%Y-%m-%d %H:%M:%S": "YYYY-MM-DD hh:mm:ss",
    "%Y-%m-%dT%H:%M:%S": "YYYY-MM-DDThh:mm:ss",
    "%Y-%m-%d %H:%M": "YYYY-MM-DD hh:mm",
    "%Y/%m/%d": "YYYY/MM/DD",
    "%d/%m/%Y": "DD/MM/YYYY",
    "%m/%d/%Y": "MM/DD/YYYY",
    "%d.%m.%Y": "DD.MM.YYYY",
    "%d-%m-%Y": "DD-MM-YYYY",
    "%d/%m/%Y %H:%M": "DD/MM/YYYY hh:mm",
    "%m/%d/%Y %H:%M": "MM/DD/YYYY hh:mm",
}
THOUSANDS = {  # decimal mark -> a number grouped by the other mark
    ".": r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?",
    ",": r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?",
}
# numbers only one decimal mark can explain: 3,5 / 1.234,5 are decimal-comma, 3.5 / 1,234.5 not
ONLY_COMMA = r"[+-]?(\d{1,3}(\.\d{3})+|\d*),\d+"
ONLY_POINT = r"[+-]?(\d{1,3}(,\d{3})+|\d*)\.\d+"
AMBIGUOUS = r"[+-]?\d{1,3}[.,]\d{3}"  # 1.234 or 1,234: a decimal, or a thousands separator?
CURRENCY = r"(?:[$€£¥₹]|USD|EUR|GBP|CHF)"
# How people write numbers, undone in order on the text pandas could not read:
# (what the report says, pattern, replacement).
WRITTEN = (
    ("accounting negatives in parentheses", r"^\((.+)\)$", r"-\1"),
    ("currency symbols removed", rf"^([+-]?)\s*{CURRENCY}\s*", r"\1"),
    ("currency symbols removed", rf"\s*{CURRENCY}$", ""),
    ("percent signs removed (the numbers are in percent)", r"\s*%$", ""),
    ("D exponents read as E", r"^([+-]?(?:\d+\.?\d*|\.\d+))[dD]([+-]?\d+)$", r"\1e\2"),
    ("thousands separators removed", r"(?<=\d)[\u00a0\u202f\u2009 '](?=\d{3}(?:\D|$))", ""),
)
MOSTLY = 0.9  # a text column is read as numbers / dates when this share of its values are
ID_MIN_ROWS = 10
ID_NAMED = "its name reads as an identifier"  # why a column of numbers was judged ID-like
TEXT_MIN_LEVELS = 50


@dataclass
class Column:
    """A cleaned column: its values and kind, or ``values is None`` and the reason it was dropped."""

    values: pd.Series | None
    kind: str
    reason: str | None = None
    notes: list[str] = field(default_factory=list)


def clean_column(name: str, series: pd.Series, decimal: str, *, blank_name: bool = False) -> Column:
    """Clean one parsed column; ``blank_name`` marks a column whose header was empty."""
    if pd.api.types.is_bool_dtype(series):
        note = f"{name!r}: True read as 1, False as 0"
        return _finish(name, series.astype("float64"), "boolean", [note], blank_name)
    if pd.api.types.is_numeric_dtype(series):
        return _finish(name, series, "numeric", [], blank_name)
    return _from_text(name, series, decimal, blank_name)


def _from_text(name: str, series: pd.Series, decimal: str, blank_name: bool) -> Column:
    text = unescape_formulas(series.astype("str").str.strip())
    codes, uniques = pd.factorize(text)  # work on distinct values; code -1 is missing
    uniques = pd.Index(uniques, dtype="str")
    lower = uniques.str.lower()
    tokens = np.asarray(lower.isin(NA_LOWER), dtype=bool)
    if tokens.any():
        codes = np.where(np.append(tokens, True)[codes], -1, codes)
        text = text.where(codes >= 0)
    counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
    if not counts.any():
        return Column(None, "text", "empty (no values)")
    present = counts > 0
    levels, counts = uniques[present], counts[present]
    if set(lower[present]) <= BOOLEAN.keys():
        per_level = np.array([BOOLEAN.get(token, np.nan) for token in lower], dtype="float64")
        ones = sorted(level for level in levels if BOOLEAN[level.lower()])
        zeros = sorted(level for level in levels if not BOOLEAN[level.lower()])
        note = f"{name!r}: {'/'.join(ones)} read as 1, {'/'.join(zeros)} as 0"
        return _finish(name, _spread(per_level, codes, series.index), "boolean", [note], blank_name)
    if levels.str.contains(r"\d", regex=True).any():
        for convert in (_numbers, _dates):
            converted = convert(name, levels, counts, decimal)
            if converted is not None:
                per_level, kind, notes = converted
                full = np.empty(len(uniques), dtype=per_level.dtype)
                full[present] = per_level
                return _finish(name, _spread(full, codes, series.index), kind, notes, blank_name)
    return _text_kind(name, text, levels, int(counts.sum()))


def _spread(per_level: np.ndarray, codes: np.ndarray, index: pd.Index) -> pd.Series:
    """Values of the distinct levels -> values of the rows (code -1 -> missing)."""
    missing = np.datetime64("NaT") if per_level.dtype.kind == "M" else np.nan
    return pd.Series(
        np.append(per_level, np.array([missing], dtype=per_level.dtype))[codes], index=index
    )


def _numbers(name, levels: pd.Index, counts: np.ndarray, decimal: str):
    """(number per level, "numeric", notes) when most values are numbers, else None.

    Levels pandas could not read are rewritten by ``WRITTEN`` (currency, percent,
    parentheses, D exponents, space-like thousands separators), then read with the column's
    decimal mark (the file's, or ',' when the column's numbers can only be decimal-comma);
    every rewrite that made a number is reported with an example.
    """
    digits = np.asarray(levels.str.contains(r"\d", regex=True), dtype=bool)
    if counts[digits].sum() < MOSTLY * counts.sum():
        return None  # text with a few numbers among it: no need to rewrite anything
    mark = decimal if decimal == "," else _column_decimal(levels)
    text = pd.Series(levels, dtype="str")
    numbers = np.full(len(text), np.nan)
    if mark == ".":  # what reads as it is needs no rewriting
        numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", copy=True)
    todo = np.isnan(numbers) & digits
    rest = text[todo]
    changes = {}
    for what, pattern, replacement in WRITTEN:
        rewritten = rest.str.replace(pattern, replacement, regex=True)
        changes.setdefault(what, np.zeros(len(text), dtype=bool))
        changes[what][todo] |= np.asarray(rewritten != rest, dtype=bool)
        rest = rewritten
    grouped = np.asarray(rest.str.fullmatch(THOUSANDS[mark]), dtype=bool)
    changes["thousands separators removed"][todo] |= grouped
    rest = rest.where(~grouped, rest.str.replace("," if mark == "." else ".", "", regex=False))
    if mark == ",":
        rest = rest.str.replace(",", ".", regex=False)
    numbers[todo] = pd.to_numeric(rest, errors="coerce").to_numpy(dtype="float64")
    read = ~np.isnan(numbers)
    good, total = int(counts[read].sum()), int(counts.sum())
    if good == 0 or good < MOSTLY * total or (good < total and total < ID_MIN_ROWS):
        return None
    if mark != decimal:
        changes["decimal comma"] = np.asarray(levels.str.contains(",", regex=False), dtype=bool)
    notes = []
    for what, changed in changes.items():
        shown = np.flatnonzero(changed & read)
        if shown.size:
            example = levels[shown[0]]
            notes.append(f"{name!r}: {what} (e.g. {example!r} read as {numbers[shown[0]]:.12g})")
    if good < total:
        junk = levels[~read]
        notes.append(
            f"{name!r}: {plural(total - good, 'non-numeric value')} treated as missing "
            f"(e.g. {quoted_list(junk, 3)})"
        )
    return numbers, "numeric", notes


def _column_decimal(levels: pd.Index) -> str:
    """',' when more distinct values can only be decimal-comma numbers than decimal-point ones."""
    text = pd.Series(levels, dtype="str").str.replace(r"[^\d.,+-]", "", regex=True)
    clear = ~text.str.fullmatch(AMBIGUOUS)
    commas = int((text.str.fullmatch(ONLY_COMMA) & clear).sum())
    points = int((text.str.fullmatch(ONLY_POINT) & clear).sum())
    return "," if commas > points else "."


def _dates(name, levels: pd.Index, counts: np.ndarray, decimal: str):
    """(datetime per level, "date", notes) when most values are dates in one format, else None."""
    total = int(counts.sum())
    probe = levels[:50]
    for fmt, label in DATE_FORMATS.items():
        if pd.to_datetime(probe, format=fmt, errors="coerce").isna().any():
            continue
        dates = pd.to_datetime(levels, format=fmt, errors="coerce")
        good = int(counts[~dates.isna()].sum())
        if good >= MOSTLY * total:
            note = f"{name!r}: dates ({label}); the design matrix uses days since 1970-01-01"
            return dates.to_numpy(), "date", [note]
    return None


def _text_kind(name: str, text: pd.Series, levels: pd.Index, total: int) -> Column:
    n_levels = len(levels)
    if n_levels == 1:
        return Column(None, "categorical", f"constant (every value is {levels[0]!r})")
    if total >= ID_MIN_ROWS and n_levels >= 0.95 * total:
        return Column(
            None, "text", f"ID-like (a different value in {n_levels:,} of {plural(total, 'row')})"
        )
    if n_levels > TEXT_MIN_LEVELS and n_levels > total / 2:
        return Column(text, "text", notes=[f"{name!r}: free text, {n_levels:,} distinct values"])
    return Column(text, "categorical", notes=[f"{name!r}: categorical, {n_levels:,} levels"])


def value_range(values: np.ndarray):
    """(min, max) of the finite values of a float array, or None if it has none.

    One pass each for min and max when every value is finite (the common case),
    and no warnings for all-missing input (unlike ``numpy.nanmin``).
    """
    if values.size == 0:
        return None
    low, high = values.min(), values.max()
    if np.isfinite(low) and np.isfinite(high):
        return low, high
    finite = values[np.isfinite(values)]
    return (finite.min(), finite.max()) if finite.size else None


def _finish(name: str, values: pd.Series, kind: str, notes: list[str], blank_name: bool) -> Column:
    """Shared checks for numbers, booleans and dates: infinities, empty, constant, ID-like."""
    if kind == "date":
        present = values.dropna()
        bounds = (present.min(), present.max()) if len(present) else None
    else:
        array = values.to_numpy(dtype="float64", na_value=np.nan)
        infinite = np.isinf(array)
        if infinite.any():
            values = values.mask(infinite)
            notes = [
                *notes,
                f"{name!r}: {plural(int(infinite.sum()), 'infinite value')} treated as missing",
            ]
        bounds = value_range(array)
    if bounds is None:
        return Column(None, kind, "empty (no values)", notes)
    if bounds[0] == bounds[1]:
        return Column(None, kind, f"constant (every value is {_show(bounds[0])})", notes)
    if kind == "numeric" and max(-bounds[0], bounds[1]) > MAX_ABS_VALUE:
        big = bounds[0] if -bounds[0] > bounds[1] else bounds[1]
        raise DataError(
            f"The column {name!r} holds a value of {big:.3g}, too large to work with in double "
            "precision: fitting squares it, and the spread of the errors squares it again (the "
            f"limit is {MAX_ABS_VALUE:.0e}). "
            "Change its unit (divide it by a power of ten) or remove the column, then upload "
            "the file again."
        )
    if kind == "numeric" and (blank_name or looks_like_id_name(name)):
        reason = _id_reason(array, blank_name)
        if reason:
            return Column(None, kind, reason, notes)
    return Column(values, kind, notes=notes)


def _id_reason(values: np.ndarray, blank_name: bool) -> str | None:
    """Row numbers and identifiers: whole numbers that only name the row (no missing values)."""
    if np.isnan(values).any() or not np.array_equal(values, np.round(values)):
        return None
    steps = np.diff(values)
    if blank_name and (steps > 0).all():
        return "leftover index column (a row number with no header, what pandas calls 'Unnamed: 0')"
    if values.size < ID_MIN_ROWS:
        return None
    named = "it has no name" if blank_name else ID_NAMED
    if (steps == 1).all():
        return f"ID-like (row numbers {values[0]:g} to {values[-1]:g}; {named})"
    if np.unique(values).size == values.size:
        return f"ID-like (a different whole number in every row; {named})"
    return None


def _show(value) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return f"{value:g}"
    if isinstance(value, pd.Timestamp):
        return str(value.date() if value == value.normalize() else value)
    return repr(value) if isinstance(value, str) else str(value)
