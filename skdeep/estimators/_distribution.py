"""One fit across several devices, through the backend's own data-parallel mechanism.

``distribution="data_parallel"`` replicates the model on every local
accelerator (or every logical CPU device when there is none) and splits
each batch between them:

* JAX: Keras' ``keras.distribution.DataParallel``; the model is built and
  trained inside its scope.
* TensorFlow: ``tf.distribute.MirroredStrategy``; the model is built and
  compiled in its scope and keeps the strategy for its fits.

Both split every batch into equal parts, so the batch size must be a
multiple of the devices, and the training rows are completed to whole
batches with rows of weight zero (they change no gradient, only the
averaging of the one batch they fall in).

A ``keras.distribution.Distribution`` (JAX) or ``tf.distribute.Strategy``
(TensorFlow) instance is used as given. Predictions run on one device.
"""

import contextlib

import keras
import numpy as np

from skdeep import _config

_CHOICES = (
    "None, 'data_parallel', a keras.distribution.Distribution (JAX) or a "
    "tf.distribute.Strategy (TensorFlow)"
)


def resolve(value):
    """The distribution object for ``value`` on the current backend, or None.

    Examples
    --------
    >>> resolve(None) is None
    True
    """
    if value is None:
        return None
    backend = keras.backend.backend()
    if isinstance(value, str) and value == "data_parallel":
        if backend == "jax":
            return keras.distribution.DataParallel(devices=keras.distribution.list_devices())
        if backend == "tensorflow":
            from skdeep.estimators._tensorflow import mirrored_strategy

            return mirrored_strategy()
        raise ValueError(
            f"distribution='data_parallel' is not available on the {backend} backend: "
            "use KERAS_BACKEND=jax or tensorflow, or distribution=None."
        )
    if backend == "jax" and isinstance(value, keras.distribution.Distribution):
        return value
    if backend == "tensorflow":
        from skdeep.estimators._tensorflow import is_strategy

        if is_strategy(value):
            return value
    raise ValueError(
        f"Invalid distribution={value!r} on the {backend} backend: expected {_CHOICES}."
    )


@contextlib.contextmanager
def building(distribution):
    """Create and compile the model under ``distribution`` (no-op for None).

    The data then reaches ``model.fit`` as plain arrays (Keras' own loop):
    the distribution splits batches, which skdeep's faster feeds
    (whole epochs per compiled call, one input pipeline) do not know.
    """
    if distribution is None:
        yield
        return
    with distribution.scope(), _config.config_context(fast_feeding=False):
        yield


@contextlib.contextmanager
def training(distribution):
    """Train under ``distribution``: JAX needs its scope; a TensorFlow model keeps its strategy."""
    if distribution is None:
        yield
        return
    jax = keras.backend.backend() == "jax"
    with (
        distribution.scope() if jax else contextlib.nullcontext(),
        _config.config_context(fast_feeding=False),
    ):
        yield


def batch_shards(distribution):
    """How many even parts each batch is split into (1 without a distribution)."""
    if distribution is None:
        return 1
    if keras.backend.backend() != "jax":
        return int(distribution.num_replicas_in_sync)
    mesh = distribution.device_mesh
    name = getattr(distribution, "batch_dim_name", None)
    if name in mesh.axis_names:
        return int(mesh.shape[mesh.axis_names.index(name)])
    return int(np.prod(mesh.shape))


def check_batch_size(batch_size, shards):
    """Raise when ``batch_size`` cannot be split evenly over the devices."""
    if batch_size % shards:
        raise ValueError(
            f"distribution splits each batch over {shards} devices, so batch_size must be a "
            f"multiple of {shards}; got batch_size={batch_size}. Choose, e.g., "
            f"batch_size={batch_size + shards - batch_size % shards}."
        )


def whole_batches(X, y, weights, batch_size):
    """``X``, ``y`` and weights completed to whole batches by rows of weight zero.

    Examples
    --------
    >>> X, y, w = whole_batches(np.ones((5, 2)), np.arange(5), None, 4)
    >>> X.shape, y.tolist(), w.tolist()
    ((8, 2), [0, 1, 2, 3, 4, 0, 1, 2], [1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0])
    """
    rows = len(keras.tree.flatten(X)[0])
    missing = -rows % batch_size
    weights = np.ones(rows, "float32") if weights is None else np.asarray(weights, "float32")
    if not missing:
        return X, y, weights
    take = np.arange(missing) % rows

    def complete(array):
        return np.concatenate([np.asarray(array), np.asarray(array)[take]])

    return (
        keras.tree.map_structure(complete, X),
        keras.tree.map_structure(complete, y),
        np.concatenate([weights, np.zeros(missing, "float32")]),
    )


def even_batches(distribution, X, y, weights, batch_size, options):
    """The training data (and ``options["validation_data"]``) in batches the devices split evenly.

    Returns ``(X, y, weights)``, unchanged without a distribution; with one,
    the batch size is checked and the rows are completed to whole batches.
    """
    shards = batch_shards(distribution)
    if shards == 1:
        return X, y, weights
    check_batch_size(batch_size, shards)
    if options.get("validation_split"):
        raise ValueError(
            "validation_split cannot be used with distribution (Keras would cut uneven "
            "batches): use validation_fraction or validation_data instead."
        )
    if options.get("validation_data") is not None:
        X_val, y_val, *rest = options["validation_data"]
        size = options.get("validation_batch_size") or batch_size
        check_batch_size(size, shards)
        options["validation_data"] = whole_batches(X_val, y_val, rest[0] if rest else None, size)
    return whole_batches(X, y, weights, batch_size)
