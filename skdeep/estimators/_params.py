"""Routing estimator parameters to the builder, ``compile``, ``fit`` and friends.

An estimator holds three kinds of parameters:

* its own, declared in ``__init__`` (``epochs``, ``optimizer``, ...);
* arguments of the model builder, given plainly (``hidden=12``) when the
  builder declares them, or with the ``model__`` prefix;
* routed parameters with a prefix naming their destination, as in scikeras:
  ``compile__``, ``fit__``, ``predict__``, ``optimizer__``, ``loss__``
  and ``callbacks__``.
"""

import inspect

ROUTING_PREFIXES = (
    "model",
    "compile",
    "fit",
    "predict",
    "optimizer",
    "loss",
    "callbacks",
)
# Arguments the estimator itself fills in when the builder asks for them.
INJECTED_ARGUMENTS = ("meta", "compile_kwargs")


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


def builder_arguments(builder, params, declared, injected):
    """Select the keyword arguments to call the model builder with.

    Parameters
    ----------
    builder : callable
        The model builder.
    params : dict
        All estimator parameters (``get_params(deep=False)``).
    declared : collection of str
        Names of the estimator's own ``__init__`` parameters.
    injected : dict
        Values the estimator supplies itself (``meta``, ``compile_kwargs``),
        passed only when the builder asks for them by name or takes
        ``**kwargs``.

    Returns
    -------
    dict
        Keyword arguments for ``builder``.

    Raises
    ------
    ValueError
        If a parameter is addressed to no one: neither declared by the
        estimator, nor accepted by the builder, nor routed with a prefix.
    """
    names, var_keyword = builder_signature(builder)
    arguments = {}
    for key, value in params.items():
        if key in declared:
            if key in names:
                arguments[key] = value
        elif "__" not in key:
            if key in names or var_keyword:
                arguments[key] = value
            else:
                raise ValueError(_unknown_parameter_message(builder, key, names))
        elif not has_routing_prefix(key):
            raise ValueError(
                f"Parameter {key!r} has an unknown prefix. Expected one of "
                + ", ".join(p + "__" for p in ROUTING_PREFIXES)
                + f" (for example 'model__{key.split('__')[-1]}')."
            )
    arguments.update(routed(params, "model"))
    for name in INJECTED_ARGUMENTS:
        if name in names or var_keyword:
            arguments[name] = injected[name]
    return arguments


def accepts_builder_argument(builder, key):
    """Whether ``set_params(key=...)`` may target an argument of ``builder``."""
    if builder is None or not callable(builder):
        return False
    names, var_keyword = builder_signature(builder)
    return key in names or var_keyword


def _unknown_parameter_message(builder, key, names):
    name = getattr(builder, "__name__", repr(builder))
    accepted = ", ".join(sorted(names - set(INJECTED_ARGUMENTS))) or "none"
    return (
        f"Parameter {key!r} was given to the estimator, but the model builder "
        f"{name}() does not accept it (its arguments: {accepted}). Add {key!r} "
        "to the builder's signature, or route it with a prefix such as "
        f"'fit__{key}' or 'compile__{key}'."
    )
