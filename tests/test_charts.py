"""Chart builders of the Path, Cross-validation and Compare pages: their data and encodings.

Each test reads the Vega-Lite spec (``chart.to_dict()``) and checks that what is drawn is
the regcore result it claims to show.
"""

import json

import altair as alt
import jsonschema
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import regcore
from regcore.charts import compare, cv
from regcore.charts import path as path_charts
from regcore.datasets import make_synthetic


def layers(spec: dict, datasets: dict | None = None, data=None):
    """Every mark in a spec as (mark type, encoding, records, transforms), data inherited from parents."""
    datasets = spec.get("datasets", datasets or {})
    data = spec.get("data", data)
    found = []
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            found += layers(child, datasets, data)
    if "mark" in spec:
        mark = spec["mark"]["type"] if isinstance(spec["mark"], dict) else spec["mark"]
        records = (
            datasets[data["name"]] if data and "name" in data else (data or {}).get("values", [])
        )
        found.append((mark, spec.get("encoding", {}), records, spec.get("transform", [])))
    return found


def marks(chart, kind):
    return [layer for layer in layers(chart.to_dict()) if layer[0] == kind]


@pytest.fixture(scope="module")
def lasso_path():
    df = make_synthetic(n=120)
    return regcore.fit_path(df.drop(columns="y"), df["y"], "lasso", n_lambdas=30)


def figure_views(spec: dict, transforms=(), data=None):
    """Every mark of a ``path_figure`` spec as (mark, encoding, frame, transforms, name), with the
    data and the transforms (filters included) it inherits from its parents."""
    transforms = [*transforms, *spec.get("transform", [])]
    data = spec.get("data", data)
    found = []
    for key in ("layer", "vconcat", "hconcat", "concat"):
        for child in spec.get(key, []):
            found += figure_views(child, transforms, data)
    if "mark" in spec:
        mark = spec["mark"]["type"] if isinstance(spec["mark"], dict) else spec["mark"]
        found.append((mark, spec.get("encoding", {}), data, transforms, spec.get("name", "")))
    return found


@pytest.fixture(scope="module")
def figure(lasso_path):
    train = np.linspace(3.0, 1.0, lasso_path.lambdas.size)
    test = train + np.sin(np.arange(lasso_path.lambdas.size))
    refs = [(float(lasso_path.lambdas[9]), "λ_1se = x"), (float(lasso_path.lambdas[14]), "λ_min")]
    spec = path_charts.path_figure(lasso_path, train, test, standardized=True, references=refs)
    return spec, train, test


def frame_of(spec: dict, data) -> pd.DataFrame:
    return pd.DataFrame(spec["datasets"][data["name"]] if "name" in data else data["values"])


def test_the_figures_are_valid_vega_lite(figure):
    spec, _, _ = figure
    bars = path_charts.coefficient_bars_figure(["a", "b"], [1.0, 0.0], title="least squares")
    for one in (spec, bars):
        alt.vegalite.v6.schema.core.Root.validate({**one, "datasets": {}})  # its data aside
    with pytest.raises(jsonschema.ValidationError):
        alt.vegalite.v6.schema.core.Root.validate({**spec, "vconcat": [{"mark": "nope"}]})


def test_the_figure_holds_the_whole_path_once(lasso_path, figure):
    spec, train, test = figure
    data = spec["datasets"]
    coef = data[path_charts.COEFFICIENTS].pivot(
        index="step", columns="feature", values="coefficient"
    )
    np.testing.assert_allclose(coef[lasso_path.feature_names].to_numpy(), lasso_path.coef_std)
    steps = data[path_charts.STEPS]
    np.testing.assert_allclose(steps["lambda"], lasso_path.lambdas)
    np.testing.assert_allclose(steps["train_mse"], train)
    np.testing.assert_allclose(steps["test_mse"], test)
    assert list(steps["n_nonzero"]) == list(lasso_path.n_nonzero)
    assert list(steps["step"]) == list(range(lasso_path.lambdas.size))
    for mark, _, source, _, _ in figure_views(spec):  # no chart carries data of its own but the
        assert "name" in source or mark in ("rule", "text"), mark  # few reference markers


def test_one_parameter_bound_to_a_range_input_drives_the_markers_readouts_and_bars(
    lasso_path, figure
):
    spec, _, _ = figure
    (step,) = [p for p in spec["params"] if p["name"] == path_charts.STEP]
    k = len(spec["datasets"][path_charts.STEPS])
    assert step["bind"] == {**step["bind"], "input": "range", "min": 0, "max": k - 1, "step": 1}
    assert step["value"] == 0
    follows = [
        (mark, path_charts.BARS_VIEW in name)
        for mark, _, _, transforms, name in figure_views(spec)
        if {"filter": path_charts.AT_STEP} in transforms  # the rows of the current step
        or any(path_charts.STEP in str(t.get("calculate", "")) for t in transforms)
    ]
    assert ("rule", False) in follows and ("text", False) in follows  # marker and readouts
    assert ("point", False) in follows  # the train and test dots at the current λ
    assert ("bar", True) in follows  # the bars: their coefficient at the current step
    bars = spec["datasets"][path_charts.BARS].set_index("feature")
    for i in (0, 11, k - 1):
        np.testing.assert_allclose(
            bars.loc[lasso_path.feature_names, f"c{i}"], lasso_path.coef_std[i]
        )
    moved = path_charts.at_step(spec, 7)
    assert [p["value"] for p in moved["params"] if p["name"] == path_charts.STEP] == [7]
    assert step["value"] == 0 and moved["datasets"] is spec["datasets"]  # the cached spec stays


def test_the_readouts_name_lambda_the_nonzero_count_and_both_errors(figure):
    spec, _, _ = figure
    texts = [
        t["calculate"]
        for _, _, _, transforms, _ in figure_views(spec)
        for t in transforms
        if t.get("as") == "readout"
    ]
    assert len(texts) == 2
    assert "datum.n_nonzero" in texts[0] and "non-zero" in texts[0]
    assert "datum.train_mse" in texts[1] and "datum.test_mse" in texts[1]


def test_reference_lambdas_are_marked_on_the_paths_and_the_errors(lasso_path, figure):
    spec, _, test = figure
    marked = [
        frame_of(spec, source)
        for mark, _, source, _, _ in figure_views(spec)
        if mark == "rule" and source is not None and "label" in frame_of(spec, source)
    ]
    labels = [sorted(frame["label"]) for frame in marked]
    best = float(lasso_path.lambdas[int(np.argmin(test))])
    assert ["λ_1se = x", "λ_min"] in labels  # on the paths
    assert sorted(["λ_1se = x", "λ_min", f"best test λ = {best:.4g}"]) in labels  # on the errors
    for frame in marked:  # one row each above the plot, none the readout's: no overlap
        assert frame["label_y"].is_unique and (frame["label_y"] < 0).all()
        assert path_charts.strip_y(0) not in set(frame["label_y"])


def test_step_of_finds_the_nearest_grid_lambda(lasso_path):
    for i in (0, 5, lasso_path.lambdas.size - 1):
        assert path_charts.step_of(lasso_path, float(lasso_path.lambdas[i]) * 1.01) == i


def test_tooltips_name_only_what_a_reader_knows(figure):
    spec, _, _ = figure
    internal = {"log10_lambda", "label_y", "step", "colour", "named", "rank", "in_bars", "key"}
    shown = set()
    for _, enc, _, _, _ in figure_views(spec):
        tips = enc.get("tooltip", [])
        for tip in tips if isinstance(tips, list) else [tips]:
            shown.add(tip["field"])
            assert tip["field"] not in internal, tip
            assert tip["field"] != "lambda" or tip["title"] == "λ", tip
    assert {"feature", "lambda", "coefficient", "mse"} <= shown


def test_the_colours_are_fixed_in_the_spec_so_both_themes_draw_the_same(figure):
    spec, _, _ = figure
    for _, enc, _, _, _ in figure_views(spec):
        for channel in ("color", "stroke", "fill"):
            if channel not in enc:
                continue
            for part in [enc[channel], *([enc[channel].get("condition")] or [])]:
                for one in part if isinstance(part, list) else [part]:
                    if one and "field" in one:  # never the theme's category scheme
                        assert one.get("scale") is None or "range" in one["scale"], one
    coloured = spec["datasets"][path_charts.COEFFICIENTS].drop_duplicates("feature")
    named = coloured[coloured["named"]]
    assert set(named["colour"]) <= set(path_charts.PALETTE)
    assert named["colour"].is_unique  # a named line never shares its colour
    assert (coloured.loc[~coloured["named"], "colour"] == path_charts.HIGHLIGHT_COLOUR).all()


def test_train_and_test_differ_in_hue_and_dash(figure):
    spec, _, _ = figure
    ((_, enc, _, transforms, _),) = [v for v in figure_views(spec) if v[0] == "line"][1:]
    assert enc["color"]["field"] == enc["strokeDash"]["field"] == "set"
    assert enc["color"]["scale"]["range"] == list(path_charts.SET_COLOURS.values())
    dashes = enc["strokeDash"]["scale"]["range"]
    assert len({tuple(d) for d in dashes}) == 2
    assert any(t.get("fold") == ["train_mse", "test_mse"] for t in transforms)


def test_the_largest_lines_are_named_at_their_ends_without_overlap(lasso_path, figure):
    spec, _, _ = figure
    ends = spec["datasets"][path_charts.LINE_ENDS]
    final = np.abs(lasso_path.coef_std[-1])
    largest = np.argsort(-final, kind="stable")[: path_charts.MAX_LABELS]
    assert set(ends["feature"]) == {lasso_path.feature_names[j] for j in largest}
    (y_scale,) = [
        enc["y"]["scale"]["domain"]
        for mark, enc, source, _, _ in figure_views(spec)
        if mark == "text" and source.get("name") == path_charts.LINE_ENDS
    ]
    gap = path_charts.LABEL_GAP_PX * (y_scale[1] - y_scale[0]) / path_charts.PATHS_HEIGHT
    placed = np.sort(ends["label_y"].to_numpy())
    assert (np.diff(placed) >= gap * (1 - 1e-9)).all()
    order = np.argsort(ends["coefficient"].to_numpy(), kind="stable")
    assert (np.diff(ends["label_y"].to_numpy()[order]) >= 0).all()  # the lines' order is kept


@given(
    st.lists(st.floats(-10, 10, allow_nan=False), min_size=1, max_size=30),
    st.floats(0.01, 2.0),
)
def test_spread_labels_keeps_order_and_the_gap_and_moves_nothing_already_apart(y, gap):
    y = np.asarray(y)
    out = path_charts.spread_labels(y, gap)
    order = np.argsort(-y, kind="stable")
    assert (np.diff(out[order]) <= -gap * (1 - 1e-9)).all()
    if (np.diff(np.sort(y)) >= gap).all():
        np.testing.assert_allclose(out, y, atol=1e-9)


def test_hover_click_and_search_highlight_the_same_feature_in_paths_and_bars(figure):
    spec, _, _ = figure
    params = {p["name"]: p for p in spec["params"]}
    for name in (path_charts.HOVER, path_charts.PICK):
        assert params[name]["select"]["fields"] == ["feature"]
        views = params[name]["views"]
        assert any(path_charts.LINES_VIEW in v for v in views)
        assert any(path_charts.BARS_VIEW in v for v in views)
    assert params[path_charts.SEARCH]["bind"]["input"] == "search"
    for mark in ("line", "bar"):
        (enc,) = [e for m, e, _, _, n in figure_views(spec) if m == mark and "coefficient_" in n]
        tested = json.dumps(enc)
        for name in (path_charts.HOVER, path_charts.PICK, path_charts.SEARCH):
            assert name in tested, (mark, name)


def test_many_features_fade_to_grey_instead_of_recycling_colours():
    df = make_synthetic(n=200, p=45)
    X, y = df.drop(columns="y"), df["y"]
    path = regcore.fit_path(X, y, "lasso", n_lambdas=20)
    spec = path_charts.path_figure(path, path.mse(X, y), path.mse(X, y))
    styles = spec["datasets"][path_charts.COEFFICIENTS].drop_duplicates("feature")
    assert len(styles) == 45
    assert styles["named"].sum() == path_charts.MAX_LABELS
    ((_, enc, _, _, _),) = [v for v in figure_views(spec) if v[0] == "line"][:1]
    assert enc["color"]["value"] == path_charts.FADED_COLOUR  # unnamed lines are grey


def test_ridge_counts_effective_df_along_the_top():
    df = make_synthetic(n=120)
    X, y = df.drop(columns="y"), df["y"]
    path = regcore.fit_path(X, y, "ridge", n_lambdas=15)
    spec = path_charts.path_figure(path, path.mse(X, y), path.mse(X, y))
    (enc,) = [e for m, e, s, _, _ in figure_views(spec) if s.get("name") == path_charts.COUNT_TICKS]
    assert enc["text"]["field"] == "df"
    np.testing.assert_allclose(spec["datasets"][path_charts.STEPS]["df"], path.df)


def test_least_squares_bars_show_its_coefficients_with_exact_zeros_as_zero():
    coef = np.array([1.5, 0.0, -2.0])
    spec = path_charts.coefficient_bars_figure(["a", "b", "c"], coef, title="least squares")
    frame = spec["datasets"][path_charts.BARS]
    np.testing.assert_allclose(frame["c0"], coef)
    assert list(frame["rank"]) == [0, 1, 2]  # the bars' order: largest first
    calculated = [
        t["calculate"]
        for _, _, _, ts, _ in figure_views(spec)
        for t in ts
        if t.get("as") == "label"
    ]
    assert calculated and "== 0 ? '0'" in calculated[0]


def test_a_path_without_positive_lambda_is_refused_in_plain_words():
    df = make_synthetic(n=60)
    ols = regcore.fit_path(df.drop(columns="y"), df["y"], "none")
    with pytest.raises(ValueError, match="no path to draw"):
        path_charts.path_figure(ols, [1.0], [1.0])


def test_cv_chart_draws_points_with_one_se_bars_both_rules_and_the_counts():
    df = make_synthetic(n=150)
    result = regcore.cross_validate(df.drop(columns="y"), df["y"], k=5, n_lambdas=25)
    chart = cv.cv_chart(
        result.lambdas,
        result.mean,
        result.se,
        result.lambda_min,
        result.lambda_1se,
        result.path.n_nonzero,
    )
    rules = marks(chart, "rule")
    ((_, enc, bars, _),) = [r for r in rules if "y2" in r[1]]
    assert enc["y"]["field"] == "lower" and enc["y2"]["field"] == "upper"
    assert enc["y"]["scale"] == {"zero": False}  # the minimum shows
    bars = pd.DataFrame(bars)
    np.testing.assert_allclose(bars["upper"] - bars["lower"], 2 * result.se)
    ((_, _, points, _),) = marks(chart, "point")
    np.testing.assert_allclose(pd.DataFrame(points)["mean"], result.mean)
    ((_, _, markers, _),) = [r for r in rules if "y2" not in r[1]]
    assert {r["label"].split(" =")[0]: r["lambda"] for r in markers} == {
        "λ_min": result.lambda_min,
        "λ_1se": result.lambda_1se,
    }
    ((_, _, labels, _),) = [t for t in marks(chart, "text") if t[1]["text"]["field"] == "label"]
    assert len({r["label_y"] for r in labels}) == 2  # one row each: the labels never overlap
    ((_, _, counts, _),) = [t for t in marks(chart, "text") if t[1]["text"]["field"] == "n_nonzero"]
    assert {(r["lambda"], r["n_nonzero"]) for r in counts} <= set(
        zip(result.lambdas, result.path.n_nonzero, strict=True)
    )
    log = cv.cv_chart(
        result.lambdas, result.mean, result.se, result.lambda_min, result.lambda_1se, log_y=True
    )
    ((_, enc, _, _),) = [r for r in marks(log, "rule") if "y2" in r[1]]
    assert enc["y"]["scale"] == {"type": "log"}
    assert result.lambda_1se >= result.lambda_min


def test_cv_table_holds_the_curve_and_every_fold():
    df = make_synthetic(n=150)
    result = regcore.cross_validate(df.drop(columns="y"), df["y"], k=4, n_lambdas=20)
    table = cv.cv_table(result)
    assert list(table.columns[:6]) == ["lambda", "mean", "se", "lower", "upper", "n_nonzero"]
    assert [c for c in table.columns if c.startswith("fold_")] == [
        f"fold_{i}_mse" for i in range(1, 5)
    ]
    folds = table[[f"fold_{i}_mse" for i in range(1, 5)]].to_numpy()
    sizes = np.bincount(result.folds)  # the mean weighs each fold by its rows
    np.testing.assert_allclose(folds @ sizes / sizes.sum(), table["mean"])


@pytest.fixture(scope="module")
def fits():
    names = ["a", "b", "c"]
    return names, [
        compare.ModelFit(
            "Least squares",
            0.0,
            1.0,
            4.0,
            np.array([1.0, -2.0, 0.5]),
            np.array([2.0, -4.0, 1.0]),
            2.0,
            3.0,
            0.7,
            0.5,
        ),
        compare.ModelFit(
            "Lasso (λ_1se)",
            0.3,
            1.1,
            4.0,
            np.array([0.8, 0.0, 0.0]),
            np.array([1.6, 0.0, 0.0]),
            2.2,
            2.5,
            0.65,
            0.6,
        ),
    ]


def test_comparison_table_is_the_textbook_layout(fits):
    names, models = fits
    table = compare.comparison_table(names, models)
    assert list(table.columns) == ["Least squares", "Lasso (λ_1se)"]
    assert list(table.index) == ["(intercept)", "a", "b", "c", *compare.STAT_ROWS]
    assert table.loc["b", "Lasso (λ_1se)"] == 0.0 and table.loc["b", "Least squares"] == -2.0
    assert table.loc["non-zero coefficients"].tolist() == [3.0, 1.0]
    assert table.loc["train MSE"].tolist() == [2.0, 2.2]
    assert table.loc["test MSE"].tolist() == [3.0, 2.5]
    assert table.loc["(intercept)"].tolist() == [1.0, 1.1]
    standardised = compare.comparison_table(names, models, standardized=True)
    assert standardised.loc["a", "Least squares"] == 2.0
    assert standardised.loc["(intercept)"].tolist() == [4.0, 4.0]


def test_grouped_bars_have_one_bar_per_model_and_feature_with_whole_names(fits):
    names, models = fits
    chart = compare.coefficients_chart(names, models, standardized=True)
    ((_, enc, records, _),) = marks(chart, "bar")
    assert enc["yOffset"]["field"] == "model" and enc["y"]["field"] == "feature"
    assert enc["y"]["axis"]["labelLimit"] >= 300
    assert enc["color"]["scale"]["range"][:2] == list(compare.MODEL_COLOURS[:2])
    drawn = pd.DataFrame(records).pivot(index="feature", columns="model", values="coefficient")
    np.testing.assert_allclose(drawn.loc[names, "Lasso (λ_1se)"], [1.6, 0.0, 0.0])
    np.testing.assert_allclose(drawn.loc[names, "Least squares"], [2.0, -4.0, 1.0])
    ((_, enc, records, _),) = marks(compare.test_error_chart(models), "bar")
    assert [r["test_mse"] for r in records] == [3.0, 2.5] and enc["x"]["field"] == "test_mse"
    assert enc["x"]["scale"]["domain"][1] > 3.0  # room for the value labels at the right
