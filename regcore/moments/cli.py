"""The command line's ``--stream`` work: moments from a CSV in chunks, then a path or CV.

``python -m regcore path BIG.csv --stream`` parses its options in ``regcore.__main__`` and
hands them here.  Progress (rows read, rate, share of the file) goes to stderr.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from regcore.cv import cross_validate
from regcore.moments.fit import train_test_mse
from regcore.moments.stream import from_csv
from regcore.path import fit_path


class ProgressLine:
    """Rows read, their rate and the share of the file read, on stderr at most every
    ``every`` seconds (one line redrawn on a terminal), and once more at the end of a pass."""

    def __init__(self, stream=None, every: float = 1.0):
        self.stream, self.every = stream or sys.stderr, every
        self.state: tuple | None = None
        self.began = self.last = time.perf_counter()

    def __call__(self, pass_no: int, rows: int, done: int, size: int) -> None:
        if self.state is not None and self.state[0] != pass_no:
            self.close()
            self.began = time.perf_counter()
        self.state = (pass_no, rows, done, size)
        if time.perf_counter() - self.last >= self.every:
            self._show("\r" if self.stream.isatty() else "\n")

    def _show(self, end: str) -> None:
        pass_no, rows, done, size = self.state
        self.last = now = time.perf_counter()
        rate = rows / max(now - self.began, 1e-9)
        share = 100.0 * done / size if size else 100.0
        print(
            f"# pass {pass_no}: {rows:,} rows read ({share:.0f}% of the file), {rate:,.0f} rows/s",
            end=end,
            file=self.stream,
            flush=True,
        )

    def close(self) -> None:
        """Show the last state of the pass (a finished line)."""
        if self.state is not None:
            self._show("\n")


def run(args, common: dict) -> pd.DataFrame:
    """The path (with train and test MSE) or the CV curve of ``args.csv``, streamed."""
    if not args.csv:
        raise ValueError("--stream reads a CSV file: give its path (samples fit in memory).")
    if getattr(args, "k", 10) == "loo":
        raise ValueError(
            "--stream cross-validates over K folds of the moments; leave-one-out needs the rows."
        )
    progress = ProgressLine()
    try:
        moments = from_csv(
            args.csv,
            target=args.target,
            chunk_rows=args.chunk_rows,
            k=getattr(args, "k", 10),
            seed=args.seed,
            test_fraction=args.test_fraction,
            progress=progress,
        )
    finally:
        progress.close()
    for line in moments.lines:
        print(f"# {line}", file=sys.stderr)
    if args.save_moments:
        moments.save(args.save_moments)
        print(f"wrote {args.save_moments}", file=sys.stderr)
    if args.command == "path":
        path = fit_path(moments=moments, **common)
        frame = path.to_frame()
        train, test = train_test_mse(moments, path)
        frame.insert(3, "train_mse", train)
        frame.insert(4, "test_mse", test)
        best = int(np.nanargmin(test)) if np.isfinite(test).any() else int(np.argmin(train))
        print(
            f"# {path.penalty}: {path.lambdas.size} λ from {path.n_samples:,} training rows, "
            f"best test MSE {test[best]:.6g} at λ = {path.lambdas[best]:.6g}; "
            f"largest duality gap {path.gap.max():.3g}",
            file=sys.stderr,
        )
        return frame
    cv = cross_validate(moments=moments, **common)
    print(f"# λ_min = {cv.lambda_min:.6g}, λ_1se = {cv.lambda_1se:.6g}", file=sys.stderr)
    return pd.DataFrame(
        {"lambda": cv.lambdas, "cv_mse": cv.mean, "cv_se": cv.se, "n_nonzero": cv.path.n_nonzero}
    )
