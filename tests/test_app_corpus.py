"""The corpus files flagged for the app, uploaded through the Data page as a user would.

Each file either shows the reader's (or the design's) plain message as an error, with no
exception, or loads and reaches a working Path page.  Expectations come from
tests/data/cases.py, shared with the reader's own tests.
"""

import pytest
from data.cases import APP_CASES, DATA_DIR, page_error
from test_app import assert_clean, go, metrics, start

from dashboard import show


@pytest.mark.parametrize("case", APP_CASES, ids=[case["file"] for case in APP_CASES])
def test_an_uploaded_corpus_file_shows_its_message_or_loads(case):
    at = go(start(), "data")
    at.file_uploader(key="uploader").upload(
        case["file"], (DATA_DIR / case["file"]).read_bytes(), "text/csv"
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    expected = page_error(case)
    if expected is not None:
        shown = [show.unliteral(e.value) for e in at.error]
        assert any(expected in text for text in shown), shown
        return
    assert_clean(at)
    go(at, "path")
    assert_clean(at)
    assert metrics(at)["non-zero coefficients"].endswith(f"of {case['design']['n_features']}")
