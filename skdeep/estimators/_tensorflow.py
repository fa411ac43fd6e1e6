"""The few things that need TensorFlow itself; imported only on that backend."""

import contextlib
import logging
import weakref

import tensorflow as tf
from tensorflow.python.framework import ops


def seed_tensorflow(seed):
    """Set TensorFlow's global seed and return a function that restores it.

    ``tf.data`` shuffling (what ``model.fit(shuffle=True)`` uses on this
    backend) draws its op seeds from the global seed.
    """
    previous = tf.compat.v1.get_seed(None)[0]
    tf.random.set_seed(seed)
    return lambda: tf.random.set_seed(previous)


class _NoRetracingWarning(logging.Filter):
    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def quiet_retracing():
    """Hide TensorFlow's "triggered tf.function retracing" warning for a block.

    Every new model traces its own training and prediction steps once; in a
    cross-validation or a grid search that is one trace per fit, which
    TensorFlow reports as excessive retracing although nothing is wrong.
    Only that message is dropped; every other warning still shows.
    """
    logger = tf.get_logger()
    quiet = _NoRetracingWarning()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@contextlib.contextmanager
def gradient_registrations_released_with(owner):
    """Unregister, once ``owner`` is garbage, the custom gradients traced in this block.

    Tracing a training step registers gradient functions in TensorFlow's
    global gradient registry: one per ``tf.custom_gradient`` call, and
    ``tf.distribute``'s gradient all-reduce makes one in every train step.
    They stay registered for the life of the process, and each keeps the
    whole traced graph alive: about 3 MB per fit of a small MLP, so memory
    grew by 170 MB over 50 fits of a grid search. A registration is only
    looked up while its own graph is traced, and the graph of a fitted
    model is never differentiated again; so when the model (``owner``) is
    freed, its registrations go too, and with them its graphs.
    """
    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    if not isinstance(registry, dict):  # a TensorFlow without this internal
        yield
        return
    before = set(registry)
    try:
        yield
    finally:
        new = [name for name in list(registry) if name not in before]
        new = [name for name in new if str(name).startswith("CustomGradient-")]
        if new:
            weakref.finalize(owner, _unregister, registry, new)


def _unregister(registry, names):
    for name in names:
        registry.pop(name, None)


def limit_threads(n_threads):
    """Run TensorFlow ops on ``n_threads`` threads; False if its runtime already started."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(n_threads)
        tf.config.threading.set_inter_op_parallelism_threads(n_threads)
    except RuntimeError:  # "cannot be modified after initialization"
        return False
    return True


def repeating_dataset(arrays, batch_size, shuffle):
    """Batches of row-aligned ``arrays``, epoch after epoch, from one ``tf.data`` pipeline.

    Each epoch is the rows in a new random order (or in order without
    ``shuffle``) cut into ``batch_size`` batches, the last one short, as
    ``model.fit`` does with arrays; the epochs follow each other in the same
    iterator, so ``model.fit`` needs ``steps_per_epoch``. The order is drawn
    from TensorFlow's seed, as Keras' own array input does. Only row
    indices are shuffled; the rows are gathered per batch. The pipeline
    runs in the thread that trains (no prefetching thread), so a fit uses
    the threads it was given and no more.
    """
    tensors = tuple(tf.convert_to_tensor(array) for array in arrays)
    rows = tf.data.Dataset.range(len(arrays[0]))
    if shuffle:
        rows = rows.shuffle(len(arrays[0]), reshuffle_each_iteration=True)
    batches = rows.batch(batch_size).map(
        lambda index: tuple(tf.gather(tensor, index) for tensor in tensors)
    )
    options = tf.data.Options()
    options.experimental_optimization.inject_prefetch = False
    options.autotune.enabled = False
    options.threading.private_threadpool_size = 1
    return batches.repeat().with_options(options)
