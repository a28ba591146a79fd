"""Scenario 6: a file that is not a CSV gets regcore's plain message; the next good file works.

The message on the page must be exactly the ``DataError`` that ``regcore.data.read_csv``
raises for the same bytes, in an error box, with no exception (traceback) anywhere.
"""

from pathlib import Path

import pytest
from path_page import ExpectedPath, PathReading, assert_matches, design_of, title
from playwright.sync_api import Page, expect
from st_driver import alerts, heading, nav_link, open_app, rerun, upload

from regcore.data import DataError, read_csv

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parents[1]
BAD = TESTS / "data" / "pdf_as_csv.csv"
GOOD = Path(__file__).parent / "data" / "flats.csv"


def test_bad_file_shows_the_plain_message_and_the_next_good_file_works(page: Page, checkpoint):
    with pytest.raises(DataError) as refused:
        read_csv(BAD.read_bytes())
    message = str(refused.value)
    good = design_of(GOOD.read_bytes())

    open_app(page, "/data", heading(page, "Data"))
    upload(page, BAD, alerts(page, "Error"))
    expect(alerts(page, "Error")).to_have_count(1)
    expect(alerts(page, "Error").get_by_test_id("stMarkdownContainer")).to_have_text(message)
    checkpoint("bad-file")

    upload(page, GOOD, alerts(page, "Success"))
    expect(alerts(page, "Error")).to_have_count(0)
    expect(alerts(page, "Success")).to_contain_text(
        f"{good.n_features} features · train {good.n_train} rows, test {good.n_test} rows"
    )
    checkpoint("good-file-after-bad")

    with rerun(page, title(page, "Lasso")):
        nav_link(page, "Path").click()
    expect(page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    assert_matches(
        PathReading.read(page),
        ExpectedPath.fit(good, "lasso"),
        "lasso on the good file after a bad one",
    )
    checkpoint("path-after-bad-file")
