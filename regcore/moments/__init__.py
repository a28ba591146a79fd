"""Streamed sufficient statistics: paths and CV for data larger than memory (linear, n ≫ p).

    m = from_csv("big.csv", target="y", chunk_rows=200_000)   # one pass (two at most), O(p²) memory
    path = fit_path(moments=m)                                 # same as in memory
    cv = cross_validate(moments=m)
    m.save("m.npz"); Moments.load("m.npz")

- :mod:`~regcore.moments.stats`: ``Moments`` (per-fold centred moments, exact merge), the
  seeded row hash that assigns test rows and folds.
- :mod:`~regcore.moments.stream`: ``from_csv`` (make_design's encoding, then the sums).
- :mod:`~regcore.moments.chunks`: the file read chunk by chunk with the reader's rules.
- :mod:`~regcore.moments.parse`: a compiled parser for blocks of plain numbers (pandas' values).
- :mod:`~regcore.moments.block`: a parsed block's moments, summed in the parser thread.
- :mod:`~regcore.moments.distributed`: ``from_dask`` (dask is imported only there).
- :mod:`~regcore.moments.fit`: cross-validation and errors from moments.
- :mod:`~regcore.moments.cli`: the command line's ``--stream`` work.
"""

from regcore.moments.fit import cross_validate, train_test_mse
from regcore.moments.stats import Moments, groups_of


def from_csv(*args, **kwargs):
    """See ``regcore.moments.stream.from_csv``."""
    from regcore.moments.stream import from_csv as read

    return read(*args, **kwargs)


def from_dask(*args, **kwargs):
    """See ``regcore.moments.distributed.from_dask``."""
    from regcore.moments.distributed import from_dask as compute

    return compute(*args, **kwargs)


__all__ = [
    "Moments",
    "cross_validate",
    "from_csv",
    "from_dask",
    "groups_of",
    "train_test_mse",
]
