"""A grid search on Dask: one local process against a LocalCluster of 1 and 2 workers.

8 candidates x 3 folds of a Pima-sized MLP (the ``parallel_search``
benchmark's), run with ``GridSearchCV(n_jobs=-1)`` inside
``skdeep.parallel.dask_backend``. On a machine with C cores, the cluster
of 2 workers has C/2 threads per worker, and each worker caps its
framework at that share. Each cluster is warmed with one small search
first (starting the workers and importing the framework in each is a
one-off cost of a cluster, reported apart). Speed-ups are against
``n_jobs=1`` in this process; on a real cluster the same script runs with
``--scheduler tcp://host:8786`` in place of the local clusters.

Run: ``python -m benchmarks.dask_search`` (``--smoke``: 2 candidates x 2 folds).
Needs the dask extra (``pip install -e ".[dask]"``).
"""

import argparse
import os
import time

from sklearn.model_selection import GridSearchCV

from benchmarks._common import header, pima_like, seconds
from skdeep import KerasClassifier
from skdeep.parallel import dask_backend


def _search(smoke, n_jobs):
    grid = {"hidden_layer_sizes": [(8,), (12, 8)]}
    if not smoke:
        grid.update({"optimizer": ["adam", "rmsprop"], "batch_size": [16, 32]})
    clf = KerasClassifier(model="mlp", epochs=2 if smoke else 20, batch_size=16, random_state=0)
    return GridSearchCV(clf, grid, cv=2 if smoke else 3, n_jobs=n_jobs, error_score="raise")


def _on_cluster(client, smoke, X, y):
    with dask_backend(client):
        start = time.perf_counter()
        _search(True, -1).fit(X[:64], y[:64])  # warm: imports and first traces in each worker
        warm_up = time.perf_counter() - start
        return warm_up, seconds(lambda: _search(smoke, -1).fit(X, y))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="2 candidates x 2 folds")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    args = parser.parse_args(argv)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print('dask search: skipped, needs the dask extra (pip install -e ".[dask]")')
        return
    X, y = pima_like()
    cores = os.cpu_count() or 1
    header(f"grid search on Dask ({cores} cores): this process vs a cluster on loopback")
    KerasClassifier(model="mlp", hidden_layer_sizes=(4,), epochs=1).fit(X[:64], y[:64])
    alone = seconds(lambda: _search(args.smoke, 1).fit(X, y))
    print(f"{'n_jobs=1, no Dask':34s}{alone:8.2f}s{'1.00x':>9s}")
    if args.scheduler:
        setups = {f"cluster at {args.scheduler}": lambda: Client(args.scheduler)}
    else:
        setups = {
            f"1 worker x {cores} threads": lambda: (1, cores),
            f"2 workers x {max(1, cores // 2)} threads": lambda: (2, max(1, cores // 2)),
        }
    for name, setup in setups.items():
        made = setup()
        if isinstance(made, tuple):
            cluster = LocalCluster(
                n_workers=made[0],
                threads_per_worker=made[1],
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster)
        else:
            cluster, client = None, made
        try:
            warm_up, took = _on_cluster(client, args.smoke, X, y)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        print(f"{name:34s}{took:8.2f}s{alone / took:8.2f}x   (warm-up {warm_up:.1f} s)")


if __name__ == "__main__":
    main()
