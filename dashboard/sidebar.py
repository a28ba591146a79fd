"""The shared settings every page reads, drawn as URL-bound widgets, and the sidebar status.

Each setting is one widget (its key is its query parameter, see ``dashboard.state``).  The
Data page shows the data set and its settings in the page itself; every other page shows
the same widgets in the sidebar, so the link holds them wherever it is copied.  The model,
α, K and the coefficients' scale sit in the sidebar of every page.

Every bound widget is drawn by the entry script (app.py), never by a page script: Streamlit
ties a binding to the script that drew it and drops it from the URL on a page switch.  So
the Data page only leaves slots (``data_page_slots``), which app.py fills after the page
(``fill_data_page``).
"""

from __future__ import annotations

import streamlit as st

from dashboard import loaders, show, state
from regcore.data import DataError, default_target, usable_features

# every shared setting: its value in the link, and kept for the session across pages
BOUND = {"bind": "query-params", "persist_state": "session"}


def reset_data_settings() -> None:
    """For a new data set (a callback): its default target, no feature left out or unpenalised.

    Set, not deleted: a deleted widget value leaves the browser showing the old data set's
    target.  The split and the scaling carry over.
    """
    ss = st.session_state
    ss[state.DROP_KEY] = []
    ss[state.UNPENALISED_KEY] = []
    ss[state.FAMILY_KEY] = "logistic"  # a two-valued target's default; unused by the others
    try:
        source, table, _ = loaders.read_current()
        ss[state.TARGET_KEY] = default_target(
            table, loaders.table_varying(source.digest, source.data)
        )
    except DataError:
        ss.pop(state.TARGET_KEY, None)


def remember_target() -> None:
    """The user's own choice of target, offered again to the next upload (a callback); a new
    two-valued target starts logistic."""
    st.session_state[state.LAST_TARGET_KEY] = st.session_state[state.TARGET_KEY]
    st.session_state[state.FAMILY_KEY] = "logistic"


def data_set_picker(where) -> None:
    where.selectbox(
        "Data set",
        state.source_options(),
        key=state.SAMPLE_KEY,
        **BOUND,
        on_change=reset_data_settings,
        help="A built-in sample, or the file you uploaded on the Data page.",
    )


def data_setting_widgets(where, *, wide: bool) -> None:
    """Target, features, test fraction, split seed, standardise and unpenalised features.

    ``wide``: two columns (the Data page) rather than one (the sidebar).  Nothing is drawn
    for a table no setting can fix (no column can be the target); the unpenalised features
    need a design.
    """
    try:
        source, table, settings = loaders.read_settings()
    except DataError:
        return
    varying = loaders.table_varying(source.digest, source.data)
    targets = list(loaders.table_targets(source.digest, source.data))
    if not targets:
        default_target(table, varying)  # raises the plain DataError: no column can be the target
    left, right = where.columns(2) if wide else (where, where)
    left.selectbox(
        "Target (what to predict)",
        targets,
        index=len(targets) - 1,  # the default target, fixed: the link omits a default
        key=state.TARGET_KEY,
        on_change=remember_target,
        **BOUND,
    )
    right.multiselect(
        "Features left out",
        usable_features(table, settings.target, varying),
        default=[],
        key=state.DROP_KEY,
        **BOUND,
        help="Every usable column except the target is a feature (text columns one-hot "
        "encoded), unless left out here.",
    )
    left.slider(
        "Test fraction",
        *state.TEST_RANGE,
        state.DEFAULT_TEST_FRACTION,
        0.05,
        key=state.TEST_KEY,
        **BOUND,
        help="The share of rows held out to measure test error.",
    )
    right.number_input(
        "Split seed",
        *state.SEED_RANGE,
        0,
        1,
        key=state.SEED_KEY,
        **BOUND,
        help="The seed of the random train/test split (and of the CV folds).",
    )
    left.checkbox(
        "Standardise the features (training mean and standard deviation)",
        True,
        key=state.STANDARDISE_KEY,
        **BOUND,
        help="Penalties treat every coefficient alike, so features on different scales should be "
        "standardised. Coefficients are always reported on the original scale too.",
    )
    try:
        names = loaders.load().design.feature_names
    except DataError:
        return
    right.multiselect(
        "Leave unpenalised",
        names,
        default=[],
        key=state.UNPENALISED_KEY,
        **BOUND,
        help="Features whose coefficients the penalty does not shrink (penalty factor 0): "
        "they stay in the model at every λ.",
    )


def status(loaded: loaders.Loaded) -> None:
    """Data set name, rows × features, train/test sizes and the target."""
    source, design = loaded.source, loaded.design
    name = (
        source.label
        if source.label != state.UPLOAD_OPTION
        else f"{source.label}: {source.filename}"
    )
    st.sidebar.caption(
        f"{show.literal(name)}  \n"
        f"{len(loaded.table)} rows used × {design.n_features} features  \n"
        f"train {design.n_train} / test {design.n_test} rows · target {show.literal(design.target)}"
    )


def model_widgets(loaded: loaders.Loaded | None) -> None:
    """Model, mixing α, K and the coefficients' scale: one of each, shared by every page."""
    n_train = loaded.design.n_train if loaded is not None else None
    standardized = loaded is None or loaded.settings.standardize
    state.read_model_from_link(loaded is not None and loaded.design.binary is not None)
    if loaded is not None and loaded.design.binary is not None:
        st.sidebar.radio(
            "Model family (logistic: two classes; linear: least squares)",
            list(state.FAMILIES),
            key=state.FAMILY_KEY,
            **BOUND,
            help=f"The target has two values ({loaded.design.binary.positive!r} is 1): a "
            "logistic model predicts the probability of 1; the linear one fits the 0/1 values "
            "by least squares.",
        )
    st.sidebar.radio("Model", list(state.MODELS), key=state.MODEL_KEY, bind="query-params")
    if loaded is not None and state.current_family(loaded.design.binary is not None) == "logistic":
        st.sidebar.radio(
            "Cross-validation measure",
            list(state.MEASURES),
            horizontal=True,
            key=state.MEASURE_KEY,
            **BOUND,
            help="What cross-validation minimises (AUC: maximises) to choose λ_min and λ_1se.",
        )
    st.sidebar.slider(
        "Elastic-net mixing α (1 = lasso, 0 = ridge)",
        *state.ALPHA_RANGE,
        state.DEFAULT_ALPHA,
        0.05,
        key=state.ALPHA_KEY,
        **BOUND,
        help="Used by the elastic net, here and on the Compare page.",
    )
    high = max(state.K_RANGE[0], min(state.K_RANGE[1], n_train or state.K_RANGE[1]))
    st.sidebar.number_input(
        "K, the number of CV folds",
        state.K_RANGE[0],
        high,
        min(state.DEFAULT_K, high),
        1,
        key=state.K_KEY,
        **BOUND,
        help="Cross-validation chooses the default λ (λ_1se); every page uses the same K.",
    )
    st.sidebar.radio(
        "Coefficients shown on the",
        list(state.SCALES),
        format_func=lambda s: f"{s} scale",
        horizontal=True,
        key=state.SCALE_KEY,
        disabled=not standardized,
        **BOUND,
        help="Standardised coefficients compare features measured in different units; the "
        "original scale is what a prediction uses. Without standardisation they are the same.",
    )


def notices(box) -> None:
    """The link's notices (a value ignored or snapped) in ``box``, until the user dismisses them."""
    shown = st.session_state.get(state.NOTICES_KEY) or []
    if not shown:
        return
    for message in shown:
        box.info(show.literal(message), icon=":material/link:")
    if box.button("Dismiss", key="dismiss_notices"):
        st.session_state[state.NOTICES_KEY] = []
        st.rerun()


DATA_SLOTS_KEY = "data_page_slots"


def data_page_slots(picker, settings) -> None:
    """For the Data page: the containers where the data set and its settings are drawn."""
    st.session_state[DATA_SLOTS_KEY] = (picker, settings)


def fill_data_page() -> None:
    """Draw the Data page's shared widgets into the slots it left on this run, if any."""
    slots = st.session_state.pop(DATA_SLOTS_KEY, None)
    if slots is None:
        return
    picker, settings = slots
    data_set_picker(picker)
    data_setting_widgets(settings, wide=True)


def render(*, data_page: bool) -> None:
    """The shared settings in the sidebar (on the Data page, the data set's own are on the page)."""
    state.open_link()
    state.keep_in_link()
    state.read_sample_from_link()
    if not data_page:
        data_set_picker(st.sidebar)
    try:
        loaded = loaders.load()
    except DataError:
        loaded = None
        st.sidebar.warning("This data set cannot be used as it is: see the Data page.")
    if loaded is not None:
        status(loaded)
        if not data_page:
            with st.sidebar.expander("Data settings"):
                data_setting_widgets(st, wide=False)
    model_widgets(loaded)
