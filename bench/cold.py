"""Cold start: the numba kernels' first-call compile, and the dashboard's first chart.

    python bench/cold.py                  # all three parts
    python bench/cold.py --part compile   # (a) only: no browser needed
    python bench/cold.py --part app --repeats 2
    python bench/cold.py --part app --against main   # and a copy of main, interleaved
    python bench/cold.py --part profile   # (c) what the first chart waits for
    python bench/cold.py --part route --repeats 2   # (d) the kernel's first call, four ways

(a) **compile**: a fresh Python process with an empty ``NUMBA_CACHE_DIR`` imports regcore and
runs ``regcore.warmup.touch()`` (small fits that reach every kernel ``fit_path`` and
``cross_validate`` use, both families); numba's own compile events give the seconds spent
compiling, and the first round's time minus the same round's again in that process gives
what the first calls cost beyond their work (compile or cache load).  Then a second fresh
process with the same, now warm, cache.  Targets (issue 14): ≤ 3 s cold, ≈ 0 warm.

(b) **app**: the repository's tracked files (``git archive``) in a temporary folder (a fresh clone: no
``__pycache__``, empty numba cache), ``streamlit run app.py`` started there and Chromium
(``/usr/bin/chromium`` through playwright, launched beforehand) opening ``/`` as soon as the
server is healthy; the time runs from the server's launch until the Path page's first chart
(a ``stVegaLiteChart``) is visible; the notes give when the server was healthy, the tab's
websocket opened and the chart entered the page.  Cold, then again on the same copy with its
caches warm.  Targets: ≤ 6 s cold, ≤ 3 s warm.  ``--against REF`` runs the same on a copy of
commit REF (``git archive``) after each copy of this tree, so both share the machine's noise.

(c) **profile**: what the Path page's first run waits for: the import seconds of app.py's and
the Path page's modules per top-level package (``python -X importtime``, self times summed),
then the page's own work on the default sample (design, lasso path by the exact strategies and
by the kernel, the 10-fold CV behind the default λ_1se), in a fresh process on an empty numba
cache, then in another on the cache it filled.

(d) **route**: the first chart's fits alone (the default sample's lasso path and the 10-fold
CV behind λ_1se) in a fresh process on an empty numba cache, then on the cache it filled,
four ways: as the library does it (``route``: the kernel's Python twin while a low-priority
process compiles the kernel), the same with the compile in a thread (``thread``), waiting
for the compiled kernel (``compiled``, the library before the twin) and the twin alone
(``twin``).  See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import format_table  # noqa: E402

TARGETS = {"compile cold": 3.0, "compile warm": 0.1, "app cold": 6.0, "app warm": 3.0}
CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT_S = 120
CHART = '[data-testid="stVegaLiteChart"]'

# run in a fresh process: prints one JSON line
CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import numpy as np
from numba.core import event
import regcore
from regcore.warmup import touch  # every kernel fit_path and cross_validate reach
t_import = time.perf_counter() - t0

with event.install_recorder("numba:compile") as rec:
    t = time.perf_counter(); touch(); first = time.perf_counter() - t
t = time.perf_counter(); touch(); again = time.perf_counter() - t
# compile events nest (a kernel compiles the kernels it calls): the union of their intervals
starts, spans = {}, []
for ts, ev in rec.buffer:
    key = id(ev.data.get("dispatcher")), str(ev.data.get("args"))
    if ev.is_start:
        starts[key] = ts
    elif key in starts:
        spans.append((starts.pop(key), ts))
compiled, end = 0.0, float("-inf")
for lo, hi in sorted(spans):
    compiled += max(0.0, hi - max(lo, end))
    end = max(end, hi)
count = len(spans)
print(json.dumps({"import": t_import, "first": first, "again": again,
                  "compile": compiled, "compiled": count}))
"""


def run_child(cache_dir: str) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def compile_rows() -> list[list[str]]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        for label in ("compile cold", "compile warm"):
            print(f"{label}…", file=sys.stderr, flush=True)
            r = run_child(cache)
            extra = r["first"] - r["again"]
            rows.append(
                [
                    label,
                    f"{r['compile']:.2f}",
                    f"{extra:.2f}",
                    f"{r['import']:.2f}",
                    f"{TARGETS[label]:g}",
                    "PASS" if r["compile"] <= TARGETS[label] else "MISS",
                    f"{r['compiled']} compilations; first round {r['first']:.2f} s, again {r['again']:.2f} s",
                ]
            )
    return rows


def fresh_copy(dest: Path, ref: str | None = None) -> Path:
    """The repository's tracked files under dest (no caches), from ``git archive`` of commit
    ``ref``, or of the working tree's tracked files as they are (``git stash create``; HEAD
    when nothing changed).  Both sides of a comparison come the same way: a plain file copy of
    the working tree (``shutil.copy2``) started the same app 1.5–3 s slower than an archive
    of the same commit, in every alternated pair."""
    if ref is None:
        ref = git("stash", "create").strip() or "HEAD"
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds the process has used so far (Linux ``/proc``; else NaN)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def first_chart_seconds(browser, repo: Path, cache_dir: str) -> dict[str, float]:
    """Seconds from ``streamlit run`` to: a healthy server ("healthy"), the tab's websocket
    ("connected"), the first chart in the page ("attached") and visible ("chart"); and the
    CPU seconds the server had used by then ("server cpu": on a busy machine the wall times
    swing by seconds, the server's own work much less)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "NUMBA_CACHE_DIR": cache_dir}
    context = browser.new_context()
    page = context.new_page()
    marks: dict[str, float] = {}
    start = time.perf_counter()
    page.on("websocket", lambda _: marks.setdefault("connected", time.perf_counter() - start))
    proc = subprocess.Popen(
        command,
        cwd=repo,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while not healthy(url):
            if proc.poll() is not None or time.perf_counter() - start > START_TIMEOUT_S:
                raise RuntimeError("streamlit run app.py did not become healthy")
            time.sleep(0.05)
        marks["healthy"] = time.perf_counter() - start
        page.goto(url)
        chart = page.locator(CHART).first
        chart.wait_for(state="attached", timeout=1000 * START_TIMEOUT_S)
        marks["attached"] = time.perf_counter() - start
        chart.wait_for(state="visible", timeout=1000 * START_TIMEOUT_S)
        marks["chart"] = time.perf_counter() - start
        marks["server cpu"] = cpu_seconds(proc.pid)
        # the kernel may still be compiling behind the chart (its Python twin drew it): the
        # warm run that follows needs the cache filled, as a server left running fills it
        deadline = time.perf_counter() + START_TIMEOUT_S
        while not any(Path(cache_dir).rglob("kernel.cd_path-*.nbi")):
            if time.perf_counter() > deadline:
                break
            time.sleep(0.2)
        return marks
    finally:
        context.close()
        os.killpg(proc.pid, signal.SIGTERM)  # the server's group: its warm-up process too
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def app_rows(repeats: int, against: str | None = None) -> list[list[str]]:
    """Cold then warm first chart on fresh copies of this tree and, interleaved, of the commit
    ``against`` (same browser, same minutes: its rows are the peer for the ratios; which goes
    first alternates, since the first of a pair measured up to 1.5× slower)."""
    from playwright.sync_api import sync_playwright

    trees = [("this tree", None)] + ([(against, against)] if against else [])
    rows = []
    with (
        tempfile.TemporaryDirectory(prefix="regcore-clone-") as clone,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for attempt in range(repeats):  # the first tree of a pair runs slower: alternate
                for name, ref in trees if attempt % 2 == 0 else trees[::-1]:
                    repo = fresh_copy(Path(clone) / f"copy{attempt}-{len(rows)}", ref)
                    with tempfile.TemporaryDirectory(prefix="numba-cache-") as empty:
                        for label in ("app cold", "app warm"):  # warm: the same copy and cache
                            print(f"{label}, {name} ({attempt + 1}/{repeats})…", file=sys.stderr)
                            m = first_chart_seconds(browser, repo, empty)
                            rows.append(
                                [
                                    label if ref is None else f"{label} ({name})",
                                    f"{m['chart']:.2f}",
                                    "",
                                    "",
                                    f"{TARGETS[label]:g}",
                                    "PASS" if m["chart"] <= TARGETS[label] else "MISS",
                                    f"healthy {m['healthy']:.2f} s, tab connected "
                                    f"{m.get('connected', float('nan')):.2f} s, chart in the "
                                    f"page {m['attached']:.2f} s; server CPU "
                                    f"{m['server cpu']:.2f} s",
                                ]
                            )
        finally:
            browser.close()
    return rows


# what the Path page's first run imports and computes, timed in a fresh process
PROFILE_CHILD = r"""
import json, time
from regcore.data import default_target, make_design, read_csv, varying_columns
from regcore.datasets import SAMPLES, sample_bytes
import regcore
t = time.perf_counter()
df, _ = read_csv(sample_bytes(next(iter(SAMPLES))))
design = make_design(df, default_target(df, varying_columns(df)), None, test_fraction=0.25, seed=0)
t_design = time.perf_counter() - t
t = time.perf_counter()
exact = regcore.fit_path(design.X_train, design.y_train, "lasso", method="exact")
t_exact = time.perf_counter() - t
t = time.perf_counter()
path = regcore.fit_path(design.X_train, design.y_train, "lasso")
t_path = time.perf_counter() - t
t = time.perf_counter()
regcore.cross_validate(design.X_train, design.y_train, "lasso", k=10, lambdas=path.lambdas)
t_cv = time.perf_counter() - t
print(json.dumps({"read the sample and make its design": t_design,
                  "lasso path, exact strategies (numpy, no kernel)": t_exact,
                  "lasso path, kernel (its first call)": t_path,
                  "10-fold CV (the default λ_1se)": t_cv}))
"""
IMPORTS = "import streamlit, dashboard.loaders, dashboard.path_figure, dashboard.sidebar"


def profile_rows() -> list[list[str]]:
    """Import seconds per top-level package (``-X importtime``, self times summed) for what
    app.py and the Path page import, then the Path page's own work on the default sample."""
    with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", IMPORTS],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        by_package: dict[str, float] = {}
        for line in out.stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            self_us, _, name = (part.strip() for part in line[len("import time:") :].split("|"))
            top = name.split(".")[0]
            by_package[top] = by_package.get(top, 0.0) + int(self_us) / 1e6
        works = {  # the first run fills the (empty) cache, the second loads from it
            cache_state: json.loads(
                subprocess.run(
                    [sys.executable, "-c", PROFILE_CHILD],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            for cache_state in ("cold cache", "warm cache")
        }
    total = sum(by_package.values())
    rows = [["import: all", f"{total:.2f}", "", "", "", "", "app.py + the Path page's modules"]]
    for name, sec in sorted(by_package.items(), key=lambda kv: -kv[1])[:8]:
        rows.append([f"import: {name}", f"{sec:.2f}", "", "", "", "", ""])
    for cache_state, work in works.items():
        for what, sec in work.items():
            rows.append([f"work: {what}", f"{sec:.3f}", "", "", "", "", cache_state])
    return rows


# the first chart's fits (the default sample's lasso path and the 10-fold CV behind λ_1se)
# in a fresh process, by one way of meeting the kernel's first call (sys.argv[1]):
# "route" as the library does it (the twin while the compile runs in another process),
# "thread" the same with the compile in a thread of this process, "compiled" waiting for the
# compiled kernel (the library before the twin), "twin" the Python twin alone
ROUTE_CHILD = r"""
import json, sys, time
import regcore
from regcore.data import default_target, make_design, read_csv, varying_columns
from regcore.datasets import SAMPLES, sample_bytes
from regcore.solvers import kernel

variant = sys.argv[1]
if variant == "compiled":
    kernel.python_route = lambda n, p, k: False
elif variant == "twin":
    kernel.python_route = lambda n, p, k: True
elif variant == "thread":
    kernel._load_quietly = kernel.load
df, _ = read_csv(sample_bytes(next(iter(SAMPLES))))
design = make_design(df, default_target(df, varying_columns(df)), None, test_fraction=0.25, seed=0)
X, y = design.X_train, design.y_train
t = time.perf_counter()
path = regcore.fit_path(X, y, "lasso")
t_path = time.perf_counter() - t
regcore.cross_validate(X, y, "lasso", k=10, lambdas=path.lambdas)
t_all = time.perf_counter() - t
for thread in kernel._loader:  # the background compile ends before the warm run starts
    thread.join()
print(json.dumps({"path": t_path, "all": t_all, "gap": float(path.gap.max() / path.yy)
                  if hasattr(path, "yy") else float(path.gap.max())}))
"""
ROUTES = ("route", "thread", "compiled", "twin")


def route_rows(repeats: int) -> list[list[str]]:
    """The first chart's fits per way of meeting the kernel's first call (``ROUTE_CHILD``),
    on an empty numba cache, then on the cache that run filled; the order of the ways
    rotates per repeat."""
    times: dict[tuple[str, str], list[float]] = {}
    for attempt in range(repeats):
        order = ROUTES[attempt % len(ROUTES) :] + ROUTES[: attempt % len(ROUTES)]
        for variant in order:
            with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
                env = {**os.environ, "NUMBA_CACHE_DIR": cache, "PYTHONDONTWRITEBYTECODE": "1"}
                for state in ("cold", "warm"):
                    print(f"route {variant} {state} ({attempt + 1}/{repeats})…", file=sys.stderr)
                    out = subprocess.run(
                        [sys.executable, "-c", ROUTE_CHILD, variant],
                        cwd=ROOT,
                        env=env,
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    r = json.loads(out.stdout.strip().splitlines()[-1])
                    times.setdefault((variant, state), []).append(r["all"])
                    times.setdefault((variant, state + " path"), []).append(r["path"])
    rows = []
    for (variant, state), values in times.items():
        if state.endswith("path"):
            continue
        paths = times[(variant, state + " path")]
        rows.append(
            [
                f"fits {state}: {variant}",
                " ".join(f"{v:.2f}" for v in values),
                "",
                "",
                "",
                "",
                "path alone " + " ".join(f"{v:.2f}" for v in paths) + " s",
            ]
        )
    return sorted(rows)


HEADER = ["what", "seconds", "first − again s", "import s", "target s", "verdict", "notes"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--part", choices=["compile", "app", "profile", "route", "all"], default="all"
    )
    parser.add_argument("--repeats", type=int, default=1, help="fresh copies for the app part")
    parser.add_argument(
        "--against", metavar="REF", help="app part: also a fresh copy of this commit, interleaved"
    )
    args = parser.parse_args(argv)
    rows = []
    if args.part in ("compile", "all"):
        rows += compile_rows()
    if args.part in ("app", "all"):
        rows += app_rows(args.repeats, args.against)
    if args.part in ("profile", "all"):
        rows += profile_rows()
    if args.part in ("route", "all"):
        rows += route_rows(args.repeats)
    print(f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}, {os.cpu_count()} CPUs")
    print(format_table(HEADER, rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
