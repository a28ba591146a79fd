"""Chart builders of the Path, Cross-validation and Compare pages: their data and encodings.

Each test reads the Vega-Lite spec (``chart.to_dict()``) and checks that what is drawn is
the regcore result it claims to show.
"""

import numpy as np
import pandas as pd
import pytest

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


def test_coefficient_paths_draw_every_coefficient_of_the_path(lasso_path):
    lam = float(lasso_path.lambdas[12])
    ((_, enc, records, _),) = marks(path_charts.coefficient_paths_chart(lasso_path, lam), "line")
    assert enc["x"]["field"] == "log10_lambda" and enc["x"]["scale"]["reverse"] is True
    assert enc["y"]["field"] == "coefficient" and enc["color"]["field"] == "feature"
    assert {t["field"] for t in enc["tooltip"]} >= {"feature", "lambda", "coefficient"}
    frame = pd.DataFrame(records).pivot(index="lambda", columns="feature", values="coefficient")
    frame = frame.sort_index(ascending=False)[lasso_path.feature_names]
    np.testing.assert_allclose(frame.to_numpy(), lasso_path.coef)
    np.testing.assert_allclose(frame.index, lasso_path.lambdas)


def test_coefficient_paths_mark_the_current_lambda_with_its_nonzero_count(lasso_path):
    i = 12
    lam = float(lasso_path.lambdas[i])
    chart = path_charts.coefficient_paths_chart(lasso_path, lam, standardized=True)
    ((_, enc, rule, _),) = marks(chart, "rule")
    assert (
        len(rule) == 1
        and rule[0]["lambda"] == lam
        and rule[0]["log10_lambda"] == pytest.approx(np.log10(lam))
    )
    assert enc["strokeDash"]["field"] == "style" and rule[0]["style"] == "current"
    texts = marks(chart, "text")
    labels = [
        r["label"] for _, enc, recs, _ in texts if enc["text"]["field"] == "label" for r in recs
    ]
    assert labels == [f"λ = {lam:.4g}: {int(lasso_path.n_nonzero[i])} non-zero"]
    counts = [r for _, enc, recs, _ in texts if enc["text"]["field"] == "n_nonzero" for r in recs]
    by_lambda = dict(zip(lasso_path.lambdas, lasso_path.n_nonzero, strict=True))
    assert counts and all(r["n_nonzero"] == by_lambda[r["lambda"]] for r in counts)
    ((_, _, records, _),) = marks(chart, "line")
    drawn = pd.DataFrame(records).query("`lambda` == @lam").set_index("feature")["coefficient"]
    np.testing.assert_allclose(drawn[lasso_path.feature_names], lasso_path.coef_std[i])


def test_only_the_largest_coefficients_are_drawn_when_there_are_many(lasso_path):
    frame = path_charts.coefficient_path_frame(lasso_path, max_lines=5)
    assert frame["feature"].nunique() == 5
    biggest = np.argsort(-np.abs(lasso_path.coef).max(axis=0))[:5]
    assert set(frame["feature"]) == {lasso_path.feature_names[j] for j in biggest}


def test_error_chart_draws_train_and_test_mse_and_marks_the_best_test_lambda(lasso_path):
    rng = np.random.default_rng(1)
    train = rng.uniform(1, 2, lasso_path.lambdas.size)
    test = rng.uniform(2, 3, lasso_path.lambdas.size)
    lam = float(lasso_path.lambdas[3])
    chart = path_charts.error_chart(lasso_path.lambdas, train, test, lam)
    ((_, enc, records, _),) = marks(chart, "line")
    assert enc["y"]["field"] == "mse" and enc["color"]["field"] == "set"
    drawn = pd.DataFrame(records)
    np.testing.assert_allclose(drawn.query("set == 'train'")["mse"], train)
    np.testing.assert_allclose(drawn.query("set == 'test'")["mse"], test)
    ((_, _, rules, _),) = marks(chart, "rule")
    best = float(lasso_path.lambdas[np.argmin(test)])
    assert {r["label"]: r["lambda"] for r in rules} == {
        f"λ = {lam:.4g}": lam,
        f"best test λ = {best:.4g}": best,
    }
    assert [r["style"] for r in rules] == [
        "current",
        "reference",
    ]  # the current λ solid, the best test λ dashed


def test_bars_are_sorted_and_exact_zeros_are_drawn_and_labelled_zero(lasso_path):
    i = 8
    coef = lasso_path.coef[i]
    chart = path_charts.coefficient_bars_chart(lasso_path.feature_names, coef)
    ((_, enc, records, _),) = marks(chart, "bar")
    drawn = pd.DataFrame(records)
    assert list(drawn["coefficient"]) == sorted(coef, reverse=True)
    assert list(drawn["rank"]) == list(range(len(drawn)))  # the bars' order, top to bottom
    assert enc["y"]["sort"] == {"field": "rank", "op": "min", "order": "ascending"}
    zero = drawn["coefficient"] == 0
    assert zero.sum() == lasso_path.coef.shape[1] - lasso_path.n_nonzero[i] > 0
    assert (drawn.loc[zero, "label"] == "0").all() and (drawn.loc[zero, "sign"] == "zero").all()
    points = marks(chart, "point")
    assert points and "zero" in points[0][3][0]["filter"]
    ((_, enc, labels, _),) = [m for m in marks(chart, "text") if m[1]["text"]["field"] == "label"]
    assert [r["label"] for r in labels] == list(drawn["label"])


def test_a_path_without_positive_lambda_is_refused_in_plain_words():
    df = make_synthetic(n=60)
    ols = regcore.fit_path(df.drop(columns="y"), df["y"], "none")
    with pytest.raises(ValueError, match="no path to draw"):
        path_charts.coefficient_paths_chart(ols, 0.0)


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


def test_charts_built_on_a_cached_base_equal_fresh_ones_and_leave_the_base_as_it_was(lasso_path):
    """The Path page builds each chart once per path and moves λ by swapping data on a copy."""
    train = test = np.linspace(2.0, 1.0, lasso_path.lambdas.size)
    names, lambdas = lasso_path.feature_names, lasso_path.lambdas
    bases = (
        path_charts.coefficient_paths_base(lasso_path),
        path_charts.error_chart_base(lambdas, train, test),
        path_charts.coefficient_bars_base(names),
    )
    before = [base.to_dict() for base in bases]
    for i in (3, 17, 3):
        lam = float(lambdas[i])
        built = (
            path_charts.coefficient_paths_chart(lasso_path, lam, base=bases[0]),
            path_charts.error_chart(lambdas, train, test, lam, base=bases[1]),
            path_charts.coefficient_bars_chart(names, lasso_path.coef[i], base=bases[2]),
        )
        fresh = (
            path_charts.coefficient_paths_chart(lasso_path, lam),
            path_charts.error_chart(lambdas, train, test, lam),
            path_charts.coefficient_bars_chart(names, lasso_path.coef[i]),
        )
        for one, other in zip(built, fresh, strict=True):
            assert one.to_dict() == other.to_dict()
        ((_, _, rule, _),) = marks(built[0], "rule")
        assert [r["lambda"] for r in rule] == [lam]
    assert [base.to_dict() for base in bases] == before
