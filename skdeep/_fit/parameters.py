"""Parameters and model source: what an estimator's parameters say, and the plan of one fit.

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

The model comes from the ``model`` parameter (or its legacy name
``build_fn``): a builder function, called with the keyword arguments it
declares; a built-in builder, by name (``"mlp"``) or as the function
(``skdeep.models.mlp``), whose network the estimator builds and compiles; a
``keras.Model`` instance, of which every fit trains a fresh copy; or None in
a subclass that defines ``_keras_build_fn(self, compile_kwargs)``.

:func:`plan_fit` resolves all of this, with the arguments of one ``fit``,
``partial_fit`` or ``initialize`` call and skdeep's settings, into one
immutable :class:`FitPlan` that every later step of the chain reads: the
routed ``model.fit`` options, the batch size and the steps per epoch, the
user's callbacks (each class built once), the seed, the feeding switches,
the distribution, the kind of data source, the model source and the
builder's arguments, the resume settings. A new option adds a field here
and the step that uses it, not a test in every step. The chain
(``BaseKerasEstimator._run``) is::

    parameters -> data (sources for batches) -> building (+ compiling)
               -> training (+ sources, resume)

each step a module of this package, entered once per fit.
"""

import difflib
import inspect
import math
import sys
from dataclasses import dataclass, field
from numbers import Integral
from types import MappingProxyType

import keras
from scipy import sparse

from skdeep import _config
from skdeep._fit.compiling import (
    COMPILE_KEYWORDS,
    DEPRECATED_KNOBS,
    OPTIMIZER_KNOBS,
    accepted_arguments,
    build_object,
    routed,
    user_steps_per_execution,
)
from skdeep._framework.process import seed_from_random_state
from skdeep.models.registry import BUILDERS, find_builder, get_builder

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


#: Estimator parameters that configure the optimizer (old names included).
KNOBS = (*OPTIMIZER_KNOBS, *DEPRECATED_KNOBS)
#: What ``predict(X, **kwargs)`` and the ``predict__`` parameters may set.
PREDICT_OPTIONS = ("batch_size", "verbose", "callbacks")


def is_knob(name):
    """Whether ``name`` configures the optimizer rather than the network."""
    return name in KNOBS


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
    return accepted_arguments(builder)


def builder_selection(estimator, source):
    """The estimator's parameters that go to the builder, and the values it asks to be given.

    A declared estimator parameter reaches a builder argument of the same
    name only when the user set it (its value is not the default): a
    builder's own default (``create_model(optimizer="adam")``) is never
    replaced by the estimator's (``optimizer="auto"``). Plain parameters go
    to the builder when it names them (or takes ``**kwargs``); ``model__``
    ones always. The builder also gets what it asks for of ``meta``,
    ``compile_kwargs``, ``params`` and (by name only, as Keras' wrappers
    give them) ``X`` and ``y``.

    Parameters
    ----------
    estimator : BaseKerasEstimator
    source : Source
        Where the model comes from.

    Returns
    -------
    selected : dict
        Keyword arguments for the builder.
    injected : list of str
        The names of the values the chain fills in when it builds.

    Raises
    ------
    ValueError
        If a parameter is addressed to no one: neither declared by the
        estimator, nor accepted by the builder, nor a Keras keyword, nor
        routed with a known prefix.
    """
    builder, strict = source.build, source.strict
    params = estimator.get_params(deep=False)
    declared = declared_defaults(type(estimator))
    names, var_keyword = builder_signature(builder)
    selected = {}
    for key, value in params.items():
        if key in declared:
            if key in names and not _is_default(value, declared[key]):
                selected[key] = value
        elif "__" not in key:
            consumed = is_keras_keyword(key) or is_knob(key)
            if key in names or (var_keyword and not consumed):
                selected[key] = value
            elif strict and not consumed:
                known = set(declared) | set(names) | set(KNOBS)
                raise ValueError(_unknown_parameter_message(builder, key, names, known))
        elif not has_routing_prefix(key):
            raise ValueError(
                f"Parameter {key!r} has an unknown prefix. Expected one of "
                + ", ".join(p + "__" for p in ROUTING_PREFIXES)
                + f" (for example 'model__{key.split('__')[-1]}')."
            )
    selected.update(routed(params, "model"))
    injected = [
        name
        for name in INJECTED_ARGUMENTS
        if name in names or (var_keyword and name not in ("X", "y"))
    ]
    return selected, injected


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


def _unknown_parameter_message(builder, key, names, known=()):
    name = getattr(builder, "__name__", repr(builder))
    accepted = ", ".join(sorted(names - set(INJECTED_ARGUMENTS))) or "none"
    return (
        f"Parameter {key!r} was given to the estimator, but the model builder "
        f"{name}() does not accept it (its arguments: {accepted}).{did_you_mean(key, known)} "
        f"Add {key!r} to the builder's signature, or route it with a prefix such as "
        f"'fit__{key}' or 'compile__{key}'."
    )


def did_you_mean(key, known):
    """`` Did you mean 'x'?`` for the closest known names, or an empty string.

    Examples
    --------
    >>> did_you_mean("hiden_layer_sizes", ["hidden_layer_sizes", "epochs"])
    " Did you mean 'hidden_layer_sizes'?"
    """
    close = difflib.get_close_matches(key, sorted(known), n=3, cutoff=0.75)
    if not close:
        return ""
    return " Did you mean " + " or ".join(repr(c) for c in close) + "?"


#: Keys of ``fit(**kwargs)`` that skdeep decides itself.
_NOT_FIT_OPTIONS = {
    "x": "Pass the training data as the first argument: fit(X, y).",
    "y": "Pass the targets as the second argument: fit(X, y).",
    "initial_epoch": "skdeep counts epochs itself (n_iter_); use warm_start=True or "
    "partial_fit to continue training.",
}


def checked_batch_size(value, name, n_samples=None):
    """A batch size: a positive int, -1 for all samples at once, or None (Keras' default).

    Examples
    --------
    >>> checked_batch_size(-1, "batch_size", n_samples=150)
    150
    >>> checked_batch_size(0, "fit__batch_size")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: Invalid fit__batch_size=0: expected a positive integer, -1 (all samples ...
    """
    if value is None:
        return None
    if isinstance(value, Integral) and not isinstance(value, bool):
        if value == -1:
            return max(int(n_samples), 1) if n_samples is not None else -1
        if value >= 1:
            return int(value)
    raise ValueError(
        f"Invalid {name}={value!r}: expected a positive integer, -1 (all samples in one "
        "batch) or None."
    )


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
        checked_batch_size(value, name)
    return options


def predict_options(estimator):
    """The ``predict__`` parameters, checked (at ``fit`` too, before training)."""
    chosen = routed(vars(estimator), "predict")
    unknown = {key for key in chosen if key.split("__")[0] not in PREDICT_OPTIONS}
    if unknown:
        raise ValueError(
            f"Unsupported predict__ parameters {sorted(unknown)}; prediction takes "
            "predict__batch_size, predict__verbose and predict__callbacks."
        )
    checked_batch_size(chosen.get("batch_size"), "predict__batch_size")
    return chosen


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
            candidates = known | set(builder_signature(builder)[0] if builder else ()) | set(KNOBS)
            raise ValueError(
                f"Invalid parameter {key!r} for estimator {type(estimator).__name__}."
                f"{did_you_mean(key, candidates)} Valid parameters are the estimator's own "
                f"({', '.join(sorted(declared_names(type(estimator))))}), arguments "
                "of the model builder, and keys with a routing prefix such as "
                "'model__', 'fit__' or 'optimizer__'."
            )


# ---------------------------------------------------------------------------
# Where the model comes from
@dataclass(frozen=True)
class Source:
    """A resolved model source.

    Attributes
    ----------
    build : callable
        Called with the selected keyword arguments; returns a ``keras.Model``.
    name : str
        For messages.
    strict : bool
        Whether plain parameters must be accepted by ``build`` (False for a
        ``_keras_build_fn`` method, which reads the estimator itself).
    network_only : bool
        True for a built-in builder's network: the estimator compiles it.
    method : str or None
        The name of the estimator's own method that builds (``_keras_build_fn``):
        the fit calls it on the estimator being fitted.
    """

    build: object
    name: str
    strict: bool = True
    network_only: bool = False
    method: object = None

    def builder(self, estimator):
        """The callable that builds, for ``estimator`` (its own method, where it builds itself)."""
        return self.build if self.method is None else getattr(estimator, self.method)


def configured(estimator):
    """The builder as configured (the callable, name or instance), or None."""
    if estimator.model is not None and getattr(estimator, "build_fn", None) is not None:
        raise ValueError(
            "Both model and build_fn were given. They are the same parameter "
            "(build_fn is the legacy name); pass only model=."
        )
    return estimator.build_fn if estimator.model is None else estimator.model


def peek(estimator):
    """The builder to check parameter names against, or None (never raises)."""
    model = estimator.build_fn if estimator.model is None else estimator.model
    if isinstance(model, str):
        return find_builder(model)
    if built_in(model) is not None:
        return model
    if model is None:
        return getattr(estimator, "_keras_build_fn", None)
    return None if isinstance(model, keras.Model) else model


def built_in(model):
    """The built-in builder ``model`` is (by name or as the function), or None.

    Examples
    --------
    >>> from skdeep.models import mlp
    >>> built_in("MLP") is built_in(mlp) is mlp
    True
    """
    if isinstance(model, str):
        return find_builder(model)
    return next((builder for builder in BUILDERS.values() if model is builder), None)


def model_source(estimator, copy_instance=True):
    """The :class:`Source` the estimator builds its model from.

    A ``keras.Model`` given as ``model`` is copied for every fit; with
    ``copy_instance=False`` (``initialize``) the instance itself is used,
    as scikeras does for a pre-trained model used for inference.
    """
    custom = getattr(estimator, "_custom_source", lambda: None)()
    if custom is not None:
        return Source(custom, getattr(estimator.model, "__name__", "model"), strict=False)
    model = configured(estimator)
    method = getattr(estimator, "_keras_build_fn", None)
    if model is not None and method is not None:
        raise ValueError(
            f"{type(estimator).__name__} defines _keras_build_fn, so it builds its own "
            "model; do not pass model= or build_fn= as well."
        )
    if model is None:
        if method is None:
            raise ValueError(
                f"{type(estimator).__name__} needs a model builder: pass model=<function "
                "returning a keras.Model>, e.g. KerasClassifier(model=create_model), a "
                'built-in one by name: model="mlp", "cnn" or "rnn", a keras.Model '
                "instance, or define _keras_build_fn in a subclass."
            )
        return Source(method, "_keras_build_fn", strict=False, method="_keras_build_fn")
    if isinstance(model, str) or built_in(model) is not None:
        builder = get_builder(model) if isinstance(model, str) else model
        return Source(builder.network, builder.__name__, network_only=True)
    if isinstance(model, keras.Model):
        build = (lambda: fresh_copy(model)) if copy_instance else (lambda: model)
        return Source(build, "the given keras.Model")
    if not callable(model):
        raise TypeError(
            "model must be a function returning a keras.Model, a built-in builder name "
            f"('mlp', 'cnn', 'rnn') or a keras.Model instance. Received: {model!r} of "
            f"type {type(model).__name__}."
        )
    return Source(model, getattr(model, "__name__", type(model).__name__))


def fresh_copy(model):
    """A new model equal to ``model``: architecture, weights, compile settings, optimizer state."""
    from skdeep._fit.persistence import PickledModel

    return PickledModel(model).restore()


# ---------------------------------------------------------------------------
# The plan of one fit
#: What a call does: train a new model, continue the fitted one, or only build.
FIT, PARTIAL_FIT, INITIALIZE = "fit", "partial_fit", "initialize"
#: Keras' batch size when none is given.
DEFAULT_BATCH_SIZE = 32


@dataclass(frozen=True)
class FitPlan:
    """Everything one fit needs, resolved at its start.

    Attributes
    ----------
    mode : {"fit", "partial_fit", "initialize"}
        The public method that started the fit.
    continuing : bool
        Train the fitted ``model_`` further (``warm_start``, or ``partial_fit``
        after the first call) instead of building a new one.
    source : {"arrays", "sparse", "batches"}
        What the data is: arrays (or lists / dicts of them), a SciPy sparse
        matrix, or a ``keras.utils.PyDataset`` / ``tf.data.Dataset``.
    X, y, sample_weight : object
        The data as given (for batches, ``X`` is the dataset).
    classes : array-like or None
        A classifier's declared classes (``partial_fit`` / batches).
    epochs : int
        Epochs this call trains (0 for ``initialize``).
    start_epoch : int
        The epoch it starts from (``n_iter_`` when continuing).
    seed : int or None
        The fit's seed (None: unseeded). Continuing adds the epochs so far,
        so that continued training draws new shuffles.
    options : mapping
        The ``model.fit`` keyword arguments of this call (``shuffle``,
        ``verbose``, ``validation_split``, ``validation_freq``, ...), without
        the ones the chain sets itself.
    validation_data : tuple, dataset or None
        ``validation_data`` given to this call.
    class_weight : dict, str or None
        ``fit__class_weight`` or ``fit(class_weight=...)`` (the estimator's own
        ``class_weight`` parameter is read by its target steps).
    batch_size : int
        Rows per gradient step.
    validation_batch_size : int or None
        Rows per validation step (None: ``batch_size``).
    n_rows : int or None
        Rows of ``X`` (None for batches).
    train_rows : int or None
        Rows trained on, after ``validation_fraction`` / ``validation_split``.
    steps_per_epoch : int
        Gradient steps of one epoch.
    callbacks : tuple
        The user's callbacks (``callbacks``, ``fit__callbacks``,
        ``fit(callbacks=...)``), classes instantiated once.
    validated : bool
        Whether the fit has validation data (``val_*`` quantities).
    distribution : object or None
        The resolved ``keras.distribution.Distribution`` / ``tf.distribute.Strategy``.
    fast_feeding : bool
        skdeep's feeding speed-ups may be used (its setting, off under a
        distribution).
    reuse_compiled : bool
        Training may run on a compiled copy of the network kept from an
        earlier fit of the same architecture (its setting; off under a
        distribution, for a resumable fit, and on PyTorch, whose trainer
        traces nothing).
    backup_dir : str or None
        Where a resumable fit keeps its backup (None when continuing).
    model_source : parameters.Source
        Where the model comes from.
    builder_arguments : mapping
        The estimator's parameters that go to the builder by name.
    builder_injected : tuple
        The values the builder asks to be filled in (``meta``, ``X``, ...).
    steps_per_execution : int or None
        What the user chose (``compile__steps_per_execution``); None lets the
        feeding choose for a model skdeep compiles.
    """

    mode: str
    continuing: bool
    source: str
    X: object = field(repr=False)
    y: object = field(repr=False)
    sample_weight: object = field(repr=False)
    classes: object
    epochs: int
    start_epoch: int
    seed: object
    options: MappingProxyType
    validation_data: object = field(repr=False)
    class_weight: object
    batch_size: int
    validation_batch_size: object
    n_rows: object
    train_rows: object
    steps_per_epoch: int
    callbacks: tuple
    validated: bool
    distribution: object
    fast_feeding: bool
    reuse_compiled: bool
    backup_dir: object
    model_source: object
    builder_arguments: MappingProxyType
    builder_injected: tuple
    steps_per_execution: object


#: ``fit`` keywords the chain sets itself, taken out of the options.
_OWN_OPTIONS = (
    "batch_size",
    "validation_batch_size",
    "validation_data",
    "class_weight",
    "callbacks",
)


def plan_fit(estimator, X, y, sample_weight, call_options, mode, classes=None):
    """Resolve everything one fit needs into a :class:`FitPlan`.

    Parameters
    ----------
    estimator : BaseKerasEstimator
        Read, never changed.
    X, y, sample_weight : object
        The data of the call.
    call_options : dict
        Keyword arguments of the call (``epochs=``, ``validation_data=``,
        Keras ``fit`` keywords, ``classes=`` for batches).
    mode : {"fit", "partial_fit", "initialize"}
        The public method.
    classes : array-like, optional
        ``partial_fit``'s classes.

    Returns
    -------
    FitPlan
    """
    wrapper_options = None
    if hasattr(estimator, "fit_kwargs"):  # keras.wrappers' names
        wrapper_options = dict(estimator.fit_kwargs or {})
        if mode != FIT:
            wrapper_options.pop("epochs", None)  # partial_fit trains one epoch, initialize none
    call_options = {**(wrapper_options or {}), **call_options}
    # Keras' wrappers (the estimators with fit_kwargs) train nothing with epochs=0
    epochs = _epochs(estimator, call_options, mode, zero_allowed=wrapper_options is not None)
    source = data_source(X)
    if source == "batches":
        classes = call_options.pop("classes", classes)
    fitted = hasattr(estimator, "model_")
    continuing = fitted and (estimator.warm_start if mode == FIT else mode == PARTIAL_FIT)
    options = fit_options(estimator, call_options)
    predict_options(estimator)  # fail now, not after training
    seed = seed_from_random_state(estimator.random_state)
    start = estimator.n_iter_ if continuing else 0
    if seed is not None and continuing:
        seed += start  # continued training: new shuffles
    n_rows = None if source == "batches" else _n_rows(X)
    distribution = resolve_distribution(estimator.distribution)
    validation_data = options.pop("validation_data", None)
    validated = (
        bool(options.get("validation_split"))
        or validation_data is not None
        or (estimator.validation_fraction is not None)
    )
    batch_size = _batch_size(options.get("batch_size"), "batch_size", n_rows)
    train_rows = _train_rows(estimator, options, n_rows, validation_data)
    steps = _batch_count(X) if source == "batches" else _steps(train_rows, batch_size, options)
    source_of_model = None if continuing else model_source(estimator, mode != INITIALIZE)
    selected, injected = (
        builder_selection(estimator, source_of_model) if source_of_model else ({}, ())
    )
    settings = _config.get_config()
    backup_dir = None if continuing or not epochs else estimator.backup_dir
    return FitPlan(
        mode=mode,
        continuing=continuing,
        source=source,
        X=X,
        y=y,
        sample_weight=sample_weight,
        classes=classes,
        epochs=epochs,
        start_epoch=start,
        seed=seed,
        options=MappingProxyType({k: v for k, v in options.items() if k not in _OWN_OPTIONS}),
        validation_data=validation_data,
        class_weight=options.get("class_weight"),
        batch_size=batch_size,
        validation_batch_size=_batch_size(
            options.get("validation_batch_size"), "validation_batch_size", n_rows, default=None
        ),
        n_rows=n_rows,
        train_rows=train_rows,
        steps_per_epoch=steps,
        callbacks=tuple(_user_callbacks(estimator, options)),
        validated=validated,
        distribution=distribution,
        fast_feeding=settings["fast_feeding"] and distribution is None,
        # PyTorch's trainer runs eagerly: nothing traced to keep.
        reuse_compiled=settings["reuse_compiled"]
        and distribution is None
        and backup_dir is None
        and keras.backend.backend() != "torch",
        backup_dir=backup_dir,
        model_source=source_of_model,
        builder_arguments=MappingProxyType(selected),
        builder_injected=tuple(injected),
        steps_per_execution=user_steps_per_execution(vars(estimator)),
    )


def data_source(X):
    """``"batches"`` for a PyDataset or tf.data.Dataset, ``"sparse"``, or ``"arrays"``.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import sparse
    >>> data_source(np.zeros((2, 3))), data_source(sparse.csr_matrix((2, 3)))
    ('arrays', 'sparse')
    """
    if isinstance(X, keras.utils.PyDataset):
        return "batches"
    tf = sys.modules.get("tensorflow")  # a tf.data.Dataset, without importing TensorFlow
    if tf is not None and isinstance(X, getattr(getattr(tf, "data", None), "Dataset", ())):
        return "batches"
    if sparse.issparse(X):
        return "sparse"
    return "arrays"


def _epochs(estimator, call_options, mode, zero_allowed=False):
    if mode == INITIALIZE:
        return 0
    if mode == PARTIAL_FIT:
        for name in ("epochs", "initial_epoch"):
            if name in call_options:
                raise TypeError(
                    f"Invalid argument {name}= to partial_fit: it always trains one "
                    "epoch, continuing from the last one. Call fit for several epochs."
                )
        return 1
    if "epochs" in call_options and zero_allowed:  # epochs=0 builds and trains nothing
        epochs = call_options.pop("epochs")
        if isinstance(epochs, bool) or not isinstance(epochs, Integral) or epochs < 0:
            raise ValueError(
                f"Invalid epochs={epochs!r} passed to fit: expected a non-negative integer "
                "(0 builds the model, or keeps it with warm_start=True, and trains nothing)."
            )
        return int(epochs)
    epochs = call_options.pop("epochs", getattr(estimator, "fit__epochs", estimator.epochs))
    if isinstance(epochs, bool) or not isinstance(epochs, Integral) or epochs < 1:
        hint = " To build the model without training it, call initialize(X, y)."
        raise ValueError(
            f"Invalid epochs={epochs!r}: expected a positive integer."
            + (hint if isinstance(epochs, Integral) and epochs == 0 else "")
        )
    return int(epochs)


def _n_rows(X):
    if isinstance(X, dict):
        X = next(iter(X.values()), X)
    elif isinstance(X, (list, tuple)) and X and hasattr(X[0], "shape"):
        X = X[0]
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape):
        return int(shape[0])
    try:
        return len(X)
    except TypeError:
        return None


def _batch_size(value, name, n_rows, default=DEFAULT_BATCH_SIZE):
    size = checked_batch_size(value, name, n_rows)
    return default if size is None else size


def _train_rows(estimator, options, n_rows, validation_data):
    """Rows left for training after ``validation_fraction`` or ``validation_split``."""
    if n_rows is None:
        return None
    if estimator.validation_fraction is not None and validation_data is None:
        return n_rows - int(math.ceil(n_rows * estimator.validation_fraction))
    split = options.get("validation_split") or 0.0
    return int(math.floor(n_rows * (1.0 - split))) if split else n_rows


def _batch_count(dataset):
    """Batches per epoch of a PyDataset, or of a tf.data.Dataset of known length (else None)."""
    if isinstance(dataset, keras.utils.PyDataset):
        return len(dataset)
    count = int(dataset.cardinality())
    return count if count >= 0 else None


def _steps(train_rows, batch_size, options):
    if options.get("steps_per_epoch"):
        return int(options["steps_per_epoch"])
    return max(1, -(-(train_rows or 0) // batch_size))


def _user_callbacks(estimator, options):
    """The user's callbacks of this fit, each class built once from its routed options."""
    params = vars(estimator)
    found = make_callbacks(estimator.callbacks, routed(params, "callbacks"))
    found += make_callbacks(options.get("callbacks"), routed(routed(params, "fit"), "callbacks"))
    return found


def make_callbacks(callbacks, options):
    """A ``callbacks`` parameter (classes or instances; one, a list or a dict) as a list.

    Classes are instantiated with their routed options
    (``callbacks__patience=3``, ``callbacks__es__patience=3``,
    ``callbacks__0__patience=3``); instances are used as given, so their
    state after the fit (``EarlyStopping.stopped_epoch``) is where the user
    looks, as with Keras' own ``fit``.

    Examples
    --------
    >>> cbs = make_callbacks({"early": keras.callbacks.EarlyStopping}, {"early__patience": 3})
    >>> cbs[0].patience
    3
    """
    if callbacks is None:
        if options:
            raise ValueError(
                f"callbacks__ options {sorted(options)} were given but callbacks=None. "
                "Set callbacks to the callback classes they configure, e.g. "
                "callbacks={'early': keras.callbacks.EarlyStopping}."
            )
        return []
    if isinstance(callbacks, keras.callbacks.Callback) and not options:
        return [callbacks]
    built = build_object(callbacks, options, "callbacks")
    flat = list(built.values()) if isinstance(built, dict) else built
    flat = flat if isinstance(flat, (list, tuple)) else [flat]
    result = []
    for callback in flat:
        for item in callback if isinstance(callback, (list, tuple)) else [callback]:
            if not isinstance(item, keras.callbacks.Callback):
                raise TypeError(
                    "callbacks must be keras.callbacks.Callback classes or instances (a "
                    "single one, a list or a dict of them). Received: "
                    f"{item!r} of type {type(item).__name__}."
                )
            result.append(item)
    return result


_DISTRIBUTIONS = (
    "None, 'data_parallel', a keras.distribution.Distribution (JAX) or a "
    "tf.distribute.Strategy (TensorFlow)"
)


def resolve_distribution(value):
    """The distribution object for ``distribution=value`` on the current backend, or None.

    ``"data_parallel"`` replicates the model on every local accelerator (or
    every logical CPU device without one): Keras' ``DataParallel`` on JAX,
    ``tf.distribute.MirroredStrategy`` on TensorFlow. An instance is used
    as given.

    Examples
    --------
    >>> resolve_distribution(None) is None
    True
    """
    if value is None:
        return None
    backend = keras.backend.backend()
    if isinstance(value, str) and value == "data_parallel":
        if backend == "jax":
            return keras.distribution.DataParallel(devices=keras.distribution.list_devices())
        if backend == "tensorflow":
            from skdeep._framework.tensorflow import mirrored_strategy

            return mirrored_strategy()
        raise ValueError(
            f"distribution='data_parallel' is not available on the {backend} backend: "
            "use KERAS_BACKEND=jax or tensorflow, or distribution=None."
        )
    if backend == "jax" and isinstance(value, keras.distribution.Distribution):
        return value
    if backend == "tensorflow":
        from skdeep._framework.tensorflow import is_strategy

        if is_strategy(value):
            return value
    raise ValueError(
        f"Invalid distribution={value!r} on the {backend} backend: expected {_DISTRIBUTIONS}."
    )
