"""Drive and read a Streamlit app in Chromium, waiting on Streamlit instead of sleeping.

What Streamlit (1.67) does that these helpers rely on:

- the server talks to the page over one websocket (``/_stcore/stream``), one protobuf
  ``ForwardMsg`` per frame; every script run ends with a ``script_finished`` message;
- ``[data-testid="stApp"]`` carries ``data-test-connection-state`` ("CONNECTED" once the
  websocket is up) and ``data-test-script-state`` ("running" / "notRunning"); elements of
  the previous run stay with ``data-stale="true"`` until the new run replaces them;
  ``stStatusWidget`` is the "Running..." indicator;
- widgets are react-aria controls: a slider is an ``<input type="range">`` (role
  "slider", its ``value`` the option index), a selectbox a ``combobox`` whose options
  open on ArrowDown, a radio group a ``radiogroup`` named by its label.

The contract for every action: open the page with ``open_app`` (it keeps the page's
websocket), then wrap each action in ``with rerun(page, *expected):``.  That waits for the
server to report a finished script run *after* the action (a DOM attribute alone can flip
and flip back within one React render), then for ``expected`` to be visible, the page to
be idle (not running, nothing stale, no "Running..."), and checks ``expected`` again.
Pass in ``expected`` what the new run shows, so a chain of runs (a widget callback, a page
switch) is waited for to its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from os import PathLike
from weakref import WeakKeyDictionary

from google.protobuf.message import DecodeError
from playwright.sync_api import Locator, Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RUN_TIMEOUT_MS = 30_000
STREAM_PATH = "/_stcore/stream"

_streams: WeakKeyDictionary[Page, WebSocket] = WeakKeyDictionary()

_RECORD_TEXTS_JS = """([name, selector]) => {
  window.__regcoreSeen = window.__regcoreSeen || {};
  const seen = window.__regcoreSeen[name] = [];
  const look = () => {
    for (const el of document.querySelectorAll(selector)) {
      const text = (el.innerText ?? el.textContent ?? '').trim();
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }
  };
  look();
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def _message(payload: bytes | str) -> ForwardMsg | None:
    if isinstance(payload, str):
        return None
    try:
        return ForwardMsg.FromString(payload)
    except DecodeError:
        return None


def _run_finished(payload: bytes | str) -> bool:
    """A ``script_finished`` message, except for a run cut short by the next one."""
    message = _message(payload)
    return (
        message is not None
        and message.WhichOneof("type") == "script_finished"
        and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
    )


def stream(page: Page) -> WebSocket:
    """The page's websocket to the Streamlit server (the page must be opened with ``open_app``)."""
    if page not in _streams:
        raise RuntimeError("open the page with open_app() first: it keeps the page's websocket")
    return _streams[page]


def wait_for_run(page: Page, *expected: Locator, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Wait for ``expected`` to be visible and the page to be idle, then check ``expected`` again."""
    for locator in expected:
        expect(locator).to_be_visible(timeout=timeout)
    app = page.get_by_test_id("stApp")
    expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=timeout)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout)
    expect(page.locator('[data-stale="true"]')).to_have_count(0, timeout=timeout)
    for locator in expected:
        expect(locator).to_be_visible(timeout=timeout)


@contextmanager
def rerun(page: Page, *expected: Locator, timeout: float = RUN_TIMEOUT_MS) -> Iterator[None]:
    """Run the action in the ``with`` block, then wait for the run it triggers (see the module)."""
    with stream(page).expect_event("framereceived", predicate=_run_finished, timeout=timeout):
        yield
    wait_for_run(page, *expected, timeout=timeout)


def open_app(page: Page, url: str, *expected: Locator, timeout: float = RUN_TIMEOUT_MS) -> None:
    """Load ``url``, keep its websocket, wait for the first run to show ``expected`` and finish.

    Pass what the page shows in ``expected``: the first run's ``script_finished`` may come
    before the websocket is handed over, so here the page's own state is what is waited on.
    """
    with page.expect_websocket(lambda ws: ws.url.endswith(STREAM_PATH), timeout=timeout) as opened:
        page.goto(url)
    _streams[page] = opened.value
    expect(page.get_by_test_id("stApp")).to_have_attribute(
        "data-test-connection-state", "CONNECTED", timeout=timeout
    )
    wait_for_run(page, *expected, timeout=timeout)


# ---------------------------------------------------------------- finding things
def heading(page: Page, text: str) -> Locator:
    return page.get_by_role("heading", name=text, exact=True)


def nav_link(page: Page, title: str) -> Locator:
    """The sidebar navigation link to the page called ``title``."""
    return page.get_by_test_id("stSidebarNav").get_by_role("link", name=title, exact=True)


def slider(page: Page, label: str) -> Locator:
    """A slider or select-slider by its label (the ``<input type="range">``).

    Found inside its labelled group: react-aria names the input by its own label and the
    group's, so the input's accessible name is the label twice.
    """
    return page.get_by_role("group", name=label, exact=True).get_by_role("slider")


def slider_index(page: Page, label: str) -> int:
    """The position of a slider; for a select-slider, the index of the chosen option."""
    return int(slider(page, label).get_attribute("value"))


def radio_option(page: Page, group: str, option: str) -> Locator:
    return page.get_by_role("radiogroup", name=group, exact=True).get_by_text(option, exact=True)


def metric(page: Page, label: str) -> Locator:
    """The value of the ``st.metric`` whose label is exactly ``label``."""
    label_el = page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    return page.get_by_test_id("stMetric").filter(has=label_el).get_by_test_id("stMetricValue")


def metric_text(page: Page, label: str) -> str:
    value = metric(page, label)
    expect(value).to_have_count(1)
    return value.inner_text().strip()


def alerts(page: Page, kind: str) -> Locator:
    """``st.error`` / ``st.warning`` / ``st.success`` / ``st.info`` boxes: kind "Error", "Success", ..."""
    return page.get_by_test_id(f"stAlertContent{kind}")


# ---------------------------------------------------------------- acting
def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (the caller waits for the rerun)."""
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press("ArrowDown")  # a click focuses the react-aria combobox; ArrowDown opens its list
    page.get_by_role("option", name=option, exact=True).click()


def upload(page: Page, file: str | PathLike, *expected: Locator) -> None:
    """Put ``file`` into the page's file input; wait for the run that shows ``expected``."""
    with rerun(page, *expected):
        page.locator('input[type="file"]').set_input_files(str(file))


def record_messages(page: Page, pattern: str) -> list[str]:
    """A list that fills with every match of ``pattern`` in what the server sends from now on.

    For things a run shows only while it lasts (a progress bar of a run that takes a few
    milliseconds): the browser may never paint them, but the server must have sent them.
    """
    found: list[str] = []
    regex = re.compile(pattern.encode())

    def look(payload: bytes | str) -> None:
        data = payload if isinstance(payload, bytes) else payload.encode()
        found.extend(match.group(0).decode() for match in regex.finditer(data))

    stream(page).on("framereceived", look)
    return found


def record_texts(page: Page, name: str, selector: str) -> None:
    """Remember the texts of elements matching ``selector``: now, and each time one changes.

    For what a long run paints and then replaces (the frames of a replay), which a wait
    after the run cannot see any more.  Read them back with ``recorded_texts``.
    """
    page.evaluate(_RECORD_TEXTS_JS, [name, selector])


def recorded_texts(page: Page, name: str) -> list[str]:
    return page.evaluate("name => (window.__regcoreSeen || {})[name] || []", name)


# ---------------------------------------------------------------- reading numbers
def shown_matches(shown: str, value: float) -> bool:
    """Whether ``value`` rounds to ``shown``: |value − shown| ≤ half a unit of its last digit."""
    number = Decimal(shown.replace("−", "-").replace(",", ""))
    half_unit = 0.5 * 10.0 ** number.as_tuple().exponent
    return abs(float(number) - value) <= half_unit * (1 + 1e-9) + 1e-12 * abs(value)


def count_of(shown: str) -> tuple[int, int]:
    """(k, p) from a count shown as "k of p"."""
    match = re.fullmatch(r"\s*(\d+) of (\d+)\s*", shown)
    assert match, f"expected a count like '3 of 7', the page shows {shown!r}"
    return int(match.group(1)), int(match.group(2))
