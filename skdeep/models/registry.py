"""Builders by name, so that ``KerasClassifier(model="mlp")`` works."""

from skdeep.models.cnn import cnn
from skdeep.models.mlp import mlp
from skdeep.models.rnn import rnn

BUILDERS = {"mlp": mlp, "cnn": cnn, "rnn": rnn}


def find_builder(name):
    """The builder registered as ``name`` (any case), or None."""
    return BUILDERS.get(name.lower()) if isinstance(name, str) else None


def get_builder(name):
    """Return the builder registered as ``name``.

    Parameters
    ----------
    name : str
        ``"mlp"``, ``"cnn"`` or ``"rnn"``, in any case.

    Returns
    -------
    callable
        The builder.

    Examples
    --------
    >>> get_builder("MLP").__name__
    'mlp'
    >>> get_builder("transformer")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Unknown model='transformer': expected ... 'mlp', 'cnn', 'rnn'.
    """
    builder = find_builder(name)
    if builder is None:
        raise ValueError(
            f"Unknown model={name!r}: expected a model builder function or one of the "
            f"built-in names {', '.join(repr(n) for n in BUILDERS)}."
        )
    return builder
