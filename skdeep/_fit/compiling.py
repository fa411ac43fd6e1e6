"""Compiling, in one place: optimizer, learning-rate schedule, loss and metrics.

This module decides how every model is compiled, for the estimators and for
a built-in builder called on its own:

* the optimizer (``optimizer``: a name, class or instance, ``"auto"`` being
  Adam for the built-in builders, however they are given, and RMSprop, Keras'
  and scikeras' default, for user builders), its routed options
  (``optimizer__learning_rate=...``), the knobs every estimator has
  (``learning_rate``, ``momentum``, ``nesterov`` and the per-epoch decays
  ``decay``, ``decay_rate``, ``decay_epochs``) and Keras 2's
  ``optimizer__decay``;
* the loss (``loss``, or the one that fits the target and the output layer:
  :func:`default_loss`), and the metrics;
* which of two settings wins: none. Settings that would override each other
  are an error naming both: ``compile__optimizer`` with ``optimizer`` or a
  knob, ``learning_rate`` with a different ``optimizer__learning_rate``, a
  per-epoch decay with ``optimizer__decay``, and a builder that compiles its
  own model with optimizer settings it would never see.

The objects these settings name are made here too, for the optimizer, loss,
metrics and the callbacks (:func:`build_object`, scikeras' routed syntax).

A parameter such as ``callbacks``, ``metrics``, ``loss`` or ``optimizer`` may
hold a class, an instance, a list or a dict of them. Routed options
configure the classes, so that grid searches can tune them:

* ``callbacks=EarlyStopping, callbacks__patience=3`` gives
  ``EarlyStopping(patience=3)``;
* ``metrics=[BinaryAccuracy, AUC], metrics__0__threshold=0.6`` configures
  the first element only; an option without an index (``metrics__name=...``)
  goes to every class in the list;
* ``callbacks={"es": EarlyStopping}, callbacks__es__patience=3`` addresses
  a dict entry by its key;
* a digit names a positional argument of a class:
  ``callbacks=LearningRateScheduler, callbacks__0=Schedule,
  callbacks__0__coef=0.2`` gives ``LearningRateScheduler(Schedule(coef=0.2))``;
* an option whose value is a class (or a list or dict) is built the same way
  from its own options (``optimizer__learning_rate=ExponentialDecay,
  optimizer__learning_rate__decay_steps=100``).

It imports nothing of skdeep but the argument checks of the builders
(``skdeep._checks``), so the builders may use it too.
"""

import inspect
import math
import warnings
import weakref

import keras

from skdeep import _checks

#: Optimizer of ``optimizer="auto"``: chosen for the built-in builders from
#: measurements (docs/models.md); RMSprop, Keras' and scikeras' default,
#: for models from user builders.
AUTO_OPTIMIZER = {"built-in": "adam", "user": "rmsprop"}
#: Optimizers made for ``optimizer="auto"`` in a user builder's ``compile_kwargs``,
#: each with how to make the built-in builders' default instead.
_USER_AUTO = weakref.WeakKeyDictionary()
#: ``keras.Model.compile`` keywords accepted as plain estimator parameters.
COMPILE_KEYWORDS = (
    "loss_weights",
    "weighted_metrics",
    "run_eagerly",
    "steps_per_execution",
    "jit_compile",
    "auto_scale_loss",
)
#: Compile options that also apply to a model the builder compiled.
_EXECUTION_OPTIONS = ("run_eagerly", "jit_compile", "steps_per_execution")


# Objects named by parameters, with their routed options.


def build_object(item, options, where):
    """``item`` with its classes instantiated from ``options``.

    Parameters
    ----------
    item : class, object, list, tuple or dict
        The parameter's value.
    options : dict
        Its routed options with the prefix removed, e.g.
        ``{"0__threshold": 0.6}`` for ``metrics__0__threshold=0.6``.
    where : str
        The parameter's name, for error messages.

    Returns
    -------
    object
        ``item`` with every class replaced by an instance; instances and
        other values are returned as they are (never copied).

    Examples
    --------
    >>> import keras
    >>> stop = build_object(keras.callbacks.EarlyStopping, {"patience": 3}, "callbacks")
    >>> stop.patience
    3
    >>> [type(m).__name__ for m in build_object(
    ...     [keras.metrics.AUC, "accuracy"], {"0__num_thresholds": 50}, "metrics")]
    ['AUC', 'str']
    """
    if isinstance(item, (list, tuple)):
        keys = [str(index) for index in range(len(item))]
        built = _build_entries(dict(zip(keys, item, strict=True)), options, where)
        return type(item)(built.values())
    if isinstance(item, dict):
        return _build_entries({str(k): v for k, v in item.items()}, options, where, item)
    if inspect.isclass(item):
        return _instantiate(item, options, where)
    if options:
        raise ValueError(
            f"{where}__ options {sorted(options)} cannot be applied to {item!r}, which is "
            f"not a class. Pass its class instead (e.g. {where}="
            f"{type(item).__name__}) so that each fit creates it with these options."
        )
    return item


def _build_entries(entries, options, where, original=None):
    common = {k: v for k, v in options.items() if _head(k) not in entries}
    stray = sorted({_head(k) for k in common if _head(k).isdigit()})
    if stray:
        raise ValueError(
            f"{where}__{stray[0]}__... addresses entry {stray[0]}, but {where} has the "
            f"entries {sorted(entries)}. Check the index or key after '{where}__'."
        )
    built = {}
    for key, value in entries.items():
        own = routed(options, key)
        if key in options:  # where__0=value replaces the entry
            value = options[key]
        if inspect.isclass(value):
            built[key] = _instantiate(value, {**_without_digits(common), **own}, where)
        else:
            built[key] = build_object(value, own, f"{where}__{key}")
    if original is not None:  # give dict entries their original keys back
        return {k: built[str(k)] for k in original}
    return built


def _instantiate(cls, options, where):
    positional, keywords = {}, {}
    for key, value in options.items():
        if "__" in key:
            continue
        nested = routed(options, key)
        if inspect.isclass(value) or isinstance(value, (list, tuple, dict)) or nested:
            value = build_object(value, nested, f"{where}__{key}")
        if key.isdigit():
            positional[int(key)] = value
        else:
            keywords[key] = value
    orphans = {_head(k) for k in options if "__" in k} - set(options)
    if orphans:
        raise ValueError(
            f"{where}__ options {sorted(k for k in options if _head(k) in orphans)} "
            f"configure {sorted(orphans)}, which {cls.__name__} was not given. Set "
            f"{where}__{sorted(orphans)[0]}=<class> as well."
        )
    arguments = [positional[index] for index in sorted(positional)]
    try:
        return cls(*arguments, **keywords)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Could not create {cls.__name__} from the {where}__ parameters "
            f"{_describe(positional, keywords)}: {error}"
        ) from error


def routed(options, key):
    """The options under ``key__``, with that prefix removed.

    Examples
    --------
    >>> routed({"fit__shuffle": False, "epochs": 3, "fit_x": 1}, "fit")
    {'shuffle': False}
    """
    start = key + "__"
    return {k[len(start) :]: v for k, v in options.items() if k.startswith(start)}


def _head(key):
    return key.split("__", 1)[0]


def _without_digits(options):
    return {k: v for k, v in options.items() if not _head(k).isdigit()}


def _describe(positional, keywords):
    parts = [repr(positional[i]) for i in sorted(positional)]
    parts += [f"{k}={v!r}" for k, v in keywords.items()]
    return "(" + ", ".join(parts) + ")"


def accepted_arguments(function):
    """The keyword names ``function`` accepts, and whether it takes ``**kwargs``.

    Examples
    --------
    >>> names, open_ended = accepted_arguments(lambda meta, hidden=8, **rest: None)
    >>> sorted(names), open_ended
    (['hidden', 'meta'], True)
    """
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # builtins and some C callables
        return frozenset(), True
    names = frozenset(
        p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    )
    return names, any(p.kind == p.VAR_KEYWORD for p in parameters)


# Compiling a model for a fit.


def compile_for_fit(model, params, source, arguments, choose_loss, steps_per_epoch):
    """The compile step of a fit: compile an uncompiled model, or check a compiled one.

    Parameters
    ----------
    model : keras.Model
        What the builder returned.
    params : dict
        The estimator's ``get_params(deep=False)``.
    source : object
        The model source (``network_only`` for a built-in builder; ``name``
        for messages).
    arguments : dict
        What the builder was called with (a builder that takes ``optimizer``
        or ``compile_kwargs`` sees the estimator's optimizer settings).
    choose_loss : callable
        ``choose_loss(model) -> (loss, from_logits)``: the loss that fits the
        target and the output layer, from the estimator's target steps.
    steps_per_epoch : int
        Gradient steps per epoch (the per-epoch decays count epochs).
    """
    check_conflicts(params)
    if not getattr(model, "compiled", False):
        loss, logits = (None, False) if params.get("loss") is not None else choose_loss(model)
        model.compile(**compile_kwargs(params, loss, logits, steps_per_epoch, source.network_only))
        _check_every_output_has_a_loss(model)
        return
    _check_loss_agrees(params.get("loss"), model.loss)
    _check_every_output_has_a_loss(model)
    if source.strict:
        check_builder_compiled(model, source.name, params, arguments)
    for name, value in _execution_options(params).items():
        setattr(model, name, value)  # public Model attributes, read when training starts


def _check_every_output_has_a_loss(model):
    """A loss dict that leaves out an output would train the model without it: refuse."""
    names = list(getattr(model, "output_names", None) or [])
    if not isinstance(model.loss, dict) or len(names) < 2:
        return
    missing = [name for name in names if name not in model.loss]
    if missing:
        raise ValueError(
            f"loss={dict(model.loss)!r} gives no loss for the model's output(s) {missing}, which "
            f"would then not be trained. Give one loss per output (the outputs are {names})."
        )


def check_conflicts(params):
    """Refuse two settings of the optimizer that would override each other, naming both.

    Examples
    --------
    >>> check_conflicts({"compile__optimizer": "sgd", "learning_rate": 0.3})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: compile__optimizer='sgd' replaces the estimator's optimizer, so ...optimizer.
    """
    compiled = routed(params, "compile")
    if "optimizer" in compiled:
        ignored = [f"{name}={params[name]!r}" for name in _knobs_set(params)]
        ignored += [f"optimizer__{k}={v!r}" for k, v in routed(params, "optimizer").items()]
        optimizer = params.get("optimizer", "auto")
        if not (isinstance(optimizer, str) and optimizer == "auto"):
            ignored.insert(0, f"optimizer={optimizer!r}")
        if ignored:
            raise ValueError(
                f"compile__optimizer={compiled['optimizer']!r} replaces the estimator's "
                f"optimizer, so {', '.join(ignored)} would be ignored. Set the optimizer "
                "with optimizer= (and its options with optimizer__<name>= or the knobs), "
                "and remove compile__optimizer."
            )
    if "loss" in compiled and params.get("loss") is not None:
        raise ValueError(
            f"compile__loss={compiled['loss']!r} and loss={params['loss']!r} both set the "
            "loss. Keep loss= and remove compile__loss."
        )


def compile_kwargs(params, loss, from_logits, steps_per_epoch, built_in):
    """Keyword arguments for ``model.compile`` from the estimator's parameters.

    Parameters
    ----------
    params : dict
        ``get_params(deep=False)``.
    loss : object
        The loss to use when the ``loss`` parameter is None.
    from_logits : bool
        Whether that default loss takes logits.
    steps_per_epoch : int
        For the per-epoch learning-rate decays.
    built_in : bool
        Whether the network comes from a built-in builder (``optimizer="auto"``).
    """
    optimizer = params.get("optimizer", "auto")
    auto = isinstance(optimizer, str) and optimizer == "auto"
    if auto:
        optimizer = AUTO_OPTIMIZER["built-in" if built_in else "user"]

    def made(name):
        return make_optimizer(
            name, routed(params, "optimizer"), optimizer_knobs(params), steps_per_epoch
        )

    kwargs = {"optimizer": made(optimizer), "loss": estimator_loss(params, loss, from_logits)}
    if auto and not built_in:
        # A user's builder that hands these on to a built-in builder (wrapping
        # mlp to add a metric, say) gets the built-in default there.
        _USER_AUTO[kwargs["optimizer"]] = lambda: made(AUTO_OPTIMIZER["built-in"])
    metrics = make_metrics(params.get("metrics"), routed(params, "metrics"))
    if metrics is not None:
        kwargs["metrics"] = metrics
    kwargs.update({key: params[key] for key in COMPILE_KEYWORDS if key in params})
    kwargs.update(routed(params, "compile"))
    return kwargs


def estimator_loss(params, default, from_logits):
    """The loss: the ``loss`` parameter, or ``default`` (with ``from_logits``)."""
    options = routed(params, "loss")
    if params.get("loss") is not None:
        return make_loss(params["loss"], options)
    if from_logits:
        options = {"from_logits": True, **options}
    return make_loss(default, options)


def user_steps_per_execution(params, model=None):
    """The ``steps_per_execution`` the user chose, or None.

    Either as ``compile__steps_per_execution`` (or a plain parameter of that
    name), or, given ``model``, by compiling it with a value other than 1.

    Examples
    --------
    >>> user_steps_per_execution({"compile__steps_per_execution": 1}), user_steps_per_execution({})
    (1, None)
    """
    compiled = routed(params, "compile")
    chosen = compiled.get("steps_per_execution", params.get("steps_per_execution"))
    if chosen is not None:
        return chosen
    if getattr(model, "compiled", False) and getattr(model, "steps_per_execution", 1) != 1:
        return model.steps_per_execution
    return None


class LazyCompile:
    """``compile_kwargs`` for a builder that asks for them, made when first needed."""

    def __init__(self, params, meta, steps, built_in):
        self.args = (params, steps, built_in)
        self.default = (meta.get("loss_"), False)
        self.made = None

    def value(self):
        """The keyword arguments (a new dict each time)."""
        if self.made is None:
            params, steps, built_in = self.args
            self.made = compile_kwargs(params, *self.default, steps, built_in)
        return dict(self.made)


def builder_optimizer(builder, params, arguments, steps_per_epoch):
    """The optimizer a builder that takes ``optimizer`` receives, with the estimator's options.

    A legacy builder (``create_model(optimizer="adam")``) compiles its own
    model with its ``optimizer`` argument. The estimator's routed options
    and knobs (``optimizer__decay``, ``learning_rate``, ``momentum``) must
    reach that optimizer too: when any is set, the builder gets a fresh
    optimizer made from its argument (the estimator's ``optimizer`` when the
    user set it, else the builder's own default) with them applied. A fresh
    one for every fit also keeps an optimizer instance given by the user
    from being reused across models.
    """
    names, _ = accepted_arguments(builder)
    if "optimizer" not in arguments and "optimizer" not in names:
        return
    options = routed(params, "optimizer")
    knobs = {k: v for k, v in optimizer_knobs(params).items() if k not in names}
    value = arguments.get("optimizer", _builder_default(builder, "optimizer"))
    plain_name = isinstance(value, str) and not options and not knobs
    if value is None or plain_name:
        return
    arguments["optimizer"] = make_optimizer(value, options, knobs, steps_per_epoch)


def check_builder_compiled(model, source_name, params, arguments):
    """Refuse optimizer settings a builder's own ``compile`` would silently ignore.

    A builder that compiles its model and takes neither ``optimizer`` nor
    ``compile_kwargs`` decides the optimizer itself; an ``optimizer``,
    ``optimizer__`` option or knob set on the estimator would never apply.
    """
    if "optimizer" in arguments or "compile_kwargs" in arguments:
        return
    ignored = [f"optimizer__{name}" for name in sorted(routed(params, "optimizer"))]
    ignored += sorted(name for name in _knobs_set(params) if name not in arguments)
    optimizer = params.get("optimizer", "auto")
    if not (isinstance(optimizer, str) and optimizer == "auto"):
        ignored.insert(0, "optimizer")
    if ignored:
        compiled = type(getattr(model, "optimizer", None)).__name__
        raise ValueError(
            f"The model builder {source_name}() compiles its own model (with {compiled}), so "
            f"{', '.join(f'{n}=' for n in ignored)} set on the estimator would be ignored. "
            "Remove them from the estimator, or let the builder take them: add an "
            "'optimizer' argument (it receives the optimizer with these settings) or "
            "'compile_kwargs' (compile with **compile_kwargs), or return an uncompiled model."
        )


def _check_loss_agrees(given, compiled):
    """A ``loss`` set on the estimator must be the one a builder compiled its model with.

    The estimator's loss only applies to models it compiles; a different
    one in a compiled model would be silently ignored.
    """
    if given is None:
        return
    if isinstance(given, (list, tuple, dict)) or isinstance(compiled, (list, tuple, dict)):
        return
    if loss_name(given) and loss_name(given) != loss_name(compiled):
        raise ValueError(
            f"loss={given!r} was set on the estimator, but model compiled with "
            f"{compiled!r} by the builder; the estimator's loss only applies to models "
            "it compiles. Remove loss=, or have the builder return an uncompiled model "
            "(or compile it with compile_kwargs['loss'])."
        )


def _knobs_set(params):
    """The optimizer knobs set on the estimator (not None)."""
    return [name for name in OPTIMIZER_KNOBS if params.get(name) is not None]


def _builder_default(builder, name):
    try:
        parameter = inspect.signature(builder).parameters.get(name)
    except (TypeError, ValueError):
        return None
    return None if parameter is None or parameter.default is parameter.empty else parameter.default


def _execution_options(params):
    """``run_eagerly``, ``jit_compile`` and ``steps_per_execution`` the user set.

    They apply to a model the builder compiled too: Keras reads them from
    the model's attributes when training starts.
    """
    compiled = routed(params, "compile")
    options = {
        **{key: params[key] for key in _EXECUTION_OPTIONS if key in params},
        **{key: value for key, value in compiled.items() if key in _EXECUTION_OPTIONS},
    }
    return {key: value for key, value in options.items() if value is not None}


# ---------------------------------------------------------------------------
# Optimizers and learning-rate schedules
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
        instance = build_object(optimizer, options, "optimizer")
    elif isinstance(optimizer, keras.optimizers.Optimizer):
        overrides = {
            key: build_object(value, routed(options, key), f"optimizer__{key}")
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
        What to compile with (optimizer, loss, metrics, ...). None means the
        built-in builders' ``optimizer="auto"`` (Adam), as the estimators
        compile them, and the loss in ``meta``.
    **knobs
        ``learning_rate``, ``momentum``, ``nesterov``, ``decay``,
        ``decay_rate``, ``decay_epochs`` (None: not set).

    Returns
    -------
    keras.Model
        ``model``, compiled.
    """
    auto = AUTO_OPTIMIZER["built-in"]
    kwargs = dict(compile_kwargs or {"optimizer": auto, "loss": _meta_loss(meta)})
    given = kwargs.get("optimizer")
    chosen_for_user = None
    if isinstance(given, keras.optimizers.Optimizer):
        chosen_for_user = _USER_AUTO.pop(given, None)
    if chosen_for_user is not None:  # optimizer="auto" reaches a built-in builder: Adam
        kwargs["optimizer"] = chosen_for_user()
    kwargs["optimizer"] = make_optimizer(
        kwargs.get("optimizer", auto),
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


# ---------------------------------------------------------------------------
# Losses and metrics

#: Short names of losses, mapped to Keras' function names.
LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
    "bce": "binary_crossentropy",
    "cce": "categorical_crossentropy",
    "scce": "sparse_categorical_crossentropy",
}


def loss_name(loss):
    """Snake-case name of a loss given in any form Keras accepts, or ''.

    Examples
    --------
    >>> loss_name("bce"), loss_name(keras.losses.CategoricalCrossentropy())
    ('binary_crossentropy', 'categorical_crossentropy')
    >>> loss_name(["sparse_categorical_crossentropy"])  # one output's loss in a list
    'sparse_categorical_crossentropy'
    """
    if isinstance(loss, (list, tuple)) and len(loss) == 1:
        return loss_name(loss[0])
    if isinstance(loss, dict) and len(loss) == 1:
        return loss_name(next(iter(loss.values())))
    if isinstance(loss, str):
        return LOSS_ALIASES.get(loss.lower(), _snake_name(loss) if loss[:1].isupper() else loss)
    if isinstance(loss, keras.losses.Loss):
        wrapped = getattr(loss, "fn", None)
        if wrapped is not None and type(loss).__name__ == "LossFunctionWrapper":
            return getattr(wrapped, "__name__", "")
        return _snake_name(type(loss).__name__)
    if inspect.isclass(loss):
        return _snake_name(loss.__name__)
    return getattr(loss, "__name__", "").lower()


def from_logits(loss):
    """Whether a loss object was configured to take logits (``from_logits=True``).

    Examples
    --------
    >>> from_logits(keras.losses.BinaryCrossentropy(from_logits=True)), from_logits("mse")
    (True, False)
    """
    config = getattr(loss, "get_config", None)
    return bool(config().get("from_logits", False)) if callable(config) else False


def make_loss(loss, options):
    """A Keras loss from a name, class, instance, function, or a list / dict of them.

    Without options a name is passed to Keras as it is (short names
    expanded); with options (``loss__from_logits=True``) it becomes an
    instance of the matching class.

    Examples
    --------
    >>> make_loss("bce", {})
    'binary_crossentropy'
    >>> make_loss("binary_crossentropy", {"from_logits": True}).get_config()["from_logits"]
    True
    """
    if isinstance(loss, (list, tuple, dict)):
        entries = loss.items() if isinstance(loss, dict) else enumerate(loss)
        resolved = {k: _loss_class(v) if _targeted(options, k) else v for k, v in entries}
        resolved = resolved if isinstance(loss, dict) else type(loss)(resolved.values())
        return build_object(_expand_names(resolved), options, "loss")
    if isinstance(loss, str):
        if options:
            return build_object(_loss_class(loss), options, "loss")
        _loss_class(loss)  # unknown names fail here, with the list of known ones
        return LOSS_ALIASES.get(loss.lower(), loss)
    return build_object(loss, options, "loss")


def _targeted(options, key):
    return any(k.split("__", 1)[0] == str(key) for k in options) or any(
        "__" not in k and not k.isdigit() for k in options
    )


def _expand_names(losses):
    if isinstance(losses, dict):
        return {k: LOSS_ALIASES.get(v, v) if isinstance(v, str) else v for k, v in losses.items()}
    return type(losses)(LOSS_ALIASES.get(v, v) if isinstance(v, str) else v for v in losses)


def _loss_class(name):
    if not isinstance(name, str):
        return name
    known = {
        key.lower(): value
        for key, value in vars(keras.losses).items()
        if inspect.isclass(value)
        and issubclass(value, keras.losses.Loss)
        and value.__name__ != "Loss"
    }
    full = LOSS_ALIASES.get(name.lower(), name)
    key = full.replace("_", "").lower()
    if key not in known:
        raise ValueError(
            f"Unknown loss: loss={name!r}. Expected a Keras loss name such as "
            f"{', '.join(sorted(_snake_name(c.__name__) for c in known.values()))}, "
            "a keras.losses.Loss class or instance, or a function loss(y_true, y_pred)."
        )
    return known[key]


def make_metrics(metrics, options):
    """Metrics for ``compile``: one metric becomes a list; classes are configured.

    Examples
    --------
    >>> make_metrics("acc", {})
    ['acc']
    >>> make_metrics(keras.metrics.AUC, {"num_thresholds": 20})[0].num_thresholds
    20
    """
    if metrics is None:
        if options:
            raise ValueError(
                f"metrics__ options {sorted(options)} were given but metrics=None. "
                "Set metrics=[...] to the metric classes they configure."
            )
        return None
    if isinstance(metrics, dict):
        return build_object(metrics, options, "metrics")
    if not isinstance(metrics, (list, tuple)):
        metrics = [metrics]
    return list(build_object(list(metrics), options, "metrics"))


def default_loss(target_type, units, activation, one_hot=False):
    """The loss that fits a target and an output layer, and whether it takes logits.

    This is the one place that chooses a default loss.

    Parameters
    ----------
    target_type : str
        ``"binary"``, ``"multiclass"``, ``"multilabel-indicator"`` or a
        continuous type (regression).
    units : int
        Units of the output layer.
    activation : str or None
        Its activation; ``"linear"`` (or None) means logits for a classifier.
    one_hot : bool, default=False
        Whether an indicator ``y`` holds one-hot classes.

    Returns
    -------
    name : str
    from_logits : bool

    Examples
    --------
    >>> default_loss("binary", 1, "sigmoid")
    ('binary_crossentropy', False)
    >>> default_loss("multiclass", 3, "linear")
    ('sparse_categorical_crossentropy', True)
    """
    if not target_type.startswith(("binary", "multiclass", "multilabel")):
        return "mean_squared_error", False
    logits = activation in (None, "linear")
    if target_type == "multilabel-indicator":
        categorical = one_hot and activation in ("softmax", None, "linear")
        return ("categorical_crossentropy" if categorical else "binary_crossentropy"), logits
    if units == 1:
        return "binary_crossentropy", logits
    return "sparse_categorical_crossentropy", logits


def output_activation(model):
    """Name of the activation of the model's last layer, or None if unknown."""
    if not getattr(model, "layers", None):
        return None
    last = model.layers[-1]
    if isinstance(last, keras.layers.Softmax):
        return "softmax"
    activation = getattr(last, "activation", None)
    return getattr(activation, "__name__", None) if activation is not None else None


def _snake_name(name):
    special = {"KLDivergence": "kl_divergence", "CTC": "ctc"}
    if name in special:
        return special[name]
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
