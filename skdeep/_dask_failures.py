"""A dead Dask worker scores its fits ``error_score``, as a fit that raised would.

When a worker process dies during a fit (killed for memory, a crashed
node), Dask reschedules the fit; after ``distributed.scheduler.allowed-failures``
deaths it gives up with ``KilledWorker``. joblib's Dask backend then stops
the whole search. Under :func:`skdeep.parallel.dask_backend`, the search
instead gets, for each fit of the abandoned batch, what scikit-learn itself
makes of a fit that raised :class:`WorkerDiedError`: ``error_score`` and a
``FitFailedWarning`` (or the error, with ``error_score="raise"``). The
failure is computed by scikit-learn's own ``_fit_and_score`` on the
client, with the batch's estimator made to raise, so the result has
exactly the form of any failed fit. Each batch of fits carries its own
copy of the data: joblib would otherwise scatter the data once to one
worker, and that worker's death would cancel every fit that needs it.

The backend also keeps every fit on the cluster: joblib would run a call
in the client when the cluster has a single worker thread up.

This needs two internals, each used only in the one guarded function here
that needs it: joblib's Dask backend class (:func:`backend_class`; without
it, the plain ``"dask"`` backend is used and a dead worker stops the
search as before) and the layout of a joblib batch of scikit-learn's fits
(:func:`failed_fits`; any other batch, or another layout, keeps Dask's
error).
"""

import copy

#: The name :func:`skdeep.parallel.dask_backend` registers with joblib.
BACKEND = "skdeep-dask"


class WorkerDiedError(RuntimeError):
    """The Dask worker process running a fit died, as many times as Dask allows."""


def backend_class():
    """joblib's Dask backend, extended to report dead workers; None without it."""
    try:
        from distributed.scheduler import KilledWorker
        from joblib._dask import DaskDistributedBackend  # internal: guarded here
    except ImportError:
        return None

    class ReportingDaskBackend(DaskDistributedBackend):
        """joblib's Dask backend; a batch whose worker died returns failed fits."""

        def effective_n_jobs(self, n_jobs):
            # joblib runs a call with one job in the calling process: with one
            # worker thread up (say, the others restarting after a death) the
            # fits would run in the client. Dask queues whatever its workers
            # cannot start yet, so at least two keeps every fit on the cluster.
            return max(2, super().effective_n_jobs(n_jobs))

        def compute_batch_size(self):
            # One fit per Dask task: a dead worker's task then holds only the fit
            # that killed it (fits take seconds, so batching them saves nothing).
            return 1

        def start_call(self):
            super().start_call()
            # No automatic scatter: data scattered once lives on one worker, and
            # when that worker dies every fit that needs it is cancelled too.
            self.call_data_futures = None

        def stop_call(self):
            self.call_data_futures = {}  # what the parent clears
            super().stop_call()

        def submit(self, func, callback=None):
            items = list(getattr(func, "items", ()))
            future = super().submit(func, callback)
            if callback is None or not items:
                return future

            def report(done):
                error = done.exception()
                if not isinstance(error, KilledWorker):
                    return
                results = failed_fits(items, error)
                if results is not None:
                    callback(results)

            future.add_done_callback(report)
            return future

    return ReportingDaskBackend


def failed_fits(items, error):
    """What scikit-learn makes of each fit of a batch when its worker died; None if unknown.

    ``items`` are the batch's ``(function, args, kwargs)``; each must be
    scikit-learn's ``_fit_and_score`` (as its searches and
    ``cross_validate`` dispatch it) with the estimator first. It is run
    here with a copy of that estimator whose ``fit`` raises
    :class:`WorkerDiedError`, which scikit-learn turns into its failed-fit
    result. With ``error_score="raise"`` the error itself is returned:
    joblib raises an exception it gets as a result.
    """
    message = (
        f"The Dask worker running this fit died ({type(error).__name__}: {error}); Dask "
        "gave up after distributed.scheduler.allowed-failures attempts. The fit may need "
        "more memory than a worker has (give workers more memory, or fewer threads), or "
        "it crashes the process."
    )
    results = []
    for function, args, kwargs in items:
        inner = getattr(function, "function", function)  # sklearn.utils.parallel._FuncWrapper
        if getattr(inner, "__name__", "") != "_fit_and_score" or not args:
            return None
        estimator = copy.copy(args[0])

        def died(*_, **__):
            raise WorkerDiedError(message)

        estimator.fit = died  # an instance attribute: set_params returns the same object
        try:
            results.append(function(estimator, *args[1:], **kwargs))
        except Exception as raised:  # error_score="raise": joblib raises an exception result
            return raised
    return results
