"""Moving fitted Keras models and model builders through pickle.

A fitted estimator pickles its Keras model with Keras' own pickling (an
in-memory ``.keras`` archive: architecture, weights and optimizer state), so
``pickle``, ``joblib``, ``copy.deepcopy`` and parallel searches work without
patching Keras. skdeep adds three things around it:

* the custom classes the model is made of (a ``keras.Model`` subclass, custom
  layers) travel with it and are handed to Keras in a scope when loading,
  so unregistered classes load too, without registering anything for the
  whole process;
* a model whose layers cannot be rebuilt from their config fails when it
  is pickled, with a message saying how to fix it, rather than later in
  another process; this check reads signatures and configs, it never runs
  the model;
* a damaged pickle gives an error that says so.

Builders and classes that cannot be pickled by reference (defined in
``__main__``, a notebook, or inside another function) travel by value
through cloudpickle, so that worker processes can rebuild them.

Unpickling runs code, as any pickle does: load only files you trust, or
use :func:`skdeep.save` / :func:`skdeep.load`.
"""

import importlib
import inspect
import pickle
import warnings

import cloudpickle
import keras


class PickledModel:
    """The pickled form of a fitted Keras model.

    Parameters
    ----------
    model : keras.Model

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> restored = pickle.loads(pickle.dumps(PickledModel(model))).restore()
    >>> restored.count_params()
    3
    """

    def __init__(self, model):
        check_rebuildable(model)
        found = custom_classes(model) + _compiled_objects(model)
        self.classes = [wrap_callable(obj) for obj in dict.fromkeys(found)]
        try:
            self.archive = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            raise _not_serializable(model, error) from error

    def restore(self):
        """The Keras model, with its custom classes in scope."""
        classes = [restore_callable(cls) for cls in self.classes]
        scope = {cls.__name__: cls for cls in classes}
        try:
            with keras.saving.custom_object_scope(scope), warnings.catch_warnings():
                # An optimizer that never stepped was saved without its slots;
                # Keras says so while loading, though nothing is lost.
                warnings.filterwarnings("ignore", "Skipping variable loading for optimizer")
                return runnable_here(pickle.loads(self.archive))
        except Exception as error:
            raise ValueError(
                "The Keras model inside this pickled skdeep estimator could not be "
                f"restored ({type(error).__name__}: {error}). The file may be truncated or "
                "damaged, or written by an incompatible Keras version; save the "
                "estimator again from the process that trained it."
            ) from error


def runnable_here(model):
    """A loaded model, set to run on this process's backend; the same object.

    A model trained on TensorFlow or JAX may have been compiled to run
    several steps per call (skdeep's whole-epoch feeding); PyTorch's trainer
    runs one and refuses more, so there it is set to one. What the model
    computes does not change.

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile(loss="mse", steps_per_execution=4)
    >>> runnable_here(model).steps_per_execution == (
    ...     1 if keras.backend.backend() == "torch" else 4)
    True
    """
    if keras.backend.backend() == "torch" and getattr(model, "steps_per_execution", 1) != 1:
        model.steps_per_execution = 1
    return model


def custom_classes(model):
    """The classes of ``model`` and its layers that are not Keras' own.

    Examples
    --------
    >>> custom_classes(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]))
    []
    """
    found = []
    for item in [model, *_layers(model)]:
        cls = type(item)
        if not cls.__module__.startswith("keras") and cls not in found:
            found.append(cls)
    return found


def _compiled_objects(model):
    """Custom losses, metrics and optimizers ``model`` was compiled with (classes or functions).

    Keras names them in its compile config; they are found again in this
    process, where they exist, so that they travel with the model.
    """
    try:
        config = model.get_compile_config()
    except Exception:  # not compiled, or a config Keras cannot write
        return []
    found, pending = [], [config]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            module = item.get("module")
            if isinstance(module, str) and not module.startswith("keras"):
                name = item.get("config") if item.get("class_name") == "function" else None
                obj = _find(module, name or item.get("class_name"))
                if obj is not None:
                    found.append(obj)
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
    return found


def _find(module, name):
    if not isinstance(name, str):
        return None
    try:
        return getattr(importlib.import_module(module), name.split(">")[-1], None)
    except ImportError:
        return None


def check_rebuildable(model):
    """Fail now if a custom layer cannot be rebuilt from its config.

    Keras rebuilds each layer as ``cls(**layer.get_config())``; a layer
    whose constructor requires an argument that its config leaves out
    cannot be loaded. Only signatures and configs are read.
    """
    for layer in _layers(model):
        cls = type(layer)
        if cls.__module__.startswith("keras") or "from_config" in vars(cls):
            continue
        required = [
            p.name
            for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
            if p.default is p.empty and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]
        try:
            config = layer.get_config()
        except NotImplementedError:
            config = {}
        missing = [name for name in required if name not in config]
        if missing:
            raise _not_serializable(
                model,
                TypeError(
                    f"layer {layer.name!r} ({cls.__name__}) requires {missing} in its "
                    "constructor, but get_config() does not return them"
                ),
            )


def _layers(model):
    """Every layer inside ``model``, nested ones included."""
    found, pending = [], list(getattr(model, "layers", None) or [])
    while pending:
        layer = pending.pop(0)
        if all(layer is not seen for seen in found):
            found.append(layer)
            pending.extend(getattr(layer, "layers", None) or [])
    return found


def _not_serializable(model, error):
    return TypeError(
        f"The fitted Keras model {model.name!r} cannot be saved and restored, "
        f"so the estimator cannot be pickled: {type(error).__name__}: {error}. "
        "Custom layers, losses and metrics must implement get_config() returning "
        "every constructor argument, and be importable (or registered with "
        "@keras.saving.register_keras_serializable())."
    )


def needs_pickling_by_value(function):
    """Whether ``function`` (or class) cannot be found again by its module and name."""
    module = getattr(function, "__module__", None)
    qualname = getattr(function, "__qualname__", "")
    return module in (None, "__main__") or "<locals>" in qualname or ("<lambda>" in qualname)


class PickledByValue:
    """A callable pickled with cloudpickle, restored by :func:`restore_callable`."""

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


def picklable_callbacks(state):
    """``state`` with callback instances that cannot be pickled replaced by copies that can.

    A callback the user passed is kept as given, so after a fit it may hold
    run-time resources: ``CSVLogger`` its closed file, ``TensorBoard`` its
    writers. Those are recreated when training starts, so a copy without
    them (and without any reference to a model) pickles and works.
    """
    return {
        key: _strip_runtime(value) if "callbacks" in key and not key.endswith("_") else value
        for key, value in state.items()
    }


def _strip_runtime(value):
    if isinstance(value, dict):
        return {k: _strip_runtime(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_strip_runtime(v) for v in value)
    if not isinstance(value, keras.callbacks.Callback):
        return value
    try:
        pickle.dumps(value)
        return value
    except Exception:
        copy = object.__new__(type(value))
        for name, attribute in vars(value).items():
            try:
                pickle.dumps(attribute)
            except Exception:
                attribute = None  # a resource the callback opens again when training starts
            vars(copy)[name] = None if name == "_model" else attribute
        return copy


def pickled_state(state):
    """An estimator's ``__getstate__``: models and by-value builders in their pickled forms."""
    state = dict(state)
    for key in ("model", "build_fn"):
        if isinstance(state.get(key), keras.Model):
            state[key] = PickledModel(state[key])
        elif key in state:
            state[key] = wrap_callable(state[key])
    if "model_" in state:
        state["model_"] = PickledModel(state["model_"])
    return picklable_callbacks(state)


def unpickled_state(state):
    """Inverse of :func:`pickled_state`."""
    state = dict(state)
    for key in ("model", "build_fn", "model_"):
        if key not in state:
            continue
        value = state[key]
        if isinstance(value, PickledModel):
            state[key] = value.restore()
        else:
            state[key] = restore_callable(value)
    return state


def with_new_parameters(estimator):
    """Give ``estimator`` the default of every parameter its saved state lacks.

    A pickle or file written before a parameter existed holds no attribute
    for it; the estimator then behaves as that version did, which is the
    parameter's default. Returns ``estimator``.

    Examples
    --------
    >>> from skdeep import KerasClassifier
    >>> old = KerasClassifier.__new__(KerasClassifier)
    >>> vars(old).update(model="mlp")  # as an older skdeep saved it
    >>> with_new_parameters(old).outputs is None
    True
    """
    init = type(estimator).__init__
    state = vars(estimator)
    for name, parameter in inspect.signature(init).parameters.items():
        if parameter.default is not inspect.Parameter.empty and name not in state:
            state[name] = parameter.default
    return estimator
