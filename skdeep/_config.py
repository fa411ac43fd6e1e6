"""Process-wide settings of skdeep, in scikit-learn's ``set_config`` style."""

import contextlib
import os

_DEFAULTS = {"fast_feeding": True}
_config = {}


def _from_environment():
    value = os.environ.get("SKDEEP_FAST_FEEDING", "").strip().lower()
    return {"fast_feeding": value not in ("0", "false", "no", "off")}


def get_config():
    """Return the current settings, as a new dict.

    Returns
    -------
    dict
        ``{"fast_feeding": bool}``.

    Examples
    --------
    >>> import skdeep
    >>> skdeep.get_config()["fast_feeding"]
    True
    """
    return {**_DEFAULTS, **_from_environment(), **_config}


def set_config(fast_feeding=None):
    """Change skdeep's settings for this process.

    Parameters
    ----------
    fast_feeding : bool, optional
        Let skdeep run a whole epoch per compiled call and feed small
        models from one input pipeline (see ``skdeep/estimators/_feeding.py``).
        What is learned is the same either way; False gives Keras' own
        per-batch loop, for debugging or for comparison. The environment
        variable ``SKDEEP_FAST_FEEDING=0`` sets the default, also in the
        worker processes of a parallel search.
    """
    if fast_feeding is not None:
        if not isinstance(fast_feeding, bool):
            raise ValueError(f"fast_feeding must be True or False; received {fast_feeding!r}.")
        _config["fast_feeding"] = fast_feeding


@contextlib.contextmanager
def config_context(**settings):
    """Change settings inside a ``with`` block only.

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
    saved = dict(_config)
    set_config(**settings)
    try:
        yield
    finally:
        _config.clear()
        _config.update(saved)
