"""Training: ``model.fit`` with the fit's callbacks, and what it leaves on the estimator.

:func:`train` runs the training step of the chain: the targets encoded in
the form the compiled loss needs, the callbacks of the fit (a guard against
a diverging loss, the user's, ``early_stopping``'s, ``keep_best``'s and
``checkpoint_path``'s, and the backup writer of ``backup_dir``), the data
arguments of ``model.fit`` from :mod:`skdeep._fit.sources`, then
``model.fit`` itself, and what training did recorded: ``history_``,
``n_iter_``, ``loss_curve_``, ``callbacks_``. A non-finite loss or weight
ends the fit with :class:`~skdeep.exceptions.TrainingDivergedError`.

``keep_best="val_accuracy"`` ends a fit with the weights of its best epoch
(Keras' ``EarlyStopping`` with ``restore_best_weights``, never stopping);
``checkpoint_path="best.keras"`` writes the model with Keras'
``ModelCheckpoint`` every epoch, or only when ``keep_best``'s metric
improves, through a temporary file and a rename, so that a crash while
writing never destroys the previous checkpoint. ``backup_dir`` is
:mod:`skdeep._fit.resume`'s.

A fit that continues an existing model (``warm_start``, ``partial_fit``)
trains it in place; :func:`rollback_on_failure` puts its variables and its
optimizer's state back when the fit raises.
"""

import collections
import contextlib
import io
import json
import math
import re
import threading
import types

import keras

from skdeep._fit import batches, sources
from skdeep._fit.compiling import user_steps_per_execution
from skdeep._fit.data import check_token_input
from skdeep._framework.process import seeded, tensorflow_left_unimported
from skdeep.exceptions import TrainingDivergedError


def train(estimator, plan, data, seed, backup=None, decide_steps=True):
    """Train ``estimator.model_`` on ``data`` as ``plan`` says; record what training did.

    Parameters
    ----------
    estimator : BaseKerasEstimator
        Its ``model_`` is trained; ``history_``, ``n_iter_``, ``loss_curve_``
        and ``callbacks_`` are set.
    plan : FitPlan
        The fit's plan.
    data : Prepared
        The fit's data (features encoded, targets validated).
    seed : int or None
        The fit's seed (the backup's when resuming).
    backup : resume.Backup or None
        The fit's backup, with ``backup_dir``.
    decide_steps : bool, default=True
        Let the feeding choose the model's ``steps_per_execution``.
    """
    model = estimator.model_
    previous = estimator.history_ if plan.continuing else (backup.history if backup else {})
    callbacks = [DivergenceGuard(), *plan.callbacks, *own_callbacks(estimator, plan)]
    options = {**plan.options, "callbacks": callbacks}
    start, end = plan.start_epoch, plan.start_epoch + plan.epochs
    if plan.validation_batch_size is not None:
        options["validation_batch_size"] = plan.validation_batch_size
    trainer, key = model, None
    if plan.source == "batches":
        arguments = batches.batches_arguments(data, options)
    else:
        X, y, weights = data.X, estimator._encode_targets(data.y), data.weights
        validation = data.validation
        vocabulary = getattr(estimator, "_token_vocabulary", None)
        if vocabulary is not None:  # known once the model is built
            for features in (X, *(() if validation is None else validation[:1])):
                check_token_input(features, vocabulary)
        if validation is not None:
            X_val, y_val, *rest = validation
            validation = (X_val, estimator._encode_targets(y_val), *rest)
        if estimator.outputs is not None or getattr(estimator, "_output_wrap", None) is not None:
            from skdeep._fit.targets import structured

            y, weights, validation = structured(estimator, y, weights, validation)
        if validation is not None:
            options["validation_data"] = validation
        if backup is not None:
            record = backup.describe(estimator, plan, [X, y, weights, validation])
            backup.check(record, plan.epochs)
            callbacks.append(backup.writer(record, model, callbacks))
            start = backup.start
            end = start if backup.stopped else end
        X, y, weights = sources.even_batches(
            plan.distribution, X, y, weights, plan.batch_size, options
        )
        decide_steps = decide_steps and not plan.continuing
        if decide_steps and plan.steps_per_execution is None:  # a builder may have chosen
            decide_steps = user_steps_per_execution({}, model) is None
        else:
            decide_steps = False
        arguments = sources.fit_arguments(model, plan, X, y, weights, options, seed, decide_steps)
        trainer, key = compiled_trainer(model, plan, isinstance(X, dict) or isinstance(y, dict))
    scope = plan.distribution.scope() if _needs_scope(plan) else contextlib.nullcontext()
    with scope, _framework_context(trainer):
        try:
            history = trainer.fit(initial_epoch=start, epochs=end, **arguments)
        except Exception:
            failure = batches.batch_failure(data) if plan.source == "batches" else None
            if failure is not None:  # the framework wraps it: raise the user's own error
                raise failure from None
            raise
    if key is not None:  # what the copy learned is the estimator's; the copy waits for the next fit
        copy_state(trainer, model)
        copy_metrics(trainer, model, X, y)
        COMPILED.give(key, trainer)
    _record(estimator, model, history, previous, end, callbacks)


def own_callbacks(estimator, plan):
    """``early_stopping``'s, ``keep_best``'s and ``checkpoint_path``'s callbacks."""
    found = []
    if estimator.early_stopping:
        found.append(
            keras.callbacks.EarlyStopping(
                monitor="val_loss" if plan.validated else "loss",
                patience=estimator.n_iter_no_change,
                min_delta=estimator.tol,
                restore_best_weights=True,
            )
        )
    if estimator.keep_best is not None or estimator.checkpoint_path is not None:
        from skdeep._fit.checkpointing import best_epoch_callbacks

        found += best_epoch_callbacks(estimator.keep_best, estimator.checkpoint_path, plan)
    return found


def is_internal(callback):
    """Whether skdeep added the callback for itself (not shown in ``callbacks_``)."""
    return isinstance(callback, DivergenceGuard) or type(callback).__name__ in (
        "BackupWriter",
        "MonitorCheck",
        "_SetEpoch",
    )


def _needs_scope(plan):
    """JAX trains under its distribution's scope; a TensorFlow model keeps its strategy."""
    return plan.distribution is not None and keras.backend.backend() == "jax"


def _framework_context(model):
    """What the backend needs around training (TensorFlow: no retracing warning, graphs freed)."""
    if keras.backend.backend() == "tensorflow":
        from skdeep._framework.tensorflow import training_context

        return training_context(model)
    return contextlib.nullcontext()


class DivergenceGuard(keras.callbacks.Callback):
    """Stop a fit whose loss becomes NaN or infinite, naming the epoch.

    Checked at the end of each epoch (so that whole-epoch compiled steps
    stay possible); :func:`check_finite_weights` checks the weights after
    the fit as well.
    """

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            raise TrainingDivergedError(diverged_message(f"at epoch {epoch + 1}", loss))


def diverged_message(where, loss=None):
    """The error text for a diverged fit."""
    value = f" (loss = {float(loss)})" if loss is not None else ""
    return (
        f"Training diverged {where}: the loss became NaN or infinite{value}, so the model "
        "would predict nonsense. Likely causes: a learning rate that is too high (lower "
        "learning_rate or optimizer__learning_rate), inputs that are not scaled (add a "
        "StandardScaler or PixelScaler step), or extreme sample or class weights. The "
        "estimator was left as it was before this fit."
    )


def check_finite_weights(model):
    """Raise :class:`TrainingDivergedError` when a weight of ``model`` is NaN or infinite."""
    for weight in model.weights:
        if not keras.backend.is_float_dtype(weight.dtype):
            continue
        # Reduced on the backend: converting a TensorFlow variable to NumPy
        # warns under NumPy 2 (its __array__ takes no copy argument).
        finite = keras.ops.convert_to_numpy(keras.ops.all(keras.ops.isfinite(weight)))
        if not bool(finite):
            raise TrainingDivergedError(diverged_message(f"(weight {weight.path})"))


def _record(estimator, model, history, previous, epochs_reached, callbacks):
    """After ``model.fit``: refuse a diverged model, then record what training did.

    Sets ``history_`` (``previous`` extended by Keras' ``history``),
    ``n_iter_`` (the epochs reached), ``loss_curve_`` and ``callbacks_``,
    and detaches the callbacks from the model (a fitted estimator keeps no
    second reference to it).
    """
    check_finite_weights(model)
    # The evaluation step traced for validation data during the fit is
    # generalised by TensorFlow for those shapes; a later model_.evaluate on
    # other data could fail with it ("shape with unknown rank"). Keras makes
    # a fresh one when the user evaluates.
    model.test_function = None
    estimator.history_ = extend_history(previous, history.history)
    estimator.n_iter_ = len(estimator.history_.get("loss", [])) or epochs_reached
    estimator.loss_curve_ = list(estimator.history_.get("loss", []))
    for callback in callbacks:
        callback.set_model(None)
        release_runtime_resources(callback)
    estimator.callbacks_ = [cb for cb in callbacks if not is_internal(cb)]


def extend_history(history, new):
    """Append a Keras ``History.history`` to a plain dict of float lists."""
    merged = {key: list(values) for key, values in history.items()}
    for key, values in new.items():
        merged.setdefault(key, []).extend(float(v) for v in values)
    return merged


@contextlib.contextmanager
def rollback_on_failure(model):
    """Put ``model``'s variables and its optimizer's state back if the block raises.

    Used when a fit continues training an existing model (``warm_start``,
    ``partial_fit``): an interrupted continuation leaves the weights, the
    optimizer and so ``n_iter_`` and ``history_`` consistent with each other.
    """
    if model is None:
        yield
        return
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and not optimizer.built and model.trainable_variables:
        optimizer.build(model.trainable_variables)
    variables = list(model.variables)
    if optimizer is not None:
        variables += [v for v in optimizer.variables if all(v is not w for w in variables)]
    # Through a copy: NumPy 2 warns when it converts a TensorFlow variable itself.
    saved = [keras.ops.convert_to_numpy(keras.ops.copy(v)) for v in variables]
    try:
        yield
    except BaseException:
        for variable, value in zip(variables, saved, strict=True):
            variable.assign(value)
        raise


def release_runtime_resources(callback):
    """Drop what a finished fit left in a user's callback instance that Keras makes again.

    ``CSVLogger`` keeps its closed file, ``TensorBoard`` its writers and the
    summary module; each is recreated when training starts. Without them the
    instance can be copied, so ``clone``, ``GridSearchCV`` and ``joblib`` work
    on an estimator fitted with it, as with the class form. Its other state
    (``EarlyStopping.stopped_epoch``, say) stays where the user looks for it.
    """
    for name, value in list(vars(callback).items()):
        if name == "_model":
            continue
        if _is_runtime(value):
            vars(callback)[name] = None
        elif isinstance(value, (dict, list)):
            items = value.values() if isinstance(value, dict) else value
            if any(_is_runtime(item) for item in items):
                vars(callback)[name] = type(value)()


def _is_runtime(value):
    """An open (or closed) file, a module, or a framework object such as a summary writer."""
    if isinstance(value, (io.IOBase, types.ModuleType)):
        return True
    framework = type(value).__module__.startswith(("tensorflow", "torch", "jaxlib"))
    return framework and not hasattr(value, "numpy")  # tensors and variables are state


# ---------------------------------------------------------------------------
# Compiled once, trained many times
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


def compiled_trainer(model, plan, named_data):
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
    trainer = COMPILED.take(key)
    if trainer is None:
        trainer = _compiled_copy(model)
        if trainer is None or reuse_key(trainer, named_data) != key:
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
