"""Keeping parallel fits from fighting over the cores.

``GridSearchCV(n_jobs=k)`` runs fits in joblib worker processes and gives
each its share of the cores through ``OMP_NUM_THREADS`` (``cpu_count // k``).
BLAS libraries read that variable; TensorFlow and XLA do not, so by default
every worker starts a thread per core and k workers oversubscribe the
machine. skdeep applies the share to the framework once per process,
before its first fit or prediction. A user who sets ``OMP_NUM_THREADS``
gets the same cap.
"""

import os

import keras

_state = {"applied": False}


def thread_share():
    """The thread count in ``OMP_NUM_THREADS``, or None when it is unset or invalid.

    Examples
    --------
    >>> import os
    >>> previous = os.environ.pop("OMP_NUM_THREADS", None)
    >>> thread_share() is None
    True
    >>> os.environ["OMP_NUM_THREADS"] = "2"
    >>> thread_share()
    2
    >>> _ = os.environ.pop("OMP_NUM_THREADS") if previous is None else os.environ.update(
    ...     OMP_NUM_THREADS=previous)
    """
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def limit_framework_threads():
    """Cap the backend's threads at :func:`thread_share`, once per process.

    Returns True when a cap was applied. On TensorFlow this must happen
    before its runtime starts; if it already has (the user ran TensorFlow
    code first), the process keeps TensorFlow's own setting.
    """
    if _state["applied"]:
        return False
    _state["applied"] = True
    share = thread_share()
    if share is None:
        return False
    if keras.backend.backend() == "tensorflow":
        from skdeep.estimators._tensorflow import limit_threads

        return limit_threads(share)
    if keras.backend.backend() == "jax" and share == 1:
        return _single_threaded_xla()
    return False


def _single_threaded_xla():
    """Ask XLA's CPU client for one thread, if JAX has not started it yet."""
    flags = os.environ.get("XLA_FLAGS", "")
    if "intra_op_parallelism_threads" in flags or _jax_backend_started():
        return False
    os.environ["XLA_FLAGS"] = (
        f"{flags} --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
    ).strip()
    return True


def _jax_backend_started():
    try:
        from jax._src import xla_bridge

        return bool(xla_bridge._backends)
    except (ImportError, AttributeError):
        return True  # cannot tell: leave XLA alone
