"""From a Keras Tuner ``build_model(hp)`` function to a skdeep builder and its search space.

Keras Tuner code defines its hyperparameters inside the model function:
``units = hp.Int("units", 32, 512, step=32)``. :func:`from_keras_tuner` runs
that function once with a recording stand-in for ``hp`` (Keras Tuner itself
is not needed), and returns a builder whose keyword arguments are those
hyperparameters, plus a search space for scikit-learn's searches.
"""

import contextlib
import inspect
import math

import numpy as np
from scipy.stats import loguniform, uniform


class _LogIntegers:
    """Integers drawn log-uniformly from ``[low, high]`` (scipy has no such distribution)."""

    def __init__(self, low, high, step):
        self.low, self.high, self.step = low, high, step

    def rvs(self, random_state=None):
        rng = random_state if isinstance(random_state, np.random.RandomState) else None
        rng = rng or np.random.RandomState(random_state)
        value = math.exp(rng.uniform(math.log(self.low), math.log(self.high)))
        return int(min(self.high, max(self.low, round(value / self.step) * self.step)))


class _Recorder:
    """Stands in for ``keras_tuner.HyperParameters``: records definitions, returns values."""

    def __init__(self, values=None):
        self.values = dict(values or {})
        self.space, self.defaults = {}, {}

    def _value(self, name, default, distribution):
        self.space.setdefault(name, distribution)
        self.defaults.setdefault(name, default)
        return self.values.get(name, default)

    def Int(self, name, min_value, max_value, step=None, sampling="linear", default=None):
        step = step or 1
        if sampling == "log":
            distribution = _LogIntegers(min_value, max_value, step)
        else:
            distribution = list(range(min_value, max_value + 1, step))
        return self._value(name, min_value if default is None else default, distribution)

    def Float(self, name, min_value, max_value, step=None, sampling="linear", default=None):
        if step:
            count = int(round((max_value - min_value) / step)) + 1
            distribution = [min_value + i * step for i in range(count)]
        elif sampling == "log":
            distribution = loguniform(min_value, max_value)
        else:
            distribution = uniform(min_value, max_value - min_value)
        return self._value(name, min_value if default is None else default, distribution)

    def Choice(self, name, values, ordered=None, default=None):
        return self._value(name, values[0] if default is None else default, list(values))

    def Boolean(self, name, default=False):
        return self._value(name, default, [False, True])

    def Fixed(self, name, value):
        return self._value(name, value, [value])

    def get(self, name):
        """The current value of a hyperparameter defined before."""
        return self.values.get(name, self.defaults[name])

    @contextlib.contextmanager
    def conditional_scope(self, parent_name, parent_values):
        """Keras Tuner's conditional scope: every hyperparameter is defined here."""
        yield


def from_keras_tuner(build_model):
    """Turn ``build_model(hp)`` into a skdeep builder and a search space.

    Parameters
    ----------
    build_model : callable
        A Keras Tuner model function: takes ``hp``, calls ``hp.Int``,
        ``hp.Float``, ``hp.Choice``, ``hp.Boolean`` or ``hp.Fixed``, returns a
        compiled ``keras.Model``.

    Returns
    -------
    builder : callable
        A builder for ``KerasClassifier`` / ``KerasRegressor`` whose keyword
        arguments are the hyperparameters, with their defaults.
    space : dict
        The hyperparameters' ranges, for ``RandomizedSearchCV``,
        ``GridSearchCV`` (when every range is a list) or the halving searches.

    Examples
    --------
    >>> import keras
    >>> def build_model(hp):
    ...     model = keras.Sequential([
    ...         keras.Input((4,)),
    ...         keras.layers.Dense(hp.Int("units", 8, 32, step=8), activation="relu"),
    ...         keras.layers.Dense(3, activation="softmax")])
    ...     model.compile(keras.optimizers.Adam(hp.Choice("learning_rate", [1e-2, 1e-3])),
    ...                   "sparse_categorical_crossentropy")
    ...     return model
    >>> builder, space = from_keras_tuner(build_model)
    >>> space
    {'units': [8, 16, 24, 32], 'learning_rate': [0.01, 0.001]}
    >>> builder(units=16).layers[0].units
    16
    """
    recorder = _Recorder()
    build_model(recorder)
    space, defaults = dict(recorder.space), dict(recorder.defaults)

    def builder(**hyperparameters):
        return build_model(_Recorder({**defaults, **hyperparameters}))

    builder.__signature__ = inspect.Signature(
        [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=value)
            for name, value in defaults.items()
        ]
    )
    builder.__name__ = getattr(build_model, "__name__", "build_model")
    return builder, space
