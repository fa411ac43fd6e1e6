"""Moving fitted Keras models and model builders through pickle.

A fitted estimator pickles its Keras model as the bytes of a native ``.keras``
archive (architecture, weights and optimizer state), so ``pickle``, ``joblib``
and ``copy.deepcopy`` work without patching Keras. Builders that cannot be
pickled by reference (defined in ``__main__``, a notebook, or inside another
function) travel by value through cloudpickle, so that worker processes of
``GridSearchCV(n_jobs=...)`` can rebuild them.
"""

import os
import pickle
import tempfile

import cloudpickle
import keras


def model_to_bytes(model):
    """Serialize a Keras model to the bytes of a ``.keras`` archive.

    The archive is loaded back once before it is returned, so that a model
    that cannot be restored (for example a custom layer Keras cannot find)
    fails here, when saving, rather than later in another process.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> data = model_to_bytes(model)
    >>> model_from_bytes(data).count_params()
    3
    """
    with tempfile.TemporaryDirectory(prefix="skdeep-") as folder:
        path = os.path.join(folder, "model.keras")
        try:
            model.save(path)
        except Exception as error:
            raise _not_serializable(model, error) from error
        with open(path, "rb") as file:
            data = file.read()
        try:
            keras.saving.load_model(path, safe_mode=False)
        except Exception as error:
            raise _not_serializable(model, error) from error
    return data


def model_from_bytes(data):
    """Rebuild a Keras model from :func:`model_to_bytes` output."""
    with tempfile.TemporaryDirectory(prefix="skdeep-") as folder:
        path = os.path.join(folder, "model.keras")
        with open(path, "wb") as file:
            file.write(data)
        # Unpickling already runs arbitrary code; the .keras archive came
        # from the same pickle, so Lambda layers are allowed here.
        return keras.saving.load_model(path, safe_mode=False)


def _not_serializable(model, error):
    return TypeError(
        f"The fitted Keras model {model.name!r} cannot be saved and restored, "
        f"so the estimator cannot be pickled: {type(error).__name__}: {error}. "
        "Custom layers, losses and metrics must implement get_config() and be "
        "registered with @keras.saving.register_keras_serializable() in an "
        "importable module."
    )


def needs_pickling_by_value(function):
    """Whether ``function`` cannot be found again by its module and name."""
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", "")
    return module in (None, "__main__") or "<locals>" in qualname or ("<lambda>" in qualname)


class PickledByValue:
    """A callable pickled with cloudpickle, restored transparently.

    Only used as the pickled form of a builder; :func:`restore_callable`
    turns it back into the original function.
    """

    def __init__(self, function):
        self.payload = cloudpickle.dumps(function)


def wrap_callable(function):
    """Return ``function`` itself, or a by-value form of it if needed."""
    if callable(function) and needs_pickling_by_value(function):
        return PickledByValue(function)
    return function


def restore_callable(value):
    """Inverse of :func:`wrap_callable`."""
    if isinstance(value, PickledByValue):
        return pickle.loads(value.payload)
    return value
