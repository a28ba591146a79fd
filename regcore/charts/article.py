"""Charts of the article's sections: norms, losses over w, overfitting and its cure.

Pure functions: frames from ``regcore.article`` in, Altair charts out (tests read them via
``chart.to_dict()``).  Pictures in the (w1, w2) plane are square with one domain on both
axes, so a circle is drawn round; draw them at their own size (``width="content"``), not
stretched.  Legends sit below the plot so that the plot keeps the width on a phone.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from regcore.charts.descent import (
    FIT_WIDTH,
    GREY,
    SQUARE,
    bottom_legend,
    outline_layer,
    square_domain,
    zero_rule,
)
from regcore.charts.path import lambda_axis

BALL_COLORS = {"p = 1": "#f58518", "p = 2": "#4c78a8"}
CHOSEN_COLOR = "#e45756"
THROUGH_COLOR = "#54a24b"  # the ball of the point's own size
FIT_COLORS = {
    "truth sin(πx)": GREY,
    "least squares (λ = 0)": "#e45756",
    "L1 (lasso)": "#f58518",
    "L2 (ridge)": "#4c78a8",
}
ROWS_COLORS = {"train": "#54a24b", "test": "#b279a2"}
MODEL_COLORS = {"L1 (lasso)": "#f58518", "L2 (ridge)": "#4c78a8"}
ROWS_SHAPES = {"train": "circle", "test": "triangle-up"}
WEIGHT_SHAPES = {"exactly 0": "square", "near 0": "diamond", "kept": "circle"}


def fixed(mapping: dict) -> alt.Scale:
    """A categorical scale from a {value: colour or shape} mapping, in its order."""
    return alt.Scale(domain=list(mapping), range=list(mapping.values()))


def unit_balls_chart(balls: pd.DataFrame, point=None, *, size: int = 290) -> alt.LayerChart:
    """Outlines ‖w‖ₚ = radius (columns ball, w1, w2, point), and optionally one point w.

    ``balls``: one outline per value of ``ball`` (its label, e.g. "p = 1"); labels in
    ``BALL_COLORS`` keep their colour, a label starting "‖w‖" (the ball through the point)
    is ``THROUGH_COLOR`` and any other ``CHOSEN_COLOR``.
    Square, with one domain on both axes.
    """
    labels = list(dict.fromkeys(balls["ball"]))
    colours = [
        BALL_COLORS.get(b, THROUGH_COLOR if b.startswith("‖w‖") else CHOSEN_COLOR) for b in labels
    ]
    scale = alt.Scale(domain=labels, range=colours)
    dot = pd.DataFrame(
        {"w1": [float(point[0])], "w2": [float(point[1])]} if point is not None else {}
    )
    domain = square_domain(balls, dot if point is not None else balls, pad=0.08)
    x = alt.X("w1:Q", title="w₁", scale=alt.Scale(domain=domain))
    y = alt.Y("w2:Q", title="w₂", scale=alt.Scale(domain=domain))
    color = alt.Color("ball:N", scale=scale, legend=bottom_legend("‖w‖ = radius"))
    lines = outline_layer(balls, x, y, color, "ball:N", "ball:N")
    layers = [zero_rule("x"), zero_rule("y"), lines]
    if point is not None:
        layers.append(
            alt.Chart(dot)
            .mark_point(filled=True, size=120, color="black")
            .encode(x=x, y=y, tooltip=[alt.Tooltip("w1:Q"), alt.Tooltip("w2:Q")])
        )
    return alt.layer(*layers).properties(width=size, height=size, autosize=SQUARE)


def loss_curves_chart(curves: pd.DataFrame, w_now: float | None = None, *, height: int = 240):
    """L, L1 and L2 against w (``losses.loss_curves``); a dotted rule at the current w."""
    labels = list(dict.fromkeys(curves["label"]))
    colors = dict(zip(labels, ["#8c8c8c", "#f58518", "#4c78a8"], strict=False))
    lines = (
        alt.Chart(curves)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("w:Q", title="w"),
            y=alt.Y("value:Q", title="loss", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "label:N",
                scale=alt.Scale(domain=labels, range=[colors[x] for x in labels]),
                legend=bottom_legend("loss"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="loss"),
                alt.Tooltip("w:Q", format=".4g"),
                alt.Tooltip("value:Q", format=".4g"),
            ],
        )
    )
    layers = [zero_rule("x"), lines]
    if w_now is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"w": [float(w_now)], "what": ["current w"]}))
            .mark_rule(color=GREY, strokeDash=[1, 3])
            .encode(x="w:Q", tooltip=[alt.Tooltip("what:N"), alt.Tooltip("w:Q", format=".4g")])
        )
    return alt.layer(*layers).properties(height=height, autosize=FIT_WIDTH)


def subgradient_chart(lines: pd.DataFrame, *, height: int = 240) -> alt.LayerChart:
    """|w| with its corner at 0 and the lines g·w, g in [−1, 1] (``losses.abs_subgradients``)."""
    curve = lines[lines["kind"] == "|w|"]
    slopes = lines[lines["kind"] == "g·w"]
    x = alt.X("w:Q", title="w")
    y = alt.Y("value:Q", title="|w| and the lines g·w")
    return alt.layer(
        alt.Chart(slopes)
        .mark_line(strokeWidth=1, color=GREY, strokeDash=[4, 3])
        .encode(x=x, y=y, detail="slope:N", tooltip=[alt.Tooltip("slope:Q", title="g")]),
        alt.Chart(curve).mark_line(strokeWidth=3, color="#f58518").encode(x=x, y=y),
    ).properties(height=height, autosize=FIT_WIDTH)


def fit_chart(
    points: pd.DataFrame, curves: pd.DataFrame, *, height: int = 300, reach: float | None = None
) -> alt.LayerChart:
    """Training and test rows (columns x, y, rows) and fitted curves (columns x, y, curve).

    The y axis spans the rows with a margin (``reach``: half its height around the rows'
    middle, default 1.6 × their half range), and curves are clipped to it, so a wild
    overfit leaves the plot instead of squashing the data.
    """
    low, high = float(points["y"].min()), float(points["y"].max())
    mid, half = (low + high) / 2, (reach or 0.8 * (high - low) or 1.0)
    y_scale = alt.Scale(domain=[mid - half, mid + half])
    curve_names = list(dict.fromkeys(curves["curve"]))
    curve_scale = alt.Scale(
        domain=curve_names, range=[FIT_COLORS.get(c, CHOSEN_COLOR) for c in curve_names]
    )
    lines = (
        alt.Chart(curves)
        .mark_line(strokeWidth=2.5, clip=True)
        .encode(
            x=alt.X("x:Q", title="x"),
            y=alt.Y("y:Q", title="y", scale=y_scale),
            color=alt.Color("curve:N", scale=curve_scale, legend=bottom_legend("curve")),
            strokeDash=alt.condition(
                alt.datum.curve == "truth sin(πx)", alt.value([4, 4]), alt.value([1, 0])
            ),
            tooltip=[alt.Tooltip("curve:N"), alt.Tooltip("x:Q", format=".3f")],
        )
    )
    dots = (
        alt.Chart(points)
        .mark_point(filled=True, size=45, clip=True)
        .encode(
            x="x:Q",
            y=alt.Y("y:Q", scale=y_scale),
            shape=alt.Shape("rows:N", scale=fixed(ROWS_SHAPES), legend=bottom_legend("rows")),
            fill=alt.Fill("rows:N", scale=fixed(ROWS_COLORS), legend=None),
            opacity=alt.condition(alt.datum.rows == "train", alt.value(1.0), alt.value(0.45)),
            tooltip=[alt.Tooltip("rows:N"), alt.Tooltip("x:Q", format=".3f"), "y:Q"],
        )
    )
    return alt.layer(lines, dots).properties(height=height, autosize=FIT_WIDTH)


def error_curves_chart(
    table: pd.DataFrame, lam_now: float | None = None, *, height: int = 280
) -> alt.LayerChart:
    """Train and test error against λ (``overfitting.error_table``), log axes, λ falling →.

    Colour: train or test rows; dash: the penalty.  A rule marks the current λ.
    """
    data = table[table["lam"] > 0].assign(log10_lambda=lambda d: np.log10(d["lam"]))
    penalties = list(dict.fromkeys(data["label"]))
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=lambda_axis(),
            y=alt.Y("mse:Q", title="mean squared error (log)", scale=alt.Scale(type="log")),
            color=alt.Color("rows:N", scale=fixed(ROWS_COLORS), legend=bottom_legend("error on")),
            strokeDash=alt.StrokeDash(
                "label:N",
                scale=alt.Scale(domain=penalties, range=[[1, 0], [6, 3]][: len(penalties)]),
                legend=bottom_legend("penalty"),
            ),
            detail="label:N",
            tooltip=[
                alt.Tooltip("label:N", title="penalty"),
                alt.Tooltip("rows:N"),
                alt.Tooltip("lam:Q", title="λ", format=".3g"),
                alt.Tooltip("mse:Q", format=".4g"),
            ],
        )
    )
    layers = [lines]
    if lam_now is not None and lam_now > 0:
        layers.append(
            alt.Chart(pd.DataFrame({"log10_lambda": [np.log10(lam_now)], "lam": [lam_now]}))
            .mark_rule(color=GREY, strokeDash=[2, 2], strokeWidth=1.5)
            .encode(x="log10_lambda:Q", tooltip=[alt.Tooltip("lam:Q", title="λ", format=".3g")])
        )
    return alt.layer(*layers).properties(height=height, autosize=FIT_WIDTH)


def weights_compare_chart(table: pd.DataFrame, *, height_per_feature: int = 20) -> alt.LayerChart:
    """The lasso's and the ridge's weights per feature (``sparsity.weight_table``) as dots.

    Exact zeros are filled squares on the 0 line, near zeros open circles; one row per
    feature keeps the chart short (20 px a feature).
    """
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "feature": table["feature"],
                    "model": label,
                    "w": table[col],
                    "is": table[f"{col}_is"],
                }
            )
            for col, label in (("lasso", "L1 (lasso)"), ("ridge", "L2 (ridge)"))
        ],
        ignore_index=True,
    )
    order = list(table["feature"])
    dots = (
        alt.Chart(long)
        .mark_point(size=70, filled=True)
        .encode(
            y=alt.Y("feature:N", sort=order, title=None),
            x=alt.X("w:Q", title="weight (standardised features)"),
            color=alt.Color("model:N", scale=fixed(MODEL_COLORS), legend=bottom_legend("model")),
            shape=alt.Shape("is:N", scale=fixed(WEIGHT_SHAPES), legend=bottom_legend("weight is")),
            tooltip=["feature:N", "model:N", alt.Tooltip("w:Q", format=".6g"), "is:N"],
        )
    )
    height = height_per_feature * max(len(order), 1) + 20
    return alt.layer(zero_rule("x"), dots).properties(height=height, autosize=FIT_WIDTH)
