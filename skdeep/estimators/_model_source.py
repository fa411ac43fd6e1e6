"""Where an estimator's Keras model comes from, and the checks on what it got.

The ``model`` parameter (or its legacy name ``build_fn``) is one of:

* a builder function, called with the keyword arguments it declares;
* the name of a built-in builder (``"mlp"``, ``"cnn"``, ``"rnn"``), whose
  network the estimator builds and compiles;
* a ``keras.Model`` instance, of which every fit trains a fresh copy (same
  architecture, weights and compile settings), so that ``clone`` and
  cross-validation stay independent and the instance is never changed;
* None in a subclass that defines ``_keras_build_fn(self, compile_kwargs)``,
  the scikeras way of writing a self-contained estimator.
"""

from dataclasses import dataclass

import keras

from skdeep.estimators import _output_steps
from skdeep.estimators._persistence import PickledModel
from skdeep.models.registry import find_builder, get_builder


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
    """

    build: object
    name: str
    strict: bool = True
    network_only: bool = False


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
    if model is None:
        return getattr(estimator, "_keras_build_fn", None)
    return None if isinstance(model, keras.Model) else model


def resolve(estimator, copy_instance=True):
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
        return Source(method, "_keras_build_fn", strict=False)
    if isinstance(model, str):
        builder = get_builder(model)
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
    return PickledModel(model).restore()


def checked_model(model, source):
    """``model`` if it is a Keras model; a clear error otherwise."""
    if not isinstance(model, keras.Model):
        raise TypeError(
            f"The model builder {source.name}() must return a keras.Model; it returned "
            f"{type(model).__name__}. End the builder with 'return model'."
        )
    return model


def output_shapes(model, X):
    """Per-sample output shapes of ``model``, and whether its output is a list.

    Returns a list of shapes (one per output) or a dict for named outputs,
    and True when the model's output is a list or tuple (even of one).
    Models that are not built yet (subclassed models) are called once on
    the first row to build them.
    """
    try:
        outputs = model.output  # keeps a dict of named outputs as a dict
    except (AttributeError, ValueError):
        outputs = None
    if outputs is None or not model.built:
        outputs = model(_first_row(X))
    if isinstance(outputs, dict):
        return {name: tuple(t.shape[1:]) for name, t in outputs.items()}, False
    structured = isinstance(outputs, (list, tuple))
    outputs = outputs if structured else [outputs]
    return [tuple(t.shape[1:]) for t in outputs], structured


def single_output(shapes, structure):
    """How a one-output model wraps its output: ``"list"``, a dict key, or None.

    A model built as ``keras.Model(inputs, [output])`` or with a one-entry
    dict of outputs has one output; its targets must be given in the same
    structure, and its predictions come back in it.
    """
    if isinstance(shapes, dict):
        return next(iter(shapes)) if len(shapes) == 1 else None
    return "list" if structure and len(shapes) == 1 else None


def wrap_targets(y, wrap):
    """``y`` in the structure of a one-output model's output (see :func:`single_output`)."""
    if wrap is None or isinstance(y, (list, tuple, dict)):
        return y
    return [y] if wrap == "list" else {wrap: y}


def unwrap_outputs(outputs, wrap):
    """The one array of a one-output model's predictions."""
    if wrap is None:
        return outputs
    if isinstance(outputs, dict):
        return outputs[wrap]
    if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
        return outputs[0]
    return outputs


def _first_row(X):
    if isinstance(X, dict):
        return {k: v[:1] for k, v in X.items()}
    if isinstance(X, (list, tuple)):
        return [v[:1] for v in X]
    first = X[:1]
    return first.toarray() if hasattr(first, "toarray") else first  # a sparse row


def meta(estimator, X, steps):
    """The ``meta`` dict a builder receives: every fitted attribute, and what the data says."""
    found = {key: value for key, value in vars(estimator).items() if _is_meta(key)}
    found.update(
        n_features_in_=getattr(estimator, "n_features_in_", None),
        input_shape_=estimator.input_shape_,
        feature_names_in_=getattr(estimator, "feature_names_in_", None),
        steps_per_epoch_=steps,
        # Token-id ranges, for builders with an Embedding; images skip the passes.
        X_min_=float(X.min()) if getattr(X, "ndim", 0) == 2 and X.size else None,
        X_max_=float(X.max()) if getattr(X, "ndim", 0) == 2 and X.size else None,
    )
    columns = getattr(estimator, "input_columns_", None)
    if getattr(estimator, "inputs", None) is not None and columns is not None:
        found["input_shapes_"] = {name: (len(c),) for name, c in columns.items()}
    found.update(_output_steps.steps(estimator)._target_meta())
    return found


def _is_meta(key):
    return len(key) > 1 and key.endswith("_") and not key.endswith("__") and key[0] != "_"
