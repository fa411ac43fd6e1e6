"""What each fit of a search reports back: its predictions, history and progress.

:func:`~skdeep.tasks.run_task` runs scikit-learn's ``GridSearchCV``, which
fits in worker processes and keeps only scores. :class:`FoldReports` adds a
scorer that, after each fit, sends the fold's true and predicted targets and
training history (and, when asked, the fitted pipeline) back to the main
process over a local authenticated connection (``multiprocessing.connection``),
where they feed the classification report, the learning curves and the
progress bar. The scorer itself always scores 0.
"""

import secrets
import threading
from multiprocessing.connection import Client, Listener

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
        self._listener = Listener(authkey=self._authkey)
        self._thread = threading.Thread(target=self._receive, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        with Client(self._listener.address, authkey=self._authkey) as client:
            client.send(None)  # tells the receiving thread to stop
        self._thread.join(timeout=30)
        self._listener.close()

    @property
    def scorer(self):
        """The scorer to add to the search's ``scoring`` dict."""
        return _ReportingScorer(
            self._listener.address, self._authkey, self.grid_keys, self.keep_estimators
        )

    def for_candidate(self, params):
        """The reports of the candidate ``params``, in the order the fits ended."""
        return self.records.get(_key(params, self.grid_keys), [])

    def _receive(self):
        while True:
            with self._listener.accept() as connection:
                message = connection.recv()
            if message is None:
                return
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
