"""The Dask worker plugin of :func:`skdeep.parallel.dask_backend` (imported only with Dask)."""

import os

from distributed import WorkerPlugin

from skdeep.parallel import local_devices, worker_settings


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
        """Apply the settings in the worker's process (Dask calls this once per worker)."""
        devices = local_devices() if self.positions else []
        settings = worker_settings(
            worker.state.nthreads, self.positions.get(worker.address), devices
        )
        os.environ.update(settings)
        worker.skdeep_settings = settings
