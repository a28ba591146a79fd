"""Scenario (d): λ follows the hand.  The Path figure redraws in the browser while its λ input
is dragged (before the mouse is released, with no script run on the server), and ▶ Play
sweeps it to the smallest λ in at most 2 s, pauses, and leaves the input where it stopped.

What is read: the figure's SVG (Streamlit draws it with Vega's SVG renderer), i.e. the two
λ readouts the figure writes at the current λ ("λ = …: k non-zero" on the paths, "λ = …:
train …, test …" on the errors) and the bar labels, each compared with regcore's path at
the input's grid step.  Frame rates are counted from the SVG: an animation frame in which
Vega changed the figure is one frame drawn.
"""

from __future__ import annotations

import re
import time

import pytest
from path_page import ExpectedPath, design_of, title
from playwright.sync_api import Page, expect
from st_driver import open_app, shown_matches, stream
from streamlit.proto.BackMsg_pb2 import BackMsg

from regcore.charts.path import BAR_LABELS_VIEW, STEP
from regcore.datasets import SAMPLES, sample_bytes, sample_names

pytestmark = pytest.mark.browser

FIGURE = '[data-testid="stVegaLiteChart"]'
STEP_INPUT = f'input[type="range"][name="{STEP}"]'
PLAY_LIMIT_S = 2.0  # the bound for a sweep of 100 λ
READOUT = re.compile(r"λ = ([-\d.e+]+): (\d+) non-zero")
ERRORS_READOUT = re.compile(r"λ = ([-\d.e+]+): train ([-\d.e+]+), test ([-\d.e+]+)")

# Count animation frames in which Vega changed the figure's SVG, and remember each readout.
_WATCH_JS = """([selector, step]) => {
  const svg = document.querySelector(selector + ' svg');
  const seen = window.__regcoreFrames = {
    frames: [], ticks: [], inputs: [], readouts: [], dirty: false};
  document.querySelector(step).addEventListener('input', () => seen.inputs.push(performance.now()));
  new MutationObserver(() => { seen.dirty = true; }).observe(
    svg, {subtree: true, childList: true, attributes: true, characterData: true});
  const readout = () => [...svg.querySelectorAll('text')].map(t => t.textContent)
    .find(t => / non-zero$/.test(t) && t.startsWith('λ = '));
  const tick = (now) => {
    seen.ticks.push(now);
    if (seen.dirty) {
      seen.dirty = false;
      seen.frames.push(now);
      const text = readout();
      if (text && seen.readouts[seen.readouts.length - 1] !== text) seen.readouts.push(text);
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

_READ_JS = """(selector) => [...document.querySelectorAll(selector)].map(t => t.textContent)"""
BAR_LABELS = f'{FIGURE} svg [class*="{BAR_LABELS_VIEW}"] text'


def svg_texts(page: Page, selector: str = f"{FIGURE} svg text") -> list[str]:
    return page.evaluate(_READ_JS, selector)


def readouts(page: Page) -> tuple[re.Match, re.Match]:
    """The paths' and the errors' readouts at the current λ, as drawn now."""
    texts = svg_texts(page)
    paths = [m for t in texts if (m := READOUT.fullmatch(t))]
    errors = [m for t in texts if (m := ERRORS_READOUT.fullmatch(t))]
    assert len(paths) == 1 and len(errors) == 1, f"one readout each expected, drawn: {texts}"
    return paths[0], errors[0]


def assert_figure_at(page: Page, expected: ExpectedPath, step: int, what: str) -> None:
    """The figure's readouts and bars show regcore's path at grid step ``step``."""
    path = expected.path
    paths, errors = readouts(page)
    lam = float(path.lambdas[step])
    assert shown_matches(paths.group(1), lam), (
        f"{what}: λ drawn {paths.group(1)}, grid[{step}] {lam}"
    )
    assert int(paths.group(2)) == int(path.n_nonzero[step]), f"{what}: {paths.group(0)}"
    assert shown_matches(errors.group(2), float(expected.train_mse[step])), errors.group(0)
    assert shown_matches(errors.group(3), float(expected.test_mse[step])), errors.group(0)
    labels = sorted(svg_texts(page, BAR_LABELS), key=lambda t: float(t.replace("−", "-")))
    coef = sorted(path.coef_std[step])  # the page opens on the standardised scale
    assert len(labels) == len(coef), f"{what}: {len(labels)} bar labels, {len(coef)} features"
    for label, value in zip(labels, coef, strict=True):
        assert (value == 0) if label == "0" else shown_matches(label, value), (
            f"{what}: bar labels {labels}, regcore {coef}"
        )


def watched(page: Page) -> dict:
    return page.evaluate("() => window.__regcoreFrames")


def rate(frames: list[float], start: float, end: float) -> float:
    """Frames drawn per second between two ``performance.now()`` times."""
    inside = [t for t in frames if start <= t <= end]
    return len(inside) / max((end - start) / 1000.0, 1e-9)


def report(what: str, seen: dict, start: float, end: float) -> None:
    """Print the figure's redraw rate beside the browser's own frame rate in the same window
    (its peer: on a busy machine both fall)."""
    drawn, ticks = rate(seen["frames"], start, end), rate(seen["ticks"], start, end)
    moves = rate(seen["inputs"], start, end)
    print(
        f"\n{what}: the figure redrew {drawn:.1f} times/s for {moves:.1f} λ moves/s; the "
        f"browser ran {ticks:.1f} animation frames/s (ratio {drawn / max(ticks, 1e-9):.2f})"
    )


def now_ms(page: Page) -> float:
    return page.evaluate("() => performance.now()")


def set_step(page: Page, step: int) -> None:
    page.evaluate(
        """([selector, step]) => { const r = document.querySelector(selector);
        r.value = String(step); r.dispatchEvent(new Event('input', {bubbles: true})); }""",
        [STEP_INPUT, step],
    )


@pytest.fixture
def opened(page: Page):
    """The Path page on the first sample (lasso), its figure watched, and regcore's path."""
    first = sample_names()[0]
    step_input = page.locator(STEP_INPUT)
    open_app(page, "/", title(page, "Lasso"), step_input)
    expect(page.locator(f"{FIGURE} svg text").first).to_be_attached()
    page.evaluate(_WATCH_JS, [FIGURE, STEP_INPUT])
    expected = ExpectedPath.fit(design_of(sample_bytes(first), SAMPLES[first].target), "lasso")
    return page, step_input, expected


def test_dragging_lambda_redraws_the_figure_before_release_without_the_server(opened, checkpoint):
    page, step_input, expected = opened
    reruns: list[str] = []

    def sent(payload: bytes | str) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).HasField("rerun_script"):
            reruns.append("rerun")

    stream(page).on("framesent", sent)
    n_steps = int(step_input.get_attribute("max")) + 1
    assert n_steps == int((expected.path.lambdas > 0).sum())
    set_step(page, 0)
    expect(step_input).to_have_value("0")
    assert_figure_at(page, expected, 0, "at λ_max")

    step_input.scroll_into_view_if_needed()
    box = step_input.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + 2, y)
    page.mouse.down()
    start = now_ms(page)
    moves = 60
    for i in range(1, moves + 1):  # about one second of a hand moving right
        page.mouse.move(box["x"] + 2 + (box["width"] - 4) * i / moves * 0.7, y)
        page.wait_for_timeout(16)
    end = now_ms(page)
    held = int(step_input.input_value())
    assert held > 0, "the λ input did not move under the mouse"
    page.wait_for_timeout(100)  # the mouse rests, still pressed: let Vega draw the last move
    assert_figure_at(page, expected, held, "mouse still down")
    seen = watched(page)
    page.mouse.up()

    assert len(seen["readouts"]) >= 5, f"the figure redrew only {seen['readouts']} while dragging"
    report("drag", seen, start, end)
    assert not reruns, "dragging the figure's λ asked the server for a script run"
    expect(page.get_by_test_id("stApp")).to_have_attribute("data-test-script-state", "notRunning")
    checkpoint("after-drag")


def test_play_reaches_the_smallest_lambda_within_two_seconds_and_pause_holds(opened, checkpoint):
    page, step_input, expected = opened
    last = int(step_input.get_attribute("max"))
    play = page.locator("[data-regcore-play]")
    expect(play).to_have_text("▶ Play")

    start_step = last // 4  # Play starts from where the input stands, not from λ_max
    set_step(page, start_step)
    page.evaluate("() => { window.__regcoreFrames.readouts = []; }")
    start, wall = now_ms(page), time.monotonic()
    play.click()
    page.wait_for_function(
        "([sel, last]) => Number(document.querySelector(sel).value) === last",
        arg=[STEP_INPUT, last],
        timeout=10_000,
        polling="raf",
    )
    took = time.monotonic() - wall
    end = now_ms(page)
    expect(play).to_have_text("▶ Play")
    seen = watched(page)
    report(f"Play ({last - start_step} λ in {took:.2f} s)", seen, start, end)
    assert took <= PLAY_LIMIT_S * (last + 1) / 100, f"Play took {took:.2f} s for {last + 1} λ"
    drawn = [float(READOUT.fullmatch(t).group(1)) for t in seen["readouts"]]
    assert len(drawn) >= 3 and drawn == sorted(drawn, reverse=True), drawn  # λ only goes down
    assert drawn[0] <= float(expected.path.lambdas[start_step]) * (1 + 1e-3), drawn[:3]
    page.wait_for_timeout(100)  # let Vega finish the last frame
    assert_figure_at(page, expected, last, "after Play")

    set_step(page, 0)  # from λ_max again, then pause half-way
    play.click()
    page.wait_for_function(
        "([sel, last]) => Number(document.querySelector(sel).value) > last / 10",
        arg=[STEP_INPUT, last],
        polling="raf",
    )
    play.dispatch_event("click")  # at once: a click's checks could outlast the sweep
    expect(play).to_have_text("▶ Play")
    stopped = int(step_input.input_value())
    page.wait_for_timeout(300)  # a paused sweep must not move on
    assert int(step_input.input_value()) == stopped < last
    assert_figure_at(page, expected, stopped, "paused")
    checkpoint("paused")
