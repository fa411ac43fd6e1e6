"""Values as data: what :func:`skdeep.save` writes for each kind of value, and back.

Plain values become JSON; arrays become ``.npy`` members (read with
``allow_pickle=False`` after their header is checked); Keras models become
native ``.keras`` members (loaded with Keras' ``safe_mode``); scikit-learn
objects become skops members (audited before loading, :mod:`._skops`);
functions and classes become their names, resolved only when trusted
(:mod:`._trust`); skdeep estimators, pipelines and the scikit-learn
meta-estimators around them become their attributes, encoded the same way.
Nothing is pickled.
"""

import inspect
import math
import os
import re
import tempfile
import warnings

import keras
import numpy as np
from packaging.version import InvalidVersion, Version
from sklearn.base import BaseEstimator

from skdeep._fit.persistence import _layers, runnable_here, with_new_parameters
from skdeep.exceptions import ClearedParameterWarning, NotSavableError
from skdeep.serialization import _consistency, _skops, _trust
from skdeep.serialization._archive import check_inner_zip, damaged

#: Attributes that are not saved: they only live during a fit.
_SKIPPED = ("callbacks_",)
#: Keras objects kept as their Keras config.
_KERAS_OBJECTS = (
    keras.optimizers.Optimizer,
    keras.losses.Loss,
    keras.metrics.Metric,
    keras.optimizers.schedules.LearningRateSchedule,
)
#: Estimator parameters that name a file or folder the next ``fit`` writes.
PATH_PARAMETERS = ("checkpoint_path", "backup_dir")
#: NumPy type strings a file may use (no object or void scalars of any size).
_DTYPE = re.compile(r"[<>|=]?([biufcmMUSO])(\d{0,5})(\[[a-zA-Z]+\])?")


def is_estimator(obj):
    """Whether ``obj`` is a skdeep Keras estimator (saved attribute by attribute)."""
    from skdeep.estimators.base import BaseKerasEstimator

    return isinstance(obj, BaseKerasEstimator)


def holds_estimator(value, depth=0):
    """Whether ``value`` (an estimator, a list, ...) holds a skdeep estimator anywhere."""
    if depth > 20:
        return False
    if is_estimator(value) or _is_skdeep_object(value):
        return True
    if isinstance(value, dict):
        return any(holds_estimator(v, depth + 1) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(holds_estimator(v, depth + 1) for v in value)
    if isinstance(value, BaseEstimator):
        return any(holds_estimator(v, depth + 1) for v in vars(value).values())
    return False


def _is_skdeep_object(value):
    from skdeep.estimators.transformer import KerasTransformer

    return isinstance(value, KerasTransformer)


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
        if isinstance(value, BaseEstimator) and holds_estimator(value):
            return self._object(value, where)
        if isinstance(value, BaseEstimator):
            return {"__skops__": self._part("skops", _skops.dumps(value))}
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
        import io

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


def _newer_keras(writer):
    """Whether ``writer`` (a version as text, from a file) is a newer Keras than this one.

    >>> _newer_keras("99.0.0"), _newer_keras(keras.__version__), _newer_keras("not a version")
    (True, False, False)
    """
    try:
        return Version(str(writer)) > Version(keras.__version__)
    except InvalidVersion:
        return False


class Reader:
    """Decodes data written by :class:`Writer`, trusting only what ``trust`` allows.

    Parameters
    ----------
    archive : skdeep.serialization._archive.Archive
        The open file.
    trust : skdeep.serialization._trust.Trust
        The names that may be rebuilt.
    custom_objects : dict or None
        Extra Keras custom objects, as for ``keras.saving.load_model``.
    keras_writer : str or None
        The Keras version that wrote the file, as its manifest records it.
    """

    def __init__(self, archive, trust, custom_objects, keras_writer=None):
        self.archive, self.trust, self.path = archive, trust, archive.path
        self.keras_writer = keras_writer
        classes = [obj for obj in trust.objects.values() if inspect.isclass(obj)]
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
        decoder = getattr(self, "_" + kind.strip("_"), None) if kind in _KINDS else None
        if decoder is None:
            raise damaged(self.path, f"it holds an unknown kind of value {kind!r}")
        return decoder(value, data)

    def _float(self, value, data):
        if value not in ("nan", "inf", "-inf"):
            raise damaged(self.path, f"{value!r} is not a special float")
        return float(value)

    def _tuple(self, value, data):
        return tuple(self.decode(v) for v in _list(value, self.path))

    def _dict(self, value, data):
        pairs = _list(value, self.path)
        if not all(isinstance(p, list) and len(p) == 2 for p in pairs):
            raise damaged(self.path, "a dict is not stored as key-value pairs")
        return {_hashable(self.decode(k), self.path): self.decode(v) for k, v in pairs}

    def _numpy(self, value, data):
        dtype = _dtype(value, self.path)
        item = data.get("value")
        if dtype.kind in "OMm" or not isinstance(item, (bool, int, float, str)):
            raise damaged(self.path, f"a NumPy scalar of type {value!r} holds {item!r:.40}")
        if isinstance(item, str) and len(item) > 2**16:
            raise damaged(self.path, "a NumPy scalar string is too long")
        return dtype.type(item)

    def _dtype(self, value, data):
        return _dtype(value, self.path)

    def _ndarray(self, value, data):
        return self.archive.array(value)

    def _object_array(self, value, data):
        values, shape = _list(value, self.path), data.get("shape")
        if (
            not isinstance(shape, list)
            or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in shape)
            or math.prod(shape) != len(values)
        ):
            raise damaged(
                self.path, f"an object array declares shape {shape!r:.60} for {len(values)} values"
            )
        array = np.empty(len(values), dtype=object)
        array[:] = [self.decode(v) for v in values]
        return array.reshape(shape)

    def _name(self, value, data):
        return self.trust.resolve(value, "callable")

    def _keras_object(self, value, data):
        refused = [n for n in keras_config_names(value) if not self.trust.trusts(n, "callable")]
        if refused:
            raise _trust.untrusted_error(self.path, refused)
        try:
            return keras.saving.deserialize_keras_object(
                value, custom_objects=self.custom_objects, safe_mode=True
            )
        except Exception as error:
            raise damaged(self.path, f"a Keras object cannot be rebuilt: {error}") from error

    def _callback(self, value, data):
        cls = self.trust.resolve(value, "callback")
        arguments = self.decode(data.get("arguments", {}))
        if not isinstance(arguments, dict):
            raise damaged(self.path, f"the arguments of {value} are not a dict")
        try:
            return cls(**arguments)
        except Exception as error:
            raise damaged(self.path, f"the callback {value} cannot be rebuilt: {error}") from error

    def _keras_model(self, value, data):
        blob = self.archive.member(value, "keras")
        check_inner_zip(blob, self.path, "a Keras model")
        with tempfile.TemporaryDirectory(prefix="skdeep-") as folder:
            path = os.path.join(folder, "model.keras")
            with open(path, "wb") as file:
                file.write(blob)
            try:
                model = keras.saving.load_model(
                    path, custom_objects=self.custom_objects, safe_mode=True
                )
            except Exception as error:
                if "safe_mode" in str(error) or "Lambda" in str(error):
                    raise _trust.UntrustedContentError(
                        f"{self.path} holds a Keras model that Keras refuses to load in safe "
                        f"mode: {error}"
                    ) from error
                if _newer_keras(self.keras_writer):
                    raise ValueError(
                        f"{self.path} holds a Keras model written by Keras {self.keras_writer}, "
                        f"which this older Keras {keras.__version__} cannot read ({error}). "
                        "Upgrade Keras (pip install --upgrade keras) to load it."
                    ) from error
                raise damaged(self.path, f"its Keras model cannot be loaded: {error}") from error
        return runnable_here(model)

    def _skops(self, value, data):
        return _skops.loads(self.archive.member(value, "skops"), self.trust, self.path)

    def _object(self, value, data):
        cls = self.trust.resolve(value, "object")
        if not inspect.isclass(cls) or not issubclass(cls, BaseEstimator):
            raise _trust.UntrustedContentError(
                f"{self.path}: {value} is not a scikit-learn estimator, so skdeep does not "
                "rebuild it from a file."
            )
        state = data.get("state")
        if not isinstance(state, dict) or not all(_attribute(k) for k in state):
            raise damaged(self.path, f"the attributes of {value} are not valid names")
        obj = cls.__new__(cls)
        vars(obj).update({k: self.decode(v) for k, v in state.items()})
        if is_estimator(obj):
            if type(obj).__module__.startswith("skdeep."):  # parameters added since
                with_new_parameters(obj)
            _clear_paths(obj, self.path)
            _consistency.check_fitted(obj, self.path)
        return obj


_KINDS = (
    "__float__",
    "__tuple__",
    "__dict__",
    "__numpy__",
    "__dtype__",
    "__ndarray__",
    "__object_array__",
    "__name__",
    "__keras_object__",
    "__callback__",
    "__keras_model__",
    "__skops__",
    "__object__",
)


def _clear_paths(estimator, path):
    """Parameters naming a file or folder come back cleared, with a warning saying so."""
    for name in PATH_PARAMETERS:
        value = vars(estimator).get(name)
        if value is not None:
            vars(estimator)[name] = None
            warnings.warn(
                f"{path}: the loaded {type(estimator).__name__} had {name}={value!r}, a "
                "place the next fit would write to; it was cleared, so that a file from "
                f"someone else cannot make your fits overwrite your files. Set it again "
                f"with set_params({name}=...) if you want it.",
                ClearedParameterWarning,
                stacklevel=6,
            )


def keras_config_names(config):
    """The names of the classes and functions a Keras object config refers to, as text."""
    found, pending = [], [config]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, dict):
            pending.extend(v for v in item.values() if isinstance(v, (dict, list)))
            cls, module = item.get("class_name"), item.get("module")
            if not isinstance(cls, str) or not isinstance(module, str):
                continue
            if cls.startswith("__") and cls != "__lambda__":
                continue  # Keras' encodings of tensors, arrays, bytes
            function = item.get("config") if cls == "function" else None
            found.append(f"{module}.{function if isinstance(function, str) else cls}")
    return found


def _list(value, path):
    if not isinstance(value, list):
        raise damaged(path, f"expected a list, found {type(value).__name__}")
    return value


def _hashable(key, path):
    try:
        hash(key)
    except TypeError:
        raise damaged(path, f"a dict key is not hashable: {key!r:.40}") from None
    return key


def _attribute(key):
    return isinstance(key, str) and key.isidentifier() and not key.startswith("__")


def _dtype(value, path):
    match = _DTYPE.fullmatch(value) if isinstance(value, str) else None
    if match is None or (match.group(2) and int(match.group(2)) > 4096):
        raise damaged(path, f"{value!r:.40} is not a NumPy type this file format uses")
    return np.dtype(value)
