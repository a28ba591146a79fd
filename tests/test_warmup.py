"""The kernels' warm-up: ``python -m regcore.warmup`` fills numba's cache, the server's start
(``dashboard.warmup``) loads the kernels in the background, and neither can fail a page."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import regcore.warmup
from dashboard import warmup

ROOT = Path(__file__).resolve().parents[1]

# fresh process: the work of the dashboard's first pages (not the warm-up's own problems),
# then how many compilations it made and what numba's dispatchers loaded from the cache
AFTER_WARMUP = r"""
import json
import numpy as np
from numba.core import event
from numba.core.dispatcher import Dispatcher

import regcore
from regcore.data import default_target, make_design, read_csv, varying_columns
from regcore.datasets import SAMPLES, sample_bytes
from regcore.solvers import kernel, logistic

df, _ = read_csv(sample_bytes(next(iter(SAMPLES))))
design = make_design(df, default_target(df, varying_columns(df)), None, test_fraction=0.25, seed=0)
X, y = design.X_train, design.y_train
rng = np.random.default_rng(1)
wide = rng.normal(size=(30, 45))
factor = np.r_[0.0, np.ones(44)]
with event.install_recorder("numba:compile") as rec:
    path = regcore.fit_path(X, y, "lasso")
    regcore.cross_validate(X, y, "lasso", k=10, lambdas=path.lambdas)
    regcore.fit_path(X, y, "elasticnet", alpha=0.3)
    regcore.fit_path(wide, wide[:, 1] + rng.normal(size=30), "lasso", penalty_factor=factor)
    regcore.fit_path(X, (y > np.median(y)).astype(float), "lasso", family="logistic")
stats = [
    obj.stats
    for module in (kernel, logistic)
    for obj in vars(module).values()
    if isinstance(obj, Dispatcher)
]
print(json.dumps({
    "compiled": sum(1 for _, ev in rec.buffer if ev.is_start),
    "hits": sum(sum(s.cache_hits.values()) for s in stats),
    "misses": sum(sum(s.cache_misses.values()) for s in stats),
}))
"""


def fresh_python(args: list[str], cache: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_warmup_process_fills_the_cache_so_the_next_process_compiles_nothing(tmp_path):
    cache = tmp_path / "numba-cache"
    warm = fresh_python(["-m", "regcore.warmup"], cache)
    assert warm.returncode == 0, warm.stderr
    assert "kernels ready" in warm.stderr, warm.stderr
    assert any(cache.rglob("*.nbi")), "no cache index written"

    after = fresh_python(["-c", AFTER_WARMUP], cache)
    assert after.returncode == 0, after.stderr
    counts = json.loads(after.stdout.strip().splitlines()[-1])
    assert counts["compiled"] == 0, counts
    assert counts["misses"] == 0, counts
    assert counts["hits"] > 0, counts  # the kernels were used, and came from the cache


def test_warmup_process_exits_0_when_it_fails(monkeypatch, capsys):
    def broken():
        raise RuntimeError("no space left on device")

    monkeypatch.setattr(regcore.warmup, "touch", broken)
    monkeypatch.setattr(os, "nice", lambda _: 0)  # keep this test process's priority
    assert regcore.warmup.main() == 0
    assert "skipped (RuntimeError: no space left on device)" in capsys.readouterr().err


@pytest.fixture
def fresh_start(monkeypatch):
    """``dashboard.warmup`` as in a server process that has not started yet."""
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setattr(warmup, "imported", threading.Event())
    monkeypatch.setattr(warmup, "ready", threading.Event())


def run_start() -> None:
    assert warmup.start()
    assert not warmup.start()  # once per process
    [thread] = [t for t in threading.enumerate() if t.name == "regcore-warmup"]
    thread.join(timeout=300)
    assert not thread.is_alive()


def test_waits_return_at_once_without_a_server(fresh_start):
    # under AppTest nothing started the warm-up: nothing to wait for
    warmup.wait_for_imports()
    warmup.wait(timeout=0)
    assert not warmup.ready.is_set()


def test_server_start_loads_the_kernels_even_if_the_warmup_process_fails(
    fresh_start, monkeypatch, caplog
):
    from regcore.solvers import kernel

    def no_python(*args, **kwargs):
        raise OSError("no such file: python")

    monkeypatch.setattr(warmup.subprocess, "run", no_python)
    with caplog.at_level(logging.WARNING, logger=warmup.__name__):
        run_start()
    assert warmup.imported.is_set() and warmup.ready.is_set()
    assert kernel.cd_path.signatures, "the linear kernel was not loaded"
    assert "warm-up process failed" in caplog.text


def test_server_start_survives_a_failing_kernel(fresh_start, monkeypatch, caplog):
    def broken():
        raise MemoryError("cannot compile")

    monkeypatch.setattr(regcore.warmup, "touch_linear", broken)
    with caplog.at_level(logging.WARNING, logger=warmup.__name__):
        run_start()
    warmup.wait(timeout=0)  # set although the kernels failed: the first fit retries them
    assert warmup.ready.is_set()
    assert "first fit compiles the kernels" in caplog.text


def test_streamlit_run_serves_app_py_through_its_lifespan():
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "app.py")
    assert found.is_asgi_app and found.import_string == "app:app"
