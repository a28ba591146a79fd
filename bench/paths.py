"""regcore's paths against scikit-learn, same process, same grid, same folds (issue 6).

    python bench/paths.py [--shapes diabetes ar1 ...] [--repeats 5] [--seed 0] [--quick]
                          [--method auto|kernel|exact|both]

Eight problems, X standardised once up front (mean 0, 1/n standard deviation 1) and y
centred, so both sides fit the same objective with ``standardize=False``:

    diabetes  442 × 10       sklearn's diabetes data
    ar1       10 000 × 200   Gaussian AR(1) columns, neighbouring correlation 0.5, 20 true non-zeros
    wide      500 × 5 000    p ≫ n, independent Gaussian columns, 20 true non-zeros
    tall      200 000 × 50   n ≫ p, independent Gaussian columns, 10 true non-zeros
    dense     2 250 × 1 500  independent Gaussian columns, 300 true non-zeros (a dense solution)
    square    1 000 × 1 000  independent Gaussian columns, 100 true non-zeros
    tall300   100 000 × 300  n ≫ p, independent Gaussian columns, 30 true non-zeros
    onehot    442 × 51       real: the diabetes data, sex one-hot, every other feature also
                             one-hot in quintile bins (``diabetes_one_hot``)

Per problem: the lasso path and the elastic-net path (α = 0.5) on regcore's default 100-λ
grid, 5-fold CV on the same folds and grid, ridge at 100 λ against a loop of sklearn
``Ridge`` fits, and one XᵀX product (the floor for n ≫ p).  Each side is the median of
``--repeats`` runs, interleaved with the other side, after one untimed warm-up whose
solution is checked: the objective of both sides, computed here from the coefficients,
against a tight reference (sklearn at tol 1e-12; for ridge a direct solve of the normal
equations).  ``--quick`` shrinks the large problems (``QUICK_SHAPES``), times one run and
caps BLAS at one thread: a smoke test.
See bench/README.md for the columns.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: regcore is not installed
    sys.path.insert(0, str(ROOT))

import regcore  # noqa: E402
from bench.common import (  # noqa: E402
    WARMUP_KEEP_S,
    blas_threads,
    environment_lines,
    format_table,
    load_kernel,
    objective,
    time_interleaved,
    worst_excess,
)

SHAPES = {
    "diabetes": (442, 10),
    "ar1": (10_000, 200),
    "wide": (500, 5_000),
    "tall": (200_000, 50),
    "dense": (2_250, 1_500),
    "square": (1_000, 1_000),
    "tall300": (100_000, 300),
    "onehot": (442, 51),
}
QUICK_SHAPES = {
    "diabetes": (442, 10),
    "ar1": (2_000, 100),
    "wide": (200, 1_000),
    "tall": (20_000, 50),
    "dense": (450, 300),
    "square": (300, 300),
    "tall300": (10_000, 300),
    "onehot": (442, 51),
}
TRUE_NONZEROS = {
    "wide": 20,
    "tall": 10,
    "dense": 0.2,
    "square": 0.1,
    "tall300": 30,
}  # < 1: share of p
FLOOR_SHAPES = ("ar1", "tall", "tall300")  # n ≫ p: XᵀX is a floor worth meeting
ENET_ALPHA = 0.5
K_FOLDS = 5
TARGETS = {
    "lasso": 0.5,
    "enet": 0.5,
    "cv": 0.3,
    "ridge": 0.01,
    "floor": 2.0,
}  # ratio regcore / other
ACCURACY_TARGET = 1e-8  # every λ within this relative objective of the tight reference
TIGHT = {"tol": 1e-12, "max_iter": 100_000}


@dataclass
class Case:
    """One benchmark problem: X standardised, y centred."""

    name: str
    X: np.ndarray
    y: np.ndarray

    @property
    def label(self) -> str:
        n, p = self.X.shape
        return f"{self.name} {n}×{p}"


@dataclass
class Row:
    """One line of the table (see bench/README.md for the columns)."""

    case: Case
    task: str
    regcore_ms: float
    other_ms: float | None = None
    target: float | None = None
    gap_regcore: float | None = None
    gap_sklearn: float | None = None
    notes: list[str] = field(default_factory=list)

    HEADER = (
        "shape",
        "task",
        "regcore ms",
        "sklearn ms",
        "ratio",
        "target",
        "verdict",
        "regcore gap",
        "sklearn gap",
        "notes",
    )

    def cells(self) -> list[str]:
        ratio = self.regcore_ms / self.other_ms if self.other_ms else None
        verdict = (
            ""
            if ratio is None or self.target is None
            else ("PASS" if ratio <= self.target else "MISS")
        )
        notes = list(self.notes)
        if self.gap_regcore is not None and self.gap_regcore > ACCURACY_TARGET:
            notes.insert(0, f"ACCURACY MISS: regcore gap above {ACCURACY_TARGET:g}")
        return [
            self.case.label,
            self.task,
            f"{self.regcore_ms:.1f}",
            _fmt(self.other_ms, "{:.1f}"),
            _fmt(ratio, "{:.3f}"),
            _fmt(self.target, "≤ {:g}"),
            verdict,
            _fmt(self.gap_regcore, "{:+.1e}"),
            _fmt(self.gap_sklearn, "{:+.1e}"),
            "; ".join(notes),
        ]


@dataclass
class Reference:
    """The tight reference objective of a path task, kept for the CV task to reuse."""

    lambdas: np.ndarray
    objective: np.ndarray


def _fmt(value, pattern: str) -> str:
    return "—" if value is None else pattern.format(value)


# ---------------------------------------------------------------- problems


def standardised(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns with mean 0 and 1/n standard deviation 1; y with mean 0."""
    X = X - X.mean(axis=0)
    X /= X.std(axis=0)
    return X, y - y.mean()


def ar1_columns(rng: np.random.Generator, n: int, p: int, rho: float) -> np.ndarray:
    """n × p Gaussian columns with corr(x_j, x_k) = rho^|j−k|."""
    X = rng.standard_normal((n, p))
    for j in range(1, p):
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho * rho) * X[:, j]
    return X


def sparse_target(rng: np.random.Generator, X: np.ndarray, k: int, snr: float = 3.0) -> np.ndarray:
    """y = X·w + noise with k non-zero weights (random columns, signs and sizes) at the given SNR."""
    w = np.zeros(X.shape[1])
    support = rng.choice(X.shape[1], size=k, replace=False)
    w[support] = rng.choice([-1.0, 1.0], size=k) * rng.uniform(0.5, 2.0, size=k)
    signal = X @ w
    return signal + rng.standard_normal(X.shape[0]) * np.std(signal) / np.sqrt(snr)


def make_case(name: str, seed: int, quick: bool) -> Case:
    n, p = (QUICK_SHAPES if quick else SHAPES)[name]
    rng = np.random.default_rng([seed, list(SHAPES).index(name)])
    if name == "diabetes":
        from sklearn.datasets import load_diabetes

        X, y = load_diabetes(return_X_y=True)
    elif name == "onehot":
        X, y = diabetes_one_hot()
    elif name == "ar1":
        X = ar1_columns(rng, n, p, rho=0.5)
        y = sparse_target(rng, X, k=20)
    else:
        X = rng.standard_normal((n, p))
        share = TRUE_NONZEROS[name]
        y = sparse_target(rng, X, k=int(share * p) if share < 1 else int(share))
    return Case(name, *standardised(X, y))


def diabetes_one_hot() -> tuple[np.ndarray, np.ndarray]:
    """A real table with one-hot columns, offline: scikit-learn's bundled diabetes data
    (442 × 10, unscaled), its ``sex`` as two indicator columns and every other feature
    also cut at its quintiles into five indicators (the raw value kept): 442 × 51."""
    from sklearn.datasets import load_diabetes

    X, y = load_diabetes(return_X_y=True, scaled=False)
    parts = [X[:, [0]], (X[:, [1]] == np.unique(X[:, 1])).astype(float)]
    for j in range(2, X.shape[1]):
        edges = np.quantile(X[:, j], [0.2, 0.4, 0.6, 0.8])
        bins = np.searchsorted(edges, X[:, j])
        parts += [X[:, [j]], (bins[:, None] == np.arange(5)).astype(float)]
    X = np.hstack(parts)
    return X, y


# ---------------------------------------------------------------- tasks


def sklearn_alphas(
    penalty: str, grid: np.ndarray, n: int, alpha: float | None = None
) -> tuple[np.ndarray, dict]:
    """scikit-learn's ``alpha`` for every λ of our grid, and the other parameters (l1_ratio)."""
    eq = [regcore.sklearn_equivalent(penalty, lam, n, alpha) for lam in grid]
    extra = {"l1_ratio": eq[0]["l1_ratio"]} if "l1_ratio" in eq[0] else {}
    return np.array([e["alpha"] for e in eq]), extra


def with_warnings(fn):
    """(result, names of the warning classes fn raised)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = fn()
    return result, sorted({w.category.__name__ for w in seen})


def call_notes(t: dict) -> list[str]:
    """For a task whose runs repeated a short call: how many calls, and one call's own time.

    The ratio of those single first calls shows what a caller who runs the task once, right
    after other work, sees (cold caches).
    """
    ours, theirs = t["regcore"], t.get("sklearn")
    repeated = [f"{name} {timing.calls}" for name, timing in t.items() if timing.calls > 1]
    if not repeated:
        return []
    note = f"calls per run: {', '.join(repeated)}; one call alone: regcore {ours.first_ms:.2f} ms"
    if theirs is not None:
        note += f", sklearn {theirs.first_ms:.1f} ms, ratio {ours.first_ms / theirs.first_ms:.3f}"
    return [note]


def side_notes(side: str, names: list[str]) -> list[str]:
    return [f"{side}: {', '.join(names)}"] if names else []


def bench_path(case: Case, alpha: float, repeats: int) -> tuple[Row, Reference]:
    """Lasso (alpha = 1) or elastic-net path: regcore.fit_path vs sklearn lasso_path / enet_path."""
    from sklearn.linear_model import enet_path, lasso_path

    X, y = case.X, case.y
    penalty = "lasso" if alpha == 1.0 else "elasticnet"
    a = None if penalty == "lasso" else alpha

    def ours():
        return regcore.fit_path(X, y, penalty, alpha=a, standardize=False)

    grid = ours().lambdas
    sk_alpha, extra = sklearn_alphas(penalty, grid, X.shape[0], a)

    def theirs(**params):
        if penalty == "lasso":
            return lasso_path(X, y, alphas=sk_alpha, **params)
        return enet_path(X, y, alphas=sk_alpha, **extra, **params)

    t = time_interleaved({"regcore": ours, "sklearn": theirs}, repeats)
    (_, ref_coefs, _), ref_warn = with_warnings(lambda: theirs(**TIGHT))
    ref = objective(X, y, ref_coefs.T, 0.0, grid, alpha)
    path = t["regcore"].result
    _, sk_coefs, _ = t["sklearn"].result
    notes = (
        side_notes("sklearn", t["sklearn"].warnings)
        + side_notes("reference", ref_warn)
        + call_notes(t)
    )
    if not path.converged.all():
        notes.append(f"regcore: {int((~path.converged).sum())} λ not converged")
    row = Row(
        case,
        "lasso path" if penalty == "lasso" else f"enet path α={alpha:g}",
        t["regcore"].median_ms,
        t["sklearn"].median_ms,
        TARGETS["lasso" if penalty == "lasso" else "enet"],
        worst_excess(objective(X, y, path.coef, path.intercept, grid, alpha), ref),
        worst_excess(objective(X, y, sk_coefs.T, 0.0, grid, alpha), ref),
        notes,
    )
    return row, Reference(grid, ref)


def bench_cv(case: Case, lasso: Reference, seed: int, repeats: int) -> Row:
    """5-fold lasso CV: regcore.cross_validate vs LassoCV on the same folds and grid.

    Both fit the full-data path too (LassoCV refits at its chosen λ).  Gaps: regcore's full
    path, and LassoCV's refit, against the lasso path's tight reference.
    """
    from sklearn.linear_model import LassoCV
    from sklearn.model_selection import PredefinedSplit

    X, y = case.X, case.y
    grid = lasso.lambdas
    folds = regcore.cv.fold_ids(X.shape[0], K_FOLDS, seed)
    sk_alpha, _ = sklearn_alphas("lasso", grid, X.shape[0])

    def ours():
        return regcore.cross_validate(
            X, y, "lasso", k=K_FOLDS, seed=seed, lambdas=grid, standardize=False
        )

    def theirs():
        return LassoCV(alphas=sk_alpha, cv=PredefinedSplit(folds)).fit(X, y)

    t = time_interleaved({"regcore": ours, "sklearn": theirs}, repeats)
    cv, sk = t["regcore"].result, t["sklearn"].result
    i_sk = int(np.argmin(np.abs(sk_alpha - sk.alpha_)))
    gap_sk = worst_excess(
        objective(X, y, sk.coef_, sk.intercept_, grid[i_sk : i_sk + 1], 1.0),
        lasso.objective[i_sk : i_sk + 1],
    )
    gap_ours = worst_excess(
        objective(X, y, cv.path.coef, cv.path.intercept, grid, 1.0), lasso.objective
    )
    fold_diff = float(np.max(np.abs(cv.fold_curves.T - sk.mse_path_) / sk.mse_path_))
    i_ours = cv.index_min
    notes = [
        f"fold MSE max rel diff {fold_diff:.1e}",
        "λ_min same" if i_ours == i_sk else f"λ_min index regcore {i_ours}, sklearn {i_sk}",
    ]
    return Row(
        case,
        "5-fold CV",
        t["regcore"].median_ms,
        t["sklearn"].median_ms,
        TARGETS["cv"],
        gap_ours,
        gap_sk,
        notes + side_notes("sklearn", t["sklearn"].warnings) + call_notes(t),
    )


def ridge_reference(
    X: np.ndarray, y: np.ndarray, lambdas: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(coefs k × p, intercepts k) of ridge by a direct solve per λ: primal when n ≥ p, dual otherwise."""
    n, p = X.shape
    xm, ym = X.mean(axis=0), y.mean()
    Xc, yc = X - xm, y - ym
    W = np.empty((lambdas.size, p))
    if n >= p:
        G, c = Xc.T @ Xc / n, Xc.T @ yc / n
        for i, lam in enumerate(lambdas):
            W[i] = np.linalg.solve(G + lam * np.eye(p), c)
    else:  # (XcᵀXc/n + λI)⁻¹Xcᵀyc/n = Xcᵀ(XcXcᵀ/n + λI)⁻¹yc/n
        K = Xc @ Xc.T / n
        for i, lam in enumerate(lambdas):
            W[i] = Xc.T @ np.linalg.solve(K + lam * np.eye(n), yc) / n
    return W, ym - W @ xm


def bench_ridge(case: Case, repeats: int) -> Row:
    """Ridge at 100 λ: regcore.fit_path vs a loop of sklearn Ridge(alpha=n·λ) fits."""
    from sklearn.linear_model import Ridge

    X, y = case.X, case.y

    def ours():
        return regcore.fit_path(X, y, "ridge", standardize=False)

    grid = ours().lambdas
    sk_alpha, _ = sklearn_alphas("ridge", grid, X.shape[0])

    def theirs():
        fits = [Ridge(alpha=a).fit(X, y) for a in sk_alpha]
        return np.array([f.coef_ for f in fits]), np.array([f.intercept_ for f in fits])

    t = time_interleaved({"regcore": ours, "sklearn": theirs}, repeats)
    ref = objective(X, y, *ridge_reference(X, y, grid), grid, 0.0)
    path = t["regcore"].result
    return Row(
        case,
        "ridge 100 λ",
        t["regcore"].median_ms,
        t["sklearn"].median_ms,
        TARGETS["ridge"],
        worst_excess(objective(X, y, path.coef, path.intercept, grid, 0.0), ref),
        worst_excess(objective(X, y, *t["sklearn"].result, grid, 0.0), ref),
        side_notes("sklearn", t["sklearn"].warnings)
        + ["reference: direct normal-equation solve"]
        + call_notes(t),
    )


def bench_gram(case: Case, lasso_ms: float, repeats: int) -> list[Row]:
    """One XᵀX product; on the tall problems also the lasso path against it (the n ≫ p floor)."""
    X = case.X
    gram_ms = time_interleaved({"XᵀX": lambda: X.T @ X}, repeats)["XᵀX"].median_ms
    rows = [Row(case, "XᵀX alone", gram_ms, notes=["the floor for n ≫ p"])]
    if case.name in FLOOR_SHAPES:
        rows.append(
            Row(
                case,
                "lasso path / XᵀX",
                lasso_ms,
                gram_ms,
                TARGETS["floor"],
                notes=["sklearn ms column holds the one XᵀX here"],
            )
        )
    return rows


# ---------------------------------------------------------------- driver


def run_case(case: Case, seed: int, repeats: int, log) -> list[Row]:
    lasso, ref = bench_path(case, 1.0, repeats)
    log(f"{case.label}: lasso path done")
    enet, _ = bench_path(case, ENET_ALPHA, repeats)
    log(f"{case.label}: elastic-net path done")
    cv = bench_cv(case, ref, seed, repeats)
    log(f"{case.label}: 5-fold CV done")
    ridge = bench_ridge(case, repeats)
    log(f"{case.label}: ridge done")
    return [lasso, enet, cv, ridge, *bench_gram(case, lasso.regcore_ms, repeats)]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shapes",
        nargs="+",
        choices=list(SHAPES),
        default=list(SHAPES),
        help="which problems to run (default: all)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="timed runs per side after the warm-up (default 5; 1 with --quick)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the synthetic data and the CV folds"
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="cap BLAS/OpenMP threads for both sides via threadpoolctl "
        "(default: as found; 1 with --quick, so a busy machine cannot stall the smoke test)",
    )
    parser.add_argument(
        "--method",
        choices=["auto", "kernel", "exact", "both"],
        default="auto",
        help="which solver serves every lasso / elastic-net path, CV folds included "
        "(fit_path's method=; default auto); both: only the kernel against the exact "
        "strategies, interleaved, no scikit-learn",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: smaller ar1/wide/tall problems and one timed run per side",
    )
    args = parser.parse_args(argv)
    if args.repeats is None:
        args.repeats = 1 if args.quick else 5
    if args.quick and args.blas_threads is None:
        args.blas_threads = 1
    if args.repeats < 1:
        parser.error("--repeats must be at least 1.")
    return args


@contextlib.contextmanager
def solver(method: str):
    """Route every lasso / elastic-net path through one solver while inside, the CV folds'
    paths too (``cross_validate`` calls ``fit_path`` without a method)."""
    pick = regcore.path._pick_method
    if method != "auto":
        regcore.path._pick_method = lambda prob, _method, weights: pick(prob, method, weights)
    try:
        yield
    finally:
        regcore.path._pick_method = pick


def compare_methods(case: Case, seed: int, repeats: int) -> list[list[str]]:
    """The compiled kernel against the exact strategies on one problem, interleaved in one
    process: rows (shape, task, exact ms, kernel ms, kernel ÷ exact, objective difference)
    for the lasso path, the elastic-net path and 5-fold CV."""
    X, y = case.X, case.y
    tasks = {
        "lasso path": lambda: regcore.fit_path(X, y, "lasso", standardize=False),
        f"enet path α={ENET_ALPHA:g}": lambda: regcore.fit_path(
            X, y, "elasticnet", alpha=ENET_ALPHA, standardize=False
        ),
        "5-fold CV": lambda: (
            regcore.cross_validate(X, y, "lasso", k=K_FOLDS, seed=seed, standardize=False).path
        ),
    }
    rows = []
    for task, fn in tasks.items():

        def run(method, fn=fn):
            with solver(method):
                return fn()

        t = time_interleaved({m: (lambda m=m, run=run: run(m)) for m in METHODS}, repeats)
        ours, theirs = (t[m].result.objective for m in METHODS)
        diff = float(np.max(np.abs(ours - theirs) / np.maximum(np.abs(theirs), 1e-300)))
        exact_ms, kernel_ms = (t[m].median_ms for m in METHODS)
        print(
            f"{case.label} {task}: exact {exact_ms:.0f} ms, kernel {kernel_ms:.0f} ms",
            file=sys.stderr,
        )
        rows.append(
            [
                case.label,
                task,
                f"{exact_ms:.1f}",
                f"{kernel_ms:.1f}",
                f"{kernel_ms / exact_ms:.2f}",
                f"{diff:.1e}",
            ]
        )
    return rows


def warm_up_both() -> None:
    """Both solvers once on a small problem, so that numba's first dispatch in the process
    (loading its typing registries, ~0.7 s) is not timed as part of the first shape."""
    case = make_case("diabetes", 0, True)
    for method in METHODS:
        with solver(method):
            regcore.fit_path(case.X, case.y, "lasso", standardize=False)


METHODS = ("exact", "kernel")
COMPARE_HEADER = ("shape", "task", "exact ms", "kernel ms", "kernel ÷ exact", "objective rel diff")


def main(argv=None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - start:6.1f} s] {message}", file=sys.stderr, flush=True)

    with blas_threads(args.blas_threads):
        print("\n".join(environment_lines()))
        load_kernel()
        if args.method == "both":
            table = []
            warm_up_both()
            for name in args.shapes:
                case = make_case(name, args.seed, args.quick)
                table += compare_methods(case, args.seed, args.repeats)
                log(f"{name}: kernel against exact done")
            print(format_table(COMPARE_HEADER, table))
            load = " ".join(f"{v:.2f}" for v in os.getloadavg())
            print(
                f"\nmedian of {args.repeats} interleaved run(s) (a warm-up of a second or more "
                f"counts as the first); load average at the end {load}"
            )
            return 0
        rows: list[Row] = []
        with solver(args.method):
            for name in args.shapes:
                case = make_case(name, args.seed, args.quick)
                rows += run_case(case, args.seed, args.repeats, log)
    threads = "as found" if args.blas_threads is None else str(args.blas_threads)
    print(
        f"\nmedian of {args.repeats} interleaved run(s) per side after a warm-up (kept as a run when "
        f"≥ {WARMUP_KEEP_S:g} s); seed {args.seed}; BLAS threads {threads}"
        f"{'; QUICK mode: smaller shapes' if args.quick else ''}; method {args.method}"
    )
    print(
        "gap = max over λ of (objective − reference)/reference, reference = sklearn at tol 1e-12 "
        f"(ridge: direct solve); accuracy target ≤ {ACCURACY_TARGET:g}\n"
    )
    print(format_table(Row.HEADER, [r.cells() for r in rows]))
    load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\ntotal {time.perf_counter() - start:.0f} s; load average at the end {load}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
