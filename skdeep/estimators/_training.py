"""Around ``model.fit`` and ``model.predict``: callbacks, divergence, history, prediction."""

import contextlib
import math
import threading
import weakref

import keras
import numpy as np

from skdeep import _objects
from skdeep.estimators import _persistence
from skdeep.estimators._feeding import EpochOrderedBatches, dense, is_sparse, n_rows
from skdeep.exceptions import TrainingDivergedError

#: Rows per ``predict_on_batch`` call when no batch size is given.
DEFAULT_PREDICT_BATCH_SIZE = 1024


def make_callbacks(callbacks, options):
    """The callbacks of one fit, as a list.

    Classes are instantiated with their routed options
    (``callbacks__patience=3``, ``callbacks__es__patience=3``,
    ``callbacks__0__patience=3``); instances are used as given, so their
    state after the fit (``EarlyStopping.stopped_epoch``) is where the user
    looks, as with Keras' own ``fit``.

    Examples
    --------
    >>> cbs = make_callbacks({"early": keras.callbacks.EarlyStopping},
    ...                      {"early__patience": 3})
    >>> cbs[0].patience
    3
    """
    if callbacks is None:
        if options:
            raise ValueError(
                f"callbacks__ options {sorted(options)} were given but callbacks=None. "
                "Set callbacks to the callback classes they configure, e.g. "
                "callbacks={'early': keras.callbacks.EarlyStopping}."
            )
        return []
    built = _objects.build(callbacks, options, "callbacks")
    flat = list(built.values()) if isinstance(built, dict) else built
    flat = flat if isinstance(flat, (list, tuple)) else [flat]
    result = []
    for callback in flat:
        for item in callback if isinstance(callback, (list, tuple)) else [callback]:
            if not isinstance(item, keras.callbacks.Callback):
                raise TypeError(
                    "callbacks must be keras.callbacks.Callback classes or instances (a "
                    "single one, a list or a dict of them). Received: "
                    f"{item!r} of type {type(item).__name__}."
                )
            result.append(item)
    return result


def fit_callbacks(estimator, options, history=None, seed=None):
    """Every callback of one fit, in order; ``history`` given: the fit's, with its guards.

    The user's (``callbacks``, ``fit__callbacks``, ``fit(callbacks=...)``),
    then ``early_stopping``'s, then those of the checkpoint parameters.
    Without ``history`` (when the data feed is planned) only the user's and
    ``early_stopping``'s.
    """
    from skdeep.estimators import _checkpoints
    from skdeep.estimators._params import routed

    params = vars(estimator)
    found = [DivergenceGuard()] if history is not None else []
    found += make_callbacks(estimator.callbacks, routed(params, "callbacks"))
    found += make_callbacks(options.get("callbacks"), routed(routed(params, "fit"), "callbacks"))
    validated = bool(options.get("validation_split")) or "validation_data" in options
    if estimator.early_stopping:
        found.append(early_stopping(estimator.n_iter_no_change, estimator.tol, validated))
    if history is None:
        return found
    found += _checkpoints.callbacks(estimator, validated)
    return found


def is_internal(callback):
    """Whether skdeep added the callback for itself (not shown in ``callbacks_``)."""
    return isinstance(callback, DivergenceGuard) or type(callback).__name__ in (
        "BackupWriter",
        "_MonitorCheck",
        "_SetEpoch",
    )


def early_stopping(patience, tol, monitors_validation):
    """The callback behind ``early_stopping=True``: best weights restored."""
    return keras.callbacks.EarlyStopping(
        monitor="val_loss" if monitors_validation else "loss",
        patience=patience,
        min_delta=tol,
        restore_best_weights=True,
    )


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


def record_training(estimator, model, history, previous, epochs_reached, callbacks):
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
        _persistence.release_runtime_resources(callback)
    estimator.callbacks_ = [cb for cb in callbacks if not is_internal(cb)]


def extend_history(history, new):
    """Append a Keras ``History.history`` to a plain dict of float lists."""
    merged = {key: list(values) for key, values in history.items()}
    for key, values in new.items():
        merged.setdefault(key, []).extend(float(v) for v in values)
    return merged


def watches_prediction(callback):
    """Whether a callback overrides one of Keras' prediction hooks."""
    base = keras.callbacks.Callback
    hooks = ("on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end")
    return any(getattr(type(callback), hook) is not getattr(base, hook) for hook in hooks)


_locks = weakref.WeakKeyDictionary()
_locks_guard = threading.Lock()


def _model_lock(model):
    with _locks_guard:
        lock = _locks.get(model)
        if lock is None:
            lock = _locks[model] = threading.Lock()
        return lock


def predict(model, X, batch_size, callbacks=()):
    """Model outputs for ``X``, as NumPy arrays (a list for several outputs).

    ``model.predict`` builds a dataset and a progress loop on every call,
    tens of milliseconds of overhead that dominate small predictions;
    ``predict_on_batch`` runs the compiled prediction step directly, one
    call per batch. ``model.predict`` is used only when callbacks watch
    prediction, or when the model is mirrored over several devices
    (TensorFlow's ``predict_on_batch`` then returns every replica's copy of
    the batch). On JAX the compiled step donates the model's state, so
    concurrent calls on one model are serialized; TensorFlow's are safe.

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> predict(model, np.zeros((5, 3), "float32"), batch_size=2).shape
    (5, 2)
    """
    watching = [cb for cb in callbacks if watches_prediction(cb)]
    strategy = getattr(model, "distribute_strategy", None)  # TensorFlow models only
    if getattr(strategy, "num_replicas_in_sync", 1) > 1:
        return _keras_predict(model, X, batch_size, watching)
    lock = _model_lock(model) if keras.backend.backend() != "tensorflow" else None
    with lock or contextlib.nullcontext(), retracing_warning_hidden():
        if watching:
            return _keras_predict(model, X, batch_size, watching)
        if _length(X) <= batch_size:
            return _as_numpy(model.predict_on_batch(dense(X)))
        parts = [
            _as_numpy(model.predict_on_batch(dense(_rows(X, start, start + batch_size))))
            for start in range(0, _length(X), batch_size)
        ]
    if isinstance(parts[0], dict):  # several named outputs
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    if isinstance(parts[0], list):
        return [np.concatenate([p[i] for p in parts]) for i in range(len(parts[0]))]
    return np.concatenate(parts)


def _keras_predict(model, X, batch_size, callbacks):
    """``model.predict``, fed batch by batch (densified) when ``X`` is sparse."""
    if is_sparse(X):
        X = EpochOrderedBatches((X,), batch_size, seed=0, shuffle=False)
        return _as_numpy(model.predict(X, verbose=0, callbacks=callbacks))
    return _as_numpy(model.predict(X, batch_size=batch_size, verbose=0, callbacks=callbacks))


def _length(X):
    return n_rows(X)


def _rows(X, start, stop):
    if isinstance(X, dict):
        return {k: v[start:stop] for k, v in X.items()}
    if isinstance(X, (list, tuple)):
        return [v[start:stop] for v in X]
    return X[start:stop]


def _as_numpy(outputs):
    if isinstance(outputs, dict):
        return {k: np.asarray(keras.ops.convert_to_numpy(v)) for k, v in outputs.items()}
    if isinstance(outputs, (list, tuple)):
        return [np.asarray(keras.ops.convert_to_numpy(v)) for v in outputs]
    return np.asarray(keras.ops.convert_to_numpy(outputs))


def retracing_warning_hidden():
    """A context that hides the backend's misleading retracing warning (TensorFlow)."""
    if keras.backend.backend() == "tensorflow":
        from skdeep.estimators._tensorflow import retracing_warning_hidden as hidden

        return hidden()
    return contextlib.nullcontext()


def traced_graphs_freed_with(model):
    """A context for training ``model``: what the backend keeps for the traced
    training step is let go once ``model`` itself is (TensorFlow)."""
    if keras.backend.backend() == "tensorflow":
        from skdeep.estimators._tensorflow import traced_gradients_freed_with

        return traced_gradients_freed_with(model)
    return contextlib.nullcontext()


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


@contextlib.contextmanager
def atomic(estimator, trained_model):
    """Put ``estimator`` (and ``trained_model``'s state) back as it was if the block raises."""
    saved = dict(vars(estimator))
    try:
        with rollback_on_failure(trained_model):
            yield
    except BaseException:
        vars(estimator).clear()
        vars(estimator).update(saved)
        raise
