"""Compiling, in one place: the optimizer and its knobs, learning-rate schedules.

The estimators compile every model skdeep compiles through this module (the
built-in builders' networks and uncompiled models from user builders), and a
built-in builder called on its own uses it too. Routed options
(``optimizer__learning_rate=...``, ``loss__from_logits=True``,
``metrics__0__threshold=...``) and the optimizer knobs (``learning_rate``,
``momentum``, ``nesterov`` and the per-epoch decays) are resolved here once
per fit.
"""

import inspect
import math
import warnings

import keras

from skdeep import _objects
from skdeep.models import _checks
from skdeep.models._losses import default_loss

#: Estimator parameters that configure the optimizer, whatever the builder.
OPTIMIZER_KNOBS = ("learning_rate", "momentum", "nesterov", "decay", "decay_rate", "decay_epochs")
#: Old names of knobs, still accepted with a DeprecationWarning.
DEPRECATED_KNOBS = {"drop": "decay_rate", "epochs_drop": "decay_epochs"}


@keras.saving.register_keras_serializable(package="skdeep")
class EpochDecay(keras.optimizers.schedules.LearningRateSchedule):
    """A learning rate that changes once per epoch.

    ``lr(epoch) = initial_learning_rate / (1 + decay * epoch)
    * decay_rate ** floor(epoch / decay_epochs)``

    with ``epoch`` counted from 0 as ``floor(step / steps_per_epoch)``. With
    ``decay_rate=1`` it is the time-based decay of the tutorials; with
    ``decay=0`` a step decay that multiplies the rate by ``decay_rate``
    every ``decay_epochs`` epochs (Keras' ``ExponentialDecay`` with
    ``staircase=True``, counted in epochs).

    Parameters
    ----------
    initial_learning_rate : float
        The rate of the first epoch.
    steps_per_epoch : int
        Optimizer steps in one epoch.
    decay : float, default=0.0
        Time-based decay per epoch.
    decay_rate : float, default=1.0
        Factor applied every ``decay_epochs`` epochs.
    decay_epochs : int, default=10
        Epochs between two applications of ``decay_rate``.

    Examples
    --------
    >>> schedule = EpochDecay(0.1, steps_per_epoch=10, decay_rate=0.5, decay_epochs=2)
    >>> [round(float(schedule(step)), 4) for step in (0, 19, 20, 40)]
    [0.1, 0.1, 0.05, 0.025]
    """

    def __init__(
        self, initial_learning_rate, steps_per_epoch, decay=0.0, decay_rate=1.0, decay_epochs=10
    ):
        self.initial_learning_rate = float(initial_learning_rate)
        self.steps_per_epoch = int(steps_per_epoch)
        self.decay = float(decay)
        self.decay_rate = float(decay_rate)
        self.decay_epochs = int(decay_epochs)

    def __call__(self, step):
        ops = keras.ops
        epoch = ops.floor(ops.cast(step, "float32") / self.steps_per_epoch)
        time_based = self.initial_learning_rate / (1.0 + self.decay * epoch)
        return time_based * ops.power(self.decay_rate, ops.floor(epoch / self.decay_epochs))

    def get_config(self):
        """Return the constructor arguments, so that Keras can save the schedule.

        Returns
        -------
        dict
            The arguments of ``__init__``.
        """
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "steps_per_epoch": self.steps_per_epoch,
            "decay": self.decay,
            "decay_rate": self.decay_rate,
            "decay_epochs": self.decay_epochs,
        }

    @classmethod
    def from_config(cls, config):
        """Rebuild a schedule from :meth:`get_config`, also from files with the old names.

        Parameters
        ----------
        config : dict
            The saved arguments (``drop`` and ``epochs_drop`` are read as
            ``decay_rate`` and ``decay_epochs``).

        Returns
        -------
        EpochDecay
            The schedule.
        """
        config = dict(config)  # files written before the rename
        for old, new in DEPRECATED_KNOBS.items():
            if old in config:
                config[new] = config.pop(old)
        return cls(**config)


def optimizer_knobs(params):
    """The optimizer knobs set in ``params``, old names translated (with a warning).

    Examples
    --------
    >>> optimizer_knobs({"learning_rate": 0.1, "epochs": 3, "momentum": None})
    {'learning_rate': 0.1}
    """
    knobs = {k: params[k] for k in OPTIMIZER_KNOBS if params.get(k) is not None}
    for old, new in DEPRECATED_KNOBS.items():
        if params.get(old) is not None:
            warnings.warn(
                f"{old}= is deprecated and will be removed; use {new}= (Keras' name).",
                DeprecationWarning,
                stacklevel=4,
            )
            check = _checks.positive if old == "drop" else _checks.positive_int
            knobs[new] = check(old, params[old])
    return knobs


def make_optimizer(optimizer, options, knobs=None, steps_per_epoch=None):
    """A fresh optimizer from a name, class or instance, routed options and knobs.

    A fresh instance is made every time, because a Keras optimizer is bound
    to the variables of the first model it trains; an instance given by
    the user is copied from its config and never stepped.

    Parameters
    ----------
    optimizer : str, type or keras.optimizers.Optimizer
        ``"adam"``, ``keras.optimizers.Adam`` or ``keras.optimizers.Adam(...)``.
    options : dict
        ``optimizer__*`` parameters, e.g. ``{"learning_rate": 0.01}``.
    knobs : dict, optional
        ``learning_rate``, ``momentum``, ``nesterov``, ``decay``,
        ``decay_rate``, ``decay_epochs`` (see :func:`optimizer_knobs`).
    steps_per_epoch : int, optional
        Gradient steps per epoch, needed by the per-epoch decays.

    Examples
    --------
    >>> make_optimizer("sgd", {"learning_rate": 0.1, "momentum": 0.9}).momentum
    0.9
    >>> round(float(make_optimizer("adam", {}, {"learning_rate": 0.02}).learning_rate), 6)
    0.02
    """
    knobs, options = dict(knobs or {}), dict(options)
    legacy_decay = options.pop("decay", None)
    _check_learning_rate_routes(options, knobs)
    if isinstance(optimizer, str):
        optimizer = _optimizer_class(optimizer)
    if inspect.isclass(optimizer) and issubclass(optimizer, keras.optimizers.Optimizer):
        instance = _objects.build(optimizer, options, "optimizer")
    elif isinstance(optimizer, keras.optimizers.Optimizer):
        overrides = {
            key: _objects.build(value, _objects.routed(options, key), f"optimizer__{key}")
            for key, value in options.items()
            if "__" not in key
        }
        instance = type(optimizer).from_config({**optimizer.get_config(), **overrides})
    else:
        raise TypeError(
            f"optimizer must be a Keras optimizer name, class or instance. "
            f"Received: optimizer={optimizer!r} of type {type(optimizer).__name__}."
        )
    instance = _apply_knobs(instance, knobs, steps_per_epoch)
    if legacy_decay is not None:
        instance = _legacy_decay(instance, legacy_decay, knobs)
    return instance


def _legacy_decay(optimizer, decay, knobs):
    """``optimizer__decay``: the old Keras argument, as old Keras applied it.

    Keras 2 optimizers took ``decay`` and divided the learning rate by
    ``1 + decay * step`` at every optimizer step; Keras 3 dropped the
    argument (it warns and ignores it). skdeep turns it into the same
    schedule, Keras' ``InverseTimeDecay(lr, decay_steps=1, decay_rate=decay)``.
    skdeep's own ``decay=`` knob is per epoch; setting both is an error.
    """
    decay = _checks.non_negative("optimizer__decay", decay)
    if knobs.get("decay") or knobs.get("decay_rate", 1.0) != 1.0:
        raise ValueError(
            f"optimizer__decay={decay!r} (old Keras' decay per optimizer step) and skdeep's "
            f"decay={knobs.get('decay')!r} / decay_rate={knobs.get('decay_rate')!r} (per "
            "epoch) both set a learning-rate decay. Keep one of them."
        )
    if not decay:
        return optimizer
    config = optimizer.get_config()
    initial = config.get("learning_rate")
    if not isinstance(initial, (int, float)):
        raise ValueError(
            f"optimizer__decay={decay!r} needs a constant initial learning rate, but the "
            "optimizer already has a learning-rate schedule. Remove one of them."
        )
    schedule = keras.optimizers.schedules.InverseTimeDecay(float(initial), 1, decay)
    return type(optimizer).from_config({**config, "learning_rate": schedule})


def _optimizer_class(name):
    known = {
        key.lower(): value
        for key, value in vars(keras.optimizers).items()
        if inspect.isclass(value) and issubclass(value, keras.optimizers.Optimizer)
    }
    key = name.replace("_", "").lower()
    if key not in known or key in ("optimizer", "lossscaleoptimizer", "multioptimizer"):
        usable = sorted(k for k in known if k not in ("optimizer", "lossscaleoptimizer"))
        raise ValueError(
            f"Unknown optimizer: optimizer={name!r}. Expected a Keras optimizer name "
            f"({', '.join(usable)}), a keras.optimizers.Optimizer class or an instance."
        )
    return known[key]


def _check_learning_rate_routes(options, knobs):
    routed = options.get("learning_rate")
    knob = knobs.get("learning_rate")
    if routed is None or knob is None:
        return
    same = isinstance(routed, (int, float)) and math.isclose(routed, knob, rel_tol=1e-9)
    if not same:
        raise ValueError(
            f"learning_rate={knob!r} conflicts with optimizer__learning_rate={routed!r}. "
            "Set the learning rate in one place only."
        )


def _apply_knobs(optimizer, knobs, steps_per_epoch):
    if not knobs:
        return optimizer
    config = optimizer.get_config()
    updates = {}
    if "learning_rate" in knobs:
        updates["learning_rate"] = _checks.positive("learning_rate", knobs["learning_rate"])
    for name in ("momentum", "nesterov"):
        if name not in knobs:
            continue
        if name not in config:
            raise ValueError(
                f"Invalid {name}={knobs[name]!r}: optimizer {type(optimizer).__name__} has no "
                f"{name}. Use an optimizer that has one (SGD"
                f"{', RMSprop' if name == 'momentum' else ''}) or leave {name}=None."
            )
        value = knobs[name]
        updates[name] = _checks.flag(name, value) if name == "nesterov" else _momentum(value)
    decay = _checks.non_negative("decay", knobs.get("decay", 0.0))
    rate = _checks.positive("decay_rate", knobs.get("decay_rate", 1.0))
    epochs = _checks.positive_int("decay_epochs", knobs.get("decay_epochs", 10))
    if decay or rate != 1.0:
        initial = updates.get("learning_rate", config.get("learning_rate"))
        updates["learning_rate"] = _epoch_decay(initial, steps_per_epoch, decay, rate, epochs)
    return type(optimizer).from_config({**config, **updates}) if updates else optimizer


def _momentum(value):
    if _checks.non_negative("momentum", value) > 1:
        raise _checks.invalid("momentum", value, "a number in [0, 1]")
    return float(value)


def _epoch_decay(initial, steps_per_epoch, decay, rate, epochs):
    if not isinstance(initial, (int, float)):
        raise ValueError(
            "decay and decay_rate need a constant initial learning rate, but the optimizer "
            "already has a learning-rate schedule. Remove the schedule or set decay=0 and "
            "decay_rate=1."
        )
    if steps_per_epoch is None:
        raise ValueError(
            "decay and decay_rate count epochs, which needs meta['steps_per_epoch_'] (the "
            "estimators supply it). Add it to meta when calling the builder yourself."
        )
    return EpochDecay(initial, steps_per_epoch, decay, rate, epochs)


def compile_model(model, meta, compile_kwargs=None, **knobs):
    """Compile ``model`` as a built-in builder does when called on its own.

    Parameters
    ----------
    model : keras.Model
    meta : dict
        ``loss_`` is the default loss and ``steps_per_epoch_`` turns epochs
        into optimizer steps for the decays.
    compile_kwargs : dict or None
        What to compile with (optimizer, loss, metrics, ...). None means
        RMSprop and the loss in ``meta``.
    **knobs
        ``learning_rate``, ``momentum``, ``nesterov``, ``decay``,
        ``decay_rate``, ``decay_epochs`` (None: not set).

    Returns
    -------
    keras.Model
        ``model``, compiled.
    """
    kwargs = dict(compile_kwargs or {"optimizer": "rmsprop", "loss": _meta_loss(meta)})
    kwargs["optimizer"] = make_optimizer(
        kwargs.get("optimizer", "rmsprop"),
        {},
        optimizer_knobs(knobs),
        meta.get("steps_per_epoch_"),
    )
    model.compile(**kwargs)
    return model


def _meta_loss(meta):
    if meta.get("loss_"):
        return meta["loss_"]
    name, _ = default_loss(
        meta.get("target_type_", "multiclass" if meta.get("output_units_", 1) > 1 else "binary")
        if meta.get("output_activation_") != "linear"
        else "continuous",
        meta.get("output_units_", 1),
        meta.get("output_activation_"),
    )
    return name
