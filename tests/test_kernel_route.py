"""The kernel's Python route: until the compiled ``cd_path`` is ready in a process, small
paths run its Python twin (the same source, uncompiled) while the compile runs elsewhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from regcore.path import lambda_grid
from regcore.penalties import ElasticNetPenalty
from regcore.solvers import kernel
from regcore.solvers.problem import Problem

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("gram", [True, False])
@pytest.mark.parametrize("alpha", [1.0, 0.5])
def test_the_twin_and_the_compiled_kernel_agree_and_are_certified(gram, alpha):
    rng = np.random.default_rng(3)
    n, p = (60, 12) if gram else (25, 40)
    X = rng.normal(size=(n, p))
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + rng.normal(size=n)
    prob = Problem.from_data(X, y, gram=gram)
    lam_max = kernel.lambda_max(prob, alpha)[0]
    grid = lambda_grid(lam_max, 30, 1e-3)
    tol = 1e-12
    out = {}
    for python in (True, False):
        W, g, _, conv = kernel.path(prob, grid, ElasticNetPenalty(alpha), tol, python=python)
        _, gap, kkt = kernel.certificates(prob, W, g, grid * alpha, grid * (1 - alpha))
        assert conv.all()
        assert (gap <= tol * prob.yy).all()
        assert np.count_nonzero(W[-1]) > 3  # a path that moved, not only zeros
        out[python] = W
    assert kernel.loaded()  # the compiled side really ran compiled
    np.testing.assert_allclose(out[True], out[False], rtol=1e-9, atol=1e-12)


def test_the_route_takes_python_only_while_not_ready_and_only_for_small_paths():
    small, large = kernel.work(225, 20, 100), kernel.work(2_000, 300, 100)
    assert kernel.use_python(small, ready=False)
    assert not kernel.use_python(small, ready=True)
    assert not kernel.use_python(large, ready=False)
    assert kernel.use_python(large, ready=False, cap=large)
    assert kernel.work(40, 500, 10) == 10 * 40 * 500  # data mode: n·p per sweep
    assert kernel.work(500, 40, 10) == 10 * 40 * 40  # Gram mode: p²


# a fresh process on an empty cache: a large path would wait for the compile, a small one
# runs the twin at once while the compile runs in another process; then the kernel loads
ROUTE = r"""
import json, sys
import numpy as np
import regcore
from regcore.solvers import kernel

out = {"large": kernel.python_route(2_000, 300, 100), "started": bool(kernel._loader)}
rng = np.random.default_rng(0)
X = rng.normal(size=(80, 6))
y = X[:, 0] - X[:, 1] + rng.normal(size=80)
first = regcore.fit_path(X, y, "lasso", n_lambdas=20)
out["loaded after the first fit"] = kernel.loaded()
kernel.load_in_background().join(timeout=600)
out["loaded at last"], out["cached"] = kernel.loaded(), kernel.cached()
again = regcore.fit_path(X, y, "lasso", n_lambdas=20)
out["same"] = bool(np.allclose(first.coef, again.coef, rtol=1e-9, atol=1e-12))
out["certified"] = bool((first.gap <= 1e-6).all())
print(json.dumps(out))
"""
NEXT = r"""
import json
from regcore.solvers import kernel
print(json.dumps({"small": kernel.python_route(80, 6, 20), "started": bool(kernel._loader)}))
"""


def fresh_python(code: str, cache: Path, **extra: str) -> dict:
    env = {**os.environ, "NUMBA_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1", **extra}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_cold_process_draws_with_the_twin_then_loads_the_kernel(tmp_path):
    cache = tmp_path / "numba-cache"
    cold = fresh_python(ROUTE, cache)
    assert cold == {
        "large": False,
        "started": False,
        "loaded after the first fit": False,
        "loaded at last": True,
        "cached": True,
        "same": True,
        "certified": True,
    }
    # the next process finds the kernel in the cache: it loads it, no twin, no compile
    assert fresh_python(NEXT, cache) == {"small": False, "started": False}


# a fresh process on an empty cache: the app's first page (the Path page on the default
# sample: its path and the 10-fold CV behind λ_1se) drawn by the twin, the compile elsewhere
COLD_APP = r"""
import json
from streamlit.testing.v1 import AppTest
from regcore.solvers import kernel

at = AppTest.from_file("app.py", default_timeout=300).run()
out = {
    "problems": [e.value for e in at.exception] + [e.value for e in at.error],
    "charts": len(at.get("vega_lite_chart")),
    "loaded": kernel.loaded(),
    "compiling": bool(kernel._loader),
}
kernel.load_in_background().join(timeout=600)  # no compile process left behind
out["loaded at last"] = kernel.loaded()
print(json.dumps(out))
"""


def test_the_first_page_draws_on_a_cold_cache_without_waiting_for_the_compile(tmp_path):
    out = fresh_python(COLD_APP, tmp_path / "numba-cache")
    assert out["problems"] == []
    assert out["charts"] > 0
    assert out["compiling"] and not out["loaded"]  # drawn by the twin
    assert out["loaded at last"]


JIT_OFF = r"""
import json
import numpy as np
import regcore
from regcore.solvers import kernel

X = np.random.default_rng(0).normal(size=(40, 5))
path = regcore.fit_path(X, X[:, 0] - X[:, 1], "lasso", n_lambdas=10)
print(json.dumps({"route": kernel.python_route(40, 5, 10), "started": bool(kernel._loader),
                  "certified": bool((path.gap <= 1e-6).all())}))
"""


def test_with_numbas_jit_off_every_path_runs_the_source_and_nothing_starts(tmp_path):
    out = fresh_python(JIT_OFF, tmp_path / "numba-cache", NUMBA_DISABLE_JIT="1")
    assert out == {"route": False, "started": False, "certified": True}
