"""The cross-validation curve: mean held-out error ± one standard error, λ_min and λ_1se.

Pure: arrays (or a ``regcore.CVResult``'s fields) in, an Altair chart out.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from regcore.charts.path import lambda_axis, marker_layers, markers_frame, positive_lambdas


def cv_frame(lambdas, mean, se) -> pd.DataFrame:
    """One row per λ > 0: lambda, log10_lambda, mean, se, lower (mean − se), upper (mean + se)."""
    keep = positive_lambdas(lambdas)
    lambdas = np.asarray(lambdas, dtype=float)[keep]
    mean = np.asarray(mean, dtype=float)[keep]
    se = np.asarray(se, dtype=float)[keep]
    return pd.DataFrame(
        {
            "lambda": lambdas,
            "log10_lambda": np.log10(lambdas),
            "mean": mean,
            "se": se,
            "lower": mean - se,
            "upper": mean + se,
        }
    )


def cv_chart(lambdas, mean, se, lambda_min: float, lambda_1se: float) -> alt.LayerChart:
    """Mean CV error versus log₁₀ λ with a ±1 SE band; λ_1se (solid) and λ_min (dashed) marked."""
    frame = cv_frame(lambdas, mean, se)
    x = lambda_axis()
    tooltip = [
        alt.Tooltip("lambda:Q", format=".4g"),
        alt.Tooltip("mean:Q", title="CV MSE", format=".4g"),
        alt.Tooltip("se:Q", title="standard error", format=".3g"),
    ]
    band = (
        alt.Chart(frame)
        .mark_area(opacity=0.25)
        .encode(
            x=x,
            y=alt.Y("lower:Q", title="cross-validated MSE", scale=alt.Scale(zero=False)),
            y2="upper:Q",
        )
    )
    line = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=14))
        .encode(x=x, y=alt.Y("mean:Q"), tooltip=tooltip)
    )
    markers = markers_frame(
        [(lambda_1se, f"λ_1se = {lambda_1se:.4g}"), (lambda_min, f"λ_min = {lambda_min:.4g}")]
    )
    return (band + line + marker_layers(markers)).properties(height=300)
