"""Write the reader's test corpus into tests/data/ (deterministic: same bytes every run).

    python tests/data/make_corpus.py

Every file is small and made here, byte for byte, so that odd encodings, line
ends and binary files are reproducible; the expected outcome of each one is in
``tests/data/cases.py``. Re-run after changing a generator and commit the files.
"""

import gzip
import io
import zipfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


def table(header, rows, sep=",", end="\n") -> str:
    lines = [sep.join(header)] if header is not None else []
    lines += [sep.join(str(v) for v in row) for row in rows]
    return end.join(lines) + end


def numbers(n=40, p=3, seed=0, digits=3):
    """n rows of p features and a target y = 1 + 2·x1 − x2 + noise, as strings."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)).round(digits)
    y = (1 + 2 * X[:, 0] - X[:, 1] + 0.1 * rng.normal(size=n)).round(digits)
    return [[*(f"{v:g}" for v in row), f"{t:g}"] for row, t in zip(X, y, strict=True)]


def feature_names(p):
    return [f"x{j}" for j in range(1, p + 1)] + ["y"]


def with_column(rows, values, at=0):
    return [[*row[:at], str(v), *row[at:]] for row, v in zip(rows, values, strict=True)]


def cycle(values, n):
    return [values[i % len(values)] for i in range(n)]


def text_files() -> dict[str, str]:
    """Files that are text; written as UTF-8 unless ``encoded_files`` says otherwise."""
    rows = numbers()
    files = {
        "basic.csv": table(feature_names(3), rows),
        "tab_delimited.csv": table(feature_names(3), rows, sep="\t"),
        "pipe_delimited.csv": table(feature_names(3), rows, sep="|"),
        "crlf.csv": table(feature_names(3), rows, end="\r\n"),
        "mac_cr.csv": table(feature_names(3), rows, end="\r"),
        "no_header.csv": table(None, rows),
        "unnamed_index.csv": table(["", *feature_names(3)], with_column(rows, range(40))),
        "messy_headers.csv": table(
            [" x1 ", "", "x1", "y", "y", "   ", "a  b"],
            [[*r[:2], r[2], r[3], r[0], r[1], r[2]] for r in rows],
        ),
        "semicolon_decimal_comma.csv": table(
            ["laenge", "breite", "hoehe", "preis"],
            [[v.replace(".", ",") for v in r] for r in rows],
            sep=";",
        ),
        "european_thousands.csv": table(
            ["flaeche", "zimmer", "preis"],
            [
                [
                    f'"{1000 + 37 * i:,}"'.replace(",", "."),
                    str(i % 5 + 1),
                    f"{150000 + 1234.5 * i:,.1f}".replace(",", "X")
                    .replace(".", ",")
                    .replace("X", "."),
                ]
                for i in range(30)
            ],
            sep=";",
        ),
        "quoted_thousands.csv": table(
            ["area", "rooms", "price"],
            [
                [f'"{1000 + 37 * i:,}"', str(i % 5 + 1), f'"{150000 + 1234 * i:,}"']
                for i in range(30)
            ],
        ),
        "quoted_newlines.csv": table(
            ["x1", "x2", "note", "y"],
            [
                [
                    r[0],
                    r[1],
                    cycle(
                        ['"first line\nsecond, with comma"', '"plain"', '"a ""quoted"" word"'], 40
                    )[i],
                    r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),
        "missing_tokens.csv": table(
            feature_names(3),
            [
                [
                    cycle(["NA", "N/A", "NaN", "null", "?", "-", "", "None"], 40)[i]
                    if i % 5 == 0
                    else r[0],
                    r[1],
                    r[2],
                    r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),
        "infinities.csv": table(
            feature_names(3),
            [
                [cycle(["inf", "-inf", "Infinity"], 40)[i] if i % 10 == 0 else r[0], *r[1:]]
                for i, r in enumerate(rows)
            ],
        ),
        "booleans.csv": table(
            ["member", "smoker", "urban", "x1", "y"],
            [
                [
                    cycle(["yes", "no", "no"], 40)[i],
                    cycle(["True", "False"], 40)[i],
                    cycle(["Y", "N", "Y", "Y"], 40)[i],
                    r[0],
                    r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),
        "dates.csv": table(
            ["day", "signed", "x1", "y"],
            [
                [
                    f"2021-{1 + i // 28:02d}-{1 + i % 28:02d}",
                    f"{1 + i % 28:02d}/{1 + i // 28:02d}/2020",
                    r[0],
                    r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),
        "categorical.csv": table(
            ["colour", "size", "x1", "y"],
            [
                [
                    cycle(["red", "green", "blue"], 40)[i],
                    cycle(["S", "M", "L", "XL"], 40)[i],
                    r[0],
                    r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),
        "too_many_levels.csv": table(
            ["town", "x1", "x2", "y"],
            [[f"town_{i % 30:02d}", *r] for i, r in enumerate(numbers(60, 2))],
        ),
        "id_column.csv": table(
            ["id", "customer", *feature_names(3)],
            [[str(i + 1), f"C{1000 + i}", *r] for i, r in enumerate(rows)],
        ),
        "constant_column.csv": table(
            ["x1", "version", "x2", "y"], [[r[0], "7", r[1], r[3]] for r in rows]
        ),
        "all_missing_column.csv": table(
            ["x1", "comment", "x2", "y"], [[r[0], "", r[1], r[3]] for r in rows]
        ),
        "trailing_delimiter.csv": table([*feature_names(3), ""], [[*r, ""] for r in rows]),
        "text_only.csv": table(
            ["name", "city"], [[f"n{i % 7}", cycle(["Oslo", "Rome"], 40)[i]] for i in range(40)]
        ),
        "constant_target.csv": table(
            ["group", "x1", "y"],
            [[cycle(["a", "b"], 40)[i], r[0], "3"] for i, r in enumerate(rows)],
        ),
        "too_few_rows.csv": table(feature_names(3), rows[:6]),
        "missing_target.csv": table(
            feature_names(3), [[*r[:3], "" if i % 7 == 3 else r[3]] for i, r in enumerate(rows)]
        ),
        "formula_cells.csv": table(
            ["=cmd|' /C calc'!A0", "x1", "y"],
            [
                [cycle(["=1+2", "@SUM(A1:A2)", "+33", "-2+3", "plain"], 40)[i], r[0], r[3]]
                for i, r in enumerate(rows)
            ],
        ),
        "html_markdown_headers.csv": table(
            ["<script>alert(1)</script>", "**bold**", "<b>y</b>"],
            [[r[0], r[1], r[3]] for r in rows],
        ),
        "wide_p_gt_n.csv": table(feature_names(300), numbers(30, 300)),
        "single_column.csv": table(["y"], [[r[3]] for r in rows]),
        "mixed_numeric_junk.csv": table(
            feature_names(3), [["oops" if i == 7 else r[0], *r[1:]] for i, r in enumerate(rows)]
        ),
        "padded_values.csv": table(
            ["x1", "colour", "flag", "y"],
            [
                [
                    f"  {r[0]} ",
                    f" {cycle(['red', 'blue'], 40)[i]}  ",
                    f" {cycle(['yes', 'no'], 40)[i]}",
                    r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),
        "blank_lines.csv": table(feature_names(3), rows[:10])
        + "\n\n,,,\n"
        + table(None, rows[10:20])
        + ",,,\n",
        "numeric_names_no_header_guess.csv": table(["2019", "2020", "2021"], [r[:3] for r in rows]),
        # refused
        "empty.csv": "",
        "whitespace_only.csv": "\n   \n\t\n",
        "header_only.csv": "x1,x2,y\n",
        "html_page.csv": "<!DOCTYPE html>\n<html><body><table><tr><td>1</td></tr></table></body></html>\n",
        "ragged_rows.csv": table(feature_names(3), rows[:3])
        + "1,2,3,4,5\n"
        + table(None, rows[3:10]),
        "ragged_after_quoted_newline.csv": 'a,b,y\n"one\ntwo",1,2\n"three",3,4\n5,6,7,8\n9,10,11\n',
        "unclosed_quote.csv": 'a,b,y\n1,2,3\n4,"5,6\n7,8,9\n',
        "all_columns_dropped.csv": table(["id", "version"], [[str(i + 1), "2"] for i in range(20)]),
    }
    files.update(hostile_exports(rows))
    return files


def money(value: float) -> str:
    """1234.5 -> '1,234.50' (US grouping, two decimals)."""
    return f"{value:,.2f}"


def hostile_exports(rows) -> dict[str, str]:
    """Issue 17: spreadsheet, statistics and survey exports as users upload them."""
    x = [float(r[0]) for r in rows]
    y = [float(r[3]) for r in rows]
    nbsp, thin = "\u00a0", "\u2009"
    return {
        # ragged rows: mended where a thousands separator split a number, else refused
        "extra_fields_every_row.csv": table(["a", "b"], [[*r[:2], r[3]] for r in rows]),
        "excel_sep_hint.csv": "sep=,\n" + table(feature_names(3), rows),
        "unquoted_thousands.csv": table(
            ["amount", "rooms", "y"],
            [[money(900 + 97.3 * i), str(i % 5 + 1), r[3]] for i, r in enumerate(rows)],
        ),
        "ambiguous_split.csv": table(feature_names(2), [[r[0], r[1], r[3]] for r in rows[:4]])
        + "1,200,300,4\n",
        "trailing_commas_rows.csv": table(feature_names(3), [[*r, ""] for r in rows]),
        # numbers as people write them; the target is the last column every time
        "currency_percent_accounting.csv": table(
            ["price", "discount", "balance", "margin"],
            [
                [
                    f'"${money(1000 + 250 * x[i])}"',
                    f"{12.5 + x[i]:.1f}%",
                    f"({abs(x[i]):.2f})" if x[i] < 0 else f"{x[i]:.2f}",
                    f"{y[i]:.2f}%",
                ]
                for i in range(40)
            ],
        ),
        "euro_nbsp_thousands.csv": table(
            ["flaeche", "zimmer", "betrag"],
            [
                [
                    f"{x[i] + 3:.2f}".replace(".", ","),
                    str(i % 5 + 1),
                    f"{12 + i % 3}{nbsp if i % 2 else thin}{345 + 10 * i},{67 + i % 30} €",
                ]
                for i in range(40)
            ],
            sep=";",
        ),
        "stata_missing.csv": table(
            feature_names(3),
            [
                ["." if i % 8 == 3 else r[0], *r[1:3], "." if i % 10 == 5 else r[3]]
                for i, r in enumerate(rows)
            ],
        ),
        "sheets_errors.csv": table(
            feature_names(3),
            [
                [
                    cycle(["#DIV/0!", "#REF!", "#VALUE!", "#N/A"], 40)[i] if i % 6 == 1 else r[0],
                    *r[1:3],
                    "#N/A" if i % 13 == 4 else r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),
        "fortran_exponents.csv": table(
            feature_names(3),
            [[f"{float(r[0]) * 1000:.4E}".replace("E", "D"), *r[1:]] for r in rows],
        ),
        "amount_paid_not_id.csv": table(
            ["customer_id", "amount_paid", "x1", "y"],
            [[str(5000 + 3 * i), str(100 + 7 * i), r[0], r[3]] for i, r in enumerate(rows)],
        ),
        "r_write_csv.csv": table(
            ['""', '"x1"', '"x2"', '"group"', '"y"'],
            [
                [f'"{i + 1}"', "NA" if i % 9 == 2 else r[0], r[1], f'"{"ab"[i % 2]}"', r[3]]
                for i, r in enumerate(rows)
            ],
        ),
        # values too large for double precision, a one-hot name that exists, summary footers
        "huge_feature.csv": table(
            feature_names(3), [[f"{1.7e308 * float(r[0]) / 3:.6g}", *r[1:]] for r in rows]
        ),
        "huge_target.csv": table(
            feature_names(3),
            [[*r[:3], f"{1e308 / 4 * (1 + i % 3):.6g}"] for i, r in enumerate(rows)],
        ),
        "qualtrics_export.csv": table(
            ["StartDate", "Duration (in seconds)", "Q1", "Q2_1", "Q3"],
            [
                [
                    "Start Date",
                    "Duration (in seconds)",
                    '"How old are you?"',
                    '"Rate us - Service"',
                    '"How much did you spend, in dollars?"',
                ],
                [
                    '"{""ImportId"":""startDate""}"',
                    '"{""ImportId"":""duration""}"',
                    '"{""ImportId"":""QID1""}"',
                    '"{""ImportId"":""QID2_1""}"',
                    '"{""ImportId"":""QID3""}"',
                ],
            ]
            + [
                [
                    f"2024-03-{1 + i % 28:02d} 10:{i % 60:02d}:00",
                    str(100 + 13 * i % 97),
                    str(20 + i % 40),
                    str(1 + i % 5),
                    r[3],
                ]
                for i, r in enumerate(rows)
            ],
        ),  # fmt: skip
        "large_but_allowed.csv": table(
            feature_names(3),
            [[f"{float(r[0]) * 1e74:.6g}", r[1], r[2], f"{float(r[3]) * 1e74:.6g}"] for r in rows],
        ),
        "onehot_name_collision.csv": table(
            ["colour", "colour=red", "x1", "y"],
            [
                [cycle(["red", "green", "blue"], 40)[i], str(i % 2), r[0], r[3]]
                for i, r in enumerate(rows)
            ],
        ),
        "total_footer.csv": table(
            ["region", "x1", "x2", "sales"],
            [[cycle(["north", "south"], 40)[i], r[0], r[1], r[3]] for i, r in enumerate(rows)]
            + [["Total", "", "", f"{sum(y):.3f}"], ["Average", "", "", f"{sum(y) / 40:.3f}"]],
        ),
        "space_separated.csv": table(feature_names(3), rows, sep=" "),
        "json_records.csv": "[\n"
        + ",\n".join(f'  {{"x1": {r[0]}, "y": {r[3]}}}' for r in rows[:5])
        + "\n]\n",
        "url_markdown_names.csv": table(
            [
                "https://example.com/a_b",
                "[link](http://evil.example)",
                "*x*_`y`",
                "www.example.org",
            ],
            [[r[0], r[1], r[2], r[3]] for r in rows],
        ),
    }


def encoded_files(rows) -> dict[str, bytes]:
    """Files whose bytes are the point: encodings and things that are not CSV at all."""
    accents = table(
        ["température", "ville", "y"],
        [[r[0], cycle(["Zürich", "Besançon", "Málaga"], 40)[i], r[3]] for i, r in enumerate(rows)],
    )
    euros = table(
        ["prix (€)", "qualité", "y"],
        [[r[0], cycle(["très bon", "moyen", "élevé"], 40)[i], r[3]] for i, r in enumerate(rows)],
    )
    plain = table(feature_names(3), rows)
    rng = np.random.default_rng(42)
    xlsx = io.BytesIO()
    with zipfile.ZipFile(xlsx, "w") as archive:
        for name, text in (
            ("[Content_Types].xml", '<?xml version="1.0"?><Types/>'),
            ("xl/workbook.xml", "<workbook/>"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    plain_zip = io.BytesIO()
    with zipfile.ZipFile(plain_zip, "w") as archive:
        archive.writestr(zipfile.ZipInfo("data.csv", date_time=(2024, 1, 1, 0, 0, 0)), plain)
    return {
        "zip_of_csv.csv": plain_zip.getvalue(),
        "utf8_bom.csv": b"\xef\xbb\xbf" + accents.encode("utf-8"),
        "utf16_bom.csv": accents.encode("utf-16"),  # Python writes the BOM for "utf-16"
        "utf16le_no_bom.csv": accents.encode("utf-16-le"),
        "cp1252.csv": euros.encode("cp1252"),
        "binary.csv": rng.integers(0, 256, size=2048, dtype=np.uint8).tobytes(),
        "xlsx_as_csv.csv": xlsx.getvalue(),
        "xls_as_csv.csv": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
        "pdf_as_csv.csv": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        "gzip_as_csv.csv": gzip.compress(plain.encode(), mtime=0),
    }


def main() -> None:
    files = {name: text.encode("utf-8") for name, text in text_files().items()}
    files.update(encoded_files(numbers()))
    for name, data in sorted(files.items()):
        (HERE / name).write_bytes(data)
    print(f"wrote {len(files)} files to {HERE}")


if __name__ == "__main__":
    main()
