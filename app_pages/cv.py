"""Cross-validation page: the K-fold CV curve, λ_min and λ_1se, and one click to use either."""

import streamlit as st

from dashboard import loaders, show, state
from regcore.charts import cv as cv_charts
from regcore.loo import fits_in_memory

loaded = loaders.load_or_stop()
label, penalty, alpha = state.current_model()
st.title(f"{label}: choosing λ by cross-validation")
if penalty == "none":
    st.info("Least squares has no λ to choose. Pick Lasso, Ridge or Elastic net in the sidebar.")
    st.stop()

st.write(
    "The training rows are cut into K folds; each fold is predicted by the path fitted on the others. "
    "λ_min has the lowest mean error; λ_1se is the largest λ whose error is within one standard error "
    "of that minimum (glmnet's rule): a simpler model that is statistically as good. The test rows are "
    "never used here; they only score the chosen models below."
)
max_k = max(2, min(20, loaded.design.n_train))
loo_fits = fits_in_memory(loaded.design.n_train, len(loaded.path_view(penalty, alpha).path.lambdas))
loo = (
    penalty == "ridge"
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
k = st.number_input(
    "K, the number of folds",
    2,
    max_k,
    min(10, max_k),
    1,
    key="cv_k",
    persist_state="session",
    disabled=loo,
)
if loo:
    view = loaders.cross_validate_view(
        loaded.source.digest,
        loaded.settings.design_key(),
        loaded.settings.standardize,
        penalty,
        alpha,
        "loo",
        label,
        loaded.source.data,
    )
else:
    view = loaded.cv_view(penalty, alpha, int(k), label)
cv = view.cv

show.chart(
    lambda: cv_charts.cv_chart(cv.lambdas, cv.mean, cv.se, cv.lambda_min, cv.lambda_1se),
    "cross-validation chart",
)

n_features = len(cv.path.feature_names)
for name, index, lam in (
    ("λ_min", cv.index_min, cv.lambda_min),
    ("λ_1se", cv.index_1se, cv.lambda_1se),
):
    row = st.columns([1, 1, 1, 1, 2], vertical_alignment="bottom")
    row[0].metric(name, f"{lam:.4g}")
    row[1].metric(
        f"CV MSE at {name}",
        f"{cv.mean[index]:.4g}",
        help=f"± {cv.se[index]:.3g} (one standard error)",
    )
    row[2].metric(f"non-zero at {name}", f"{int(cv.path.n_nonzero[index])} of {n_features}")
    row[3].metric(
        f"test MSE at {name}",
        f"{view.test_mse[index]:.4g}",
        help="The model refitted on all training rows at this λ, scored on the held-out test rows.",
    )
    if row[4].button(f"Use {name} on the Path page", key=f"use_{name}"):
        state.request_lambda(lam)
        # query_params={} rather than the default: clearing the URL raises once a sidebar
        # widget bound to it (the data set after an upload) holds a non-default value; the
        # bound widgets put their values back on the next page
        st.switch_page("app_pages/path.py", query_params={})
