"""Rows longer than the header: mended where a thousands separator split a number, else refused.

Only a file whose rows have more values than its first row comes here (pandas would cut
such rows short or stop): it is read once with :mod:`csv`, and each long row is

- trimmed of extra *empty* values at its end (a trailing delimiter loses nothing), then
- mended when exactly one way of joining neighbouring values makes every extra value part
  of a number written with ',' thousands separators (``4,512.30`` unquoted in a comma file
  reads as ``4`` and ``512.30``); two possible ways, or none, refuse the file, naming the
  line and the values seen.

The mended rows are written back as CSV (a joined number is quoted) for the one pandas call.
"""

import csv
import io
import re
from dataclasses import dataclass

from regcore.data.errors import DataError, plural, quoted_list
from regcore.data.sniff import Decoded, delimiter_name

GROUP_START = re.compile(r"[(+\-]?[$€£¥]?\d{1,3}")
GROUP_MIDDLE = re.compile(r"\d{3}")
GROUP_END = re.compile(r"\d{3}(\.\d*)?\)?%?(\s*[$€£¥])?")


@dataclass
class Mended:
    """The file as CSV bytes whose rows all have the first row's length, and what was done."""

    body: bytes
    lines: list[str]


def records_with_start(body: bytes, delimiter: str, first_line: int = 1):
    """(first physical line, fields) of every non-blank record, as pandas reads them.

    Raises ``csv.Error`` where Python's reader fails (e.g. a quote never closed).
    """
    stream = io.TextIOWrapper(io.BytesIO(body), encoding="utf-8", errors="replace", newline="")
    reader = csv.reader(stream, delimiter=delimiter, skipinitialspace=True)
    start = first_line
    for row in reader:
        if row:
            yield start, row
        start = first_line + reader.line_num


def repair(decoded: Decoded, delimiter: str, use_header: bool) -> Mended:
    """Rows of one length (the first row's), or a :class:`DataError` naming the first bad line."""
    first_line = 2 if decoded.hint else 1  # the sep= line was removed from the body
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    expected, trimmed, mended = None, 0, []
    try:
        for start, row in records_with_start(decoded.body, delimiter, first_line):
            if expected is None:
                expected = len(row)
            if len(row) > expected and not any(cell.strip() for cell in row[expected:]):
                row, trimmed = row[:expected], trimmed + 1
            if len(row) > expected:
                joined = join_thousands(row, len(row) - expected) if delimiter == "," else None
                if joined is None:
                    raise _too_long(start, row, expected, delimiter, use_header)
                mended.append((start, joined))
                row = joined
            writer.writerow(row)
    except csv.Error as error:
        raise DataError(
            f"The file could not be read as a table ({error}). Check the quotes in the file."
        ) from None
    lines = []
    if mended:
        start, row = mended[0]
        example = next(cell for cell in row if "," in cell)
        lines.append(
            f"mended {plural(len(mended), 'row')} where a ',' thousands separator split a number "
            f"into two values (e.g. line {start:,}: {example!r} read as one number)"
        )
    if trimmed:
        lines.append(f"ignored extra empty values at the end of {plural(trimmed, 'row')}")
    return Mended(body=out.getvalue().encode("utf-8"), lines=lines)


def join_thousands(row: list[str], extra: int) -> list[str] | None:
    """``row`` with ``extra`` values joined into thousands-grouped numbers, if exactly one way.

    ``ways[i][e]``: the number of ways (capped at 2) for the values from ``i`` on to absorb
    ``e`` extra values; a group is a start (``4``, ``-12``, ``$123``), 3-digit middles and a
    3-digit end with an optional decimal part.
    """
    cells = [cell.strip() for cell in row]
    n = len(cells)
    ways = [[0] * (extra + 1) for _ in range(n + 1)]
    ways[n][0] = 1
    for i in range(n - 1, -1, -1):
        for e in range(extra + 1):
            ways[i][e] = min(
                2, ways[i + 1][e] + sum(ways[j + 1][e - (j - i)] for j in _ends(cells, i, e))
            )
    if ways[0][extra] != 1:
        return None
    joined, i, e = [], 0, extra
    while i < n:
        end = next((j for j in _ends(cells, i, e) if ways[j + 1][e - (j - i)]), None)
        if end is None or ways[i + 1][e]:
            joined.append(row[i])
            i += 1
        else:
            joined.append(",".join(cells[i : end + 1]))
            e -= end - i
            i = end + 1
    return joined


def _ends(cells: list[str], i: int, e: int):
    """Last positions j of a thousands group starting at i that joins at most e extra values."""
    if not GROUP_START.fullmatch(cells[i]):
        return
    for j in range(i + 1, min(len(cells), i + e + 1)):
        if GROUP_END.fullmatch(cells[j]):
            yield j
        if not GROUP_MIDDLE.fullmatch(cells[j]):
            return


def _too_long(start: int, row: list[str], expected: int, delimiter: str, use_header: bool):
    first = "the header has" if use_header else "the first row has"
    return DataError(
        f"Line {start:,} has {len(row)} values but {first} {expected} (values separated by "
        f"{delimiter_name(delimiter)}): {quoted_list(row, 8)}. The file was not loaded, so no value is lost: every row "
        f"needs the same number of values, so fix line {start:,}, or put quotes around values "
        "that contain the separator."
    )
