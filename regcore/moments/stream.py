"""``from_csv``: the moments of a CSV file of any size, read in chunks of rows.

The same reader rules and encoding as in memory, with one difference: the split.

- The dialect, the column names and each column's kind come from ``read_csv`` on the head
  of the file (its first ``HEAD_BYTES`` of ``regcore.moments.chunks``), with that report.
  Blocks of plain numbers are parsed by ``regcore.moments.parse`` (pandas' values) and,
  while no cell has been missing, summed in the parser threads (``regcore.moments.block``);
  others are parsed by pandas; every chunk is then cleaned by the reader's own
  ``clean_column`` (chunks already read as numbers skip it); a chunk whose values read as
  another kind than the head's is refused with a plain message.
  Columns the head shows to be constant, empty or ID-like are dropped, as the reader drops
  them; a column constant in the head but not later is therefore dropped too.
- Test rows and folds come from a seeded hash of each row's number in the file (counted
  after blank rows, before rows with a missing target are dropped; ``groups_of``): each row
  is a test row with probability ``test_fraction``, so the test share is about, not exactly,
  that fraction (an exact permutation would need every row number in memory).
- The encoding is fixed on the training rows, as ``make_design`` does: training means for
  missing numbers, training levels (sorted, the first the reference) for text columns, the
  most common training level for their missing values, columns constant on the training
  rows dropped.  One pass sums raw columns that this encoding maps linearly to the design
  (``regcore.moments.raw``) while it gathers those training statistics; the map is applied
  at the end.  A second pass, with the encoding fixed, only where the map would lose digits
  (a number whose head of the file sits far from its training mean).

Memory stays at one chunk plus O(p²) per fold, whatever the size of the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd

from regcore.data import DataError, default_target
from regcore.data.design import as_float
from regcore.data.errors import MIN_TEST_ROWS, MIN_TRAIN_ROWS, plural, quoted_list
from regcore.data.values import value_range
from regcore.moments.block import block_moments
from regcore.moments.chunks import NUMBER_KINDS, Layout, Progress, chunks, layout_of
from regcore.moments.raw import Raw
from regcore.moments.stats import Moments, groups_of, thin_products

CHUNK_ROWS = 200_000


@dataclass
class _Feature:
    """One feature column: its training statistics from the pass, then its encoding."""

    name: str
    number: bool
    count: int = 0  # training values present
    origin: float = 0.0  # their sum is kept about one of them, so the mean keeps its digits
    total: float = 0.0  # Σ (value − origin)
    mean: float = 0.0
    lo: float = np.inf
    hi: float = -np.inf
    missing: list[int] = field(default_factory=lambda: [0, 0])  # training, test
    levels: dict[str, list[int]] = field(default_factory=dict)  # level -> [first row, train count]
    too_many: bool = False
    reason: str | None = None
    order: list[str] = field(default_factory=list)  # the training levels, sorted
    fill: float | str | None = None


def from_csv(
    path,
    target: str | None = None,
    features: list[str] | None = None,
    *,
    chunk_rows: int = CHUNK_ROWS,
    k: int = 10,
    seed: int = 0,
    test_fraction: float = 0.25,
    max_levels: int = 20,
    progress: Progress | None = None,
) -> Moments:
    """The moments of a CSV file, per fold of its training rows and for its test rows.

    ``target`` defaults to the last numeric column, ``features`` to every other kept
    column.  ``Moments.lines`` says what was detected and done, as ``read_csv`` and
    ``make_design`` do.  Raises ``DataError`` with a plain message on anything unreadable.
    """
    if not (isinstance(chunk_rows, int) and chunk_rows >= 1):
        raise DataError(f"The chunk size must be a whole number of rows ≥ 1; got {chunk_rows!r}.")
    if not (isinstance(k, int) and k >= 1):
        raise DataError(f"The number of folds must be a whole number ≥ 1; got {k!r}.")
    if not 0 <= test_fraction <= 0.9:
        raise DataError(f"The test fraction must be from 0 to 0.9; got {test_fraction!r}.")
    layout = layout_of(str(path))
    target, feats = _choose(layout, target, features)
    with thin_products(len(feats) + sum(layout.kinds[f] not in NUMBER_KINDS for f in feats)):
        return _stream(
            layout, target, feats, chunk_rows, k, seed, test_fraction, max_levels, progress
        )


def _stream(layout, target, feats, chunk_rows, k, seed, test_fraction, max_levels, progress):
    """One pass summing the raw columns (``regcore.moments.raw``), mapped to the design once
    the encoding is fixed; a second pass only where that map would lose digits."""
    lines = list(layout.lines)
    stats = [_Feature(name, layout.kinds[name] in NUMBER_KINDS) for name in feats]
    meta = dict(target=target, seed=seed, test_fraction=test_fraction)
    raw = Raw([_centre(layout.head_frame[f.name]) if f.number else 0.0 for f in stats])
    clean = all(f.number for f in stats)  # numbers only, none missing so far: no _observe
    summarise = None
    if clean:
        summed = _summariser(layout, target, feats, raw, k, meta)

        def summarise(values, start):  # read in a parser thread: no sums once a cell is missing
            return summed(values, start) if clean else None

    counts = np.zeros(3, dtype=np.int64)  # rows read, rows without a target, test rows
    for start, chunk, part in chunks(layout, [target, *feats], chunk_rows, 1, progress, summarise):
        if clean and part is not None:  # summed in the parser thread
            counts += (part.n.sum(), 0, part.n[k])
            raw.join(part)
            continue
        y, keep, rows = _with_target(chunk[target], start)
        counts += (keep.size, keep.size - y.size, 0)
        groups = groups_of(rows, k, seed, test_fraction)
        counts[2] += int((groups == k).sum())
        if y.size == 0:
            continue
        X = [_kept(chunk[f.name], keep) for f in stats]
        missing = [_missing(x) if f.number else None for f, x in zip(stats, X, strict=True)]
        places = [None] * len(stats)
        if clean and any(m is not None for m in missing):
            clean = False
            if raw.acc is not None:  # the rows so far held numbers only: their statistics
                _seed(stats, raw.acc)
        if not clean:
            train = groups < k
            places = [
                _observe(f, x, train, rows, max_levels) for f, x in zip(stats, X, strict=True)
            ]
        raw.add(stats, X, missing, places, y, groups, k, meta)
    if clean and raw.acc is not None:
        _seed(stats, raw.acc)
    _check_rows(counts, target, test_fraction, lines)
    design = _fix_encoding(stats, max_levels, lines)
    if not design:
        dropped = [f"{f.name!r}: {f.reason}" for f in stats if f.reason][:3]
        raise DataError(
            f"No usable feature is left ({'; '.join(dropped)}). Choose other feature columns."
        )
    moments, passes = raw.design(stats, design), 1
    if moments is None:
        for start, chunk, _ in chunks(layout, [target, *feats], chunk_rows, 2, progress):
            y, keep, rows = _with_target(chunk[target], start)
            if y.size == 0:
                continue
            groups = groups_of(rows, k, seed, test_fraction)
            X = _encode({name: _kept(values, keep) for name, values in chunk.items()}, stats)
            part = _part(X, y, groups, k, design, moments or False, meta)
            moments = part if moments is None else moments.merge(part)
        passes = 2
    if moments.training().Syy[0] == 0:
        raise DataError(
            f"The target {target!r} has the same value in every training row, so there is "
            "nothing to predict. Choose another target or another seed."
        )
    lines.append(
        f"design: {plural(len(design), 'feature')} from "
        f"{plural(sum(f.reason is None for f in stats), 'column')}"
    )
    lines.append(
        f"streamed {plural(int(counts[0]), 'row')}, at most about {chunk_rows:,} in memory "
        f"({plural(passes, 'pass', 'passes')} over the file)"
    )
    moments.lines = lines
    return moments


def _choose(layout: Layout, target, features) -> tuple[str, list[str]]:
    kinds = layout.kinds
    if target is None:
        target = default_target(_kind_frame(kinds))
    if target not in kinds:
        raise DataError(
            f"There is no column {target!r}. Choose the target among {quoted_list(layout.names)}."
        )
    if kinds[target] not in ("numeric", "boolean"):
        raise DataError(f"The target {target!r} is not numeric: a regression predicts numbers.")
    if features is None:
        features = [n for n in layout.names if n != target]
    features = [str(n) for n in features if str(n) != target]
    unknown = [n for n in features if n not in kinds]
    if unknown:
        raise DataError(
            f"No such column: {quoted_list(unknown)}. Choose features among the file's columns."
        )
    if not features:
        raise DataError(f"No feature columns besides the target {target!r}.")
    return target, features


def _kind_frame(kinds: dict[str, str]) -> pd.DataFrame:
    """A two-row frame with the kinds' dtypes, varying, for ``default_target``."""
    return pd.DataFrame(
        {n: [0.0, 1.0] if k in ("numeric", "boolean") else ["a", "b"] for n, k in kinds.items()}
    )


def _summariser(layout: Layout, target: str, feats: list[str], raw: Raw, k: int, meta: dict):
    """A block's moments over the features (numbers, in order) and the target, summed in the
    parser thread (``regcore.moments.block``) about the head's means."""
    index = {name: i for i, name in enumerate(layout.names)}
    take = np.array([*(index[f] for f in feats), index[target]], dtype=np.intp)
    shift = np.array([*raw.centres, _centre(layout.head_frame[target])])
    return partial(block_moments, take=take, k=k, shift=shift, feature_names=feats, **meta)


# ---------------------------------------------------------------------- rows
def _with_target(values: np.ndarray, start: int):
    """(target values present, which rows have one, their row numbers) of a chunk; infinite
    values count as missing, as in ``make_design``."""
    y = np.asarray(values, dtype=float)
    keep = np.isfinite(y)
    rows = start + np.arange(y.size)
    if keep.all():
        return y, keep, rows
    return y[keep], keep, rows[keep]


def _kept(values: np.ndarray, keep: np.ndarray) -> np.ndarray:
    return values if keep.all() else values[keep]


def _missing(values: np.ndarray) -> np.ndarray | None:
    """Where a number is missing or infinite (as ``make_design`` counts it); None: nowhere."""
    bad = ~np.isfinite(values)
    return bad if bad.any() else None


def _centre(head: pd.Series) -> float:
    """The value a number's missing cells count as in the raw sums: the mean of its finite
    values in the head of the file (0 if none), near the training mean that fills them."""
    values = as_float(head)
    values = values[np.isfinite(values)]
    return float(values.mean()) if values.size else 0.0


# ---------------------------------------------------------------------- the encoding
def _observe(f: _Feature, values, train: np.ndarray, rows: np.ndarray, max_levels: int):
    """Add one chunk's values (rows with a target) to a feature's training statistics.

    For a text feature, the place of each row's level among ``f.levels`` (−1 where missing),
    or None once it has too many levels."""
    if f.number:
        values = np.where(np.isinf(values), np.nan, values)
        missing = np.isnan(values)
        f.missing[0] += int((missing & train).sum())
        f.missing[1] += int((missing & ~train).sum())
        present = values[train & ~missing]
        if present.size:
            if f.count == 0:
                f.origin = float(present[0])
            f.count += present.size
            f.total += float((present - f.origin).sum())
            f.mean = f.origin + f.total / f.count
            lo, hi = value_range(present)
            f.lo, f.hi = min(f.lo, lo), max(f.hi, hi)
        return None
    if f.too_many:
        return None
    missing = pd.isna(values)
    f.missing[0] += int((missing & train).sum())
    f.missing[1] += int((missing & ~train).sum())
    codes, uniques = pd.factorize(pd.Series(values, dtype=object))
    first = np.full(len(uniques), -1)
    seen = codes >= 0
    first[codes[seen][::-1]] = rows[seen][::-1]  # the first row of each level in the chunk
    counts = np.bincount(codes[seen & train], minlength=len(uniques))
    for level, row, count in zip(uniques, first, counts, strict=True):
        entry = f.levels.setdefault(str(level), [int(row), 0])
        entry[1] += int(count)
    if len(f.levels) > max_levels:
        f.too_many, f.levels = True, {}
        return None
    place = {level: i for i, level in enumerate(f.levels)}
    return np.array([*(place[str(level)] for level in uniques), -1])[codes]


def _seed(stats: list[_Feature], acc: Moments) -> None:
    """The number features' training statistics from the moments of the chunks read so far
    (which had no missing value), as ``_observe`` would have gathered them."""
    train = acc.training()
    for j, f in enumerate(stats):
        f.count = int(train.n[0])
        f.origin, f.total = float(train.shift[j]), float(train.mean[0, j]) * f.count
        f.mean = f.origin + f.total / f.count
        f.lo, f.hi = float(train.lo[0, j]), float(train.hi[0, j])


def _fix_encoding(stats: list[_Feature], max_levels: int, lines: list[str]) -> list[str]:
    """Decide each feature's encoding from its training statistics; the design's column names."""
    names = []
    for f in stats:
        how = f"{f.missing[0]} training and {f.missing[1]} test values"
        if f.number:
            if f.count == 0:
                f.reason = "no values in the training rows"
            elif f.lo == f.hi:
                f.reason = "constant on the training rows"
            else:
                f.fill = f.mean
                if f.missing[0] + f.missing[1]:
                    lines.append(
                        f"imputed {f.name!r}: {how} were missing, "
                        f"filled with the training mean {f.mean:.6g}"
                    )
                names.append(f.name)
        else:
            trained = {level: v for level, v in f.levels.items() if v[1] > 0}
            if f.too_many:
                f.reason = f"more than the {max_levels} distinct values that are one-hot encoded"
            elif not trained:
                f.reason = "no values in the training rows"
            elif len(trained) == 1:
                f.reason = "constant on the training rows"
            else:
                f.order = sorted(trained)
                # the most common training level; ties: the level seen first in the file
                f.fill = min(trained, key=lambda level: (-trained[level][1], trained[level][0]))
                if f.missing[0] + f.missing[1]:
                    lines.append(
                        f"imputed {f.name!r}: {how} were missing, "
                        f"filled with the most common training level {f.fill!r}"
                    )
                lines.append(
                    f"one-hot {f.name!r}: {plural(len(f.order), 'level')}, "
                    f"{plural(len(f.order) - 1, 'column')} ({f.order[0]!r} is the reference)"
                )
                names += [f"{f.name}={level}" for level in f.order[1:]]
        if f.reason:
            lines.append(f"dropped feature {f.name!r}: {f.reason}")
    return names


def _encode(chunk: dict[str, np.ndarray], stats: list[_Feature]) -> list[np.ndarray]:
    """The design columns of a chunk: numbers imputed, text one-hot (unseen levels all zero)."""
    columns = []
    for f in stats:
        if f.reason:
            continue
        values = chunk[f.name]
        if f.number:
            columns.append(np.where(np.isfinite(values), values, f.fill))
        else:
            text = pd.Series(values, dtype=object).fillna(f.fill).astype(str).to_numpy()
            columns += [(text == level).astype(np.float64) for level in f.order[1:]]
    return columns


def _part(columns, y, groups, k, names, like, meta) -> Moments:
    """A chunk's moments, about the shift of the moments it joins (its own first row if none)."""
    if like is False:
        return Moments.of_columns(columns, y, groups, k, names, **meta)
    return Moments.of_columns(
        columns, y, groups, k, names, shift=like.shift, y_shift=like.y_shift, **meta
    )


def _check_rows(counts: np.ndarray, target: str, test_fraction: float, lines: list[str]) -> None:
    read, no_target, test = (int(c) for c in counts)
    if no_target:
        lines.append(f"dropped {plural(no_target, 'row')} with a missing target {target!r}")
    n = read - no_target
    if n - test < MIN_TRAIN_ROWS or (test_fraction > 0 and test < MIN_TEST_ROWS):
        raise DataError(
            f"Too few rows: {plural(n, 'row')} with a target value give {n - test} for training "
            f"and {test} for testing; at least {MIN_TRAIN_ROWS} training and {MIN_TEST_ROWS} "
            "test rows are needed."
        )
    lines.append(
        f"split: {plural(n - test, 'training row')}, {plural(test, 'test row')} "
        f"(each row a test row with probability {test_fraction:g}, by a seeded hash of its "
        "row number)"
    )
