"""The frameworks' process-wide state a fit touches: random streams and thread pools.

**Random streams.** Keras draws its randomness from Python's :mod:`random`
(the default seeds of initializers and dropout layers), NumPy's global
generator (shuffling on the JAX and NumPy backends), Keras' own global
``SeedGenerator`` (``keras.random`` calls without a seed) and the backend
framework's generator (shuffling through ``tf.data`` on TensorFlow, ``torch``
samplers on PyTorch). :func:`seeded` seeds all of them for the duration of a
``with`` block and then puts every one back exactly as it was, so a seeded
fit is reproducible and the caller's streams continue as if skdeep had not
run. It never touches TensorFlow's op-determinism switch, which cannot be
undone.

**Thread pools.** ``GridSearchCV(n_jobs=k)`` runs fits in joblib worker
processes and gives each its share of the cores through ``OMP_NUM_THREADS``
(``cpu_count // k``). BLAS libraries read that variable; TensorFlow and XLA
do not, so by default every worker starts a thread per core and k workers
oversubscribe the machine. :func:`limit_framework_threads` applies the share
to the framework once per process, before its first fit or prediction:

* TensorFlow: through ``tf.config.threading``, in any process where
  ``OMP_NUM_THREADS`` is set and TensorFlow's runtime has not started;
* JAX: XLA reads its thread settings from the ``XLA_FLAGS`` environment
  variable before its first computation, so skdeep sets them only in
  worker processes (joblib's, multiprocessing's, Dask's), never in the
  main process, whose environment belongs to the user.
"""

import contextlib
import multiprocessing
import os
import random
import sys
import threading

import keras
import numpy as np
from sklearn.utils import check_random_state

from skdeep._framework.native_logs import native_lines_filtered

_MAX_SEED = 2**31 - 1


def seed_from_random_state(random_state):
    """Turn a scikit-learn ``random_state`` into an integer seed, or None.

    An int is used as it is; a :class:`numpy.random.RandomState` yields its
    next draw (so a shared generator gives each fit a new seed, as in
    scikit-learn); None means "do not seed".
    """
    if random_state is None:
        return None
    if isinstance(random_state, (int, np.integer)):
        return int(random_state) % (_MAX_SEED + 1)
    return int(check_random_state(random_state).randint(0, _MAX_SEED))


@contextlib.contextmanager
def seeded(seed):
    """Seed Python, NumPy, Keras and the backend inside a ``with`` block.

    Parameters
    ----------
    seed : int or None
        The seed. None makes the block a no-op.

    Examples
    --------
    >>> import random
    >>> with seeded(0):
    ...     first = random.random()
    >>> with seeded(0):
    ...     second = random.random()
    >>> first == second
    True
    """
    if seed is None:
        yield
        return
    python_state = random.getstate()
    numpy_state = np.random.get_state()
    restore_keras = _swap_keras_seed_generator(seed)
    restore_default_seeds = _seed_keras_default_seeds(seed)
    restore_backend = _seed_backend(seed)
    random.seed(seed)
    np.random.seed(seed)
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        restore_backend()
        restore_default_seeds()
        restore_keras()


def _swap_keras_seed_generator(seed):
    """Give Keras a global ``SeedGenerator`` of our own; return how to put the caller's back.

    Keras keeps its global generator in a private registry
    (``keras.src.backend.common.global_state``). Without that internal, the
    caller's generator is left in place: a seeded fit then stays
    reproducible for everything but unseeded ``keras.random`` calls inside
    user code, and may advance the caller's stream.
    """
    try:
        from keras.src.backend.common import global_state  # internal: guarded
    except ImportError:
        return lambda: None
    name = "global_seed_generator"
    previous = global_state.get_global_attribute(name)
    global_state.set_global_attribute(name, keras.random.SeedGenerator(seed))
    return lambda: global_state.set_global_attribute(name, previous)


class _PerThreadRandom:
    """Python's :mod:`random` for every thread, except those inside a seeded block.

    Keras draws the seeds of unseeded initializers from the process-wide
    :mod:`random`. Other threads of the process (a Dask worker's own, a
    user's, another fit's) draw from it too, so seeding it alone does not
    make a fit reproducible. A thread inside :func:`seeded` gets its own
    generator here; every other thread sees the module as before.
    """

    def __init__(self, fallback):
        self._fallback = fallback
        self._local = threading.local()

    def __getattr__(self, name):
        generator = getattr(self._local, "generator", None)
        return getattr(self._fallback if generator is None else generator, name)

    def use(self, generator):
        """Give the current thread ``generator``; return how to put the previous one back."""
        previous = getattr(self._local, "generator", None)
        self._local.generator = generator

        def restore():
            self._local.generator = previous

        return restore


_installed = {"count": 0, "original": None, "proxy": None}
_installed_lock = threading.Lock()


def _seed_keras_default_seeds(seed):
    """Draw the seeds of this thread's unseeded Keras initializers from ``seed``.

    Keras reads them from the module attribute ``python_random`` of
    ``keras.src.random.seed_generator`` (an internal). While at least one
    seeded block runs, in any thread, that attribute is a
    :class:`_PerThreadRandom` in front of Keras' own; when the last block
    ends, Keras' own object is put back, so nothing of skdeep stays in
    Keras between fits. Without the internal, the seeds come from the
    global :mod:`random` seeded by :func:`seeded`, which is reproducible
    unless another thread draws from it during the fit.
    """
    try:
        from keras.src.random import seed_generator  # internal: guarded
    except ImportError:
        return lambda: None
    with _installed_lock:
        if _installed["count"] == 0:
            current = getattr(seed_generator, "python_random", None)
            if not hasattr(current, "randint"):
                return lambda: None
            _installed["original"] = current
            _installed["proxy"] = seed_generator.python_random = _PerThreadRandom(current)
        _installed["count"] += 1
        proxy = _installed["proxy"]
    restore_generator = proxy.use(random.Random(seed))

    def restore():
        restore_generator()
        with _installed_lock:
            _installed["count"] -= 1
            if _installed["count"] == 0:
                seed_generator.python_random = _installed["original"]
                _installed["original"] = _installed["proxy"] = None

    return restore


def _seed_backend(seed):
    """Seed the backend framework and return a function that restores it."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        from skdeep._framework.tensorflow import seed_tensorflow

        return seed_tensorflow(seed)
    if backend == "torch":
        torch = sys.modules["torch"]
        state = torch.get_rng_state()
        torch.manual_seed(seed)
        return lambda: torch.set_rng_state(state)
    # JAX and NumPy backends draw only from the generators seeded above.
    return lambda: None


# ---------------------------------------------------------------------------
# Thread pools
#: Whether the thread share was applied in this process (read by the estimators
#: before they call :func:`limit_framework_threads`).
STATE = {"threads_applied": False}


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
    if STATE["threads_applied"]:
        return False
    STATE["threads_applied"] = True
    try:
        return _apply_thread_share()
    finally:
        if keras.backend.backend() == "tensorflow":
            with native_lines_filtered():  # the runtime's start writes its CUDA probe
                keras.ops.convert_to_numpy(keras.ops.zeros((1,)))


def _apply_thread_share():
    share = thread_share()
    if share is None:
        return False
    if keras.backend.backend() == "tensorflow":
        from skdeep._framework.tensorflow import limit_threads

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


_quiet_tensorflow = threading.Lock()


@contextlib.contextmanager
def tensorflow_left_unimported():
    """Keras' serialization code in a ``with`` block, without importing TensorFlow.

    Describing a model (``get_config``, ``get_compile_config``,
    ``from_config``) asks, for every object, whether it is a TensorFlow
    shape or dtype; when TensorFlow is installed that question imports it,
    seconds and hundreds of megabytes for a process that trains on JAX or
    PyTorch. When TensorFlow is not imported, nothing can be one of its
    objects, so for the block Keras' lazy handle on it (an internal,
    ``keras.src.utils.module_utils.tensorflow``) answers "not available";
    it asks again afterwards. Without that internal, Keras imports
    TensorFlow as it would anyway.
    """
    if keras.backend.backend() == "tensorflow" or "tensorflow" in sys.modules:
        yield
        return
    try:
        from keras.src.utils import module_utils  # internal: guarded
    except ImportError:
        yield
        return
    handle = getattr(module_utils, "tensorflow", None)
    if handle is None or not hasattr(handle, "_available"):
        yield
        return
    with _quiet_tensorflow:
        handle._available = False
        try:
            yield
        finally:
            handle._available = None
