"""Session state of the dashboard: the data set, its settings, the model and λ hand-overs.

Widget keys bound to URL query params (``bind="query-params"``), so a link restores a view:

- ``sample``: the data set (sidebar, every page); "Uploaded file" after an upload;
- ``model`` and ``alpha``: the model and the elastic-net mixing α (sidebar, Path and
  Cross-validation pages);
- ``lam``: λ on the Path page (its options are the path's grid, shown as numbers; see
  ``settle_lambda``).

The Data page's settings are widgets keyed per data set (``setting_key``) with
``persist_state="session"``, so every page reads the same choices through
``data_settings`` and a data set keeps its own choices when the user switches back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from regcore.data import default_target, usable_features, usable_targets
from regcore.datasets import sample_bytes, sample_names

SAMPLE_KEY, MODEL_KEY, ALPHA_KEY, LAMBDA_KEY = "sample", "model", "alpha", "lam"
UPLOAD_KEY = "uploaded_source"
LAMBDA_REQUEST_KEY = "lam_requested"
UPLOAD_OPTION = "Uploaded file"
MODELS = {"Lasso": "lasso", "Ridge": "ridge", "Elastic net": "elasticnet", "No penalty": "none"}
DEFAULT_ALPHA = 0.5
DEFAULT_TEST_FRACTION = 0.25


@dataclass(frozen=True)
class Source:
    """A data set: its name in the app, the file name, the CSV bytes and their sha256."""

    label: str
    filename: str
    data: bytes = field(repr=False)
    digest: str

    @classmethod
    def of(cls, label: str, filename: str, data: bytes) -> Source:
        return cls(label, filename, data, hashlib.sha256(data).hexdigest())


@st.cache_data(show_spinner=False)
def sample_source(name: str) -> Source:
    return Source.of(name, f"{name}.csv", sample_bytes(name))


def store_upload(filename: str, data: bytes) -> None:
    """Keep an uploaded file for the session and make it the current data set.

    Meant for the uploader's ``on_change`` callback, which runs before the sidebar's
    data-set selector is drawn, so the selector may still be set.
    """
    st.session_state[UPLOAD_KEY] = Source.of(UPLOAD_OPTION, filename, data)
    st.session_state[SAMPLE_KEY] = UPLOAD_OPTION


def source_options() -> list[str]:
    """The sample names, then "Uploaded file" once a file was uploaded this session."""
    return sample_names() + ([UPLOAD_OPTION] if UPLOAD_KEY in st.session_state else [])


def current_source() -> Source:
    """The data set chosen in the sidebar (the first sample until something else is chosen)."""
    choice = st.session_state.get(SAMPLE_KEY)
    if choice == UPLOAD_OPTION and UPLOAD_KEY in st.session_state:
        return st.session_state[UPLOAD_KEY]
    return sample_source(choice if choice in sample_names() else sample_names()[0])


@dataclass(frozen=True)
class DataSettings:
    """What the Data page chose: target, features (None = all usable), split and scaling."""

    target: str
    features: tuple[str, ...] | None
    test_fraction: float
    seed: int
    standardize: bool

    def design_key(self) -> tuple:
        """The settings ``make_design`` depends on (a hashable cache key)."""
        return (self.target, self.features, self.test_fraction, self.seed)


def setting_key(name: str, source: Source, *extra: str) -> str:
    """The widget key of a Data-page setting for this data set (and e.g. this target)."""
    return "@".join([name, source.digest[:16], *extra])


def data_settings(
    source: Source, df: pd.DataFrame, varying: Collection[str] | None = None
) -> DataSettings:
    """The Data page's choices for this data set, or the defaults where none was made.

    Defaults: the last usable numeric column as target, all usable features, a quarter of
    the rows for testing, seed 0, standardised features.
    """
    ss = st.session_state
    targets = usable_targets(df, varying)
    target = ss.get(setting_key("target", source))
    if target not in targets:
        target = default_target(df, varying)
    chosen = ss.get(setting_key("features", source, target))
    features = None
    if chosen is not None:
        usable = usable_features(df, target, varying)
        chosen = [f for f in chosen if f in usable]
        features = None if chosen == usable else tuple(chosen)
    return DataSettings(
        target=target,
        features=features,
        test_fraction=float(ss.get(setting_key("test_fraction", source), DEFAULT_TEST_FRACTION)),
        seed=int(ss.get(setting_key("seed", source), 0)),
        standardize=bool(ss.get(setting_key("standardize", source), True)),
    )


def current_model() -> tuple[str, str, float | None]:
    """(label, regcore penalty, α or None) of the model chosen in the sidebar."""
    label = st.session_state.get(MODEL_KEY)
    if label not in MODELS:
        label = next(iter(MODELS))
    penalty = MODELS[label]
    alpha = (
        float(st.session_state.get(ALPHA_KEY, DEFAULT_ALPHA)) if penalty == "elasticnet" else None
    )
    return label, penalty, alpha


def request_lambda(lam: float) -> None:
    """Ask the Path page to show λ = lam on its next run (e.g. λ_1se from the CV page)."""
    st.session_state[LAMBDA_REQUEST_KEY] = float(lam)


def settle_lambda(options: list[float], labels: list[str], default: float) -> None:
    """Decide the λ slider's value before it is drawn (the slider itself gets no default).

    In order: a λ requested by another page; the λ already chosen, if it is on this grid;
    a λ from the link (``?lam=…``, one of ``labels``), which the bound slider reads itself;
    otherwise ``default``.  Setting the state, not the slider's ``value``, keeps Streamlit
    from warning about a widget with both.
    """
    ss = st.session_state
    if LAMBDA_REQUEST_KEY in ss:
        ss[LAMBDA_KEY] = ss.pop(LAMBDA_REQUEST_KEY)
    elif ss.get(LAMBDA_KEY) in options:
        return
    elif LAMBDA_KEY not in ss and st.query_params.get(LAMBDA_KEY) in labels:
        return
    else:
        ss[LAMBDA_KEY] = default
