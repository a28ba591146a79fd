"""``from_dask``: the same moments from a Dask DataFrame, on one machine or a cluster.

Each partition's moments are computed where the partition lives (``map_partitions``) and
merged in a tree of ``split_every``-way merges (``Moments.merge``, exact and order-free), so only p × p numbers
per fold travel.  Rows are numbered across partitions in order (from the partition lengths),
so a frame read from a file in order gets the same test rows and folds as ``from_csv``.
Dask is an optional extra: it is imported here only, when this function runs.

The frame must hold numbers (or booleans) only: encode text columns first.  Missing numbers
are filled with the training mean (one more pass), and a column constant on the training
rows is dropped, as in memory.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from regcore.moments.stats import Moments, groups_of, thin_products


def from_dask(
    ddf,
    target: str,
    features: list[str] | None = None,
    *,
    k: int = 10,
    seed: int = 0,
    test_fraction: float = 0.25,
    split_every: int = 8,
) -> Moments:
    """The moments of a Dask DataFrame (see the module docstring); runs on the current
    scheduler (a ``distributed.Client`` when one is active)."""
    if target not in ddf.columns:
        raise ValueError(f"There is no column {target!r} in the frame.")
    features = [str(c) for c in ddf.columns if c != target] if features is None else features
    bad = [c for c in features if not _is_number(ddf[c].dtype)]
    if bad or not _is_number(ddf[target].dtype):
        raise ValueError(
            f"from_dask needs numeric columns; {', '.join(map(repr, bad or [target]))} "
            "are not: encode them as numbers first."
        )
    frame = ddf[[target, *features]]
    lengths = np.asarray(frame.map_partitions(len).compute(), dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    meta = dict(target=target, seed=seed, test_fraction=test_fraction)
    split = (k, seed, test_fraction)
    means = _tree(
        _per_partition(frame, starts, _training_means, target, split), _merge_means, split_every
    ).compute()
    fill = means[1] if means is not None else None
    moments = _tree(
        _per_partition(frame, starts, _partition_moments, target, features, split, fill, meta),
        _merge_moments,
        split_every,
    ).compute()
    if moments is None:
        raise ValueError("The frame has no row with a target value.")
    train = moments.training()
    constant = train.lo[0] == train.hi[0]
    lines = [f"read {int(lengths.sum()):,} rows from {lengths.size} partitions"]
    lines += [
        f"dropped feature {name!r}: constant on the training rows"
        for name, c in zip(features, constant, strict=True)
        if c
    ]
    moments = moments.select(np.flatnonzero(~constant)) if constant.any() else moments
    if moments.p == 0:
        raise ValueError(
            "No usable feature is left: every feature is constant on the training rows."
        )
    moments.lines = lines + [
        f"split: {int(train.n[0]):,} training rows, {int(moments.n[k]):,} test rows "
        f"(each row a test row with probability {test_fraction:g}, by a seeded hash of its "
        "row number)"
    ]
    return moments


def _is_number(dtype) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype)


def _per_partition(frame, starts: np.ndarray, fn, *args) -> list:
    """``fn(partition, number of its first row, *args)`` on every partition (``map_partitions``),
    as one delayed object per partition."""

    def call(part, *more, partition_info=None):
        first = int(starts[partition_info["number"]])
        return pd.Series([fn(part, first, *more)], dtype=object)

    out = frame.map_partitions(call, *args, meta=pd.Series(dtype=object))
    return list(out.to_delayed())


def _tree(nodes: list, merge, split_every: int):
    """Merge delayed nodes ``split_every`` at a time until one is left (at least one merge,
    which unwraps the leaves)."""
    import dask

    while True:
        nodes = [
            dask.delayed(merge)(*nodes[i : i + split_every])
            for i in range(0, len(nodes), split_every)
        ]
        if len(nodes) == 1:
            return nodes[0]


def _rows(frame: pd.DataFrame, start: int, target: str, split: tuple):
    """(target values, rows with one, their groups) of a partition whose first row is ``start``."""
    y = frame[target].to_numpy(dtype=float, na_value=np.nan)
    y = np.where(np.isinf(y), np.nan, y)
    keep = ~np.isnan(y)
    return y[keep], keep, groups_of(start + np.flatnonzero(keep), *split)


def _features(frame: pd.DataFrame, target: str, keep: np.ndarray) -> np.ndarray:
    X = frame.drop(columns=[target]).to_numpy(dtype=float, na_value=np.nan)[keep]
    return np.where(np.isinf(X), np.nan, X)


def _training_means(frame: pd.DataFrame, start: int, target: str, split: tuple):
    """(count, mean) of each feature's present values on the partition's training rows."""
    _, keep, groups = _rows(frame, start, target, split)
    X = _features(frame, target, keep)[groups < split[0]]
    present = ~np.isnan(X)
    count = present.sum(axis=0)
    total = np.where(present, X, 0.0).sum(axis=0)
    return count, np.divide(total, count, out=np.zeros(X.shape[1]), where=count > 0)


def _unwrap(parts) -> list:
    """The results in a merge's inputs: leaves come as one-element Series, inner nodes bare."""
    out = [p.iloc[0] if isinstance(p, pd.Series) else p for p in parts]
    return [p for p in out if p is not None]


def _merge_means(*parts):
    parts = _unwrap(parts)
    count, mean = parts[0][0].copy(), parts[0][1].copy()
    for c, m in parts[1:]:
        both = count + c
        mean += np.divide((m - mean) * c, both, out=np.zeros_like(mean), where=both > 0)
        count = both
    return count, mean


def _partition_moments(frame, start, target, features, split, fill, meta) -> Moments | None:
    y, keep, groups = _rows(frame, start, target, split)
    if y.size == 0:
        return None
    X = _features(frame, target, keep)
    missing = np.isnan(X)
    if missing.any():
        X = np.where(missing, fill[None, :], X)
    with thin_products(X.shape[1]):
        return Moments.of_rows(X, y, groups, split[0], features, **meta)


def _merge_moments(*parts) -> Moments | None:
    parts = _unwrap(parts)
    if not parts:
        return None
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part)
    return out
