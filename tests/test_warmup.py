"""The kernels' warm-up: ``python -m regcore.warmup`` fills numba's cache so that the next
process compiles nothing, and exits 0 when it cannot."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import regcore.warmup

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
