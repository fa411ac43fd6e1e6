"""skdeep's settings, in scikit-learn's ``set_config`` style: per thread, read at each fit.

As scikit-learn's own configuration, the settings belong to the thread (and
the ``contextvars`` context) that sets them: ``config_context`` in one thread
never changes how a fit running in another thread feeds its data. A new
thread starts from the defaults and the environment variables ``SKDEEP_FAST_FEEDING`` and
``SKDEEP_REUSE_COMPILED``, which parallel worker processes inherit.
"""

import contextlib
import contextvars
import os
from types import MappingProxyType

_DEFAULTS = {"fast_feeding": True, "reuse_compiled": True}
#: The environment variable that sets each setting's default ("0" turns it off).
_ENVIRONMENT = {"fast_feeding": "SKDEEP_FAST_FEEDING", "reuse_compiled": "SKDEEP_REUSE_COMPILED"}
#: The settings this thread changed (set_config / config_context), on top of
#: the defaults and the environment.
_CHANGED = contextvars.ContextVar("skdeep_config", default=MappingProxyType({}))


def _from_environment():
    found = {}
    for name, variable in _ENVIRONMENT.items():
        value = os.environ.get(variable, "").strip().lower()
        found[name] = value not in ("0", "false", "no", "off")
    return found


def get_config():
    """Return the current settings of this thread, as a new dict.

    Returns
    -------
    dict
        ``{"fast_feeding": bool, "reuse_compiled": bool}``.

    Examples
    --------
    >>> import skdeep
    >>> skdeep.get_config()["fast_feeding"]
    True
    """
    return {**_DEFAULTS, **_from_environment(), **_CHANGED.get()}


def set_config(fast_feeding=None, reuse_compiled=None):
    """Change skdeep's settings for this thread.

    Parameters
    ----------
    fast_feeding : bool, optional
        Let skdeep run a whole epoch per compiled call and feed small
        models from one input pipeline (see ``skdeep/_fit/sources.py``).
        What is learned is the same either way; False gives Keras' own
        per-batch loop, for debugging or for comparison. The environment
        variable ``SKDEEP_FAST_FEEDING=0`` sets the default, also in the
        worker processes of a parallel search.
    reuse_compiled : bool, optional
        Let a fit train a compiled copy of the network that an earlier fit
        of the same architecture, compile settings and inputs traced, instead
        of tracing its training step again (see ``skdeep/_fit/training.py``):
        cross-validation and searches of a small model pay the compile cost
        once per process. What is learned is the same either way; False
        traces every fit afresh. The environment variable
        ``SKDEEP_REUSE_COMPILED=0`` sets the default, also in the worker
        processes of a parallel search.
    """
    changed = {}
    for name, value in (("fast_feeding", fast_feeding), ("reuse_compiled", reuse_compiled)):
        if value is not None:
            if not isinstance(value, bool):
                raise ValueError(f"{name} must be True or False; received {value!r}.")
            changed[name] = value
    if changed:
        _CHANGED.set(MappingProxyType({**_CHANGED.get(), **changed}))


@contextlib.contextmanager
def config_context(**settings):
    """Change settings inside a ``with`` block only (this thread only).

    Parameters
    ----------
    **settings
        As in :func:`set_config`.

    Yields
    ------
    None
        The block runs with the settings changed.

    Examples
    --------
    >>> import skdeep
    >>> with skdeep.config_context(fast_feeding=False):
    ...     skdeep.get_config()["fast_feeding"]
    False
    """
    token = _CHANGED.set(_CHANGED.get())
    try:
        set_config(**settings)
        yield
    finally:
        _CHANGED.reset(token)
