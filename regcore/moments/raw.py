"""The raw columns a stream sums in its one pass, and the linear map to the design at the end.

The encoding of a feature depends on training statistics known only at the end of the file
(the mean that fills a missing number, a text column's levels, its reference and its most
common level), but every design column is a linear map of raw columns whose moments can be
summed before that is known:

- a number x (missing cells counted as ``c``, the mean of the head's values) and, once a
  cell is missing, its indicator m: the design column is x + (μ − c)·m, μ the training mean;
- a text column's indicator of each level, appended when the level first appears (the rows
  before hold 0 there, which merges exactly), and of a missing value: the design column of a
  level is its indicator, plus m for the level that fills missing values.

``c`` near μ keeps the map's digits: the terms it adds to the centred moments grow with
(μ − c)² and cancel; where they would cancel more than ``MAX_GROWTH`` of a column's own
scatter (the head held none of a column's values far from 0) ``design`` returns None and the
caller reads the file again with the encoding fixed.
"""

from __future__ import annotations

import numpy as np

from regcore.moments.stats import Moments

MAX_GROWTH = 1e4  # at most 4 of the 16 digits of a column's scatter lost to the map


class Raw:
    """The moments of the raw columns of the chunks added so far (see the module docstring).

    A column is keyed (feature, "value"), (feature, "missing") or (feature, "level", level),
    the feature by its place in ``stats`` (``regcore.moments.stream``'s training statistics).
    """

    def __init__(self, centres: list[float]):
        self.centres = centres  # c per feature (unused for text)
        self.keys: list[tuple] = []
        self.acc: Moments | None = None

    def add(self, stats, X, missing, places, y, groups, k: int, meta: dict) -> None:
        """Add a chunk's rows: per feature its values, where a number is missing (None: nowhere)
        and the place of each row's text level in ``f.levels`` (−1 where missing; None once
        the feature has too many levels, which drops its columns)."""
        gone = {i for i, f in enumerate(stats) if not f.number and places[i] is None}
        kept = [j for j, key in enumerate(self.keys) if key[0] not in gone]
        if len(kept) < len(self.keys):
            self.keys = [self.keys[j] for j in kept]
            self.acc = self.acc.select(kept)
        known = set(self.keys)
        new = [key for key in _wanted(stats, missing, places) if key not in known]
        if new and self.acc is not None:
            self.acc = self.acc.padded([repr(key) for key in new])
        self.keys += new
        columns = [_column(stats, key, X, missing, places) for key in self.keys]
        fill = None
        if any(m is not None for m in missing):
            fill = np.array(
                [self.centres[i] if kind == "value" else 0.0 for i, kind, *_ in self.keys]
            )
        names = [repr(key) for key in self.keys]
        like = {} if self.acc is None else dict(shift=self.acc.shift, y_shift=self.acc.y_shift)
        part = Moments.of_columns(columns, y, groups, k, names, fill=fill, **like, **meta)
        self.acc = part if self.acc is None else self.acc.merge(part)

    def join(self, part: Moments) -> None:
        """Add a chunk summed elsewhere (``regcore.moments.block``): one column per feature, in
        order, all numbers with no cell missing, as every chunk added so far."""
        if self.acc is None:
            self.keys = [(i, "value") for i in range(part.p)]
            part.feature_names = [repr(key) for key in self.keys]
            self.acc = part
        else:
            self.acc = self.acc.merge(part)

    def design(self, stats, names: list[str]) -> Moments | None:
        """The moments of the design columns ``names`` (the encoding fixed in ``stats``), or
        None where the map would lose digits (see the module docstring)."""
        acc, index = self.acc, {key: j for j, key in enumerate(self.keys)}

        def ones(j):  # rows where an indicator is 1, per group
            return np.rint(acc.n * (acc.mean[:, j] + acc.shift[j]))

        maps, lo, hi, checks = [], [], [], []
        for i, f in enumerate(stats):
            if f.reason:
                continue
            m = index.get((i, "missing"))
            targets = [(i, "value")] if f.number else [(i, "level", v) for v in f.order[1:]]
            for key in targets:
                a = np.zeros(len(self.keys))
                a[index[key]] = 1.0
                low, high = acc.lo[:, index[key]], acc.hi[:, index[key]]
                if m is not None and f.number:
                    delta = f.fill - self.centres[i]
                    a[m] = delta
                    some = acc.hi[:, m] == 1
                    low = np.where(some, np.minimum(low, f.fill), low)
                    high = np.where(some, np.maximum(high, f.fill), high)
                    checks.append((len(maps), m, delta))
                elif m is not None and key[2] == f.fill:
                    a[m] = 1.0
                    high = np.maximum(high, acc.hi[:, m])
                    every = ones(index[key]) + ones(m) == acc.n
                    low = np.where(acc.n == 0, np.inf, every.astype(float))
                maps.append(a)
                lo.append(low)
                hi.append(high)
        out = acc.mapped(np.column_stack(maps), names, np.column_stack(lo), np.column_stack(hi))
        for c, m, delta in checks:
            if (delta * delta * acc.Sxx[:, m, m] > MAX_GROWTH * out.Sxx[:, c, c]).any():
                return None
        return out


def _wanted(stats, missing, places) -> list[tuple]:
    """The keys of the columns a chunk has values for, in order."""
    keys = []
    for i, f in enumerate(stats):
        if f.number:
            keys.append((i, "value"))
            if missing[i] is not None:
                keys.append((i, "missing"))
        elif places[i] is not None:
            keys += [(i, "level", level) for level in f.levels]
            if (places[i] < 0).any():
                keys.append((i, "missing"))
    return keys


def _column(stats, key: tuple, X, missing, places) -> np.ndarray:
    """A chunk's raw column (numbers' missing cells NaN, to count as their centre)."""
    i, kind = key[0], key[1]
    if kind == "value":
        return X[i] if missing[i] is None else np.where(missing[i], np.nan, X[i])
    if kind == "missing":
        where = missing[i] if stats[i].number else places[i] < 0
        return np.zeros(len(X[i])) if where is None else where.astype(np.float64)
    return (places[i] == list(stats[i].levels).index(key[2])).astype(np.float64)
