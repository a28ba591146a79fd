"""Expected outcome of every corpus file: the one table the reader tests and the page tests share.

Import it as ``from data.cases import CASES, APP_CASES, page_error`` (pytest puts tests/ on
sys.path) and read a file as ``(DATA_DIR / case["file"]).read_bytes()``.

Each case is a dict:

- ``file``: the file in tests/data/ (made by make_corpus.py).
- ``ok``: whether ``read_csv(bytes)`` (default options) returns a frame.
- ok cases: ``shape`` (rows, columns) after cleaning; ``report_contains``: strings each found
  in some line of ``ReadReport.lines``; optionally ``kinds`` (column -> kind, a subset),
  ``renamed`` / ``dropped`` (subsets of those dicts) and ``options`` (keyword arguments for
  read_csv that replace the defaults).
- refused cases: ``message_contains``, a string found in ``str(DataError)``.
- ``design``: what ``make_design(df, default_target(df))`` does with the defaults
  (test fraction 0.25, seed 0, at most 20 levels): ``{"ok": True, "n_features": k,
  "lines_contain": [...], "features": [...]}`` (features: names found in ``feature_names``) or ``{"ok": False, "message_contains": "..."}`` (the error may
  come from ``default_target``).
- ``app``: True for the representative dozen the page tests upload.
- ``page_error(case)`` below: the text the Data page must show as an error for that upload
  with default settings, or None when it must load.
"""

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent

CASES = [
    # ---- loads: encodings ------------------------------------------------------------
    {
        "file": "basic.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": [
            "encoding UTF-8",
            "delimiter ','",
            "decimal '.'",
            "first row holds the column names",
        ],
        "kinds": {"x1": "numeric", "y": "numeric"},
        "design": {
            "ok": True,
            "n_features": 3,
            "lines_contain": ["30 training rows, 10 test rows"],
        },
    },
    {
        "file": "utf8_bom.csv",
        "ok": True,
        "shape": (40, 3),
        "report_contains": ["encoding UTF-8 with BOM"],
        "kinds": {"température": "numeric", "ville": "categorical"},
        "design": {"ok": True, "n_features": 3, "lines_contain": ["one-hot 'ville'"]},
    },
    {
        "file": "utf16_bom.csv",
        "ok": True,
        "shape": (40, 3),
        "app": True,
        "report_contains": ["encoding UTF-16 with BOM"],
        "kinds": {"température": "numeric", "ville": "categorical"},
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "utf16le_no_bom.csv",
        "ok": True,
        "shape": (40, 3),
        "report_contains": ["encoding UTF-16 LE without BOM"],
        "kinds": {"ville": "categorical"},
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "cp1252.csv",
        "ok": True,
        "shape": (40, 3),
        "report_contains": ["encoding cp1252", "'qualité': categorical, 3 levels"],
        "kinds": {"prix (€)": "numeric"},
        "design": {
            "ok": True,
            "n_features": 3,
            "lines_contain": ["one-hot 'qualité': 3 levels"],
            "features": ["qualité=très bon", "qualité=élevé"],
        },
    },
    # ---- loads: dialects -------------------------------------------------------------
    {
        "file": "semicolon_decimal_comma.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": ["delimiter ';'", "decimal ','"],
        "kinds": {"laenge": "numeric", "preis": "numeric"},
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "european_thousands.csv",
        "ok": True,
        "shape": (30, 3),
        "report_contains": [
            "delimiter ';'",
            "decimal ','",
            "'preis': thousands separators removed",
            "read as 150000",
        ],
        "kinds": {"flaeche": "numeric", "preis": "numeric"},
        "design": {"ok": True, "n_features": 2},
    },
    {
        "file": "tab_delimited.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["delimiter tab"],
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "pipe_delimited.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["delimiter '|'"],
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "quoted_thousands.csv",
        "ok": True,
        "shape": (30, 3),
        "report_contains": ["'area': thousands separators removed (e.g. '1,000' read as 1000)"],
        "kinds": {"area": "numeric", "price": "numeric"},
        "design": {"ok": True, "n_features": 2},
    },
    {
        "file": "quoted_newlines.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["'note': categorical, 3 levels"],
        "kinds": {"note": "categorical"},
        "design": {
            "ok": True,
            "n_features": 4,
            "lines_contain": ["one-hot 'note': 3 levels, 2 columns"],
        },
    },
    {
        "file": "crlf.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["line ends CRLF"],
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "mac_cr.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["delimiter ','"],
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "no_header.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["no header row (detected)", "columns named column_1 to column_4"],
        "kinds": {"column_1": "numeric", "column_4": "numeric"},
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "numeric_names_no_header_guess.csv",
        "ok": True,
        "shape": (41, 3),
        "report_contains": ["no header row (detected)"],
        "design": {"ok": True, "n_features": 2},
    },
    {
        "file": "numeric_names_no_header_guess.csv",
        "ok": True,
        "shape": (40, 3),
        "options": {"header": True},
        "report_contains": ["first row holds the column names (as chosen)"],
        "kinds": {"2019": "numeric"},
        "design": {"ok": True, "n_features": 2},
    },
    {
        "file": "blank_lines.csv",
        "ok": True,
        "shape": (20, 4),
        "report_contains": ["skipped 2 empty rows"],
        "design": {"ok": True, "n_features": 3},
    },
    # ---- loads: headers --------------------------------------------------------------
    {
        "file": "unnamed_index.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": ["dropped 'column_1': leftover index column", "Unnamed: 0"],
        "dropped": {
            "column_1": "leftover index column (a row number with no header, what pandas calls 'Unnamed: 0')"
        },
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "messy_headers.csv",
        "ok": True,
        "shape": (40, 7),
        "app": True,
        "report_contains": [
            "renamed (column 2: '') to 'column_2' (blank name)",
            "renamed (column 3: 'x1') to 'x1_2' (repeated name)",
            "renamed (column 1: ' x1 ') to 'x1' (spaces trimmed)",
            "renamed 'a  b' to 'a b' (spaces trimmed)",
        ],
        "renamed": {"(column 5: 'y')": "y_2", "(column 6: '   ')": "column_6"},
        "design": {"ok": True, "n_features": 6},
    },
    {
        "file": "html_markdown_headers.csv",
        "ok": True,
        "shape": (40, 3),
        "app": True,
        "report_contains": [],
        "kinds": {"<script>alert(1)</script>": "numeric", "**bold**": "numeric"},
        "design": {"ok": True, "n_features": 2},
    },
    {
        "file": "formula_cells.csv",
        "ok": True,
        "shape": (40, 3),
        "report_contains": ["categorical, 5 levels"],
        "kinds": {"=cmd|' /C calc'!A0": "categorical"},
        "design": {"ok": True, "n_features": 5},
    },
    # ---- loads: values ---------------------------------------------------------------
    {
        "file": "missing_tokens.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["missing values: 8 cells in 1 column ('x1': 8)"],
        "kinds": {"x1": "numeric"},
        "design": {"ok": True, "n_features": 3, "lines_contain": ["imputed 'x1'", "training mean"]},
    },
    {
        "file": "infinities.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["'x1': 4 infinite values treated as missing"],
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "booleans.csv",
        "ok": True,
        "shape": (40, 5),
        "report_contains": [
            "'member': yes read as 1, no as 0",
            "'smoker': True read as 1, False as 0",
            "'urban': Y read as 1, N as 0",
        ],
        "kinds": {"member": "boolean", "smoker": "boolean", "urban": "boolean"},
        "design": {"ok": True, "n_features": 4},
    },
    {
        "file": "dates.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": [
            "'day': dates (YYYY-MM-DD)",
            "'signed': dates (DD/MM/YYYY)",
            "days since 1970-01-01",
        ],
        "kinds": {"day": "date", "signed": "date"},
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "categorical.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["'colour': categorical, 3 levels", "'size': categorical, 4 levels"],
        "design": {
            "ok": True,
            "n_features": 6,
            "lines_contain": ["one-hot 'colour': 3 levels, 2 columns ('blue' is the reference)"],
            "features": ["colour=green", "colour=red", "size=XL", "x1"],
        },
    },
    {
        "file": "too_many_levels.csv",
        "ok": True,
        "shape": (60, 4),
        "report_contains": ["'town': categorical, 30 levels"],
        "design": {
            "ok": True,
            "n_features": 2,
            "lines_contain": ["dropped feature 'town': 30 distinct values, more than the 20"],
        },
    },
    {
        "file": "id_column.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": [
            "dropped 'id': ID-like (row numbers 1 to 40; its name reads as an identifier)",
            "dropped 'customer': ID-like (a different value in 40 of 40 rows)",
        ],
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "constant_column.csv",
        "ok": True,
        "shape": (40, 3),
        "report_contains": ["dropped 'version': constant (every value is 7)"],
        "design": {"ok": True, "n_features": 2},
    },
    {
        "file": "all_missing_column.csv",
        "ok": True,
        "shape": (40, 3),
        "report_contains": ["dropped 'comment': empty (no values)"],
        "design": {"ok": True, "n_features": 2},
    },
    {
        "file": "trailing_delimiter.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["dropped 'column_5': empty (no values)"],
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "mixed_numeric_junk.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["'x1': 1 non-numeric value treated as missing (e.g. 'oops')"],
        "kinds": {"x1": "numeric"},
        "design": {"ok": True, "n_features": 3},
    },
    {
        "file": "padded_values.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["'colour': categorical, 2 levels", "'flag': yes read as 1, no as 0"],
        "kinds": {"x1": "numeric", "flag": "boolean"},
        "design": {"ok": True, "n_features": 3, "lines_contain": ["one-hot 'colour': 2 levels"]},
    },
    {
        "file": "wide_p_gt_n.csv",
        "ok": True,
        "shape": (30, 301),
        "app": True,
        "report_contains": ["301 numeric"],
        "design": {
            "ok": True,
            "n_features": 300,
            "lines_contain": ["22 training rows, 8 test rows"],
        },
    },
    # ---- loads, but no model with the default target ------------------------------------
    {
        "file": "missing_target.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": ["missing values: 6 cells in 1 column ('y': 6)"],
        "design": {
            "ok": True,
            "n_features": 3,
            "lines_contain": ["dropped 6 rows with a missing target 'y'"],
        },
    },
    {
        "file": "constant_target.csv",
        "ok": True,
        "shape": (40, 2),
        "report_contains": ["dropped 'y': constant (every value is 3)"],
        "design": {"ok": True, "n_features": 1},
    },
    {
        "file": "text_only.csv",
        "ok": True,
        "shape": (40, 2),
        "app": True,
        "report_contains": ["'city': categorical, 2 levels"],
        # two labels make a binary target, predicted from the one-hot names
        "design": {
            "ok": True,
            "n_features": 6,
            "target": "city",
            "lines_contain": ["target 'city': two values: 'Rome' is 1"],
        },
    },
    {
        "file": "single_column.csv",
        "ok": True,
        "shape": (40, 1),
        "report_contains": ["one column (no delimiter found)"],
        "design": {"ok": False, "message_contains": "A model needs at least one feature"},
    },
    {
        "file": "too_few_rows.csv",
        "ok": True,
        "shape": (6, 4),
        "app": True,
        "report_contains": [],
        "design": {
            "ok": False,
            "message_contains": "Too few rows: 6 rows with a target value give 4 for training",
        },
    },
    # ---- refused ---------------------------------------------------------------------
    {"file": "empty.csv", "ok": False, "app": True, "message_contains": "The file is empty"},
    {"file": "whitespace_only.csv", "ok": False, "message_contains": "The file is empty"},
    {
        "file": "header_only.csv",
        "ok": False,
        "app": True,
        "message_contains": "The file has column names ('x1', 'x2', 'y') but no data rows",
    },
    {"file": "binary.csv", "ok": False, "app": True, "message_contains": "binary file"},
    {"file": "xlsx_as_csv.csv", "ok": False, "app": True, "message_contains": "Save As > CSV"},
    {"file": "xls_as_csv.csv", "ok": False, "message_contains": "old Excel workbook (.xls)"},
    {"file": "pdf_as_csv.csv", "ok": False, "message_contains": "PDF document"},
    {"file": "gzip_as_csv.csv", "ok": False, "message_contains": "gzip-compressed"},
    {"file": "html_page.csv", "ok": False, "message_contains": "web page (HTML)"},
    {
        "file": "ragged_rows.csv",
        "ok": False,
        "app": True,
        "message_contains": "Line 5 has 5 values but the header has 4",
    },
    {
        "file": "ragged_after_quoted_newline.csv",
        "ok": False,
        "message_contains": "Line 5 has 4 values but the header has 3",
    },
    {
        "file": "unclosed_quote.csv",
        "ok": False,
        "message_contains": 'A quote mark (") opened on line 3 is never closed',
    },
    {
        "file": "all_columns_dropped.csv",
        "ok": False,
        "message_contains": "No usable column is left: 'id' is ID-like (row numbers 1 to 20; its name",
    },
    # ---- issue 17: exports as users upload them ----------------------------------------
    {
        "file": "excel_sep_hint.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["the first line 'sep=,' names the delimiter (skipped)"],
        "design": {"ok": True, "n_features": 3, "target": "y"},
    },
    {
        "file": "unquoted_thousands.csv",
        "ok": True,
        "shape": (40, 3),
        "app": True,
        "report_contains": [
            "mended 38 rows where a ',' thousands separator split a number into two values "
            "(e.g. line 4: '1,094.60' read as one number)",
            "'amount': thousands separators removed (e.g. '1,094.60' read as 1094.6)",
        ],
        "kinds": {"amount": "numeric"},
        "design": {"ok": True, "n_features": 2, "target": "y"},
    },
    {
        "file": "trailing_commas_rows.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["kept 4 columns: 4 numeric"],
        "design": {"ok": True, "n_features": 3, "target": "y"},
    },
    {
        "file": "currency_percent_accounting.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": [
            "'price': currency symbols removed (e.g. '$1,031.50' read as 1031.5)",
            "'discount': percent signs removed (the numbers are in percent) (e.g. '12.6%' read as 12.6)",
            "'balance': accounting negatives in parentheses (e.g. '(1.26)' read as -1.26)",
            "'margin': percent signs removed",
        ],
        "kinds": {"price": "numeric", "discount": "numeric", "margin": "numeric"},
        "design": {"ok": True, "n_features": 3, "target": "margin"},
    },
    {
        "file": "euro_nbsp_thousands.csv",
        "ok": True,
        "shape": (40, 3),
        "app": True,
        "report_contains": [
            "delimiter ';'",
            "'betrag': currency symbols removed (e.g. '12\\u2009345,67 €' read as 12345.67)",
            "'betrag': thousands separators removed",
        ],
        "kinds": {"betrag": "numeric"},
        "design": {"ok": True, "n_features": 2, "target": "betrag"},
    },
    {
        "file": "stata_missing.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["missing values: 9 cells in 2 columns ('x1': 5, 'y': 4)"],
        "design": {
            "ok": True,
            "n_features": 3,
            "target": "y",
            "lines_contain": ["dropped 4 rows with a missing target 'y'"],
        },
    },
    {
        "file": "sheets_errors.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["missing values: 10 cells in 2 columns ('x1': 7, 'y': 3)", "#DIV/0!"],
        "kinds": {"x1": "numeric", "y": "numeric"},
        "design": {"ok": True, "n_features": 3, "target": "y"},
    },
    {
        "file": "fortran_exponents.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["'x1': D exponents read as E (e.g. '1.2600D+02' read as 126)"],
        "kinds": {"x1": "numeric"},
        "design": {"ok": True, "n_features": 3, "target": "y"},
    },
    {
        "file": "amount_paid_not_id.csv",
        "ok": True,
        "shape": (40, 3),
        "report_contains": [
            "dropped 'customer_id': ID-like (a different whole number in every row; "
            "its name reads as an identifier)"
        ],
        "kinds": {"amount_paid": "numeric"},
        "design": {"ok": True, "n_features": 2, "target": "y", "features": ["amount_paid"]},
    },
    {
        "file": "r_write_csv.csv",
        "ok": True,
        "shape": (40, 4),
        "report_contains": ["dropped 'column_1': leftover index column", "'x1': 5"],
        "kinds": {"group": "categorical"},
        "design": {"ok": True, "n_features": 3, "target": "y"},
    },
    {
        "file": "qualtrics_export.csv",
        "ok": True,
        "shape": (40, 5),
        "report_contains": ["skipped 2 rows below the header: a survey export's question texts"],
        "kinds": {"StartDate": "date", "Q1": "numeric", "Q3": "numeric"},
        "design": {"ok": True, "n_features": 4, "target": "Q3"},
    },
    {
        "file": "large_but_allowed.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": ["kept 4 columns: 4 numeric"],
        "design": {"ok": True, "n_features": 3, "target": "y"},
    },
    {
        "file": "onehot_name_collision.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": ["'colour': categorical, 3 levels"],
        "design": {
            "ok": True,
            "n_features": 4,
            "target": "y",
            "features": ["colour=red", "colour=red_2", "colour=green"],
            "lines_contain": ["one-hot column 'colour=red' named 'colour=red_2'"],
        },
    },
    {
        "file": "total_footer.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": [
            "dropped 2 footer rows at the end of the file ('Total', 'Average'): a summary"
        ],
        "kinds": {"sales": "numeric", "x1": "numeric"},
        "design": {"ok": True, "n_features": 3, "target": "sales"},
    },
    {
        "file": "url_markdown_names.csv",
        "ok": True,
        "shape": (40, 4),
        "app": True,
        "report_contains": ["kept 4 columns: 4 numeric"],
        "kinds": {"https://example.com/a_b": "numeric", "[link](http://evil.example)": "numeric"},
        "design": {"ok": True, "n_features": 3, "target": "www.example.org"},
    },
    {
        "file": "extra_fields_every_row.csv",
        "ok": False,
        "app": True,
        "message_contains": "Line 2 has 3 values but the header has 2 (values separated by "
        "',' (comma)): '0.126', '-0.132', '1.463'",
    },
    {
        "file": "ambiguous_split.csv",
        "ok": False,
        "message_contains": "Line 6 has 4 values but the header has 3",
    },
    {
        "file": "huge_feature.csv",
        "ok": False,
        "app": True,
        "message_contains": "The column 'x1' holds a value of -5.72e+307, too large to work with in double precision",
    },
    {
        "file": "huge_target.csv",
        "ok": False,
        "message_contains": "The column 'y' holds a value of 7.5e+307, too large to work with in double precision",
    },
    {
        "file": "space_separated.csv",
        "ok": False,
        "message_contains": "The values seem to be separated by spaces (4 per line)",
    },
    {
        "file": "json_records.csv",
        "ok": False,
        "app": True,
        "message_contains": "This file is JSON",
    },
    {"file": "zip_of_csv.csv", "ok": False, "message_contains": "Unzip it and upload the CSV"},
]


def page_error(case: dict) -> str | None:
    """What the Data page must show as an error for this upload with default settings (None: it loads)."""
    if not case["ok"]:
        return case["message_contains"]
    design = case.get("design", {"ok": True})
    return None if design["ok"] else design["message_contains"]


APP_CASES = [case for case in CASES if case.get("app")]
