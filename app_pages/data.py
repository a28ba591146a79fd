"""Data page: pick a sample or upload a CSV, see what was detected and done, choose the design."""

import pandas as pd
import streamlit as st

from dashboard import loaders, resources, show, state
from regcore.data import DataError, target_problems, usable_features, usable_targets
from regcore.datasets import SAMPLES

UPLOADER_KEY = "uploader"
REFUSED_KEY = "upload_refused"  # (file name, message) of an upload the reader refused
LAST_TARGET_KEY = "last_target"  # the target the user last chose, carried to the next upload
TARGET_NOTE_KEY = "target_note"  # why that target could not be kept for the new upload


def on_upload() -> None:
    """Make a new upload the current data set, unless the reader refuses it.

    A refused file leaves the data set in use as it was (nothing is lost); its message is
    shown above the page until another file is chosen or the file is removed.
    """
    st.session_state.pop(REFUSED_KEY, None)
    uploaded = st.session_state.get(UPLOADER_KEY)
    if uploaded is None:
        return
    source = state.Source.of(state.UPLOAD_OPTION, uploaded.name, uploaded.getvalue())
    try:
        loaders.read_table(source.digest, source.data)
    except DataError as exc:
        st.session_state[REFUSED_KEY] = (uploaded.name, str(exc))
        return
    state.store_upload(uploaded.name, source.data)
    resources.release_upload_when_closed()
    keep_last_target(source)


def unusable_targets(source: state.Source, varying) -> dict[str, str]:
    """Every column of the file that cannot be the target -> why (dropped ones included)."""
    table, report = loaders.read_table(source.digest, source.data)
    return {**report.dropped, **target_problems(table, varying)}


def keep_last_target(source: state.Source) -> None:
    """The target the user chose last becomes this upload's target, or a note says why not."""
    st.session_state.pop(TARGET_NOTE_KEY, None)
    last = st.session_state.get(LAST_TARGET_KEY)
    if last is None:
        return
    varying = loaders.table_varying(source.digest, source.data)
    table, _ = loaders.read_table(source.digest, source.data)
    if last in usable_targets(table, varying):
        st.session_state[state.setting_key("target", source)] = last
        return
    why = unusable_targets(source, varying).get(last, "the file has no column of that name")
    st.session_state[TARGET_NOTE_KEY] = (
        f"The target you chose before, {last!r}, cannot be the target of {source.filename}: "
        f"{why}. Choose the target below."
    )


def remember_target(key: str) -> None:
    st.session_state[LAST_TARGET_KEY] = st.session_state[key]


st.title("Data")
st.write(
    "Pick a built-in sample in the sidebar, or upload a CSV file. Everything else in the app "
    "uses the data set chosen here."
)
st.file_uploader(
    "Upload a CSV file",
    type=["csv", "tsv", "txt"],
    key=UPLOADER_KEY,
    on_change=on_upload,
    help="Comma, semicolon or tab separated; a header row is detected. The last numeric "
    "column is the default target.",
)

refused = st.session_state.get(REFUSED_KEY)
if refused is not None:
    name, message = refused
    show.error(message)
    st.info(
        show.literal(
            f"{name} was not loaded; the data set in use is still "
            f"{state.current_source().label}. Upload a corrected file, or pick a sample in the sidebar."
        )
    )

try:
    source, table, report = loaders.read_current()
except DataError as exc:
    show.error(exc)
    st.info("Nothing else changed: pick a sample in the sidebar or upload another file.")
    st.stop()

info = SAMPLES.get(source.label)
if info is not None:
    st.subheader(info.name)
    st.write(info.description)
    st.caption(f"Source: {info.source}")
    if info.true_nonzero:
        st.write(
            f"The {len(info.true_nonzero)} features that truly enter the target "
            "(watch lasso find them on the Path page):"
        )
        st.dataframe(
            pd.DataFrame(
                {"feature": list(info.true_coef), "true coefficient": list(info.true_coef.values())}
            ).query("`true coefficient` != 0"),
            hide_index=True,
            width="content",
        )
else:
    st.subheader("Uploaded file")
    st.text(source.filename)

with st.expander("What the reader detected and did", expanded=info is None):
    st.text(
        f"encoding {report.encoding} · delimiter {report.delimiter!r} · decimal {report.decimal!r} · "
        f"header row {'yes' if report.header else 'no'} · {report.n_rows} rows × {report.n_columns} columns"
    )
    for line in report.lines:
        st.text(line)
    st.dataframe(
        pd.DataFrame(
            {"column": list(report.column_kinds), "kind": list(report.column_kinds.values())}
        ),
        hide_index=True,
    )
    if report.dropped:
        st.dataframe(
            pd.DataFrame(
                {"dropped column": list(report.dropped), "why": list(report.dropped.values())}
            ),
            hide_index=True,
        )

st.subheader("Model setup")
varying = loaders.table_varying(source.digest, source.data)
try:
    settings = state.data_settings(source, table, varying)
except DataError as exc:  # e.g. no column can be the target
    show.error(exc)
    st.stop()
targets = usable_targets(table, varying)
note = st.session_state.get(TARGET_NOTE_KEY)
if note is not None and source.label == state.UPLOAD_OPTION:
    st.warning(show.literal(note), icon=":material/warning:")
unusable = unusable_targets(source, varying)
last_column = (report.names or list(table.columns))[-1]
if last_column != settings.target and last_column in unusable:
    st.info(
        show.literal(
            f"The last column, {last_column!r}, cannot be the target "
            f"({unusable[last_column]}), so the target is {settings.target!r}."
        )
    )
if unusable:
    with st.expander(f"Columns that cannot be the target ({len(unusable)})"):
        st.dataframe(
            pd.DataFrame({"column": list(unusable), "why not": list(unusable.values())}),
            hide_index=True,
        )
left, right = st.columns(2)
target_key = state.setting_key("target", source)
target = left.selectbox(
    "Target (what to predict)",
    targets,
    index=targets.index(settings.target),
    key=target_key,
    persist_state="session",
    on_change=remember_target,
    args=(target_key,),
)
candidates = usable_features(table, target, varying)
right.multiselect(
    "Features",
    candidates,
    default=list(settings.features) if settings.features is not None else candidates,
    key=state.setting_key("features", source, target),
    persist_state="session",
)
left.slider(
    "Test fraction",
    0.1,
    0.5,
    settings.test_fraction,
    0.05,
    key=state.setting_key("test_fraction", source),
    persist_state="session",
    help="The share of rows held out to measure test error.",
)
right.number_input(
    "Split seed",
    0,
    1_000_000,
    settings.seed,
    1,
    key=state.setting_key("seed", source),
    persist_state="session",
    help="The seed of the random train/test split (and of the CV folds).",
)
left.checkbox(
    "Standardise the features (training mean and standard deviation)",
    settings.standardize,
    key=state.setting_key("standardize", source),
    persist_state="session",
    help="Penalties treat every coefficient alike, so features on different scales should be "
    "standardised. Coefficients are always reported on the original scale too.",
)

try:
    loaded = loaders.load()
except DataError as exc:
    show.error(exc)
    st.stop()
design = loaded.design
st.success(
    f"{len(table)} rows × {design.n_features} features · train {design.n_train} rows, "
    f"test {design.n_test} rows. The Path page is ready.",
    icon=":material/check_circle:",
)
st.page_link("app_pages/path.py", label="Go to the Path page", icon=":material/show_chart:")
if design.lines:
    with st.expander("What was done to build the design matrix"):
        for line in design.lines:
            st.text(line)

st.subheader("Preview")
st.dataframe(table.head(200))
