"""Data page: pick a sample or upload a CSV, see what was detected and done, choose the design."""

import pandas as pd
import streamlit as st

from dashboard import loaders, show, sidebar, state
from regcore.data import DataError
from regcore.datasets import SAMPLES

UPLOADER_KEY = "uploader"
REFUSED_KEY = "upload_refused"  # (file name, message) of an upload the reader refused


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
    sidebar.reset_data_settings()


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
        design = loaders.load().design
    except DataError as exc:
        show.error(exc)
        return
    used = design.n_train + design.n_test
    read = "" if used == len(table) else f" (of {len(table)} read; see what was done below)"
    st.success(
        f"{used} rows used{read} × {design.n_features} features · train {design.n_train} rows, "
        f"test {design.n_test} rows. The Path page is ready.",
        icon=":material/check_circle:",
    )
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
    describe(source, table, report)
    st.subheader("Preview")
    st.dataframe(table.head(200).style.format(preview_cell))
