"""What the dashboard may hold per server, and for how long: the cache policy in one place.

The decorators in :mod:`dashboard.loaders` take their options from here.

- **Tables and designs** (the large objects: a frame and two float64 matrices, together a few
  times the file's size) are cached per *session* (``scope="session"``). Streamlit drops a
  session's entries when its websocket closes, so a closed tab releases its upload at once
  instead of holding it until a count-bounded global cache happens to evict it. A session
  keeps at most ``SESSION_DATA_SETS`` data sets (the one in use and the one before), and none
  longer than ``TTL`` unused: with uploads capped at ``MAX_UPLOAD_MB``, that bounds the bytes
  one session holds.
- **Fits, CV curves and chart bases** (small: a few numbers per feature and λ) are shared by
  every session, bounded by bytes where Streamlit measures them (``max_size`` counts pickled
  bytes of ``cache_data``), by count otherwise, and by age (``TTL``).
- **One copy of an upload**: the session's ``Source`` keeps the very bytes object the
  uploader's record holds (``BytesIO.getvalue`` of an unmodified buffer returns it), never a
  copy; ``bench/app.py`` counts the copies in its memory table.
- **Closed tabs**: Streamlit keeps a disconnected session (its session state and uploaded
  files, which share the upload's bytes) for a reconnect, and reaps it only when another
  session disconnects, so an idle server kept the last uploads indefinitely. A session that
  uploaded a file is watched (``release_upload_when_closed``): once it has been disconnected
  for ``CLOSED_GRACE_S`` it is closed for good through the runtime's public, thread-safe
  ``clear_user_info_for_session`` (no resume; a stored session is shut down, its state and
  files released). A reconnect within the grace period resumes as before.
- **The collector's walk**: Streamlit runs a full garbage collection after every script run
  (``runner.postScriptGC``), which walks every object the process tracks, about 150 000 of
  them once the libraries are imported: that walk was half the server's CPU for a λ move.
  Those objects live as long as the process, so they are frozen once, right after the entry
  script's imports (``freeze_imports``), and later collections skip them.
- **Abandoned work**: cross-validation reports progress after every fold through a Streamlit
  progress bar; a Streamlit call is where a rerun or a closed session stops a script, so work
  abandoned by a reload stops within one fold. A single path fit is one bounded call.
"""

import ctypes
import gc
import threading
import time

from streamlit.runtime import Runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from regcore.data import MAX_UPLOAD_MB

TTL = "20m"  # an entry unused this long is dropped
SESSION_DATA_SETS = 2
FIT_CACHE_BYTES = "128MB"  # every cached fit and CV result together (pickled bytes)
MAX_CACHED_FITS = 48
MAX_CACHED_CHARTS = 48

TABLES = {"scope": "session", "max_entries": SESSION_DATA_SETS, "ttl": TTL}
FITS = {"max_size": FIT_CACHE_BYTES, "max_entries": MAX_CACHED_FITS, "ttl": TTL}
CHARTS = {"max_entries": MAX_CACHED_CHARTS, "ttl": TTL}

# The most one session's tables can hold: its data sets, each at most the upload limit as
# text and a few times that once parsed (the memory benchmark, bench/memory.py, measures it).
SESSION_TABLE_MB_BOUND = SESSION_DATA_SETS * 4 * MAX_UPLOAD_MB

CLOSED_GRACE_S = 60  # a tab gone this long is not coming back
SWEEP_S = 10

_frozen = False
_watched: dict[str, float] = {}  # session id -> when it was last seen connected
_lock = threading.Lock()
_sweeper: threading.Thread | None = None


def freeze_imports() -> None:
    """Once per process: exempt every object alive now from later garbage collections.

    Call it after the entry script's imports, before any data is read: what it freezes is
    the imported modules (never collected anyway), so nothing a session later drops is kept.
    """
    global _frozen
    with _lock:
        if not _frozen:
            gc.freeze()
            _frozen = True


def release_upload_when_closed() -> None:
    """Watch this session: once its tab has been gone ``CLOSED_GRACE_S``, close it for good.

    A no-op outside a running server (e.g. under ``AppTest``).
    """
    global _sweeper
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None or not Runtime.exists():
        return
    with _lock:
        _watched[ctx.session_id] = time.monotonic()
        if _sweeper is None:
            _sweeper = threading.Thread(target=_sweep, name="regcore-closed-sessions", daemon=True)
            _sweeper.start()


def _sweep() -> None:
    """Every ``SWEEP_S``: close the watched sessions gone for ``CLOSED_GRACE_S``; stop when none.

    The sweeper clears ``_sweeper`` under the lock as it stops, so a session watched from then
    on starts a new one (never one that is about to stop).
    """
    global _sweeper
    while True:
        time.sleep(SWEEP_S)
        if not Runtime.exists():  # the server stopped: nothing left to watch
            with _lock:
                _watched.clear()
                _sweeper = None
            return
        runtime, now, closed = Runtime.instance(), time.monotonic(), False
        with _lock:
            for session_id, seen in list(_watched.items()):
                if runtime.is_active_session(session_id):
                    _watched[session_id] = now
                elif now - seen > CLOSED_GRACE_S:
                    runtime.clear_user_info_for_session(session_id)
                    del _watched[session_id]
                    closed = True
        if closed:  # the close runs on the event loop: give it a moment, then hand memory back
            time.sleep(SWEEP_S)
            _return_memory()
        with _lock:
            if not _watched:
                _sweeper = None
                return


def _return_memory() -> None:
    """Collect, then ask the C allocator to give freed pages back to the system (glibc only).

    Script runs happen on many threads, and glibc keeps what they freed in per-thread arenas,
    so without this the server's RSS stays at its peak after the data is gone.
    """
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to ask
