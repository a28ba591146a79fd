"""Charts of a regularisation path: coefficients, errors and the model at one λ.

Pure functions: a ``regcore.Path`` (or arrays) in, an Altair chart out, so tests read the
data and encodings through ``chart.to_dict()``.  The ``*_frame`` functions build the tidy
data each chart draws.  λ runs along a log₁₀ axis drawn right-to-left in λ, so the penalty
weakens from left to right as Play sweeps it.

``path_figure`` is the Path page's figure: the coefficient paths, the train and test
errors and the bars of the coefficients at one λ, stacked in one Vega-Lite spec that holds
the whole path once.  One parameter, ``STEP`` (the grid index of the current λ, 0 at
λ_max), is bound to a range input under the figure; the λ markers, the error readout and
the bars filter on it, so moving that input redraws the three charts in the browser with
no server round trip.  The server only sets the parameter's starting value (``at_step``).
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

MAX_LINES = 60  # more coefficient lines than this are unreadable; the largest are drawn
MAX_BARS = 40
MAX_LABELS = 10  # line-end labels (and distinct colours) for the largest coefficients
GUIDE_COLOUR = "#8c8c8c"  # markers, labels and zeros: a mid grey, readable on light and dark themes
FADED_COLOUR = GUIDE_COLOUR  # lines without a name of their own, and lines not highlighted
#: the named lines' colours (Tableau 10), fixed here so light and dark themes draw the same
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)
HIGHLIGHT_COLOUR = "#d62ba0"  # a highlighted line that has no colour of its own
SET_COLOURS = {"train": "#1f6fb4", "test": "#e8710a"}  # blue solid, orange dashed
SET_DASHES = {"train": [1, 0], "test": [6, 3]}
SIGN_COLOURS = {"positive": "#4c78a8", "negative": "#e45756", "zero": GUIDE_COLOUR}
MARKER_STYLES = ["current", "reference"]
LOG_LAMBDA_TITLE = "log₁₀ λ  (penalty weakens →)"
LABEL_GAP_PX = 12  # vertical room one line-end label needs
LABEL_ROW_PX = 14  # one row of the label strip above a chart (see ``strip_y``)
UNPENALISED_DASH = [6, 3]  # the lines of features the penalty leaves alone
PENALTIES = ["penalised", "unpenalised"]
PATHS_HEIGHT, ERRORS_HEIGHT, BAR_HEIGHT = 300, 220, 18
DEFAULT_WIDTH = 640  # Streamlit stretches each chart to the page's width

#: the parameter the figure's λ follows, its range input, and the feature search box
STEP = "lambda_step"
SEARCH = "feature_search"
HOVER, PICK = "hover_feature", "picked_feature"
LINES_VIEW, BARS_VIEW = "coefficient_lines", "coefficient_bars"  # where features are picked
BAR_LABELS_VIEW = "coefficient_labels"
STEP_INPUT = "λ on the grid (0 = λ_max; drag, or ▶ Play) "
SEARCH_INPUT = "highlight features "
AT_STEP = f"datum.step == {STEP}"
#: the figure's datasets, by name: each is sent once, as a table, beside the spec
STEPS, COEFFICIENTS, LINE_ENDS, COUNT_TICKS = "steps", "coefficients", "line_ends", "count_ticks"
BARS = "bars"
SEARCHED = f"{SEARCH} != '' && indexof(lower(datum.feature), lower({SEARCH})) >= 0"
ANY_HIGHLIGHT = (
    f"(length(data('{HOVER}_store')) > 0 || length(data('{PICK}_store')) > 0 || {SEARCH} != '')"
)


def lambda_axis(domain: Sequence[float] | None = None) -> alt.X:
    scale = alt.Scale(reverse=True, zero=False, nice=False)
    if domain is not None:
        scale = alt.Scale(reverse=True, zero=False, nice=False, domain=list(domain))
    return alt.X("log10_lambda:Q", title=LOG_LAMBDA_TITLE, scale=scale)


def positive_lambdas(lambdas) -> np.ndarray:
    lambdas = np.asarray(lambdas, dtype=float)
    keep = lambdas > 0
    if not keep.any():
        raise ValueError("This path has no λ > 0 (no penalty), so there is no path to draw.")
    return keep


def largest_features(coef: np.ndarray, names: Sequence[str], limit: int) -> list[str]:
    """The ``limit`` features with the largest |coefficient| anywhere along the rows of coef."""
    if len(names) <= limit:
        return list(names)
    order = np.argsort(-np.max(np.abs(np.atleast_2d(coef)), axis=0), kind="stable")[:limit]
    return [names[j] for j in sorted(order)]


def markers_frame(markers) -> pd.DataFrame:
    """Rows for vertical λ markers from (λ, label) pairs: the first is the current λ, the rest references.

    Columns: lambda, log10_lambda, label, style ("current" for the first, drawn solid and
    wider; "reference" after, dashed), label_y (the label's pixel offset from the top, one
    line per marker).
    """
    lams = [float(lam) for lam, _ in markers]
    return pd.DataFrame(
        {
            "lambda": lams,
            "log10_lambda": np.log10(lams),
            "label": [label for _, label in markers],
            "style": ["current" if i == 0 else "reference" for i in range(len(lams))],
            "label_y": [2 + 14 * i for i in range(len(lams))],
        }
    )


def marker_layers(frame: pd.DataFrame, *, labelled: bool = True) -> alt.LayerChart:
    """Vertical rules at the markers' λ (current solid, references dashed), labels along the top.

    Drawn in ``GUIDE_COLOUR``: Streamlit's theme does not recolour rules and text for a
    dark background, so a mid grey is the colour that reads in both.
    """
    rule = (
        alt.Chart()
        .mark_rule(color=GUIDE_COLOUR)
        .encode(
            x=alt.X("log10_lambda:Q"),
            strokeDash=alt.StrokeDash(
                "style:N",
                scale=alt.Scale(domain=MARKER_STYLES, range=[[1, 0], [5, 4]]),
                legend=None,
            ),
            strokeWidth=alt.StrokeWidth(
                "style:N", scale=alt.Scale(domain=MARKER_STYLES, range=[2.5, 1.5]), legend=None
            ),
            tooltip=[alt.Tooltip("label:N", title="marker"), alt.Tooltip("lambda:Q", format=".4g")],
        )
    )
    if not labelled:
        return alt.layer(rule, data=frame)
    text = (
        alt.Chart()
        .mark_text(align="left", dx=4, baseline="top", color=GUIDE_COLOUR)
        .encode(x=alt.X("log10_lambda:Q"), y=alt.Y("label_y:Q", scale=None), text="label:N")
    )
    return alt.layer(rule, text, data=frame)


# ---------------------------------------------------------------- the data, sent once
def steps_frame(path, train_mse, test_mse) -> pd.DataFrame:
    """One row per λ > 0 of the grid: step (0 at λ_max), lambda, log10_lambda, n_nonzero, df,
    train_mse, test_mse."""
    keep = positive_lambdas(path.lambdas)
    lambdas = np.asarray(path.lambdas, dtype=float)[keep]
    return pd.DataFrame(
        {
            "step": np.arange(lambdas.size),
            "lambda": lambdas,
            "log10_lambda": np.log10(lambdas),
            "n_nonzero": np.asarray(path.n_nonzero)[keep],
            "df": np.asarray(path.df, dtype=float)[keep],
            "train_mse": np.asarray(train_mse, dtype=float)[keep],
            "test_mse": np.asarray(test_mse, dtype=float)[keep],
        }
    )


def feature_styles(final: np.ndarray, names: Sequence[str], unpenalised=None) -> pd.DataFrame:
    """Per drawn feature: feature, colour, named, penalty ("penalised" or "unpenalised", from
    the boolean mask ``unpenalised``), label (the name, "(unpenalised)" added where so).

    ``MAX_LABELS`` features are *named*: the unpenalised ones first, then the largest
    |coefficients| at the smallest λ.  Each gets a colour of ``PALETTE`` and a label at its
    line's end; the others get ``HIGHLIGHT_COLOUR``, shown only while highlighted (grey
    otherwise), so 30+ lines never recycle colours.
    """
    free = np.zeros(len(names), dtype=bool) if unpenalised is None else np.asarray(unpenalised)
    order = np.lexsort((-np.abs(final), ~free))[:MAX_LABELS]
    named = np.zeros(len(names), dtype=bool)
    named[order] = True
    colour = np.full(len(names), HIGHLIGHT_COLOUR, dtype=object)
    colour[order] = PALETTE[: order.size]
    names = np.asarray(names, dtype=object)
    return pd.DataFrame(
        {
            "feature": names,
            "colour": colour,
            "named": named,
            "penalty": np.where(free, PENALTIES[1], PENALTIES[0]),
            "label": np.where(free, names + " (unpenalised)", names),
        }
    )


def unpenalised_mask(path) -> np.ndarray:
    """Which of the path's features the penalty leaves alone (penalty factor 0)."""
    factor = getattr(path, "penalty_factor", None)
    if factor is None:
        return np.zeros(len(path.feature_names), dtype=bool)
    return np.asarray(factor, dtype=float) == 0


def coefficient_path_frame(
    path, *, standardized: bool = False, max_lines: int = MAX_LINES
) -> pd.DataFrame:
    """One row per (λ > 0, drawn feature): step, lambda, log10_lambda, feature, coefficient,
    and the feature's style (``feature_styles``: colour, named, penalty, label).  The
    ``max_lines`` largest are drawn, and every unpenalised feature."""
    keep = positive_lambdas(path.lambdas)
    coef = np.asarray(path.coef_std if standardized else path.coef)[keep]
    names = list(path.feature_names)
    free = unpenalised_mask(path)
    largest = set(largest_features(coef, names, max_lines))
    cols = [j for j, f in enumerate(names) if f in largest or free[j]]
    drawn = [names[j] for j in cols]
    lambdas = np.asarray(path.lambdas, dtype=float)[keep]
    k = lambdas.size
    styles = feature_styles(coef[-1, cols], drawn, free[cols])
    frame = pd.DataFrame(
        {
            "step": np.repeat(np.arange(k), len(cols)),
            "lambda": np.repeat(lambdas, len(cols)),
            "log10_lambda": np.repeat(np.log10(lambdas), len(cols)),
            "feature": np.tile(np.asarray(drawn, dtype=object), k),
            "coefficient": coef[:, cols].ravel(),
        }
    )
    return frame.merge(styles, on="feature", how="left", sort=False)


def spread_labels(y: np.ndarray, gap: float) -> np.ndarray:
    """Positions near ``y`` at least ``gap`` apart, in the same order (labels that never overlap).

    Each position is pushed down past its upper neighbour, then the stack is shifted back
    so that it sits centred on the wanted positions.
    """
    y = np.asarray(y, dtype=float)
    order = np.argsort(-y, kind="stable")
    placed = y[order].copy()
    for i in range(1, placed.size):
        placed[i] = min(placed[i], placed[i - 1] - gap)
    placed += np.mean(y[order] - placed)
    for i in range(1, placed.size):
        placed[i] = min(placed[i], placed[i - 1] - gap)
    out = np.empty_like(placed)
    out[order] = placed
    return out


def line_end_labels(frame: pd.DataFrame, domain: tuple[float, float]) -> pd.DataFrame:
    """The named features at the smallest λ: feature, colour, named, label, log10_lambda,
    coefficient, label_y.

    ``label_y`` is the coefficient moved just enough that no two labels overlap on a chart
    ``PATHS_HEIGHT`` pixels tall with y scale ``domain``.
    """
    last = frame[(frame["step"] == frame["step"].max()) & frame["named"]]
    last = last[["feature", "colour", "named", "label", "log10_lambda", "coefficient"]]
    last = last.reset_index(drop=True)
    gap = LABEL_GAP_PX * (domain[1] - domain[0]) / PATHS_HEIGHT
    last["label_y"] = spread_labels(last["coefficient"].to_numpy(), gap)
    return last


def bar_frame(names: Sequence[str], coef: np.ndarray, max_bars: int = MAX_BARS) -> pd.DataFrame:
    """One row per drawn bar: feature, rank, and c0, c1, … its coefficient at each row of coef.

    Wide, so that moving λ changes one computed field of the same rows (Vega then updates the
    bars in place instead of replacing them).  The ``max_bars`` largest |coefficients| are
    drawn; ``rank`` orders them by the last row's coefficient, largest first, and stays put
    while λ moves.
    """
    coef = np.atleast_2d(np.asarray(coef, dtype=float))
    names = list(names)
    cols = [names.index(f) for f in largest_features(coef, names, max_bars)]
    frame = pd.DataFrame(
        coef[:, cols].T, columns=[f"c{i}" for i in range(coef.shape[0])], copy=False
    )
    frame.insert(0, "feature", np.asarray([names[j] for j in cols], dtype=object))
    frame.insert(1, "rank", np.argsort(np.argsort(-coef[-1, cols], kind="stable"), kind="stable"))
    return frame


# ---------------------------------------------------------------- shared predicates
def highlighted() -> alt.PredicateComposition:
    """A feature the pointer is on, clicked, or matched by the search box (in either chart)."""
    return alt.PredicateComposition(
        {"or": [{"param": HOVER, "empty": False}, {"param": PICK, "empty": False}, SEARCHED]}
    )


def coloured() -> alt.PredicateComposition:
    """Drawn in its own colour: highlighted, or named while nothing is highlighted."""
    return alt.PredicateComposition(
        {"or": [*highlighted().to_dict()["or"], f"!{ANY_HIGHLIGHT} && datum.named"]}
    )


def faded_value(when_any: float, otherwise: float) -> alt.ValueChannelMixin:
    """An opacity: ``when_any`` while some feature is highlighted, ``otherwise`` when none is."""
    return alt.value({"expr": f"{ANY_HIGHLIGHT} ? {when_any} : {otherwise}"})


def figure_params(
    views: Sequence[str], n_steps: int | None, element: str | None = None
) -> list[dict]:
    """The figure's parameters as Vega-Lite dicts: hover and click selections of a feature in
    the named ``views``, the search box, and (for a path of ``n_steps`` λ) ``STEP`` at 0.
    ``element``: a CSS selector of the page element that holds their inputs (by default
    Vega puts them under the figure).

    Written as dicts and set on the finished spec: Altair's own merging of parameters
    across a concatenation deep-copies the whole chart many times over.
    """
    select = {"type": "point", "fields": ["feature"]}
    params = [
        {"name": HOVER, "select": {**select, "on": "pointerover", "clear": "pointerout"}},
        {"name": PICK, "select": {**select, "on": "click"}},
    ]
    params = [{**param, "views": list(views)} for param in params]
    params.append(
        {
            "name": SEARCH,
            "value": "",
            "bind": {"input": "search", "placeholder": "a feature's name", "name": SEARCH_INPUT},
        }
    )
    if n_steps is not None:
        bind = {"input": "range", "min": 0, "max": n_steps - 1, "step": 1, "name": STEP_INPUT}
        params.append({"name": STEP, "value": 0, "bind": bind})
    if element is not None:
        for param in params:
            if "bind" in param:
                param["bind"]["element"] = element
    return params


# ---------------------------------------------------------------- the three charts
def spec_of(part) -> dict:
    """A unit chart's Vega-Lite dict (a dict is kept as it is), without Altair's top-level keys."""
    if isinstance(part, dict):
        return part
    spec = part.to_dict(validate=False)
    for key in ("$schema", "config"):
        spec.pop(key, None)
    if spec.get("data") == {"name": "empty"}:  # Altair's stand-in for "no data of its own"
        del spec["data"]
        spec["datasets"].pop("empty")
    if spec.pop("datasets", None):
        raise ValueError("a layer of the figure holds data of its own: name it in the figure")
    return spec


def layered(*parts, data: dict | None = None, transform=(), **props) -> dict:
    """Parts (charts or dicts; None skipped) layered as a Vega-Lite dict with shared ``data``,
    ``transform`` and view properties.

    Composed by hand: Altair's layer and concat deep-copy every part to merge their
    parameters, which was most of the figure's build time.
    """
    spec = {"layer": [spec_of(part) for part in parts if part is not None]}
    if data is not None:
        spec["data"] = data
    if transform:
        spec["transform"] = list(transform)
    return {**spec, **props}


def title_of(text: str, **style) -> dict:
    return {"text": text, "fontWeight": "normal", "anchor": "start", **style}


def current_marker(steps: pd.DataFrame, text: str, *, row: int) -> dict:
    """A solid rule at the current λ (``AT_STEP``) with ``text`` (an expression) in row ``row``
    of the label strip, running away from the nearer edge."""
    rule = alt.Chart().mark_rule(color=GUIDE_COLOUR, strokeWidth=2.5).encode(x="log10_lambda:Q")
    middle = int(steps["step"].max()) // 2
    label = (
        alt.Chart()
        .transform_calculate(readout=text)
        .mark_text(
            align=alt.expr(f"datum.step < {middle} ? 'left' : 'right'"),
            baseline="bottom",
            fontWeight="bold",
            color=GUIDE_COLOUR,
        )
        .encode(x="log10_lambda:Q", y=alt.value(strip_y(row)), text="readout:N")
    )
    return layered(rule, label, data={"name": STEPS}, transform=[{"filter": AT_STEP}])


def reference_markers(references, domain: tuple[float, float], first_row: int = 0) -> dict | None:
    """Dashed rules at reference λ (λ_min, λ_1se, …), their labels in rows ``first_row``,
    ``first_row + 1``, … of the label strip (the rows below are the current λ's and the
    counts'), each running away from the nearer edge of the x ``domain``."""
    if not references:
        return None
    rule = (
        alt.Chart()
        .mark_rule(color=GUIDE_COLOUR, strokeDash=[5, 4], strokeWidth=1.5)
        .encode(
            x="log10_lambda:Q",
            tooltip=[
                alt.Tooltip("label:N", title="marker"),
                alt.Tooltip("lambda:Q", title="λ", format=".4g"),
            ],
        )
    )
    text = (
        alt.Chart()
        .mark_text(
            align=alt.expr("datum.anchor"),
            baseline="bottom",
            color=GUIDE_COLOUR,
        )
        .encode(x="log10_lambda:Q", y=alt.Y("label_y:Q", scale=None), text="label:N")
    )
    frame = markers_frame(references)[["lambda", "log10_lambda", "label"]]
    frame["label_y"] = [strip_y(first_row + i) for i in range(len(frame))]
    frame["anchor"] = label_anchor(frame["log10_lambda"], domain)
    return layered(rule, text, data={"values": frame.to_dict("records")})


def x_domain(steps: pd.DataFrame) -> tuple[float, float]:
    """log₁₀ λ from the grid's smallest λ to λ_max, exactly (the line-end labels sit to the
    right of the plot, outside it)."""
    return float(steps["log10_lambda"].min()), float(steps["log10_lambda"].max())


def strip_y(row: int) -> float:
    """The pixel y of row ``row`` of the label strip above a plot (row 0 nearest the plot).

    Every label of a λ rule (the current λ's readout, λ_min, λ_1se, …) has a row of its own
    there, above the plot, where no rule or line runs: labels never overlap each other, and
    no rule crosses a label, however close the λ.
    """
    return -4.0 - LABEL_ROW_PX * row


def label_anchor(log10_lambda, domain: tuple[float, float]):
    """'left' for a rule in the plot's left half (large λ: its label runs right), else 'right'."""
    return np.where(np.asarray(log10_lambda) > sum(domain) / 2, "left", "right")


def paths_chart(
    path, steps, frame, *, standardized: bool, references
) -> tuple[dict, tuple[float, float]]:
    """Coefficient paths with named line ends, the current λ marked, df along the top; and the
    chart's y domain (which the line-end labels are spread for)."""
    coef = frame["coefficient"]
    pad = 0.04 * max(float(coef.max() - coef.min()), 1e-12)
    y_domain = (min(float(coef.min()), 0.0) - pad, max(float(coef.max()), 0.0) + pad)
    n_features = len(path.feature_names)
    title = "coefficient" + (" (standardised scale)" if standardized else "")
    if frame["feature"].nunique() < n_features:
        title += f": the {frame['feature'].nunique()} largest of {n_features}"
    x = lambda_axis(x_domain(steps))
    y = alt.Y("coefficient:Q", title=title, scale=alt.Scale(domain=list(y_domain), nice=False))
    lines = (
        alt.Chart(alt.NamedData(COEFFICIENTS))
        .mark_line()
        .encode(
            x=x,
            y=y,
            detail="feature:N",
            strokeDash=alt.StrokeDash(
                "penalty:N",
                scale=alt.Scale(domain=PENALTIES, range=[[1, 0], UNPENALISED_DASH]),
                legend=None,
            ),
            color=alt.when(coloured())
            .then(alt.Color("colour:N", scale=None, legend=None))
            .otherwise(alt.value(FADED_COLOUR)),
            opacity=alt.when(coloured()).then(alt.value(1.0)).otherwise(faded_value(0.2, 0.55)),
            strokeWidth=alt.when(highlighted()).then(alt.value(3.5)).otherwise(alt.value(1.6)),
            tooltip=[
                alt.Tooltip("label:N", title="feature"),
                alt.Tooltip("lambda:Q", title="λ", format=".4g"),
                alt.Tooltip("coefficient:Q", format=".4g"),
            ],
        )
        .properties(name=LINES_VIEW)
    )
    ends = (
        alt.Chart(alt.NamedData(LINE_ENDS))
        .mark_text(align="left", dx=4, fontSize=11)
        .encode(
            x="log10_lambda:Q",
            y=alt.Y("label_y:Q", scale=alt.Scale(domain=list(y_domain), nice=False)),
            text="label:N",
            color=alt.Color("colour:N", scale=None, legend=None),
            opacity=alt.when(coloured()).then(alt.value(1.0)).otherwise(alt.value(0.3)),
            tooltip=[
                alt.Tooltip("label:N", title="feature"),
                alt.Tooltip("coefficient:Q", format=".4g"),
            ],
        )
    )
    count = "df" if path.penalty == "ridge" else "n_nonzero"
    count_text = "effective df" if path.penalty == "ridge" else "non-zero"
    counts_row = 1 + len(references)  # the strip's top row, under the title that names it
    top = (
        alt.Chart(alt.NamedData(COUNT_TICKS))
        .mark_text(baseline="bottom", color=GUIDE_COLOUR)
        .encode(
            x="log10_lambda:Q",
            y=alt.value(strip_y(counts_row)),
            text=alt.Text(f"{count}:Q", format=".3~g"),
            tooltip=[
                alt.Tooltip("lambda:Q", title="λ", format=".4g"),
                alt.Tooltip(f"{count}:Q", title=count_text, format=".3~g"),
            ],
        )
    )
    readout = (
        f"'λ = ' + format(datum.lambda, '.4g') + ': ' + format(datum.{count}, '.3~g') "
        f"+ ' {count_text}'"
    )
    chart = layered(
        lines,
        ends,
        top,
        reference_markers(references, x_domain(steps), first_row=1),
        current_marker(steps, readout, row=0),
        height=PATHS_HEIGHT,
        width=DEFAULT_WIDTH,
        title=title_of(
            "non-zero coefficients ↓" if count == "n_nonzero" else "effective df ↓",
            fontSize=11,
            color=GUIDE_COLOUR,
            offset=4,
        ),
    )
    return chart, y_domain


def df_ticks(counts: pd.DataFrame, n_ticks: int = 10) -> pd.DataFrame:
    """About ``n_ticks`` evenly spaced rows of ``counts``: the labels of the top "axis"."""
    picks = np.unique(
        np.linspace(0, len(counts) - 1, min(n_ticks, len(counts))).round().astype(int)
    )
    return counts.iloc[picks].reset_index(drop=True)


def errors_chart(steps: pd.DataFrame, references) -> dict:
    """Train (blue, solid) and test (orange, dashed) MSE; the current λ marked with both read out."""
    sets = list(SET_COLOURS)
    colour = alt.Color(
        "set:N",
        title=None,
        scale=alt.Scale(domain=sets, range=list(SET_COLOURS.values())),
        legend=alt.Legend(orient="bottom", symbolStrokeWidth=2.5),
    )
    tooltip = [
        alt.Tooltip("set:N", title="rows"),
        alt.Tooltip("lambda:Q", title="λ", format=".4g"),
        alt.Tooltip("mse:Q", title="MSE", format=".4g"),
    ]
    lines = (
        alt.Chart()
        .mark_line()
        .encode(
            x=lambda_axis(x_domain(steps)),
            y=alt.Y("mse:Q", title="mean squared error", scale=alt.Scale(zero=False)),
            color=colour,
            strokeDash=alt.StrokeDash(
                "set:N",
                scale=alt.Scale(domain=sets, range=list(SET_DASHES.values())),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=tooltip,
        )
    )
    dots = (
        alt.Chart()
        .transform_filter(AT_STEP)
        .mark_point(filled=True, size=60, opacity=1)
        .encode(x="log10_lambda:Q", y="mse:Q", color=colour, tooltip=tooltip)
    )
    both = layered(
        lines,
        dots,
        data={"name": STEPS},
        transform=[
            {"fold": ["train_mse", "test_mse"], "as": ["key", "mse"]},
            {"calculate": "datum.key == 'train_mse' ? 'train' : 'test'", "as": "set"},
        ],
    )
    readout = (
        "'λ = ' + format(datum.lambda, '.4g') + ': train ' + format(datum.train_mse, '.4g') "
        "+ ', test ' + format(datum.test_mse, '.4g')"
    )
    best = float(steps.loc[steps["test_mse"].idxmin(), "lambda"])
    refs = reference_markers(
        [*references, (best, f"best test λ = {best:.4g}")], x_domain(steps), first_row=1
    )
    marker = current_marker(steps, readout, row=0)
    return layered(both, refs, marker, height=ERRORS_HEIGHT, width=DEFAULT_WIDTH)


def bars_domain(coef: np.ndarray) -> list[float]:
    """The bars' x range for every row of ``coef``: zero and every value, with room on the
    right for the value labels, so the axis stays put while λ moves.

    A range that followed the current λ redrew the axis, its grid and every bar on each move
    (600 SVG changes a step instead of about 60): the figure's redraws were that slow.
    """
    lo, hi = min(float(np.min(coef)), 0.0), max(float(np.max(coef)), 0.0)
    span = max(hi - lo, 1e-12)
    return [lo - 0.04 * span, hi + 0.2 * span]


def bars_chart(n_bars: int, *, title: str, value: str, domain=None) -> dict:
    """Horizontal bars of the coefficients at the current λ, in a fixed order (``rank``: the
    largest at the smallest λ first); exact zeros drawn as grey dots labelled 0.  ``domain``:
    a fixed x range (``bars_domain``), or None for the values' own.

    Drawn from ``BARS`` (``bar_frame``), the coefficient of each row being the expression
    ``value``.
    """
    y = alt.Y(
        "feature:N",
        sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
        title=None,
        axis=alt.Axis(labelOverlap=False, labelLimit=220),
    )
    colour = alt.Color(
        "sign:N",
        scale=alt.Scale(domain=list(SIGN_COLOURS), range=list(SIGN_COLOURS.values())),
        legend=None,
    )
    tooltip = [alt.Tooltip("feature:N"), alt.Tooltip("coefficient:Q", format=".6g")]
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(
            x=alt.X(
                "coefficient:Q",
                title="coefficient",
                scale=alt.Undefined if domain is None else alt.Scale(domain=domain, nice=False),
            ),
            y=y,
            color=colour,
            opacity=alt.when(highlighted()).then(alt.value(1.0)).otherwise(faded_value(0.25, 0.9)),
            stroke=alt.when(highlighted())
            .then(alt.value(HIGHLIGHT_COLOUR))
            .otherwise(alt.value(None)),
            strokeWidth=alt.value(2),
            tooltip=tooltip,
        )
        .properties(name=BARS_VIEW)
    )
    zeros = (
        alt.Chart()
        .transform_filter("datum.sign == 'zero'")
        .mark_point(filled=True, size=50)
        .encode(x="coefficient:Q", y=y, color=colour, tooltip=tooltip)
    )
    # every value to the right of its bar's end or of zero: a negative bar's label, left of
    # its bar, ran into the feature names on a narrow screen
    labels = (
        alt.Chart()
        .transform_calculate(label_x="max(datum.coefficient, 0)")
        .mark_text(align="left", dx=6, color=GUIDE_COLOUR)
        .encode(x="label_x:Q", y=y, text="label:N")
        .properties(name=BAR_LABELS_VIEW)
    )
    axis = alt.Chart().mark_rule(color=GUIDE_COLOUR).encode(x=alt.datum(0))
    sign = "datum.coefficient > 0 ? 'positive' : datum.coefficient < 0 ? 'negative' : 'zero'"
    return layered(
        axis,
        bars,
        zeros,
        labels,
        data={"name": BARS},
        transform=[
            {"calculate": value, "as": "coefficient"},
            {"calculate": sign, "as": "sign"},
            {
                "calculate": "datum.coefficient == 0 ? '0' : format(datum.coefficient, '.4g')",
                "as": "label",
            },
        ],
        height=max(120, BAR_HEIGHT * n_bars),
        width=DEFAULT_WIDTH,
        title=title_of(title, fontSize=12),
    )


def bar_title(standardized: bool, n_drawn: int, n_features: int) -> str:
    scale = "standardised" if standardized else "original scale"
    title = f"coefficients at the λ of the figure's slider ({scale})"
    if n_drawn < n_features:
        title += f": the {n_drawn} largest of {n_features}"
    return title


def view_names(spec: dict, prefixes: Sequence[str]) -> list[str]:
    """The names of the views in ``spec`` that start with one of ``prefixes``."""
    found = [spec["name"]] if str(spec.get("name", "")).startswith(tuple(prefixes)) else []
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            found += view_names(child, prefixes)
    return found


def figure_spec(view: dict, views: Sequence[str], n_steps, datasets: dict, element=None) -> dict:
    """The top-level Vega-Lite spec of ``view`` with ``figure_params(views, n_steps, element)``
    and ``datasets`` (name: frame), drawn as SVG; each chart keeps its own colour and dash
    scales.

    Not validated here (Altair's check costs more than building the figure; the chart tests
    validate every figure's spec against the Vega-Lite schema).
    """
    return {
        "$schema": alt.SCHEMA_URL,
        **view,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "usermeta": {"embedOptions": {"renderer": "svg"}},
        "params": figure_params(view_names(view, views), n_steps, element),
        "resolve": {"scale": {"color": "independent", "strokeDash": "independent"}},
        "datasets": dict(datasets),
    }


def path_figure(
    path,
    train_mse,
    test_mse,
    *,
    standardized: bool = False,
    references: Sequence[tuple[float, str]] = (),
    max_lines: int = MAX_LINES,
    max_bars: int = MAX_BARS,
    inputs: str | None = None,
) -> dict:
    """The Path page's three charts in one Vega-Lite spec, all following the parameter ``STEP``.

    Returns the spec as a dict whose ``datasets`` are DataFrames (``STEPS``,
    ``COEFFICIENTS``, ``BARS``, ``LINE_ENDS``, ``COUNT_TICKS``).  ``references`` are (λ, label) pairs
    marked dashed on the paths and the errors (e.g. λ_min and λ_1se); the best test λ is
    marked on the errors.  ``STEP`` starts at 0 (λ_max); ``at_step`` moves it.  Tooltips
    show only what a reader knows by name (feature, λ, coefficient, MSE).  ``inputs``: a CSS
    selector of the page element to hold the λ input and the search box (default: under the
    figure).
    """
    steps = steps_frame(path, train_mse, test_mse)
    frame = coefficient_path_frame(path, standardized=standardized, max_lines=max_lines)
    coef = np.asarray(path.coef_std if standardized else path.coef)[positive_lambdas(path.lambdas)]
    bars = bar_frame(path.feature_names, coef, max_bars)
    paths, y_domain = paths_chart(
        path, steps, frame, standardized=standardized, references=references
    )
    bars_view = bars_chart(
        len(bars),
        title=bar_title(standardized, len(bars), len(path.feature_names)),
        value=f"datum['c' + {STEP}]",
        domain=bars_domain(bars.filter(regex=r"^c\d+$").to_numpy()),
    )
    return figure_spec(
        {"vconcat": [paths, errors_chart(steps, references), bars_view]},
        [LINES_VIEW, BARS_VIEW],
        len(steps),
        {
            STEPS: steps,
            COEFFICIENTS: frame,
            BARS: bars,
            LINE_ENDS: line_end_labels(frame, y_domain),
            COUNT_TICKS: df_ticks(steps),
        },
        inputs,
    )


def at_step(spec: dict, step: int) -> dict:
    """A copy of a ``path_figure`` spec with λ at grid step ``step`` (shallow: cheap)."""
    out = dict(spec)
    out["params"] = [
        {**param, "value": int(step)} if param.get("name") == STEP else param
        for param in spec["params"]
    ]
    return out


def step_of(path, lam: float) -> int:
    """The figure's step (index among the λ > 0) nearest to ``lam`` on the log scale."""
    logs = np.log(np.asarray(path.lambdas, dtype=float)[positive_lambdas(path.lambdas)])
    return int(np.argmin(np.abs(logs - np.log(max(float(lam), np.finfo(float).tiny)))))


def coefficient_bars_figure(feature_names: Sequence[str], coef, *, title: str) -> dict:
    """One model's coefficient bars as a spec like ``path_figure``'s (least squares has no path)."""
    frame = bar_frame(feature_names, coef)
    chart = bars_chart(len(frame), title=title, value="datum.c0")
    return figure_spec(chart, [BARS_VIEW], None, {BARS: frame})
