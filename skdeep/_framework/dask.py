"""The joblib backend of :func:`skdeep.parallel.dask_backend`: a dead worker scores ``error_score``.

When a worker process dies during a fit (killed for memory, a crashed
node), Dask restarts it and reruns the fit elsewhere; after
``distributed.scheduler.allowed-failures`` deaths it gives up with
``KilledWorker``. joblib's own Dask backend then leaves the search with an
error about an unrelated task, or waiting. This backend hands joblib every
outcome: the fits' results or, for fits that Dask gave up on, what
scikit-learn's ``_fit_and_score`` itself makes of a fit that raised
:class:`WorkerDiedError`: ``error_score`` and a ``FitFailedWarning`` (the
error itself with ``error_score="raise"``). Any other parallel call whose
worker died raises Dask's error.

Three choices make the outcome belong to the fit that killed its worker:

- each fit is a Dask task of its own, carrying its own data (data scattered
  to a worker dies with it);
- no more fits are on the cluster than its live workers have threads (counted
  again before each fit is sent, and once a second, so that fits wait while
  dead workers restart), so Dask never parks a fit, not yet started, on a
  worker that another fit is about to kill (Dask counts every fit assigned
  to a dying worker as a suspect, and fails it after two such deaths);
- a fit's result is fetched before the next fit is sent.

When the cluster has no worker at all for ``no_workers_timeout`` seconds
(nannies that gave up restarting, a cluster scaled to zero) while fits are
waiting, the search raises :class:`NoWorkersError` instead of waiting.

Two internals are used, each only in the one function that needs it:
joblib's Dask backend class, which this one extends
(:class:`SkdeepDaskBackend`), and the layout of a batch of scikit-learn's fits
(:func:`failed_fits`).
"""

import collections
import copy
import threading
import time

from distributed import KilledWorker

from skdeep.exceptions import NoWorkersError, WorkerDiedError

# joblib's Dask backend class is an internal; this module exists to extend
# it, is imported only by dask_backend, and a joblib without it raises here
# with a message saying which joblib works (tests/test_dask.py checks it).
try:
    from joblib._dask import DaskDistributedBackend  # internal: this module's one use
except ImportError as error:  # pragma: no cover - depends on the installed joblib
    raise ImportError(
        "skdeep.parallel.dask_backend needs joblib's Dask backend (joblib >= 1.5 with "
        f"distributed installed); this joblib has none ({error})."
    ) from error

#: The name :func:`skdeep.parallel.dask_backend` registers with joblib.
BACKEND = "skdeep-dask"


class CallBatch:
    """A batch's ``(function, args, kwargs)`` calls, opaque to Dask.

    Dask releases before 2025 read a tuple whose first item is callable
    inside a task's arguments as a task of its own, and would run
    ``function(args, kwargs)`` (scikit-learn's fits failed with "missing
    argument y"): wrapped, the calls reach :func:`run_calls` as joblib made
    them.
    """

    def __init__(self, calls):
        self.calls = list(calls)


def run_calls(batch):
    """Run a batch's ``(function, args, kwargs)`` calls in a worker; exceptions come back as values.

    Parameters
    ----------
    batch : CallBatch
        The batch's calls, as joblib lists them.

    Returns
    -------
    list or BaseException
        The calls' results, or the first exception one of them raised.

    Examples
    --------
    >>> run_calls(CallBatch([(divmod, (7, 2), {})]))
    [(3, 1)]
    >>> run_calls(CallBatch([(divmod, (7, 0), {})]))
    ZeroDivisionError('integer division or modulo by zero')
    """
    try:
        return [function(*args, **kwargs) for function, args, kwargs in batch.calls]
    except BaseException as error:  # joblib raises an exception it gets as a result
        return error


class SkdeepDaskBackend(DaskDistributedBackend):
    """joblib's Dask backend, reporting every fit's outcome to joblib.

    One Dask task per fit, at most one per worker thread; the fits of a dead
    worker become failed fits (:func:`failed_fits`).
    """

    def __init__(self, *args, no_workers_timeout=60.0, **kwargs):
        super().__init__(*args, **kwargs)
        self.no_workers_timeout = no_workers_timeout

    def effective_n_jobs(self, n_jobs):
        # joblib runs a call with one job in the calling process: with one
        # worker thread up (the others restarting after a death) the fits
        # would run in the client. At least two keeps them on the cluster.
        return max(2, super().effective_n_jobs(n_jobs))

    def compute_batch_size(self):
        return 1  # a dead worker's task holds only the fit that killed it

    def start_call(self):
        self._lock = threading.Lock()
        self._waiting = collections.deque()  # (calls, callback) not sent yet
        self._running = {}  # Dask future -> (calls, callback)
        # each call has its own stop signal: the backend serves many calls
        self._stopped = threading.Event()
        watchdog = threading.Thread(
            target=self._watch_workers,
            args=(self._stopped,),
            name="skdeep-dask-watchdog",
            daemon=True,
        )
        watchdog.start()

    def stop_call(self):
        self._stopped.set()
        self.abort_everything()

    def submit(self, func, callback=None):
        with self._lock:
            self._waiting.append((list(func.items), callback))
        self._send_waiting()

    def _live_threads(self):
        try:
            return sum(self.client.nthreads().values())
        except Exception:  # the client is closing: stop_call follows
            return 0

    def _send_waiting(self):
        slots = self._live_threads()
        while True:
            with self._lock:
                if self._stopped.is_set() or not self._waiting:
                    return
                if len(self._running) >= slots:
                    return
                calls, callback = self._waiting.popleft()
                future = self.client.submit(
                    run_calls, CallBatch(calls), pure=False, **self.submit_kwargs
                )
                self._running[future] = (calls, callback)
            future.add_done_callback(self._report)

    def _report(self, future):
        with self._lock:
            entry = self._running.get(future)
        if entry is None:
            return  # aborted, or failed by the watchdog
        calls, callback = entry
        try:
            outcome = future.result()
        except KilledWorker as error:
            outcome = failed_fits(calls, error)
        except BaseException as error:  # cancelled, lost: joblib raises it
            outcome = error
        with self._lock:
            if self._running.pop(future, None) is None:
                return
        self._send_waiting()
        if callback is not None:
            callback(outcome)

    def _watch_workers(self, stopped):
        alone_since = None
        while not stopped.wait(1.0):
            try:
                workers = len(self.client.nthreads())
            except Exception:  # the client is closing: stop_call follows
                return
            with self._lock:
                busy = bool(self._running or self._waiting)
            if workers or not busy:
                alone_since = None
                self._send_waiting()  # fits that waited for restarted workers
                continue
            alone_since = alone_since or time.monotonic()
            if time.monotonic() - alone_since >= self.no_workers_timeout:
                if not stopped.is_set():
                    self._fail_everything()
                return

    def _fail_everything(self):
        error = NoWorkersError(
            f"The Dask cluster has had no worker for {self.no_workers_timeout:g} s while "
            "fits were waiting: its workers died and were not restarted, or it was scaled "
            "down. Restart the workers (or the cluster) and run the search again; "
            "dask_backend(client, no_workers_timeout=...) sets how long to wait."
        )
        with self._lock:
            running, waiting = self._running, self._waiting
            self._running, self._waiting = {}, collections.deque()
        for future in running:
            future.cancel()  # nothing waits for them any more
        for _, callback in [*running.values(), *waiting]:
            if callback is not None:
                callback(error)

    def retrieve_result_callback(self, out):
        if isinstance(out, BaseException):
            raise out
        return out

    def abort_everything(self, ensure_ready=True):
        with self._lock:
            running = list(self._running)
            self._running, self._waiting = {}, collections.deque()
        for future in running:
            future.cancel()


def failed_fits(calls, error):
    """What scikit-learn makes of each fit of a batch whose worker died.

    Each call must be scikit-learn's ``_fit_and_score`` (as its searches and
    ``cross_validate`` dispatch it), with the estimator first: it runs here
    with a copy of that estimator whose ``fit`` raises
    :class:`WorkerDiedError`, which scikit-learn turns into its failed-fit
    result. Any other call (or ``error_score="raise"``) gives the error.

    Parameters
    ----------
    calls : list of tuple
        The batch's ``(function, args, kwargs)``.
    error : Exception
        Dask's ``KilledWorker``.

    Returns
    -------
    list or Exception
        The fits' results, or the error for joblib to raise.
    """
    died = WorkerDiedError(
        f"The Dask worker running this fit died ({type(error).__name__}: {error}). Dask "
        "gave up after distributed.scheduler.allowed-failures restarts. The fit may need "
        "more memory than a worker has (give the workers more memory, or fewer threads), "
        "or it crashes its process."
    )
    results = []
    for function, args, kwargs in calls:
        inner = getattr(function, "function", function)  # scikit-learn's _FuncWrapper
        if getattr(inner, "__name__", "") != "_fit_and_score" or not args:
            return error
        estimator = copy.copy(args[0])

        def fit(*_, **__):
            raise died

        estimator.fit = fit  # an instance attribute: set_params returns the same object
        try:
            results.append(function(estimator, *args[1:], **kwargs))
        except Exception as raised:  # error_score="raise"
            return raised
    return results
