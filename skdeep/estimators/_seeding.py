"""Seeding a fit without disturbing the caller's random streams.

Keras draws its randomness from Python's :mod:`random` (the default seeds of
initializers and dropout layers), NumPy's global generator (shuffling on the
JAX and NumPy backends), Keras' own global ``SeedGenerator`` (``keras.random``
calls without a seed) and the backend framework's generator (shuffling
through ``tf.data`` on TensorFlow, ``torch`` samplers on PyTorch).
:func:`seeded` seeds all of them for the duration of a ``with`` block and
then puts every one back exactly as it was, so a seeded fit is reproducible
and the caller's streams continue as if skdeep had not run. It never
touches TensorFlow's op-determinism switch, which cannot be undone.
"""

import contextlib
import random
import sys
import threading

import keras
import numpy as np
from sklearn.utils import check_random_state

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


def _seed_keras_default_seeds(seed):
    """Draw the seeds of this thread's unseeded Keras initializers from ``seed``.

    Keras reads them from the module ``python_random`` of
    ``keras.src.random.seed_generator`` (an internal). Without it, they come
    from the global :mod:`random` seeded by :func:`seeded`, which is
    reproducible unless another thread draws from it during the fit.
    """
    try:
        from keras.src.random import seed_generator  # internal: guarded
    except ImportError:
        return lambda: None
    current = getattr(seed_generator, "python_random", None)
    if not hasattr(current, "randint"):
        return lambda: None
    if not isinstance(current, _PerThreadRandom):
        current = seed_generator.python_random = _PerThreadRandom(current)
    return current.use(random.Random(seed))


def _seed_backend(seed):
    """Seed the backend framework and return a function that restores it."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        from skdeep.estimators._tensorflow import seed_tensorflow

        return seed_tensorflow(seed)
    if backend == "torch":
        torch = sys.modules["torch"]
        state = torch.get_rng_state()
        torch.manual_seed(seed)
        return lambda: torch.set_rng_state(state)
    # JAX and NumPy backends draw only from the generators seeded above.
    return lambda: None
