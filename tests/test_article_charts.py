"""The article's charts (regcore.charts.article): data and encodings via chart.to_dict()."""

import math

import numpy as np
import pandas as pd
import pytest

from regcore.article import losses, norms, overfitting, sparsity
from regcore.charts import article as c


def _layers(chart) -> list[tuple[dict, list[dict]]]:
    spec = chart.to_dict()
    return [(layer, spec["datasets"][layer["data"]["name"]]) for layer in spec["layer"]]


def _mark(layer) -> str:
    return layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]


def test_unit_balls_are_drawn_on_equal_axes_with_the_point():
    balls = pd.concat(
        [norms.unit_ball(p).assign(ball=f"p = {p:g}") for p in (1, 2, math.inf)],
        ignore_index=True,
    )
    chart = c.unit_balls_chart(balls, point=(0.6, -0.8))
    spec = chart.to_dict()
    assert spec["width"] == spec["height"]
    line, rows = next((la, r) for la, r in _layers(chart) if _mark(la) == "line")
    x_domain = line["encoding"]["x"]["scale"]["domain"]
    assert x_domain == line["encoding"]["y"]["scale"]["domain"]
    assert x_domain[0] < -1 and x_domain[1] > 1
    assert {r["ball"] for r in rows} == {"p = 1", "p = 2", "p = inf"}
    colours = dict(
        zip(
            line["encoding"]["color"]["scale"]["domain"],
            line["encoding"]["color"]["scale"]["range"],
            strict=True,
        )
    )
    assert colours["p = 1"] == c.BALL_COLORS["p = 1"] and colours["p = inf"] == c.CHOSEN_COLOR
    point = [r for la, r in _layers(chart) if _mark(la) == "point"][0]
    assert point == [{"w1": 0.6, "w2": -0.8}]


def test_loss_curves_chart_draws_three_losses_and_the_current_w():
    curves = losses.loss_curves([1.0, 2.0], [2.0, 4.0], 0.0, 0.5, np.linspace(-1, 3, 9))
    chart = c.loss_curves_chart(curves, w_now=0.25)
    line, rows = next((la, r) for la, r in _layers(chart) if _mark(la) == "line")
    assert len(rows) == 27
    assert line["encoding"]["color"]["legend"]["orient"] == "bottom"
    rules = [r for la, r in _layers(chart) if _mark(la) == "rule"]
    assert [{"w": 0.25, "what": "current w"}] in rules


def test_subgradient_chart_draws_abs_w_and_its_lines():
    chart = c.subgradient_chart(losses.abs_subgradients(1.0))
    kinds = [{r["kind"] for r in rows} for _, rows in _layers(chart)]
    assert kinds == [{"g·w"}, {"|w|"}]


@pytest.fixture(scope="module")
def example():
    ex = overfitting.make_example()
    grid = overfitting.lambda_grid(ex, n_lambdas=20)
    return ex, [overfitting.sweep(ex, p, grid) for p in ("lasso", "ridge")]


def test_fit_chart_clips_curves_to_the_rows_range(example):
    ex, _ = example
    points = pd.DataFrame({"x": ex.x_train, "y": ex.y_train, "rows": "train"})
    wild = pd.DataFrame({"x": [-1.0, 1.0], "y": [-100.0, 100.0], "curve": "least squares (λ = 0)"})
    chart = c.fit_chart(points, wild)
    line = _layers(chart)[0][0]
    assert line["mark"]["clip"] is True
    low, high = line["encoding"]["y"]["scale"]["domain"]
    assert low > -5 and high < 5  # the rows decide the axis, not the wild curve
    assert low < ex.y_train.min() and high > ex.y_train.max()


def test_error_curves_chart_has_train_and_test_for_both_penalties_and_the_current_lambda(example):
    _, sweeps = example
    table = overfitting.error_table(sweeps)
    chart = c.error_curves_chart(table, lam_now=float(sweeps[0].lambdas[5]))
    line, rows = _layers(chart)[0]
    assert {(r["label"], r["rows"]) for r in rows} == {
        (label, rows) for label in ("L1 (lasso)", "L2 (ridge)") for rows in ("train", "test")
    }
    assert line["encoding"]["y"]["scale"]["type"] == "log"
    rule_rows = _layers(chart)[1][1]
    assert rule_rows[0]["log10_lambda"] == pytest.approx(np.log10(sweeps[0].lambdas[5]))


def test_weights_compare_chart_is_short_and_marks_exact_zeros():
    table = sparsity.weight_table(["a", "b", "c"], [2.0, 0.0, 0.01], [1.5, 0.004, 0.3])
    chart = c.weights_compare_chart(table)
    dots, rows = _layers(chart)[1]
    assert chart.to_dict()["height"] == 3 * 20 + 20
    assert {(r["feature"], r["model"]) for r in rows if r["is"] == "exactly 0"} == {
        ("b", "L1 (lasso)")
    }
    assert dots["encoding"]["shape"]["field"] == "is"
