"""vmap over dask arrays, on a local cluster of two worker processes started (and stopped) by the test."""

import math
import resource

import numpy as np
import pytest

import autograd_lite as al

da = pytest.importorskip("dask.array", reason="vmap over dask arrays needs dask: pip install 'autograd_lite[dask]'")
distributed = pytest.importorskip("distributed", reason="the cluster needs dask.distributed (the dask extra)")


def greeks_of(S, K, T, r, sigma):
    d1 = (al.log(S / K) + (r + 0.5 * sigma * sigma) * T) / (sigma * al.sqrt(T))
    d2 = d1 - sigma * al.sqrt(T)
    cdf = lambda x: 0.5 * (1.0 + al.erf(x / math.sqrt(2.0)))
    return S * cdf(d1) - K * al.exp(-r * T) * cdf(d2)


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None,
        worker_dashboard_address=None,
    ) as cluster, distributed.Client(cluster) as c:  # fmt: skip
        yield c


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def test_dask_arrays_in_dask_arrays_out_the_same_numbers_as_numpy(client):
    f = al.vmap(al.value_and_grad(greeks_of, argnums=(0, 1, 2, 3, 4)))
    rng = np.random.default_rng(1)
    n = 50_000
    arrays = [rng.uniform(50, 150, n), rng.uniform(50, 150, n), rng.uniform(0.1, 2, n), rng.uniform(0, 0.05, n),
              rng.uniform(0.1, 0.5, n)]  # fmt: skip
    lazy = f(*[da.from_array(a, chunks=10_000) for a in arrays])
    price, slopes = lazy
    assert isinstance(price, da.Array) and price.chunks == ((10_000,) * 5,)
    got_price, got_slopes = client.compute([price, list(slopes)], sync=True)
    want_price, want_slopes = f(*arrays)
    assert np.array_equal(got_price, want_price)
    assert all(np.array_equal(g, w) for g, w in zip(got_slopes, want_slopes))


def test_a_non_finite_point_raises_from_the_worker_naming_it(client):
    xs = da.from_array(np.array([1.0, 2.0, 3.0, -1.0]), chunks=2)
    with pytest.raises(ValueError, match=r"vmap: at point 3 \(-1\.0\): log"):
        client.compute(al.vmap(al.log)(xs), sync=True)  # the second point of the second chunk


def test_each_worker_holds_its_chunks_not_the_batch(client):
    """Four million points, reduced on the cluster: no worker's peak memory grows by the batch's size."""
    n, chunk = 4_000_000, 200_000
    batch_bytes = n * 8 * (5 + 6)  # the inputs and the six outputs of every point
    before = client.run(peak_rss_bytes)
    state = da.random.RandomState(2)
    args = [state.uniform(50, 150, n, chunks=chunk), state.uniform(50, 150, n, chunks=chunk),
            state.uniform(0.1, 2, n, chunks=chunk), state.uniform(0, 0.05, n, chunks=chunk),
            state.uniform(0.1, 0.5, n, chunks=chunk)]  # fmt: skip
    price, slopes = al.vmap(al.value_and_grad(greeks_of, argnums=(0, 1, 2, 3, 4)))(*args)
    total = client.compute(price.sum() + slopes[0].sum(), sync=True)
    assert math.isfinite(total) and total > 0
    after = client.run(peak_rss_bytes)
    growth = max(after[w] - before[w] for w in after)
    assert growth < batch_bytes / 2, f"a worker's peak memory grew by {growth / 1e6:.0f} MB"
