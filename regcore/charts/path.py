"""Charts of a regularisation path: coefficients, errors and the model at one λ.

Pure functions: a ``regcore.Path`` (or arrays) in, an Altair chart out, so tests read the
data and encodings through ``chart.to_dict()``.  The ``*_frame`` functions build the tidy
data each chart draws.  λ runs along a log₁₀ axis drawn right-to-left in λ, so the penalty
weakens from left to right as the Play button sweeps it.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

MAX_LINES = 30  # more coefficient lines than this are unreadable; the largest are drawn
MAX_BARS = 40
GUIDE_COLOUR = "#8c8c8c"  # markers, labels and zeros: a mid grey, readable on light and dark themes
MARKER_STYLES = ["current", "reference"]
LOG_LAMBDA_TITLE = "log₁₀ λ  (penalty weakens →)"


def lambda_axis() -> alt.X:
    return alt.X(
        "log10_lambda:Q",
        title=LOG_LAMBDA_TITLE,
        scale=alt.Scale(reverse=True, zero=False, nice=False),
    )


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


def coefficient_path_frame(
    path, *, standardized: bool = False, max_lines: int = MAX_LINES
) -> pd.DataFrame:
    """One row per (λ > 0, drawn feature): lambda, log10_lambda, feature, coefficient, n_nonzero, df."""
    keep = positive_lambdas(path.lambdas)
    coef = np.asarray(path.coef_std if standardized else path.coef)[keep]
    names = list(path.feature_names)
    drawn = largest_features(coef, names, max_lines)
    cols = [names.index(f) for f in drawn]
    lambdas = np.asarray(path.lambdas, dtype=float)[keep]
    k = lambdas.size
    return pd.DataFrame(
        {
            "lambda": np.repeat(lambdas, len(cols)),
            "log10_lambda": np.repeat(np.log10(lambdas), len(cols)),
            "feature": np.tile(np.asarray(drawn, dtype=object), k),
            "coefficient": coef[:, cols].ravel(),
            "n_nonzero": np.repeat(np.asarray(path.n_nonzero)[keep], len(cols)),
            "df": np.repeat(np.asarray(path.df, dtype=float)[keep], len(cols)),
        }
    )


def nonzero_frame(path) -> pd.DataFrame:
    """One row per λ > 0: lambda, log10_lambda, n_nonzero, df."""
    keep = positive_lambdas(path.lambdas)
    lambdas = np.asarray(path.lambdas, dtype=float)[keep]
    return pd.DataFrame(
        {
            "lambda": lambdas,
            "log10_lambda": np.log10(lambdas),
            "n_nonzero": np.asarray(path.n_nonzero)[keep],
            "df": np.asarray(path.df, dtype=float)[keep],
        }
    )


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

    One layer group holding ``frame`` as its data, so ``with_markers`` can move the markers
    by swapping that data alone.  Drawn in ``GUIDE_COLOUR``: Streamlit's theme does not
    recolour rules and text for a dark background, so a mid grey is the colour that reads in
    both.
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


def with_data(chart: alt.LayerChart, data: dict[int, pd.DataFrame]) -> alt.LayerChart:
    """``chart`` with new data on some of its layers (position: frame), everything else shared.

    Shallow copies only: building a chart's layers again, or copying them deeply, costs more
    than drawing them, and a λ move changes nothing but the data of a few layers.
    """
    out = chart.copy(deep=False)
    layers = list(out.layer)
    for i, frame in data.items():
        layers[i] = layers[i].copy(deep=False)
        layers[i].data = frame
    out.layer = layers
    return out


def with_markers(chart: alt.LayerChart, markers) -> alt.LayerChart:
    """A chart built with ``marker_layers`` as its last layer, the markers moved to ``markers``
    ((λ, label) pairs, as ``markers_frame``)."""
    return with_data(chart, {len(chart.layer) - 1: markers_frame(markers)})


def df_ticks(counts: pd.DataFrame, n_ticks: int = 10) -> pd.DataFrame:
    """About ``n_ticks`` evenly spaced rows of ``nonzero_frame``: the labels of the top "axis"."""
    picks = np.unique(
        np.linspace(0, len(counts) - 1, min(n_ticks, len(counts))).round().astype(int)
    )
    return counts.iloc[picks].reset_index(drop=True)


def coefficient_paths_base(
    path, *, standardized: bool = False, max_lines: int = MAX_LINES
) -> alt.LayerChart:
    """``coefficient_paths_chart`` with its marker at λ_max: build it once per path and scale.

    Pass it as ``base`` while λ moves: only the marker's data changes (``with_markers``).
    """
    frame = coefficient_path_frame(path, standardized=standardized, max_lines=max_lines)
    counts = nonzero_frame(path)
    n_features = len(path.feature_names)
    title = "coefficient" + (" (standardised scale)" if standardized else "")
    if n_features > max_lines:
        title += f": the {max_lines} largest of {n_features}"
    legend = alt.Legend(title="feature", symbolLimit=max_lines) if n_features <= 15 else None
    lines = (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=lambda_axis(),
            y=alt.Y("coefficient:Q", title=title),
            color=alt.Color("feature:N", legend=legend),
            tooltip=[
                "feature:N",
                alt.Tooltip("lambda:Q", format=".4g"),
                alt.Tooltip("coefficient:Q", format=".4g"),
                alt.Tooltip("n_nonzero:Q", title="non-zero"),
            ],
        )
    )
    top = (
        alt.Chart(df_ticks(counts))
        .mark_text(baseline="bottom", color=GUIDE_COLOUR)
        .encode(
            x="log10_lambda:Q",
            y=alt.value(-4),
            text="n_nonzero:Q",
            tooltip=[
                alt.Tooltip("lambda:Q", format=".4g"),
                alt.Tooltip("n_nonzero:Q", title="non-zero"),
                alt.Tooltip("df:Q", format=".3g"),
            ],
        )
    )
    marker = marker_layers(markers_frame([(float(counts["lambda"].iloc[0]), "")]))
    return alt.layer(lines, top, marker).properties(
        height=340,
        title=alt.Title(
            "non-zero coefficients ↓",
            fontSize=11,
            fontWeight="normal",
            anchor="start",
            color=GUIDE_COLOUR,
            offset=14,
        ),
    )


def coefficient_paths_chart(
    path,
    current_lambda: float,
    *,
    standardized: bool = False,
    max_lines: int = MAX_LINES,
    base: alt.LayerChart | None = None,
) -> alt.LayerChart:
    """Coefficient paths versus log₁₀ λ, the current λ marked, non-zero counts along the top.

    One line per feature (the ``max_lines`` largest when there are more), named on hover.
    As in glmnet's plot, the number of non-zero coefficients is written above the plot at
    evenly spaced λ; the marker's label gives the count at the current λ.  ``base`` is
    ``coefficient_paths_base`` of the same path and settings, when already built.
    """
    if base is None:
        base = coefficient_paths_base(path, standardized=standardized, max_lines=max_lines)
    keep = positive_lambdas(path.lambdas)
    logs = np.log10(np.asarray(path.lambdas, dtype=float)[keep])
    at = int(np.argmin(np.abs(logs - np.log10(current_lambda))))
    n_nonzero = int(np.asarray(path.n_nonzero)[keep][at])
    return with_markers(base, [(current_lambda, f"λ = {current_lambda:.4g}: {n_nonzero} non-zero")])


def error_frame(lambdas, train_mse, test_mse) -> pd.DataFrame:
    """Long frame: lambda, log10_lambda, set ("train" / "test"), mse — for λ > 0."""
    keep = positive_lambdas(lambdas)
    lambdas = np.asarray(lambdas, dtype=float)[keep]
    parts = [
        pd.DataFrame(
            {
                "lambda": lambdas,
                "log10_lambda": np.log10(lambdas),
                "set": name,
                "mse": np.asarray(values, dtype=float)[keep],
            }
        )
        for name, values in (("train", train_mse), ("test", test_mse))
    ]
    return pd.concat(parts, ignore_index=True)


def error_chart_base(lambdas, train_mse, test_mse) -> alt.LayerChart:
    """``error_chart`` with its markers at λ_max: build it once per path, pass it as ``base``."""
    frame = error_frame(lambdas, train_mse, test_mse)
    lines = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=12))
        .encode(
            x=lambda_axis(),
            y=alt.Y("mse:Q", title="mean squared error", scale=alt.Scale(zero=False)),
            color=alt.Color("set:N", title=None, sort=["train", "test"]),
            tooltip=[
                "set:N",
                alt.Tooltip("lambda:Q", format=".4g"),
                alt.Tooltip("mse:Q", format=".4g"),
            ],
        )
    )
    top = float(frame["lambda"].iloc[0])
    return alt.layer(lines, marker_layers(markers_frame([(top, ""), (top, "")]))).properties(
        height=260
    )


def error_chart(
    lambdas, train_mse, test_mse, current_lambda: float, *, base: alt.LayerChart | None = None
) -> alt.LayerChart:
    """Train and test mean squared error versus log₁₀ λ; current λ (solid) and best test λ (dashed).

    ``base`` is ``error_chart_base`` of the same arrays, when already built.
    """
    keep = positive_lambdas(lambdas)
    test = np.asarray(test_mse, dtype=float)[keep]
    best = float(np.asarray(lambdas, dtype=float)[keep][int(np.argmin(test))])
    if base is None:
        base = error_chart_base(lambdas, train_mse, test_mse)
    return with_markers(
        base, [(current_lambda, f"λ = {current_lambda:.4g}"), (best, f"best test λ = {best:.4g}")]
    )


def coefficient_bar_frame(
    feature_names: Sequence[str], coef, *, max_bars: int = MAX_BARS
) -> pd.DataFrame:
    """One row per drawn feature, sorted by coefficient (largest first): feature, coefficient, sign,
    label, rank.

    ``sign`` is "positive", "negative" or "zero" (exactly 0); ``label`` is the value as
    text, "0" for an exact zero; ``rank`` is the row's place (0 first), the bars' order.
    With more than ``max_bars`` features the largest |coef| are kept.
    """
    coef = np.asarray(coef, dtype=float)
    names = list(feature_names)
    drawn = largest_features(coef[None, :], names, max_bars)
    cols = [names.index(f) for f in drawn]
    values = coef[cols]
    frame = pd.DataFrame(
        {
            "feature": np.asarray(drawn, dtype=object),
            "coefficient": values,
            "sign": np.where(values > 0, "positive", np.where(values < 0, "negative", "zero")),
            "label": ["0" if v == 0 else f"{v:.4g}" for v in values],
        }
    )
    frame = frame.sort_values("coefficient", ascending=False, kind="stable").reset_index(drop=True)
    frame["rank"] = np.arange(len(frame))
    return frame


def coefficient_bars_base(
    feature_names: Sequence[str], *, max_bars: int = MAX_BARS
) -> alt.LayerChart:
    """``coefficient_bars_chart``'s layers for these features (all at 0): build it once, pass it as
    ``base``; each λ then only swaps the bars' data."""
    frame = coefficient_bar_frame(feature_names, np.zeros(len(feature_names)), max_bars=max_bars)
    y = alt.Y(
        "feature:N",
        sort=alt.EncodingSortField(field="rank", op="min", order="ascending"),
        title=None,
        axis=alt.Axis(labelOverlap=False, labelLimit=180),
    )
    colour = alt.Color(
        "sign:N",
        scale=alt.Scale(
            domain=["positive", "negative", "zero"], range=["#4c78a8", "#e45756", GUIDE_COLOUR]
        ),
        legend=None,
    )
    tooltip = ["feature:N", alt.Tooltip("coefficient:Q", format=".6g")]
    bars = (
        alt.Chart()
        .mark_bar()
        .encode(x=alt.X("coefficient:Q", title="coefficient"), y=y, color=colour, tooltip=tooltip)
    )
    zeros = (
        alt.Chart()
        .transform_filter("datum.sign == 'zero'")
        .mark_point(filled=True, size=50)
        .encode(x="coefficient:Q", y=y, color=colour, tooltip=tooltip)
    )
    labels = (
        alt.Chart()
        .mark_text(
            align=alt.expr("datum.coefficient < 0 ? 'right' : 'left'"),
            dx=alt.expr("datum.coefficient < 0 ? -6 : 6"),
            color=GUIDE_COLOUR,
        )
        .encode(x="coefficient:Q", y=y, text="label:N")
    )
    axis = alt.Chart(pd.DataFrame({"zero": [0.0]})).mark_rule(color=GUIDE_COLOUR).encode(x="zero:Q")
    return alt.layer(axis, alt.layer(bars, zeros, labels, data=frame)).properties(
        height=max(120, 20 * len(frame))
    )


def coefficient_bars_chart(
    feature_names: Sequence[str],
    coef,
    *,
    title: str = "coefficients",
    max_bars: int = MAX_BARS,
    base: alt.LayerChart | None = None,
) -> alt.LayerChart:
    """Horizontal bars of the coefficients at one λ, sorted; exact zeros drawn as grey dots labelled 0.

    ``title`` heads the chart; ``base`` is ``coefficient_bars_base`` of the same features,
    when already built.
    """
    if base is None:
        base = coefficient_bars_base(feature_names, max_bars=max_bars)
    n_features = len(feature_names)
    if n_features > max_bars:
        title += f" (the {max_bars} largest of {n_features})"
    chart = with_data(base, {1: coefficient_bar_frame(feature_names, coef, max_bars=max_bars)})
    chart.title = alt.Title(title, fontSize=12, fontWeight="normal", anchor="start")
    return chart
