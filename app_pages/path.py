"""Path page: move or play λ and watch the coefficients, the errors and the model change.

The path is fitted once per (data, settings, model) and cached; the λ slider's options are
the path's grid, so moving it only picks a row of arrays computed once.
"""

import numpy as np
import streamlit as st

import regcore
from app_pages import _classify
from dashboard import loaders, scoring, show, state, views
from dashboard.path_figure import show_bars, show_figure
from dashboard.typed_lambda import parse_lambda, typed_fit
from regcore.data import DataError
from regcore.datasets import SAMPLES

loaded = loaders.load_or_stop()
label, penalty, alpha = state.current_model()
logistic = loaded.settings.family == "logistic"  # a two-valued target: see app_pages/_classify
if logistic and penalty == "none":
    st.title("No penalty: logistic regression")
    st.info(_classify.NO_PENALTY)
    st.stop()
measure = state.current_measure() if logistic else None
view = loaded.path_view(penalty, alpha)
path = view.path
lambdas = [float(v) for v in path.lambdas]
lambda_strings = views.lambda_labels(lambdas)
names = list(path.feature_names)
cv = None

st.title(
    f"{label}{' logistic regression' if logistic else ''}: the regularisation path"
    if penalty != "none"
    else "No penalty: least squares"
)
if logistic:
    _classify.target_caption(loaded)
if penalty == "none":
    st.write(
        "Without a penalty there is one model, the least-squares fit; pick Lasso, Ridge or Elastic "
        "net in the sidebar to see how a penalty shrinks it."
    )
else:
    # the default λ is λ_1se of a K-fold CV on the training rows (cached), never a test-set pick
    k = state.current_k(loaded.design.n_train)
    try:
        cv = loaded.cv_view(penalty, alpha, k, label, measure).cv
    except DataError as exc:  # a two-valued target whose rarer class is too rare for K folds
        show.error(exc)


def lambda_slider() -> int:
    """The server-side λ slider (exact values, the metrics); the grid index it stands at."""
    default = lambdas[cv.index_1se] if cv is not None else lambdas[len(lambdas) // 2]
    state.settle_lambda(lambdas, lambda_strings, default=default)
    lambda_text = dict(zip(lambdas, lambda_strings, strict=True))
    lam = st.select_slider(
        "λ, the penalty strength (the grid of the path, largest first)",
        options=lambdas,
        format_func=lambda_text.get,
        key=state.LAMBDA_KEY,
        bind="query-params",
        persist_state="session",
        help=f"Opens at λ_1se of {k}-fold cross-validation on the training rows"
        + ("." if cv is not None else " (here cross-validation failed: the grid's middle)."),
    )
    return view.index_of(lam)


# without standardisation the "standardised" coefficients are the raw ones: one scale only
standardized = loaded.settings.standardize and state.standardised_scale()


def show_metrics(i: int) -> None:
    """The four numbers a reader follows in one compact row (one or two on a phone); R², the
    scikit-learn and glmnet equivalents and the certificate in an expander under it."""
    lam = lambdas[i]
    show.compact_metrics_on_phones()
    row = st.container(horizontal=True, gap="medium")
    row.metric("λ", lambda_strings[i], width="content")
    if penalty == "ridge":  # every coefficient is non-zero: the effective df says more
        row.metric(
            "effective df",
            f"{path.df[i]:.3g} of {len(names)}",
            help="Σ d²/(d² + nλ) over the singular values d of the training features.",
            width="content",
        )
    else:
        row.metric(
            "non-zero coefficients", f"{int(path.n_nonzero[i])} of {len(names)}", width="content"
        )
    if logistic:
        _classify.measure_metrics(row, view, i)
    else:
        row.metric("train MSE", f"{view.train_mse[i]:.4g}", width="content")
        row.metric("test MSE", f"{view.test_mse[i]:.4g}", width="content")
    sk = regcore.sklearn_equivalent(penalty, lam, path.n_samples, alpha, family=path.family)
    glmnet = regcore.glmnet_lambda(penalty, lam, alpha, family=path.family)
    what = "R², the" if not logistic else "The"
    more = st.expander(f"{what} same model in scikit-learn and glmnet, and its certificate")
    row = more.container(horizontal=True, gap="medium")
    if not logistic:
        row.metric("train R²", f"{view.train_r2[i]:.3f}", width="content")
        row.metric("test R²", f"{view.test_r2[i]:.3f}", width="content")
    if "alpha" in sk:
        row.metric(f"scikit-learn {sk['estimator']} alpha", f"{sk['alpha']:.4g}", width="content")
    if "C" in sk:
        row.metric(f"scikit-learn {sk['estimator']} C", f"{sk['C']:.4g}", width="content")
    if "l1_ratio" in sk:
        row.metric("scikit-learn l1_ratio", f"{sk['l1_ratio']:.4g}", width="content")
    if glmnet is not None:
        row.metric("glmnet lambda", f"{glmnet:.4g}", width="content")
    row.metric(
        "duality gap",
        f"{path.gap[i]:.2g}",
        delta="certified" if path.converged[i] else "not certified",
        delta_color="normal" if path.converged[i] else "inverse",
        delta_arrow="off",
        help="Objective minus its dual bound at this λ: an upper bound on how far the "
        f"coefficients are from optimal. Certified: at most {path.tol:g} × the all-zero "
        "model's objective.",
        width="content",
    )
    if logistic:  # the caption below states the linear objective (the logistic one is above)
        return
    features = (
        "standardised training features" if loaded.settings.standardize else "features as given"
    )
    more.caption(
        f"The same model in scikit-learn: {sk['estimator']} on the {features} "
        f"(n = {path.n_samples} training rows); regcore minimises "
        "(1/n)·Σ(y − b − xᵀw)² + λ·[α‖w‖₁ + (1 − α)‖w‖₂²]."
    )
    if loaded.settings.unpenalised:
        st.caption(
            "Left unpenalised (penalty factor 0: in the model at every λ, set on the Data page): "
            + show.literal(", ".join(loaded.settings.unpenalised))
        )


def references_of(cv) -> list[tuple[str, float]]:
    """The reference λ marked on the charts: cross-validation's λ_min and λ_1se."""
    return [] if cv is None else [("λ_min", cv.lambda_min), ("λ_1se", cv.lambda_1se)]


def show_charts(i: int) -> None:
    """The figure at grid λ i; dragging or playing λ under it redraws it in the browser."""
    if penalty == "none":
        scale = "standardised" if standardized else "original scale"
        coef = path.coef_std[i] if standardized else path.coef[i]
        show_bars(names, coef, f"coefficients of the least-squares fit ({scale})")
        return
    references = [(v, f"{name} = {v:.4g}") for name, v in references_of(cv)]
    if logistic:  # the deviance in the figure, then misclassification, confusion matrix, ROC
        _classify.path_charts(loaded, penalty, alpha, standardized, view, i, references)
        return
    show_figure(loaded, penalty, alpha, standardized, view, lambdas[i], references)


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


def show_typed_lambda() -> None:
    """Any positive λ, typed, solved exactly (off the grid too), with its errors (the logistic
    measures, confusion matrix and ROC curve for a logistic model) and bars."""
    st.subheader("Any λ, solved exactly")
    text = st.text_input(
        "λ > 0 (any value, not only the grid's)",
        key="lam_exact",
        bind="query-params",
        placeholder="e.g. 0.05 or 1e-3",
        help="Solved afresh on the training rows, warm-started from the nearest grid λ.",
    )
    try:
        lam = parse_lambda(text)
    except ValueError as exc:
        st.warning(show.literal(exc))
        return
    if lam is None:
        return
    fit = typed_fit(loaded, penalty, alpha, view, lam)
    row = st.container(horizontal=True, gap="medium")
    row.metric("typed λ", f"{fit.lam:.6g}", width="content")
    shown = {"non-zero": f"{fit.n_nonzero} of {len(names)}"}
    if logistic:
        shown |= _classify.measure_texts(fit.train, fit.test)
    else:
        shown |= {
            "train MSE": f"{fit.train_mse:.4g}",
            "test MSE": f"{fit.test_mse:.4g}",
            "train R²": f"{fit.train_r2:.3f}",
            "test R²": f"{fit.test_r2:.3f}",
        }
    for what, value in shown.items():  # named apart from the grid λ's metrics above
        row.metric(f"{what} (typed λ)", value, width="content")
    scale = "standardised" if standardized else "original scale"
    coef = fit.coef_std if standardized else fit.coef
    show_bars(names, coef, f"coefficients at λ = {fit.lam:.6g} ({scale})")
    if logistic:
        _classify.typed_lambda_figures(loaded, view, fit)


@st.fragment
def at_lambda() -> None:
    """Everything below the title: a λ move (or a typed λ, or new rows to score) reruns this
    alone, not the sidebar, the data and the cached fits around it."""
    current = lambda_slider() if penalty != "none" else 0
    show_metrics(current)
    show_charts(current)
    show_truth(current)
    if penalty != "none":
        show_typed_lambda()

    for note in path.notes:
        st.info(show.literal(note))

    st.subheader("Share and download")
    st.caption(
        "The link in the address bar holds this view: the data set, its target, features, split, "
        "standardisation and unpenalised features, the model, α, K, the coefficients' scale and λ. "
        "An uploaded file itself is not in the link: opened elsewhere, it shows the first sample "
        "and says so."
    )
    if logistic:
        _classify.path_downloads(loaded, view, current, penalty, lambda_strings[current])
        scoring.panel(loaded, path, current)
        return
    left, right = st.columns(2)
    show.download_csv(
        left,
        "Coefficients at this λ (CSV)",
        lambda: views.coefficients_table(path, current, loaded.settings.standardize),
        f"coefficients_{penalty}_lambda_{lambda_strings[current]}.csv",
    )
    show.download_csv(
        right,
        "The whole path: λ, df, certificate, errors, every coefficient (CSV)",
        lambda: views.path_table(view),
        f"path_{penalty}.csv",
    )
    scoring.panel(loaded, path, current)


at_lambda()
