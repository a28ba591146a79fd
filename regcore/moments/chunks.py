"""Reading a CSV in chunks with the reader's rules: the layout from the file's head, then
each chunk's columns cleaned as the head's kinds (see ``regcore.moments.stream``)."""

from __future__ import annotations

import io
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from regcore.data import DataError, read_csv
from regcore.data.design import as_float
from regcore.data.errors import plural
from regcore.data.names import clean_names
from regcore.data.sniff import decode, sniff
from regcore.data.values import NA_VALUES, clean_column
from regcore.moments.parse import numbers

HEAD_BYTES = 1 << 20  # the head the schema is read from
ANCHORS = 50  # distinct head values appended to a text chunk so its kind reads as the head's
NUMBER_KINDS = ("numeric", "boolean", "date")
# blocks of the file parsed at once, in threads, while the caller sums the one before: pandas'
# own whole-file read_csv splits the file over the cores.  With the compiled parser two cost
# no more CPU than one (bench/README.md, stream.py) and hold half-size blocks (peak RSS 296
# against 319 MB on the 511 MB file)
PARSERS = min(2, os.cpu_count() or 1)
BYTE_CODECS = ("utf-8", "utf-8-sig", "cp1252", "latin-1")  # a b"\n" byte is a line end

Progress = Callable[[int, int, int, int], None]  # (pass, rows read, bytes read, file bytes)


@dataclass
class Layout:
    """How to read the file and what each kept column is (from the head)."""

    path: str
    encoding: str
    delimiter: str
    decimal: str
    header: bool
    width: int  # columns in the file
    positions: list[int]  # of the kept columns in the file
    names: list[str]  # their clean names
    kinds: dict[str, str]
    lines: list[str]
    head: bytes  # the head of the file, whole records
    head_frame: pd.DataFrame  # as ``read_csv`` cleaned it
    anchors: dict[str, pd.Series] = field(default_factory=dict)  # see ``_anchors``


# ---------------------------------------------------------------------- the head
def layout_of(path: str) -> Layout:
    """Dialect, names and kinds from ``read_csv`` on the head of the file."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError as exc:
        raise DataError(f"The file {path!r} cannot be read ({exc.strerror or exc}).") from None
    if size > len(head):
        cut = head.rfind(b"\n")
        if cut <= 0:
            raise DataError("The first rows of the file are too long to read a table from.")
        head = head[: cut + 1]
    frame, report = read_csv(head, max_rows=10**9)
    decoded = decode(head)
    dialect = sniff(decoded)
    width = len(dialect.first_record)
    raw = dialect.first_record if report.header else [f"column_{i}" for i in range(1, width + 1)]
    every = clean_names(raw).names
    names = [str(c) for c in frame.columns]
    if not set(names) <= set(every):
        raise DataError("The header of this file could not be matched to its columns.")
    positions = [every.index(name) for name in names]
    encoding = _codec(report.encoding)
    lines = [*report.lines]
    if size > len(head):
        lines.insert(0, f"schema read from the first {plural(report.n_rows, 'row')} of the file")
    return Layout(
        path=path,
        encoding=encoding,
        delimiter=report.delimiter,
        decimal=report.decimal,
        header=report.header,
        width=width,
        positions=positions,
        names=names,
        kinds=dict(report.column_kinds),
        lines=lines,
        head=head,
        head_frame=frame,
    )


def _anchors(layout: Layout, name: str) -> pd.Series:
    """Up to ``ANCHORS`` distinct values of a column as the head writes them (read on first need).

    Appended twice to a chunk's column that pandas left as text, they make its kind read as
    the head's, and keep a chunk whose values happen to be equal from reading as constant.
    """
    if not layout.anchors:
        as_text = _read(io.BytesIO(layout.head), layout, None, dtype=str)
        for column in layout.names:
            values = layout.head_frame[column]
            first = (~values.duplicated() & values.notna()).to_numpy()
            layout.anchors[column] = as_text[column][first].head(ANCHORS).astype(object)
    return layout.anchors[name]


def _codec(label: str) -> str:
    """The Python codec of an encoding ``read_csv`` reported."""
    for start, codec in (
        ("UTF-8 with BOM", "utf-8-sig"),
        ("UTF-8", "utf-8"),
        ("cp1252", "cp1252"),
        ("latin-1", "latin-1"),
        ("UTF-16 with BOM", "utf-16"),
        ("UTF-16 LE", "utf-16-le"),
        ("UTF-16 BE", "utf-16-be"),
    ):
        if label.startswith(start):
            return codec
    return "utf-8"


# ---------------------------------------------------------------------- chunks
def _read(source, layout: Layout, chunk_rows: int | None, dtype=None, first: bool = True):
    """``pandas.read_csv`` with the reader's options for this file (chunked when asked);
    ``first=False`` for a block of records after the file's first line."""
    frames = pd.read_csv(
        source,
        sep=layout.delimiter,
        decimal=layout.decimal,
        header=0 if layout.header and first else None,
        names=range(layout.width),
        index_col=False,
        usecols=layout.positions,
        engine="c",
        encoding=layout.encoding,
        quotechar='"',
        skipinitialspace=True,
        skip_blank_lines=True,
        na_values=NA_VALUES,
        keep_default_na=True,
        chunksize=chunk_rows,
        dtype=dtype,
    )
    return frames.set_axis(layout.names, axis=1) if chunk_rows is None else frames


Summarise = Callable[[np.ndarray, int], object]  # (a parsed block, its first row) -> a sum


def chunks(
    layout: Layout,
    columns: list[str],
    chunk_rows: int,
    pass_no: int,
    progress: Progress | None,
    summarise: Summarise | None = None,
) -> Iterator[tuple[int, dict[str, np.ndarray], object]]:
    """(number of the chunk's first row, {column: cleaned values}, its sum) for every chunk
    of the file.

    ``chunk_rows`` bounds the rows held at once: the parsers and the sums share it, so a chunk
    holds about ``chunk_rows / (2 · PARSERS + 1)`` rows (a block of that many of the head's
    lines: ``PARSERS`` + 1 blocks are parsed or waiting while one is summed).
    Rows with no value in any kept column are skipped and not counted, as the reader does.
    ``summarise(values, start)`` runs in the parser thread on a block the compiled parser
    read with no missing cell (``values``: one row per kept column); its result is the
    chunk's sum (None for other blocks, or without ``summarise``).
    """
    size = os.path.getsize(layout.path)
    start = 0
    with open(layout.path, "rb") as fh:
        try:
            for start, parsed, part in _frames(fh, layout, chunk_rows, summarise):
                if isinstance(parsed, np.ndarray):
                    index = {name: i for i, name in enumerate(layout.names)}
                    chunk = {name: parsed[index[name]] for name in columns}
                else:
                    chunk = {name: _clean(parsed[name], name, layout, start) for name in columns}
                yield start, chunk, part
                start += len(chunk[columns[0]])
                if progress is not None:
                    progress(pass_no, start, fh.tell(), size)
        except (ValueError, pd.errors.ParserError) as exc:
            if isinstance(exc, DataError):
                raise
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "unknown problem"
            raise DataError(f"The file could not be read past row {start:,} ({first}).") from None


def _frames(fh, layout: Layout, chunk_rows: int, summarise: Summarise | None) -> Iterator:
    """The file's blocks in order as (first row, parsed, sum), ``PARSERS`` parsed at once.

    Blocks of whole records are cut from the bytes where a line end is one byte, else from
    the decoded text, and each is parsed on its own.  A block's first row is known once the
    blocks before it are parsed: each passes the next its end through a future.
    """
    if layout.encoding in BYTE_CODECS:
        source, wrap, quote = fh, io.BytesIO, b'"'
    else:
        source, wrap, quote = io.TextIOWrapper(fh, layout.encoding, newline=""), io.StringIO, '"'
    plain = wrap is io.BytesIO and all(kind == "numeric" for kind in layout.kinds.values())
    rows = max(chunk_rows // (2 * PARSERS + 1), 1)
    size = max(rows * len(layout.head) // max(layout.head.count(b"\n"), 1), 1)

    def tasks():
        before = Future()
        before.set_result(0)
        for i, block in enumerate(records(source, size, quote)):
            if i and block.isspace():
                continue
            after = Future()
            yield partial(_block, block, i == 0, before, after, layout, wrap, plain, summarise)
            before = after

    yield from _in_order(tasks(), PARSERS)


def _block(block, first: bool, before: Future, after: Future, layout, wrap, plain, summarise):
    """(first row, parsed, sum) of a block of records: parsed by the compiled parser (an array,
    one row per kept column) when every kept column is numeric and the block holds plain
    numbers only, else by pandas (a frame); rows with no value at all dropped.  The first row
    comes from ``before``; ``after`` gets the next block's."""
    try:
        values = numbers(block, layout, first) if plain else None
        if values is not None:
            empty = np.isnan(values)
            clean = not empty.any()
            if not clean:
                values = values[:, ~empty.all(axis=0)]
            parsed, rows = values, values.shape[1]
        else:
            clean, parsed = False, _read(wrap(block), layout, None, first=first)
            filled = parsed.notna().any(axis=1).to_numpy()
            if not filled.all():
                parsed = parsed[filled]
            rows = len(parsed)
        start = before.result()
        after.set_result(start + rows)
    except BaseException as exc:  # the blocks after this one wait on ``after``
        after.set_exception(exc)
        raise
    return start, parsed, summarise(parsed, start) if clean and summarise else None


def _in_order(tasks: Iterable[Callable], workers: int) -> Iterator:
    """The results of the tasks in order, ``workers`` of them running in threads while the
    caller works on the one before (pandas' tokenizer and numpy's products release the GIL)."""
    with ThreadPoolExecutor(workers) as pool:
        pending = deque()
        for task in tasks:
            pending.append(pool.submit(task))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def records(fh, size: int, quote=b'"') -> Iterator:
    """A file's bytes (or text) in blocks of about ``size`` that end at the end of a record.

    A block ends at a line end outside quotes: where the quotes before it are even in number
    (a quote inside a quoted field is written twice, so that count stays even).
    """
    while block := fh.read(size):
        block += fh.readline()
        if quote in block:
            while block.count(quote) % 2 and (line := fh.readline()):
                block += line
        yield block


def _clean(series: pd.Series, name: str, layout: Layout, start: int):
    """A chunk's column as the head's kind: floats for numbers, text for categories."""
    kind = layout.kinds[name]
    if kind in ("numeric", "boolean") and (
        pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
    ):
        return series.to_numpy(dtype="float64", na_value=np.nan)
    anchors = _anchors(layout, name)
    # the head's values first: a date format is chosen on the first distinct values, so an
    # ambiguous chunk (03/04/2020 only) reads in the head's order of day and month
    both = pd.concat([anchors, anchors, series.astype(object)], ignore_index=True)
    column = clean_column("value", both, layout.decimal)
    read_as = column.kind
    if column.values is None or (read_as != kind and {read_as, kind} != {"categorical", "text"}):
        raise DataError(
            f"Column {name!r} reads as {kind} in the first rows of the file but not in rows "
            f"{start + 1:,} to {start + len(series):,} ({column.reason or read_as}). "
            "Make the column hold one kind of value throughout, or leave it out of the features."
        )
    values = column.values.iloc[2 * len(anchors) :]
    if kind in NUMBER_KINDS:
        return as_float(values)
    return values.to_numpy(dtype=object, na_value=None)
