"""Scenario 4: play the gradient-descent updates on the article page; the L1 proximal weight lands exactly on 0.

The page opens with λ above the one-feature λ_max, where the lasso's best w is 0: the
proximal (soft-threshold) step must end exactly at 0, the L1 subgradient step must not.
"Play" must redraw the trajectory step by step (its chart title counts the steps).
"""

import re

import pytest
from playwright.sync_api import Page, expect
from st_driver import heading, open_app, record_texts, recorded_texts, rerun

from regcore.article.updates import RULES

pytestmark = pytest.mark.browser

STEP_TITLE = re.compile(r"w after (\d+) steps")
TITLES = '[data-testid="stVegaLiteChart"] .role-title-text'


def final_statement(page: Page, rule: str):
    """The sentence that says where the rule's weight ended, e.g. "L1 proximal (...): ... ended at exactly 0."."""
    return page.get_by_test_id("stMarkdownContainer").filter(
        has_text=re.compile(rf"^{re.escape(RULES[rule].label)}:")
    )


def test_playing_the_updates_the_proximal_l1_weight_reaches_exactly_zero(page: Page, checkpoint):
    prox, subgradient = final_statement(page, "l1_prox"), final_statement(page, "l1")
    open_app(page, "/descent", heading(page, "L1 and L2 regularisation, step by step"), prox)
    # Vega paints a chart's title after the element appears: wait for it, or the recording
    # below could start without the page's own frame and see the replay's first one first
    expect(page.locator(TITLES).first).to_have_text(STEP_TITLE)

    record_texts(page, "titles", TITLES)
    with rerun(page, prox):
        page.get_by_role("button", name="▶ Play").click()

    shown_before, *seen = [
        int(m.group(1))
        for text in recorded_texts(page, "titles")
        if (m := STEP_TITLE.fullmatch(text))
    ]
    # Vega may repaint the standing chart (same title) while the sections above it rerun;
    # the replay starts at its first frame below where the page stood
    start = next((i for i, k in enumerate(seen) if k < shown_before), len(seen))
    played = seen[start:]
    assert len(set(played)) > 5, (
        f"Play should redraw the trajectory frame by frame; titles seen: {played}"
    )
    assert played == sorted(played), f"the replay should move forward from the start: {played}"
    assert played[0] < played[-1] == shown_before, (
        f"the replay should end where the page stood: {played}"
    )

    expect(prox).to_have_count(1)
    expect(prox).to_contain_text("ended at exactly 0.")
    assert int(re.search(r"sat exactly at 0 on (\d+) of them", prox.inner_text()).group(1)) > 0
    expect(subgradient).to_contain_text("(not 0).")
    expect(
        page.get_by_test_id("stVegaLiteChart")
        .locator(".role-title-text")
        .get_by_text(f"w after {shown_before} steps", exact=True)
    ).to_have_count(1)
    checkpoint("after-play")
