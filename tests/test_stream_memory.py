"""A streamed fit succeeds under an address-space cap that the in-memory path exceeds.

Each side runs in a fresh Python: after its imports it reads its own address-space size
(VmSize), caps it with ``resource.setrlimit(RLIMIT_AS)`` at that size plus ``HEADROOM``, then
fits (the compiled path kernel loaded first, on a tiny problem).  Address space, not RSS, is what the kernel can cap, and libraries reserve far more of
it than they touch: one BLAS thread, one malloc arena and Arrow on the system allocator keep
those reservations small and steady (measured: the imports take ~255 MB of address space;
streaming a 60 MB file in chunks of 5 000 rows then peaks ~50 MB above that, reading it
whole into a design ~160 MB above).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
HEADROOM_MB = 90
CHILD = """
import json, resource, sys
sys.path.insert(0, {root!r})
import numpy, regcore.moments.parse, regcore.moments.stream, regcore.path
from regcore.data import make_design, read_csv


def vm(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024


# the compiled path kernel and number parser load (or compile) before the cap: numba's code
# is not the data
regcore.path.fit_path([[i % 5.0] for i in range(20)], [i % 7.0 for i in range(20)])
regcore.moments.parse._parse(
    numpy.frombuffer(b"1,2\\n", dtype=numpy.uint8), 0, 44, 46, numpy.arange(2), numpy.empty((2, 1))
)
cap = vm("VmSize") + {headroom} * 2**20
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
try:
    if {side!r} == "stream":
        m = regcore.moments.stream.from_csv({path!r}, target="y", chunk_rows=5000)
        path = regcore.path.fit_path(moments=m)
        rows = int(m.n.sum())
    else:
        df, _ = read_csv(open({path!r}, "rb").read(), max_rows=10**7)
        d = make_design(df, "y")
        path = regcore.path.fit_path(d.X_train, d.y_train)
        rows = d.n_train + d.n_test
    print(json.dumps(dict(ok=True, rows=rows, converged=bool(path.converged.all()))))
except MemoryError:
    print(json.dumps(dict(ok=False)))
"""


def _run(side: str, path: Path) -> dict:
    env = dict(
        os.environ,
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MALLOC_ARENA_MAX="1",
        ARROW_DEFAULT_MEMORY_POOL="system",
    )
    code = CHILD.format(root=str(ROOT), side=side, path=str(path), headroom=HEADROOM_MB)
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    lines = run.stdout.strip().splitlines()
    if not lines:  # killed outright by the cap before Python could raise MemoryError
        return dict(ok=False, stderr=run.stderr[-500:])
    return json.loads(lines[-1])


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_streamed_fit_succeeds_below_the_memory_the_in_memory_fit_needs(tmp_path):
    rng = np.random.default_rng(0)
    n = 600_000
    X = rng.normal(size=(n, 9)) * 3 + 10
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(9)])
    frame["y"] = X @ rng.normal(size=9) + rng.normal(size=n)
    path = tmp_path / "big.csv"
    frame.to_csv(path, index=False, float_format="%.6f")
    del frame, X
    streamed = _run("stream", path)
    assert streamed == dict(ok=True, rows=n, converged=True), streamed
    in_memory = _run("memory", path)
    assert not in_memory["ok"], "the cap is too loose to show anything: lower HEADROOM_MB"
