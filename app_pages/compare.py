"""Compare page: least squares, ridge, lasso and elastic net side by side at their CV-chosen λ.

α (the elastic net's mixing), K and the coefficients' scale are the shared settings of the
sidebar, the same every page uses.
"""

import streamlit as st

from app_pages import _classify
from dashboard import classify, loaders, show, state, views
from regcore.charts import compare as compare_charts
from regcore.data import DataError

loaded = loaders.load_or_stop()
alpha = state.shared_alpha()
k = state.current_k(loaded.design.n_train)
logistic = loaded.settings.family == "logistic"  # a two-valued target: see app_pages/_classify
measure = state.current_measure() if logistic else None
st.title("Compare the models")
st.write(
    f"Each penalised {'logistic ' if logistic else ''}model is cross-validated on the training "
    f"rows (K = {k} folds; the elastic net with α = {alpha:.2f}, both set in the sidebar"
    + (f"; by {state.MEASURES[measure]}" if logistic else "")
    + ") and refitted at its chosen λ; all are scored on the same held-out test rows."
)
if logistic:
    _classify.target_caption(loaded)

rule = st.radio(
    "Choose each λ by",
    ["λ_1se", "λ_min"],
    horizontal=True,
    key="rule",
    bind="query-params",
    help="λ_1se: the simplest model within one standard error of the "
    "best CV error. λ_min: the best CV error.",
)

x_mean = loaded.design.X_train.mean(axis=0)
fits = (
    []
    if logistic
    else [views.fit_from_path("Least squares", loaded.path_view("none", None), 0, x_mean)]
)
with st.status("Cross-validating the penalised models…", expanded=False) as status:
    for title, penalty, mix in (
        ("Ridge", "ridge", None),
        ("Lasso", "lasso", None),
        ("Elastic net", "elasticnet", alpha),
    ):
        try:
            view = loaded.cv_view(penalty, mix, k, title, measure)
        except DataError as exc:  # a two-valued target whose rarer class is too rare for K folds
            show.error(exc)
            st.stop()
        index = view.cv.index_1se if rule == "λ_1se" else view.cv.index_min
        name = f"{title} (α = {alpha:.2f}, {rule})" if mix is not None else f"{title} ({rule})"
        scored = classify.fit_from_view if logistic else views.fit_from_path
        fits.append(scored(name, view.scores, index, x_mean))
    status.update(label="Cross-validation done", state="complete")

names = list(loaded.design.feature_names)
standardized = loaded.settings.standardize and state.standardised_scale()
st.caption(
    "Intercept and coefficients on the "
    + (
        "standardised scale (the intercept is the prediction at the mean training row)."
        if standardized
        else "original scale."
    )
)
table_of = classify.comparison_table if logistic else compare_charts.comparison_table
table = table_of(names, fits, standardized=standardized)
st.dataframe(
    table.style.format("{:.4g}", na_rep="—"), width="stretch", height=min(38 + 35 * len(table), 720)
)  # every row visible, as a printed table
show.download_csv(
    st,
    "This table (CSV)",
    table.reset_index,
    f"compare_{'logistic_' if logistic else ''}{rule.replace('λ_', 'lambda_')}.csv",
)
show.chart(
    lambda: compare_charts.coefficients_chart(names, fits, standardized=standardized),
    "coefficient chart",
)
if not logistic:  # the logistic models' test measures are rows of the table
    show.chart(lambda: compare_charts.test_error_chart(fits), "test-error chart")
