"""The heavy work, cached on a digest of the data plus the settings.

Every cached function takes ``digest`` (sha256 of the CSV bytes) and hashable settings,
and the bytes themselves as ``_data``: Streamlit does not hash an argument whose name
starts with "_", so the cache key is exactly (digest, settings) and no DataFrame or array
is ever hashed.  Results are small records (``views``) so that moving the λ slider only
indexes arrays that were computed once.

``load()`` gathers the current data set for a page: source, table, read report, settings
and design, raising ``DataError`` (a plain message) when the data cannot be used.

BLAS runs one thread per call in the dashboard's process (``BLAS_THREADS``).  Streamlit
runs every session as a thread of one process, and threadpoolctl's limits are process
wide: a limit entered by one session would change, and on exit restore, the others'.  So
the one coherent policy is a single cap set once at import: with it, k sessions computing
at once use k cores instead of k × cores BLAS threads oversubscribing the machine (the
numba kernels release the GIL, so sessions do run side by side).  ``bench/app.py
--sessions`` measures it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import pandas as pd
import streamlit as st
from threadpoolctl import threadpool_limits

import regcore
from dashboard import classify, resources, show, state, views
from regcore.data import (
    DataError,
    Design,
    ReadReport,
    make_design,
    read_csv,
    usable_targets,
    varying_columns,
)

BLAS_THREADS = 1

threadpool_limits(limits=BLAS_THREADS, user_api="blas")


# The table and the design are kept as shared, read-only objects (cache_resource): a
# cache_data entry is a pickle, unpickled afresh on every rerun, so each page run would
# copy the whole data set (and hold a second copy in the pickle).  Nothing mutates them.
@st.cache_resource(**resources.TABLES, show_spinner="Reading the data…")
def read_table(digest: str, _data: bytes) -> tuple[pd.DataFrame, ReadReport]:
    return read_csv(_data)


@st.cache_resource(**resources.TABLES, show_spinner=False)
def table_varying(digest: str, _data: bytes) -> frozenset[str]:
    """The table's columns that vary (``usable_targets``/``usable_features`` ask on every rerun)."""
    df, _ = read_table(digest, _data)
    return varying_columns(df)


@st.cache_resource(**resources.TABLES, show_spinner=False)
def table_targets(digest: str, _data: bytes) -> tuple[str, ...]:
    """The table's possible targets (``usable_targets``; every rerun asks, and each answer
    reads whole columns)."""
    df, _ = read_table(digest, _data)
    return tuple(usable_targets(df, table_varying(digest, _data)))


@st.cache_resource(**resources.TABLES, show_spinner=False)
def build_design(digest: str, design_key: tuple, _data: bytes) -> Design:
    df, _ = read_table(digest, _data)
    target, features, test_fraction, seed = design_key
    return make_design(
        df,
        target,
        None if features is None else list(features),
        test_fraction=test_fraction,
        seed=seed,
    )


def fit_options(design: Design, fit_key: tuple) -> dict:
    """Keyword arguments of ``fit_path``/``cross_validate`` for ``DataSettings.fit_key()``.

    ``penalty_factor`` is passed only when some feature is left unpenalised, ``family`` only
    for the logistic model.
    """
    standardize, unpenalised, family = fit_key
    options = {"standardize": standardize}
    if family == "logistic":
        options["family"] = "logistic"
    if unpenalised:
        names = design.feature_names
        options["penalty_factor"] = [0.0 if f in unpenalised else 1.0 for f in names]
    return options


def fit_target(design: Design, y, fit_key: tuple):
    """The target values a fit sees: the 0/1 codes for the logistic family, else ``y`` as it is."""
    return design.binary.codes(y) if fit_key[2] == "logistic" else y


@st.cache_data(**resources.FITS, show_spinner="Fitting the path…")
def fit_path_view(
    digest: str,
    design_key: tuple,
    fit_key: tuple,
    penalty: str,
    alpha: float | None,
    _data: bytes,
) -> views.PathView | classify.ClassifyView:
    """The path with its train and test errors (a ``ClassifyView`` for the logistic family)."""
    design = build_design(digest, design_key, _data)
    path = regcore.fit_path(
        design.X_train,
        fit_target(design, design.y_train, fit_key),
        penalty=penalty,
        alpha=alpha,
        feature_names=design.feature_names,
        **fit_options(design, fit_key),
    )
    if fit_key[2] == "logistic":
        return classify.classify_view(path, design)
    return views.path_view(path, design)


@st.cache_data(**resources.FITS, show_spinner=False)
def cross_validate_view(
    digest: str,
    design_key: tuple,
    fit_key: tuple,
    penalty: str,
    alpha: float | None,
    k: int | str,
    title: str,
    _data: bytes,
    *,
    measure: str | None = None,
) -> views.CVView:
    """K-fold CV (or ridge's exact leave-one-out, k = "loo") on the training rows over the
    Path page's λ grid, with a progress bar; ``measure`` is the logistic family's (deviance,
    misclassification or auc), None for the linear family's MSE.

    The bar lives inside this function (Streamlit replays it, already finished and then
    cleared, when the result comes from the cache).  ``title`` names the model in the bar.
    """
    design = build_design(digest, design_key, _data)
    # the full-data path CV fits is this one (same data, options and grid): its errors are reused
    scores = fit_path_view(digest, design_key, fit_key, penalty, alpha, _data)
    grid = scores.path.lambdas
    slot = st.empty()
    what = "leaving out each row" if k == "loo" else f"cross-validating {k} folds"
    bar = slot.progress(0.0, text=f"{title}: {what}…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{title}: fold {done} of {total} done")

    try:
        cv = regcore.cross_validate(
            design.X_train,
            fit_target(design, design.y_train, fit_key),
            penalty=penalty,
            alpha=alpha,
            k=k,
            seed=design_key[3],
            lambdas=grid,
            progress=progress,
            **fit_options(design, fit_key),
            **({} if measure is None else {"measure": measure}),
        )
    except ValueError as exc:
        if fit_key[2] != "logistic":
            raise
        # a class so rare (or so well separated) that some fold holds the other class alone
        raise DataError(
            f"Cross-validation cannot score this logistic model: {exc} Some fold holds one "
            "class only. Use fewer folds (K), another split seed, or more rows of the rarer "
            "class."
        ) from None
    finally:
        slot.empty()
    return views.CVView(cv=cv, scores=scores)


@dataclass(frozen=True)
class Loaded:
    """The current data set, read and split, with the settings that produced it."""

    source: state.Source
    table: pd.DataFrame
    report: ReadReport
    settings: state.DataSettings
    design: Design

    def path_view(self, penalty: str, alpha: float | None) -> views.PathView:
        return fit_path_view(
            self.source.digest,
            self.settings.design_key(),
            self.settings.fit_key(),
            penalty,
            alpha,
            self.source.data,
        )

    def cv_view(
        self,
        penalty: str,
        alpha: float | None,
        k: int | str,
        title: str,
        measure: str | None = None,
    ) -> views.CVView:
        """Cross-validation of this design; k is a number of folds or "loo" (ridge); ``measure``
        for the logistic family (see ``cross_validate_view``)."""
        return cross_validate_view(
            self.source.digest,
            self.settings.design_key(),
            self.settings.fit_key(),
            penalty,
            alpha,
            k if k == "loo" else int(k),
            title,
            self.source.data,
            measure=measure,
        )


def read_current() -> tuple[state.Source, pd.DataFrame, ReadReport]:
    """The current data set and its table; raises DataError when it cannot be read."""
    source = state.current_source()
    table, report = read_table(source.digest, source.data)
    return source, table, report


def read_settings() -> tuple[state.Source, pd.DataFrame, state.DataSettings]:
    """The current data set, its table and the Data page's settings; raises DataError."""
    source, table, _ = read_current()
    return source, table, settings_of(source, table)


def settings_of(source: state.Source, table: pd.DataFrame) -> state.DataSettings:
    """The Data page's settings for this table (``state.data_settings``), from cached facts."""
    varying = table_varying(source.digest, source.data)
    return state.data_settings(table, varying, table_targets(source.digest, source.data))


def load() -> Loaded:
    """The current data set, read, with its settings and design; raises DataError."""
    source, table, report = read_current()
    settings = settings_of(source, table)
    design = build_design(source.digest, settings.design_key(), source.data)
    unpenalised = state.unpenalised_in(design.feature_names, settings.unpenalised)
    if tuple(unpenalised) != settings.unpenalised:
        st.session_state[state.UNPENALISED_KEY] = unpenalised
        settings = dataclasses.replace(settings, unpenalised=tuple(unpenalised))
    family = state.current_family(design.binary is not None)
    if family != settings.family:
        settings = dataclasses.replace(settings, family=family)
    return Loaded(source, table, report, settings, design)


def load_or_stop() -> Loaded:
    """``load()`` for a page: on a DataError show its message and stop the page there."""
    try:
        return load()
    except DataError as exc:
        show.error(exc)
        st.info("Choose another data set in the sidebar, or change the settings on the Data page.")
        st.stop()
