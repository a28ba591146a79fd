"""Charts of a logistic (two-class) model: a measure against λ, the ROC curve, the confusion matrix.

Pure: arrays in, an Altair chart out, so tests read data and encodings through
``chart.to_dict()``.  λ runs along the same right-to-left log₁₀ axis as the path charts.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import numpy as np
import pandas as pd

from regcore.charts.path import (
    GUIDE_COLOUR,
    SET_COLOURS,
    SET_DASHES,
    lambda_axis,
    marker_layers,
    markers_frame,
    positive_lambdas,
)

#: the measures of a two-class model, by name: (short name, axis title)
MEASURES = {
    "deviance": ("deviance", "mean deviance (−2 × mean log-likelihood)"),
    "misclassification": ("misclassification", "misclassification rate"),
    "auc": ("AUC", "area under the ROC curve"),
}
ROC_COLOUR = SET_COLOURS["test"]
#: the words of the path figure's error chart that name the linear model's error
LINEAR_ERROR = {"mean squared error": 1, "MSE": 0}
SQUARE_PX = 260


def measure_frame(lambdas, train, test) -> pd.DataFrame:
    """Long frame, one row per λ > 0 and set: lambda, log10_lambda, set (train | test), value."""
    keep = positive_lambdas(lambdas)
    lambdas = np.asarray(lambdas, dtype=float)[keep]
    sets = {
        "train": np.asarray(train, dtype=float)[keep],
        "test": np.asarray(test, dtype=float)[keep],
    }
    return pd.DataFrame(
        {
            "lambda": np.tile(lambdas, 2),
            "log10_lambda": np.tile(np.log10(lambdas), 2),
            "set": np.repeat(list(sets), lambdas.size),
            "value": np.concatenate(list(sets.values())),
        }
    )


def measure_chart(
    lambdas,
    train,
    test,
    measure: str,
    current: float,
    references: Sequence[tuple[float, str]] = (),
) -> alt.LayerChart:
    """Train (blue, solid) and test (orange, dashed) ``measure`` (a key of ``MEASURES``) against
    log₁₀ λ, the current λ a solid rule and ``references`` ((λ, label) pairs) dashed."""
    name, title = MEASURES[measure]
    frame = measure_frame(lambdas, train, test)
    sets = list(SET_COLOURS)
    lines = (
        alt.Chart(frame)
        .mark_line()
        .encode(
            x=lambda_axis(),
            y=alt.Y("value:Q", title=title, scale=alt.Scale(zero=False)),
            color=alt.Color(
                "set:N",
                title=None,
                scale=alt.Scale(domain=sets, range=list(SET_COLOURS.values())),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "set:N",
                scale=alt.Scale(domain=sets, range=list(SET_DASHES.values())),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("set:N", title="rows"),
                alt.Tooltip("lambda:Q", title="λ", format=".4g"),
                alt.Tooltip("value:Q", title=name, format=".4g"),
            ],
        )
    )
    markers = markers_frame([(current, f"λ = {current:.4g}"), *references])
    return alt.layer(lines, marker_layers(markers)).properties(height=220)


def roc_frame(fpr, tpr) -> pd.DataFrame:
    """The ROC curve's points in order: fpr (false positive rate), tpr (true positive rate)."""
    return pd.DataFrame(
        {"fpr": np.asarray(fpr, dtype=float), "tpr": np.asarray(tpr, dtype=float)}
    ).assign(order=lambda f: np.arange(len(f)))


def roc_chart(fpr, tpr, auc: float, *, title: str = "ROC curve (test rows)") -> alt.LayerChart:
    """True against false positive rate over every threshold, the chance diagonal dashed,
    the AUC in the title."""
    axis = alt.Scale(domain=[0, 1], nice=False)
    curve = (
        alt.Chart(roc_frame(fpr, tpr))
        .mark_line(color=ROC_COLOUR, interpolate="step-after")
        .encode(
            x=alt.X("fpr:Q", title="false positive rate (1 − specificity)", scale=axis),
            y=alt.Y("tpr:Q", title="true positive rate (sensitivity)", scale=axis),
            order="order:Q",
            tooltip=[
                alt.Tooltip("fpr:Q", title="false positive rate", format=".3f"),
                alt.Tooltip("tpr:Q", title="true positive rate", format=".3f"),
            ],
        )
    )
    chance = (
        alt.Chart(pd.DataFrame({"fpr": [0.0, 1.0], "tpr": [0.0, 1.0]}))
        .mark_line(color=GUIDE_COLOUR, strokeDash=[5, 4])
        .encode(x="fpr:Q", y="tpr:Q")
    )
    return alt.layer(chance, curve).properties(
        title=f"{title}: AUC = {auc:.3f}",
        height=SQUARE_PX,
        width=SQUARE_PX,
        padding={"top": 16, "left": 5, "right": 5, "bottom": 5},  # room for the title
    )


def confusion_frame(counts, labels: Sequence[str]) -> pd.DataFrame:
    """One row per cell of a 2×2 confusion matrix ``counts[actual][predicted]`` (0 then 1):
    actual, predicted (the class labels), count, share (of all rows)."""
    counts = np.asarray(counts, dtype=float).reshape(2, 2)
    total = counts.sum()
    return pd.DataFrame(
        [
            {
                "actual": str(labels[a]),
                "predicted": str(labels[p]),
                "count": int(counts[a, p]),
                "share": counts[a, p] / total if total else np.nan,
                "correct": a == p,
            }
            for a in (0, 1)
            for p in (0, 1)
        ]
    )


def confusion_chart(counts, labels: Sequence[str], *, title: str) -> alt.LayerChart:
    """The confusion matrix as a 2×2 grid of counts: actual class down, predicted across,
    shaded by count."""
    frame = confusion_frame(counts, labels)
    order = [str(label) for label in labels]
    x = alt.X("predicted:N", title="predicted", sort=order, axis=alt.Axis(labelAngle=0))
    y = alt.Y("actual:N", title="actual", sort=order)
    cells = (
        alt.Chart(frame)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color("count:Q", scale=alt.Scale(scheme="blues"), legend=None),
            tooltip=[
                "actual:N",
                "predicted:N",
                alt.Tooltip("count:Q", title="rows"),
                alt.Tooltip("share:Q", title="share of rows", format=".1%"),
            ],
        )
    )
    dark = float(frame["count"].max()) / 2  # white text on the darker half of the shades
    text = (
        alt.Chart(frame)
        .mark_text(fontSize=18, fontWeight="bold")
        .encode(
            x=x,
            y=y,
            text="count:Q",
            color=alt.condition(f"datum.count > {dark}", alt.value("white"), alt.value("black")),
        )
    )
    return alt.layer(cells, text).properties(title=title, height=SQUARE_PX, width=SQUARE_PX)


def renamed_errors(spec: dict, measure: str) -> dict:
    """A copy of a ``regcore.charts.path.path_figure`` spec whose error chart names ``measure``
    (a key of ``MEASURES``) where it names the mean squared error (axis title, tooltips).

    Only the figure's dict structure is copied; its datasets are shared.
    """
    words = MEASURES[measure]

    def rename(node):
        if isinstance(node, dict):
            return {key: rename(value) for key, value in node.items()}
        if isinstance(node, list):
            return [rename(value) for value in node]
        if isinstance(node, str) and node in LINEAR_ERROR:
            return words[LINEAR_ERROR[node]]
        return node

    out = dict(spec)
    out["vconcat"] = [rename(view) for view in spec["vconcat"]]
    return out
