"""Path page: move or play λ and watch the coefficients, the errors and the model change.

The path is fitted once per (data, settings, model) and cached; the λ slider's options are
the path's grid, so moving it only picks a row of arrays computed once.
"""

import time

import numpy as np
import streamlit as st

import regcore
from dashboard import loaders, scoring, show, state, views
from regcore.charts import path as path_charts
from regcore.data import safe_csv_bytes
from regcore.datasets import SAMPLES

PLAY_FRAMES = 25
PLAY_PAUSE_SECONDS = 0.05

loaded = loaders.load_or_stop()
label, penalty, alpha = state.current_model()
view = loaded.path_view(penalty, alpha)
path = view.path
lambdas = [float(v) for v in path.lambdas]
lambda_strings = views.lambda_labels(lambdas)
names = list(path.feature_names)

st.title(f"{label}: the regularisation path" if penalty != "none" else "No penalty: least squares")
if penalty == "none":
    st.write(
        "Without a penalty there is one model, the least-squares fit; pick Lasso, Ridge or Elastic "
        "net in the sidebar to see how a penalty shrinks it."
    )
    play = False
    current = 0
else:
    state.settle_lambda(lambdas, lambda_strings, default=lambdas[view.best_index])
    lambda_text = dict(zip(lambdas, lambda_strings, strict=True))
    slider_col, play_col = st.columns([6, 1], vertical_alignment="bottom")
    lam = slider_col.select_slider(
        "λ, the penalty strength (the grid of the path, largest first)",
        options=lambdas,
        format_func=lambda_text.get,
        key=state.LAMBDA_KEY,
        bind="query-params",
        persist_state="session",
    )
    play = play_col.button(
        "▶ Play",
        help="Sweep λ from λ_max, where every coefficient is 0, down to the "
        "smallest λ of the grid.",
    )
    current = view.index_of(lam)

standardized = st.toggle(
    "Coefficients on the standardised scale",
    value=True,
    key="coef_scale_std",
    persist_state="session",
    help="Standardised coefficients compare features measured in different units; "
    "the original scale is what a prediction uses.",
)


def show_metrics(i: int) -> None:
    lam = lambdas[i]
    row = st.columns(5)
    row[0].metric("non-zero coefficients", f"{int(path.n_nonzero[i])} of {len(names)}")
    row[1].metric("train MSE", f"{view.train_mse[i]:.4g}")
    row[2].metric("test MSE", f"{view.test_mse[i]:.4g}")
    row[3].metric("train R²", f"{view.train_r2[i]:.3f}")
    row[4].metric("test R²", f"{view.test_r2[i]:.3f}")
    sk = regcore.sklearn_equivalent(penalty, lam, path.n_samples, alpha)
    glmnet = regcore.glmnet_lambda(penalty, lam, alpha)
    row = st.columns(5)
    row[0].metric("λ", lambda_strings[i])
    if "alpha" in sk:
        row[1].metric(f"scikit-learn {sk['estimator']} alpha", f"{sk['alpha']:.4g}")
    if "l1_ratio" in sk:
        row[2].metric("scikit-learn l1_ratio", f"{sk['l1_ratio']:.4g}")
    if glmnet is not None:
        row[2].metric("glmnet lambda", f"{glmnet:.4g}")
    features = (
        "standardised training features" if loaded.settings.standardize else "features as given"
    )
    st.caption(
        f"The same model in scikit-learn: {sk['estimator']} on the {features} "
        f"(n = {path.n_samples} training rows); regcore minimises "
        "(1/n)·Σ(y − b − xᵀw)² + λ·[α‖w‖₁ + (1 − α)‖w‖₂²]."
    )


def chart_bases() -> tuple:
    """The charts' λ-independent layers, built once per path and scale (cached)."""
    return loaded.chart_bases(penalty, alpha, standardized, view)


def show_charts(i: int) -> None:
    lam = lambdas[i]
    coef = path.coef_std[i] if standardized else path.coef[i]
    if penalty != "none":
        left, right = st.columns(2)
        with left:
            show.chart(
                lambda: path_charts.coefficient_paths_chart(
                    path, lam, standardized=standardized, base=chart_bases()[0]
                ),
                "coefficient-path chart",
            )
        with right:
            show.chart(
                lambda: path_charts.error_chart(
                    path.lambdas, view.train_mse, view.test_mse, lam, base=chart_bases()[1]
                ),
                "error chart",
            )
    scale = "standardised" if standardized else "original scale"
    show.chart(
        lambda: path_charts.coefficient_bars_chart(
            names,
            coef,
            title=f"coefficients at λ = {lambda_strings[i]} ({scale})",
            base=chart_bases()[2],
        ),
        "coefficient bar chart",
    )


def show_truth(i: int) -> None:
    """For a sample with a known truth: how many true features the model keeps, and how many useless."""
    info = SAMPLES.get(loaded.source.label)
    if (
        info is None
        or not info.true_nonzero
        or loaded.design.target != info.target
        or penalty == "ridge"
    ):
        return
    kept = {names[j] for j in np.flatnonzero(path.coef[i])}
    truth = set(info.true_nonzero) & set(names)
    st.info(
        f"The truth is known for this sample: {len(truth)} features really enter the target. "
        f"At this λ the model keeps {len(kept & truth)} of them and {len(kept - truth)} useless ones."
    )


metrics_slot = st.empty()
charts_slot = st.empty()


def draw(i: int) -> None:
    with metrics_slot.container():
        show_metrics(i)
    with charts_slot.container():
        show_charts(i)


if play:
    for i in np.unique(np.linspace(0, len(lambdas) - 1, PLAY_FRAMES).round().astype(int)):
        draw(int(i))
        time.sleep(PLAY_PAUSE_SECONDS)
    state.request_lambda(lambdas[-1])
    st.rerun()
draw(current)
show_truth(current)

for note in path.notes:
    st.info(show.literal(note))

st.subheader("Share and download")
st.caption(
    "The address bar holds this view (data set, model, α and λ): copy the link to share it. "
    "An uploaded file is not part of the link: opened elsewhere, the link shows the first sample."
)
left, right = st.columns(2)
# the CSVs are built only when a button is clicked (data as a callable), not on every λ move
left.download_button(
    "Coefficients at this λ (CSV)",
    lambda: safe_csv_bytes(views.coefficients_table(path, current)),
    file_name=f"coefficients_{penalty}_lambda_{lambda_strings[current]}.csv",
    mime="text/csv",
    on_click="ignore",
)
right.download_button(
    "The whole path: λ, df, errors, every coefficient (CSV)",
    lambda: safe_csv_bytes(views.path_table(view)),
    file_name=f"path_{penalty}.csv",
    mime="text/csv",
    on_click="ignore",
)
scoring.panel(loaded, path, current)
