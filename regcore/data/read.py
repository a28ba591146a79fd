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
from dataclasses import dataclass, field

import pandas as pd

from regcore.data import ragged
from regcore.data.errors import MAX_COLUMNS, MAX_ROWS, DataError, plural, quoted_list
from regcore.data.names import clean_names
from regcore.data.sniff import PLAIN_CSV, Decoded, Dialect, decode, delimiter_name, sniff
from regcore.data.values import MOSTLY, NA_SHOWN, NA_VALUES, clean_column

KINDS = ("numeric", "boolean", "date", "categorical", "text")
FOOTER_ROWS = 5  # at most this many summary rows are looked for at the end of a file
FOOTER = re.compile(
    r"\s*(grand |sub-?)?(totals?|sum|average|avg|mean|median|count)\s*:?\s*", re.IGNORECASE
)


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
    names: list[str] = field(default_factory=list)  # every column, kept or dropped, in file order


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
    frame, mended = _parse(decoded, dialect, use_header, max_rows)
    if frame.shape[1] > max_columns:
        raise _too_many_columns(frame.shape[1], max_columns)
    lines = _dialect_lines(decoded, dialect, use_header, header is None, frame.shape[1]) + mended

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
    frame, footer = _drop_footer_rows(frame)
    frame, survey = _drop_survey_header_rows(frame, use_header)
    lines.append(f"read {plural(len(frame), 'row')} and {plural(frame.shape[1], 'column')}")
    if blank_rows:
        lines.append(f"skipped {plural(blank_rows, 'empty row')}")
    if survey:
        lines.append(
            "skipped 2 rows below the header: a survey export's question texts and import ids "
            "(Qualtrics), not answers"
        )
    if footer:
        lines.append(
            f"dropped {plural(len(footer), 'footer row')} at the end of the file "
            f"({quoted_list(footer)}): a summary of the rows above, not data"
        )

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
        names=names.names,
    )
    return df, report


def read_raw(data: bytes, max_rows: int = MAX_ROWS) -> tuple[pd.DataFrame, Dialect]:
    """CSV bytes parsed as :func:`read_csv` parses them (encoding, dialect, header, the repair
    of ragged rows, the row limit) but not cleaned: (the frame under pandas' own column names,
    the detected dialect, whose ``first_record`` holds the names as written).  For callers
    that clean the columns their own way (rows to score keep columns that would be dropped
    as constant here)."""
    decoded = decode(bytes(data))
    dialect = sniff(decoded)
    frame, _ = _parse(decoded, dialect, dialect.header, max_rows)
    return frame, dialect


def _parse(
    decoded: Decoded, dialect: Dialect, use_header: bool, max_rows: int
) -> tuple[pd.DataFrame, list[str]]:
    """One ``pandas.read_csv`` call; a ragged file goes through :mod:`~regcore.data.ragged` first.

    Rows longer than the header are never cut short: pandas' "loss of data" warning (every
    row one value longer) and its "Expected n fields" error (some rows longer) both send the
    file to ``repair``, which mends the rows a thousands separator split and refuses the rest.
    """
    frame, notes = _read(decoded, decoded.body, dialect, use_header, max_rows), []
    if frame is RAGGED:
        mended = ragged.repair(decoded, dialect.delimiter, use_header)
        frame, notes = _read(decoded, mended.body, dialect, use_header, max_rows), mended.lines
        if frame is RAGGED:  # repair returns rows of one length or refuses
            raise DataError("The rows of the file have different lengths. " + PLAIN_CSV)
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
    return frame, notes


RAGGED = pd.DataFrame()  # the sentinel _read returns for rows longer than the first one


def _read(
    decoded: Decoded, body: bytes, dialect: Dialect, use_header: bool, max_rows: int
) -> pd.DataFrame:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # dtype warnings are ignored: we classify columns
            frame = pd.read_csv(
                io.BytesIO(body),
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
        if re.search(r"Expected \d+ fields in line \d+, saw \d+", str(error)):
            return RAGGED
        raise _parser_error(str(error), decoded, dialect) from None
    if any("loss of data" in str(warning.message) for warning in caught):
        return RAGGED
    return frame


def _too_many_columns(count: int, limit: int) -> DataError:
    return DataError(
        f"The file has {count:,} columns; this app handles at most {limit:,}. "
        "Keep the columns you need and upload that file."
    )


def _parser_error(message: str, decoded: Decoded, dialect: Dialect) -> DataError:
    """Turn pandas' tokenizer messages into a sentence that names the line to fix."""
    if "EOF inside string" in message:
        line = _last_record_start(decoded, dialect.delimiter)
        return DataError(
            f'A quote mark (") opened on line {line:,} is never closed, so the rest of the file '
            "would read as one value. Remove the stray quote or add the closing one."
        )
    first_line = message.strip().splitlines()[0] if message.strip() else "unknown problem"
    return DataError(f"The file could not be read as a table ({first_line}). " + PLAIN_CSV)


def _last_record_start(decoded: Decoded, delimiter: str) -> int:
    last = 2 if decoded.hint else 1
    try:
        for start, _ in ragged.records_with_start(decoded.body, delimiter, last):
            last = start
    except csv.Error:
        pass  # the line where Python's reader gave up is as far as the records go
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


def _drop_survey_header_rows(frame: pd.DataFrame, use_header: bool) -> tuple[pd.DataFrame, bool]:
    """A Qualtrics export repeats its header twice more: question texts, then ``{"ImportId": ...}``."""
    if not use_header or len(frame) < 3:
        return frame, False
    ids = frame.iloc[1].astype("str").str.strip()
    if not ids.str.startswith('{"ImportId"').mean() >= MOSTLY:
        return frame, False
    return frame.iloc[2:].reset_index(drop=True), True


def _drop_footer_rows(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Trailing rows labelled like a summary ("Total", "Average", "Sum", ...), and their labels."""
    labels = []
    for row in frame.tail(FOOTER_ROWS).iloc[::-1].itertuples(index=False):
        label = next(
            (cell.strip() for cell in row if isinstance(cell, str) and FOOTER.fullmatch(cell)),
            None,
        )
        if label is None or len(labels) == len(frame) - 1:
            break
        labels.append(label)
    if not labels:
        return frame, []
    return frame.iloc[: len(frame) - len(labels)].reset_index(drop=True), labels[::-1]


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
    if decoded.hint:
        lines.append(f"the first line 'sep={decoded.hint}' names the delimiter (skipped)")
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
            f"({shown}{more}); {NA_SHOWN} count as missing"
        )
    return lines
