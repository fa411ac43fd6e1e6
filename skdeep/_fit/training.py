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

import contextlib
import io
import math
import types

import keras

from skdeep._fit import batches, sources
from skdeep._fit.compiled import (
    COMPILED,
    compiled_trainer,
    copy_metrics,
    copy_state,
    share_prediction,
)
from skdeep._fit.compiling import user_steps_per_execution
from skdeep._fit.data import check_token_input
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
        named = isinstance(X, dict) or isinstance(y, dict)
        trainer, key = compiled_trainer(model, plan, named, arguments)
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
        share_prediction(trainer, model)
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
