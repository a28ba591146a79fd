"""regcore's logistic lasso path and CV against scikit-learn, same process, same grid (issue 19).

    python bench/logistic.py [--shapes diabetes ar1 wide] [--repeats 3] [--sk-tol 1e-4] [--quick]
                             [--every K] [--blas-threads 1] [--peers 'saga loop' …]

Three problems, X standardised once up front (mean 0, 1/n standard deviation 1), y of 0/1:

    diabetes  442 × 10       sklearn's diabetes data, the target thresholded at its median
    ar1       10 000 × 200   Gaussian AR(1) columns (correlation 0.5), 10 true non-zeros, y drawn
    wide      500 × 5 000    independent Gaussian columns, 10 true non-zeros, y drawn (seeded)

Tasks, on regcore's default 100-λ logistic lasso grid (shorter where the path stops on
separated rows; both sides then use the shorter grid; with ``--every K`` both sides run every
K-th λ of it only, for shapes where the scikit-learn loops would take too long; ``--peers``
picks the peers to time):

    path       ``fit_path(family="logistic")`` against a warm-started loop of
               ``LogisticRegression(l1_ratio=1, solver="saga", warm_start=True, C=1/(nλ))``
               (target ≤ 0.3 ×)
    liblinear  the same loop with ``solver="liblinear"`` (no warm start); liblinear penalises the
               intercept as if it were a weight, so its objective is not quite ours (no target)
    cv         5-fold ``cross_validate(family="logistic")`` against ``LogisticRegressionCV`` on the
               same folds and C = 1/(n_train·λ) grid, saga, log-loss scoring (target ≤ 0.3 ×)

Each side is the median of ``--repeats`` runs, interleaved (``bench.common``).  Accuracy: each
side's worst relative excess over λ of its objective above regcore's certified lower bound
(objective − duality gap), computed here from the coefficients; regcore's must be ≤ 1e-8.
scikit-learn runs at ``--sk-tol`` (its default 1e-4; its column says how close that gets).
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import blas_threads, environment_lines, format_table, time_interleaved  # noqa: E402
from regcore import cross_validate, fit_path  # noqa: E402

SHAPES = {"diabetes": (442, 10), "ar1": (10_000, 200), "wide": (500, 5_000)}
QUICK = {"diabetes": (442, 10), "ar1": (2_000, 100), "wide": (200, 1_000)}
TARGET = 0.3
ACCURACY = 1e-8
K_FOLDS = 5
TASKS = (  # (task, peer, target)
    ("path", "saga loop", TARGET),
    ("path", "liblinear loop", None),
    ("cv", "LogisticRegressionCV", TARGET),
)


def make_case(name: str, n: int, p: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(standardised X, y of 0/1) for one problem."""
    rng = np.random.default_rng(seed)
    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        X, t = load_diabetes(return_X_y=True)
        y = (t > np.median(t)).astype(float)
    else:
        Z = rng.standard_normal((n, p))
        if name == "ar1":
            X = np.empty_like(Z)
            X[:, 0] = Z[:, 0]
            for j in range(1, p):
                X[:, j] = 0.5 * X[:, j - 1] + np.sqrt(0.75) * Z[:, j]
        else:
            X = Z
        w = np.zeros(p)
        w[:10] = rng.uniform(0.5, 1.5, 10) * rng.choice([-1.0, 1.0], 10)
        y = (rng.random(n) < 1.0 / (1.0 + np.exp(-(X @ w)))).astype(float)
    return (X - X.mean(axis=0)) / X.std(axis=0), y


def objective(X, y, W, b, lambdas) -> np.ndarray:
    """(1/n)·Σ log(1 + e^η) − yη + λ‖w‖₁ for each row w of W (intercepts b)."""
    eta = X @ W.T + b[None, :]
    loss = np.mean(np.logaddexp(0.0, eta) - y[:, None] * eta, axis=0)
    return loss + lambdas * np.abs(W).sum(axis=1)


def sklearn_loop(X, y, lambdas, solver: str, tol: float):
    from sklearn.linear_model import LogisticRegression

    n = X.shape[0]
    model = LogisticRegression(
        l1_ratio=1.0, solver=solver, warm_start=solver == "saga", tol=tol, max_iter=100_000
    )
    W, b = np.zeros((lambdas.size, X.shape[1])), np.zeros(lambdas.size)
    for i, lam in enumerate(lambdas):
        model.set_params(C=1.0 / (n * lam))
        model.fit(X, y)
        W[i], b[i] = model.coef_[0], model.intercept_[0]
    return W, b


def sklearn_cv(X, y, lambdas, ids, tol: float):
    from sklearn.linear_model import LogisticRegressionCV

    splits = [(np.flatnonzero(ids != f), np.flatnonzero(ids == f)) for f in range(K_FOLDS)]
    n_train = X.shape[0] * (K_FOLDS - 1) / K_FOLDS
    model = LogisticRegressionCV(
        Cs=1.0 / (n_train * lambdas),
        l1_ratios=(1.0,),
        cv=splits,
        solver="saga",
        scoring="neg_log_loss",
        tol=tol,
        max_iter=100_000,
        use_legacy_attributes=False,
    )
    return model.fit(X, y)


def run_case(name: str, n: int, p: int, args) -> list[list[str]]:
    X, y = make_case(name, n, p, args.seed)
    ref = fit_path(X, y, family="logistic")
    grid = ref.lambdas[:: args.every]
    lower = (ref.objective - np.maximum(ref.gap, 0.0))[:: args.every]
    ids = np.arange(X.shape[0]) % K_FOLDS
    np.random.default_rng(args.seed).shuffle(ids)
    sides = {
        "regcore path": lambda: fit_path(X, y, lambdas=grid, family="logistic"),
        "saga loop": lambda: sklearn_loop(X, y, grid, "saga", args.sk_tol),
        "liblinear loop": lambda: sklearn_loop(X, y, grid, "liblinear", args.sk_tol),
        "regcore cv": lambda: cross_validate(
            X, y, lambdas=grid, row_folds=ids, family="logistic", measure="deviance"
        ),
        "LogisticRegressionCV": lambda: sklearn_cv(X, y, grid, ids, args.sk_tol),
    }
    tasks = [row for row in TASKS if row[1] in args.peers]
    wanted = {"regcore path"} | {peer for _, peer, _ in tasks}
    wanted |= {"regcore cv"} if "LogisticRegressionCV" in args.peers else set()
    sides = {name: fn for name, fn in sides.items() if name in wanted}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = time_interleaved(sides, args.repeats)

    def excess(W, b) -> float:
        return float(np.max((objective(X, y, W, b, grid) - lower) / lower))

    ours = t["regcore path"].result
    b_std = ours.intercept  # X is standardised: the original and standardised scales agree
    mine = excess(ours.coef, b_std)
    rows = []
    for task, peer, target in tasks:
        us = "regcore cv" if task == "cv" else "regcore path"
        ratio = t[us].median_ms / t[peer].median_ms
        theirs = "-" if task == "cv" else f"{excess(*t[peer].result):.1e}"
        verdict = "-" if target is None else ("PASS" if ratio <= target else "MISS")
        rows.append(
            [
                f"{name} {X.shape[0]}×{X.shape[1]}",
                f"{task} ({grid.size}{'' if args.every == 1 else f' of {ref.lambdas.size}'} λ)",
                peer,
                f"{t[us].median_ms:.0f}",
                f"{t[peer].median_ms:.0f}",
                f"{ratio:.3f}",
                "-" if target is None else f"≤ {target}",
                verdict,
                f"{mine:.1e}" + (" ok" if mine <= ACCURACY else " MISS"),
                theirs,
            ]
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sk-tol", type=float, default=1e-4)
    parser.add_argument("--quick", action="store_true", help="smaller shapes, one run, 1 thread")
    parser.add_argument("--blas-threads", type=int, default=None)
    parser.add_argument("--every", type=int, default=1, help="time every K-th λ of the grid")
    peers = [peer for _, peer, _ in TASKS]
    parser.add_argument("--peers", nargs="+", default=peers, choices=peers)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.blas_threads = 1, args.blas_threads or 1
    shapes = QUICK if args.quick else SHAPES
    print("\n".join(environment_lines()))
    header = [
        "shape",
        "task",
        "peer",
        "regcore ms",
        "peer ms",
        "ratio",
        "target",
        "met",
        "regcore excess",
        "peer excess",
    ]
    rows = []
    with blas_threads(args.blas_threads):
        for name in args.shapes:
            rows += run_case(name, *shapes[name], args)
            print(format_table(header, rows[-len(args.peers) :]), flush=True)
    print()
    print(format_table(header, rows))
    print(
        "excess: worst relative objective above regcore's certified lower bound over the grid; "
        "liblinear penalises the intercept, so its excess is partly a different objective."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
