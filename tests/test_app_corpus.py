"""The corpus files flagged for the app, uploaded through the Data page as a user would.

Each file either shows the reader's (or the design's) plain message as an error, with no
exception, on every page; or it loads, and every page runs with no exception and draws its
charts.  Expectations come from tests/data/cases.py, shared with the reader's own tests.
"""

import pytest
from data.cases import APP_CASES, DATA_DIR, page_error
from test_app import PAGES, assert_clean, go, metrics, start

from dashboard import show

CHART_PAGES = ("path", "cv", "compare", "descent")


def upload(at, name: str):
    return (
        at.file_uploader(key="uploader")
        .upload(name, (DATA_DIR / name).read_bytes(), "text/csv")
        .run()
    )


@pytest.mark.parametrize("case", APP_CASES, ids=[case["file"] for case in APP_CASES])
def test_an_uploaded_corpus_file_shows_its_message_or_loads_on_every_page(case):
    at = upload(go(start(), "data"), case["file"])
    assert not at.exception, [e.value for e in at.exception]
    expected = page_error(case)
    if expected is not None:
        shown = [show.unliteral(e.value) for e in at.error]
        assert any(expected in text for text in shown), shown
        for page in PAGES:
            go(at, page)
            assert not at.exception, (page, [e.value for e in at.exception])
        return
    assert_clean(at)
    target = case["design"].get("target")
    if target is not None:
        chosen = [box.value for box in at.selectbox if box.label.startswith("Target")]
        assert chosen == [target]
    for page in PAGES:
        go(at, page)
        assert_clean(at)
        assert not at.warning, (page, [w.value for w in at.warning])  # a chart that failed
        if page in CHART_PAGES:
            assert at.get("vega_lite_chart"), f"{page} drew no chart"
        if page == "path":
            n_features = case["design"]["n_features"]
            assert metrics(at)["non-zero coefficients"].endswith(f"of {n_features}")
