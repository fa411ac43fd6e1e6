"""The few things that need TensorFlow itself; imported only on that backend.

Public TensorFlow API only, except where a function says otherwise: each
use of a TensorFlow internal lives inside the one function that needs it,
guarded, with the behaviour when it is missing documented there and tested.
"""

import contextlib
import logging
import random
import weakref

import tensorflow as tf


def random_state_snapshot():
    """A function that puts TensorFlow's global random state back as it is now.

    ``tf.random.set_seed`` also restarts the stream of op seeds that
    unseeded random ops draw from, so restoring the seed alone would make
    the caller's next random numbers repeat earlier ones. The eager
    context keeps that stream in a private Python ``random.Random``
    (``context()._rng``); it is saved and put back with the seed. Without
    that internal (a future TensorFlow), only the seed is restored.
    """
    from tensorflow.python.eager import context  # internal: guarded below

    ctx = context.context()
    seed = getattr(ctx, "_seed", None)
    rng = getattr(ctx, "_rng", None)
    rng_state = rng.getstate() if hasattr(rng, "getstate") else None

    def restore():
        set_global_seed(seed)
        current = getattr(ctx, "_rng", None)
        if rng_state is not None and hasattr(current, "setstate"):
            current.setstate(rng_state)

    return restore


def set_global_seed(seed):
    """``tf.random.set_seed(seed)``, keeping the runtime's caches of compiled functions.

    ``tf.random.set_seed`` sets the eager context's seed and restarts its
    stream of op seeds, then clears every cache of the runtime: the kernels
    of stateful random ops (so that they restart their counters), but also
    each instantiated ``tf.function``, which the next call optimizes again
    (about 0.3 s for the whole-epoch training step of a small MLP, paid
    twice by every seeded fit: when it seeds and when it restores the
    caller's seed). Keras draws its random numbers from seed generators of
    its own, not from such kernels, so only the seed and the op-seed
    stream are set here (two private attributes of the eager context).
    Without them (another TensorFlow), ``tf.random.set_seed`` is called.
    The one difference: an eager stateful random op such as
    ``tf.random.uniform`` run by a builder repeats its numbers only from a
    fresh process, not from one seeded fit to the next.
    """
    from tensorflow.python.eager import context  # internal: guarded

    ctx = context.context()
    if not (tf.executing_eagerly() and hasattr(ctx, "_seed") and hasattr(ctx, "_rng")):
        tf.random.set_seed(seed)
        return
    ctx._seed = seed
    ctx._rng = random.Random(None if seed is None else int(seed))


def seed_tensorflow(seed):
    """Set TensorFlow's global seed; return a function that restores the caller's state."""
    restore = random_state_snapshot()
    set_global_seed(seed)
    return restore


class _NoRetracingWarning(logging.Filter):
    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def retracing_warning_hidden():
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
def training_context(model):
    """Around ``model.fit``: no retracing warning, the traced graphs freed with ``model``."""
    with retracing_warning_hidden(), traced_gradients_freed_with(model):
        yield


def _gradient_registry():
    """TensorFlow's global gradient registry (a dict), or None without that internal."""
    try:
        from tensorflow.python.framework import ops  # internal: guarded
    except ImportError:
        return None
    registry = getattr(getattr(ops, "_gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, dict) else None


@contextlib.contextmanager
def traced_gradients_freed_with(owner):
    """Unregister, once ``owner`` is garbage, the custom gradients traced in this block.

    Tracing a training step registers gradient functions in TensorFlow's
    global gradient registry: one per ``tf.custom_gradient`` call, and
    ``tf.distribute``'s gradient all-reduce makes one in every train step.
    They stay registered for the life of the process, and each keeps the
    whole traced graph alive: about 3 MB per fit of a small MLP. A
    registration is only looked up while its own graph is traced, and the
    graph of a fitted model is never differentiated again; so when the
    model (``owner``) is freed, its registrations go too, and with them
    its graphs.

    The registry is a TensorFlow internal. Without it, this does nothing:
    training works as before, and memory grows by the traced graphs.
    """
    registry = _gradient_registry()
    if registry is None:
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


def epoch_order(n_samples, seed, epoch, shuffle=True):
    """Row order of epoch ``epoch`` (from 0) of :func:`epochs_dataset`, as NumPy."""
    return _order(tf.range(n_samples, dtype="int64"), seed, tf.constant(epoch, "int64"), shuffle)


def _order(rows, seed, epoch, shuffle):
    if not shuffle:
        return rows
    key = tf.stack([tf.constant(seed, "int64"), epoch])
    return tf.random.experimental.stateless_shuffle(rows, seed=key)


def epochs_dataset(arrays, batch_size, shuffle, seed):
    """Batches of row-aligned ``arrays``, epoch after epoch, from one ``tf.data`` pipeline.

    Epoch ``e`` is every row once, in the order :func:`epoch_order` gives
    for ``(seed, e)`` (or in order without ``shuffle``), cut into
    ``batch_size`` batches with the last one short, as ``model.fit`` does
    with arrays. The epochs follow each other in the same iterator, so
    ``model.fit`` needs ``steps_per_epoch``. Only row indices are shuffled;
    the rows are gathered per batch. The pipeline runs in the thread that
    trains (no prefetching thread), so a fit uses the threads it was given.
    """
    # tf.data stacks Python lists into one tensor: several inputs go as tuples.
    tensors = tf.nest.map_structure(tf.convert_to_tensor, _lists_as_tuples(tuple(arrays)))
    rows = tf.range(len(tf.nest.flatten(arrays)[0]), dtype="int64")
    epochs = tf.data.Dataset.range(2**62)  # ended by model.fit's step count
    batches = epochs.flat_map(
        lambda epoch: tf.data.Dataset.from_tensor_slices(_order(rows, seed, epoch, shuffle)).batch(
            batch_size
        )
    ).map(lambda index: tf.nest.map_structure(lambda t: tf.gather(t, index), tensors))
    options = tf.data.Options()
    options.experimental_optimization.inject_prefetch = False
    options.autotune.enabled = False
    options.threading.private_threadpool_size = 1
    return batches.with_options(options)


def _lists_as_tuples(structure):
    if isinstance(structure, (list, tuple)):
        return tuple(_lists_as_tuples(item) for item in structure)
    if isinstance(structure, dict):
        return {key: _lists_as_tuples(value) for key, value in structure.items()}
    return structure


def mirrored_strategy():
    """A ``MirroredStrategy`` over the local GPUs, or over the logical CPU devices without one."""
    devices = tf.config.list_logical_devices("GPU") or tf.config.list_logical_devices("CPU")
    return tf.distribute.MirroredStrategy([device.name for device in devices])


def is_strategy(value):
    """Whether ``value`` is a ``tf.distribute.Strategy``."""
    return isinstance(value, tf.distribute.Strategy)
