"""The gradient-descent charts (regcore.charts.descent): their data and encodings, via chart.to_dict()."""

import numpy as np
import pandas as pd
import pytest

from regcore.article import geometry as geo
from regcore.article import trajectory as tr
from regcore.article import updates as up
from regcore.charts import descent as d


def _layers(chart) -> list[tuple[dict, list[dict]]]:
    """(layer spec, its rows) for every layer of a layered chart's Vega-Lite dict."""
    spec = chart.to_dict()
    return [(layer, spec["datasets"][layer["data"]["name"]]) for layer in spec["layer"]]


def _layer(chart, mark: str, field: str | None = None):
    """The first layer with this mark (and, if given, this y or x field)."""
    for layer, rows in _layers(chart):
        mark_type = layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        fields = {layer["encoding"].get(axis, {}).get("field") for axis in ("x", "y")}
        if mark_type == mark and (field is None or field in fields):
            return layer, rows
    raise AssertionError(f"no {mark} layer with field {field}")


@pytest.fixture(scope="module")
def jitter_traj():
    """One feature whose lasso solution at λ = 0.5 is 0 (λ_max = 0.125); η = 0.01."""
    x = np.array([-1.0, -0.5, 0.5, 1.0])
    y = np.array([0.3, -0.2, 0.1, -0.1])
    return tr.trajectories(x, y, rules=up.DEFAULT_RULES, eta=0.01, lam=0.5, steps=300, w0=1.0)


def test_trajectory_chart_draws_w_per_rule_with_the_zero_line(jitter_traj):
    chart = d.trajectory_chart(jitter_traj)
    zero, zero_rows = _layer(chart, "rule")
    assert zero_rows == [{"zero": 0.0}]
    line, rows = _layer(chart, "line", "w")
    assert line["encoding"]["x"]["field"] == "step"
    assert line["encoding"]["color"]["field"] == "label"
    assert {t["field"] for t in line["encoding"]["tooltip"]} >= {"label", "step", "w", "loss"}
    assert len(rows) == len(jitter_traj)
    # legend colours follow RULES, whatever rules are drawn
    scale = line["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
        label: d.RULE_COLORS[label] for label in scale["domain"]
    }


def test_rule_colours_do_not_shift_when_a_rule_is_left_out(jitter_traj):
    only_prox = jitter_traj[jitter_traj["rule"] == "l1_prox"]
    line, _ = _layer(d.trajectory_chart(only_prox), "line", "w")
    assert line["encoding"]["color"]["scale"]["range"] == [d.RULE_COLORS[up.RULES["l1_prox"].label]]


def test_trajectory_chart_colours_features_when_one_rule_has_many():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(20, 3))
    traj = tr.trajectory(X, X @ [1.0, 0.0, -1.0], rule="l1_prox", eta=0.1, lam=0.2, steps=20)
    line, rows = _layer(d.trajectory_chart(traj), "line", "w")
    assert line["encoding"]["color"]["field"] == "feature"
    assert line["encoding"]["detail"]["field"] == "feature"
    assert len(rows) == 21 * 3
    one, rows_one = _layer(d.trajectory_chart(traj, feature="x2"), "line", "w")
    assert {r["feature"] for r in rows_one} == {"x2"}
    assert one["encoding"]["color"]["field"] == "label"


def test_trajectory_chart_refuses_an_unknown_feature(jitter_traj):
    with pytest.raises(ValueError, match="nothing to draw"):
        d.trajectory_chart(jitter_traj, feature="nope")


def test_jitter_chart_zooms_on_the_last_steps_and_marks_exact_zeros(jitter_traj):
    chart = d.jitter_chart(jitter_traj, last=20, eta=0.01, lam=0.5)
    points, rows = _layer(chart, "point")
    assert points["encoding"]["shape"]["field"] == "at_zero"
    by_rule = pd.DataFrame(rows).groupby("rule")
    assert by_rule.size().to_dict() == {"l1": 20, "l1_prox": 20}
    assert set(by_rule.get_group("l1_prox")["at_zero"]) == {"exactly 0"}
    assert set(by_rule.get_group("l1")["at_zero"]) == {"not 0"}
    low, high = points["encoding"]["y"]["scale"]["domain"]
    assert low == -high
    assert high >= 0.01 * 0.5  # wide enough for the ±ηλ band
    assert high < 0.1  # and zoomed: the start at w = 1 is out of the window
    band, band_rows = _layer(chart, "rule", "edge")
    assert sorted(r["edge"] for r in band_rows) == pytest.approx([-0.005, 0.005])


def test_jitter_chart_without_the_rules_says_so():
    traj = tr.trajectory([1.0, 2.0], [1.0, 2.0], rule="plain", eta=0.1, steps=3)
    with pytest.raises(ValueError, match="none of the rules"):
        d.jitter_chart(traj)


def test_loss_chart_has_one_point_per_rule_and_step(jitter_traj):
    spec = d.loss_chart(jitter_traj).to_dict()
    rows = spec["datasets"][spec["data"]["name"]]
    assert len(rows) == len(jitter_traj)  # one feature: one row per (rule, step) already
    assert spec["encoding"]["y"]["field"] == "loss"
    assert {t["field"] for t in spec["encoding"]["tooltip"]} >= {"loss", "diverged"}


@pytest.fixture(scope="module")
def picture():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(50, 2))
    X[:, 1] += 0.7 * X[:, 0]
    y = X @ [1.5, 0.4] - 2.0 + 0.5 * rng.normal(size=50)
    return X, y, geo.two_weight_frames(X, y, 0.8)


def test_constraint_chart_draws_balls_optima_and_contours_on_square_axes(picture):
    _, _, frames = picture
    chart = d.constraint_chart(frames, axis_titles=("age", "bmi"))
    spec = chart.to_dict()
    # equal-scaled axes: a square plot and one domain on both axes, so the disc is round;
    # "pad" keeps the plot itself width × height (legend and axes are added around it)
    assert spec["width"] == spec["height"]
    assert spec["autosize"]["type"] == "pad"
    points, optima = _layer(chart, "point")
    assert [r["norm"] for r in optima] == ["none", "l1", "l2"]
    assert {t["field"] for t in points["encoding"]["tooltip"]} >= {"w1", "w2", "lam"}
    assert points["encoding"]["x"]["title"] == "age"
    assert points["encoding"]["x"]["scale"]["domain"] == points["encoding"]["y"]["scale"]["domain"]
    low, high = points["encoding"]["x"]["scale"]["domain"]
    assert low < -0.8 and high > 0.8  # the whole diamond and disc fit
    lines = [(layer, rows) for layer, rows in _layers(chart) if layer["mark"]["type"] == "line"]
    drawn = {r.get("norm") for _, rows in lines for r in rows}
    assert {"l1", "l2"} <= drawn
    touching = [rows for layer, rows in lines if rows and rows[0].get("touches") in ("l1", "l2")]
    assert {r["touches"] for rows in touching for r in rows} == {"l1", "l2"}
    assert all(layer["mark"].get("clip") for layer, rows in lines if rows and "level" in rows[0])


def test_constraint_chart_overlays_a_two_feature_path(picture):
    X, y, frames = picture
    lam = frames["optima"].set_index("norm").loc["l1", "lam"]
    path = tr.trajectory(X, y, rule="l1_prox", eta=0.2, lam=lam, steps=50)
    chart = d.constraint_chart(frames, path=path)
    path_layer = [rows for layer, rows in _layers(chart) if rows and "step" in rows[0]]
    assert len(path_layer) == 1
    assert len(path_layer[0]) == 51
    assert {"w1", "w2", "label"} <= set(path_layer[0][0])
    with pytest.raises(ValueError, match="two-feature trajectory"):
        d.constraint_chart(frames, path=tr.trajectory(X[:, 0], y, rule="plain", eta=0.1, steps=2))


@pytest.fixture(scope="module")
def final():
    traj = pd.DataFrame(
        {
            "rule": ["l1", "l1", "l1_prox", "l1_prox"],
            "feature": ["a", "b", "a", "b"],
            "step": [9, 9, 9, 9],
            "w": [0.51, 0.003, 0.5, 0.0],
        }
    )
    return tr.final_weights(traj, exact=[0.5, 0.0], exact_label="exact lasso")


def test_weights_chart_puts_one_row_per_feature_and_marks_exact_zeros(final):
    chart = d.weights_chart(final)
    dots, rows = _layer(chart, "point")
    assert dots["encoding"]["y"]["field"] == "feature"
    assert dots["encoding"]["x"]["field"] == "w"
    assert dots["encoding"]["color"]["field"] == "label"
    assert len(rows) == 6
    zeros = sorted(r["rule"] for r in rows if r["zero"] == "exactly 0")
    assert zeros == ["exact lasso", "l1_prox"]
    # 20 px a feature, whatever the number of rules: 20 features stay near 400 px
    assert chart.to_dict()["height"] == 20 * 2 + 20
    many = pd.concat([final.assign(feature=final["feature"] + str(k)) for k in range(10)])
    assert d.weights_chart(many).to_dict()["height"] == 20 * 20 + 20


def test_legends_sit_below_the_plots(jitter_traj):
    line, _ = _layer(d.trajectory_chart(jitter_traj), "line", "w")
    assert line["encoding"]["color"]["legend"]["orient"] == "bottom"
    spec = d.loss_chart(jitter_traj).to_dict()
    assert spec["encoding"]["color"]["legend"]["orient"] == "bottom"


def test_weights_table_has_a_row_counting_exact_zeros(final):
    table = d.weights_table(final)
    assert list(table.index) == ["a", "b", "exact zeros (count)"]
    assert table.loc["b", "L1 proximal (soft-threshold)"] == 0.0
    assert table.loc["exact zeros (count)"].to_dict() == {
        "L1 subgradient (eq. 1.1/1.2)": 0.0,
        "L1 proximal (soft-threshold)": 1.0,
        "exact lasso": 1.0,
    }
