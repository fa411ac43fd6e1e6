"""Building: call the model builder, check what it returns, and compile it.

The builder gets the keyword arguments the plan selected (builder arguments
set on the estimator, ``model__`` ones) and what it asks for of ``meta``
(everything ``fit`` learned so far, and what the data says), ``params``,
``compile_kwargs`` and, for Keras' wrappers' builders, ``X`` and ``y``. Its
model is checked (a ``keras.Model``, the named inputs of ``inputs=``, the
outputs the target needs) and compiled by the compile owner
(:mod:`skdeep._fit.compiling`). Under a distribution, the model is created
and compiled in the distribution's scope.
"""

import contextlib
import functools

import keras

from skdeep._fit import compiling


def build(estimator, plan, data):
    """Build and compile the model of a fresh fit; ``estimator.model_`` and what goes with it.

    Parameters
    ----------
    estimator : BaseKerasEstimator
        Gets ``model_``, ``_output_wrap`` and the vocabularies its
        Embeddings read (checked at ``predict``).
    plan : FitPlan
        The fit's plan (model source, builder arguments, steps per epoch).
    data : Prepared
        The fit's data (``meta`` is learned from it).
    """
    source = plan.model_source
    params = estimator.get_params(deep=False)
    hooks = _target_steps(estimator)
    meta = builder_meta(estimator, data.X, plan.steps_per_epoch, hooks)
    arguments = dict(plan.builder_arguments)
    given = {"meta": meta, "params": params, "X": data.X, "y": data.y}
    if "compile_kwargs" in plan.builder_injected:
        lazy = compiling.LazyCompile(params, meta, plan.steps_per_epoch, source.network_only)
        given["compile_kwargs"] = lazy.value()
    arguments.update({name: given[name] for name in plan.builder_injected})
    if not source.network_only:
        compiling.builder_optimizer(
            source.builder(estimator), params, arguments, plan.steps_per_epoch
        )
    several = estimator.outputs is not None  # targets come structured
    scope = plan.distribution.scope() if plan.distribution is not None else contextlib.nullcontext()
    with scope:
        model = checked_model(source.builder(estimator)(**arguments), source)
        if estimator.inputs is not None:
            check_model_inputs(model, estimator.input_columns_)
        shapes, structured = output_shapes(model, data.X)
        wrap = None if several else single_output(shapes, structured)
        if wrap is not None:
            shapes = [next(iter(shapes.values()))] if isinstance(shapes, dict) else shapes
        compiling.compile_for_fit(
            model,
            params,
            source,
            arguments,
            functools.partial(hooks._default_loss, shapes=shapes),
            plan.steps_per_epoch,
        )
    hooks._configure_outputs(model, shapes)
    estimator._output_wrap = wrap
    estimator.model_ = model
    if estimator.inputs is None:
        estimator._token_vocabulary = token_vocabulary(model)
    else:
        estimator._token_vocabulary = None
        estimator._input_vocabularies = embedding_vocabularies(model)
    return model


def _target_steps(estimator):
    if estimator.outputs is None:
        return estimator
    from skdeep._fit.targets import OutputSteps

    return OutputSteps(estimator)


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


def _first_row(X):
    if isinstance(X, dict):
        return {k: v[:1] for k, v in X.items()}
    if isinstance(X, (list, tuple)):
        return [v[:1] for v in X]
    first = X[:1]
    return first.toarray() if hasattr(first, "toarray") else first  # a sparse row


def builder_meta(estimator, X, steps, hooks):
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
    found.update(hooks._target_meta())
    return found


def _is_meta(key):
    return len(key) > 1 and key.endswith("_") and not key.endswith("__") and key[0] != "_"


def embedding_vocabularies(model):
    """The ``input_dim`` of every Embedding that reads an input of the model directly.

    Returns
    -------
    dict
        Input name -> vocabulary size (the first such Embedding per input).
    """
    inputs = {id(tensor): tensor.name for tensor in getattr(model, "inputs", None) or []}
    found = {}
    for layer in getattr(model, "layers", []):
        if not isinstance(layer, keras.layers.Embedding):
            continue
        try:
            source = layer.input
        except (AttributeError, ValueError):
            continue
        if id(source) in inputs:
            found.setdefault(inputs[id(source)], int(layer.input_dim))
    return found


def token_vocabulary(model):
    """The ``input_dim`` of an Embedding that reads the model's input directly, or None."""
    found = embedding_vocabularies(model)
    return next(iter(found.values())) if found else None


def check_model_inputs(model, columns):
    """The model must take exactly the named inputs, each as wide as its columns.

    Examples
    --------
    >>> import keras
    >>> a, b = keras.Input((2,), name="text"), keras.Input((3,), name="tabular")
    >>> model = keras.Model([a, b], keras.layers.Concatenate()([a, b]))
    >>> check_model_inputs(model, {"text": [0, 1], "tabular": [2, 3]})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The model's input 'tabular' takes samples of shape (3,), but inputs['tabular'] ...
    """
    expected = {tensor.name: tuple(tensor.shape[1:]) for tensor in model.inputs}
    missing = [name for name in expected if name not in columns]
    if missing:
        raise ValueError(
            f"The model has the input(s) {missing}, which inputs= does not give; it gives "
            f"{list(columns)}. Add an entry for each named input of the model (the name= "
            "of its keras.Input)."
        )
    unused = [name for name in columns if name not in expected]
    if unused:
        raise ValueError(
            f"inputs= gives {unused}, but the model has no input of that name; its inputs "
            f"are {list(expected)}. Name each keras.Input after its entry in inputs=."
        )
    for name, shape in expected.items():
        width = len(columns[name])
        if len(shape) != 1 or shape[0] not in (None, width):
            raise ValueError(
                f"The model's input {name!r} takes samples of shape {shape}, but "
                f"inputs[{name!r}] selects {width} column(s) of X. Build the input as "
                f"keras.Input(meta['input_shapes_'][{name!r}], name={name!r}), here "
                f"keras.Input(({width},), name={name!r})."
            )
