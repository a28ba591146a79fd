"""The cross-validation curve as glmnet draws it: points with ±1 SE bars, λ_min and λ_1se,
non-zero counts along the top.

Pure: arrays (or a ``regcore.CVResult``'s fields) in, a table or an Altair chart out.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from regcore.charts.path import (
    GUIDE_COLOUR,
    df_ticks,
    lambda_axis,
    marker_layers,
    markers_frame,
    positive_lambdas,
)

TOP_LABEL = "non-zero coefficients ↓"
POINT_COLOUR = "#e45756"  # glmnet's red points; reads on light and dark backgrounds


def cv_frame(lambdas, mean, se, n_nonzero=None) -> pd.DataFrame:
    """One row per λ > 0: lambda, log10_lambda, mean, se, lower (mean − se), upper (mean + se),
    and n_nonzero when given (the full-data path's count at each λ)."""
    keep = positive_lambdas(lambdas)
    lambdas = np.asarray(lambdas, dtype=float)[keep]
    mean = np.asarray(mean, dtype=float)[keep]
    se = np.asarray(se, dtype=float)[keep]
    frame = pd.DataFrame(
        {
            "lambda": lambdas,
            "log10_lambda": np.log10(lambdas),
            "mean": mean,
            "se": se,
            "lower": mean - se,
            "upper": mean + se,
        }
    )
    if n_nonzero is not None:
        frame["n_nonzero"] = np.asarray(n_nonzero)[keep]
    return frame


def cv_table(cv) -> pd.DataFrame:
    """The curve for download: ``cv_frame`` columns (λ > 0), then each fold's held-out error,
    ``fold_<i>_<measure>`` (mse; deviance, misclassification or auc for a logistic model)."""
    frame = cv_frame(cv.lambdas, cv.mean, cv.se, cv.path.n_nonzero).drop(columns="log10_lambda")
    keep = positive_lambdas(cv.lambdas)
    folds = np.asarray(cv.fold_curves, dtype=float)[:, keep]
    for i, column in enumerate(folds, start=1):
        frame[f"fold_{i}_{cv.measure}"] = column
    return frame


def cv_chart(
    lambdas,
    mean,
    se,
    lambda_min: float,
    lambda_1se: float,
    n_nonzero=None,
    *,
    log_y: bool = False,
    measure: str = "MSE",
) -> alt.LayerChart:
    """Mean CV error versus log₁₀ λ: points with ±1 SE error bars, λ_1se and λ_min dashed.

    As in glmnet's plot, the labels of λ_1se and λ_min sit on separate rows, and the
    non-zero counts (``n_nonzero``, when given) are written above the plot.  The y axis
    leaves out 0 so that the minimum shows; ``log_y`` draws it on a log scale.  ``measure``
    names the error in the axis title and the tooltip (a logistic model's deviance, …).
    """
    frame = cv_frame(lambdas, mean, se, n_nonzero)
    x = lambda_axis()
    y_scale = alt.Scale(type="log") if log_y else alt.Scale(zero=False)
    tooltip = [
        alt.Tooltip("lambda:Q", title="λ", format=".4g"),
        alt.Tooltip("mean:Q", title=f"CV {measure}", format=".4g"),
        alt.Tooltip("se:Q", title="standard error", format=".3g"),
    ]
    if n_nonzero is not None:
        tooltip.append(alt.Tooltip("n_nonzero:Q", title="non-zero"))
    bars = (
        alt.Chart(frame)
        .mark_rule(color=GUIDE_COLOUR)
        .encode(
            x=x,
            y=alt.Y(
                "lower:Q",
                title=f"cross-validated {measure}" + (" (log scale)" if log_y else ""),
                scale=y_scale,
            ),
            y2="upper:Q",
        )
    )
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=28, color=POINT_COLOUR)
        .encode(x=x, y=alt.Y("mean:Q"), tooltip=tooltip)
    )
    markers = markers_frame(
        [(lambda_1se, f"λ_1se = {lambda_1se:.4g}"), (lambda_min, f"λ_min = {lambda_min:.4g}")]
    )
    markers["style"] = "reference"
    layers = [bars, points, marker_layers(markers)]
    title = None
    if n_nonzero is not None:
        layers.append(
            alt.Chart(df_ticks(frame))
            .mark_text(baseline="bottom", color=GUIDE_COLOUR)
            .encode(x="log10_lambda:Q", y=alt.value(-4), text="n_nonzero:Q")
        )
        title = alt.Title(
            TOP_LABEL,
            fontSize=11,
            fontWeight="normal",
            anchor="start",
            color=GUIDE_COLOUR,
            offset=14,
        )
    chart = alt.layer(*layers).properties(height=320)
    return chart.properties(title=title) if title is not None else chart
