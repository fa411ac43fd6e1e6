"""Optimizer, loss and output-layer handling: everything around ``compile``."""

import inspect

import keras

# Short names Keras accepts for losses, mapped to their class-style names.
_LOSS_ALIASES = {
    "mse": "mean_squared_error",
    "mae": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "kld": "kl_divergence",
    "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
}


def _classes_in(module, base):
    return {
        name.lower(): value
        for name, value in vars(module).items()
        if inspect.isclass(value) and issubclass(value, base) and value is not base
    }


def make_optimizer(optimizer, options):
    """A fresh optimizer from a name, class or instance plus routed options.

    A fresh instance is made every time, because a Keras optimizer is bound
    to the variables of the first model it trains.

    Parameters
    ----------
    optimizer : str, type or keras.optimizers.Optimizer
        ``"adam"``, ``keras.optimizers.Adam`` or ``keras.optimizers.Adam(...)``.
    options : dict
        ``optimizer__*`` parameters, e.g. ``{"learning_rate": 0.01}``.

    Examples
    --------
    >>> make_optimizer("sgd", {"learning_rate": 0.1, "momentum": 0.9}).momentum
    0.9
    """
    known = _classes_in(keras.optimizers, keras.optimizers.Optimizer)
    if isinstance(optimizer, str):
        key = optimizer.replace("_", "").lower()
        if key not in known:
            raise ValueError(
                f"Unknown optimizer: optimizer={optimizer!r}. Expected a Keras "
                f"optimizer name ({', '.join(sorted(known))}), a "
                "keras.optimizers.Optimizer class or an instance of one."
            )
        optimizer = known[key]
    if inspect.isclass(optimizer) and issubclass(optimizer, keras.optimizers.Optimizer):
        return _construct(optimizer, options, "optimizer")
    if isinstance(optimizer, keras.optimizers.Optimizer):
        config = {**optimizer.get_config(), **options}
        return type(optimizer).from_config(config)
    raise TypeError(
        f"optimizer must be a Keras optimizer name, class or instance. "
        f"Received: optimizer={optimizer!r} of type {type(optimizer).__name__}."
    )


def make_loss(loss, options):
    """A Keras loss from a name, class, instance or function plus options.

    Without ``loss__*`` options a name is passed to Keras as it is; with
    options it becomes an instance of the matching loss class, so that
    ``loss__from_logits=True`` or ``loss__label_smoothing=0.1`` work.

    Examples
    --------
    >>> make_loss("binary_crossentropy", {"from_logits": True}).get_config()["from_logits"]
    True
    >>> make_loss("mse", {})
    'mean_squared_error'
    """
    known = _classes_in(keras.losses, keras.losses.Loss)
    if isinstance(loss, str):
        name = _LOSS_ALIASES.get(loss.lower(), loss.lower())
        key = name.replace("_", "")
        if key not in known:
            raise ValueError(
                f"Unknown loss: loss={loss!r}. Expected a Keras loss name such as "
                f"{', '.join(sorted(_snake(c) for c in known.values()))}, "
                "a keras.losses.Loss class or instance, or a function "
                "loss(y_true, y_pred)."
            )
        if not options:
            return name
        loss = known[key]
    if inspect.isclass(loss) and issubclass(loss, keras.losses.Loss):
        return _construct(loss, options, "loss")
    if options:
        raise ValueError(
            f"loss__ options {sorted(options)} can only be applied to a loss given "
            f"by name or class, not to {loss!r}. Configure the instance directly."
        )
    if isinstance(loss, keras.losses.Loss) or callable(loss):
        return loss
    raise TypeError(
        f"loss must be a Keras loss name, class, instance or function. "
        f"Received: loss={loss!r} of type {type(loss).__name__}."
    )


def loss_name(loss):
    """Snake-case name of a loss given in any form Keras accepts, or ''."""
    if isinstance(loss, str):
        return _LOSS_ALIASES.get(loss.lower(), loss.lower())
    if isinstance(loss, keras.losses.Loss):
        return _snake(type(loss))
    return getattr(loss, "__name__", "").lower()


def loss_from_logits(loss):
    """Whether a compiled loss expects logits rather than probabilities."""
    if isinstance(loss, keras.losses.Loss):
        return bool(loss.get_config().get("from_logits", False))
    return False


def output_activation(model):
    """Name of the activation of the model's last layer, or None if unknown."""
    if not getattr(model, "layers", None):
        return None
    last = model.layers[-1]
    if isinstance(last, keras.layers.Softmax):
        return "softmax"
    activation = getattr(last, "activation", None)
    return getattr(activation, "__name__", None) if activation is not None else None


def _construct(cls, options, kind):
    try:
        return cls(**options)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"Could not create {cls.__name__} from the {kind}__ parameters {options}: {error}"
        ) from error


def _snake(cls):
    name = cls.__name__
    special = {"KLDivergence": "kl_divergence", "CTC": "ctc"}
    if name in special:
        return special[name]
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
