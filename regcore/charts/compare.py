"""Models side by side: the textbook table and a grouped bar chart of their coefficients.

A ``ModelFit`` records one fitted model (its λ, coefficients on both scales, test error);
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
STAT_ROWS = ("λ", "non-zero coefficients", "test MSE", "test R²")


@dataclass(frozen=True)
class ModelFit:
    model: str  # the column title, e.g. "Lasso (λ_1se)"
    lam: float
    intercept: float
    coef: np.ndarray  # original scale
    coef_std: np.ndarray  # standardised scale
    test_mse: float
    test_r2: float

    @property
    def n_nonzero(self) -> int:
        return int(np.count_nonzero(self.coef_std))


def comparison_table(
    feature_names: Sequence[str], fits: Sequence[ModelFit], *, standardized: bool = False
) -> pd.DataFrame:
    """One column per model; rows: the intercept, every coefficient, then λ, non-zero count, test MSE, test R².

    The intercept row is on the original scale either way (the standardised model's
    intercept is the mean of y).
    """
    rows = [INTERCEPT_ROW, *feature_names, *STAT_ROWS]
    columns = {}
    for fit in fits:
        coef = np.asarray(fit.coef_std if standardized else fit.coef, dtype=float)
        columns[fit.model] = [
            fit.intercept,
            *coef,
            fit.lam,
            float(fit.n_nonzero),
            fit.test_mse,
            fit.test_r2,
        ]
    return pd.DataFrame(columns, index=pd.Index(rows, name="term", dtype=object))


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
    """Grouped bars: one group per feature, one bar per model (zeros are bars of height 0)."""
    frame = coefficients_frame(
        feature_names, fits, standardized=standardized, max_features=max_features
    )
    models = [f.model for f in fits]
    title = "coefficient" + (" (standardised scale)" if standardized else "")
    if len(feature_names) > max_features:
        title += f": the {max_features} largest of {len(feature_names)}"
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("feature:N", sort=list(dict.fromkeys(frame["feature"])), title=None),
            xOffset=alt.XOffset("model:N", sort=models),
            y=alt.Y("coefficient:Q", title=title),
            color=alt.Color("model:N", sort=models, title=None),
            tooltip=["feature:N", "model:N", alt.Tooltip("coefficient:Q", format=".4g")],
        )
        .properties(height=320)
    )


def test_error_chart(fits: Sequence[ModelFit]) -> alt.Chart:
    """Test mean squared error of each model, as bars labelled with the value."""
    frame = pd.DataFrame(
        {
            "model": [f.model for f in fits],
            "test_mse": [f.test_mse for f in fits],
            "label": [f"{f.test_mse:.4g}" for f in fits],
        }
    )
    models = frame["model"].tolist()
    base = alt.Chart(frame).encode(y=alt.Y("model:N", sort=models, title=None))
    bars = base.mark_bar().encode(
        x=alt.X("test_mse:Q", title="test MSE"),
        color=alt.Color("model:N", sort=models, legend=None),
        tooltip=["model:N", alt.Tooltip("test_mse:Q", format=".4g")],
    )
    text = base.mark_text(align="left", dx=4, color=GUIDE_COLOUR).encode(
        x="test_mse:Q", text="label:N"
    )
    return (bars + text).properties(height=40 * len(fits) + 20)
