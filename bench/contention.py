"""Paths under contention: each path's time with one core kept busy, against its quiet time.

    python bench/contention.py                    # lasso and enet on bench/paths.py's shapes
    python bench/contention.py --quick            # smaller shapes, 3 repeats
    python bench/contention.py --shapes wide ar1 --repeats 7 --blas-threads 1

Per shape and task (the same problems, grids and scikit-learn peers as ``bench/paths.py``),
every repeat times each side once quietly and once while a spinning process (started here,
paused between the busy phases with SIGSTOP / SIGCONT) keeps one core busy: quiet and busy
runs interleave, so both phases share the machine's drift.  The table prints the median
quiet and busy milliseconds and busy / quiet for regcore and for scikit-learn; issue 14's
target is busy / quiet ≤ 1.5 for regcore.  See bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: regcore is not installed
    sys.path.insert(0, str(ROOT))

import regcore  # noqa: E402
from bench.common import (  # noqa: E402
    MIN_RUN_S,
    blas_threads,
    environment_lines,
    format_table,
    load_kernel,
    run_once,
)
from bench.paths import ENET_ALPHA, SHAPES, make_case, sklearn_alphas  # noqa: E402

TARGET = 1.5  # issue 14: no path takes more than 1.5 × its quiet time with one core busy
SETTLE_S = 0.05  # after resuming or pausing the spinner, before the next timed run
DEFAULT_SHAPES = ("diabetes", "ar1", "wide", "tall")
SPIN = "while True:\n    pass\n"


class Spinner:
    """One process spinning on a core, paused until ``busy()`` and between busy phases."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", SPIN])
        os.kill(self.proc.pid, signal.SIGSTOP)

    def busy(self, on: bool) -> None:
        os.kill(self.proc.pid, signal.SIGCONT if on else signal.SIGSTOP)
        time.sleep(SETTLE_S)

    def close(self) -> None:
        os.kill(self.proc.pid, signal.SIGCONT)  # a stopped process would not see the kill
        self.proc.kill()
        self.proc.wait()


def sides(case, alpha: float) -> dict:
    """{"regcore": fit_path, "sklearn": lasso_path / enet_path} on the same grid."""
    from sklearn.linear_model import enet_path, lasso_path

    X, y = case.X, case.y
    penalty = "lasso" if alpha == 1.0 else "elasticnet"
    a = None if penalty == "lasso" else alpha

    def ours():
        return regcore.fit_path(X, y, penalty, alpha=a, standardize=False)

    sk_alpha, extra = sklearn_alphas(penalty, ours().lambdas, X.shape[0], a)
    if penalty == "lasso":
        return {"regcore": ours, "sklearn": lambda: lasso_path(X, y, alphas=sk_alpha)}
    return {"regcore": ours, "sklearn": lambda: enet_path(X, y, alphas=sk_alpha, **extra)}


def time_phases(fns: dict, spinner: Spinner, repeats: int) -> dict[tuple[str, str], list[float]]:
    """Seconds per call of each (side, phase), quiet and busy runs interleaved, after a warm-up."""
    import warnings

    seconds: dict[tuple[str, str], list[float]] = {}
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # scikit-learn's ConvergenceWarning: bench/paths.py reports it
        for fn in fns.values():
            run_once(fn)
        for _ in range(repeats):
            for phase in ("quiet", "busy"):
                spinner.busy(phase == "busy")
                for side, fn in fns.items():
                    took = run_once(fn, MIN_RUN_S)[0]
                    seconds.setdefault((side, phase), []).append(took)
            spinner.busy(False)
    return seconds


def row(label: str, task: str, seconds: dict) -> list[str]:
    med = {key: 1e3 * statistics.median(v) for key, v in seconds.items()}
    ratio = {side: med[side, "busy"] / med[side, "quiet"] for side in ("regcore", "sklearn")}
    return [
        label,
        task,
        f"{med['regcore', 'quiet']:.1f}",
        f"{med['regcore', 'busy']:.1f}",
        f"{ratio['regcore']:.2f}",
        f"{med['sklearn', 'quiet']:.1f}",
        f"{med['sklearn', 'busy']:.1f}",
        f"{ratio['sklearn']:.2f}",
        f"{TARGET:g}",
        "PASS" if ratio["regcore"] <= TARGET else "MISS",
    ]


HEADER = [
    "shape",
    "task",
    "regcore quiet ms",
    "busy ms",
    "busy/quiet",
    "sklearn quiet ms",
    "busy ms",
    "busy/quiet",
    "target",
    "verdict",
]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shapes", nargs="+", choices=list(SHAPES), default=None)
    parser.add_argument("--repeats", type=int, default=None, help="default 5 (--quick: 3)")
    parser.add_argument("--quick", action="store_true", help="bench/paths.py's smaller shapes")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--blas-threads", type=int, default=None)
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    shapes = args.shapes or [s for s in DEFAULT_SHAPES if s in SHAPES]
    repeats = args.repeats or (3 if args.quick else 5)
    spinner = Spinner()
    rows = []
    try:
        with blas_threads(args.blas_threads):
            print("\n".join(environment_lines()))
            load_kernel()
            for name in shapes:
                case = make_case(name, args.seed, args.quick)
                for alpha, task in (
                    (1.0, "lasso path"),
                    (ENET_ALPHA, f"enet path α={ENET_ALPHA:g}"),
                ):
                    print(f"{case.label}: {task}", file=sys.stderr, flush=True)
                    seconds = time_phases(sides(case, alpha), spinner, repeats)
                    rows.append(row(case.label, task, seconds))
    finally:
        spinner.close()
    print(f"one core kept busy by a spinning process; {repeats} runs per side and phase")
    print(format_table(HEADER, rows))
    print(f"load average at the end: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
