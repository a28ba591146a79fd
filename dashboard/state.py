"""Session state of the dashboard: the shared settings, bound to the URL, and the link they came from.

The URL is the state.  Every setting that changes what is shown is a widget whose key is
its query parameter (``bind="query-params"``), drawn on every page that shows it, so a
copied link restores the view:

- ``sample``: the data set; ``target``, ``drop`` (features left out), ``test_fraction``, ``seed``,
  ``standardise``, ``unpenalised``: the Data page's choices (the same widgets sit in the
  sidebar of the other pages, so the link keeps them everywhere);
- ``model``, ``alpha``, ``k``, ``scale``: the model, the elastic-net mixing α, the number
  of CV folds and the coefficients' scale, one of each for every page (sidebar);
- ``lam``: λ on the Path page (its options are the path's grid, shown as numbers);
- ``family``: ``logistic`` or ``linear``, for a two-valued target only (logistic by default;
  any other target is fitted by the linear model and the setting is not drawn);
- ``measure``: what a logistic model is cross-validated on (``deviance``,
  ``misclassification`` or ``auc``).

A link is read once, on the session's first run (``open_link``): each value is checked
where it is first needed (``from_link``); a value that does not fit the data (an unknown
column, an uploaded file the recipient lacks, an off-grid λ) is ignored or snapped, with a
notice (``notify``), never an exception.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from dashboard.views import nearest_index
from regcore.data import default_target, usable_features, usable_targets
from regcore.datasets import sample_bytes, sample_names

SAMPLE_KEY, MODEL_KEY, ALPHA_KEY, LAMBDA_KEY, K_KEY = "sample", "model", "alpha", "lam", "k"
TARGET_KEY, DROP_KEY, UNPENALISED_KEY = "target", "drop", "unpenalised"
TEST_KEY, SEED_KEY, STANDARDISE_KEY, SCALE_KEY = "test_fraction", "seed", "standardise", "scale"
DATA_KEYS = (TARGET_KEY, DROP_KEY, UNPENALISED_KEY, TEST_KEY, SEED_KEY, STANDARDISE_KEY)
UPLOAD_KEY = "uploaded_source"
LAST_TARGET_KEY = "last_target"  # the target the user last chose, carried to the next upload
LAMBDA_REQUEST_KEY = "lam_requested"
LINK_KEY, NOTICES_KEY = "link_unread", "link_notices"
FAMILY_KEY, MEASURE_KEY = "family", "measure"
FAMILIES = {"logistic": "Logistic (two classes)", "linear": "Linear (least squares)"}
MEASURES = {"deviance": "deviance", "misclassification": "misclassification", "auc": "AUC"}
UPLOAD_OPTION = "Uploaded file"
MODELS = {"Lasso": "lasso", "Ridge": "ridge", "Elastic net": "elasticnet", "No penalty": "none"}
SCALES = {"standardised": True, "original": False}
DEFAULT_ALPHA = 0.5
DEFAULT_TEST_FRACTION = 0.25
DEFAULT_K = 10
ALPHA_RANGE, TEST_RANGE, K_RANGE, SEED_RANGE = (0.05, 0.95), (0.1, 0.5), (2, 20), (0, 1_000_000)


# -- the link -------------------------------------------------------------------------------


def open_link() -> None:
    """On the session's first run, keep the link's query parameters to be checked as read."""
    if LINK_KEY not in st.session_state:
        st.session_state[LINK_KEY] = {k: st.query_params.get_all(k) for k in st.query_params}
        st.session_state[NOTICES_KEY] = []


SHARED_KEYS = (
    SAMPLE_KEY,
    *DATA_KEYS,
    FAMILY_KEY,
    MODEL_KEY,
    ALPHA_KEY,
    K_KEY,
    SCALE_KEY,
    MEASURE_KEY,
)


def keep_in_link() -> None:
    """Assign every shared setting its own value again, before its widget is drawn.

    Streamlit puts a bound widget's value back into the URL after a page switch only when
    the user set it; a value set by code (the data set after an upload) would drop out of
    the link.  A programmatic assignment on every run makes Streamlit sync the URL.
    """
    ss = st.session_state
    for key in SHARED_KEYS:
        if key in ss:
            ss[key] = ss[key]


def notify(message: str) -> None:
    """A notice about the link (shown at the top of the page until dismissed)."""
    notices = st.session_state.setdefault(NOTICES_KEY, [])
    if message not in notices:
        notices.append(message)


def from_link(
    key: str, parse: Callable[[list[str]], object], what: str, *, adopt: bool = True
) -> None:
    """Adopt the link's value for ``key`` (once per session) if ``parse`` accepts it.

    ``parse`` maps the raw values to the setting, or returns None for a value that does not
    fit: it is then ignored with a notice and the setting keeps its default.  ``adopt=False``
    only checks: for a widget drawn before anything reads it, which seeds itself from the URL.
    """
    link = st.session_state.get(LINK_KEY) or {}
    if key not in link:
        return
    raw = link.pop(key)
    value = parse(raw)
    if value is None:
        notify(
            f"The link's {what} ({', '.join(raw) or 'empty'}) does not fit here; it was ignored."
        )
    else:
        st.session_state[key] = value


def one_of(options: Collection) -> Callable[[list[str]], object]:
    return lambda raw: raw[0] if len(raw) == 1 and raw[0] in options else None


def number_in(low: float, high: float, kind: type = float) -> Callable[[list[str]], object]:
    def parse(raw: list[str]):
        try:
            value = kind(float(raw[0])) if len(raw) == 1 else None
        except ValueError:
            return None
        ok = value is not None and math.isfinite(value) and low <= value <= high
        return value if ok and float(value) == float(raw[0]) else None

    return parse


def flag(raw: list[str]):
    return {"true": True, "false": False}.get(raw[0].lower()) if len(raw) == 1 else None


# -- the data set ---------------------------------------------------------------------------


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

    Meant for the uploader's ``on_change`` callback, which runs before the data-set
    selector is drawn, so the selector may still be set.
    """
    st.session_state[UPLOAD_KEY] = Source.of(UPLOAD_OPTION, filename, data)
    st.session_state[SAMPLE_KEY] = UPLOAD_OPTION


def source_options() -> list[str]:
    """The sample names, then "Uploaded file" once a file was uploaded this session."""
    return sample_names() + ([UPLOAD_OPTION] if UPLOAD_KEY in st.session_state else [])


def read_sample_from_link() -> None:
    """The link's data set; an uploaded file this session lacks opens the first sample, saying so."""

    def parse(raw: list[str]):
        if raw == [UPLOAD_OPTION] and UPLOAD_KEY not in st.session_state:
            notify(
                "This link was made with an uploaded file, which a link cannot carry: it opens "
                f"the first sample, {sample_names()[0]}, instead. Upload the file on the Data "
                "page to see the shared view."
            )
            return sample_names()[0]
        return one_of(source_options())(raw)

    from_link(SAMPLE_KEY, parse, "data set")


def current_source() -> Source:
    """The data set chosen (the first sample until something else is chosen)."""
    choice = st.session_state.get(SAMPLE_KEY)
    if choice == UPLOAD_OPTION and UPLOAD_KEY in st.session_state:
        return st.session_state[UPLOAD_KEY]
    return sample_source(choice if choice in sample_names() else sample_names()[0])


@dataclass(frozen=True)
class DataSettings:
    """What the Data page chose: target, features (None = all usable), split and scaling,
    the features left unpenalised (design names), and the model family ("linear", or
    "logistic" for a two-valued target: set by ``loaders.load`` once the design is known)."""

    target: str
    features: tuple[str, ...] | None
    test_fraction: float
    seed: int
    standardize: bool
    unpenalised: tuple[str, ...] = ()
    family: str = "linear"

    def design_key(self) -> tuple:
        """The settings ``make_design`` depends on (a hashable cache key)."""
        return (self.target, self.features, self.test_fraction, self.seed)

    def fit_key(self) -> tuple:
        """The settings a fit depends on beyond the design: (standardise, unpenalised, family)."""
        return (self.standardize, self.unpenalised, self.family)


def data_settings(
    df: pd.DataFrame,
    varying: Collection[str] | None = None,
    targets: Collection[str] | None = None,
) -> DataSettings:
    """The Data page's choices for this table (read from the link first), or the defaults.
    ``targets``: ``usable_targets(df, varying)`` when already known.

    Defaults: the last usable numeric column as target, all usable features, a quarter of
    the rows for testing, seed 0, standardised features, every feature penalised.  The
    unpenalised features are checked against the design later (``unpenalised_in``).
    """
    ss = st.session_state
    targets = list(targets) if targets is not None else usable_targets(df, varying)
    from_link(TARGET_KEY, one_of(targets), "target")
    target = ss.get(TARGET_KEY)
    if target not in targets:
        ss.pop(TARGET_KEY, None)
        target = targets[-1] if targets else default_target(df, varying)  # raises: no target
    usable = usable_features(df, target, varying)
    from_link(DROP_KEY, lambda raw: [f for f in raw if f in usable] or None, "features left out")
    # the features left out, not those kept: its default ([]) is the same for every target
    dropped = set(ss.get(DROP_KEY) or ())
    features = tuple(f for f in usable if f not in dropped) if dropped & set(usable) else None
    from_link(TEST_KEY, number_in(*TEST_RANGE), "test fraction")
    from_link(SEED_KEY, number_in(*SEED_RANGE, int), "split seed")
    from_link(STANDARDISE_KEY, flag, "standardise setting")
    from_link(UNPENALISED_KEY, lambda raw: list(raw), "unpenalised features")
    return DataSettings(
        target=target,
        features=features,
        test_fraction=float(ss.get(TEST_KEY, DEFAULT_TEST_FRACTION)),
        seed=int(ss.get(SEED_KEY, 0)),
        standardize=bool(ss.get(STANDARDISE_KEY, True)),
        unpenalised=tuple(ss.get(UNPENALISED_KEY) or ()),
    )


def unpenalised_in(feature_names, chosen: Collection[str]) -> list[str]:
    """The chosen unpenalised features that are in the design, in its order; a notice for the rest."""
    names = list(feature_names)
    unknown = [f for f in chosen if f not in names]
    if unknown:
        notify(f"Not features of this design, so not left unpenalised: {', '.join(unknown)}.")
    return [f for f in names if f in chosen]


# -- the model ------------------------------------------------------------------------------


def read_model_from_link(binary: bool = False) -> None:
    """Check the link's family, model, α, K, scale and measure (their widgets, drawn first,
    read the URL); a logistic family fits only a two-valued target (``binary``)."""
    from_link(FAMILY_KEY, one_of(FAMILIES if binary else ["linear"]), "model family", adopt=False)
    from_link(MEASURE_KEY, one_of(MEASURES), "cross-validation measure", adopt=False)
    from_link(MODEL_KEY, one_of(MODELS), "model", adopt=False)
    from_link(ALPHA_KEY, number_in(*ALPHA_RANGE), "mixing α", adopt=False)
    from_link(K_KEY, number_in(*K_RANGE, int), "number of folds K", adopt=False)
    from_link(SCALE_KEY, one_of(SCALES), "coefficient scale", adopt=False)


def current_family(binary: bool) -> str:
    """The model family: "linear" unless the target is two-valued (``binary``), then the one
    chosen in the sidebar, logistic by default."""
    chosen = st.session_state.get(FAMILY_KEY)
    return "linear" if not binary else chosen if chosen in FAMILIES else "logistic"


def current_measure() -> str:
    """The logistic model's cross-validation measure (deviance by default)."""
    chosen = st.session_state.get(MEASURE_KEY)
    return chosen if chosen in MEASURES else next(iter(MEASURES))


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


def shared_alpha() -> float:
    """The mixing α of the elastic net, whichever model is shown (Compare fits every model)."""
    return float(st.session_state.get(ALPHA_KEY, DEFAULT_ALPHA))


def current_k(n_train: int) -> int:
    """The number of CV folds, at most the training rows."""
    return max(2, min(int(st.session_state.get(K_KEY, DEFAULT_K)), n_train))


def standardised_scale() -> bool:
    """Whether coefficients are shown on the standardised scale (the default)."""
    return SCALES.get(st.session_state.get(SCALE_KEY), True)


# -- λ --------------------------------------------------------------------------------------


def request_lambda(lam: float) -> None:
    """Ask the Path page to show λ = lam on its next run (e.g. λ_1se from the CV page)."""
    st.session_state[LAMBDA_REQUEST_KEY] = float(lam)


def settle_lambda(options: list[float], labels: list[str], default: float) -> None:
    """Decide the λ slider's value before it is drawn.

    In order: a λ requested by another page; a λ from the link (snapped to the nearest grid
    value with a notice when it is not on this grid, ignored with a notice when it is not a
    positive number); the λ already chosen, if it is on this grid; otherwise ``default``.
    """
    ss = st.session_state
    link = ss.get(LINK_KEY) or {}
    if LAMBDA_REQUEST_KEY in ss:
        ss[LAMBDA_KEY] = options[nearest_index(options, ss.pop(LAMBDA_REQUEST_KEY))]
        return
    if LAMBDA_KEY in link:
        raw = link.pop(LAMBDA_KEY)
        try:
            lam = float(raw[0]) if len(raw) == 1 else math.nan
        except ValueError:
            lam = math.nan
        if not (math.isfinite(lam) and lam > 0):
            notify(f"The link's λ ({', '.join(raw)}) is not a positive number; it was ignored.")
        else:
            at = nearest_index(options, lam)
            ss[LAMBDA_KEY] = options[at]
            if raw[0] not in labels:
                shown = labels[at]
                notify(f"The link's λ = {raw[0]} is not on this path's grid: showing λ = {shown}.")
            return
    # assigned even when kept, so a λ set by code stays in the link after a page switch
    ss[LAMBDA_KEY] = ss[LAMBDA_KEY] if ss.get(LAMBDA_KEY) in options else default
