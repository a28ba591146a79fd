"""Models side by side: the textbook table and a grouped bar chart of their coefficients.

A ``ModelFit`` records one fitted model (its λ, intercept and coefficients on both scales,
train and test errors);
``comparison_table`` prints them as columns, ``coefficients_chart`` draws the coefficients
as grouped bars and ``test_error_chart`` the test errors.  Pure: data in, table or chart out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import altair as alt
import numpy as np
import pandas as pd

from regcore.charts.path import GUIDE_COLOUR, largest_features

MAX_FEATURES = 40
INTERCEPT_ROW = "(intercept)"
STAT_ROWS = ("λ", "non-zero coefficients", "train MSE", "test MSE", "train R²", "test R²")
# one fixed colour per model, the same on light and dark themes (least squares, ridge, lasso, enet)
MODEL_COLOURS = ("#7f7f7f", "#1f6fb4", "#e8710a", "#2ca02c", "#9467bd", "#d62728")
LABEL_LIMIT_PX = 400  # feature names are shown whole up to this width


@dataclass(frozen=True)
class ModelFit:
    model: str  # the column title, e.g. "Lasso (λ_1se)"
    lam: float
    intercept: float  # original scale
    intercept_std: float  # the standardised model's: the prediction at the mean training row
    coef: np.ndarray  # original scale
    coef_std: np.ndarray  # standardised scale
    train_mse: float
    test_mse: float
    train_r2: float
    test_r2: float

    @property
    def n_nonzero(self) -> int:
        return int(np.count_nonzero(self.coef_std))


def comparison_table(
    feature_names: Sequence[str], fits: Sequence[ModelFit], *, standardized: bool = False
) -> pd.DataFrame:
    """One column per model; rows: the intercept and every coefficient on the scale asked for,
    then λ, non-zero count, train and test MSE, train and test R²."""
    rows = [INTERCEPT_ROW, *feature_names, *STAT_ROWS]
    columns = {}
    for fit in fits:
        coef = np.asarray(fit.coef_std if standardized else fit.coef, dtype=float)
        columns[fit.model] = [
            fit.intercept_std if standardized else fit.intercept,
            *coef,
            fit.lam,
            float(fit.n_nonzero),
            fit.train_mse,
            fit.test_mse,
            fit.train_r2,
            fit.test_r2,
        ]
    return pd.DataFrame(columns, index=pd.Index(rows, name="term", dtype=object))


def model_colours(fits: Sequence[ModelFit]) -> alt.Scale:
    models = [f.model for f in fits]
    return alt.Scale(domain=models, range=list(MODEL_COLOURS[: len(models)]))


def coefficients_frame(
    feature_names: Sequence[str],
    fits: Sequence[ModelFit],
    *,
    standardized: bool = False,
    max_features: int = MAX_FEATURES,
) -> pd.DataFrame:
    """Long frame: feature, model, coefficient — the ``max_features`` largest features when there are more."""
    names = list(feature_names)
    stacked = np.vstack(
        [np.asarray(f.coef_std if standardized else f.coef, dtype=float) for f in fits]
    )
    drawn = largest_features(stacked, names, max_features)
    cols = [names.index(f) for f in drawn]
    return pd.DataFrame(
        {
            "feature": np.tile(np.asarray(drawn, dtype=object), len(fits)),
            "model": np.repeat(np.asarray([f.model for f in fits], dtype=object), len(cols)),
            "coefficient": stacked[:, cols].ravel(),
        }
    )


def coefficients_chart(
    feature_names: Sequence[str],
    fits: Sequence[ModelFit],
    *,
    standardized: bool = False,
    max_features: int = MAX_FEATURES,
) -> alt.Chart:
    """Grouped horizontal bars: one group per feature (its whole name on the left), one bar
    per model (zeros are bars of length 0)."""
    frame = coefficients_frame(
        feature_names, fits, standardized=standardized, max_features=max_features
    )
    models = [f.model for f in fits]
    title = "coefficient" + (" (standardised scale)" if standardized else " (original scale)")
    if len(feature_names) > max_features:
        title += f": the {max_features} largest of {len(feature_names)}"
    n_drawn = frame["feature"].nunique()
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y(
                "feature:N",
                sort=list(dict.fromkeys(frame["feature"])),
                title=None,
                axis=alt.Axis(labelLimit=LABEL_LIMIT_PX, labelOverlap=False),
            ),
            yOffset=alt.YOffset("model:N", sort=models),
            x=alt.X("coefficient:Q", title=title),
            color=alt.Color(
                "model:N",
                sort=models,
                scale=model_colours(fits),
                title=None,
                legend=alt.Legend(orient="top", columns=2, labelLimit=LABEL_LIMIT_PX),
            ),
            tooltip=["feature:N", "model:N", alt.Tooltip("coefficient:Q", format=".4g")],
        )
        .properties(height=max(160, n_drawn * (6 * len(models) + 8)))
    )


def test_error_chart(fits: Sequence[ModelFit]) -> alt.LayerChart:
    """Test mean squared error of each model, as bars labelled with the value (room left for it)."""
    frame = pd.DataFrame(
        {
            "model": [f.model for f in fits],
            "test_mse": [f.test_mse for f in fits],
            "label": [f"{f.test_mse:.4g}" for f in fits],
        }
    )
    models = frame["model"].tolist()
    top = float(np.nanmax(frame["test_mse"])) if len(frame) else 1.0
    x = alt.X("test_mse:Q", title="test MSE", scale=alt.Scale(domain=[0, 1.3 * top], nice=False))
    base = alt.Chart(frame).encode(
        y=alt.Y("model:N", sort=models, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT_PX))
    )
    bars = base.mark_bar().encode(
        x=x,
        color=alt.Color("model:N", sort=models, scale=model_colours(fits), legend=None),
        tooltip=["model:N", alt.Tooltip("test_mse:Q", format=".4g")],
    )
    text = base.mark_text(align="left", dx=4, color=GUIDE_COLOUR).encode(x=x, text="label:N")
    return (bars + text).properties(height=40 * len(fits) + 20)
