"""Keeping parallel fits from fighting over the cores.

``GridSearchCV(n_jobs=k)`` runs fits in joblib worker processes and gives
each its share of the cores through ``OMP_NUM_THREADS`` (``cpu_count // k``).
BLAS libraries read that variable; TensorFlow and XLA do not, so by default
every worker starts a thread per core and k workers oversubscribe the
machine. skdeep applies the share to the framework once per process,
before its first fit or prediction:

* TensorFlow: through ``tf.config.threading``, in any process where
  ``OMP_NUM_THREADS`` is set and TensorFlow's runtime has not started;
* JAX: XLA reads its thread settings from the ``XLA_FLAGS`` environment
  variable before its first computation, so skdeep sets them only in
  worker processes (joblib's, multiprocessing's, Dask's), never in the
  main process, whose environment belongs to the user.
"""

import multiprocessing
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
    if keras.backend.backend() == "jax" and share == 1 and is_worker_process():
        return _single_threaded_xla()
    return False


def is_worker_process():
    """Whether this process was started by another Python process (a pool worker)."""
    return multiprocessing.parent_process() is not None


def xla_single_thread_flags(flags):
    """``XLA_FLAGS`` with XLA's CPU client asked for one thread (unchanged if already set).

    Examples
    --------
    >>> xla_single_thread_flags("--xla_dump_to=/tmp/x")
    '--xla_dump_to=/tmp/x --xla_cpu_multi_thread_eigen=false'
    >>> xla_single_thread_flags("--xla_cpu_multi_thread_eigen=true")
    '--xla_cpu_multi_thread_eigen=true'
    """
    if "xla_cpu_multi_thread_eigen" in flags:
        return flags
    return f"{flags} --xla_cpu_multi_thread_eigen=false".strip()


def _single_threaded_xla():
    if _jax_backend_started():
        return False
    os.environ["XLA_FLAGS"] = xla_single_thread_flags(os.environ.get("XLA_FLAGS", ""))
    return True


def _jax_backend_started():
    """Whether JAX has created its backends (after which XLA_FLAGS is ignored).

    JAX keeps them in a private dict (``jax._src.xla_bridge._backends``).
    Without that internal, this answers True: skdeep then leaves XLA alone.
    """
    try:
        from jax._src import xla_bridge  # internal: guarded

        return bool(xla_bridge._backends)
    except (ImportError, AttributeError):
        return True
