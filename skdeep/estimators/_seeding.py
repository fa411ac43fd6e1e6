"""Seeding a fit without leaving process-wide random state behind.

Keras draws its randomness from three places: Python's :mod:`random` (the
default seeds of initializers and dropout layers), NumPy's global generator
(shuffling on the JAX and NumPy backends) and the backend framework's own
generator (shuffling through ``tf.data`` on TensorFlow, ``torch`` samplers on
PyTorch). :func:`seeded` seeds all three for the duration of a ``with`` block
and puts every one of them back as it was afterwards, so that a seeded fit is
reproducible while unseeded code elsewhere in the process stays random. It
never touches TensorFlow's op-determinism switch, which cannot be undone.
"""

import contextlib
import random
import sys

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
    """Seed Python, NumPy and the Keras backend inside a ``with`` block.

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
    restore_backend = _seed_backend(seed)
    random.seed(seed)
    np.random.seed(seed)
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        restore_backend()


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
    # JAX and NumPy backends draw only from Python's and NumPy's generators.
    return lambda: None
