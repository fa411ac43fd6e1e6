"""Parameters of an estimator: their names, and routing them to where they go.

An estimator holds three kinds of parameters:

* its own, declared in ``__init__`` (``epochs``, ``optimizer``, ...), also
  those of a subclass that declares more;
* arguments of the model builder, given plainly (``hidden=12``) when the
  builder declares them, or with the ``model__`` prefix;
* routed parameters with a prefix naming their destination, as in scikeras:
  ``compile__``, ``fit__``, ``predict__``, ``optimizer__``, ``loss__``,
  ``metrics__``, ``callbacks__`` and ``score__``.

Plain keywords that Keras' ``compile`` or ``fit`` accept (``run_eagerly``,
``validation_batch_size``, ...) go there unless the builder asks for them.
"""

import inspect

from skdeep.estimators._validation import batch_size as check_batch_size
from skdeep.models._builder import is_knob

ROUTING_PREFIXES = (
    "model",
    "compile",
    "fit",
    "predict",
    "optimizer",
    "loss",
    "metrics",
    "callbacks",
    "score",
)
#: Arguments the estimator fills in itself when the builder asks for them:
#: what fit learned, the compile arguments, the parameters, and (as Keras'
#: own wrappers give them) the training data.
INJECTED_ARGUMENTS = ("meta", "compile_kwargs", "params", "X", "y")
#: ``keras.Model.compile`` keywords accepted as plain estimator parameters.
COMPILE_KEYWORDS = (
    "loss_weights",
    "weighted_metrics",
    "run_eagerly",
    "steps_per_execution",
    "jit_compile",
    "auto_scale_loss",
)
#: ``keras.Model.fit`` keywords accepted as plain estimator parameters.
FIT_KEYWORDS = (
    "validation_batch_size",
    "validation_freq",
    "validation_steps",
    "steps_per_epoch",
)


#: scikeras' names for what ``fit``, ``predict`` and ``compile`` accept (its
#: ``_fit_kwargs`` and the like), kept for code that reads them.
SCIKERAS_FIT_KWARGS = frozenset(
    {"batch_size", "epochs", "verbose", "validation_split", "shuffle", "class_weight"}
    | {"sample_weight", "initial_epoch", "validation_steps", "validation_batch_size"}
    | {"validation_freq"}
)
SCIKERAS_PREDICT_KWARGS = frozenset({"batch_size", "verbose", "steps"})
SCIKERAS_COMPILE_KWARGS = frozenset(
    {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", "run_eagerly"}
)


def routed(params, prefix):
    """The parameters starting with ``prefix__``, with the prefix removed.

    Examples
    --------
    >>> routed({"fit__shuffle": False, "epochs": 3, "fit_x": 1}, "fit")
    {'shuffle': False}
    """
    start = prefix + "__"
    return {key[len(start) :]: value for key, value in params.items() if key.startswith(start)}


def has_routing_prefix(key):
    """Whether ``key`` is addressed to a known destination, e.g. ``fit__x``."""
    head, separator, tail = key.partition("__")
    return bool(separator and tail) and head in ROUTING_PREFIXES


def is_keras_keyword(key):
    """Whether a plain key is a ``compile`` or ``fit`` keyword skdeep passes on."""
    return key in COMPILE_KEYWORDS or key in FIT_KEYWORDS


def declared_names(cls):
    """Names of the ``__init__`` parameters of ``cls`` and every class it extends."""
    return list(declared_defaults(cls))


def declared_defaults(cls):
    """The ``__init__`` parameters of ``cls`` and its bases, with their defaults.

    A subclass's default wins over its base's (``SKLearnClassifier`` may
    default ``loss`` differently from ``KerasClassifier``).
    """
    defaults = {}
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None or klass is object:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.name != "self" and parameter.kind not in (
                parameter.VAR_POSITIONAL,
                parameter.VAR_KEYWORD,
            ):
                defaults.setdefault(parameter.name, parameter.default)
    return defaults


def parameter_names(estimator):
    """Names ``get_params`` reports: the declared ones, plus extra keyword arguments.

    A class whose ``__init__`` takes ``**kwargs`` (the estimators, and
    subclasses written the scikeras way) stores extra arguments as
    attributes; those count as parameters too. A subclass whose ``__init__``
    takes a fixed list has exactly those parameters, as in scikit-learn.
    """
    own = inspect.signature(type(estimator).__init__).parameters.values()
    fixed = [p.name for p in own if p.name != "self" and p.kind not in (p.VAR_POSITIONAL,)]
    if not any(p.kind == p.VAR_KEYWORD for p in own):
        return [name for name in fixed if name in vars(estimator)]
    names = [name for name in declared_names(type(estimator)) if name in vars(estimator)]
    extra = [
        key
        for key in vars(estimator)
        if key not in names and not key.startswith("_") and not key.endswith("_")
    ]
    return names + extra


def builder_signature(builder):
    """Names of the builder's arguments and whether it takes ``**kwargs``."""
    try:
        parameters = inspect.signature(builder).parameters.values()
    except (TypeError, ValueError):  # builtins and some C callables
        return frozenset(), True
    names = frozenset(
        p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
    )
    var_keyword = any(p.kind == p.VAR_KEYWORD for p in parameters)
    return names, var_keyword


def builder_arguments(builder, params, declared, injected, strict=True):
    """Select the keyword arguments to call the model builder with.

    Parameters
    ----------
    builder : callable
        The model builder.
    params : dict
        All estimator parameters (``get_params(deep=False)``).
    declared : dict
        The estimator's own ``__init__`` parameters and their defaults. One
        of them reaches a builder argument of the same name only when the
        user set it (its value is not the default): a builder's own default
        (``create_model(optimizer="adam")``) is never replaced by the
        estimator's (``optimizer="auto"``).
    injected : dict
        Values the estimator supplies itself (``meta``, ``compile_kwargs``,
        ``params``), passed only when the builder asks for them by name or
        takes ``**kwargs``.
    strict : bool, default=True
        Refuse plain parameters that nothing accepts. False for a
        ``_keras_build_fn`` method, which reads its parameters from the
        estimator itself.

    Returns
    -------
    dict
        Keyword arguments for ``builder``.

    Raises
    ------
    ValueError
        If a parameter is addressed to no one: neither declared by the
        estimator, nor accepted by the builder, nor a Keras keyword, nor
        routed with a known prefix.
    """
    names, var_keyword = builder_signature(builder)
    arguments = {}
    for key, value in params.items():
        if key in declared:
            if key in names and not _is_default(value, declared[key]):
                arguments[key] = value
        elif "__" not in key:
            consumed = is_keras_keyword(key) or is_knob(key)
            if key in names or (var_keyword and not consumed):
                arguments[key] = value
            elif strict and not consumed:
                raise ValueError(_unknown_parameter_message(builder, key, names))
        elif not has_routing_prefix(key):
            raise ValueError(
                f"Parameter {key!r} has an unknown prefix. Expected one of "
                + ", ".join(p + "__" for p in ROUTING_PREFIXES)
                + f" (for example 'model__{key.split('__')[-1]}')."
            )
    arguments.update(routed(params, "model"))
    for name in INJECTED_ARGUMENTS:
        # The data only to builders that name it (Keras' wrappers' builders).
        if name in names or (var_keyword and name not in ("X", "y")):
            arguments[name] = injected[name]
    return arguments


def _is_default(value, default):
    """Whether ``value`` is the declared default (the user did not set it)."""
    if value is default:
        return True
    if isinstance(default, (str, int, float, bool, type(None))) and type(value) is type(default):
        return value == default
    return False


def accepts_builder_argument(builder, key):
    """Whether ``set_params(key=...)`` may target an argument of ``builder``."""
    if builder is None or not callable(builder):
        return False
    names, var_keyword = builder_signature(builder)
    return key in names or var_keyword


def plain_keras_options(params, keywords):
    """The plain parameters among ``keywords`` (``run_eagerly=True`` and the like)."""
    return {key: params[key] for key in keywords if key in params}


def _unknown_parameter_message(builder, key, names):
    name = getattr(builder, "__name__", repr(builder))
    accepted = ", ".join(sorted(names - set(INJECTED_ARGUMENTS))) or "none"
    return (
        f"Parameter {key!r} was given to the estimator, but the model builder "
        f"{name}() does not accept it (its arguments: {accepted}). Add {key!r} "
        "to the builder's signature, or route it with a prefix such as "
        f"'fit__{key}' or 'compile__{key}'."
    )


#: Keys of ``fit(**kwargs)`` that skdeep decides itself.
_NOT_FIT_OPTIONS = {
    "x": "Pass the training data as the first argument: fit(X, y).",
    "y": "Pass the targets as the second argument: fit(X, y).",
    "initial_epoch": "skdeep counts epochs itself (n_iter_); use warm_start=True or "
    "partial_fit to continue training.",
}


def fit_options(estimator, call_options):
    """The ``model.fit`` options of one call, from every place they can be set.

    From lowest to highest priority: the estimator's parameters
    (``batch_size``, ``shuffle``, ``verbose``, ``validation_split``), plain
    Keras keywords (``validation_batch_size=...``), ``fit__`` parameters,
    and the keyword arguments of this ``fit`` call.
    """
    for key, advice in _NOT_FIT_OPTIONS.items():
        if key in call_options or f"fit__{key}" in vars(estimator):
            raise TypeError(f"fit() got the keyword argument {key!r}. {advice}")
    params = vars(estimator)
    options = {
        "batch_size": estimator.batch_size,
        "shuffle": estimator.shuffle,
        "verbose": estimator.verbose,
        "validation_split": estimator.validation_split,
        **plain_keras_options(params, FIT_KEYWORDS),
        **{k: v for k, v in routed(params, "fit").items() if not k.startswith("callbacks__")},
        **call_options,
    }
    options.pop("epochs", None)
    for name, value in (
        ("fit__batch_size", params.get("fit__batch_size")),
        ("fit(batch_size=...)", call_options.get("batch_size")),
        ("fit__validation_batch_size", params.get("fit__validation_batch_size")),
    ):
        check_batch_size(value, name)
    return options


def get_params(estimator, deep=True):
    """``estimator.get_params()``: the names of :func:`parameter_names` (nested with ``deep``)."""
    params = {}
    for key in parameter_names(estimator):
        value = getattr(estimator, key)
        if deep and hasattr(value, "get_params") and not isinstance(value, type):
            params.update((f"{key}__{k}", v) for k, v in value.get_params().items())
        params[key] = value
    return params


def set_params(estimator, params, peek_builder):
    """``estimator.set_params(**params)``, all or nothing, checked against the final values."""
    saved = dict(vars(estimator))
    known = set(parameter_names(estimator)) | set(declared_names(type(estimator)))
    vars(estimator).update(params)
    builder = peek_builder(estimator)
    for key in params:
        if not (
            key in known
            or has_routing_prefix(key)
            or is_keras_keyword(key)
            or is_knob(key)
            or accepts_builder_argument(builder, key)
        ):
            vars(estimator).clear()
            vars(estimator).update(saved)
            raise ValueError(
                f"Invalid parameter {key!r} for estimator {type(estimator).__name__}. "
                "Valid parameters are the estimator's own "
                f"({', '.join(sorted(declared_names(type(estimator))))}), arguments "
                "of the model builder, and keys with a routing prefix such as "
                "'model__', 'fit__' or 'optimizer__'."
            )
