"""Compiling a built model: the optimizer's tunable knobs and learning-rate decay."""

import inspect
import math

import keras

from skdeep.models import _checks


@keras.saving.register_keras_serializable(package="skdeep")
class EpochDecay(keras.optimizers.schedules.LearningRateSchedule):
    """A learning rate that changes once per epoch.

    ``lr(epoch) = initial_learning_rate / (1 + decay * epoch) * drop ** floor(epoch / epochs_drop)``

    with ``epoch`` counted from 0 as ``floor(step / steps_per_epoch)``. With
    ``drop=1`` it is time-based decay; with ``decay=0`` a step decay that
    multiplies the rate by ``drop`` every ``epochs_drop`` epochs.

    Examples
    --------
    >>> schedule = EpochDecay(0.1, steps_per_epoch=10, decay=0.0, drop=0.5, epochs_drop=2)
    >>> [round(float(schedule(step)), 4) for step in (0, 19, 20, 40)]
    [0.1, 0.1, 0.05, 0.025]
    """

    def __init__(self, initial_learning_rate, steps_per_epoch, decay=0.0, drop=1.0, epochs_drop=10):
        self.initial_learning_rate = float(initial_learning_rate)
        self.steps_per_epoch = int(steps_per_epoch)
        self.decay = float(decay)
        self.drop = float(drop)
        self.epochs_drop = int(epochs_drop)

    def __call__(self, step):
        ops = keras.ops
        epoch = ops.floor(ops.cast(step, "float32") / self.steps_per_epoch)
        time_based = self.initial_learning_rate / (1.0 + self.decay * epoch)
        return time_based * ops.power(self.drop, ops.floor(epoch / self.epochs_drop))

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "steps_per_epoch": self.steps_per_epoch,
            "decay": self.decay,
            "drop": self.drop,
            "epochs_drop": self.epochs_drop,
        }


def compile_model(
    model,
    meta,
    compile_kwargs=None,
    learning_rate=None,
    momentum=None,
    nesterov=None,
    decay=0.0,
    drop=1.0,
    epochs_drop=10,
):
    """Compile ``model`` with ``compile_kwargs`` and the builder's optimizer knobs.

    Parameters
    ----------
    model : keras.Model
    meta : dict
        The estimator's ``meta``; ``loss_`` is the default loss and
        ``steps_per_epoch_`` turns epochs into optimizer steps for decay.
    compile_kwargs : dict or None
        What the estimator would compile with (optimizer instance, loss,
        metrics, ...). None, when a builder is called on its own, means
        RMSprop and the loss in ``meta``.
    learning_rate, momentum, nesterov : optional
        Override the optimizer's own values when not None.
    decay, drop, epochs_drop : float, float, int
        Per-epoch learning-rate decay, see :class:`EpochDecay`.

    Returns
    -------
    keras.Model
        ``model``, compiled.
    """
    kwargs = dict(compile_kwargs or {"optimizer": "rmsprop", "loss": _default_loss(meta)})
    kwargs["optimizer"] = _tuned_optimizer(
        kwargs["optimizer"], meta, learning_rate, momentum, nesterov, decay, drop, epochs_drop
    )
    model.compile(**kwargs)
    return model


def _default_loss(meta):
    if meta.get("loss_"):
        return meta["loss_"]
    activation = meta.get("output_activation_")
    if activation == "sigmoid":
        return "binary_crossentropy"
    return "sparse_categorical_crossentropy" if activation == "softmax" else "mean_squared_error"


def _tuned_optimizer(optimizer, meta, learning_rate, momentum, nesterov, decay, drop, epochs_drop):
    if isinstance(optimizer, str) or inspect.isclass(optimizer):
        optimizer = keras.optimizers.get(optimizer) if isinstance(optimizer, str) else optimizer()
    config = optimizer.get_config()
    updates = {}
    if learning_rate is not None:
        updates["learning_rate"] = _learning_rate(optimizer, config, learning_rate)
    for name, value in (("momentum", momentum), ("nesterov", nesterov)):
        if value is None:
            continue
        if name not in config:
            raise ValueError(
                f"Invalid {name}={value!r}: optimizer {type(optimizer).__name__} has no "
                f"{name}. Use an optimizer that has one (SGD"
                f"{', RMSprop' if name == 'momentum' else ''}) or leave {name}=None."
            )
        updates[name] = _checks.flag(name, value) if name == "nesterov" else _momentum(value)
    decay = _checks.non_negative("decay", decay)
    drop = _checks.positive("drop", drop)
    epochs_drop = _checks.positive_int("epochs_drop", epochs_drop)
    if decay or drop != 1.0:
        updates["learning_rate"] = _decayed(config, updates, meta, decay, drop, epochs_drop)
    return type(optimizer).from_config({**config, **updates}) if updates else optimizer


def _momentum(value):
    if _checks.non_negative("momentum", value) > 1:
        raise _checks.invalid("momentum", value, "a number in [0, 1]")
    return float(value)


def _learning_rate(optimizer, config, learning_rate):
    learning_rate = _checks.positive("learning_rate", learning_rate)
    default = inspect.signature(type(optimizer).__init__).parameters.get("learning_rate")
    current = config.get("learning_rate")
    if (
        default is not None
        and isinstance(current, float)
        and not math.isclose(current, default.default, rel_tol=1e-6)
        and not math.isclose(current, learning_rate, rel_tol=1e-6)
    ):
        raise ValueError(
            f"learning_rate={learning_rate!r} conflicts with the optimizer's own learning "
            f"rate {current!r} (from optimizer__learning_rate or an optimizer instance). "
            "Set the learning rate in one place only."
        )
    return learning_rate


def _decayed(config, updates, meta, decay, drop, epochs_drop):
    initial = updates.get("learning_rate", config.get("learning_rate"))
    if not isinstance(initial, (int, float)):
        raise ValueError(
            "decay and drop need a constant initial learning rate, but the optimizer "
            "already has a learning-rate schedule. Remove the schedule or set "
            "decay=0 and drop=1."
        )
    steps = meta.get("steps_per_epoch_")
    if steps is None:
        raise ValueError(
            "decay and drop count epochs, which needs meta['steps_per_epoch_'] (the "
            "estimators supply it). Add it to meta when calling the builder yourself."
        )
    return EpochDecay(initial, steps, decay=decay, drop=drop, epochs_drop=epochs_drop)
