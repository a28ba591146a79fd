"""Streaming a large CSV into moments (issue 20): memory, time against pandas, exactness.

Generates an n × 10 numeric CSV (9 features, then y; 5 000 000 rows is about 500 MB) in a
temporary folder, then measures, each side in a fresh Python process (interleaved, medians):

- plain:   one ``pandas.read_csv`` of the whole file
- stream:  ``regcore.moments.from_csv(path, target="y", chunk_rows=...)``

(after one stream of a tiny file, so that the compiled number parser is cached, as it is
after its first use on a machine) and prints the time ratio stream / plain (target ≤ 1.5),
the CPU-time ratio (steadier on a busy machine; both sides spread over the cores), the
ratio of the two sides' lower bounds on two free cores (a side's main-thread CPU or half its
CPU, whichever is larger: on a loaded machine the time ratio says little) and each side's
peak RSS (target for the stream ≤ 300 MB; the Python, numpy, pandas and numba imports
alone are shown too), each with PASS or MISS.  Then, in this process:

- the path from the streamed moments against ``fit_path`` on the same training rows in
  memory: the largest relative objective difference over the λ grid (target ≤ 1e-10);
- the chunks' moments merged in shuffled orders: the largest relative difference from the
  file order (target ≤ 1e-12);
- ``from_dask`` on a local ``distributed`` cluster with 2 workers: the path against the
  in-memory one (target ≤ 1e-10), and its time against plain.

    python bench/stream.py                       # the full run: 5 000 000 rows
    python bench/stream.py --rows 300000         # smoke test, seconds
    python bench/stream.py --no-dask --repeats 1

Results go to stdout, progress to stderr.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: regcore is not installed
    sys.path.insert(0, str(ROOT))

from regcore.moments import Moments, from_dask, groups_of  # noqa: E402
from regcore.path import fit_path  # noqa: E402

FEATURES = 9
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
import numpy, pandas
import regcore.moments.stream, regcore.path


def high_water():  # this process's peak RSS in MB (ru_maxrss would count the parent's before exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024


base = high_water()
t, cpu, main = time.perf_counter(), time.process_time(), time.thread_time()
if {side!r} == "plain":
    pandas.read_csv({path!r})
else:
    regcore.moments.stream.from_csv({path!r}, target="y", chunk_rows={chunk}).save({out!r})
t, cpu, main = time.perf_counter() - t, time.process_time() - cpu, time.thread_time() - main
print(json.dumps(dict(seconds=t, cpu=cpu, main=main, base_mb=base, peak_mb=high_water())))
"""


def generate(path: Path, rows: int, seed: int = 0, block: int = 500_000) -> None:
    """Columns at different offsets and scales, a linear target with noise."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=FEATURES)
    offsets = rng.uniform(-50, 50, FEATURES)
    scales = rng.uniform(0.5, 5.0, FEATURES)
    with open(path, "w") as fh:
        for start in range(0, rows, block):
            n = min(block, rows - start)
            X = rng.normal(size=(n, FEATURES)) * scales + offsets
            y = X @ w + rng.normal(size=n)
            frame = pd.DataFrame(
                np.column_stack([X, y]), columns=[*map("x{}".format, range(FEATURES)), "y"]
            )
            frame.to_csv(fh, index=False, header=start == 0, float_format="%.6f")


def child(side: str, path: Path, chunk: int, out: Path) -> dict:
    code = CHILD.format(root=str(ROOT), side=side, path=str(path), chunk=chunk, out=str(out))
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def rel(a, b) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=5_000_000)
    ap.add_argument("--chunk-rows", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--no-dask", action="store_true")
    ap.add_argument("--keep", help="generate into (and keep) this folder")
    args = ap.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="regcore-stream-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        run(args, folder)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def run(args, folder: Path) -> None:
    path, saved = folder / "big.csv", folder / "m.npz"
    if not path.exists():
        print(f"generating {args.rows:,} rows in {path} …", file=sys.stderr)
        generate(path, args.rows)
    size_mb = path.stat().st_size / 1e6
    warm = folder / "warm.csv"  # the number parser compiles once per install, not per run
    generate(warm, 1000)
    child("stream", warm, args.chunk_rows, saved)
    sides: dict[str, list[dict]] = {"plain": [], "stream": []}
    for r in range(args.repeats):
        for side in sides:
            print(f"run {r + 1}: {side} …", file=sys.stderr)
            sides[side].append(child(side, path, args.chunk_rows, saved))
    med = {s: statistics.median(x["seconds"] for x in v) for s, v in sides.items()}
    cpu = {s: statistics.median(x["cpu"] for x in v) for s, v in sides.items()}
    main_cpu = {s: statistics.median(x["main"] for x in v) for s, v in sides.items()}
    peak = {s: max(x["peak_mb"] for x in v) for s, v in sides.items()}
    base = {s: min(x["base_mb"] for x in v) for s, v in sides.items()}
    print(
        f"{args.rows:,} × {FEATURES + 1} CSV, {size_mb:,.0f} MB; chunks of {args.chunk_rows:,} rows"
    )
    print(
        f"{'side':<8}{'median s':>10}{'CPU s':>8}{'main thread CPU s':>19}"
        f"{'peak RSS MB':>13}{'after imports MB':>18}"
    )
    for s in sides:
        print(
            f"{s:<8}{med[s]:>10.2f}{cpu[s]:>8.2f}{main_cpu[s]:>19.2f}"
            f"{peak[s]:>13.0f}{base[s]:>18.0f}"
        )
    ratio = med["stream"] / med["plain"]
    print(f"time stream / plain: {ratio:.2f}  (target ≤ 1.5)  {verdict(ratio <= 1.5)}")
    print(f"CPU stream / plain: {cpu['stream'] / cpu['plain']:.2f}  (both use every core)")
    bound = {s: max(main_cpu[s], cpu[s] / 2) for s in sides}
    floor = bound["stream"] / bound["plain"]
    print(
        f"lower bounds on 2 free cores, max(main thread CPU, CPU / 2), stream / plain: {floor:.2f}"
    )
    print(
        f"stream peak RSS: {peak['stream']:.0f} MB  (target ≤ 300)  {verdict(peak['stream'] <= 300)}"
    )

    m = Moments.load(saved)
    frame = pd.read_csv(path)
    X, y = frame.drop(columns="y").to_numpy(), frame["y"].to_numpy()
    groups = groups_of(np.arange(len(y)), m.k, m.seed, m.test_fraction)
    train = groups < m.k
    memory = fit_path(X[train], y[train])
    streamed = fit_path(moments=m)
    diff = rel(streamed.objective, memory.objective)
    print(
        f"path, streamed vs in memory: max relative objective difference "
        f"{diff:.2e}  (target ≤ 1e-10)  {verdict(diff <= 1e-10)}"
    )

    starts = range(0, len(y), args.chunk_rows)
    parts = [
        Moments.of_rows(
            X[s : s + args.chunk_rows],
            y[s : s + args.chunk_rows],
            groups[s : s + args.chunk_rows],
            m.k,
            shift=X[0],
            y_shift=y[0],
        )
        for s in starts
    ]
    in_order = merged(parts)
    worst = 0.0
    for seed in range(3):
        order = np.random.default_rng(seed).permutation(len(parts))
        other = merged([parts[i] for i in order])
        worst = max(
            worst,
            *(rel(getattr(other, f), getattr(in_order, f)) for f in ("n", "Sxx", "Sxy", "Syy")),
            rel(other.mean + other.shift, in_order.mean + in_order.shift),
        )
    print(
        f"shuffled chunk orders (3): max relative moment difference {worst:.2e}  "
        f"(target ≤ 1e-12)  {verdict(worst <= 1e-12)}"
    )
    del frame, X, y

    if not args.no_dask:
        dask_run(path, memory, med["plain"])


def verdict(met: bool) -> str:
    return "PASS" if met else "MISS"


def merged(parts: list) -> Moments:
    out = parts[0]
    for part in parts[1:]:
        out = out.merge(part)
    return out


def dask_run(path: Path, memory, plain_seconds: float) -> None:
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        Client(cluster),
    ):
        t = time.perf_counter()
        m = from_dask(dd.read_csv(path, blocksize="64MB"), "y")
        seconds = time.perf_counter() - t
    diff = rel(fit_path(moments=m).objective, memory.objective)
    print(
        f"from_dask, 2 workers: {seconds:.2f} s ({seconds / plain_seconds:.2f} × plain); "
        f"path vs in memory {diff:.2e}  (target ≤ 1e-10)  {verdict(diff <= 1e-10)}"
    )


if __name__ == "__main__":
    main()
