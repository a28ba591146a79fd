"""From raw bytes to the facts pandas needs: encoding, "is this a CSV at all", dialect, header.

Everything here looks at a *sample* (the first 64 KiB, stretched to hold at least
50 lines), so the cost does not grow with the file; the one full pass over the
bytes is left to a single ``pandas.read_csv`` call in :mod:`regcore.data.read`.
"""

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass

from regcore.data.errors import MAX_UPLOAD_MB, DataError

SAMPLE_BYTES = 64 * 1024
SAMPLE_MAX_BYTES = 4 * 1024 * 1024
SAMPLE_MIN_LINES = 50
SAMPLE_RECORDS = 200

DELIMITERS = {",": "',' (comma)", ";": "';' (semicolon)", "\t": "tab", "|": "'|' (pipe)"}

SAVE_AS_CSV = "Open it in Excel or LibreOffice and use File > Save As > CSV, then upload that file."
PLAIN_CSV = (
    "Upload a CSV: plain text with one row per line and values separated by "
    "commas, semicolons, tabs or |."
)

# Leading bytes of files people upload by mistake, and what to call them.
MAGIC = (
    (b"PK\x03\x04", "a spreadsheet workbook (.xlsx or .ods files are zip archives)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"SQLite format 3", "an SQLite database"),
    (b"PAR1", "a Parquet file"),
)
SPREADSHEETS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")

NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
DECIMAL_COMMA_CELL = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+|\d+),\d+")
DECIMAL_POINT_CELL = re.compile(r"[+-]?\d*\.\d+([eE][+-]?\d+)?")
GROUPED_CELL = re.compile(r"[+-]?\d{1,3}\.\d{3}")  # 1.234: a decimal point, or a thousands dot?
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
JSON_START = re.compile(r'\s*(\{\s*"|\[\s*[\[{"\]])')
SEP_HINT = re.compile(r'"?sep=(.)"?[ \t]*(\r\n|\n|\r)', re.IGNORECASE)


@dataclass
class Decoded:
    """The file as UTF-8 bytes for pandas, a text sample for sniffing, and the encoding found."""

    body: bytes
    sample: str
    encoding: str
    complete: bool  # the sample is the whole file
    hint: str | None = None  # the delimiter named by an Excel "sep=;" first line (removed)


@dataclass
class Dialect:
    """What the sample says about the file's layout."""

    delimiter: str
    decimal: str
    first_record: list[str]
    n_fields: int
    header: bool  # the first record looks like column names
    crlf: bool


def decode(data: bytes) -> Decoded:
    """Find the encoding (BOMs, UTF-8, then cp1252 / latin-1) or refuse a non-text file."""
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        raise DataError(
            f"The file is {len(data) / 1024 / 1024:,.0f} MB; the limit is {MAX_UPLOAD_MB} MB. "
            "Upload a smaller extract (fewer rows or columns)."
        )
    _refuse_known_binary(data)
    if data.startswith(b"\xef\xbb\xbf"):
        body, text, label = _decode_8bit(data[3:])
        label += " with BOM"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, label = _decode_utf16(data, "utf-16", "UTF-16 with BOM")
        body = text.encode("utf-8")
    elif b"\x00" in data[:4096]:
        text, label = _decode_utf16(data, _utf16_without_bom(data[:4096]), "")
        body = text.encode("utf-8")
    else:
        body, text, label = _decode_8bit(data)
    sample, complete = _sample(text if text is not None else body)
    if not sample.strip():
        raise DataError("The file is empty: there is nothing to read. " + PLAIN_CSV)
    if JSON_START.match(sample):
        raise DataError(
            "This file is JSON (records in braces), not a CSV table. Export the data as CSV "
            "(one row per line, values separated by commas), then upload that file."
        )
    head = sample[:SAMPLE_BYTES]
    controls = len(CONTROL.findall(head))
    if "\x00" in head or (controls > 0.05 * len(head) and controls >= 4):
        raise DataError("This looks like a binary file, not CSV text. " + PLAIN_CSV)
    return _without_sep_hint(Decoded(body=body, sample=sample, encoding=label, complete=complete))


def _without_sep_hint(decoded: Decoded) -> Decoded:
    """Excel's ``sep=;`` first line names the delimiter; it is not a row of the table."""
    hint = SEP_HINT.match(decoded.sample)
    if hint is None:
        return decoded
    skip = len(hint[0].encode("utf-8"))
    return Decoded(
        body=decoded.body[skip:],
        sample=decoded.sample[hint.end() :],
        encoding=decoded.encoding,
        complete=decoded.complete,
        hint=hint[1],
    )


def _refuse_known_binary(data: bytes) -> None:
    if data.startswith(b"PK\x03\x04") and not any(
        mark in data[:4096] for mark in (b"[Content_Types].xml", b"xl/", b"mimetype")
    ):
        raise DataError(
            "This file is a zip archive (compressed files), not a CSV text file, whatever its "
            "name. Unzip it and upload the CSV file inside."
        )
    for magic, what in MAGIC:
        if data.startswith(magic):
            advice = SAVE_AS_CSV if magic in SPREADSHEETS else PLAIN_CSV
            raise DataError(
                f"This file is {what}, not a CSV text file, whatever its name. {advice}"
            )
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")):
        raise DataError("This file is a web page (HTML), not a CSV text file. " + PLAIN_CSV)


def _decode_8bit(data: bytes) -> tuple[bytes, str | None, str]:
    """(UTF-8 bytes for pandas, the text if it had to be decoded, encoding label)."""
    if data.isascii():
        return data, None, "UTF-8"
    try:
        return data, data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        text, label = data.decode("cp1252"), "cp1252 (Windows Western European)"
    except UnicodeDecodeError:
        text, label = data.decode("latin-1"), "latin-1"
    return text.encode("utf-8"), text, label + ", not UTF-8"


def _utf16_without_bom(head: bytes) -> str:
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    raise DataError(
        "This looks like a binary file (it contains NUL bytes), not CSV text. " + PLAIN_CSV
    )


def _decode_utf16(data: bytes, codec: str, label: str) -> tuple[str, str]:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise DataError(
            "The file starts like UTF-16 text but is not valid UTF-16. "
            "Save it again as CSV (UTF-8) and upload that file."
        ) from None
    return text, label or codec.upper().replace("UTF-16-", "UTF-16 ") + " without BOM"


def _sample(content: str | bytes) -> tuple[str, bool]:
    """The first 64 KiB, stretched to hold at least 50 line ends (capped at 4 MiB)."""
    newline = "\n" if isinstance(content, str) else b"\n"
    end, lines = 0, 0
    while lines < SAMPLE_MIN_LINES and end < SAMPLE_MAX_BYTES:
        found = content.find(newline, end)
        if found < 0:
            end = len(content)
            break
        end, lines = found + 1, lines + 1
    end = min(max(end, SAMPLE_BYTES), len(content))
    sample = content[:end]
    if isinstance(sample, bytes):
        sample = sample.decode("ascii")
    return sample, end >= len(content)


def records(
    sample: str,
    delimiter: str,
    complete: bool,
    limit: int = SAMPLE_RECORDS,
    skip_spaces: bool = True,
) -> list[list[str]]:
    """Parse the sample as pandas will (same quoting, initial spaces skipped); drop blank lines."""
    reader = csv.reader(
        io.StringIO(sample, newline=""), delimiter=delimiter, skipinitialspace=skip_spaces
    )
    rows = []
    try:
        for row in reader:
            if row:
                rows.append(row)
            if len(rows) > limit:
                return rows[:limit]
    except csv.Error:
        pass  # a broken sample simply scores badly; pandas reports the real error later
    if not complete and rows:
        rows.pop()  # the sample may end in the middle of a record
    return rows


def sniff(decoded: Decoded) -> Dialect:
    """Pick the delimiter whose field count is the most consistent, then the decimal mark."""
    best = None
    candidates = [decoded.hint] if decoded.hint else DELIMITERS
    for rank, delimiter in enumerate(candidates):
        rows = records(decoded.sample, delimiter, decoded.complete)
        if not rows:
            continue
        counts = Counter(len(row) for row in rows)
        n_fields, hits = counts.most_common(1)[0]
        score = (n_fields > 1, hits / len(rows), n_fields, -rank)
        if best is None or score > best[0]:
            best = (score, delimiter, rows, n_fields)
    if best is None:
        raise DataError(
            "No complete row found: the file seems to be one very long line. " + PLAIN_CSV
        )
    _, delimiter, rows, n_fields = best
    if n_fields == 1:
        _refuse_space_separated(rows)
    decimal = _decimal_mark(rows[1:], delimiter)
    # the names exactly as written, spaces included, for the report (same fields, or pandas' view)
    as_written = records(decoded.sample, delimiter, True, limit=1, skip_spaces=False)
    same_fields = as_written and len(as_written[0]) == len(rows[0])
    return Dialect(
        delimiter=delimiter,
        decimal=decimal,
        first_record=as_written[0] if same_fields else rows[0],
        n_fields=n_fields,
        header=not _all_numbers(rows[0]),
        crlf="\r\n" in decoded.sample,
    )


def _refuse_space_separated(rows: list[list[str]]) -> None:
    """One column whose lines all split on spaces into the same number (> 1) of parts."""
    counts = Counter(len(row[0].split()) for row in rows if row)
    n_parts, hits = counts.most_common(1)[0] if counts else (1, 0)
    if n_parts > 1 and hits >= 0.9 * len(rows) and len(rows) > 1:
        raise DataError(
            f"The values seem to be separated by spaces ({n_parts} per line). This app reads "
            "values separated by commas, semicolons, tabs or |, since a space may also be part "
            "of a value. Save the file as CSV (e.g. from a spreadsheet: File > Save As > CSV), "
            "then upload that file."
        )


def _decimal_mark(rows: list[list[str]], delimiter: str) -> str:
    """',' when numbers like 3,5 or 1.234,5 outnumber numbers like 3.5 (never with ',' as delimiter).

    A cell like 1.234 counts for neither side: it is 1.234 in one convention and 1234 in the other.
    """
    if delimiter == ",":
        return "."
    cells = [cell.strip() for row in rows for cell in row]
    commas = sum(1 for cell in cells if DECIMAL_COMMA_CELL.fullmatch(cell))
    points = sum(
        1
        for cell in cells
        if DECIMAL_POINT_CELL.fullmatch(cell) and not GROUPED_CELL.fullmatch(cell)
    )
    return "," if commas > points else "."


def _all_numbers(record: list[str]) -> bool:
    cells = [cell.strip() for cell in record if cell.strip()]
    return bool(cells) and all(NUMBER.fullmatch(cell) for cell in cells)


def delimiter_name(delimiter: str) -> str:
    return DELIMITERS.get(delimiter, repr(delimiter))
