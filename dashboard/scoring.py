"""The Path page's last panel: the model at the current λ as JSON, and new rows scored by it.

A second CSV goes through ``regcore.model.read_rows`` and the design's encoding
(``regcore.data.design.Encoding``): predictions, the test error when the file has the
target column, and the rows with their predictions as a CSV download.  A logistic model
gives the probability of the label that is 1 and the predicted label (spelt as in the
training file), and its deviance, misclassification and AUC on rows with the target.  The
model JSON is the same file ``python -m regcore predict`` and ``regcore.load_model`` read.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from dashboard import classify, resources, show
from regcore.charts.classify import MEASURES
from regcore.data import DataError, safe_csv_bytes
from regcore.data.binary import file_classes
from regcore.data.design import Encoding, fit_encoding
from regcore.model import Model, load_model, read_rows
from regcore.path import Path

UPLOAD_KEY = "score_upload"
UNSEEN_KEY = "score_unseen"
PREVIEW_ROWS = 20


@st.cache_resource(**resources.CHARTS, show_spinner=False)
def _encoding(digest: str, design_key: tuple, _table, _design) -> Encoding:
    """The design's encoding, read once per data set and design (not on every λ move)."""
    features = design_key[1]
    return fit_encoding(_table, _design, None if features is None else list(features))


def current_model(loaded, path: Path, index: int) -> Model:
    """The path's grid point ``index`` with the current design's encoding (and, for a logistic
    path, the target's two labels as the file spells them)."""
    encoding = _encoding(
        loaded.source.digest, loaded.settings.design_key(), loaded.table, loaded.design
    )
    classes = None
    if path.family == "logistic":
        classes = file_classes(loaded.design, loaded.report.lines)
    return Model.from_path(path, index, encoding, classes=classes)


@st.cache_data(**resources.FITS, show_spinner="Scoring the new rows…")
def _scored(upload_digest: str, model_json: str, unseen: str, _data: bytes):
    """(rows with predictions, errors, notes) or a DataError's message; keyed on digests."""
    model = load_model(model_json)
    try:
        table, errors = model.score_table(read_rows(_data), unseen=unseen)
    except DataError as exc:
        return None, {}, [], str(exc)
    return table, errors, model.notes, None


def panel(loaded, path: Path, index: int) -> None:
    """Model download and scoring of an uploaded CSV, for grid point ``index`` of ``path``."""
    st.subheader("Score new data")
    model = current_model(loaded, path, index)
    target = model.encoding.target
    st.download_button(
        "The model at this λ (JSON)",
        model.to_json,
        file_name=f"model_{path.penalty}_lambda_{model.lam:.4g}.json",
        mime="application/json",
        on_click="ignore",
        help="The encoding (columns, levels, imputation), λ, the coefficients on both scales, "
        "the certificate and the regcore version: `regcore.load_model` and "
        "`python -m regcore predict` read it.",
    )
    upload = st.file_uploader(
        "A CSV of new rows with the same columns (the target column is optional)",
        type=["csv", "tsv", "txt"],
        key=UPLOAD_KEY,
        help=f"When the file has {target!r}, the test error on those rows is shown too.",
    )
    unseen = st.toggle(
        "Read a level never seen in training as the reference level",
        value=False,
        key=UNSEEN_KEY,
        bind="query-params",
        help="Off: such a row is refused and named. On: it is encoded as the first level, "
        "as the test rows are.",
    )
    if upload is None:
        return
    data = upload.getvalue()
    table, errors, notes, message = _scored(
        hashlib.sha256(data).hexdigest(), model.to_json(), "reference" if unseen else "error", data
    )
    if message is not None:
        show.error(message)
        return
    for note in notes:
        st.caption(show.literal(note))
    _show_errors(errors, target, model.logistic)
    st.dataframe(table.head(PREVIEW_ROWS), hide_index=True)
    st.download_button(
        "Rows with their predictions (CSV)",
        lambda: safe_csv_bytes(table),
        file_name=f"predictions_{path.penalty}_lambda_{model.lam:.4g}.csv",
        mime="text/csv",
        on_click="ignore",
    )


def _show_errors(errors: dict, target: str, logistic: bool) -> None:
    if not errors:
        st.caption(show.literal(f"No {target!r} column with values: predictions only."))
        return
    shown = (
        {name: classify.shown(m, errors[m]) for m, (name, _) in MEASURES.items()}
        if logistic
        else {"MSE": f"{errors['mse']:.4g}", "R²": f"{errors['r2']:.3f}"}
    )
    row = st.container(horizontal=True, gap="medium")
    row.metric("rows with a target", f"{errors['rows']:,}", width="content")
    for name, value in shown.items():
        row.metric(f"{name} on these rows", value, width="content")
