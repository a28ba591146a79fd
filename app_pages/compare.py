"""Compare page: least squares, ridge, lasso and elastic net side by side at their CV-chosen λ."""

import streamlit as st

from dashboard import loaders, show, views
from regcore.charts import compare as compare_charts

loaded = loaders.load_or_stop()
st.title("Compare the models")
st.write(
    "Each penalised model is cross-validated on the training rows and refitted at its chosen λ; "
    "all are scored on the same held-out test rows."
)

left, middle, right = st.columns(3)
rule = left.radio(
    "Choose each λ by",
    ["λ_1se", "λ_min"],
    horizontal=True,
    key="compare_rule",
    persist_state="session",
    help="λ_1se: the simplest model within one standard error of the "
    "best CV error. λ_min: the best CV error.",
)
max_k = max(2, min(20, loaded.design.n_train))
k = int(
    middle.number_input(
        "K, the number of folds",
        2,
        max_k,
        min(10, max_k),
        1,
        key="compare_k",
        persist_state="session",
    )
)
alpha = right.slider(
    "Elastic-net mixing α", 0.05, 0.95, 0.5, 0.05, key="compare_alpha", persist_state="session"
)

ols = loaded.path_view("none", None)
fits = [views.fit_from_path("Least squares", ols.path, 0, ols.test_mse, ols.test_r2)]
with st.status("Cross-validating the penalised models…", expanded=False) as status:
    for title, penalty, mix in (
        ("Ridge", "ridge", None),
        ("Lasso", "lasso", None),
        ("Elastic net", "elasticnet", alpha),
    ):
        view = loaded.cv_view(penalty, mix, k, title)
        index = view.cv.index_1se if rule == "λ_1se" else view.cv.index_min
        fits.append(view.fit_at(f"{title} ({rule})", index))
    status.update(label="Cross-validation done", state="complete")

names = list(ols.path.feature_names)
standardized = st.toggle(
    "Coefficients on the standardised scale", value=True, key="compare_std", persist_state="session"
)
table = compare_charts.comparison_table(names, fits, standardized=standardized)
st.dataframe(
    table.style.format("{:.4g}", na_rep="—"), width="stretch", height=min(38 + 35 * len(table), 720)
)  # every row visible, as a printed table
show.chart(
    lambda: compare_charts.coefficients_chart(names, fits, standardized=standardized),
    "coefficient chart",
)
show.chart(lambda: compare_charts.test_error_chart(fits), "test-error chart")
