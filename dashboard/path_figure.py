"""The Path page's figure in the browser: built once per path, λ moved and played client-side.

``regcore.charts.path.path_figure`` holds the whole path in one Vega-Lite spec whose
parameter ``STEP`` (bound to a range input under the figure) drives the λ markers, the
error readout and the bars, so dragging that input redraws the charts with no server round
trip.  The spec is cached per path, scale and reference λ; a server-side λ move only copies
it with another starting step.

Play cannot be written in Vega-Lite as Streamlit embeds it: a variable parameter has no
event stream, and the only timer Vega-Lite compiles (its animation of a ``time``
encoding) refuses layered and concatenated views and has no pause.  So the ▶ Play button is
a few lines of page script (``st.html``) that move that same range input, frame by frame,
from where it stands to the smallest λ; pressed again it pauses, and the input stays where
the sweep stopped.
"""

from __future__ import annotations

import streamlit as st
from streamlit import dataframe_util

from dashboard import resources, show
from regcore.charts import classify as classify_charts
from regcore.charts import path as path_charts

SWEEP_MS = 1500  # Play crosses the whole grid in this time, whatever its length

INPUTS_ID = "regcore-path-inputs"  # where Vega puts the figure's λ input and search box

PLAY_HTML = """
<style>
#INPUTS { display: flex; flex-wrap: wrap; gap: 0.25rem 1.5rem; align-items: center; flex: 1; }
#INPUTS .vega-bind { display: flex; align-items: center; gap: 0.5rem; flex: 1 1 16rem; }
#INPUTS .vega-bind label { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem;
  width: 100%; }
#INPUTS .vega-bind-name { font-size: 0.875rem; white-space: nowrap; }
#INPUTS input[type="range"] { flex: 1; min-width: 8rem; accent-color: #d62ba0; }
#INPUTS input[type="search"] { font: inherit; padding: 0.2rem 0.5rem; border-radius: 0.4rem;
  border: 1px solid rgba(128, 128, 128, 0.5); background: transparent; color: inherit; }
.regcore-play-row { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
.regcore-play-row button { font: inherit; padding: 0.25rem 0.75rem; border-radius: 0.5rem;
  cursor: pointer; border: 1px solid rgba(128, 128, 128, 0.5); background: transparent;
  color: inherit; min-width: 6.5rem; }
</style>
<div class="regcore-play-row">
<button type="button" data-regcore-play title="Sweep λ in the browser from where the λ input
stands down to the smallest λ of the grid; press again to pause.">▶ Play</button>
<div id="INPUTS"></div>
</div>
<script>
(() => {
  if (window.__regcorePlay) return;
  // one step per drawn frame: the next step waits until Vega has redrawn the last one
  const play = window.__regcorePlay = {playing: false, from: 0, t0: 0, sent: 0, drawn: true};
  const input = () => document.querySelector('#INPUTS input[type="range"][name="STEP"]');
  const figure = () => document.querySelector('[data-testid="stVegaLiteChart"] svg');
  const watch = new MutationObserver(() => { play.drawn = true; });
  const label = (text) => {
    for (const b of document.querySelectorAll("[data-regcore-play]")) b.textContent = text;
  };
  const stop = () => { play.playing = false; watch.disconnect(); label("▶ Play"); };
  const frame = (now) => {
    const range = input();
    if (!play.playing || !range) return stop();
    const max = Number(range.max);
    const step = Math.min(max, play.from + Math.floor((now - play.t0) * max / SWEEP_MS));
    const ready = play.drawn || now - play.sent > 250;
    if (ready && Number(range.value) !== step) {
      play.drawn = false;
      play.sent = now;
      range.value = String(step);
      range.dispatchEvent(new Event("input", {bubbles: true}));
    }
    if (Number(range.value) >= max) return stop();
    requestAnimationFrame(frame);
  };
  document.addEventListener("click", (event) => {
    if (!event.target.closest("[data-regcore-play]")) return;
    const range = input();
    if (!range) return;
    if (play.playing) return stop();
    play.from = Number(range.value) >= Number(range.max) ? 0 : Number(range.value);
    play.playing = true;
    play.drawn = true;
    const svg = figure();
    if (svg) watch.observe(svg, {subtree: true, childList: true, characterData: true});
    label("⏸ Pause");
    requestAnimationFrame((now) => { play.t0 = now; frame(now); });
  });
})();
</script>
"""
for name, value in {
    "INPUTS": INPUTS_ID,
    "STEP": path_charts.STEP,
    "SWEEP_MS": str(SWEEP_MS),
}.items():
    PLAY_HTML = PLAY_HTML.replace(name, value)


@st.cache_resource(**resources.CHARTS, show_spinner="Drawing the path…")
def figure_spec(
    digest: str,
    design_key: tuple,
    fit_key: tuple,
    penalty: str,
    alpha: float | None,
    standardized: bool,
    references: tuple[tuple[float, str], ...],
    _view,
) -> dict:
    """``path_figure`` of the view's path (shared, read-only: ``at_step`` copies it), its
    datasets already Arrow bytes, which Streamlit passes on as they are: converting them
    again on every λ move was a third of the server's time for the move."""
    spec = path_charts.path_figure(
        _view.path,
        _view.train_mse,
        _view.test_mse,
        standardized=standardized,
        references=list(references),
        inputs=f"#{INPUTS_ID}",
    )
    spec["datasets"] = {
        name: dataframe_util.convert_anything_to_arrow_bytes(data)
        for name, data in spec["datasets"].items()
    }
    return spec


def show_bars(names, coef, title: str) -> None:
    """One model's coefficient bars (least squares: no path, no λ to move)."""
    show.chart(
        lambda: path_charts.coefficient_bars_figure(names, coef, title=title), "coefficient bars"
    )


def show_figure(
    loaded,
    penalty: str,
    alpha: float | None,
    standardized: bool,
    view,
    lam: float,
    references,
    measure: str | None = None,
) -> None:
    """The Path page's figure at ``lam`` (nearest grid λ) with its ▶ Play button.

    ``references``: (λ, label) pairs marked dashed (λ_min, λ_1se).  A failure to draw is
    shown in plain words in the figure's place.  ``measure``: a two-class model's error drawn
    in the view's MSE slots (``regcore.charts.classify.renamed_errors``).
    """
    st.html(PLAY_HTML, unsafe_allow_javascript=True)
    renamed = (
        (lambda spec: spec)
        if measure is None
        else (lambda spec: classify_charts.renamed_errors(spec, measure))
    )
    show.chart(
        lambda: path_charts.at_step(
            renamed(
                figure_spec(
                    loaded.source.digest,
                    loaded.settings.design_key(),
                    loaded.settings.fit_key(),
                    penalty,
                    alpha,
                    standardized,
                    tuple((float(v), str(text)) for v, text in references),
                    view,
                )
            ),
            path_charts.step_of(view.path, lam),
        ),
        "path charts",
    )
