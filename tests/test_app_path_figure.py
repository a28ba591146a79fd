"""The Path page's figure: where its labels go and how unpenalised features are drawn.

Read from the Vega-Lite spec ``regcore.charts.path.path_figure`` builds (the one the page
sends), with the helpers of ``test_charts``.
"""

import numpy as np
import pytest
from test_charts import figure_views, frame_of

import regcore
from regcore.charts import path as path_charts
from regcore.datasets import make_synthetic


def figure_of(path, references=()):
    train = np.linspace(3.0, 1.0, path.lambdas.size)
    return path_charts.path_figure(
        path, train, train + 0.1, standardized=True, references=list(references)
    )


@pytest.fixture(scope="module")
def data():
    df = make_synthetic(n=120)
    return df.drop(columns="y"), df["y"]


def test_the_lambda_axis_spans_exactly_the_grid(data):
    path = regcore.fit_path(*data, "lasso", n_lambdas=30)
    spec = figure_of(path)
    logs = np.log10(path.lambdas)
    domains = [
        enc["x"]["scale"]["domain"]
        for _, enc, _, _, _ in figure_views(spec)
        if "scale" in enc.get("x", {}) and enc["x"]["field"] == "log10_lambda"
    ]
    assert len(domains) == 2  # the paths and the errors
    for domain in domains:
        assert domain == pytest.approx([logs.min(), logs.max()])


def test_every_lambda_label_has_its_own_row_above_the_plot_even_for_equal_lambdas(data):
    """λ_1se = the current λ = λ_min: the readout and the three labels still never meet."""
    path = regcore.fit_path(*data, "lasso", n_lambdas=30)
    lam = float(path.lambdas[12])
    spec = path_charts.at_step(figure_of(path, [(lam, "λ_min"), (lam, "λ_1se")]), 12)
    for view in spec["vconcat"][:2]:  # the paths and the errors
        rows = []
        for mark, enc, source, _, _ in figure_views(view):
            if mark != "text" or source is None:
                continue
            y = enc.get("y", {})
            if "value" in y:  # the readout, the counts: one row for the whole layer
                rows.append(y["value"])
            elif y.get("field") == "label_y" and y.get("scale", {}) is None:
                rows += list(frame_of(spec, source)["label_y"])
        assert len(rows) == len(set(rows)), rows
        assert all(y < 0 for y in rows)  # above the plot, where no rule or line runs


def test_unpenalised_features_are_dashed_and_named_in_label_and_tooltip(data):
    X, y = data
    free = ["x05", "x17"]  # not among the largest: named anyway
    factor = [0.0 if f in free else 1.0 for f in X.columns]
    path = regcore.fit_path(X, y, "lasso", n_lambdas=30, penalty_factor=factor)
    spec = figure_of(path)
    coefficients = spec["datasets"][path_charts.COEFFICIENTS].drop_duplicates("feature")
    styles = coefficients.set_index("feature")
    assert set(styles.index[styles["penalty"] == "unpenalised"]) == set(free)
    assert (styles.loc[free, "label"] == [f"{f} (unpenalised)" for f in free]).all()
    assert styles.loc[free, "named"].all()
    ends = spec["datasets"][path_charts.LINE_ENDS]
    assert {f"{f} (unpenalised)" for f in free} <= set(ends["label"])
    ((_, lines, _, _, _),) = [v for v in figure_views(spec) if v[4] == path_charts.LINES_VIEW]
    dash = lines["strokeDash"]
    assert dash["field"] == "penalty"
    assert dict(zip(dash["scale"]["domain"], map(tuple, dash["scale"]["range"]), strict=True)) == {
        "penalised": (1, 0),
        "unpenalised": tuple(path_charts.UNPENALISED_DASH),
    }
    assert {"field": "label", "type": "nominal", "title": "feature"} in lines["tooltip"]
    (end_text,) = [
        enc
        for mark, enc, source, _, _ in figure_views(spec)
        if mark == "text" and (source or {}).get("name") == path_charts.LINE_ENDS
    ]
    assert end_text["text"]["field"] == "label"


def test_without_penalty_factors_every_line_is_solid_and_plainly_named(data):
    path = regcore.fit_path(*data, "lasso", n_lambdas=30)
    styles = figure_of(path)["datasets"][path_charts.COEFFICIENTS]
    assert (styles["penalty"] == "penalised").all()
    assert (styles["label"] == styles["feature"]).all()


def test_a_negative_coefficients_value_sits_right_of_zero_never_over_the_names():
    spec = path_charts.coefficient_bars_figure(["a", "b"], [-2.0, 1.0], title="t")
    ((_, enc, _, transforms, _),) = [
        v for v in figure_views(spec) if v[4] == path_charts.BAR_LABELS_VIEW
    ]
    assert enc["x"]["field"] == "label_x"
    assert {"calculate": "max(datum.coefficient, 0)", "as": "label_x"} in transforms


def test_the_bars_axis_holds_every_coefficient_of_the_path_and_stays_put(data):
    """A range that followed λ redrew the axis and every bar on each move of λ."""
    path = regcore.fit_path(*data, "lasso", n_lambdas=30)
    spec = figure_of(path)
    ((_, enc, _, _, _),) = [v for v in figure_views(spec) if v[4] == path_charts.BARS_VIEW]
    lo, hi = enc["x"]["scale"]["domain"]
    assert lo <= min(path.coef_std.min(), 0) and hi >= max(path.coef_std.max(), 0)
    assert hi - max(path.coef_std.max(), 0) >= 0.1 * (hi - lo)  # room for the value labels
