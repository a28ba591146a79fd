"""Layouts of the pages for a two-valued target fitted by the logistic family (not a page itself).

The Path, Cross-validation and Compare pages call these where the linear model's layout
would show errors as MSE and R²: here the deviance, misclassification and AUC, the
confusion matrix and the ROC curve at the current λ.
"""

from __future__ import annotations

import streamlit as st

from dashboard import classify, show, views
from regcore.charts import classify as classify_charts
from regcore.data.binary import file_classes

NO_PENALTY = (
    "Without a penalty a logistic model has no path, and on data whose classes a feature "
    "separates its coefficients grow without bound. Pick Lasso, Ridge or Elastic net in the "
    "sidebar: the smallest λ of the path is the nearly unpenalised model."
)


def labels_of(loaded) -> tuple[str, str]:
    return file_classes(loaded.design, loaded.report.lines).labels


def binary_report(loaded) -> str:
    """The Data page's sentence on a two-valued target: which label is 1, which family fits it."""
    zero, one = labels_of(loaded)
    family = (
        "a logistic model (the default for two values; the linear model is still selectable "
        "in the sidebar)"
        if loaded.settings.family == "logistic"
        else "the linear model, by least squares on 0/1 (chosen in the sidebar; logistic is "
        "the default for two values)"
    )
    return (
        f"The target {loaded.design.target!r} has two values: {one!r} is 1 (the positive "
        f"class) and {zero!r} is 0. It is fitted by {family}."
    )


def target_caption(loaded) -> None:
    """Which label is 1, and what the model predicts."""
    zero, one = labels_of(loaded)
    st.caption(
        show.literal(
            f"Logistic model of P({loaded.design.target} = {one}) from the features: {one!r} is "
            f"1, {zero!r} is 0. It minimises (1/n)·Σ log-loss(y, b + xᵀw) + λ·[α‖w‖₁ + "
            "(1 − α)‖w‖₂²]; a row is predicted 1 when its probability is above 0.5."
        )
    )


def measure_texts(train: dict, test: dict) -> dict[str, str]:
    """ "train deviance" … "test AUC" -> the value as shown, from one model's measures
    (measure name -> value) on the training and the test rows."""
    shown = {}
    for measure, (name, _) in classify_charts.MEASURES.items():
        for side, values in (("train", train), ("test", test)):
            shown[f"{side} {name}"] = classify.shown(measure, values[measure])
    return shown


def measure_metrics(row, view: classify.ClassifyView, i: int) -> None:
    """The train/test deviance, misclassification and AUC at grid λ i, into ``row``."""
    at = {side: {m: v[i] for m, v in getattr(view, side).items()} for side in ("train", "test")}
    for label, text in measure_texts(at["train"], at["test"]).items():
        row.metric(label, text, width="content")


def show_operating_point(loaded, point: classify.OperatingPoint, where: str = "") -> None:
    """The confusion matrix and the ROC curve of one model on the test rows (``where``, e.g.
    " at λ = 0.01", ends the titles)."""
    left, right = st.columns(2)
    with left:
        show.chart(
            lambda: classify_charts.confusion_chart(
                point.confusion,
                labels_of(loaded),
                title=f"confusion matrix: {loaded.design.n_test} test rows{where}",
            ),
            "confusion matrix",
        )
    with right:
        show.chart(
            lambda: classify_charts.roc_chart(
                point.fpr, point.tpr, point.auc, title=f"ROC curve (test rows){where}"
            ),
            "ROC curve",
        )


def typed_lambda_figures(loaded, view: classify.ClassifyView, fit: classify.ClassifierFit):
    """The confusion matrix and ROC curve of the model at a typed λ (``fit``), on the test rows."""
    prob = classify.probabilities(loaded.design.X_test, fit.coef, fit.intercept)
    show_operating_point(loaded, classify.point_of(view.y_test, prob), f" at λ = {fit.lam:.6g}")


def path_charts(loaded, penalty, alpha, standardized, view, i: int, references) -> None:
    """The figure (paths, deviance, bars; λ moved in the browser), the misclassification
    against λ, and the model at grid λ i: confusion matrix and ROC curve."""
    lam = float(view.path.lambdas[i])
    classify.show_figure(loaded, penalty, alpha, standardized, view, lam, references)
    show.chart(
        lambda: classify_charts.measure_chart(
            view.path.lambdas,
            view.train["misclassification"],
            view.test["misclassification"],
            "misclassification",
            lam,
            [(v, text) for v, text in references],
        ),
        "misclassification chart",
    )
    st.subheader("The model at this λ on the test rows")
    show_operating_point(loaded, classify.operating_point(view, loaded.design.X_test, i))


def path_downloads(loaded, view: classify.ClassifyView, i: int, penalty: str, label: str) -> None:
    left, right = st.columns(2)
    show.download_csv(
        left,
        "Coefficients at this λ (CSV)",
        lambda: views.coefficients_table(view.path, i, loaded.settings.standardize),
        f"coefficients_logistic_{penalty}_lambda_{label}.csv",
    )
    show.download_csv(
        right,
        "The whole path: λ, df, certificate, deviance, misclassification, AUC, every coefficient "
        "(CSV)",
        lambda: classify.path_table(view),
        f"path_logistic_{penalty}.csv",
    )
