"""Data page: pick a sample or upload a CSV, see what was detected and done, choose the design."""

import pandas as pd
import streamlit as st

from app_pages import _classify
from dashboard import loaders, resources, show, sidebar, state
from regcore.data import DataError, target_problems
from regcore.datasets import SAMPLES

UPLOADER_KEY = "uploader"
REFUSED_KEY = "upload_refused"  # (file name, message) of an upload the reader refused
TARGET_NOTE_KEY = "target_note"  # why the user's last target could not be kept for the new upload
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
    sidebar.reset_data_settings()
    keep_last_target(source)


def unusable_targets(source: state.Source, varying) -> dict[str, str]:
    """Every column of the file that cannot be the target -> why (dropped ones included)."""
    table, report = loaders.read_table(source.digest, source.data)
    return {**report.dropped, **target_problems(table, varying)}


def keep_last_target(source: state.Source) -> None:
    """The target the user chose last becomes this upload's target, or a note says why not."""
    st.session_state.pop(TARGET_NOTE_KEY, None)
    last = st.session_state.get(state.LAST_TARGET_KEY)
    if last is None:
        return
    varying = loaders.table_varying(source.digest, source.data)
    if last in loaders.table_targets(source.digest, source.data):
        st.session_state[state.TARGET_KEY] = last
        return
    why = unusable_targets(source, varying).get(last, "the file has no column of that name")
    st.session_state[TARGET_NOTE_KEY] = (
        f"The target you chose before, {last!r}, cannot be the target of {source.filename}: "
        f"{why}. Choose the target above."
    )


def target_notes(source: state.Source, table, report) -> None:
    """Why the user's last target was not kept, and which columns cannot be the target."""
    note = st.session_state.get(TARGET_NOTE_KEY)
    if note is not None and source.label == state.UPLOAD_OPTION:
        st.warning(show.literal(note), icon=":material/warning:")
    varying = loaders.table_varying(source.digest, source.data)
    unusable = unusable_targets(source, varying)
    try:
        target = loaders.read_settings()[2].target
    except DataError:
        target = None
    last_column = (report.names or list(table.columns))[-1]
    if target is not None and last_column != target and last_column in unusable:
        st.info(
            show.literal(
                f"The last column, {last_column!r}, cannot be the target "
                f"({unusable[last_column]}), so the target is {target!r}."
            )
        )
    if unusable:
        with st.expander(f"Columns that cannot be the target ({len(unusable)})"):
            st.dataframe(
                pd.DataFrame({"column": list(unusable), "why not": list(unusable.values())}),
                hide_index=True,
            )


def preview_cell(value) -> str:
    """A preview cell: missing values blank (not "None"), numbers to 6 significant digits."""
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def describe(source, table, report) -> None:
    """What the data set is, and what the reader detected and did."""
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
                    {
                        "feature": list(info.true_coef),
                        "true coefficient": list(info.true_coef.values()),
                    }
                ).query("`true coefficient` != 0"),
                hide_index=True,
                width="content",
            )
    else:
        st.subheader("Uploaded file")
        st.text(source.filename)

    with st.expander("What the reader detected and did", expanded=info is None):
        st.text(
            f"encoding {report.encoding} · delimiter {report.delimiter!r} · decimal "
            f"{report.decimal!r} · header row {'yes' if report.header else 'no'} · "
            f"{report.n_rows} rows × {report.n_columns} columns"
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


def summary(table) -> None:
    """Rows used, features, the split; or why the design cannot be built."""
    try:
        loaded = loaders.load()
    except DataError as exc:
        show.error(exc)
        return
    design = loaded.design
    used = design.n_train + design.n_test
    read = "" if used == len(table) else f" (of {len(table)} read; see what was done below)"
    st.success(
        f"{used} rows used{read} × {design.n_features} features · train {design.n_train} rows, "
        f"test {design.n_test} rows. The Path page is ready.",
        icon=":material/check_circle:",
    )
    if design.binary is not None:
        st.info(show.literal(_classify.binary_report(loaded)), icon=":material/join:")
    st.page_link("app_pages/path.py", label="Go to the Path page", icon=":material/show_chart:")
    if design.lines:
        with st.expander("What was done to build the design matrix"):
            for line in design.lines:
                st.text(line)


# No st.stop on this page: app.py draws the data set and its settings into the slots below
# after the page has run (see dashboard.sidebar), which a stopped run would not do.
st.title("Data")
st.write(
    "Pick a built-in sample or upload a CSV file, then choose what to predict from what. Every "
    "other page uses the data set and the settings chosen here (they are part of the link, and "
    "sit in the sidebar of the other pages)."
)
picker_slot = st.container()
st.file_uploader(
    "Upload a CSV file",
    type=["csv", "tsv", "txt"],
    key=UPLOADER_KEY,
    on_change=on_upload,
    help="Comma, semicolon or tab separated; a header row is detected. The last column of "
    "numbers or of exactly two labels (yes/no, …: fitted by a logistic model) is the default "
    "target.",
)

refused = st.session_state.get(REFUSED_KEY)
if refused is not None:
    name, message = refused
    show.error(message)
    st.info(
        show.literal(
            f"{name} was not loaded; the data set in use is still "
            f"{state.current_source().label}. Upload a corrected file, or pick a sample above."
        )
    )

st.subheader("Model setup")
settings_slot = st.container()
sidebar.data_page_slots(picker_slot, settings_slot)
try:
    source, table, report = loaders.read_current()
except DataError as exc:
    show.error(exc)
    st.info("Nothing else changed: pick a sample above or upload another file.")
else:
    summary(table)
    target_notes(source, table, report)
    describe(source, table, report)
    st.subheader("Preview")
    st.dataframe(table.head(200).style.format(preview_cell))
