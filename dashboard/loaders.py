"""The heavy work, cached on a digest of the data plus the settings.

Every cached function takes ``digest`` (sha256 of the CSV bytes) and hashable settings,
and the bytes themselves as ``_data``: Streamlit does not hash an argument whose name
starts with "_", so the cache key is exactly (digest, settings) and no DataFrame or array
is ever hashed.  Results are small records (``views``) so that moving the λ slider only
indexes arrays that were computed once.

``load()`` gathers the current data set for a page: source, table, read report, settings
and design, raising ``DataError`` (a plain message) when the data cannot be used.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

import regcore
from dashboard import resources, show, state, views
from regcore.charts import path as path_charts
from regcore.data import DataError, Design, ReadReport, make_design, read_csv, varying_columns


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


@st.cache_data(**resources.FITS, show_spinner="Fitting the path…")
def fit_path_view(
    digest: str,
    design_key: tuple,
    standardize: bool,
    penalty: str,
    alpha: float | None,
    _data: bytes,
) -> views.PathView:
    design = build_design(digest, design_key, _data)
    path = regcore.fit_path(
        design.X_train,
        design.y_train,
        penalty=penalty,
        alpha=alpha,
        standardize=standardize,
        feature_names=design.feature_names,
    )
    return views.path_view(path, design)


@st.cache_resource(**resources.CHARTS, show_spinner=False)
def path_chart_bases(
    digest: str,
    design_key: tuple,
    standardize: bool,
    penalty: str,
    alpha: float | None,
    standardized_scale: bool,
    _view: views.PathView,
) -> tuple:
    """The Path page's three charts as built once per path: (coefficient paths, errors, bars).

    Moving λ then only swaps the data of their λ layers (``regcore.charts.path``'s ``base=``
    arguments).
    """
    path = _view.path
    bars = path_charts.coefficient_bars_base(path.feature_names)
    if penalty == "none":  # least squares: one λ = 0, no path to draw, only the bars
        return None, None, bars
    return (
        path_charts.coefficient_paths_base(path, standardized=standardized_scale),
        path_charts.error_chart_base(path.lambdas, _view.train_mse, _view.test_mse),
        bars,
    )


@st.cache_data(**resources.FITS, show_spinner=False)
def cross_validate_view(
    digest: str,
    design_key: tuple,
    standardize: bool,
    penalty: str,
    alpha: float | None,
    k: int,
    title: str,
    _data: bytes,
) -> views.CVView:
    """K-fold CV on the training rows over the Path page's λ grid, with a progress bar.

    The bar lives inside this function (Streamlit replays it, already finished and then
    cleared, when the result comes from the cache).  ``title`` names the model in the bar.
    """
    design = build_design(digest, design_key, _data)
    grid = fit_path_view(digest, design_key, standardize, penalty, alpha, _data).path.lambdas
    slot = st.empty()
    bar = slot.progress(0.0, text=f"{title}: cross-validating {k} folds…")

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=f"{title}: fold {done} of {total} done")

    cv = regcore.cross_validate(
        design.X_train,
        design.y_train,
        penalty=penalty,
        alpha=alpha,
        k=k,
        seed=design_key[3],
        lambdas=grid,
        standardize=standardize,
        progress=progress,
    )
    slot.empty()
    return views.cv_view(cv, design)


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
            self.settings.standardize,
            penalty,
            alpha,
            self.source.data,
        )

    def chart_bases(
        self, penalty: str, alpha: float | None, standardized_scale: bool, view: views.PathView
    ):
        """(coefficient-path, error-chart, bar-chart bases) for ``path_view(penalty, alpha)``."""
        return path_chart_bases(
            self.source.digest,
            self.settings.design_key(),
            self.settings.standardize,
            penalty,
            alpha,
            standardized_scale,
            view,
        )

    def cv_view(self, penalty: str, alpha: float | None, k: int, title: str) -> views.CVView:
        return cross_validate_view(
            self.source.digest,
            self.settings.design_key(),
            self.settings.standardize,
            penalty,
            alpha,
            int(k),
            title,
            self.source.data,
        )


def read_current() -> tuple[state.Source, pd.DataFrame, ReadReport]:
    """The current data set and its table; raises DataError when it cannot be read."""
    source = state.current_source()
    table, report = read_table(source.digest, source.data)
    return source, table, report


def load() -> Loaded:
    """The current data set, read, with its settings and design; raises DataError."""
    source, table, report = read_current()
    settings = state.data_settings(source, table, table_varying(source.digest, source.data))
    design = build_design(source.digest, settings.design_key(), source.data)
    return Loaded(source, table, report, settings, design)


def load_or_stop() -> Loaded:
    """``load()`` for a page: on a DataError show its message and stop the page there."""
    try:
        return load()
    except DataError as exc:
        show.error(exc)
        st.info("Choose another data set in the sidebar, or change the settings on the Data page.")
        st.stop()
