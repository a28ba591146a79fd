"""Ridge's exact leave-one-out against scikit-learn's RidgeCV, same process, same λ (issue 18).

    python bench/loo.py [--repeats 3] [--n-lambdas 100] [--quick]

Per shape, X standardised once up front (so both sides see the same columns):

    regcore   cross_validate(X, y, "ridge", k="loo", lambdas=grid): the path on every row,
              its certificate, and the left-out errors of every row at every λ
    sklearn   RidgeCV(alphas=(n − 1)·grid, store_cv_results=True): the same left-out errors
              (regcore's λ is scikit-learn's a = (n − 1)·λ for a fit on n − 1 rows)

The two sides are interleaved (a, b, a, b, …) after a warm-up whose errors are compared.
``ratio`` = scikit-learn's median time / regcore's: above 1, regcore is faster.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: regcore is not installed
    sys.path.insert(0, str(ROOT))

import regcore  # noqa: E402
from bench.common import environment_lines, format_table, time_interleaved  # noqa: E402

SHAPES = {
    "diabetes-like": (442, 10),
    "tall": (20_000, 100),
    "square": (800, 500),
    "wide": (300, 3_000),
}
QUICK = {"diabetes-like": (442, 10), "tall": (4_000, 50), "square": (400, 300), "wide": (150, 800)}


def _data(n: int, p: int, seed: int = 0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    w = np.zeros(p)
    w[: min(10, p)] = rng.uniform(1, 3, min(10, p))
    y = X @ w + 2.0 * rng.standard_normal(n)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    return X, y


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--n-lambdas", type=int, default=100)
    ap.add_argument("--quick", action="store_true", help="smaller shapes, 1 repeat")
    args = ap.parse_args(argv)
    from sklearn.linear_model import RidgeCV

    shapes = QUICK if args.quick else SHAPES
    repeats = 1 if args.quick else args.repeats
    rows = []
    for name, (n, p) in shapes.items():
        X, y = _data(n, p)
        grid = regcore.fit_path(X, y, "ridge", n_lambdas=args.n_lambdas).lambdas
        sides = {
            "regcore": lambda X=X, y=y, grid=grid: (
                regcore.cross_validate(X, y, "ridge", k="loo", lambdas=grid).fold_curves
            ),
            "sklearn": lambda X=X, y=y, grid=grid, n=n: (
                RidgeCV(alphas=(n - 1) * grid, store_cv_results=True).fit(X, y).cv_results_
            ),
        }
        timed = time_interleaved(sides, repeats)
        ours, theirs = timed["regcore"], timed["sklearn"]
        diff = np.max(np.abs(ours.result - theirs.result)) / np.max(np.abs(theirs.result))
        rows.append(
            [
                name,
                f"{n}×{p}",
                f"{ours.median_ms:.1f}",
                f"{theirs.median_ms:.1f}",
                f"{theirs.median_ms / ours.median_ms:.2f}",
                f"{diff:.1e}",
            ]
        )
        print(f"done {name}", file=sys.stderr)
    header = ["shape", "n×p", "regcore ms", "sklearn ms", "ratio", "max rel diff"]
    print("\n".join(environment_lines()))
    print(format_table(header, rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
