"""From a clean frame to train / test design matrices, with every step said in ``lines``.

Rules (each one also appears in ``Design.lines`` when it changes something):

- The target must be numeric, or hold exactly two text labels (a binary target, see
  :mod:`regcore.data.binary`: coded 0/1, the positive label 1), and not be constant;
  rows with a missing target are dropped and counted.  ``Design.binary`` describes a
  two-valued target (numeric ones too), else it is None.
- The split is a seeded permutation: ``numpy.random.default_rng(seed)``; the
  first ``round(test_fraction · n)`` permuted rows are the test rows. Rows keep
  their file order within each side.
- Numbers, booleans (0/1) and dates (days since 1970-01-01) are used as they
  are; missing values are filled with the *training* mean.
- Text columns are one-hot encoded when they have at most ``max_levels``
  distinct values (else dropped with the reason): the levels are those seen in
  the training rows, sorted, and the first one is the reference (no column of
  its own). Missing values take the most common training level; a test value
  never seen in training gets all zeros, i.e. the reference level.
- A column that is constant (or empty) on the training rows is dropped.
- No standardisation here: ``fit_path`` standardises with the training rows.
"""

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from regcore.data.binary import BinaryTarget, binary_target, encode_binary
from regcore.data.errors import MIN_TEST_ROWS, MIN_TRAIN_ROWS, DataError, plural, quoted_list
from regcore.data.names import next_free
from regcore.data.values import value_range

MAX_TARGET_MISSING = 0.5  # a target may miss at most this share of its values


@dataclass
class Design:
    """Training and test matrices and what was done to get them.

    ``X_train`` / ``X_test`` are float64 with no NaN or infinity, column-major (Fortran
    order: each feature contiguous), one column per ``feature_names`` entry.
    ``train_rows`` / ``test_rows`` are the row positions in the frame given to
    :func:`make_design`, each in file order.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    feature_names: list[str]
    target: str
    lines: list[str]
    dropped: dict[str, str] = field(default_factory=dict)  # feature column -> why it is not used
    train_rows: np.ndarray = field(
        default_factory=lambda: np.empty(0, dtype=np.intp)
    )  # positions in df
    test_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.intp))
    binary: BinaryTarget | None = None  # a two-valued target: its labels, which one is 1

    @property
    def n_train(self) -> int:
        return self.X_train.shape[0]

    @property
    def n_test(self) -> int:
        return self.X_test.shape[0]

    @property
    def n_features(self) -> int:
        return self.X_train.shape[1]


def _is_number_column(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def as_float(series: pd.Series) -> np.ndarray:
    """A cleaned number, boolean or date column as the design uses it: float64 with NaN for
    missing values, dates as days since 1970-01-01 (the streamed reader encodes chunks so)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        days = (series - pd.Timestamp("1970-01-01")) / pd.Timedelta(days=1)
        return days.to_numpy(dtype="float64", na_value=np.nan)
    return series.to_numpy(dtype="float64", na_value=np.nan)


_as_float = as_float  # the name this module's own calls use


def _varies(series: pd.Series) -> bool:
    """At least two different values (missing and infinite values ignored)."""
    if _is_number_column(series) or pd.api.types.is_datetime64_any_dtype(series):
        bounds = value_range(_as_float(series))
        return bounds is not None and bounds[0] != bounds[1]
    return series.nunique() > 1


def varying_columns(df: pd.DataFrame) -> frozenset[str]:
    """The names of the columns with at least two different values (one scan of the table).

    ``usable_targets`` and ``usable_features`` take it to skip their own scan: a dashboard
    that asks on every rerun keeps it with the table.
    """
    return frozenset(str(name) for name in df.columns if _varies(df[name]))


def _varying(df: pd.DataFrame, varying: Collection[str] | None) -> Callable[[object], bool]:
    if varying is None:
        return lambda name: _varies(df[name])
    return lambda name: str(name) in varying


def usable_targets(df: pd.DataFrame, varying: Collection[str] | None = None) -> list[str]:
    """Numeric (or boolean) columns that vary, and text columns with exactly two labels (binary
    targets), mostly present: what a regression or a classifier can predict.

    ``varying``: ``varying_columns(df)`` when already known. :func:`target_problems` says why
    each other column cannot be the target.
    """
    varies = _varying(df, varying)
    return [str(name) for name in df.columns if _target_problem(df[name], varies(name)) is None]


def target_problems(df: pd.DataFrame, varying: Collection[str] | None = None) -> dict[str, str]:
    """Every column that cannot be the target -> why, in plain words (text, constant, missing)."""
    varies = _varying(df, varying)
    problems = {str(name): _target_problem(df[name], varies(name)) for name in df.columns}
    return {name: why for name, why in problems.items() if why is not None}


def _target_problem(series: pd.Series, varies: bool) -> str | None:
    if pd.api.types.is_datetime64_any_dtype(series):
        return "it holds dates, not numbers to predict"
    if not _is_number_column(series) and binary_target(series) is None:
        return "it holds text with more than two labels (only numbers or two labels are predicted)"
    if not varies:
        return "it is constant: there is nothing to predict"
    missing = int(series.isna().sum())
    if missing > MAX_TARGET_MISSING * len(series):
        return f"too many missing values ({missing:,} of {plural(len(series), 'row')})"
    return None


def default_target(df: pd.DataFrame, varying: Collection[str] | None = None) -> str:
    """The last usable target column (files usually put the outcome last), numeric or binary."""
    targets = usable_targets(df, varying)
    if not targets:
        raise DataError(
            "No column can be the target: a model predicts numbers or one of two labels, and no "
            "column holds numbers that vary or exactly two labels. Add a column to predict."
        )
    return targets[-1]


def usable_features(
    df: pd.DataFrame, target: str, varying: Collection[str] | None = None
) -> list[str]:
    """Every column except the target whose values vary (text columns included: they are one-hot)."""
    varies = _varying(df, varying)
    return [str(name) for name in df.columns if str(name) != target and varies(name)]


def make_design(
    df: pd.DataFrame,
    target: str,
    features: list[str] | None = None,
    *,
    test_fraction: float = 0.25,
    seed: int = 0,
    max_levels: int = 20,
) -> Design:
    """Split ``df`` into train and test matrices for ``target`` (see the module docstring)."""
    _check_settings(test_fraction, max_levels)
    if df.columns.duplicated().any():
        raise DataError(
            f"Column names repeat ({quoted_list(df.columns[df.columns.duplicated()])}); make them unique."
        )
    df = df.rename(columns=str)
    y_all = _target_values(df, target)
    features = _check_features(df, target, features)
    lines: list[str] = []
    binary = binary_target(df[target])
    if binary is not None:
        lines.append(f"target {target!r}: {binary.describe()}")
    rows, is_test = _split(y_all, target, test_fraction, seed, lines)
    columns, names, dropped = [], [], {}
    for name in features:
        series = df[name] if rows.size == len(df) else df[name].iloc[rows]
        if _is_number_column(series) or pd.api.types.is_datetime64_any_dtype(series):
            made, reason = _numeric_column(name, series, is_test, lines)
        else:
            made, reason = _one_hot_columns(name, series, is_test, max_levels, lines)
            made = made and _unique_names(made, {*df.columns, *names}, lines)
        if reason:
            dropped[name] = reason
            lines.append(f"dropped feature {name!r}: {reason}")
        else:
            columns += made.values()
            names += made.keys()
    if not columns:
        why = (
            f" ({'; '.join(f'{k!r}: {v}' for k, v in list(dropped.items())[:3])})"
            if dropped
            else ""
        )
        raise DataError(f"No usable feature is left{why}. Choose other feature columns.")
    lines.append(
        f"design: {plural(len(names), 'feature')} from {plural(len(features) - len(dropped), 'column')}"
    )
    train, test = np.flatnonzero(~is_test), np.flatnonzero(is_test)
    y = y_all[rows]
    return Design(
        X_train=_stack(columns, train),
        X_test=_stack(columns, test),
        y_train=y[train],
        y_test=y[test],
        feature_names=names,
        target=target,
        lines=lines,
        dropped=dropped,
        train_rows=rows[train],
        test_rows=rows[test],
        binary=binary,
    )


def _split(y_all: np.ndarray, target: str, test_fraction: float, seed: int, lines: list[str]):
    """(rows with a target, is_test over those rows): the seeded permutation, with the size checks."""
    keep = ~np.isnan(y_all)
    if not keep.all():
        lines.append(
            f"dropped {plural(int((~keep).sum()), 'row')} with a missing target {target!r}"
        )
    rows = np.flatnonzero(keep)
    n = rows.size
    n_test = int(round(test_fraction * n))
    if n - n_test < MIN_TRAIN_ROWS or n_test < MIN_TEST_ROWS:
        raise DataError(
            f"Too few rows: {plural(n, 'row')} with a target value give {n - n_test} for training and "
            f"{n_test} for testing at test fraction {test_fraction:g}; at least {MIN_TRAIN_ROWS} "
            f"training and {MIN_TEST_ROWS} test rows are needed. Add rows or change the test fraction."
        )
    is_test = np.zeros(n, dtype=bool)
    is_test[np.random.default_rng(seed).permutation(n)[:n_test]] = True
    lines.append(
        f"split: {plural(n - n_test, 'training row')}, {plural(n_test, 'test row')} "
        f"(test fraction {test_fraction:g}, seed {seed})"
    )
    if np.ptp(y_all[rows][~is_test]) == 0:
        raise DataError(
            f"The target {target!r} has the same value in every training row, so there is nothing "
            "to predict. Choose another target or another seed."
        )
    return rows, is_test


def _stack(columns: list[np.ndarray], take: np.ndarray) -> np.ndarray:
    """The chosen rows of every column, as one column-major (Fortran-order) float64 matrix."""
    out = np.empty((take.size, len(columns)), dtype=np.float64, order="F")
    for j, column in enumerate(columns):
        np.take(column, take, out=out[:, j])
    return out


def _check_settings(test_fraction: float, max_levels: int) -> None:
    if not isinstance(test_fraction, int | float) or not 0 < test_fraction <= 0.9:
        raise DataError(
            f"The test fraction must be above 0 and at most 0.9 (got {test_fraction!r})."
        )
    if not isinstance(max_levels, int) or max_levels < 2:
        raise DataError(
            f"The most levels to one-hot encode must be a whole number, at least 2 (got {max_levels!r})."
        )


def _target_values(df: pd.DataFrame, target: str) -> np.ndarray:
    if target not in df.columns:
        raise DataError(
            f"There is no column {target!r}. Choose the target among {quoted_list(df.columns)}."
        )
    series = df[target]
    binary = None if _is_number_column(series) else binary_target(series)
    if not _is_number_column(series) and binary is None:
        raise DataError(
            f"The target {target!r} is not numeric and has more than two labels: a regression "
            "predicts numbers, a classifier one of two labels. Choose a target such as "
            f"{quoted_list(usable_targets(df), 3) or 'a column of numbers'}."
        )
    y = _as_float(series) if binary is None else encode_binary(series, binary)
    y = np.where(np.isinf(y), np.nan, y)  # also a copy: the frame is never written to
    present = y[~np.isnan(y)]
    if present.size == 0:
        raise DataError(f"The target {target!r} has no values. Choose another target.")
    if present.min() == present.max():
        raise DataError(
            f"The target {target!r} is constant (every value is {present[0]:g}), so there is nothing "
            "to predict. Choose another target."
        )
    return y


def _check_features(df: pd.DataFrame, target: str, features: list[str] | None) -> list[str]:
    if features is None:
        features = usable_features(df, target)
    features = [str(name) for name in features if str(name) != target]
    unknown = [name for name in features if name not in df.columns]
    if unknown:
        raise DataError(
            f"No such column: {quoted_list(unknown)}. Choose features among the file's columns."
        )
    if not features:
        raise DataError(
            f"No feature columns: besides the target {target!r} the data has no column whose values "
            "vary. A model needs at least one feature."
        )
    return features


def _numeric_column(name: str, series: pd.Series, is_test: np.ndarray, lines: list[str]):
    """({name: values}, None), missing values filled with the training mean; or (None, reason)."""
    values = _as_float(series)
    infinite = np.isinf(values)
    if infinite.any():
        values = np.where(infinite, np.nan, values)
    missing = np.isnan(values)
    bounds = value_range(values[~is_test])
    if bounds is None:
        return None, "no values in the training rows"
    if bounds[0] == bounds[1]:
        return None, "constant on the training rows"
    if missing.any():
        fill = values[~is_test & ~missing].mean()
        values = np.where(missing, fill, values)
        lines.append(
            f"imputed {name!r}: {_split_counts(missing, is_test)} were missing, "
            f"filled with the training mean {fill:.6g}"
        )
    return {name: values}, None


def _one_hot_columns(
    name: str, series: pd.Series, is_test: np.ndarray, max_levels: int, lines: list[str]
):
    """({"name=level": 0/1 values}, None) for every training level but the first; or (None, reason)."""
    codes, uniques = pd.factorize(series.astype("str"))
    if len(uniques) > max_levels:
        return (
            None,
            f"{len(uniques):,} distinct values, more than the {max_levels} that are one-hot encoded",
        )
    train_codes = codes[~is_test]
    counts = np.bincount(train_codes[train_codes >= 0], minlength=len(uniques))
    if (counts > 0).sum() == 0:
        return None, "no values in the training rows"
    if (counts > 0).sum() == 1:
        return None, "constant on the training rows"
    levels = sorted(str(uniques[i]) for i in np.flatnonzero(counts))
    position = np.full(len(uniques) + 1, -1)  # the extra last entry maps code -1 (missing) to -1
    for i in np.flatnonzero(counts):
        position[i] = levels.index(str(uniques[i]))
    level_codes = position[codes]
    missing = codes < 0
    if missing.any():
        mode = str(uniques[int(np.argmax(counts))])  # ties: the level seen first in the file
        level_codes[missing] = levels.index(mode)
        lines.append(
            f"imputed {name!r}: {_split_counts(missing, is_test)} were missing, "
            f"filled with the most common training level {mode!r}"
        )
    unseen = int((level_codes[is_test] < 0).sum())
    if unseen:
        lines.append(
            f"{name!r}: {plural(unseen, 'test row')} with a level not seen in training "
            f"encoded as the reference level {levels[0]!r}"
        )
    lines.append(
        f"one-hot {name!r}: {plural(len(levels), 'level')}, {plural(len(levels) - 1, 'column')} "
        f"({levels[0]!r} is the reference)"
    )
    return {
        f"{name}={level}": (level_codes == k).astype(np.float64)
        for k, level in enumerate(levels)
        if k
    }, None


def _unique_names(made: dict, taken: set, lines: list[str]) -> dict:
    """One-hot columns renamed where "name=level" is already a column's name (e.g. 0/1 'colour=red')."""
    unique = {}
    for name, values in made.items():
        new = name if name not in taken else next_free(name, taken | made.keys() | unique.keys())
        if new != name:
            lines.append(f"one-hot column {name!r} named {new!r}: a column {name!r} exists")
        unique[new] = values
    return unique


def _split_counts(missing: np.ndarray, is_test: np.ndarray) -> str:
    return f"{int(missing[~is_test].sum())} training and {int(missing[is_test].sum())} test values"


@dataclass
class ColumnCode:
    """How one input column becomes design columns (see :class:`Encoding`).

    ``kind`` is "number" (numbers and booleans), "date" (days since 1970-01-01) or
    "category" (one-hot over ``levels``, the first the reference); ``fill`` replaces a
    missing value: the training mean, or the most common training level.
    """

    name: str
    kind: str
    fill: float | str
    outputs: list[str]
    levels: list[str] = field(default_factory=list)


@dataclass
class Encoding:
    """The design's encoding, reusable on new rows: ``transform(df)`` applies the same
    columns, levels and imputation as :func:`make_design` did to the training rows.
    (Standardisation belongs to the fitted path, which reports coefficients on the
    original scale.)  Build it with :func:`fit_encoding`."""

    columns: list[ColumnCode]
    target: str

    @property
    def feature_names(self) -> list[str]:
        return [name for code in self.columns for name in code.outputs]

    def transform(self, df: pd.DataFrame, unseen: str = "error") -> tuple[np.ndarray, list[str]]:
        """(design matrix, notes) for the rows of ``df``; other columns (the target) are ignored.

        A missing column, or values that cannot be read as the training column's kind, raise
        :class:`DataError` naming them.  A level never seen in training raises too
        (``unseen="error"``) or, with ``unseen="reference"``, is encoded as the reference
        level (as :func:`make_design` does for test rows) and said in the notes.
        """
        if unseen not in ("error", "reference"):
            raise ValueError(f'unseen must be "error" or "reference"; got {unseen!r}.')
        df = df.rename(columns=str)
        absent = [code.name for code in self.columns if code.name not in df.columns]
        if absent:
            raise DataError(
                f"The model needs {plural(len(absent), 'column')} this file lacks: "
                f"{quoted_list(absent)}. Add {'it' if len(absent) == 1 else 'them'} to the file."
            )
        notes: list[str] = []
        blocks = [self._encode(code, df[code.name], unseen, notes) for code in self.columns]
        return _stack([c for block in blocks for c in block], np.arange(len(df))), notes

    def _encode(self, code: ColumnCode, series: pd.Series, unseen: str, notes: list[str]):
        if code.kind == "category":
            text = series.astype("str")
            missing = text.isna().to_numpy()
            values = np.where(missing, code.fill, text.to_numpy(dtype=object, na_value=""))
            known = pd.Index(code.levels)
            position = known.get_indexer(values)
            if (position < 0).any():
                new = pd.unique(values[position < 0])
                message = (
                    f"{code.name!r}: {plural(int((position < 0).sum()), 'row')} with "
                    f"{plural(len(new), 'level')} never seen in training ({quoted_list(new)})"
                )
                if unseen == "error":
                    raise DataError(
                        f"{message}. The model knows {quoted_list(code.levels)}; correct those "
                        "values, or ask for them to be read as the reference level "
                        f"({code.levels[0]!r})."
                    )
                notes.append(f"{message}, encoded as the reference level {code.levels[0]!r}")
            _note_filled(code, missing, notes)
            return [(position == k).astype(np.float64) for k in range(1, len(code.levels))]
        given = series
        if code.kind == "date" and not pd.api.types.is_datetime64_any_dtype(series):
            series = pd.to_datetime(series, errors="coerce")
        elif code.kind == "number" and not _is_number_column(series):
            series = pd.to_numeric(series, errors="coerce")
        values = _as_float(series)
        unreadable = np.isnan(values) & given.notna().to_numpy()
        if unreadable.any():
            what = "dates" if code.kind == "date" else "numbers"
            raise DataError(
                f"The column {code.name!r} should hold {what}, as in training, but "
                f"{plural(int(unreadable.sum()), 'value')} cannot be read as such "
                f"(e.g. {str(given[unreadable].iloc[0])!r})."
            )
        missing = ~np.isfinite(values)
        _note_filled(code, missing, notes)
        return [np.where(missing, code.fill, values)]

    def to_dict(self) -> dict:
        return {"target": self.target, "columns": [vars(code) for code in self.columns]}

    @classmethod
    def from_dict(cls, data: dict) -> "Encoding":
        return cls(columns=[ColumnCode(**code) for code in data["columns"]], target=data["target"])


def _note_filled(code: ColumnCode, missing: np.ndarray, notes: list[str]) -> None:
    if missing.any():
        notes.append(
            f"imputed {code.name!r}: {plural(int(missing.sum()), 'missing value')} filled with "
            f"the training {'level' if code.kind == 'category' else 'mean'} {code.fill!r}"
        )


def fit_encoding(df: pd.DataFrame, design: Design, features: list[str] | None = None) -> Encoding:
    """The encoding :func:`make_design` applied to ``df`` for ``design``, as an :class:`Encoding`.

    ``features`` as given to :func:`make_design`.  Read from the design's training rows and
    its feature columns, in their order (each used numeric column gives one, each one-hot
    column its levels but the reference).
    """
    df = df.rename(columns=str)
    train = design.train_rows
    rows = np.sort(np.concatenate([design.train_rows, design.test_rows]))
    is_test = np.isin(rows, design.test_rows)
    used = [f for f in _check_features(df, design.target, features) if f not in design.dropped]
    columns, at = [], 0
    for name in used:
        series = df[name]
        if _is_number_column(series) or pd.api.types.is_datetime64_any_dtype(series):
            kind = "date" if pd.api.types.is_datetime64_any_dtype(series) else "number"
            values = _as_float(series.iloc[train])
            fill = float(values[np.isfinite(values)].mean())
            columns.append(ColumnCode(name, kind, fill, design.feature_names[at : at + 1]))
            at += 1
            continue
        codes, uniques = pd.factorize(series.iloc[rows].astype("str"))
        counts = np.bincount(codes[~is_test][codes[~is_test] >= 0], minlength=len(uniques))
        levels = sorted(str(uniques[i]) for i in np.flatnonzero(counts))
        mode = str(uniques[int(np.argmax(counts))])
        outputs = design.feature_names[at : at + len(levels) - 1]
        columns.append(ColumnCode(name, "category", mode, outputs, levels))
        at += len(levels) - 1
    if at != design.n_features:
        raise ValueError(
            "The design's columns do not follow from this frame and these features: "
            "pass the df and features given to make_design."
        )
    return Encoding(columns=columns, target=design.target)
