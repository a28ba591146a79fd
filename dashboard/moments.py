"""Cached views for the Summary statistics page: a moments file in, its path and CV out.

Every cache is keyed on the file's sha256 plus the model settings; the bytes ride along
unhashed (``_data``).  With no upload the page shows the moments of the Diabetes sample,
streamed from its CSV like any large file.
"""

from __future__ import annotations

import hashlib
import io

import streamlit as st

import regcore
from dashboard import resources
from regcore.datasets import SAMPLES_DIR
from regcore.moments import Moments, from_csv, train_test_mse

UPLOAD_KEY = "moments_file"  # session: (file name, sha256, bytes) of the uploaded moments
DEMO = "the Diabetes sample"


def store_upload(name: str, data: bytes) -> None:
    """Keep an uploaded moments file for the session (the uploader's on_change)."""
    st.session_state[UPLOAD_KEY] = (name, hashlib.sha256(data).hexdigest(), data)


def current() -> tuple[str, str, bytes]:
    """(what to call it, sha256, bytes) of the moments in use: the upload, or the demo."""
    if UPLOAD_KEY in st.session_state:
        return st.session_state[UPLOAD_KEY]
    data = demo_bytes()
    return DEMO, hashlib.sha256(data).hexdigest(), data


@st.cache_data(**resources.FITS, show_spinner="Streaming the sample into moments…")
def demo_bytes() -> bytes:
    """The Diabetes sample's moments as an .npz file (10 folds, a quarter of rows for test)."""
    out = io.BytesIO()
    from_csv(SAMPLES_DIR / "diabetes.csv").save(out)
    return out.getvalue()


@st.cache_data(**resources.FITS, show_spinner=False)
def load(digest: str, _data: bytes) -> Moments:
    """The moments in the file; ValueError with a plain message for anything else."""
    return Moments.load(io.BytesIO(_data))


@st.cache_data(**resources.FITS, show_spinner="Fitting the path from the moments…")
def path_view(digest: str, penalty: str, alpha: float | None, _data: bytes):
    """(path, train MSE, test MSE) of the moments' training rows."""
    moments = load(digest, _data)
    path = regcore.fit_path(moments=moments, penalty=penalty, alpha=alpha)
    return (path, *train_test_mse(moments, path))


@st.cache_data(**resources.FITS, show_spinner="Cross-validating over the moments' folds…")
def cv_result(digest: str, penalty: str, alpha: float | None, _data: bytes):
    return regcore.cross_validate(moments=load(digest, _data), penalty=penalty, alpha=alpha)
