"""``read_csv``: bytes in, a clean DataFrame and a report of what was detected and done out.

The pipeline is: find the encoding and refuse what is not CSV text
(:mod:`~regcore.data.sniff`), detect the dialect on a sample, ONE
``pandas.read_csv`` call with the C engine and those options, then clean each
column through its distinct values (:mod:`~regcore.data.values`). Any problem
becomes a :class:`DataError` with one plain-language message.
"""

import csv
import io
import re
import warnings
from dataclasses import dataclass

import pandas as pd

from regcore.data.errors import MAX_COLUMNS, MAX_ROWS, DataError, plural, quoted_list
from regcore.data.names import clean_names
from regcore.data.sniff import PLAIN_CSV, Decoded, Dialect, decode, delimiter_name, sniff
from regcore.data.values import NA_VALUES, clean_column

KINDS = ("numeric", "boolean", "date", "categorical", "text")


@dataclass
class ReadReport:
    """What :func:`read_csv` detected and did; ``lines`` says it all in order, in plain words."""

    encoding: str
    delimiter: str
    decimal: str
    header: bool
    n_rows: int  # after cleaning
    n_columns: int  # after cleaning
    column_kinds: dict[str, str]  # kept column -> numeric | boolean | date | categorical | text
    renamed: dict[str, str]  # name as written (or its place, if blank / repeated) -> new name
    dropped: dict[str, str]  # dropped column -> reason
    lines: list[str]


def read_csv(
    data: bytes,
    *,
    header: bool | None = None,
    max_rows: int = MAX_ROWS,
    max_columns: int = MAX_COLUMNS,
) -> tuple[pd.DataFrame, ReadReport]:
    """Read CSV bytes from any common spreadsheet export into a clean frame.

    ``header=None`` detects whether the first row holds names (it does unless
    every cell in it is a number); ``True`` / ``False`` decide. The frame keeps
    numeric and boolean columns as float/int, dates as datetimes, categorical and
    free text as strings; constant, empty and ID-like columns are dropped and
    every decision is in the report. Raises :class:`DataError` on anything that
    cannot become a table.
    """
    decoded = decode(bytes(data))
    dialect = sniff(decoded)
    use_header = dialect.header if header is None else bool(header)
    if dialect.n_fields > max_columns:
        raise _too_many_columns(dialect.n_fields, max_columns)
    frame = _parse(decoded, dialect, use_header, max_rows)
    if frame.shape[1] > max_columns:
        raise _too_many_columns(frame.shape[1], max_columns)
    lines = _dialect_lines(decoded, dialect, use_header, header is None, frame.shape[1])

    if use_header:
        raw = (
            dialect.first_record
            if len(dialect.first_record) == frame.shape[1]
            else list(frame.columns)
        )
        names = clean_names(raw)
    else:
        names = clean_names([f"column_{i}" for i in range(1, frame.shape[1] + 1)])
    frame.columns = range(frame.shape[1])
    lines += names.lines
    frame, blank_rows = _drop_blank_rows(frame)
    lines.append(f"read {plural(len(frame), 'row')} and {plural(frame.shape[1], 'column')}")
    if blank_rows:
        lines.append(f"skipped {plural(blank_rows, 'empty row')}")

    kept, kinds, dropped, notes = {}, {}, {}, []
    for position, name in enumerate(names.names):
        column = clean_column(
            name, frame[position], dialect.decimal, blank_name=name in names.blank
        )
        notes += column.notes
        if column.values is None:
            dropped[name] = column.reason
        else:
            kept[name], kinds[name] = column.values, column.kind
    lines += notes
    lines += [f"dropped {name!r}: {reason}" for name, reason in dropped.items()]
    if not kept:
        raise DataError(
            "No usable column is left: "
            + "; ".join(f"{name!r} is {reason}" for name, reason in list(dropped.items())[:5])
            + ". A model needs columns whose values vary."
        )
    df = pd.DataFrame(kept)
    lines += _summary_lines(df, kinds)
    report = ReadReport(
        encoding=decoded.encoding,
        delimiter=dialect.delimiter,
        decimal=dialect.decimal,
        header=use_header,
        n_rows=len(df),
        n_columns=df.shape[1],
        column_kinds=kinds,
        renamed=names.renamed,
        dropped=dropped,
        lines=lines,
    )
    return df, report


def _parse(decoded: Decoded, dialect: Dialect, use_header: bool, max_rows: int) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter(
                "ignore"
            )  # dtype / parser warnings: we classify columns ourselves
            frame = pd.read_csv(
                io.BytesIO(decoded.body),
                sep=dialect.delimiter,
                decimal=dialect.decimal,
                header=0 if use_header else None,
                index_col=False,
                engine="c",
                encoding="utf-8",
                quotechar='"',
                skipinitialspace=True,
                skip_blank_lines=True,
                na_values=NA_VALUES,
                keep_default_na=True,
                nrows=max_rows + 1,
            )
    except pd.errors.EmptyDataError:
        raise DataError("The file has no rows to read. " + PLAIN_CSV) from None
    except (ValueError, OverflowError) as error:  # ParserError is a ValueError
        raise _parser_error(str(error), decoded.body, dialect, use_header) from None
    if frame.empty and use_header:
        raise DataError(
            f"The file has column names ({quoted_list(dialect.first_record)}) but no data rows. "
            "Add rows of values below the header."
        )
    if frame.empty:
        raise DataError("The file has no rows to read. " + PLAIN_CSV)
    if len(frame) > max_rows:
        raise DataError(
            f"The file has more than {max_rows:,} rows, the most this app handles. "
            f"Upload a sample of at most {max_rows:,} rows."
        )
    return frame


def _too_many_columns(count: int, limit: int) -> DataError:
    return DataError(
        f"The file has {count:,} columns; this app handles at most {limit:,}. "
        "Keep the columns you need and upload that file."
    )


def _parser_error(message: str, body: bytes, dialect: Dialect, use_header: bool) -> DataError:
    """Turn pandas' tokenizer messages into a sentence that names the line to fix."""
    shape = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if shape:
        expected, saw = int(shape[1]), int(shape[3])
        line = _first_long_record(body, dialect.delimiter, expected) or int(shape[2])
        first = "the header has" if use_header else "the first row has"
        sep = delimiter_name(dialect.delimiter)
        return DataError(
            f"Line {line:,} has {saw} values but {first} {expected} (values separated by {sep}). "
            f"Every row needs the same number of values: fix line {line:,}, or put quotes "
            "around values that contain the separator."
        )
    if "EOF inside string" in message:
        line = _last_record_start(body, dialect.delimiter)
        return DataError(
            f'A quote mark (") opened on line {line:,} is never closed, so the rest of the file '
            "would read as one value. Remove the stray quote or add the closing one."
        )
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown problem"
    return DataError(f"The file could not be read as a table ({first_line}). " + PLAIN_CSV)


def _records_with_start(body: bytes, delimiter: str):
    """(first physical line, fields) of every non-blank record, as pandas reads them."""
    stream = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", errors="replace", newline="")
    reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True)
    start = 1
    try:
        for row in reader:
            if row:
                yield start, row
            start = reader.line_num + 1
    except csv.Error:
        return


def _first_long_record(body: bytes, delimiter: str, expected: int) -> int | None:
    for start, row in _records_with_start(body, delimiter):
        if len(row) > expected:
            return start
    return None


def _last_record_start(body: bytes, delimiter: str) -> int:
    last = 1
    for start, _ in _records_with_start(body, delimiter):
        last = start
    return last


def _drop_blank_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Rows with no value at all (lines of bare delimiters); only rows empty in column 0 are checked."""
    candidates = frame.iloc[:, 0].isna()
    if not candidates.any():
        return frame, 0
    blank = frame.loc[candidates].isna().all(axis=1)
    if not blank.any():
        return frame, 0
    return frame.drop(index=blank.index[blank]).reset_index(drop=True), int(blank.sum())


def _dialect_lines(
    decoded: Decoded, dialect: Dialect, use_header: bool, detected: bool, n: int
) -> list[str]:
    how = "detected" if detected else "as chosen"
    lines = [f"encoding {decoded.encoding}"]
    if n > 1:
        lines.append(f"delimiter {delimiter_name(dialect.delimiter)}")
    else:
        lines.append("one column (no delimiter found)")
    lines.append(
        f"decimal {dialect.decimal!r}" + (" (European style)" if dialect.decimal == "," else "")
    )
    if dialect.crlf:
        lines.append("line ends CRLF (Windows)")
    if use_header:
        lines.append(f"header: the first row holds the column names ({how})")
    else:
        lines.append(
            f"no header row ({how}): the first row is data; columns named column_1 to column_{n}"
        )
    return lines


def _summary_lines(df: pd.DataFrame, kinds: dict[str, str]) -> list[str]:
    counts = {kind: sum(1 for k in kinds.values() if k == kind) for kind in KINDS}
    lines = [
        f"kept {plural(df.shape[1], 'column')}: "
        + ", ".join(f"{count} {kind}" for kind, count in counts.items() if count)
    ]
    missing = df.isna().sum()
    missing = missing[missing > 0]
    if len(missing):
        shown = ", ".join(f"{name!r}: {count:,}" for name, count in missing.head(5).items())
        more = f" and {len(missing) - 5:,} more columns" if len(missing) > 5 else ""
        lines.append(
            f"missing values: {plural(int(missing.sum()), 'cell')} in {plural(len(missing), 'column')} "
            f"({shown}{more}); empty cells and NA, N/A, NaN, null, None, ?, - count as missing"
        )
    return lines
