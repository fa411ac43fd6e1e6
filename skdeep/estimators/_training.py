"""Callbacks, history and batched prediction around a Keras model."""

import contextlib
import copy
import inspect

import keras
import numpy as np

from skdeep.estimators._params import routed

#: Rows per ``predict_on_batch`` call when ``predict__batch_size`` is unset.
DEFAULT_PREDICT_BATCH_SIZE = 1024


def make_callbacks(callbacks, options):
    """Fresh callback instances for one fit.

    Parameters
    ----------
    callbacks : None, callback, list or dict
        Callbacks as classes or instances. In a dict, the keys name the
        callbacks so that ``callbacks__<name>__<argument>`` reaches them.
        A class is instantiated with its routed arguments; an instance is
        deep-copied, so that fitting never changes the estimator's
        parameters and every fit starts from the same callback state.
    options : dict
        The ``callbacks__*`` parameters with the prefix removed, e.g.
        ``{"early__patience": 3}``.

    Examples
    --------
    >>> cbs = make_callbacks({"early": keras.callbacks.EarlyStopping},
    ...                      {"early__patience": 3})
    >>> cbs[0].patience
    3
    """
    if callbacks is None:
        named = {}
    elif isinstance(callbacks, dict):
        named = dict(callbacks)
    elif isinstance(callbacks, (list, tuple)):
        named = {str(i): cb for i, cb in enumerate(callbacks)}
    else:
        named = {"0": callbacks}
    unknown = {key.split("__")[0] for key in options} - set(named)
    if unknown:
        raise ValueError(
            f"callbacks__ parameters name unknown callbacks {sorted(unknown)}; "
            f"known names: {sorted(named)}. Give callbacks as a dict, e.g. "
            "callbacks={'early': keras.callbacks.EarlyStopping}, to address them."
        )
    return [_instantiate(name, cb, routed(options, name)) for name, cb in named.items()]


def _instantiate(name, callback, arguments):
    if inspect.isclass(callback) and issubclass(callback, keras.callbacks.Callback):
        return callback(**arguments)
    if isinstance(callback, keras.callbacks.Callback):
        if arguments:
            raise ValueError(
                f"callbacks__{name}__ parameters {sorted(arguments)} cannot be applied "
                f"to the callback instance {callback!r}. Pass its class instead "
                f"(callbacks={{'{name}': {type(callback).__name__}}}) so that each "
                "fit creates it with these arguments."
            )
        return copy.deepcopy(callback)
    raise TypeError(
        f"callbacks[{name!r}] must be a keras.callbacks.Callback class or instance. "
        f"Received: {callback!r} of type {type(callback).__name__}."
    )


def early_stopping_callback(patience, monitors_validation):
    """The callback behind ``early_stopping=True``: best weights restored."""
    return keras.callbacks.EarlyStopping(
        monitor="val_loss" if monitors_validation else "loss",
        patience=patience,
        restore_best_weights=True,
    )


def extend_history(history, new):
    """Append a Keras ``History.history`` to a plain dict of float lists."""
    merged = {key: list(values) for key, values in history.items()}
    for key, values in new.items():
        merged.setdefault(key, []).extend(float(v) for v in values)
    return merged


def predict_in_batches(model, X, batch_size):
    """Model outputs for ``X``, one ``predict_on_batch`` call per batch.

    ``model.predict`` builds a dataset and a progress loop on every call,
    tens of milliseconds of overhead that dominate small predictions;
    ``predict_on_batch`` runs the compiled prediction step directly.

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> predict_in_batches(model, np.zeros((5, 3), "float32"), batch_size=2).shape
    (5, 2)
    """
    with quiet_backend():
        if len(X) <= batch_size:
            return _as_numpy(model.predict_on_batch(X))
        parts = [
            _as_numpy(model.predict_on_batch(X[start : start + batch_size]))
            for start in range(0, len(X), batch_size)
        ]
    return np.concatenate(parts)


def quiet_backend():
    """A context that hides the backend's misleading retracing warning (TensorFlow)."""
    if keras.backend.backend() == "tensorflow":
        from skdeep.estimators._tensorflow import quiet_retracing

        return quiet_retracing()
    return contextlib.nullcontext()


def graphs_released_with(model):
    """A context for training ``model``: what the backend keeps for the traced
    training step is let go once ``model`` itself is (TensorFlow)."""
    if keras.backend.backend() == "tensorflow":
        from skdeep.estimators._tensorflow import gradient_registrations_released_with

        return gradient_registrations_released_with(model)
    return contextlib.nullcontext()


def _as_numpy(outputs):
    if isinstance(outputs, (list, tuple)):
        raise ValueError(
            f"The model returned {len(outputs)} outputs; skdeep estimators "
            "support models with a single output tensor."
        )
    return np.asarray(keras.ops.convert_to_numpy(outputs))


_BATCH_HOOKS = (
    "on_batch_begin",
    "on_batch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_batch_begin",
    "on_test_batch_end",
)


def watches_batches(callback):
    """Whether a callback acts between batches (overrides a batch-level hook).

    Examples
    --------
    >>> watches_batches(keras.callbacks.EarlyStopping())
    False
    >>> watches_batches(keras.callbacks.TerminateOnNaN())
    True
    """
    base = keras.callbacks.Callback
    return any(
        getattr(type(callback), hook, None) is not getattr(base, hook) for hook in _BATCH_HOOKS
    )


#: Above this many parameters x batch size, a training step costs more than
#: calling it does (convolutions, recurrent layers); looping inside the
#: compiled function then only adds tracing time (measured in benchmarks/).
WHOLE_EPOCH_LIMIT = 2_000_000


def is_small_model(model, batch_size):
    """Whether calling a training step costs more than its arithmetic (see WHOLE_EPOCH_LIMIT)."""
    return model.count_params() * batch_size <= WHOLE_EPOCH_LIMIT


def use_whole_epoch_steps(model, steps_per_epoch, batch_size, callbacks, previous):
    """Run a whole epoch of training steps per call into the compiled function.

    Keras calls its compiled train step once per batch by default, and for
    small models that per-call overhead costs more than the arithmetic
    (about half of a Pima-sized fit). With ``steps_per_execution`` equal to
    the steps in an epoch, the loop over batches runs inside the compiled
    function. Training is the same: the same batches in the same order.

    Used for small models only (``count_params() * batch_size`` up to
    :data:`WHOLE_EPOCH_LIMIT`). Left alone when the user chose
    ``steps_per_execution`` (in their own ``compile`` or with
    ``compile__steps_per_execution``: ``previous`` is the value skdeep set
    before, if any), or when a callback acts between batches, since those
    would then see only one call per epoch.

    Returns
    -------
    int or None
        The value set, or None when the model was left as it was.
    """
    current = getattr(model, "steps_per_execution", None)
    if current is None or current not in (1, previous):
        return None
    small = is_small_model(model, batch_size)
    batch_hooks = any(watches_batches(cb) for cb in callbacks)
    wanted = max(1, int(steps_per_epoch)) if small and not batch_hooks else 1
    if wanted != current:
        model.steps_per_execution = wanted
        # The compiled functions bake the value in; Keras rebuilds them.
        model.train_function = model.test_function = model.predict_function = None
    return wanted
