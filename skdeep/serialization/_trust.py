"""Which names a skdeep file may refer to, and what the caller allows.

A skdeep file holds data only. Where it must refer to code (a model builder,
an estimator subclass, a loss function, a callback class, a custom layer),
it holds that code's importable name, which :func:`skdeep.load` imports
only when it is trusted: skdeep's own classes and builders, the Keras
optimizers, losses, metrics, activations and callbacks, and whatever the
caller lists in ``trusted``.
"""

import importlib
import inspect

import keras
from sklearn.pipeline import Pipeline

from skdeep.models.registry import BUILDERS


class UntrustedContentError(ValueError):
    """A file refers to code that the caller has not trusted."""


def name_of(obj):
    """The importable name of a function or class, ``module.qualname``.

    Examples
    --------
    >>> name_of(keras.optimizers.Adam)
    'keras.src.optimizers.adam.Adam'
    """
    return f"{obj.__module__}.{obj.__qualname__}"


def trusted_by_default(obj):
    """Whether ``obj`` (a function or class) may be loaded without the caller's say-so."""
    if any(obj is builder for builder in BUILDERS.values()):
        return True
    if inspect.isclass(obj):
        module = obj.__module__
        if module.startswith("skdeep.") or obj is Pipeline:
            return True
        bases = (
            keras.optimizers.Optimizer,
            keras.losses.Loss,
            keras.metrics.Metric,
            keras.callbacks.Callback,
            keras.optimizers.schedules.LearningRateSchedule,
        )
        return module.startswith("keras.") and issubclass(obj, bases)
    return getattr(obj, "__module__", "").startswith(
        ("keras.src.losses", "keras.src.metrics", "keras.src.activations")
    )


def resolve(name, trusted, path):
    """The object called ``name``, if trusted; an error naming the file otherwise.

    Parameters
    ----------
    name : str
        ``module.qualname`` as stored in the file.
    trusted : dict
        Names the caller trusts, mapped to an object or None (import it).
    path : str
        The file, for messages.
    """
    if name in trusted and trusted[name] is not None:
        return trusted[name]
    if name.startswith("__main__."):  # defined in a script: match the caller's object
        for key, obj in trusted.items():
            if obj is not None and key.split(".")[-1] == name.split(".")[-1]:
                return obj
    obj = _import(name, path)
    if name in trusted or trusted_by_default(obj):
        return obj
    raise UntrustedContentError(
        f"{path} refers to {name}, which is not trusted. Loading it would import and "
        f"later run that code. If you trust it, pass trusted=[{name!r}] (or the "
        "object itself); skdeep.get_untrusted(path) lists every such name."
    )


def _import(name, path):
    parts = name.split(".")
    for split in range(len(parts) - 1, 0, -1):
        module_name, attributes = ".".join(parts[:split]), parts[split:]
        try:
            obj = importlib.import_module(module_name)
        except ImportError:
            continue
        try:
            for attribute in attributes:
                obj = getattr(obj, attribute)
        except AttributeError:
            break
        return obj
    raise UntrustedContentError(
        f"{path} refers to {name}, which cannot be imported here. Pass the object itself "
        f"in trusted=[...] (for a function defined in a script or notebook: "
        f"trusted=[{parts[-1]}]), or install the package that defines it."
    )


def trusted_names(trusted):
    """``trusted`` (names or objects) as a dict name -> object or None."""
    names = {}
    for item in trusted or ():
        if isinstance(item, str):
            names[item] = None
        else:
            names[name_of(item)] = item
    return names
