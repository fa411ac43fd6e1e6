"""What each fit of a search reports back: its predictions, history and progress.

:func:`~skdeep.tasks.run_task` runs scikit-learn's ``GridSearchCV``, which
fits in worker processes and keeps only scores. :class:`FoldReports` adds a
scorer that, after each fit, sends the fold's true and predicted targets and
training history (and, when asked, the fitted pipeline) back to the main
process over a local authenticated connection (``multiprocessing.connection``),
where they feed the classification report, the learning curves and the
progress bar. The scorer itself always scores 0.

The channel cannot stall the work: each connection is authenticated in its
own thread, so one that closes at once, sends garbage, holds the line or
has the wrong key is dropped without holding up the scorers'. An error
while recording a report (a progress callback that raises) is sent back to
the scorer, which ends the search, and is raised by the ``with`` block.
"""

import contextlib
import os
import secrets
import shutil
import socket
import tempfile
import threading
from multiprocessing import AuthenticationError
from multiprocessing.connection import Client, Listener, answer_challenge, deliver_challenge

import numpy as np


class FoldReports:
    """Collect one report per fit while a search runs (a context manager).

    Parameters
    ----------
    grid_keys : list of str
        The searched parameters, which identify a candidate.
    progress : callable or None
        ``progress(done, total, label)`` after each fit.
    total : int
        Fits the search will make.
    n_splits : int
        Folds per candidate, for the progress label.
    keep_estimators : bool
        Send the fitted pipelines back too.
    """

    def __init__(self, grid_keys, progress, total, n_splits, keep_estimators):
        self.grid_keys = sorted(grid_keys)
        self.progress, self.total, self.n_splits = progress, total, n_splits
        self.keep_estimators = keep_estimators
        self.records = {}
        self._candidates = []

    def __enter__(self):
        self._authkey = secrets.token_bytes(32)
        # Authentication is done per connection (below), so that a connection
        # that is not one of the scorers' cannot stop the others being heard.
        # A socket file in a private folder only this user can reach, removed at
        # the end; loopback where there are none, or the path is too long.
        self._folder = tempfile.mkdtemp(prefix="skdeep-reports-")
        socket_path = os.path.join(self._folder, "listener")
        if os.name == "posix" and len(socket_path) < 100:
            self._listener = Listener(socket_path, family="AF_UNIX")
        else:
            self._listener = Listener(("127.0.0.1", 0), family="AF_INET")
        self._lock = threading.Lock()
        self._closing, self._error, self._serving = False, None, []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, traceback):
        self._closing = True
        with contextlib.suppress(OSError):  # wakes the accepting thread
            family = socket.AF_UNIX if isinstance(self._listener.address, str) else socket.AF_INET
            with socket.socket(family) as wake:
                wake.connect(self._listener.address)
        self._thread.join(timeout=30)
        for thread in list(self._serving):
            thread.join(timeout=30)
        self._listener.close()
        shutil.rmtree(self._folder, ignore_errors=True)
        if self._error is not None:
            raise self._error  # the reporting error ends the run, not the scorer's echo of it

    @property
    def scorer(self):
        """The scorer to add to the search's ``scoring`` dict."""
        return _ReportingScorer(
            self._listener.address, self._authkey, self.grid_keys, self.keep_estimators
        )

    def for_candidate(self, params):
        """The reports of the candidate ``params``, in the order the fits ended."""
        return self.records.get(_key(params, self.grid_keys), [])

    def _accept(self):
        while not self._closing:
            try:
                connection = self._listener.accept()
            except OSError:
                continue
            if self._closing:
                connection.close()
                return
            thread = threading.Thread(target=self._serve, args=(connection,), daemon=True)
            thread.start()

    def _serve(self, connection):
        """Authenticate one connection and record its report; anything else is dropped."""
        with connection:
            try:
                deliver_challenge(connection, self._authkey)
                answer_challenge(connection, self._authkey)
            except (OSError, EOFError, ValueError, AuthenticationError):
                return  # not one of the scorers: the run goes on without it
            self._serving.append(threading.current_thread())
            try:
                message = connection.recv()
                with self._lock:
                    self._record(message)
                failure = None
            except Exception as error:
                with self._lock:
                    self._error = self._error or error
                failure = f"{type(error).__name__}: {error}"
            with contextlib.suppress(OSError):
                connection.send(failure)

    def _record(self, message):
        key = message.pop("candidate")
        self.records.setdefault(key, []).append(message)
        if key not in self._candidates:
            self._candidates.append(key)
        if self.progress is not None:
            self.progress(sum(map(len, self.records.values())), self.total, self._label(key))

    def _label(self, key):
        label = f"fold {len(self.records[key])}/{self.n_splits}"
        if self.grid_keys:
            number = self._candidates.index(key) + 1
            label = f"candidate {number}/{self.total // self.n_splits}, {label}"
        return label


class _ReportingScorer:
    """A scorer that reports the fit it is given and scores 0 (runs in the workers)."""

    def __init__(self, address, authkey, grid_keys, keep_estimators):
        self.address, self.authkey = address, authkey
        self.grid_keys, self.keep_estimators = grid_keys, keep_estimators

    def __call__(self, estimator, X, y):
        model = _network(estimator)
        message = {
            "candidate": _key(estimator.get_params(), self.grid_keys),
            "y_true": np.asarray(y),
            "y_pred": np.asarray(estimator.predict(X)),
            "history": dict(getattr(model, "history_", {})),
            "estimator": estimator if self.keep_estimators else None,
        }
        with Client(self.address, authkey=self.authkey) as client:
            client.send(message)
            failure = client.recv()
        if failure is not None:
            raise RuntimeError(f"Reporting this fit to the main process failed: {failure}")
        return 0.0


def _network(estimator):
    """The Keras estimator inside ``estimator``: through pipelines and meta-estimators.

    A recipe may wrap its network (a ``TransformedTargetRegressor`` around a
    ``KerasRegressor``, say); the fitted inner estimator holds ``history_``.
    """
    seen = 0
    while not hasattr(estimator, "history_") and seen < 10:
        seen += 1
        if hasattr(estimator, "steps"):
            estimator = estimator.steps[-1][1]
            continue
        inner = next(
            (
                getattr(estimator, name)
                for name in ("regressor_", "best_estimator_", "estimator_", "classifier_")
                if hasattr(estimator, name)
            ),
            None,
        )
        if inner is None:
            break
        estimator = inner
    return estimator


def _key(params, keys):
    return repr([(k, params.get(k)) for k in keys])
