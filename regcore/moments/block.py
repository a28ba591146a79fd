"""The moments of a parsed block of numbers, summed where it was parsed (a parser thread).

``block_moments`` takes the compiled parser's array (one row per kept column) and sums the
block's per-group centred moments in compiled code that releases the GIL, with no
DataFrame and no gathered copy, so the stream's main thread only merges the small results
(in file order, so the result does not depend on which thread finished first).  A block
with a missing cell in the columns asked for returns None: the caller sums it the general
way (``regcore.moments.raw``).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from regcore.moments.stats import Moments, groups_of


def block_moments(
    values: np.ndarray,
    start: int,
    take: np.ndarray,
    k: int,
    shift: np.ndarray,
    feature_names: list[str],
    target: str = "y",
    seed: int = 0,
    test_fraction: float = 0.0,
) -> Moments | None:
    """The moments of the block's columns ``values[take[:-1]]`` against the target
    ``values[take[-1]]``, its rows numbered from ``start`` in the file and grouped by
    ``groups_of(rows, k, seed, test_fraction)``; None if any of those cells
    is missing.

    ``shift`` (one value per column of ``take``, the target's last): the means are kept
    relative to it, as in ``Moments``; parts that are merged should share it.
    """
    q, rows = take.size, values.shape[1]
    groups = groups_of(np.arange(start, start + rows), k, seed, test_fraction)
    n = np.zeros(k + 1, dtype=np.int64)
    mean = np.zeros((k + 1, q))
    lo, hi = np.full((k + 1, q), np.inf), np.full((k + 1, q), -np.inf)
    S = np.zeros((k + 1, q, q))
    if not _sums(values, take, groups, shift, n, mean, lo, hi, S, np.empty(q)):
        return None
    p = q - 1
    return Moments(
        n=n,
        mean=np.ascontiguousarray(mean[:, :p]),
        y_mean=mean[:, p].copy(),
        lo=np.ascontiguousarray(lo[:, :p]),
        hi=np.ascontiguousarray(hi[:, :p]),
        Sxx=np.ascontiguousarray(S[:, :p, :p]),
        Sxy=np.ascontiguousarray(S[:, :p, p]),
        Syy=S[:, p, p].copy(),
        feature_names=list(feature_names),
        shift=shift[:p].copy(),
        y_shift=float(shift[p]),
        target=target,
        seed=seed,
        test_fraction=test_fraction,
    )


@njit(nogil=True, cache=True)
def _sums(values, take, groups, shift, n, mean, lo, hi, S, d):  # pragma: no cover - compiled
    """Per group g: n[g] rows, mean[g] = the mean of (z − shift), lo / hi, and
    S[g] = Σ (z − shift − mean[g])(z − shift − mean[g])ᵀ over its rows, z = values[take, r]
    (two passes: the means first, so the products are centred).  False at a missing cell.
    """
    q, rows = take.size, values.shape[1]
    for r in range(rows):
        g = groups[r]
        n[g] += 1
        for a in range(q):
            v = values[take[a], r]
            if v != v:
                return False
            mean[g, a] += v - shift[a]
            if v < lo[g, a]:
                lo[g, a] = v
            if v > hi[g, a]:
                hi[g, a] = v
    for g in range(n.size):
        if n[g] > 0:
            for a in range(q):
                mean[g, a] /= n[g]
    for r in range(rows):
        g = groups[r]
        Sg, mg = S[g], mean[g]
        for a in range(q):
            d[a] = values[take[a], r] - shift[a] - mg[a]
        for a in range(q):  # the whole square (contiguous rows): faster than the triangle
            da, row = d[a], Sg[a]
            for b in range(q):
                row[b] += da * d[b]
    return True
