"""The Dask worker plugin of :func:`skdeep.parallel.dask_backend` (imported only with Dask)."""

import os

from distributed import WorkerPlugin

from skdeep.parallel.devices import local_devices, worker_settings


class WorkerSettings(WorkerPlugin):
    """Sets a worker's thread share and GPU before its first fit.

    Parameters
    ----------
    positions : dict
        Worker address -> position among the workers of its host.
    """

    def __init__(self, positions):
        self.positions = dict(positions)

    def setup(self, worker):
        """Apply the settings in the worker's process (Dask calls this once per worker).

        A variable the worker was started with (``OMP_NUM_THREADS=7``, its own
        ``CUDA_VISIBLE_DEVICES``) is the user's choice and is kept.
        """
        devices = local_devices() if self.positions else []
        settings = worker_settings(
            worker.state.nthreads, self.positions.get(worker.address), devices
        )
        settings = {name: value for name, value in settings.items() if name not in os.environ}
        self._previous = {name: os.environ.get(name) for name in settings}
        os.environ.update(settings)
        worker.skdeep_settings = settings

    def teardown(self, worker):
        """Put the worker's environment back (when the ``dask_backend`` block ends).

        The framework's own thread pools keep the cap they started with: a
        TensorFlow or XLA runtime cannot change its threads once running.
        """
        for name, value in getattr(self, "_previous", {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        worker.skdeep_settings = {}
