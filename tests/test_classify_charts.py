"""The two-class charts: a measure against λ, the ROC curve and the confusion matrix (spec contents)."""

import numpy as np
import pytest
from test_charts import layers

from regcore.charts import classify as charts
from regcore.charts.cv import cv_chart


def test_measure_chart_draws_train_and_test_against_log_lambda_with_the_current_lambda():
    lambdas = np.array([1.0, 0.1, 0.01, 0.0])  # λ = 0 has no place on a log axis
    spec = charts.measure_chart(
        lambdas,
        [0.5, 0.3, 0.2, 0.1],
        [0.5, 0.35, 0.4, 0.45],
        "misclassification",
        0.1,
        [(0.01, "λ_min = 0.01")],
    ).to_dict()
    found = layers(spec)
    (line,) = [layer for layer in found if layer[0] == "line"]
    mark, encoding, records, _ = line
    assert encoding["x"]["field"] == "log10_lambda"
    assert encoding["y"]["title"] == "misclassification rate"
    rows = {(r["set"], r["lambda"]): r["value"] for r in records}
    assert len(rows) == 6 and rows[("test", 0.01)] == 0.4 and rows[("train", 1.0)] == 0.5
    rules = [layer for layer in found if layer[0] == "rule"]
    assert rules and {r["lambda"] for r in rules[0][2]} == {0.1, 0.01}


def test_roc_chart_draws_the_curve_the_diagonal_and_the_auc():
    fpr, tpr = [0.0, 0.0, 0.5, 1.0], [0.0, 0.5, 1.0, 1.0]
    spec = charts.roc_chart(fpr, tpr, 0.875).to_dict()
    assert "AUC = 0.875" in spec["title"]
    lines = [layer for layer in layers(spec) if layer[0] == "line"]
    assert len(lines) == 2
    curve = next(layer for layer in lines if len(layer[2]) == 4)
    assert [r["tpr"] for r in curve[2]] == tpr and [r["fpr"] for r in curve[2]] == fpr
    assert curve[1]["x"]["title"].startswith("false positive rate")
    assert curve[1]["y"]["scale"]["domain"] == [0, 1]
    chance = next(layer for layer in lines if len(layer[2]) == 2)
    assert [(r["fpr"], r["tpr"]) for r in chance[2]] == [(0.0, 0.0), (1.0, 1.0)]


def test_confusion_chart_holds_the_four_counts_by_actual_and_predicted_label():
    counts = np.array([[50, 7], [12, 31]])
    spec = charts.confusion_chart(counts, ["no", "yes"], title="test rows").to_dict()
    rect, text = (
        next(layer for layer in layers(spec) if layer[0] == kind) for kind in ("rect", "text")
    )
    cells = {(r["actual"], r["predicted"]): r["count"] for r in rect[2]}
    assert cells == {("no", "no"): 50, ("no", "yes"): 7, ("yes", "no"): 12, ("yes", "yes"): 31}
    assert rect[1]["x"]["title"] == "predicted" and rect[1]["y"]["title"] == "actual"
    assert rect[1]["x"]["sort"] == ["no", "yes"]
    assert text[1]["text"]["field"] == "count"
    shares = {(r["actual"], r["predicted"]): r["share"] for r in rect[2]}
    assert shares[("yes", "yes")] == pytest.approx(0.31)


def test_cv_chart_names_its_measure():
    spec = cv_chart([1.0, 0.1], [0.6, 0.5], [0.01, 0.02], 0.1, 1.0, measure="deviance").to_dict()
    titles = [layer[1]["y"].get("title") for layer in layers(spec) if "y" in layer[1]]
    assert "cross-validated deviance" in titles


def test_the_path_figure_renamed_to_deviance_keeps_no_mse_in_its_error_chart():
    import json

    import regcore
    from regcore.charts.path import path_figure
    from regcore.datasets import make_churn

    df = make_churn(n=120)
    X, y = df.filter(like="x").to_numpy(), (df["churn"] == "yes").to_numpy(float)
    path = regcore.fit_path(X, y, "lasso", family="logistic", n_lambdas=20)
    dev = path.loss(X, y, "deviance")
    spec = path_figure(path, dev, dev)
    renamed = charts.renamed_errors(spec, "deviance")
    errors = json.dumps(renamed["vconcat"][1], default=str, ensure_ascii=False)
    assert "mean squared error" not in errors and '"MSE"' not in errors
    assert charts.MEASURES["deviance"][1] in errors and '"deviance"' in errors
    assert "mean squared error" in json.dumps(spec["vconcat"][1], default=str)  # a copy
    assert renamed["datasets"] is spec["datasets"]
