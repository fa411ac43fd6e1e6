"""Validation of builder hyperparameters, with messages that name the parameter.

Builders run at ``fit``, so these checks turn a bad value into an error that
says which parameter was wrong, what it received and what is allowed, instead
of a Keras traceback from deep inside layer construction.
"""

from numbers import Integral, Real

import keras


def invalid(name, value, expected):
    """The error for ``name=value``; ``expected`` says what is allowed."""
    return ValueError(f"Invalid {name}={value!r}: expected {expected}.")


def positive_int(name, value):
    """``value`` as an int, which must be at least 1."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise invalid(name, value, "a positive integer")
    return int(value)


def layer_sizes(name, value, allow_empty=True):
    """An int or a sequence of positive ints as a tuple (one entry per layer).

    Examples
    --------
    >>> layer_sizes("units", 8)
    (8,)
    >>> layer_sizes("hidden_layer_sizes", [12, 8])
    (12, 8)
    """
    if value is None:
        value = ()
    sizes = (value,) if isinstance(value, Integral) and not isinstance(value, bool) else value
    expected = "a positive integer or a tuple of positive integers, one per layer"
    try:
        sizes = tuple(sizes)
    except TypeError:
        raise invalid(name, value, expected) from None
    if not allow_empty and not sizes:
        raise invalid(name, value, "at least one layer: " + expected)
    if any(isinstance(s, bool) or not isinstance(s, Integral) or s < 1 for s in sizes):
        raise invalid(name, value, expected)
    return tuple(int(s) for s in sizes)


def rate(name, value):
    """A dropout-like rate in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not 0 <= value < 1:
        raise invalid(name, value, "a number in [0, 1)")
    return float(value)


def non_negative(name, value):
    """A number >= 0 (penalties, decay, augmentation factors)."""
    if isinstance(value, bool) or not isinstance(value, Real) or not value >= 0:
        raise invalid(name, value, "a number >= 0")
    return float(value)


def positive(name, value):
    """A number > 0."""
    if isinstance(value, bool) or not isinstance(value, Real) or not value > 0:
        raise invalid(name, value, "a number > 0")
    return float(value)


def positive_or_none(name, value):
    """A number > 0, or None for 'not used'."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Real) or not value > 0:
        raise invalid(name, value, "a number > 0, or None")
    return float(value)


def choice(name, value, allowed):
    """``value`` lower-cased, which must be one of ``allowed``."""
    key = value.lower() if isinstance(value, str) else value
    if key not in allowed:
        raise invalid(name, value, "one of " + ", ".join(repr(a) for a in allowed))
    return key


def flag(name, value):
    """A boolean."""
    if not isinstance(value, bool):
        raise invalid(name, value, "True or False")
    return value


def activation(name, value):
    """A Keras activation name or callable (checked, returned unchanged)."""
    examples = (
        "relu, tanh, sigmoid, elu, selu, leaky_relu, softplus, softsign, gelu, swish, "
        "hard_sigmoid, exponential, linear"
    )
    return _keras_object(
        name,
        value,
        keras.activations.get,
        f"a Keras activation name ({examples}, ...) or a callable",
    )


def initializer(name, value):
    """A Keras initializer name, instance or class (checked, returned unchanged)."""
    examples = (
        "glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, "
        "lecun_normal, uniform, normal, truncated_normal, orthogonal, zeros, ones"
    )
    return _keras_object(
        name,
        value,
        keras.initializers.get,
        f"a Keras initializer name ({examples}, ...) or a keras.initializers.Initializer",
    )


def _keras_object(name, value, getter, expected):
    try:
        getter(value)
    except (ValueError, TypeError):
        raise invalid(name, value, expected) from None
    return value
