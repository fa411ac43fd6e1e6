"""Compiled copies kept across fits: a network traced once trains in many fits.

Cross-validation and searches fit one architecture again and again, and
for a small model tracing the training step is most of a fit. This module
keeps, per process, up to :data:`MAX_COMPILED_COPIES` compiled copies of
the networks that fits trained (least recently used out first).
:func:`compiled_trainer` hands :func:`skdeep._fit.training.train` a copy
whose network and compile settings are those of the estimator's model
(:func:`reuse_key`), with the model's fresh weights and optimizer state
written in (:func:`copy_state`); after the fit, what the copy learned is
read back into the model, which is never shared. Turned off with
``skdeep.set_config(reuse_compiled=False)`` or ``SKDEEP_REUSE_COMPILED=0``
(resolved once, in the fit's plan).
"""

import collections
import json
import re
import threading

import keras

from skdeep._fit import sources
from skdeep._framework.process import seeded, tensorflow_left_unimported

#: Compiled copies kept per process (least recently used out first): a grid
#: search fits its candidates one after the other, fold after fold.
MAX_COMPILED_COPIES = 8

#: Layers and models whose names Keras makes up (``dense_3``): two builds of
#: one network differ only in them.
_NUMBERED = re.compile(r"^(?P<base>.+?)(_\d+)?$")


class CompiledCopies:
    """Compiled models kept for the next fit of the same network (thread-safe, bounded).

    A copy is taken out while a fit trains it and given back when the fit
    succeeds, so two fits never train one copy at once; over
    ``size`` copies, the least recently used goes (with it its traced
    steps: TensorFlow's graphs and JAX's compiled functions belong to it).

    Parameters
    ----------
    size : int
        Copies kept at most.
    """

    def __init__(self, size):
        self.size = size
        self._free = collections.OrderedDict()  # key -> [model, ...]
        self._lock = threading.Lock()

    def __len__(self):
        with self._lock:
            return sum(len(models) for models in self._free.values())

    def take(self, key):
        """A free copy for ``key``, now the caller's, or None."""
        with self._lock:
            models = self._free.get(key)
            if not models:
                return None
            model = models.pop()
            if not models:
                del self._free[key]
            return model

    def give(self, key, model):
        """Keep ``model`` for the next fit of ``key``; past ``size``, the oldest copy goes."""
        with self._lock:
            self._free.setdefault(key, []).append(model)
            self._free.move_to_end(key)
            while sum(len(models) for models in self._free.values()) > self.size:
                oldest = next(iter(self._free))
                self._free[oldest].pop(0)
                if not self._free[oldest]:
                    del self._free[oldest]

    def clear(self):
        """Forget every copy."""
        with self._lock:
            self._free.clear()


COMPILED = CompiledCopies(MAX_COMPILED_COPIES)


def compiled_trainer(model, plan, named_data, arguments):
    """The model that trains for ``model``: a kept compiled copy, a new one, or ``model`` itself.

    Tracing the training step is most of a small model's fit (about 1.6 s of
    a 40-epoch MLP fit on TensorFlow). A copy keeps its traced steps, and a
    later fit of the same network trains it: ``model``'s variables and
    optimizer state are written into the copy before ``model.fit`` and
    read back after it (:func:`copy_state`), so what is learned is what
    ``model`` would have learned, and the estimator's ``model_`` is never
    shared. Used only for networks Keras can describe completely: a
    ``Sequential`` or functional model of Keras' (and skdeep's) own layers,
    losses and metrics, small enough that a second copy costs little
    memory (:func:`reuse_key` says which).

    Parameters
    ----------
    model : keras.Model
        The estimator's compiled model, its ``steps_per_execution`` decided.
    plan : FitPlan
        The fit's plan (``reuse_compiled``, the batch size).
    named_data : bool
        The inputs or targets are dicts keyed by the model's input or
        output names (those names then stay part of the key).
    arguments : dict
        The data arguments of ``model.fit``: a copy is kept per
        specification of them (:func:`data_spec`), as its steps were traced
        for it.

    Returns
    -------
    trainer : keras.Model
        The model to call ``fit`` on.
    key : object or None
        Where to give the trainer back after a successful fit (None: it is
        ``model`` itself).
    """
    if not (plan.reuse_compiled and sources.is_small_model(model, plan.batch_size)):
        return model, None
    key = reuse_key(model, named_data)
    if key is None:
        return model, None
    key = (key, data_spec(arguments, plan.batch_size))
    trainer = COMPILED.take(key)
    if trainer is None:
        trainer = _compiled_copy(model)
        if trainer is None or reuse_key(trainer, named_data) != key[0]:
            return model, None  # Keras could not rebuild it exactly from its configuration
    _build_optimizer(model)
    if not copy_state(model, trainer):
        return model, None
    return trainer, key


def reuse_key(model, named_data=False):
    """What two fits must share to train one compiled copy; None when it must not be reused.

    The architecture (``get_config``) and the compile configuration, with
    the names Keras numbered itself (``dense_3``, ``adam_1``) made
    anonymous and the learning rate left out (it is a variable of the
    optimizer, copied with its state); the execution options; the
    backend's settings.

    Examples
    --------
    >>> def network():
    ...     inputs = keras.Input((3,))
    ...     model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    ...     model.compile(optimizer="adam", loss="mse")
    ...     return model
    >>> reuse_key(network()) == reuse_key(network())
    True
    """
    kind = type(model)
    if kind.__name__ not in ("Sequential", "Functional") or not kind.__module__.startswith("keras"):
        return None  # a subclassed model: its code is not in its configuration
    if not (model.built and getattr(model, "compiled", False) and model.optimizer is not None):
        return None
    try:
        with tensorflow_left_unimported():
            architecture = {"class_name": kind.__name__, "config": model.get_config()}
            compiled = model.get_compile_config()
    except Exception:  # noqa: BLE001 - a layer that cannot describe itself
        return None
    optimizer = compiled.get("optimizer")
    if isinstance(optimizer, dict) and isinstance(optimizer.get("config"), dict):
        rate = optimizer["config"].get("learning_rate")
        if isinstance(rate, (int, float)):
            rest = {k: v for k, v in optimizer["config"].items() if k != "learning_rate"}
            optimizer["config"] = rest
    if not (_library_objects_only(architecture) and _library_objects_only(compiled)):
        return None
    kept = _io_names(architecture["config"]) if named_data else set()
    described = {
        **_anonymous({"architecture": architecture, "compile": compiled}, kept),
        "execution": [model.steps_per_execution, model.jit_compile, model.run_eagerly],
        "backend": [keras.backend.backend(), keras.config.floatx()],
    }
    try:
        return json.dumps(described, sort_keys=True, default=_refuse)
    except TypeError:
        return None


def data_spec(arguments, batch_size):
    """What a traced step was traced for: the structure, row shapes and dtypes of the data.

    A step traced on ``y`` of shape ``(n,)`` does not train on ``(n, 1)``
    (TensorFlow relaxes the signature it retraces to an unknown rank), so
    fits of one network on data of other shapes or kinds keep their own
    copies.

    Examples
    --------
    >>> import numpy as np
    >>> one = data_spec({"x": np.zeros((4, 3)), "y": np.zeros(4)}, 32)
    >>> one == data_spec({"x": np.zeros((9, 3)), "y": np.zeros(9)}, 32)  # rows do not count
    True
    >>> one == data_spec({"x": np.zeros((4, 3)), "y": np.zeros((4, 1))}, 32)
    False
    """

    def spec(value):
        if isinstance(value, sources.EpochOrderedBatches):
            return ["batches", value.batch_size, spec(value.arrays)]
        if isinstance(value, dict):
            return {str(key): spec(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [type(value).__name__, [spec(item) for item in value]]
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if hasattr(value, "element_spec"):  # a tf.data.Dataset: the batches it yields
            return ["dataset", spec(value.element_spec)]
        shape, dtype = getattr(value, "shape", None), getattr(value, "dtype", None)
        if shape is not None and dtype is not None:
            kind = "sparse" if sources.is_sparse(value) else type(value).__name__
            known = getattr(shape, "rank", len(shape)) is not None  # a TensorSpec's may not be
            rows = [None if d is None else int(d) for d in list(shape)[1:]] if known else None
            return [kind, rows, str(getattr(dtype, "name", dtype))]
        return type(value).__qualname__

    data = ("x", "y", "sample_weight", "validation_data")
    described = {name: spec(arguments.get(name)) for name in data}
    return json.dumps({**described, "batch_size": batch_size}, sort_keys=True)


def copy_state(source, target):
    """Write ``source``'s variables and optimizer state into ``target`` (False: other shapes)."""
    from_, to = _state(source), _state(target)
    if [(tuple(v.shape), str(v.dtype)) for v in from_] != [
        (tuple(v.shape), str(v.dtype)) for v in to
    ]:
        return False
    for value, variable in zip(from_, to, strict=True):
        variable.assign(value.value)
    return True


def copy_metrics(source, target, X, y):
    """Give ``target`` the metric states ``source`` ended training with (``get_metrics_result``).

    A model builds its compiled metrics in its first training step; the
    estimator's model never took one, so they are built here, on the first
    row of the training data, before the states are copied.
    """
    if len(target.metrics_variables) != len(source.metrics_variables):
        try:
            first = sources.dense(keras.tree.map_structure(lambda a: a[:1], X))
            rows = keras.tree.map_structure(lambda a: a[:1], y)
            target.compute_metrics(first, rows, target(first))
        except Exception:  # noqa: BLE001 - the metrics then build at the model's next step
            return
    if len(target.metrics_variables) == len(source.metrics_variables):
        for value, variable in zip(source.metrics_variables, target.metrics_variables, strict=True):
            variable.assign(value.value)


def share_prediction(trainer, model):
    """On JAX, let ``model`` predict with ``trainer``'s compiled prediction step.

    JAX's prediction step is a pure function of the model's variables, which
    Keras passes in and reads back on every call: the copy's step computes
    exactly what ``model``'s own would, without compiling it again for each
    fitted estimator (about 0.4 s per fold of a cross-validation). Should
    ``model``'s variables be split otherwise later (a layer frozen or
    unfrozen), it compiles its own step. On TensorFlow the step reads the
    variables it was traced with: nothing is shared.
    """
    if keras.backend.backend() != "jax" or model.predict_function is not None:
        return
    trainer.make_predict_function()
    step = trainer.predict_function
    split = (len(trainer.trainable_variables), len(trainer.non_trainable_variables))

    def predict_function(state, iterator):
        if (len(state[0]), len(state[1])) == split:
            return step(state, iterator)
        model.predict_function = None  # its variables are split otherwise now
        model.make_predict_function()
        return model.predict_function(state, iterator)

    model.predict_function = predict_function


def _state(model):
    return [*model.variables, *model.optimizer.variables]


def _build_optimizer(model):
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)


def _compiled_copy(model):
    """A new model from ``model``'s configurations, compiled as it is; None if Keras cannot."""
    try:
        # The copy's initial weights are drawn and overwritten: the fit's random
        # streams stay as they were.
        with tensorflow_left_unimported(), seeded(0):
            copy = type(model).from_config(model.get_config())
            copy.compile_from_config(model.get_compile_config())
        _build_optimizer(copy)
    except Exception:  # noqa: BLE001 - then the model trains itself, as without copies
        return None
    for name in ("steps_per_execution", "jit_compile", "run_eagerly"):
        setattr(copy, name, getattr(model, name))
    return copy


def _library_objects_only(structure):
    """Whether every serialized object in ``structure`` is Keras' or skdeep's (no user code)."""
    if isinstance(structure, dict):
        module = structure.get("module")
        if module is not None and not str(module).startswith(("keras", "skdeep")):
            return False
        if structure.get("class_name") in ("Lambda", "function", "__lambda__"):
            return False
        return all(_library_objects_only(value) for value in structure.values())
    if isinstance(structure, (list, tuple)):
        return all(_library_objects_only(value) for value in structure)
    return True


def _io_names(config):
    """Names of a functional model's input and output layers."""
    found = set()
    for entry in ("input_layers", "output_layers"):
        names = keras.tree.flatten(config.get(entry, []))
        found.update(value for value in names if isinstance(value, str))
    return found


def _snake(name):
    """Keras' snake case of a class name: ``BatchNormalization`` -> ``batch_normalization``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def _anonymous(structure, kept):
    """``structure`` with the names Keras numbered itself replaced by their order of use."""
    names = {}

    def collect(structure):
        if isinstance(structure, dict):
            config = structure.get("config")
            if isinstance(config, dict) and isinstance(config.get("name"), str):
                name = config["name"]
                base = _NUMBERED.match(name).group("base")
                numbered = base == _snake(str(structure.get("class_name", "")))
                if numbered and name not in kept:
                    names.setdefault(name, f"#{len(names)}")
            for value in structure.values():
                collect(value)
        elif isinstance(structure, (list, tuple)):
            for value in structure:
                collect(value)

    def rename(structure):
        if isinstance(structure, dict):
            return {key: rename(value) for key, value in structure.items()}
        if isinstance(structure, (list, tuple)):
            return [rename(value) for value in structure]
        if isinstance(structure, str):
            return names.get(structure, structure)
        return structure

    collect(structure)
    return rename(structure)


def _refuse(value):
    raise TypeError(f"not described by JSON: {type(value).__name__}")
