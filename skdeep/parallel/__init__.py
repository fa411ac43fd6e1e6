"""Running searches and cross-validation on a Dask cluster, one share of cores or GPU per worker.

scikit-learn's searches parallelize through joblib, and joblib's ``"dask"``
backend sends their fits to the workers of a ``distributed`` cluster, so a
``GridSearchCV(..., n_jobs=-1)`` scales out unchanged. What a network needs
on top is that each worker process gives its framework only its share of
the machine: its own threads (``nthreads`` of the worker) and, on machines
with several GPUs, its own GPU, since TensorFlow and JAX otherwise take all
cores and pile every worker onto the first GPU. :func:`dask_backend` does
both, through a Dask worker plugin, before the first fit of each worker, and
puts the workers' settings back when the block ends.

- :mod:`.devices`: which GPU and how many threads each worker gets;
- :mod:`.backend`: :func:`dask_backend` itself;
- :mod:`.worker`: the worker plugin (imported only with Dask).
"""

from skdeep.exceptions import NoWorkersError, WorkerDiedError
from skdeep.parallel.backend import dask_backend
from skdeep.parallel.devices import host_positions, local_devices, pin_device, worker_settings

__all__ = [
    "NoWorkersError",
    "WorkerDiedError",
    "dask_backend",
    "host_positions",
    "local_devices",
    "pin_device",
    "worker_settings",
]
