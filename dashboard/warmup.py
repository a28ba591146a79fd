"""The server's start: the first page's imports and kernels are loaded before any tab connects.

``streamlit run app.py`` serves app.py as an ``st.App`` whose ``lifespan`` calls ``start()``
as the server starts (see app.py).  Without it nothing happens until the first tab
connects: the browser loads the frontend (a second or two) while the server idles, then the
script imports pandas, altair, numba and regcore, then the first path fit compiles the
numba kernels (seconds on a fresh install) or loads them from numba's cache (about a second,
most of it numba's own first dispatch).  ``start()`` does that work in a background thread:

1. it imports what the first page imports (``FIRST_PAGE_MODULES``) and sets ``imported``;
2. it loads the linear family's kernels into this process (``regcore.warmup.touch_linear``:
   from numba's cache, or compiled into it on a fresh install) and sets ``ready``;
3. it runs ``python -m regcore.warmup`` in a separate, low-priority process, which puts the
   remaining kernels (the logistic family's) into the cache without holding this server's
   GIL for their compile.

The page script waits for ``imported`` before its own imports (``wait_for_imports``) and a
fit waits for ``ready`` (``wait``, from ``dashboard.loaders``) rather than compiling the same
kernels beside the thread.  Tried and not kept: step 2 in the separate process with the
server waiting for its cache (the low-priority process was starved on a loaded machine: the
kernels were ready 13 s after the imports instead of about 1 s).  Every failure (a read-only
cache, a warm-up that dies or outlasts ``WARMUP_TIMEOUT_S``) is logged and only leaves the
kernels to the first fit, as without a warm-up; under ``AppTest`` (no server) ``start()`` is
never called and both waits return at once.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import subprocess
import sys
import threading
from pathlib import Path

FIRST_PAGE_MODULES = (
    "dashboard.sidebar",
    "dashboard.loaders",
    "dashboard.path_figure",
    "dashboard.scoring",
    "dashboard.typed_lambda",
    "regcore.warmup",
)
WARMUP_TIMEOUT_S = 300  # a warm-up still running then is abandoned (the first fit compiles)

ROOT = Path(__file__).resolve().parents[1]

imported = threading.Event()
ready = threading.Event()
_started = False
_lock = threading.Lock()
_log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def lifespan(_app):
    """``st.App``'s lifespan: ``start()`` as the server starts, nothing at shutdown."""
    start()
    yield


def start() -> bool:
    """Once per process: begin the background start (module docstring); False if already begun."""
    global _started
    with _lock:
        if _started:
            return False
        _started = True
    threading.Thread(target=_prepare, name="regcore-warmup", daemon=True).start()
    return True


def wait(timeout: float = WARMUP_TIMEOUT_S) -> None:
    """Block until the background start has loaded the kernels (at once if it never began)."""
    if _started:
        ready.wait(timeout)


def wait_for_imports() -> None:
    """Block until the background start's imports are done (at once if it never began).

    The page script calls it before its own imports: two threads importing the same
    modules at once can meet a module half initialised (a circular import within a package
    then fails), one after the other cannot.
    """
    if _started:
        imported.wait(WARMUP_TIMEOUT_S)


def _prepare() -> None:
    try:
        for name in FIRST_PAGE_MODULES:
            importlib.import_module(name)
        imported.set()
        from regcore import warmup

        warmup.touch_linear()  # loaded from numba's cache, or compiled into it
        ready.set()
        _fill_cache()
    except Exception:  # a failed warm-up defers the compile to the first fit, never an error
        _log.warning("regcore warm-up failed; the first fit compiles the kernels", exc_info=True)
    finally:
        imported.set()
        ready.set()


def _fill_cache() -> None:
    """Run ``python -m regcore.warmup`` to its end (at most ``WARMUP_TIMEOUT_S``)."""
    try:
        subprocess.run(
            [sys.executable, "-m", "regcore.warmup"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,  # where regcore is importable, wherever the server was started
            timeout=WARMUP_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        _log.warning("regcore warm-up process failed", exc_info=True)
