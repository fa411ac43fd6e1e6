"""Values as data: what :func:`skdeep.save` writes for each kind of value, and back.

Plain values become JSON; arrays become ``.npy`` members (read with
``allow_pickle=False``); Keras models become native ``.keras`` members
(loaded with Keras' ``safe_mode``); scikit-learn objects become skops
members (loaded with skops' trusted types); functions and classes become
their importable names, resolved only when trusted (:mod:`._trust`);
skdeep estimators and pipelines become their attributes, encoded the same
way. Nothing is pickled.
"""

import inspect
import io
import math
import os
import tempfile

import keras
import numpy as np
from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline

from skdeep.estimators._persistence import _layers
from skdeep.serialization import _trust

#: Attributes that are not saved: they only live during a fit.
_SKIPPED = ("callbacks_",)
#: Keras objects kept as their Keras config.
_KERAS_OBJECTS = (
    keras.optimizers.Optimizer,
    keras.losses.Loss,
    keras.metrics.Metric,
    keras.optimizers.schedules.LearningRateSchedule,
)


class NotSavableError(TypeError):
    """A value that a safe file cannot hold."""


def is_estimator(obj):
    """Whether ``obj`` is a skdeep Keras estimator (saved attribute by attribute)."""
    from skdeep.estimators.base import BaseKerasEstimator

    return isinstance(obj, BaseKerasEstimator)


class Writer:
    """Encodes values, collecting the archive members they need."""

    def __init__(self):
        self.parts = {}

    def _part(self, extension, data):
        name = f"parts/{len(self.parts)}.{extension}"
        self.parts[name] = data
        return name

    def encode(self, value, where="value"):
        """``value`` as JSON-able data."""
        if value is None or isinstance(value, (bool, str, int)):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else {"__float__": repr(value)}
        if isinstance(value, list):
            return [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, tuple):
            return {"__tuple__": [self.encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
        if isinstance(value, dict):
            return self._dict(value, where)
        if isinstance(value, np.ndarray):
            return self._array(value, where)
        if isinstance(value, np.generic):
            return {"__numpy__": value.dtype.str, "value": value.item()}
        if isinstance(value, np.dtype):
            return {"__dtype__": value.str}
        if isinstance(value, keras.Model):
            return {"__keras_model__": self._part("keras", _model_bytes(value, where))}
        if isinstance(value, _KERAS_OBJECTS):
            return {"__keras_object__": keras.saving.serialize_keras_object(value)}
        if isinstance(value, keras.callbacks.Callback):
            return self._callback(value, where)
        if inspect.isclass(value) or inspect.isfunction(value) or inspect.isbuiltin(value):
            return {"__name__": _name(value, where)}
        if is_estimator(value) or isinstance(value, Pipeline):
            return self._object(value, where)
        if isinstance(value, BaseEstimator):
            import skops.io

            return {"__skops__": self._part("skops", skops.io.dumps(value))}
        raise NotSavableError(
            f"{where} holds {type(value).__name__} {value!r:.60}, which a safe skdeep file "
            "cannot hold. Use a value of a plain type, or pickle/joblib for files you trust."
        )

    def _dict(self, value, where):
        if all(isinstance(k, str) and not k.startswith("__") for k in value):
            return {k: self.encode(v, f"{where}[{k!r}]") for k, v in value.items()}
        return {
            "__dict__": [
                [self.encode(k, where), self.encode(v, f"{where}[{k!r}]")] for k, v in value.items()
            ]
        }

    def _array(self, value, where):
        if value.dtype.kind == "O":
            return {
                "__object_array__": [self.encode(v, where) for v in value.ravel().tolist()],
                "shape": list(value.shape),
            }
        buffer = io.BytesIO()
        np.save(buffer, value, allow_pickle=False)
        return {"__ndarray__": self._part("npy", buffer.getvalue())}

    def _callback(self, callback, where):
        cls = type(callback)
        arguments = {}
        for parameter in list(inspect.signature(cls.__init__).parameters.values())[1:]:
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if not hasattr(callback, parameter.name):
                raise NotSavableError(
                    f"{where}: the callback {cls.__name__} cannot be saved as data (its "
                    f"argument {parameter.name!r} is not kept as an attribute). Pass the "
                    f"class instead (callbacks={cls.__name__}, callbacks__<argument>=...)."
                )
            arguments[parameter.name] = self.encode(getattr(callback, parameter.name), where)
        return {"__callback__": _name(cls, where), "arguments": arguments}

    def _object(self, value, where):
        state = {k: v for k, v in vars(value).items() if k not in _SKIPPED}
        return {
            "__object__": _name(type(value), where),
            "state": {k: self.encode(v, f"{where}.{k}") for k, v in state.items()},
        }


def _name(obj, where):
    name = _trust.name_of(obj)
    if "<locals>" in name or "<lambda>" in name:
        raise NotSavableError(
            f"{where} is {name}, defined inside a function or as a lambda, which a file "
            "cannot name. Define it at the top level of a module or script."
        )
    return name


def _model_bytes(model, where):
    for layer in [model, *_layers(model)]:
        if isinstance(layer, keras.layers.Lambda):
            raise NotSavableError(
                f"{where}: the model has a Lambda layer ({layer.name!r}). Its Python code "
                "cannot be stored as data, and Keras refuses to load it in safe mode. "
                "Write the computation as a layer class (pass it in trusted=[...] when "
                "loading), or use pickle/joblib for files you trust."
            )
    with tempfile.TemporaryDirectory(prefix="skdeep-") as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        with open(path, "rb") as file:
            return file.read()


class Reader:
    """Decodes data written by :class:`Writer`."""

    def __init__(self, archive, trusted, custom_objects, path):
        self.archive, self.trusted, self.path = archive, trusted, path
        classes = [obj for obj in trusted.values() if inspect.isclass(obj)]
        self.custom_objects = {
            **{cls.__name__: cls for cls in classes},
            **dict(custom_objects or {}),
        }

    def decode(self, data):
        """The value ``data`` stands for."""
        if isinstance(data, list):
            return [self.decode(v) for v in data]
        if not isinstance(data, dict):
            return data
        if not data or not next(iter(data)).startswith("__"):
            return {k: self.decode(v) for k, v in data.items()}
        kind, value = next(iter(data.items()))
        decoder = getattr(self, "_" + kind.strip("_"), None)
        if decoder is None:
            raise ValueError(f"{self.path} holds an unknown kind of value {kind!r}.")
        return decoder(value, data)

    def _float(self, value, data):
        return float(value)

    def _tuple(self, value, data):
        return tuple(self.decode(v) for v in value)

    def _dict(self, value, data):
        return {self.decode(k): self.decode(v) for k, v in value}

    def _numpy(self, value, data):
        return np.dtype(value).type(data["value"])

    def _dtype(self, value, data):
        return np.dtype(value)

    def _ndarray(self, value, data):
        return np.load(io.BytesIO(self.archive.read(value)), allow_pickle=False)

    def _object_array(self, value, data):
        array = np.empty(len(value), dtype=object)
        array[:] = [self.decode(v) for v in value]
        return array.reshape(data["shape"])

    def _name(self, value, data):
        return _trust.resolve(value, self.trusted, self.path)

    def _keras_object(self, value, data):
        return keras.saving.deserialize_keras_object(
            value, custom_objects=self.custom_objects, safe_mode=True
        )

    def _callback(self, value, data):
        cls = _trust.resolve(value, self.trusted, self.path)
        return cls(**self.decode(data["arguments"]))

    def _keras_model(self, value, data):
        with tempfile.TemporaryDirectory(prefix="skdeep-") as folder:
            path = os.path.join(folder, "model.keras")
            with open(path, "wb") as file:
                file.write(self.archive.read(value))
            return keras.saving.load_model(path, custom_objects=self.custom_objects, safe_mode=True)

    def _skops(self, value, data):
        import skops.io

        blob = self.archive.read(value)
        untrusted = skops.io.get_untrusted_types(data=blob)
        refused = [t for t in untrusted if not t.startswith("skdeep.") and t not in self.trusted]
        if refused:
            raise _trust.UntrustedContentError(
                f"{self.path} holds objects of the types {refused}, which are not trusted. "
                f"If you trust them, pass trusted={refused!r}."
            )
        return skops.io.loads(blob, trusted=untrusted)

    def _object(self, value, data):
        cls = _trust.resolve(value, self.trusted, self.path)
        if not (issubclass(cls, Pipeline) or _is_estimator_class(cls)):
            raise _trust.UntrustedContentError(
                f"{self.path}: {value} is not a skdeep estimator or a scikit-learn Pipeline."
            )
        obj = cls.__new__(cls)
        vars(obj).update({k: self.decode(v) for k, v in data["state"].items()})
        return obj


def _is_estimator_class(cls):
    from skdeep.estimators.base import BaseKerasEstimator

    return issubclass(cls, BaseKerasEstimator)
