"""Altair charts for the gradient-descent lesson: frames from ``regcore.updates`` in, charts out.

- ``trajectory_chart``: w against step, one line per rule, with the 0 line;
- ``loss_chart``: the loss against step (a diverging run is easy to spot);
- ``jitter_chart``: the last steps near 0, L1 subgradient against proximal, zoomed, with
  the threshold band ±ηλ; points exactly at 0 drawn as filled squares;
- ``constraint_chart``: error contours, the L1 diamond and the L2 disc, the constrained
  optima (and optionally a two-weight descent path);
- ``weights_chart`` / ``weights_table``: the final weight of every feature from each rule
  next to an exact solution, with the count of exact zeros.

Legends sit below the plots (``bottom_legend``), so a plot keeps the width on a phone.
The (w1, w2) picture is square with one domain on both axes: draw it at its own size
(``width="content"``), or stretching it turns the disc into an ellipse.

Colours are mid-tone (they read on light and dark themes); rule colours are fixed by
``regcore.updates.RULES`` so a rule looks the same in every chart.  Lines carry tooltips.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from regcore.article.geometry import NORM_LABELS
from regcore.article.trajectory import zero_counts
from regcore.article.updates import RULES

FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
"""Stretched charts fit the width only: ``height`` stays the plot's own, legends below add to it."""
SQUARE = alt.AutoSizeParams(type="pad", contains="padding")
"""Square pictures keep their plot exactly width × height; axes and legends are added around."""
GREY = "#8c8c8c"  # guide lines: visible on white and on near-black backgrounds
PALETTE = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#b279a2", "#72b7b2", "#9d755d", "#eeca3b"]
RULE_COLORS = dict(zip((r.label for r in RULES.values()), PALETTE, strict=False))
NORM_COLORS = {
    NORM_LABELS["none"]: "#9d755d",
    NORM_LABELS["l1"]: "#f58518",
    NORM_LABELS["l2"]: "#4c78a8",
}


def _color_scale(labels, fixed: dict[str, str]) -> alt.Scale:
    """A colour scale over ``labels`` in order; known labels keep their fixed colour."""
    labels = list(dict.fromkeys(labels))
    spare = iter(c for c in PALETTE if c not in {fixed.get(x) for x in labels})
    return alt.Scale(domain=labels, range=[fixed.get(x) or next(spare, GREY) for x in labels])


def bottom_legend(title: str) -> alt.Legend:
    """A legend below the plot, one label a line: the plot keeps the width on a phone."""
    return alt.Legend(title=title, orient="bottom", columns=1, labelLimit=260)


def _with_labels(traj: pd.DataFrame) -> pd.DataFrame:
    """The trajectory with a readable ``label`` column, rows ordered as ``RULES`` lists rules."""
    out = traj.copy()
    out["label"] = out["rule"].map(lambda r: RULES[r].label if r in RULES else str(r))
    order = {name: i for i, name in enumerate(RULES)}
    return out.sort_values(
        ["rule", "step"], key=lambda s: s.map(order) if s.name == "rule" else s, kind="stable"
    )


def zero_rule(axis: str = "y") -> alt.Chart:
    frame = pd.DataFrame({"zero": [0.0]})
    return (
        alt.Chart(frame)
        .mark_rule(color=GREY, strokeDash=[4, 4])
        .encode(**{axis: alt.Y("zero:Q") if axis == "y" else alt.X("zero:Q")})
    )


def _rule_tooltip(*extra) -> list:
    return [
        alt.Tooltip("label:N", title="rule"),
        alt.Tooltip("feature:N"),
        alt.Tooltip("step:Q"),
        alt.Tooltip("w:Q", format=".6g"),
        *extra,
    ]


def trajectory_chart(
    traj: pd.DataFrame, *, feature=None, title: str | None = None, height: int = 240
) -> alt.LayerChart:
    """w against step for each rule (and feature), with a dashed line at w = 0.

    ``traj``: from ``updates.trajectory`` / ``trajectories``.  ``feature``: draw only that
    feature.  One feature: colour = rule.  Several features and one rule: colour =
    feature.  Several of both: colour = rule, one line per feature.
    """
    data = _with_labels(traj if feature is None else traj[traj["feature"] == feature])
    if data.empty:
        raise ValueError("There is nothing to draw: the trajectory has no rows for that feature.")
    many_features = data["feature"].nunique() > 1
    by_feature = many_features and data["rule"].nunique() == 1
    color = (
        alt.Color("feature:N", title="feature")
        if by_feature
        else alt.Color(
            "label:N", legend=bottom_legend("rule"), scale=_color_scale(data["label"], RULE_COLORS)
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("step:Q", title="step"),
            y=alt.Y("w:Q", title="weight w"),
            color=color,
            detail="feature:N" if many_features else alt.Undefined,
            tooltip=_rule_tooltip(
                alt.Tooltip("b:Q", format=".6g"), alt.Tooltip("loss:Q", format=".6g")
            ),
        )
    )
    chart = alt.layer(zero_rule(), line).properties(height=height, autosize=FIT_WIDTH)
    return chart.properties(title=title) if title else chart


def loss_chart(traj: pd.DataFrame, *, log: bool = False, height: int = 240) -> alt.Chart:
    """Loss (Error + λ·penalty) against step, one line per rule; ``log`` uses a log axis (drops loss 0)."""
    data = _with_labels(traj.drop_duplicates(["rule", "step"]))
    if log:
        data = data[data["loss"] > 0]
    return (
        alt.Chart(data)
        .mark_line(strokeWidth=2)
        .encode(
            x=alt.X("step:Q", title="step"),
            y=alt.Y(
                "loss:Q", title="loss", scale=alt.Scale(type="log" if log else "linear", zero=False)
            ),
            color=alt.Color(
                "label:N",
                legend=bottom_legend("rule"),
                scale=_color_scale(data["label"], RULE_COLORS),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="rule"),
                alt.Tooltip("step:Q"),
                alt.Tooltip("loss:Q", format=".6g"),
                alt.Tooltip("error:Q", format=".6g"),
                alt.Tooltip("diverged:N"),
            ],
        )
        .properties(height=height, autosize=FIT_WIDTH)
    )


def jitter_chart(
    traj: pd.DataFrame,
    *,
    rules=("l1", "l1_prox"),
    feature=None,
    last: int = 30,
    eta: float | None = None,
    lam: float | None = None,
    height: int = 260,
) -> alt.LayerChart:
    """The last ``last`` recorded steps of w near 0, zoomed: subgradient jitter vs proximal zero.

    Points where w is exactly 0.0 are filled squares, the others circles.  With ``eta``
    and ``lam`` the band ±ηλ (the soft-threshold's dead zone, and the size of the L1
    subgradient's kick) is drawn dotted.  The y axis is symmetric around 0 and just wide
    enough for the window.
    """
    data = traj[traj["rule"].isin(rules)]
    if feature is None and not data.empty:
        feature = data["feature"].iloc[0]
    data = data[data["feature"] == feature]
    if data.empty:
        raise ValueError(
            f"There is nothing to draw: the trajectory has none of the rules {list(rules)}."
        )
    data = _with_labels(data.groupby("rule", sort=False).tail(last))
    data["at_zero"] = np.where(data["w"] == 0.0, "exactly 0", "not 0")
    band = abs(eta * lam) if eta is not None and lam is not None else 0.0
    reach = max(float(data["w"].abs().max()), band) * 1.15 or 1.0
    y = alt.Y("w:Q", title="weight w (zoomed near 0)", scale=alt.Scale(domain=[-reach, reach]))
    line = (
        alt.Chart(data)
        .mark_line(strokeWidth=1.5, point=False)
        .encode(
            x=alt.X("step:Q", title="step"),
            y=y,
            color=alt.Color(
                "label:N",
                legend=bottom_legend("rule"),
                scale=_color_scale(data["label"], RULE_COLORS),
            ),
        )
    )
    points = (
        alt.Chart(data)
        .mark_point(filled=True, size=50)
        .encode(
            x="step:Q",
            y=y,
            color=alt.Color("label:N", scale=_color_scale(data["label"], RULE_COLORS)),
            shape=alt.Shape(
                "at_zero:N",
                legend=alt.Legend(
                    title="w", orient="bottom", symbolFillColor=GREY, symbolStrokeColor=GREY
                ),
                scale=alt.Scale(domain=["exactly 0", "not 0"], range=["square", "circle"]),
            ),
            tooltip=_rule_tooltip(alt.Tooltip("at_zero:N", title="w is")),
        )
    )
    layers = [zero_rule(), line, points]
    if band > 0:
        edges = pd.DataFrame({"edge": [-band, band], "what": ["−ηλ", "+ηλ"]})
        layers.insert(
            1,
            alt.Chart(edges)
            .mark_rule(color=GREY, strokeDash=[1, 3])
            .encode(
                y=alt.Y("edge:Q"),
                tooltip=[
                    alt.Tooltip("what:N", title="threshold"),
                    alt.Tooltip("edge:Q", format=".4g"),
                ],
            ),
        )
    return alt.layer(*layers).properties(height=height, autosize=FIT_WIDTH)


def square_domain(*frames, pad: float = 0.15) -> list[float]:
    """One [low, high] for both axes that holds every (w1, w2) in the frames, with a margin."""
    values = np.concatenate([f[["w1", "w2"]].to_numpy().ravel() for f in frames if not f.empty])
    low, high = float(values.min()), float(values.max())
    margin = pad * (high - low or 1.0)
    return [low - margin, high + margin]


def outline_layer(frame: pd.DataFrame, x, y, color, detail: str, label: str) -> alt.Chart:
    """Closed outlines (a ball's boundary) drawn in the order of their ``point`` column."""
    return (
        alt.Chart(frame)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            order="point:Q",
            color=color,
            detail=detail,
            tooltip=[alt.Tooltip(label, title="ball")],
        )
    )


def _path_points(path: pd.DataFrame) -> pd.DataFrame:
    """A two-feature trajectory as one row per (rule, step) with columns w1, w2."""
    features = list(dict.fromkeys(path["feature"]))
    if len(features) != 2:
        raise ValueError(
            f"The path over the contours needs a two-feature trajectory; it has {len(features)}."
        )
    wide = path.pivot_table(
        index=["rule", "step"], columns="feature", values="w", sort=False
    ).reset_index()
    wide = wide.rename(columns={features[0]: "w1", features[1]: "w2"})
    return _with_labels(wide)


def constraint_chart(
    frames: dict[str, pd.DataFrame],
    *,
    path: pd.DataFrame | None = None,
    axis_titles=("w1", "w2"),
    size: int = 290,
) -> alt.LayerChart:
    """Error contours with the L1 diamond, the L2 disc and the optima (ESL's picture).

    ``frames``: from ``updates.two_weight_frames``.  Grey ellipses are levels of the
    error; the two coloured ones touch the diamond and the disc at the constrained optima.
    ``path``: optionally a two-feature ``trajectory`` drawn on top (e.g. the proximal
    descent at the L1 optimum's λ, which ends on that optimum).  Both axes share one
    domain, so the diamond looks like a diamond; contours outside it are clipped.
    """
    optima, balls, contours = frames["optima"], frames["balls"], frames["contours"]
    path_points = (
        _path_points(path) if path is not None else pd.DataFrame(columns=["w1", "w2", "label"])
    )
    domain = square_domain(optima, balls, path_points)
    colors = {**NORM_COLORS, **RULE_COLORS}
    color_scale = _color_scale([*optima["label"], *path_points["label"]], colors)
    x = alt.X("w1:Q", title=axis_titles[0], scale=alt.Scale(domain=domain))
    y = alt.Y("w2:Q", title=axis_titles[1], scale=alt.Scale(domain=domain))
    tip = [alt.Tooltip("w1:Q", format=".4g"), alt.Tooltip("w2:Q", format=".4g")]

    level_lines = (
        alt.Chart(contours[contours["touches"] == ""])
        .mark_line(clip=True, color=GREY, strokeWidth=1, opacity=0.6)
        .encode(
            x=x,
            y=y,
            detail="level:N",
            order="point:Q",
            tooltip=[alt.Tooltip("error:Q", format=".4g", title="error")],
        )
    )
    touching = contours[contours["touches"] != ""].assign(
        label=lambda d: d["touches"].map(NORM_LABELS)
    )
    touching_lines = (
        alt.Chart(touching)
        .mark_line(clip=True, strokeDash=[6, 3], strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            detail="level:N",
            order="point:Q",
            color=alt.Color("label:N", scale=color_scale, title=""),
            tooltip=[alt.Tooltip("error:Q", format=".4g", title="error")],
        )
    )
    outlines = outline_layer(
        balls, x, y, alt.Color("label:N", scale=color_scale), "norm:N", "label:N"
    )
    points = (
        alt.Chart(optima)
        .mark_point(filled=True, size=140, opacity=1)
        .encode(
            x=x,
            y=y,
            color=alt.Color("label:N", scale=color_scale),
            shape=alt.Shape("label:N", legend=bottom_legend("optimum")),
            tooltip=[
                alt.Tooltip("label:N", title="optimum"),
                *tip,
                alt.Tooltip("b:Q", format=".4g"),
                alt.Tooltip("error:Q", format=".4g"),
                alt.Tooltip("lam:Q", format=".4g", title="λ"),
            ],
        )
    )
    layers = [zero_rule("x"), zero_rule("y"), level_lines, touching_lines, outlines]
    if not path_points.empty:
        layers.append(
            alt.Chart(path_points)
            .mark_line(point=alt.OverlayMarkDef(size=25), strokeWidth=2, clip=True)
            .encode(
                x=x,
                y=y,
                order="step:Q",
                color=alt.Color("label:N", scale=color_scale),
                tooltip=[alt.Tooltip("label:N", title="rule"), alt.Tooltip("step:Q"), *tip],
            )
        )
    layers.append(points)
    return alt.layer(*layers).properties(width=size, height=size, autosize=SQUARE)


def weights_chart(final: pd.DataFrame, *, height_per_feature: int = 20) -> alt.LayerChart:
    """The final weight of each feature from each rule (``final_weights``), as dots on one row.

    One row per feature (20 px each, whatever the number of rules), colour = rule; a
    weight exactly 0 is a filled square on the 0 line and says "exactly 0" in its tooltip.
    """
    data = final.assign(zero=np.where(final["is_zero"], "exactly 0", "not 0"))
    order = list(dict.fromkeys(data["feature"]))
    dots = (
        alt.Chart(data)
        .mark_point(size=60, filled=True, opacity=0.85)
        .encode(
            y=alt.Y("feature:N", title=None, sort=order),
            x=alt.X("w:Q", title="final weight"),
            color=alt.Color(
                "label:N",
                legend=bottom_legend("rule"),
                scale=_color_scale(data["label"], RULE_COLORS),
            ),
            shape=alt.Shape(
                "zero:N",
                scale=alt.Scale(domain=["exactly 0", "not 0"], range=["square", "circle"]),
                legend=alt.Legend(title="w", orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("label:N", title="rule"),
                alt.Tooltip("feature:N"),
                alt.Tooltip("w:Q", format=".6g"),
                alt.Tooltip("zero:N", title="w is"),
            ],
        )
    )
    height = height_per_feature * max(len(order), 1) + 20
    return alt.layer(zero_rule("x"), dots).properties(height=height, autosize=FIT_WIDTH)


def weights_table(final: pd.DataFrame) -> pd.DataFrame:
    """Features × rules table of final weights, with a last row counting the exact zeros."""
    table = final.pivot_table(index="feature", columns="label", values="w", sort=False)
    table.columns.name = None
    counts = zero_counts(final).set_index("label")["exact_zeros"]
    table.loc["exact zeros (count)"] = counts.reindex(table.columns).astype(float)
    return table


__all__ = [
    "constraint_chart",
    "jitter_chart",
    "loss_chart",
    "trajectory_chart",
    "weights_chart",
    "weights_table",
]
