"""The dashboard on a two-valued target: logistic by default, every page drawn, linear selectable,
the family and the CV measure in the link."""

import io
import json

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest
from test_app import assert_clean, chart_layers, go, metrics, start

from dashboard import show, views

PAGES = ("data", "path", "cv", "compare", "descent")


def yes_no_csv(n: int = 160, seed: int = 4) -> bytes:
    """x1…x4 (x1 and x3 matter), a segment (3 levels) and approved = yes/no, last."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 4))
    p = 1 / (1 + np.exp(-(1.5 * X[:, 0] - 1.0 * X[:, 2])))
    df = pd.DataFrame(X.round(4), columns=["x1", "x2", "x3", "x4"])
    df["segment"] = rng.choice(["a", "b", "c"], n)
    df["approved"] = np.where(rng.random(n) < p, "yes", "no")
    buffer = io.StringIO()
    df.to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def upload(data: bytes, name: str = "loans.csv") -> AppTest:
    at = go(start(), "data")
    return at.file_uploader(key="uploader").upload(name, data, "text/csv").run()


def chart_titles(at: AppTest) -> list[str]:
    titles = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        title = spec.get("title")
        titles.append(title.get("text") if isinstance(title, dict) else str(title))
    return titles


def test_a_yes_no_upload_is_fitted_logistic_and_every_page_draws_its_charts():
    at = upload(yes_no_csv())
    assert_clean(at)
    assert at.sidebar.radio(key="family").value == "logistic"
    told = [show.unliteral(i.value) for i in at.info]
    assert any("'yes' is 1" in t and "logistic" in t for t in told), told
    assert "family" not in at.query_params  # the default for two values, as every default
    for page in PAGES:
        go(at, page)
        assert_clean(at)
        assert not at.warning, [w.value for w in at.warning]  # a chart that failed says so
        assert at.title, page
        if page != "data":
            assert at.get("vega_lite_chart"), page
        if page == "descent":  # the log-loss's slope, worked on a row
            told = [show.unliteral(i.value) for i in at.info]
            assert any("H = (p − y)·x" in t for t in told), told
    go(at, "path")
    shown = metrics(at)
    assert {"test deviance", "test misclassification", "test AUC", "train deviance"} <= set(shown)
    assert "test MSE" not in shown
    titles = chart_titles(at)
    assert any(t.startswith("confusion matrix") for t in titles), titles
    assert any(t.startswith("ROC curve") and "AUC = " in t for t in titles), titles
    assert shown["scikit-learn l1_ratio"] == "1"  # lasso
    go(at, "compare")
    (table,) = [df.value for df in at.dataframe if "test AUC" in df.value.index]
    assert list(table.columns) == [
        "Ridge (λ_1se)",
        "Lasso (λ_1se)",
        "Elastic net (α = 0.50, λ_1se)",
    ]
    assert ((table.loc["test AUC"] > 0.5) & (table.loc["test AUC"] <= 1)).all()
    assert (
        table.loc["non-zero coefficients", "Lasso (λ_1se)"]
        < table.loc["non-zero coefficients", "Ridge (λ_1se)"]
    )


def test_switching_to_linear_and_a_link_with_family_linear_restore_the_linear_model():
    at = upload(yes_no_csv())
    go(at, "path")
    at.sidebar.radio(key="family").set_value("linear").run()
    assert_clean(at)
    shown = metrics(at)
    assert "test MSE" in shown and "test deviance" not in shown
    assert at.query_params["family"] == "linear"
    at.sidebar.radio(key="family").set_value("logistic").run()
    assert (
        "test deviance" in metrics(at) and at.query_params.get("family", "logistic") == "logistic"
    )

    at = start(sample="Churn (binary)", family="linear")
    assert_clean(at)
    assert at.sidebar.radio(key="family").value == "linear"
    assert "test MSE" in metrics(at)
    at = start(sample="Churn (binary)")
    assert at.sidebar.radio(key="family").value == "logistic"
    assert "test deviance" in metrics(at)


def test_a_numeric_target_goes_back_to_linear_with_no_error():
    at = upload(yes_no_csv())
    at.selectbox(key="target").set_value("x4").run()
    assert_clean(at)
    go(at, "path")
    assert_clean(at)
    assert "family" not in [r.key for r in at.sidebar.radio]
    assert "test MSE" in metrics(at)


def test_the_cv_measure_is_in_the_link_and_names_the_chart_axis():
    at = start(sample="Churn (binary)", k="3")
    go(at, "cv")
    at.sidebar.radio(key="measure").set_value("auc").run()
    assert_clean(at)
    assert at.query_params["measure"] == "auc"
    assert any(label.startswith("CV AUC at") for label in metrics(at))
    at = start(sample="Churn (binary)", measure="misclassification", k="3")
    go(at, "cv")
    assert_clean(at)
    assert at.sidebar.radio(key="measure").value == "misclassification"
    shown = metrics(at)
    assert any(label.startswith("CV misclassification at") for label in shown), shown
    ys = [
        layer[1]["y"].get("title")
        for chart in chart_layers(at)
        for layer in chart
        if "y" in layer[1] and "title" in layer[1]["y"]
    ]
    assert any(str(t).startswith("cross-validated misclassification") for t in ys), ys


def csv_bytes(df: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    df.to_csv(buffer, index=False)
    return buffer.getvalue().encode()


def test_a_class_with_one_training_row_or_separable_classes_give_plain_messages():
    from regcore.data import make_design, read_csv

    rng = np.random.default_rng(7)
    df = pd.DataFrame(rng.normal(size=(80, 3)).round(4), columns=["x1", "x2", "x3"])
    df["answer"] = "no"
    design = make_design(read_csv(csv_bytes(df.assign(answer=range(80))))[0], "answer")
    df.loc[[design.train_rows[3], design.test_rows[0]], "answer"] = "yes"  # one yes to train on
    at = upload(csv_bytes(df), "rare.csv")
    assert not at.exception and at.sidebar.radio(key="family").value == "logistic"
    for page in ("path", "cv", "compare", "descent"):
        go(at, page)
        assert not at.exception, (page, [e.value for e in at.exception])
        shown = [show.unliteral(e.value) for e in at.error]
        assert any("holds one class only" in text for text in shown), (page, shown)
    go(at, "path")
    assert at.get("vega_lite_chart") and "test deviance" in metrics(at)  # the rest still works

    x1 = (np.sign(df["x1"]) * (1 + df["x1"].abs())).round(4)  # a gap of 2 around 0
    df = df.assign(x1=x1, answer=np.where(x1 > 0, "yes", "no"))  # x1 separates the classes
    at = upload(csv_bytes(df), "separable.csv")
    go(at, "path")
    assert not at.exception and at.get("vega_lite_chart")
    told = [show.unliteral(i.value) for i in at.info]
    assert any("separated" in text for text in told), told


def test_a_link_asking_logistic_for_a_numeric_target_says_it_was_ignored():
    at = start(sample="Synthetic sparse", family="logistic")
    assert_clean(at)
    assert "test MSE" in metrics(at)
    notices = [show.unliteral(i.value) for i in at.info]
    assert any("model family (logistic)" in n and "ignored" in n for n in notices), notices


def test_the_gradient_descent_page_runs_the_updates_on_the_log_loss():
    from regcore.article import trajectory
    from regcore.data import make_design, read_csv
    from regcore.datasets import sample_bytes

    df, _ = read_csv(sample_bytes("Churn (binary)"))
    design = make_design(df, "churn", test_fraction=0.25, seed=0)
    Xs, y = views.standardized_training(design)
    feature = Xs.columns[0]
    plain = trajectory.trajectory(
        Xs[feature], design.binary.codes(y), rule="plain", eta=0.5, steps=3, error="logistic"
    ).iloc[-1]

    at = go(start(sample="Churn (binary)"), "descent")
    assert_clean(at)
    assert not at.warning, [w.value for w in at.warning]
    told = " ".join(show.unliteral(i.value) for i in at.info)
    assert "H = (p − y)·x" in told and "∓λ" in told
    text = " ".join(show.unliteral(m.value) for m in at.markdown)
    assert f"step 3: w = {plain['w']:.4g}, b = {plain['b']:.4g}" in text, text
    assert "(p − y)·x = " in text and "log-loss" in text
    assert "squared error (wx + b − y)²" not in text
    equations = [c.value for c in at.code]
    assert any(e.startswith("L1:  log-odds = ") for e in equations), equations
