"""The dashboard's own speed, through Streamlit's AppTest (issue 6, "The dashboard's own speed").

    python bench/app.py [--rows 100000] [--cols 30] [--repeats 5] [--seed 0] [--no-profile]
    python bench/app.py --sessions 3 [--rows 20000 --cols 300]

Builds a seeded CSV in memory (numeric columns, two text columns, missing cells, a numeric
target) and drives the real app.py as tests/test_app.py does, timing the wall clock of
``at.run()`` calls ("script time"):

1. cold: a fresh AppTest and an empty ``st.cache_data``, the CSV uploaded on the Data page,
   then the switch to the Path page, until it is fully drawn (target ≤ 3 s for both runs);
2. a λ slider move on the Path page with data and path cached (≤ 150 ms), with no refit;
3. switching model Lasso → Ridge → Elastic net on the cached data set (≤ 1 s each), first
   with only the fits evicted (each switch computes its path), then with every path cached;
4. the peak resident memory (VmHWM, i.e. ``ru_maxrss`` without what Linux carries over
   from the parent) of a separate process that runs that session once, against
   3 × (the DataFrame's deep memory + the design arrays) + 300 MB.

Each timed run also says where its time went: the wall time spent inside a few functions
(reader, design, fit_path, the path's errors, cache reads and writes, chart drawing), summed
per run.  A step that misses its target gets one more run under cProfile (the script thread
AppTest starts and the calling thread), printed after the tables.  A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import gc
import json
import logging
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: regcore is not installed
    sys.path.insert(0, str(ROOT))
# Streamlit outside a server (importing cached functions, AppTest, clearing caches between runs)
# logs harmless warnings (no runtime, no script context); the app's failures come from at.exception.
logging.disable(logging.WARNING)

import streamlit as st  # noqa: E402
from streamlit.elements import vega_charts  # noqa: E402
from streamlit.runtime.caching import cache_data_api  # noqa: E402
from streamlit.testing.v1 import AppTest, local_script_runner  # noqa: E402

import regcore  # noqa: E402
import regcore.charts.path  # noqa: E402
from bench.common import environment_lines, format_table  # noqa: E402
from dashboard import loaders, show, views  # noqa: E402
from regcore.data import default_target, make_design, read_csv  # noqa: E402

APP = str(ROOT / "app.py")
RUN_TIMEOUT_S = 120
MB = 2**20
UPLOAD_MS, LAMBDA_MS, SWITCH_MS = 3000.0, 150.0, 1000.0
MEMORY_SLACK_MB, MEMORY_DATA_FACTOR = 300, 3
MODEL_ORDER = ("Lasso", "Ridge", "Elastic net")


# ---- the data -------------------------------------------------------------------------------


def build_csv(n_rows: int, n_cols: int, seed: int = 0) -> bytes:
    """A seeded CSV of ``n_cols`` columns: numbers, a 5-level and a 7-level text column, then y.

    Every fifth number column misses 2 % of its cells, the city 1 %, the target 0.1 %
    (those rows are dropped by the design).  y is sparse in the numbers plus a grade effect.
    """
    rng = np.random.default_rng(seed)
    n_numbers = max(1, n_cols - 3)
    numbers = rng.normal(size=(n_rows, n_numbers)) * rng.uniform(0.5, 20, n_numbers)
    frame = pd.DataFrame(numbers.round(4), columns=[f"x{j}" for j in range(n_numbers)])
    for j in range(0, n_numbers, 5):
        frame.iloc[rng.random(n_rows) < 0.02, j] = np.nan
    grade = rng.integers(0, 7, n_rows)
    frame["city"] = np.where(
        rng.random(n_rows) < 0.01,
        None,
        rng.choice(["Paris", "Berlin", "Rome", "Madrid", "Oslo"], n_rows),
    )
    frame["grade"] = np.array(list("ABCDEFG"))[grade]
    truth = np.zeros(n_numbers)
    truth[: min(5, n_numbers)] = [3.0, -2.0, 1.5, 1.0, -0.5][: min(5, n_numbers)]
    y = np.nan_to_num(numbers / numbers.std(axis=0)) @ truth + 0.3 * grade + rng.normal(size=n_rows)
    frame["y"] = np.where(rng.random(n_rows) < 0.001, np.nan, y.round(4))
    return frame.to_csv(index=False).encode()


def data_megabytes(data: bytes) -> dict[str, float]:
    """In-memory size of what the app holds for this CSV: the frame (deep) and the design arrays."""
    df, _ = read_csv(data)
    design = make_design(df, default_target(df))
    arrays = (design.X_train, design.X_test, design.y_train, design.y_test)
    return {
        "frame_mb": float(df.memory_usage(deep=True).sum()) / MB,
        "design_mb": sum(a.nbytes for a in arrays) / MB,
        "n_features": design.n_features,
    }


# ---- where the time goes ----------------------------------------------------------------------

#: label -> the (object, attribute) pairs whose calls are timed.  These labels are disjoint (no
#: label's function runs inside another's), so what they leave of a run is Streamlit's own work
#: (widgets, elements, the sidebar) and AppTest's.
COMPONENTS = {
    "read_csv": [(loaders, "read_csv")],
    "make_design": [(loaders, "make_design")],
    "fit_path": [(regcore, "fit_path")],
    "path errors": [(views, "path_view")],  # train and test MSE at every λ
    "cache reads": [(cache_data_api.DataCache, "read_result")],  # unpickling on every hit
    "cache writes": [(cache_data_api.DataCache, "write_result")],  # pickling on a miss
    "charts": [(show, "chart")],  # build + Altair to_dict + Arrow + the element
    "AppTest parse": [
        (local_script_runner, "parse_tree_from_messages")
    ],  # the harness, not the app
}
#: timed as well, but inside "charts": the Path page's chart builders, and Altair's to_dict
#: (with its JSON-schema validation) that st.altair_chart calls
CHART_PARTS = {
    "(build)": [
        (regcore.charts.path, name)
        for name in (
            "path_figure",
            "coefficient_bars_chart",
            "coefficient_paths_chart",
            "error_chart",
        )
        if hasattr(regcore.charts.path, name)
    ],
    "(to_dict)": [(vega_charts, "_convert_altair_to_vega_lite_spec")],
}


class Stopwatch:
    """Wall seconds spent inside named functions since ``reset``; keeps the last path fitted."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.depth: dict[str, int] = defaultdict(int)
        self.last_path = None

    def install(self) -> None:
        for label, places in (COMPONENTS | CHART_PARTS).items():
            for owner, name in places:
                setattr(owner, name, self._timed(label, getattr(owner, name)))

    def reset(self) -> None:
        self.seconds.clear()
        self.calls.clear()

    def _timed(self, label: str, real: Callable) -> Callable:
        @functools.wraps(real)
        def timed(*args, **kwargs):
            start = time.perf_counter()
            self.depth[label] += 1
            try:
                result = real(*args, **kwargs)
            finally:
                self.depth[label] -= 1
                if not self.depth[label]:  # a call inside a call of the same label counts once
                    self.seconds[label] += time.perf_counter() - start
                self.calls[label] += 1
            if label == "fit_path":
                self.last_path = result
            return result

        return timed


class RunProfiler:
    """cProfile of ``at.run()``: the calling thread and the script thread AppTest starts."""

    active: RunProfiler | None = None

    def __init__(self) -> None:
        self.caller, self.script = cProfile.Profile(), cProfile.Profile()

    @staticmethod
    def install() -> None:
        real = local_script_runner.LocalScriptRunner._run_script_thread

        def run_script_thread(runner):
            profiler = RunProfiler.active
            if profiler is None:
                return real(runner)
            profiler.script.enable()
            try:
                return real(runner)
            finally:
                profiler.script.disable()

        local_script_runner.LocalScriptRunner._run_script_thread = run_script_thread

    def __enter__(self) -> RunProfiler:
        RunProfiler.active = self
        self.caller.enable()
        return self

    def __exit__(self, *exc) -> None:
        self.caller.disable()
        RunProfiler.active = None

    def report(self, top: int = 12) -> list[str]:
        """Three lists: the repository's functions and the library calls they make, by
        cumulative time; then every function by own time.  The calling thread's waits for
        the script thread (sleep, lock) are left out; the stopwatch's wrappers (bench/) are
        seen through."""
        stats = pstats.Stats(self.caller)
        stats.add(self.script)
        rows, from_ours = [], []
        for (file, line, func), (_, calls, own, cumulative, callers) in stats.stats.items():
            if func in WAITS:
                continue
            row = (cumulative, own, calls, _where(file, line, func))
            rows.append(row)
            if (
                not _ours(row[3])
                and not _wrapper(row[3])
                and any(_ours(_where(*c)) or _wrapper(_where(*c)) for c in callers)
            ):
                from_ours.append(row)
        lines = []
        for title, chosen, key in (
            ("repository code", [r for r in rows if _ours(r[3])], 0),
            ("library calls made by repository code", from_ours, 0),
            ("anywhere, by own time", rows, 1),
        ):
            lines.append(f"  {'cumul. ms':>9}  {'own ms':>6}  {'calls':>6}  {title}")
            lines += [
                f"  {ct * 1e3:9.0f}  {tt * 1e3:6.0f}  {nc:6d}  {where}"
                for ct, tt, nc, where in sorted(chosen, key=lambda r: r[key], reverse=True)[:top]
            ]
        return lines


WAITS = {"<built-in method time.sleep>", "<method 'acquire' of '_thread.lock' objects>"}


def _where(file: str, line: int, func: str) -> str:
    for prefix in (str(ROOT) + os.sep, "site-packages" + os.sep):
        if prefix in file:
            file = file.split(prefix, 1)[1]
    return f"{file}:{line}({func})"


def _ours(where: str) -> bool:
    return where.startswith(("app_pages/", "dashboard/", "regcore/", "app.py"))


def _wrapper(where: str) -> bool:
    """The stopwatch's wrapper, which stands between repository code and what it calls."""
    return where.startswith("bench/") and where.endswith("(timed)")


# ---- driving the app --------------------------------------------------------------------------


@dataclass
class Sample:
    """One timed ``at.run()`` (or several, summed): wall seconds, time per component, fits."""

    seconds: float
    components: dict[str, float] = field(default_factory=dict)
    fits: int = 0

    def __add__(self, other: Sample) -> Sample:
        parts = {
            k: self.components.get(k, 0.0) + other.components.get(k, 0.0)
            for k in {*self.components, *other.components}
        }
        return Sample(self.seconds + other.seconds, parts, self.fits + other.fits)


def expect(condition: bool, failure: str) -> None:
    """Stop the benchmark when a run did not do what it was timed for."""
    if not condition:
        raise RuntimeError(failure)


class Session:
    """One AppTest of app.py with the stopwatch around its timed runs."""

    def __init__(self, watch: Stopwatch) -> None:
        self.watch = watch
        self.at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)

    def run(
        self, action: Callable[[AppTest], AppTest], profiler: RunProfiler | None = None
    ) -> Sample:
        """Time ``action(at)`` (which ends in ``.run()``) and refuse a run that failed."""
        gc.collect()
        self.watch.reset()
        start = time.perf_counter()
        if profiler is None:
            action(self.at)
        else:
            with profiler:
                action(self.at)
        took = time.perf_counter() - start
        shown = [e.value for e in [*self.at.exception, *self.at.error]]
        expect(not shown, f"the app failed: {shown}")
        return Sample(took, dict(self.watch.seconds), self.watch.calls.get("fit_path", 0))

    def open_data_page(self) -> None:
        self.at.run()
        self.run(lambda at: at.switch_page("app_pages/data.py").run())

    def upload(self, data: bytes, profiler=None) -> Sample:
        sample = self.run(
            lambda at: at.file_uploader(key="uploader").upload("bench.csv", data, "text/csv").run(),
            profiler,
        )
        expect(self.at.selectbox(key="sample").value == "Uploaded file", "the upload was not taken")
        return sample

    def to_path_page(self, profiler=None) -> Sample:
        sample = self.run(lambda at: at.switch_page("app_pages/path.py").run(), profiler)
        expect(len(self.at.get("vega_lite_chart")) == 1, "the Path page did not draw its figure")
        return sample

    def move_lambda(self, lam: float, profiler=None) -> Sample:
        sample = self.run(lambda at: at.select_slider(key="lam").set_value(lam).run(), profiler)
        expect(self.at.select_slider(key="lam").value == lam, "the λ slider did not move")
        return sample

    def switch_model(self, label: str, profiler=None) -> Sample:
        sample = self.run(lambda at: at.radio(key="model").set_value(label).run(), profiler)
        expect(self.at.title[0].value.startswith(label), f"the Path page does not show {label}")
        return sample

    def grid(self) -> np.ndarray:
        return np.asarray(self.watch.last_path.lambdas, dtype=float)


def lambda_targets(grid: np.ndarray, current: float, count: int) -> list[float]:
    """``count`` grid λ spread over the path, none equal to the one shown (every run is a move)."""
    picks = np.linspace(0, len(grid) - 1, count + 2).round().astype(int)[1:-1]
    out = [float(grid[i]) for i in picks]
    return [lam if lam != current else float(grid[0]) for lam in out]


# ---- the measured steps -----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """A row of the table: its name, its ceiling (0: none, a part of another row) and a note."""

    name: str
    target_ms: float
    note: str = ""


STEPS = [
    Step("upload run (Data page)", 0),
    Step("switch to Path run", 0),
    Step(
        "upload → Path drawn",
        UPLOAD_MS,
        "cold: fresh AppTest, st.cache_data and st.cache_resource cleared",
    ),
    Step("λ slider move", LAMBDA_MS, "data and path cached; no refit allowed"),
    Step("→ Ridge (first)", SWITCH_MS, "fits evicted, data cached"),
    Step("→ Elastic net (first)", SWITCH_MS, "fits evicted, data cached"),
    Step("→ Lasso (cached)", SWITCH_MS, "every path cached"),
    Step("→ Ridge (cached)", SWITCH_MS, "every path cached"),
    Step("→ Elastic net (cached)", SWITCH_MS, "every path cached"),
]

SWITCHES = [
    ("Ridge", "→ Ridge (first)"),
    ("Elastic net", "→ Elastic net (first)"),
    ("Lasso", "→ Lasso (cached)"),
    ("Ridge", "→ Ridge (cached)"),
    ("Elastic net", "→ Elastic net (cached)"),
]


def cold_upload(
    watch: Stopwatch, data: bytes, repeats: int, profilers: dict
) -> tuple[dict, Session]:
    """Fresh AppTest and empty caches; upload on the Data page, then the Path page."""
    out = defaultdict(list)
    for _ in range(repeats):
        st.cache_data.clear()
        st.cache_resource.clear()  # the table, design and chart layers are shared resources
        session = Session(watch)
        session.open_data_page()
        whole = profilers.get("upload → Path drawn")
        upload, path = session.upload(data, whole), session.to_path_page(whole)
        out["upload run (Data page)"].append(upload)
        out["switch to Path run"].append(path)
        out["upload → Path drawn"].append(upload + path)
    return out, session


def lambda_moves(session: Session, repeats: int, profilers: dict) -> dict:
    shown = session.at.select_slider(key="lam").value
    return {
        "λ slider move": [
            session.move_lambda(lam, profilers.get("λ slider move"))
            for lam in lambda_targets(session.grid(), shown, repeats)
        ]
    }


def model_switches(session: Session, repeats: int, profilers: dict) -> dict:
    """Per repeat: evict the fits, show Lasso, then Ridge and Elastic net (first), then all three again."""
    out = defaultdict(list)
    for _ in range(repeats):
        loaders.fit_path_view.clear()
        session.switch_model("Lasso")
        for label, name in SWITCHES:
            out[name].append(session.switch_model(label, profilers.get(name)))
    return out


def measure(watch: Stopwatch, data: bytes, repeats: int, profilers: dict | None = None) -> dict:
    """step name -> samples for every step; ``profilers`` (step name -> RunProfiler) profile those steps."""
    profilers = profilers or {}
    results, session = cold_upload(watch, data, repeats, profilers)
    results |= lambda_moves(session, repeats, profilers)
    results |= model_switches(session, repeats, profilers)
    return results


# ---- sessions side by side: the BLAS cap ------------------------------------------------------


def session_work(X: np.ndarray, y: np.ndarray, k: int) -> None:
    """What a session computes on a new data set: the lasso path and its K-fold CV."""
    grid = regcore.fit_path(X, y).lambdas
    regcore.cross_validate(X, y, k=k, lambdas=grid)


def side_by_side(n_sessions: int, X: np.ndarray, y: np.ndarray, k: int) -> float:
    """Wall seconds for ``n_sessions`` threads each doing ``session_work`` at once."""
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(n_sessions) as pool:
        for future in [pool.submit(session_work, X, y, k) for _ in range(n_sessions)]:
            future.result()
    return time.perf_counter() - started


def sessions_rows(n_sessions: int, rows: int, cols: int, repeats: int) -> list[list[str]]:
    """Per BLAS policy: one session alone, ``n_sessions`` at once, and their ratio (median s)."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    X = rng.normal(size=(rows, cols)) + 0.3 * rng.normal(size=(rows, 1))
    y = X[:, :10] @ rng.normal(size=10) + rng.normal(size=rows)
    session_work(X[:500], y[:500], 3)  # compile the kernels outside the timings
    cores = os.cpu_count() or 1
    out = []
    for policy, limit in ((f"uncapped ({cores} BLAS threads)", cores), ("dashboard: 1 thread", 1)):
        with threadpool_limits(limits=limit, user_api="blas"):
            alone = statistics.median(side_by_side(1, X, y, 5) for _ in range(repeats))
            together = statistics.median(side_by_side(n_sessions, X, y, 5) for _ in range(repeats))
        ideal = max(1.0, n_sessions / cores)
        out.append(
            [
                policy,
                f"{alone:.2f}",
                f"{together:.2f}",
                f"{together / alone:.2f}",
                f"{ideal:.2f}",
            ]
        )
    return out


# ---- memory: one session in a process of its own ----------------------------------------------


def _proc_status_mb(field_name: str) -> float | None:
    """A memory line of /proc/self/status (Linux) in MB, or None where there is none."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_mb() -> float:
    """The peak resident set of this process in MB.

    VmHWM where Linux has it: ``ru_maxrss`` is the same high-water mark, but on Linux it
    keeps the parent's resident set across fork + exec, so a child started by a big parent
    would report the parent.  Elsewhere ``ru_maxrss`` (kilobytes; bytes on macOS).
    """
    hwm = _proc_status_mb("VmHWM")
    if hwm is not None:
        return hwm
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / MB if sys.platform == "darwin" else peak / 1024


def cached_mb() -> float:
    """What st.cache_data holds, in MB: its entries are pickles (Streamlit's own cache stats)."""
    stats = cache_data_api._data_caches.get_stats()
    return sum(stat.byte_length for family in stats.values() for stat in family) / MB


def copies_held(size: int) -> int:
    """How many distinct bytes objects of exactly ``size`` bytes live objects refer to: the
    upload's copies (its bytes are not tracked by the collector; their holders are)."""
    seen = {
        id(ref)
        for holder in gc.get_objects()
        for ref in gc.get_referents(holder)
        if isinstance(ref, bytes | bytearray) and len(ref) == size
    }
    return len(seen)


def memory_session(csv_path: str) -> dict:
    """Run one user's session (upload, Path, two λ moves, three models) and note the memory.

    Runs in a process of its own (``--memory-child``) so that the timing runs, and the
    DataFrame that built the CSV, do not count.  The data sizes are measured after the peak
    was read.
    """
    stages = []

    def mark(stage: str) -> None:
        stages.append((stage, peak_mb(), _proc_status_mb("VmRSS"), cached_mb()))

    data = Path(csv_path).read_bytes()
    watch = Stopwatch()
    watch.install()
    mark("imports and the CSV bytes")
    session = Session(watch)
    session.open_data_page()
    mark("app opened, Data page")
    session.upload(data)
    mark("CSV uploaded (Data page)")
    copies = copies_held(len(data))
    session.to_path_page()
    mark("Path page drawn (Lasso)")
    for lam in lambda_targets(session.grid(), session.at.select_slider(key="lam").value, 2):
        session.move_lambda(lam)
    mark("λ moved twice")
    for label in (*MODEL_ORDER[1:], MODEL_ORDER[0]):
        session.switch_model(label)
        mark(f"→ {label}")
    return {"stages": stages, "peak_mb": peak_mb(), "copies": copies, **data_megabytes(data)}


def run_memory_child(data: bytes) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        csv = Path(folder) / "bench.csv"
        csv.write_bytes(data)
        done = subprocess.run(
            [sys.executable, __file__, "--memory-child", str(csv)],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the memory run failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---- the report -------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:.0f}"


def timing_rows(results: dict) -> tuple[list[list[str]], list[str]]:
    """The table rows, and the names of the steps that missed their target."""
    rows, missed = [], []
    for step in STEPS:
        seconds = [s.seconds for s in results[step.name]]
        fits = sorted({s.fits for s in results[step.name]})
        median = statistics.median(seconds)
        verdict = "-"
        if step.target_ms:
            refit = step.name == "λ slider move" and fits != [0]
            verdict = (
                "PASS"
                if median * 1e3 <= step.target_ms and not refit
                else "MISS" + (" (refit)" if refit else "")
            )
            if verdict != "PASS":
                missed.append(step.name)
        rows.append(
            [
                step.name,
                str(len(seconds)),
                _ms(median),
                _ms(min(seconds)),
                _ms(max(seconds)),
                f"{step.target_ms:.0f}" if step.target_ms else "-",
                verdict,
                "/".join(map(str, fits)),
                step.note,
            ]
        )
    return rows, missed


def component_rows(results: dict) -> tuple[list[str], list[list[str]]]:
    """Median ms per run spent in each timed component, and what is left (Streamlit's own work)."""
    labels = list(COMPONENTS)
    columns = [
        *labels[: labels.index("charts") + 1],
        *CHART_PARTS,
        *labels[labels.index("charts") + 1 :],
    ]
    rows = []
    for step in STEPS:
        samples = results[step.name]
        parts = [
            lambda s: s.seconds,
            *(lambda s, k=k: s.components.get(k, 0.0) for k in columns),
            lambda s: s.seconds - sum(s.components.get(k, 0.0) for k in labels),
        ]
        rows.append(
            [step.name, *(_ms(statistics.median(part(s) for s in samples)) for part in parts)]
        )
    return ["step", "total", *columns, "other"], rows


def memory_lines(memory: dict) -> list[str]:
    data_mb = memory["frame_mb"] + memory["design_mb"]
    target = MEMORY_DATA_FACTOR * data_mb + MEMORY_SLACK_MB
    verdict = "PASS" if memory["peak_mb"] <= target else "MISS"
    rows = [
        [stage, f"{peak:.0f}", "-" if now is None else f"{now:.0f}", f"{cached:.0f}"]
        for stage, peak, now, cached in memory["stages"]
    ]
    before_data = memory["stages"][1][1]  # the app opened on a small sample, the CSV bytes in hand
    return [
        "Peak memory: the peak resident set (VmHWM, Linux's per-process ru_maxrss) of the whole process "
        "(interpreter, Streamlit, numpy, BLAS), for one session run in a process of its own (--memory-child) "
        "so that the timing runs do not count.",
        format_table(["after", "peak RSS MB", "RSS now MB", "st.cache_data MB"], rows),
        f"data in memory: DataFrame {memory['frame_mb']:.1f} MB (memory_usage deep) + design arrays "
        f"{memory['design_mb']:.1f} MB ({memory['n_features']} features) = {data_mb:.1f} MB",
        f"peak {memory['peak_mb']:.0f} MB  vs  target {MEMORY_DATA_FACTOR} × {data_mb:.1f} + {MEMORY_SLACK_MB} "
        f"= {target:.0f} MB  ->  {verdict}",
        f"of which before the upload (interpreter, libraries, app on a sample, the CSV bytes) {before_data:.0f} MB; "
        f"the upload and what followed added {memory['peak_mb'] - before_data:.0f} MB "
        f"= {(memory['peak_mb'] - before_data) / data_mb:.1f} × the data",
        f"the upload's bytes after the upload: {memory['copies']} distinct object(s) of that size "
        "(the uploader's record and the session's Source share one; target 1)",
    ]


def version_line() -> str:
    import altair

    return f"streamlit {st.__version__}, pandas {pd.__version__}, altair {altair.__version__}"


def progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--cols", type=int, default=30)
    parser.add_argument(
        "--repeats", type=int, default=5, help="timed runs per step (the median is reported)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--no-profile",
        dest="profile",
        action="store_false",
        help="skip the cProfile rerun of the steps that miss their target",
    )
    parser.add_argument(
        "--sessions",
        type=int,
        default=0,
        metavar="N",
        help="only measure N sessions computing at once, BLAS capped or not (--rows × --cols)",
    )
    parser.add_argument("--memory-child", metavar="CSV", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.sessions:
        progress(f"{args.sessions} sessions side by side on {args.rows} × {args.cols}…")
        rows = sessions_rows(args.sessions, args.rows, args.cols, args.repeats)
        print(
            f"{args.sessions} sessions at once (lasso path + 5-fold CV each), {os.cpu_count()} cores"
        )
        print(*environment_lines(), sep="\n")
        print(
            format_table(
                ["BLAS policy", "1 session s", f"{args.sessions} at once s", "ratio", "ideal"], rows
            )
        )
        return
    if args.memory_child:
        print(json.dumps(memory_session(args.memory_child)))
        return

    load_before = os.getloadavg()
    started = time.perf_counter()
    data = build_csv(args.rows, args.cols, args.seed)
    progress(
        f"CSV {args.rows} × {args.cols}: {len(data) / MB:.1f} MB; memory run in a child process…"
    )
    memory = run_memory_child(data)
    watch = Stopwatch()
    watch.install()
    RunProfiler.install()
    progress(f"timing {args.repeats} runs per step…")
    results = measure(watch, data, args.repeats)
    rows, missed = timing_rows(results)
    profilers = {}
    if missed and args.profile:
        progress(f"profiling one more run of: {', '.join(missed)}…")
        profilers = {name: RunProfiler() for name in missed}
        measure(watch, data, 1, profilers)

    print("The dashboard's own speed (bench/app.py): script time = wall time of AppTest's at.run()")
    print(version_line())
    print(*environment_lines(), sep="\n")
    print(
        f"data: {args.rows} rows × {args.cols} columns, CSV {len(data) / MB:.1f} MB, seed {args.seed}; "
        f"{args.repeats} timed runs per step; load average before {' '.join(f'{v:.2f}' for v in load_before)}, "
        f"after {' '.join(f'{v:.2f}' for v in os.getloadavg())}; {time.perf_counter() - started:.0f} s in all"
    )
    print()
    print(
        format_table(
            [
                "step",
                "runs",
                "median ms",
                "min ms",
                "max ms",
                "target ms",
                "verdict",
                "fit_path calls",
                "note",
            ],
            rows,
        )
    )
    print()
    print(
        "Where the script time goes (median ms per run spent inside each function; (build) and (to_dict) are "
        "parts of charts; 'other' is the rest: the pages' own code, Streamlit's widgets and elements):"
    )
    print(format_table(*component_rows(results)))
    print()
    print(*memory_lines(memory), sep="\n")
    for name, profiler in profilers.items():
        print(
            f"\ncProfile of one more run of '{name}' (profiling slows Python code: read shares, not times):"
        )
        print(*profiler.report(), sep="\n")


if __name__ == "__main__":
    main()
