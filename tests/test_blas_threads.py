"""The library's products run on one BLAS thread, and the limit is restored whatever the order
in which concurrent fits enter and leave it (``regcore.solvers.blas``)."""

from __future__ import annotations

import threading

import numpy as np
from threadpoolctl import ThreadpoolController, threadpool_limits

import regcore
from regcore import cv
from regcore.solvers import blas, problem

NUMPY_BLAS = [lib for lib in ThreadpoolController().lib_controllers if lib.user_api == "blas"]


def blas_threads() -> set[int]:
    """Threads of the BLAS libraries loaded with numpy (scikit-learn may load another later,
    which the library never calls)."""
    return {lib.get_num_threads() for lib in NUMPY_BLAS}


def test_a_path_and_a_cross_validation_run_on_one_thread_and_restore_the_limit(
    make_data, monkeypatch
):
    X, y = make_data(200, 5, seed=3)
    seen = []
    real = problem.products

    def watched(*args, **kwargs):  # the products every Gram problem is made from
        seen.append(blas_threads())
        return real(*args, **kwargs)

    monkeypatch.setattr(problem, "products", watched)
    monkeypatch.setattr(cv, "products", watched)
    with threadpool_limits(limits=2, user_api="blas"):
        regcore.fit_path(X, y, "lasso", n_lambdas=5)
        regcore.cross_validate(X, y, "lasso", k=3, n_lambdas=5)
        assert blas_threads() == {2}
    assert len(seen) >= 4 and all(s == {1} for s in seen)


class FakeController:
    """Stands in for threadpoolctl's controller: records when the limit is set and restored
    (OpenBLAS's own handling of limits set from several threads is not what is tested)."""

    def __init__(self):
        self.events = []

    def limit(self, limits, user_api):
        self.events.append(("limit", limits, user_api))
        return self

    def restore_original_limits(self):
        self.events.append(("restore",))


def test_concurrent_entries_restore_the_limit_only_when_the_last_one_leaves(monkeypatch):
    fake = FakeController()
    monkeypatch.setattr(blas, "_controller", fake)
    inside, first_left, during = threading.Barrier(2), threading.Event(), []

    def first():
        with blas.capped():
            inside.wait()
        first_left.set()

    def second():
        with blas.capped():
            inside.wait()
            first_left.wait()
            during.append(list(fake.events))  # the first one left: the cap must hold

    workers = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in workers:
        t.start()
    for t in workers:
        t.join(timeout=60)
    assert during == [[("limit", 1, "blas")]]
    assert fake.events == [("limit", 1, "blas"), ("restore",)] and blas._depth == 0


def test_products_spread_over_the_cores_add_up_in_a_fixed_order():
    from regcore.solvers import blas
    from regcore.solvers.problem import PRODUCT_BLOCK_ROWS, PRODUCT_MIN_BLOCKS, products

    rng = np.random.default_rng(4)
    X = rng.standard_normal((PRODUCT_MIN_BLOCKS * PRODUCT_BLOCK_ROWS + 1234, 7)) + 3.0
    v = rng.standard_normal(X.shape[0])
    alone = products(X, v)
    with blas.capped():
        assert blas.workers() is not None
        spread = [products(X, v) for _ in range(3)]
    assert blas.workers() is None  # outside the cap BLAS spreads each call itself
    for again in spread:  # the same sums whichever core did which part
        for a, b in zip(alone, again, strict=True):
            np.testing.assert_array_equal(a, b)
    for got, want in zip(alone, (X.T @ X, X.sum(axis=0), v @ X), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-12)
