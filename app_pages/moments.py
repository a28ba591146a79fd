"""Summary statistics page: the path and CV of a moments file computed elsewhere."""

import pandas as pd
import streamlit as st

from dashboard import moments as views
from dashboard import show, state
from regcore.charts import cv as cv_charts
from regcore.charts import path as path_charts
from regcore.data import safe_csv_bytes

st.title("Summary statistics: a path from a file too large to upload")
st.write(
    "For the linear models with many more rows than columns, the whole path and its "
    "cross-validation depend on the data only through a few sums per fold. Compute them "
    "where the data lives, then upload that small file here:"
)
st.code("python -m regcore cv BIG.csv --target y --stream --save-moments moments.npz", "bash")


def _keep_upload() -> None:
    upload = st.session_state.get("moments_uploader")
    if upload is not None:
        views.store_upload(upload.name, upload.getvalue())


st.file_uploader(
    "Moments file (.npz)", type=["npz"], key="moments_uploader", on_change=_keep_upload
)
name, digest, data = views.current()
try:
    moments = views.load(digest, data)
except ValueError as err:
    show.error(err)
    st.session_state.pop(views.UPLOAD_KEY, None)
    st.stop()

model = st.radio(
    "Model",
    ["Lasso", "Ridge", "Elastic net"],
    key="moments_model",
    horizontal=True,
    bind="query-params",
)
penalty = state.MODELS[model]
alpha = None
if penalty == "elasticnet":
    alpha = st.slider(
        "Mixing α (1 = lasso, 0 = ridge)",
        0.05,
        0.95,
        state.DEFAULT_ALPHA,
        0.05,
        key="moments_alpha",
        bind="query-params",
    )

try:
    path, train_mse, test_mse = views.path_view(digest, penalty, alpha, data)
    cv = views.cv_result(digest, penalty, alpha, data) if moments.k >= 2 else None
except ValueError as err:
    show.error(err)
    st.stop()

cols = st.columns(4)
cols[0].metric("training rows", f"{int(moments.n[: moments.k].sum()):,}")
cols[1].metric("test rows", f"{int(moments.n[moments.k]):,}")
cols[2].metric("folds", moments.k)
cols[3].metric("features", moments.p)
st.caption(f"Moments of {show.literal(name)}, target {show.literal(moments.target)}.")
with st.expander("What was read and done"):
    st.text("\n".join(moments.lines) or "(the file records nothing)")

lam = cv.lambda_1se if cv is not None else float(path.lambdas[len(path.lambdas) // 2])
references = [] if cv is None else [(cv.lambda_min, "λ_min"), (cv.lambda_1se, "λ_1se")]
show.chart(
    lambda: path_charts.at_step(
        path_charts.path_figure(path, train_mse, test_mse, references=references),
        path_charts.step_of(path, lam),
    ),
    "path charts",
)
if cv is None:
    st.info("These moments have fewer than 2 folds: there is no cross-validation to show.")
else:
    st.subheader("Cross-validation")
    show.chart(
        lambda: cv_charts.cv_chart(
            cv.lambdas, cv.mean, cv.se, cv.lambda_min, cv.lambda_1se, cv.path.n_nonzero
        ),
        "cross-validation chart",
    )
    row = st.columns(2)
    row[0].metric("λ_min", f"{cv.lambda_min:.4g}", help=f"CV MSE {cv.mean[cv.index_min]:.4g}")
    row[1].metric("λ_1se", f"{cv.lambda_1se:.4g}", help=f"CV MSE {cv.mean[cv.index_1se]:.4g}")
    st.dataframe(
        pd.DataFrame(
            {
                "feature": path.feature_names,
                "at λ_1se": path.coef[cv.index_1se],
                "at λ_min": path.coef[cv.index_min],
            }
        ),
        hide_index=True,
    )
st.download_button(
    "Download the whole path (CSV)",
    safe_csv_bytes(path.to_frame()),
    "path_from_moments.csv",
    "text/csv",
)
