"""``dask_backend``: scikit-learn's parallel fits on a Dask cluster, each worker with its share."""

import contextlib

from skdeep.parallel.devices import host_positions

_EXTRA = (
    "Running on Dask needs dask, distributed and dask-ml: pip install 'dask[array]' "
    "distributed dask-ml (in a checkout installed as the README does: "
    "pip install -e '.[dask]')."
)
#: The name the worker plugin is registered under (one per client).
PLUGIN = "skdeep-worker-settings"


def _distributed():
    """The ``distributed`` package, or an ImportError that names the extra."""
    try:
        import distributed
    except ImportError:
        raise ImportError(_EXTRA) from None
    return distributed


@contextlib.contextmanager
def dask_backend(client=None, *, pin_gpus=True, no_workers_timeout=60.0):
    """Run scikit-learn's parallel fits on a Dask cluster, each worker with its share.

    Inside the ``with`` block, every joblib-parallel scikit-learn call
    (``GridSearchCV(n_jobs=-1)``, ``cross_validate``, the halving searches)
    sends its fits to the cluster's workers. Before its first fit, each
    worker caps TensorFlow's (or XLA's) threads at the worker's ``nthreads``
    and, when its host has GPUs and ``pin_gpus`` is true, sees only one of
    them (round-robin over the workers of the host). A worker started with
    its own ``OMP_NUM_THREADS`` or ``CUDA_VISIBLE_DEVICES`` keeps them, and
    when the block ends every worker's environment is put back as it was
    (a framework already running keeps the thread cap it started with).

    A fit whose worker process dies (more often than Dask's
    ``distributed.scheduler.allowed-failures``) scores the search's
    ``error_score``, with a ``FitFailedWarning`` naming
    :class:`WorkerDiedError`; the other fits are kept. Each fit is a task of
    its own, and no more fits are on the cluster than it has threads.

    Parameters
    ----------
    client : distributed.Client, optional
        The cluster's client; by default the current one.
    pin_gpus : bool, default=True
        Give each worker its own GPU. Workers that join the cluster later are
        not pinned (start them with their own ``CUDA_VISIBLE_DEVICES``, as
        dask-cuda's ``LocalCUDACluster`` does).
    no_workers_timeout : float, default=60.0
        Seconds a search waits while the cluster has no worker at all (their
        processes died and were not restarted, or it was scaled to zero)
        before it raises ``NoWorkersError``.

    Yields
    ------
    distributed.Client
        The client in use.

    Raises
    ------
    ImportError
        When Dask is not installed (the ``dask`` extra).
    ValueError
        When there is no client, or ``no_workers_timeout`` is not a positive
        number.
    NoWorkersError
        From a search, when the cluster has had no worker for
        ``no_workers_timeout`` seconds while fits were waiting.

    Examples
    --------
    >>> from distributed import Client, LocalCluster  # doctest: +SKIP
    >>> with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, \\
    ...         Client(cluster) as client, dask_backend(client):  # doctest: +SKIP
    ...     search = GridSearchCV(KerasClassifier("mlp"), grid, n_jobs=-1).fit(X, y)
    """
    distributed = _distributed()
    if not isinstance(pin_gpus, bool):
        raise ValueError(
            f"pin_gpus must be True or False, got {pin_gpus!r}: True gives each worker its "
            "own GPU, False leaves CUDA_VISIBLE_DEVICES as the workers have it."
        )
    if isinstance(no_workers_timeout, bool) or not (
        isinstance(no_workers_timeout, (int, float)) and no_workers_timeout > 0
    ):
        raise ValueError(
            f"no_workers_timeout must be a positive number of seconds, got "
            f"{no_workers_timeout!r}: it is how long a search waits on a cluster "
            "without workers before it raises NoWorkersError (default 60)."
        )
    if client is None:
        try:
            client = distributed.get_client()
        except ValueError:
            raise ValueError(
                "dask_backend found no Dask client: create one first, e.g. "
                "client = distributed.Client(distributed.LocalCluster()) or "
                "Client('tcp://scheduler:8786'), and pass it as dask_backend(client)."
            ) from None
    from skdeep.parallel.worker import WorkerSettings

    addresses = list(client.scheduler_info(n_workers=-1)["workers"])
    positions = host_positions(addresses) if pin_gpus else {}
    client.register_plugin(WorkerSettings(positions), name=PLUGIN)
    import joblib

    from skdeep._framework.dask import BACKEND, SkdeepDaskBackend

    joblib.register_parallel_backend(BACKEND, SkdeepDaskBackend)
    try:
        with joblib.parallel_config(
            backend=BACKEND, client=client, no_workers_timeout=no_workers_timeout
        ):
            yield client
    finally:
        # Each worker's teardown puts back the environment the search set.
        with contextlib.suppress(Exception):  # a cluster already gone has nothing to restore
            client.unregister_worker_plugin(PLUGIN)
