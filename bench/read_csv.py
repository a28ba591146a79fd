"""How much does the reader cost over a plain ``pandas.read_csv`` of the same bytes?

Builds a 200 000 x 30 CSV in memory (26 number columns, one with 2 % missing
cells, three text columns: a 5-level city with 1 % missing, a 7-level grade,
yes/no flags; then the target), times

- plain:  ``pandas.read_csv(io.BytesIO(b))``
- ours:   ``read_csv(b)`` then ``make_design(df, default_target(df))``

(median of 5 each, interleaved, after one warm-up: ``bench.common.time_interleaved``)
and prints the ratio. Issue 4 asks for ours <= 2 x plain.

    python bench/read_csv.py [n_rows]
"""

import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: regcore is not installed
    sys.path.insert(0, str(ROOT))

from bench.common import time_interleaved  # noqa: E402
from regcore.data import default_target, make_design, read_csv  # noqa: E402


def build_csv(n_rows: int, seed: int = 0) -> bytes:
    rng = np.random.default_rng(seed)
    columns = {f"x{j}": rng.normal(size=n_rows).round(6) for j in range(26)}
    frame = pd.DataFrame(columns)
    frame.loc[rng.random(n_rows) < 0.02, "x3"] = np.nan
    frame["city"] = rng.choice(["Paris", "Berlin", "Rome", "Madrid", "Oslo"], n_rows)
    frame.loc[rng.random(n_rows) < 0.01, "city"] = np.nan
    frame["grade"] = rng.choice(list("ABCDEFG"), n_rows)
    frame["flag"] = rng.choice(["yes", "no"], n_rows)
    frame["y"] = frame["x0"] * 2 - frame["x1"] + rng.normal(size=n_rows)
    return frame.to_csv(index=False).encode()


def ours(data: bytes):
    df, _ = read_csv(data)
    return make_design(df, default_target(df))


def main() -> None:
    n_rows = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    data = build_csv(n_rows)
    timing = time_interleaved(
        {"plain": lambda: pd.read_csv(io.BytesIO(data)), "ours": lambda: ours(data)}, repeats=5
    )
    design = timing["ours"].result
    plain, full = timing["plain"].median_ms / 1000, timing["ours"].median_ms / 1000
    print(
        f"{n_rows:,} x 30 CSV, {len(data) / 1e6:.1f} MB -> design {design.n_train:,}+{design.n_test:,} x {design.n_features}"
    )
    print(f"plain pandas.read_csv     {plain * 1000:8.1f} ms")
    print(f"read_csv + make_design    {full * 1000:8.1f} ms")
    print(f"ratio                     {full / plain:8.2f}  (target <= 2)")


if __name__ == "__main__":
    main()
