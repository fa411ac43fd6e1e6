"""Keras objects built from a parameter plus its routed options (scikeras' syntax).

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
"""

import inspect


def build(item, options, where):
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
    >>> stop = build(keras.callbacks.EarlyStopping, {"patience": 3}, "callbacks")
    >>> stop.patience
    3
    >>> [type(m).__name__ for m in build(
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
            built[key] = build(value, own, f"{where}__{key}")
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
            value = build(value, nested, f"{where}__{key}")
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
    """The options under ``key__``, with that prefix removed."""
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
