"""from_dask on a local distributed cluster: the same moments and path as streaming the file."""

import sys

import numpy as np
import pandas as pd
import pytest

from regcore.moments import Moments, from_csv, from_dask, groups_of
from regcore.path import fit_path

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client():
    # Worker processes are spawned, and a spawned process first runs the parent's
    # ``__main__`` file.  After an AppTest in the same session that is app.py (Streamlit
    # installs the page script as ``__main__``), so the workers start without it.
    main = sys.modules["__main__"]
    path = main.__dict__.pop("__file__", None)
    try:
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        )
    finally:
        if path is not None:
            main.__file__ = path
    with distributed.Client(cluster) as c:
        yield c
    cluster.close()


def _file(tmp_path, n=4000, offset=1e6):
    rng = np.random.default_rng(1)
    df = pd.DataFrame(rng.normal(size=(n, 4)) + offset, columns=["a", "b", "c", "d"])
    df["y"] = df.a - 2 * df.c + rng.normal(size=n)
    df.loc[rng.choice(n, 50, replace=False), "b"] = np.nan
    df.loc[rng.choice(n, 20, replace=False), "y"] = np.nan
    path = tmp_path / "num.csv"
    df.to_csv(path, index=False)
    return path


def test_from_dask_on_two_workers_equals_streaming_the_file(tmp_path, client):
    path = _file(tmp_path)
    ddf = dd.read_csv(path, blocksize=30_000)
    assert ddf.npartitions > 4
    m = from_dask(ddf, "y", k=5, seed=2)
    assert set(client.run(lambda: 1)) and len(client.scheduler_info()["workers"]) == 2
    c = from_csv(path, target="y", k=5, seed=2, chunk_rows=777)
    assert m.feature_names == c.feature_names and np.array_equal(m.n, c.n)
    np.testing.assert_allclose(m.Sxx, c.Sxx, rtol=0, atol=1e-12 * np.abs(c.Sxx).max())
    a, b = fit_path(moments=m), fit_path(moments=c)
    assert np.max(np.abs(a.objective / b.objective - 1)) < 1e-10


def test_from_dask_refuses_text_columns_plainly():
    frame = pd.DataFrame({"x": ["a", "b"] * 5, "y": np.arange(10.0)})
    with pytest.raises(ValueError, match="encode them as numbers first"):
        from_dask(dd.from_pandas(frame, npartitions=2), "y")


def test_from_dask_on_one_partition_equals_the_rows_moments():
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.normal(size=(200, 3)), columns=["a", "b", "y"])
    m = from_dask(dd.from_pandas(frame, npartitions=1), "y", k=3, seed=1, test_fraction=0.2)
    expect = Moments.of_rows(
        frame[["a", "b"]].to_numpy(),
        frame["y"].to_numpy(),
        groups_of(np.arange(200), 3, 1, 0.2),
        3,
    )
    assert np.array_equal(m.n, expect.n)
    np.testing.assert_allclose(m.Sxx, expect.Sxx, rtol=1e-13, atol=1e-12)
