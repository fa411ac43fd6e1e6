"""Losses and metrics for ``compile``: names, aliases, routed options, the default loss.

:func:`default_loss` is the one place that chooses a loss from the target
and the output layer; the estimators and the built-in builders use it.
"""

import inspect

import keras

from skdeep import _objects

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
        return _objects.build(_expand_names(resolved), options, "loss")
    if isinstance(loss, str):
        if options:
            return _objects.build(_loss_class(loss), options, "loss")
        _loss_class(loss)  # unknown names fail here, with the list of known ones
        return LOSS_ALIASES.get(loss.lower(), loss)
    return _objects.build(loss, options, "loss")


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
        return _objects.build(metrics, options, "metrics")
    if not isinstance(metrics, (list, tuple)):
        metrics = [metrics]
    return list(_objects.build(list(metrics), options, "metrics"))


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
