"""The sidebar every page shares: the data set, its status and (where it matters) the model."""

from __future__ import annotations

import streamlit as st

from dashboard import loaders, show, state
from regcore.data import DataError


def data_set_picker() -> None:
    st.sidebar.selectbox(
        "Data set",
        state.source_options(),
        key=state.SAMPLE_KEY,
        bind="query-params",
        help="A built-in sample, or the file you uploaded on the Data page.",
    )


def status() -> None:
    """Data set name, rows × features, train/test sizes; a pointer to the Data page on a problem."""
    try:
        loaded = loaders.load()
    except DataError:
        st.sidebar.warning("This data set cannot be used as it is: see the Data page.")
        return
    source, design = loaded.source, loaded.design
    name = (
        source.label
        if source.label != state.UPLOAD_OPTION
        else f"{source.label}: {source.filename}"
    )
    st.sidebar.caption(
        f"{show.literal(name)}  \n"
        f"{len(loaded.table)} rows × {design.n_features} features  \n"
        f"train {design.n_train} / test {design.n_test} rows · target {show.literal(design.target)}"
    )


def model_picker() -> None:
    st.sidebar.radio(
        "Model",
        list(state.MODELS),
        key=state.MODEL_KEY,
        bind="query-params",
        persist_state="session",
    )
    if state.MODELS[st.session_state[state.MODEL_KEY]] == "elasticnet":
        st.sidebar.slider(
            "Mixing α (1 = lasso, 0 = ridge)",
            0.05,
            0.95,
            state.DEFAULT_ALPHA,
            0.05,
            key=state.ALPHA_KEY,
            bind="query-params",
            persist_state="session",
        )


def render(*, with_model: bool) -> None:
    data_set_picker()
    status()
    if with_model:
        model_picker()
