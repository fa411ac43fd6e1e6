"""Running searches and cross-validation on a Dask cluster, one share of cores or GPU per worker.

scikit-learn's searches parallelize through joblib, and joblib's ``"dask"``
backend sends their fits to the workers of a ``distributed`` cluster, so a
``GridSearchCV(..., n_jobs=-1)`` scales out unchanged. What a network needs
on top is that each worker process gives its framework only its share of
the machine: its own threads (``nthreads`` of the worker) and, on machines
with several GPUs, its own GPU, since TensorFlow and JAX otherwise take all
cores and pile every worker onto the first GPU. :func:`dask_backend` does
both, through a Dask worker plugin, before the first fit of each worker.
"""

import contextlib
import os
import shutil
import subprocess
from urllib.parse import urlsplit

from skdeep._dask_backend import NoWorkersError, WorkerDiedError

__all__ = [
    "NoWorkersError",
    "WorkerDiedError",
    "dask_backend",
    "host_positions",
    "local_devices",
    "pin_device",
    "worker_settings",
]

_EXTRA = (
    "Running on Dask needs the dask extra: pip install 'scikit-deep[dask]' "
    "(dask, distributed and dask-ml)."
)


def _distributed():
    """The ``distributed`` package, or an ImportError that names the extra."""
    try:
        import distributed
    except ImportError:
        raise ImportError(_EXTRA) from None
    return distributed


def host_positions(addresses):
    """Each worker's position among the workers of its host, in address order.

    Parameters
    ----------
    addresses : iterable of str
        Worker addresses, such as ``"tcp://10.0.0.5:40131"``.

    Returns
    -------
    dict
        Address -> position (0, 1, ... on each host).

    Examples
    --------
    >>> host_positions(["tcp://b:2", "tcp://a:9", "tcp://b:1", "tcp://a:3"])
    {'tcp://a:3': 0, 'tcp://a:9': 1, 'tcp://b:1': 0, 'tcp://b:2': 1}
    """
    positions, seen = {}, {}
    for address in sorted(addresses):
        host = urlsplit(address).hostname or address
        positions[address] = seen.get(host, 0)
        seen[host] = positions[address] + 1
    return positions


def pin_device(position, devices):
    """The device a worker at ``position`` on its host gets: round-robin, or None without any.

    Parameters
    ----------
    position : int
        The worker's position among the workers of its host.
    devices : sequence of str
        The host's GPUs, as ``CUDA_VISIBLE_DEVICES`` names them.

    Returns
    -------
    str or None
        The device's name for ``CUDA_VISIBLE_DEVICES``, or None without GPUs.

    Examples
    --------
    >>> [pin_device(p, ["0", "1"]) for p in range(5)]
    ['0', '1', '0', '1', '0']
    >>> pin_device(0, []) is None
    True
    """
    return devices[position % len(devices)] if devices else None


def local_devices(environ=None, probe=True):
    """The GPUs of this host, without starting a framework.

    ``CUDA_VISIBLE_DEVICES`` when it is set (an empty value means none);
    otherwise ``nvidia-smi -L``, when it exists (``probe=True``).

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (``os.environ`` by default).
    probe : bool, default=True
        Ask ``nvidia-smi`` when ``CUDA_VISIBLE_DEVICES`` is not set.

    Returns
    -------
    list of str
        The GPUs, as ``CUDA_VISIBLE_DEVICES`` names them.

    Examples
    --------
    >>> local_devices({"CUDA_VISIBLE_DEVICES": "2,3"})
    ['2', '3']
    >>> local_devices({"CUDA_VISIBLE_DEVICES": ""})
    []
    """
    environ = os.environ if environ is None else environ
    if "CUDA_VISIBLE_DEVICES" in environ:
        return [d.strip() for d in environ["CUDA_VISIBLE_DEVICES"].split(",") if d.strip()]
    if not probe or shutil.which("nvidia-smi") is None:
        return []
    try:
        listing = subprocess.run(
            ["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [str(i) for i, line in enumerate(listing.splitlines()) if line.startswith("GPU ")]


def worker_settings(nthreads, position, devices):
    """The environment a worker process sets before its first fit.

    Parameters
    ----------
    nthreads : int
        The worker's threads: its share of the host's cores.
    position : int or None
        Its position among the workers of its host (None: not known when
        the plugin was registered, so no GPU is pinned).
    devices : sequence of str
        The host's GPUs.

    Returns
    -------
    dict
        Environment variables to set.

    Examples
    --------
    >>> worker_settings(2, 1, ["0", "1"])
    {'OMP_NUM_THREADS': '2', 'CUDA_VISIBLE_DEVICES': '1'}
    >>> worker_settings(1, None, ["0", "1"])
    {'OMP_NUM_THREADS': '1'}
    """
    settings = {"OMP_NUM_THREADS": str(max(1, int(nthreads)))}
    device = None if position is None else pin_device(position, devices)
    if device is not None:
        settings["CUDA_VISIBLE_DEVICES"] = device
    return settings


@contextlib.contextmanager
def dask_backend(client=None, *, pin_gpus=True, no_workers_timeout=60.0):
    """Run scikit-learn's parallel fits on a Dask cluster, each worker with its share.

    Inside the ``with`` block, every joblib-parallel scikit-learn call
    (``GridSearchCV(n_jobs=-1)``, ``cross_validate``, the halving searches)
    sends its fits to the cluster's workers. Before its first fit, each
    worker caps TensorFlow's (or XLA's) threads at the worker's ``nthreads``
    and, when its host has GPUs and ``pin_gpus`` is true, sees only one of
    them (round-robin over the workers of the host).

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
    from skdeep._dask_worker import WorkerSettings

    addresses = list(client.scheduler_info(n_workers=-1)["workers"])
    positions = host_positions(addresses) if pin_gpus else {}
    client.register_plugin(WorkerSettings(positions), name="skdeep-worker-settings")
    import joblib

    from skdeep._dask_backend import BACKEND, backend_class

    joblib.register_parallel_backend(BACKEND, backend_class())
    with joblib.parallel_config(
        backend=BACKEND, client=client, no_workers_timeout=no_workers_timeout
    ):
        yield client
