"""How fast the Path figure redraws in the browser while λ moves (issue 15: ≥ 20 frames/s).

Starts ``streamlit run app.py`` on a free localhost port, opens the Path page in Chromium
(playwright, /usr/bin/chromium) and drives the figure's λ input from inside the page: a
script moves the input one grid step per animation frame (``requestAnimationFrame``), back
and forth over the grid, as a hand dragging faster than the figure can follow would, for
``--seconds``.  In every animation frame it reads the figure's λ readout from the SVG:
a readout different from the last one is one redraw of the figure completed.  The redraws
per second are printed beside the browser's own animation frames per second in the same
window (the peer: on a busy machine both fall).  No test driver stands between the input and
the figure, so the driver's own round trips (about 16 moves/s through playwright) do not
limit the count.

    python bench/drag.py                     # first sample, 3 s, 3 runs
    python bench/drag.py --seconds 2 --runs 1 --width 390

Only localhost traffic; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BROWSER_TESTS = ROOT / "tests" / "browser"
for where in (ROOT, BROWSER_TESTS):  # run as a script: neither is installed
    if str(where) not in sys.path:
        sys.path.insert(0, str(where))

from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from memory import Server  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from regcore.charts.path import STEP  # noqa: E402

TARGET_FPS = 20
FIGURE = '[data-testid="stVegaLiteChart"]'
STEP_INPUT = f'input[type="range"][name="{STEP}"]'

#: one grid step per animation frame, back and forth; counts frames and completed redraws
DRIVE_JS = """async ([figure, selector, seconds]) => {
  const range = document.querySelector(selector);
  const svg = document.querySelector(figure + ' svg');
  const readout = () => [...svg.querySelectorAll('text')].map((t) => t.textContent)
    .find((t) => t.startsWith('λ = ') && / non-zero$| effective df$/.test(t));
  const max = Number(range.max);
  let step = Number(range.value), way = 1, last = readout(), frames = 0, redraws = 0;
  return await new Promise((done) => {
    const t0 = performance.now();
    const tick = (now) => {
      const text = readout();
      if (text !== last) { redraws += 1; last = text; }
      if (now - t0 >= seconds * 1000) {
        done({frames, redraws, ms: now - t0});
        return;
      }
      frames += 1;
      if (step + way < 0 || step + way > max) way = -way;
      step += way;
      range.value = String(step);
      range.dispatchEvent(new Event('input', {bubbles: true}));
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}"""


def drive(page, seconds: float) -> tuple[float, float]:
    """(figure redraws per second, browser animation frames per second) over one run."""
    seen = page.evaluate(DRIVE_JS, [FIGURE, STEP_INPUT, seconds])
    per_s = 1000.0 / seen["ms"]
    return seen["redraws"] * per_s, seen["frames"] * per_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of one run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--width", type=int, default=1280, help="viewport width in px")
    parser.add_argument("--url", default="/", help="the Path page, with any query parameters")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        server = Server(Path(tmp) / "server.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
                context = browser.new_context(
                    viewport={"width": args.width, "height": 900}, base_url=server.url
                )
                context.set_default_timeout(120_000)
                page = context.new_page()
                page.goto(args.url)
                page.locator(STEP_INPUT).wait_for(state="attached")
                page.locator(f"{FIGURE} svg text").first.wait_for(state="attached")
                page.wait_for_timeout(1000)
                runs = [drive(page, args.seconds) for _ in range(args.runs)]
                browser.close()
        finally:
            server.stop()

    print(f"Path figure redraws while λ moves every animation frame ({args.width} px wide)")
    for i, (redraws, frames) in enumerate(runs, start=1):
        print(
            f"  run {i}: {redraws:5.1f} redraws/s; the browser ran {frames:5.1f} "
            f"animation frames/s (ratio {redraws / max(frames, 1e-9):.2f})"
        )
    median = statistics.median(r for r, _ in runs)
    verdict = "PASS" if median >= TARGET_FPS else "MISS"
    print(f"median {median:.1f} redraws/s (target >= {TARGET_FPS}): {verdict}")


if __name__ == "__main__":
    main()
