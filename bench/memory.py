"""Server memory after uploads, and server CPU per λ move under 8 sessions (issue 17).

Starts ``streamlit run app.py`` on a free localhost port and drives it with Chromium
(playwright, /usr/bin/chromium):

1. **Memory.** Idle RSS after one visit; then ``--sessions`` sequential sessions, each
   opening the Data page, uploading a generated ``--mb`` MB CSV, waiting for the design and
   closing its tab; the server's RSS is sampled throughout and for ``--settle`` seconds
   after the last tab closed. Target: settled − idle ≤ 300 MB (peak shown too).
2. **CPU per λ move.** One session alone moves λ ``--moves`` times (the peer), then
   ``--concurrent`` sessions each move λ ``--moves`` times at once; the server's CPU time
   (user + system, from /proc) divided by the moves. Target: ≤ 0.1 s per move with 8
   sessions; the ratio to the lone session shows what contention costs.

    python bench/memory.py                          # the full run (100 MB, 3 min settle)
    python bench/memory.py --mb 5 --settle 20 --moves 3 --concurrent 3   # smoke test

Only localhost traffic; every loop is bounded; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BROWSER_TESTS = ROOT / "tests" / "browser"
for where in (ROOT, BROWSER_TESTS):  # run as a script: neither is installed
    if str(where) not in sys.path:
        sys.path.insert(0, str(where))

from conftest import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, free_port, healthy, stop  # noqa: E402
from path_page import LAMBDA_SLIDER  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402
from st_driver import (  # noqa: E402
    _run_finished,
    alerts,
    heading,
    open_app,
    rerun,
    slider,
    stream,
)

MB = 1024 * 1024
SAMPLE_EVERY_S = 0.5
LONG_MS = 600_000  # a 100 MB upload on a busy machine


def build_csv(path: Path, megabytes: float, seed: int = 0) -> Path:
    """About ``megabytes`` MB of numbers: 20 features and a target, in chunks (bounded memory)."""
    rng = np.random.default_rng(seed)
    chunk = 10_000
    with open(path, "w", encoding="utf-8") as out:
        header = True
        while out.tell() < megabytes * MB:
            X = rng.normal(size=(chunk, 20)).round(6)
            frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(20)])
            frame["y"] = (X[:, 0] * 2 - X[:, 1] + rng.normal(size=chunk)).round(6)
            frame.to_csv(out, index=False, header=header)
            header = False
    return path


class Server:
    """``streamlit run app.py`` on a free port; RSS and CPU time read from /proc."""

    def __init__(self, log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 90
        while not healthy(self.url):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start; see {log}")
            time.sleep(0.25)

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        kb = next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
        return int(kb) / 1024

    def cpu_s(self) -> float:
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        stop(self.process)
        self._log.close()


class Sampler(threading.Thread):
    """RSS every SAMPLE_EVERY_S seconds until stopped: (seconds since start, MB)."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.samples, self._done = server, [], threading.Event()
        self.start_time = time.monotonic()

    def run(self) -> None:
        while not self._done.wait(SAMPLE_EVERY_S):
            self.samples.append((time.monotonic() - self.start_time, self.server.rss_mb()))

    def since(self, t0: float) -> list[float]:
        return [mb for t, mb in self.samples if t >= t0]

    def now(self) -> float:
        return time.monotonic() - self.start_time

    def stop(self) -> None:
        self._done.set()
        self.join()


def new_page(browser, server: Server):
    context = browser.new_context(viewport=VIEWPORT, base_url=server.url)
    context.set_default_timeout(LONG_MS)
    return context.new_page()


def memory(browser, server: Server, csv: Path, sessions: int, settle_s: float) -> dict:
    sampler = Sampler(server)
    sampler.start()
    try:
        warm = new_page(browser, server)
        open_app(warm, "/data", heading(warm, "Data"), timeout=LONG_MS)
        warm.context.close()
        time.sleep(5)
        t_idle = sampler.now()
        time.sleep(5)
        idle = statistics.median(sampler.since(t_idle))
        for i in range(sessions):
            page = new_page(browser, server)
            open_app(page, "/data", heading(page, "Data"), timeout=LONG_MS)
            shown = page.get_by_text(csv.name, exact=True).first  # the Data page names the upload
            with rerun(page, shown, alerts(page, "Success"), timeout=LONG_MS):
                page.locator('input[type="file"]').set_input_files(str(csv))
            page.context.close()
            print(f"  session {i + 1}: uploaded and closed, RSS {server.rss_mb():,.0f} MB",
                  file=sys.stderr)  # fmt: skip
        t_closed = sampler.now()
        time.sleep(settle_s)
        peak = max(sampler.since(0))
        settled = statistics.median(sampler.since(sampler.now() - 5))
        at_close = sampler.since(t_closed)[0] if sampler.since(t_closed) else settled
    finally:
        sampler.stop()
    return {"idle": idle, "peak": peak, "at close": at_close, "settled": settled}


def cpu_per_move(browser, server: Server, n_sessions: int, moves: int) -> float:
    """Server CPU seconds per λ move, with ``n_sessions`` sessions moving λ at once."""
    pages = [new_page(browser, server) for _ in range(n_sessions)]
    try:
        for page in pages:
            open_app(page, "/", slider(page, LAMBDA_SLIDER), timeout=LONG_MS)
        before = server.cpu_s()
        for move in range(moves):
            key = "ArrowRight" if move % 2 == 0 else "ArrowLeft"
            with contextlib.ExitStack() as runs:
                for page in pages:
                    runs.enter_context(
                        stream(page).expect_event(
                            "framereceived", predicate=_run_finished, timeout=LONG_MS
                        )
                    )
                for page in pages:
                    slider(page, LAMBDA_SLIDER).press(key)
        return (server.cpu_s() - before) / (moves * n_sessions)
    finally:
        for page in pages:
            page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=100, help="size of each uploaded CSV")
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--settle", type=float, default=180, help="seconds after the last close")
    parser.add_argument("--concurrent", type=int, default=8)
    parser.add_argument("--moves", type=int, default=10, help="λ moves per session")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        csv = build_csv(Path(tmp) / "upload.csv", args.mb)
        size = csv.stat().st_size / MB
        server = Server(Path(tmp) / "server.log")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
                )
                mem = memory(browser, server, csv, args.sessions, args.settle)
                alone = cpu_per_move(browser, server, 1, args.moves)
                crowd = cpu_per_move(browser, server, args.concurrent, args.moves)
                browser.close()
        finally:
            server.stop()

    print(f"memory: {args.sessions} sequential sessions, each uploading a {size:,.0f} MB CSV")
    for name, mb in mem.items():
        print(f"  RSS {name:<10} {mb:8,.0f} MB   ({mb - mem['idle']:+8,.0f} MB vs idle)")
    print(f"  settled - idle after {args.settle:g} s: {mem['settled'] - mem['idle']:,.0f} MB "
          "(target <= 300 MB)")  # fmt: skip
    print(f"cpu per λ move: 1 session {alone:.3f} s; {args.concurrent} sessions {crowd:.3f} s "
          f"(ratio {crowd / alone if alone else float('nan'):.2f}; target <= 0.1 s)")  # fmt: skip


if __name__ == "__main__":
    main()
