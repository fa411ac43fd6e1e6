"""The estimator's side of compiling: which options apply, resolved once per fit."""

from skdeep.estimators._params import COMPILE_KEYWORDS, plain_keras_options, routed
from skdeep.models import _compile, _losses

#: Optimizer of ``optimizer="auto"``: chosen for the built-in builders from
#: measurements (docs/models.md); RMSprop, Keras' and scikeras' default,
#: for models from user builders.
AUTO_OPTIMIZER = {"built-in": "adam", "user": "rmsprop"}


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
    if isinstance(optimizer, str) and optimizer == "auto":
        optimizer = AUTO_OPTIMIZER["built-in" if built_in else "user"]
    kwargs = {
        "optimizer": _compile.make_optimizer(
            optimizer,
            routed(params, "optimizer"),
            _compile.optimizer_knobs(params),
            steps_per_epoch,
        ),
        "loss": make_loss(params, loss, from_logits),
    }
    metrics = _losses.make_metrics(params.get("metrics"), routed(params, "metrics"))
    if metrics is not None:
        kwargs["metrics"] = metrics
    kwargs.update(plain_keras_options(params, COMPILE_KEYWORDS))
    kwargs.update(routed(params, "compile"))
    return kwargs


def make_loss(params, default, from_logits):
    """The loss: the ``loss`` parameter, or ``default`` (with ``from_logits``)."""
    options = routed(params, "loss")
    if params.get("loss") is not None:
        return _losses.make_loss(params["loss"], options)
    if from_logits:
        options = {"from_logits": True, **options}
    return _losses.make_loss(default, options)


def user_steps_per_execution(params, model):
    """The ``steps_per_execution`` the user chose, or None."""
    chosen = routed(params, "compile").get("steps_per_execution", params.get("steps_per_execution"))
    if chosen is not None:
        return chosen
    if getattr(model, "compiled", False) and getattr(model, "steps_per_execution", 1) != 1:
        return model.steps_per_execution
    return None


class LazyCompile:
    """``compile_kwargs`` for one fit, made when first needed and reused."""

    def __init__(self, params, meta, steps, built_in):
        self.args = (params, steps, built_in)
        self.default = (meta.get("loss_"), False)
        self.made = None

    def value(self, loss=None, from_logits=False):
        """The keyword arguments; ``loss`` replaces the default loss when ``loss`` is None."""
        params, steps, built_in = self.args
        if self.made is None:
            default, logits = self.default if loss is None else (loss, from_logits)
            self.made = compile_kwargs(params, default, logits, steps, built_in)
        elif loss is not None and params.get("loss") is None:
            self.made["loss"] = make_loss(params, loss, from_logits)
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
    if "optimizer" not in arguments and "optimizer" not in _signature_names(builder):
        return
    options, knobs = routed(params, "optimizer"), _unclaimed_knobs(builder, params)
    value = arguments.get("optimizer", _builder_default(builder, "optimizer"))
    plain_name = isinstance(value, str) and not options and not knobs
    if value is None or plain_name:
        return
    arguments["optimizer"] = _compile.make_optimizer(value, options, knobs, steps_per_epoch)


def check_builder_compiled(model, source_name, params, arguments, default_optimizer):
    """Refuse optimizer settings a builder's own ``compile`` would silently ignore.

    A builder that compiles its model and takes neither ``optimizer`` nor
    ``compile_kwargs`` decides the optimizer itself; an ``optimizer``,
    ``optimizer__`` option or knob set on the estimator would never apply.
    """
    if "optimizer" in arguments or "compile_kwargs" in arguments:
        return
    ignored = sorted(routed(params, "optimizer"))
    ignored = [f"optimizer__{name}" for name in ignored]
    ignored += sorted(optimizer_knobs_set(params, arguments))
    optimizer = params.get("optimizer", default_optimizer)
    if not (isinstance(optimizer, str) and optimizer == default_optimizer):
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


def optimizer_knobs_set(params, arguments):
    """The optimizer knobs set on the estimator that the builder does not take itself."""
    return [name for name in _compile.optimizer_knobs(params) if name not in arguments]


def _unclaimed_knobs(builder, params):
    names = _signature_names(builder)
    return {k: v for k, v in _compile.optimizer_knobs(params).items() if k not in names}


def _signature_names(builder):
    from skdeep.estimators._params import builder_signature

    return builder_signature(builder)[0]


def _builder_default(builder, name):
    import inspect

    try:
        parameter = inspect.signature(builder).parameters.get(name)
    except (TypeError, ValueError):
        return None
    return None if parameter is None or parameter.default is parameter.empty else parameter.default


def execution_options(params):
    """``run_eagerly``, ``jit_compile`` and ``steps_per_execution`` the user set.

    They apply to a model the builder compiled too: Keras reads them from
    the model's attributes when training starts.
    """
    options = {
        **plain_keras_options(params, ("run_eagerly", "jit_compile", "steps_per_execution")),
        **{
            k: v
            for k, v in routed(params, "compile").items()
            if k in ("run_eagerly", "jit_compile", "steps_per_execution")
        },
    }
    return {k: v for k, v in options.items() if v is not None}
