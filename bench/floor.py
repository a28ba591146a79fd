"""How fast can a numpy lasso path be on ar1 10 000×200?  The floor under issue 6's targets.

    python bench/floor.py [--repeats 7] [--blas-threads N]
    python bench/floor.py --ridge [wide dense square tall300 ...] [--quick]

Issue 6 asks for a lasso path ≤ 0.5 × scikit-learn's ``lasso_path`` and ≤ 2 × one XᵀX.
On ar1 the path must take 200 columns in along 100 λ.  This script times, interleaved with
scikit-learn's path and one XᵀX:

- **per-λ floor**: the least an active-set method that certifies each λ must do per grid
  point when two columns enter there (200 columns over 100 λ): solve on the active block,
  update the correlations c − G·w, scan for violators, take the two in with one block
  update of the inverse, then solve, update and scan again to certify.  Nothing else: no
  signs to check, no drift to watch, no columns leaving.
- **per-kink floor**: the least a homotopy (LARS) must do per kink, 200 kinks: two
  products with G (for u and d), one rank-one update of the m×m inverse, and the two
  ratio tests with their argmax.

regcore's real path is timed too, and so are scikit-learn's ``enet_path`` and ``LassoCV``
(same grid, same folds as bench/paths.py).  Both floors are lower bounds for their
families, since each leaves out work the method cannot skip: the elastic net needs at
least the lasso's work per point, and 5-fold CV needs six such paths after one XᵀX.  When
a task's floor exceeds its target, no design of these families in numpy reaches it on
this machine.

``--ridge``: the floor under issue 14's ridge target (100 λ ≤ 0.01 × a loop of 100
scikit-learn ``Ridge`` fits, i.e. the whole path within one fit's time).  A path that is
exact at every λ from one decomposition must form the smaller of XᵀX and XXᵀ and
decompose it; the floor times that product plus ``eigh`` (the decomposition the path uses)
and plus ``eigvalsh`` (the tridiagonal reduction alone, which any spectral method needs),
interleaved with one ``Ridge`` fit at the grid's middle λ and with regcore's ridge path.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import regcore  # noqa: E402
from bench.common import blas_threads, environment_lines, time_interleaved  # noqa: E402
from bench.paths import ENET_ALPHA, K_FOLDS, make_case, sklearn_alphas  # noqa: E402

N_LAMBDAS = 100


def per_lambda_floor(G: np.ndarray, c: np.ndarray, hs: np.ndarray, inv: np.ndarray) -> int:
    """Per grid point: two columns enter (p = 2 × grid points), with the least work that takes.

    A solve on the active block, the correlation update and the KKT scan that finds the two
    new columns; their block update of the inverse (V = M·U, S = D − UᵀV, S⁻¹, the rank-2
    update in place); then the second solve, update and scan that certify the point.
    The inverse is the block of a ready-made G⁻¹, so no work goes into keeping it exact.
    """
    p = c.size
    k = max(1, p // hs.size)
    w = np.zeros(p)
    buf = np.zeros((p, p))
    found = 0
    m = 0
    for h in hs:
        for _ in range(2):  # before and after the columns enter
            if m:
                w[:m] = buf[:m, :m] @ (c[:m] - h)
            g = c - G @ w
            excess = np.abs(g) - h
            excess[:m] = -1.0
            found += np.flatnonzero(excess > 0).size
            if _ == 0 and m + k <= p:
                U, D = G[:m, m : m + k], G[m : m + k, m : m + k]
                V = buf[:m, :m] @ U
                Sinv = np.linalg.inv(D - U.T @ V)
                VS = V @ Sinv
                buf[:m, :m] += VS @ V.T
                buf[:m, m : m + k] = -VS
                buf[m : m + k, :m] = -VS.T
                buf[m : m + k, m : m + k] = Sinv
                m += k
    return found + int(inv[0, 0] > 0)


def per_kink_floor(G: np.ndarray, c: np.ndarray, inv: np.ndarray) -> int:
    """Two G-products, one rank-one inverse update and the ratio tests per kink, p kinks."""
    p = c.size
    u_full, d_full = np.zeros(p), np.zeros(p)
    buf = inv.copy()
    picks = 0
    for m in range(1, p + 1):
        block = buf[:m, :m]
        u, d = block @ c[:m], block @ np.ones(m)
        u_full[:m], d_full[:m] = u, d
        q, a = c - G @ u_full, G @ d_full
        up, down = q / (1.0 - a), -q / (1.0 + a)
        picks += int(np.maximum(up, down).argmax()) + int((u / d).argmax())
        v = buf[:m, m - 1]
        buf[:m, :m] -= np.outer(v, v / (buf[m - 1, m - 1] + 1.0))
    return picks


def ridge_floor(names: list[str], quick: bool, repeats: int) -> None:
    """Per shape: one Ridge fit (the target), the one-decomposition floor, regcore's path."""
    print(
        "shape | one Ridge fit ms (target) | product ms | + eigh ms (floor) | + eigvalsh ms "
        "| regcore 100 λ ms | floor / target | regcore / target"
    )
    for name in names:
        ms = ridge_times(make_case(name, 0, quick), repeats)
        floor = ms["product"] + ms["eigh"]
        print(
            f"{ms['label']} | {ms['fit']:.1f} | {ms['product']:.1f} | {floor:.1f} | "
            f"{ms['product'] + ms['eigvalsh']:.1f} | {ms['regcore']:.1f} | "
            f"{floor / ms['fit']:.2f} | {ms['regcore'] / ms['fit']:.2f}",
            flush=True,
        )


def ridge_times(case, repeats: int) -> dict:
    """Median milliseconds of one Ridge fit, the product, eigh, eigvalsh and regcore's path."""
    from sklearn.linear_model import Ridge

    X, y = case.X, case.y
    n, p = X.shape
    grid = regcore.fit_path(X, y, "ridge", standardize=False).lambdas
    gram = (lambda: X.T @ X) if n >= p else (lambda: X @ X.T)
    M = gram() / n
    t = time_interleaved(
        {
            "fit": lambda: Ridge(alpha=n * grid[grid.size // 2]).fit(X, y),
            "product": gram,
            "eigh": lambda: np.linalg.eigh(M),
            "eigvalsh": lambda: np.linalg.eigvalsh(M),
            "regcore": lambda: regcore.fit_path(X, y, "ridge", standardize=False),
        },
        repeats,
    )
    return {"label": case.label} | {key: timing.median_ms for key, timing in t.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--blas-threads", type=int, default=None)
    parser.add_argument(
        "--ridge", nargs="*", default=None, help="the ridge floor on these shapes instead"
    )
    parser.add_argument("--quick", action="store_true", help="bench/paths.py's smaller shapes")
    args = parser.parse_args()
    if args.ridge is not None:
        with blas_threads(args.blas_threads):
            print("\n".join(environment_lines()))
            names = args.ridge or ["wide", "dense", "square", "tall300", "onehot"]
            ridge_floor(names, args.quick, args.repeats)
        return
    from sklearn.linear_model import LassoCV, enet_path, lasso_path
    from sklearn.model_selection import PredefinedSplit

    case = make_case("ar1", 0, quick=False)
    X, y = case.X, case.y
    n = X.shape[0]
    with blas_threads(args.blas_threads):
        for line in environment_lines():
            print(line)
        grid = regcore.fit_path(X, y, "lasso", standardize=False, n_lambdas=N_LAMBDAS).lambdas
        en_grid = regcore.fit_path(
            X, y, "elasticnet", alpha=ENET_ALPHA, standardize=False, n_lambdas=N_LAMBDAS
        ).lambdas
        sk_alpha, _ = sklearn_alphas("lasso", grid, n)
        en_alpha, en_extra = sklearn_alphas("elasticnet", en_grid, n, ENET_ALPHA)
        folds = PredefinedSplit(regcore.cv.fold_ids(n, K_FOLDS, 0))
        G = X.T @ X / n
        c = X.T @ y / n
        inv = np.linalg.inv(G)
        hs = grid / 2
        t = time_interleaved(
            {
                "sklearn lasso_path": lambda: lasso_path(X, y, alphas=sk_alpha),
                "sklearn enet_path": lambda: enet_path(X, y, alphas=en_alpha, **en_extra),
                "sklearn LassoCV": lambda: LassoCV(alphas=sk_alpha, cv=folds).fit(X, y),
                "one XᵀX": lambda: X.T @ X,
                "regcore fit_path": lambda: regcore.fit_path(
                    X, y, "lasso", standardize=False, lambdas=grid
                ),
                "per-λ floor (100 λ)": lambda: per_lambda_floor(G, c, hs, inv),
                "per-kink floor (200 kinks)": lambda: per_kink_floor(G, c, inv),
            },
            args.repeats,
        )
    ms = {name: timing.median_ms for name, timing in t.items()}
    gram, per_lambda, per_kink = (
        ms["one XᵀX"],
        ms["per-λ floor (100 λ)"],
        ms["per-kink floor (200 kinks)"],
    )
    path_floor = min(per_lambda, per_kink)
    print(
        f"\nar1 {X.shape[0]}×{X.shape[1]}, {N_LAMBDAS} λ, median of {args.repeats} interleaved runs\n"
    )
    for name, value in ms.items():
        print(f"  {name:<28} {value:8.2f} ms")
    rows = [  # (task, target, floor of the whole task, how the floor is made up)
        (
            "lasso path",
            min(0.5 * ms["sklearn lasso_path"], 2.0 * gram),
            gram + path_floor,
            "XᵀX + the cheaper path floor; target min(0.5 × sklearn, 2 × XᵀX)",
        ),
        (
            "elastic-net path",
            0.5 * ms["sklearn enet_path"],
            gram + path_floor,
            "XᵀX + the lasso's path floor (the elastic net does at least that); target 0.5 × sklearn",
        ),
        (
            f"{K_FOLDS}-fold CV",
            0.3 * ms["sklearn LassoCV"],
            gram + (K_FOLDS + 1) * path_floor,
            f"XᵀX + {K_FOLDS + 1} path floors (the folds and the full data); target 0.3 × LassoCV",
        ),
    ]
    print()
    for task, target, floor, how in rows:
        verdict = (
            "floor above the target: out of reach" if floor > target else "floor below the target"
        )
        print(f"  {task:<17} target {target:7.2f} ms   floor {floor:7.2f} ms   {verdict}  ({how})")


if __name__ == "__main__":
    main()
