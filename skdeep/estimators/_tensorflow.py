"""The few things that need TensorFlow itself; imported only on that backend."""

import contextlib
import logging

import tensorflow as tf


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


def limit_threads(n_threads):
    """Run TensorFlow ops on ``n_threads`` threads; False if its runtime already started."""
    try:
        tf.config.threading.set_intra_op_parallelism_threads(n_threads)
        tf.config.threading.set_inter_op_parallelism_threads(n_threads)
    except RuntimeError:  # "cannot be modified after initialization"
        return False
    return True
