"""Cross-validation page: the K-fold CV curve, λ_min and λ_1se, and one click to use either."""

import streamlit as st

from dashboard import loaders, show, state
from regcore.charts import cv as cv_charts
from regcore.data import DataError
from regcore.loo import fits_in_memory

loaded = loaders.load_or_stop()
label, penalty, alpha = state.current_model()
logistic = loaded.settings.family == "logistic"
measure = state.current_measure() if logistic else None
error_name = state.MEASURES[measure] if logistic else "MSE"
st.title(f"{label}: choosing λ by cross-validation")
if penalty == "none":
    st.info("Least squares has no λ to choose. Pick Lasso, Ridge or Elastic net in the sidebar.")
    st.stop()

k = state.current_k(loaded.design.n_train)
st.write(
    f"The training rows are cut into K = {k} folds (K is set in the sidebar); each fold is "
    "predicted by the path fitted on the others. λ_min has the lowest mean error; λ_1se is the "
    "largest λ whose error is within one standard error of that minimum (glmnet's rule): a "
    "simpler model that is statistically as good, and the Path page's default λ. The test rows "
    "are never used here; they only score the chosen models below."
    + (
        f" The logistic model is cross-validated by {error_name} (set in the sidebar; for AUC "
        "λ_min has the highest mean)."
        if logistic
        else ""
    )
)
loo_fits = fits_in_memory(loaded.design.n_train, len(loaded.path_view(penalty, alpha).path.lambdas))
loo = (
    penalty == "ridge"
    and not logistic
    and st.toggle(
        "Exact leave-one-out",
        value=False,
        key="cv_loo",
        bind="query-params",
        disabled=not loo_fits,
        help="Ridge only: every training row is left out once, for every λ at once from one "
        "decomposition (the columns scaled once with all training rows). Off for very many rows: "
        "it keeps an error per row and λ.",
    )
    and loo_fits
)
try:
    view = loaded.cv_view(penalty, alpha, "loo" if loo else k, label, measure)
except DataError as exc:  # a two-valued target whose rarer class is too rare for K folds
    show.error(exc)
    st.stop()
cv = view.cv
test_error = view.scores.test[measure] if logistic else view.test_mse

log_y = st.toggle(
    "Log scale for the error",
    False,
    key="cv_log",
    bind="query-params",
    help="Spreads out the bottom of the curve, where λ_min and λ_1se are.",
)
show.chart(
    lambda: cv_charts.cv_chart(
        cv.lambdas,
        cv.mean,
        cv.se,
        cv.lambda_min,
        cv.lambda_1se,
        cv.path.n_nonzero,
        log_y=log_y,
        measure=error_name,
    ),
    "cross-validation chart",
)

n_features = len(cv.path.feature_names)
for name, index, lam in (
    ("λ_min", cv.index_min, cv.lambda_min),
    ("λ_1se", cv.index_1se, cv.lambda_1se),
):
    row = st.container(horizontal=True, gap="medium", vertical_alignment="bottom")
    row.metric(name, f"{lam:.4g}", width="content")
    row.metric(
        f"CV {error_name} at {name}",
        f"{cv.mean[index]:.4g}",
        help=f"± {cv.se[index]:.3g} (one standard error)",
        width="content",
    )
    if penalty == "ridge":
        row.metric(f"effective df at {name}", f"{cv.path.df[index]:.3g}", width="content")
    else:
        row.metric(
            f"non-zero at {name}",
            f"{int(cv.path.n_nonzero[index])} of {n_features}",
            width="content",
        )
    row.metric(
        f"test {error_name} at {name}",
        f"{test_error[index]:.4g}",
        help="The model refitted on all training rows at this λ, scored on the held-out test rows.",
        width="content",
    )
    if row.button(f"Use {name} on the Path page", key=f"use_{name}"):
        state.request_lambda(lam)
        # the bound widgets put every shared setting back into the link on the Path page,
        # and the Path page's λ slider writes the requested λ there
        st.switch_page("app_pages/path.py", query_params={})

show.download_csv(
    st,
    "The CV curve: λ, mean, SE, non-zero, each fold (CSV)",
    lambda: cv_charts.cv_table(cv),
    f"cv_{penalty}_k{k}.csv",
)
