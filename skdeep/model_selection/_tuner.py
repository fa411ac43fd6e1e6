"""From a Keras Tuner ``build_model(hp)`` function to a skdeep builder and its search space.

Keras Tuner code defines its hyperparameters inside the model function:
``units = hp.Int("units", 32, 512, step=32)``. :func:`from_keras_tuner` runs
that function with a recording stand-in for ``hp`` (Keras Tuner itself is
not needed), and returns a builder whose keyword arguments are those
hyperparameters, plus a search space for scikit-learn's searches.

Hyperparameters defined inside ``hp.conditional_scope(parent, values)``
exist only when the parent takes one of those values. The function is run
again for each such value, so that every branch's hyperparameters are
found, and the space becomes a list of dicts, one per branch, as
``GridSearchCV`` and ``RandomizedSearchCV`` take it: a conditional
hyperparameter is searched only together with the parent values it
belongs to.
"""

import contextlib
import inspect
import itertools
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
        self.conditions = {}  # name -> ((parent, values), ...) of its enclosing scopes
        self.scopes_seen = set()  # every scope entered, even one defining nothing this run
        self._scopes = []

    def _value(self, name, default, distribution):
        self.space.setdefault(name, distribution)
        self.defaults.setdefault(name, default)
        self.conditions.setdefault(name, tuple(self._scopes))
        if not self.active(name, self.values):
            return None  # as Keras Tuner: a hyperparameter of an inactive branch is None
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
        """Keras Tuner's conditional scope: what is defined inside depends on the parent."""
        if not isinstance(parent_values, (list, tuple)):
            parent_values = [parent_values]
        self._scopes.append((parent_name, tuple(parent_values)))
        self.scopes_seen.add(self._scopes[-1])
        try:
            yield
        finally:
            self._scopes.pop()

    def active(self, name, values):
        """Whether ``name``'s conditions hold for the parent ``values``."""
        return all(values.get(p, self.defaults.get(p)) in v for p, v in self.conditions[name])


def _explore(build_model):
    """Run ``build_model`` until every conditional branch's hyperparameters are recorded."""
    recorder, tried = _Recorder(), set()
    build_model(recorder)
    for _ in range(200):  # each run may reveal scopes nested in a new branch
        pending = [
            (parent, value)
            for parent, values in sorted(recorder.scopes_seen, key=repr)
            for value in values
            if (parent, value) not in tried
        ]
        if not pending:
            return recorder
        parent, value = pending[0]
        tried.add((parent, value))
        run = _Recorder({parent: value})
        build_model(run)
        recorder.scopes_seen |= run.scopes_seen
        for name in run.space:
            if name not in recorder.space:
                recorder.space[name] = run.space[name]
                recorder.defaults[name] = run.defaults[name]
                recorder.conditions[name] = run.conditions[name]
    raise ValueError(
        "from_keras_tuner: build_model defines conditional hyperparameters in more than "
        "200 branches; write the search space by hand."
    )


def _branches(recorder):
    """The search space as one dict per branch of the conditional scopes."""
    parents = sorted({p for scopes in recorder.conditions.values() for p, _ in scopes})
    for parent in parents:
        if parent not in recorder.space or not isinstance(recorder.space[parent], list):
            raise ValueError(
                f"from_keras_tuner: hyperparameters are conditional on {parent!r}, which is "
                "not a Choice, Boolean or stepped hyperparameter defined before them; a "
                "search space can only branch on a list of values."
            )
    space, branches = recorder.space, []
    for combination in itertools.product(*(space[p] for p in parents)):
        values = dict(zip(parents, combination, strict=True))
        active = [name for name in space if recorder.active(name, values)]
        branch = {name: [values[name]] if name in values else space[name] for name in active}
        if branch not in branches:
            branches.append(branch)
    if len(parents) == 1:  # one parent: its values with the same branch share a dict
        merged = {}
        for branch in branches:
            key = tuple(sorted(k for k in branch if k != parents[0]))
            if key in merged:
                merged[key][parents[0]] = merged[key][parents[0]] + branch[parents[0]]
            else:
                merged[key] = dict(branch)
        branches = list(merged.values())
    return branches


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
    space : dict or list of dict
        The hyperparameters' ranges, for ``RandomizedSearchCV``,
        ``GridSearchCV`` (when every range is a list) or the halving searches.
        With ``hp.conditional_scope``, a list of dicts: one per branch, each
        with the parent values it stands for and the hyperparameters that
        exist there.

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

    Conditional hyperparameters give one dict per branch:

    >>> def build_branching(hp):
    ...     kind = hp.Choice("kind", ["small", "big"])
    ...     with hp.conditional_scope("kind", ["big"]):
    ...         units = hp.Int("big_units", 64, 128, step=64) if kind == "big" else 4
    ...     model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units),
    ...                               keras.layers.Dense(3, activation="softmax")])
    ...     model.compile("adam", "sparse_categorical_crossentropy")
    ...     return model
    >>> from_keras_tuner(build_branching)[1]
    [{'kind': ['small']}, {'kind': ['big'], 'big_units': [64, 128]}]
    """
    recorder = _explore(build_model)
    conditional = any(recorder.conditions.values())
    space = _branches(recorder) if conditional else dict(recorder.space)
    defaults = dict(recorder.defaults)

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
