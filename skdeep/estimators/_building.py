"""The build step of the fit chain: call the builder, check its model, compile it."""

import inspect

from skdeep.estimators import _compiling, _feeding, _inputs, _output_steps, _params, _training
from skdeep.estimators import _model_source as source
from skdeep.estimators import _validation as check
from skdeep.models._losses import loss_name


def build(estimator, data, options, copy_instance=True):
    """A new, compiled model for ``data``, from the estimator's model source.

    The builder gets the arguments it declares (``meta``, ``compile_kwargs``,
    ``params`` and builder parameters). Its model's outputs are checked
    against the target, and an uncompiled model is compiled from the
    estimator's parameters, with the loss that fits its output layer and the
    ``steps_per_execution`` the data feed chose.
    """
    model_source = source.resolve(estimator, copy_instance)
    params = estimator.get_params(deep=False)
    rows = len(data["y"])
    batch_size = check.batch_size(options.get("batch_size"), "batch_size", rows) or 32
    steps = _feeding.steps_per_epoch(rows, batch_size, options)
    meta = source.meta(estimator, data["X"], steps)
    compile_kwargs = _compiling.LazyCompile(params, meta, steps, model_source.network_only)
    injected = {
        "meta": meta,
        "compile_kwargs": compile_kwargs,
        "params": params,
        "X": data["X"],
        "y": data["y"],
    }
    declared = _params.declared_defaults(type(estimator))
    arguments = _params.builder_arguments(
        model_source.build, params, declared, injected, model_source.strict
    )
    if "compile_kwargs" in arguments:
        arguments["compile_kwargs"] = compile_kwargs.value()
    if not model_source.network_only:
        _compiling.builder_optimizer(model_source.build, params, arguments, steps)
    model = source.checked_model(model_source.build(**arguments), model_source)
    if getattr(estimator, "inputs", None) is not None:
        _inputs.check_model(model, estimator.input_columns_)
    targets = _output_steps.steps(estimator)
    shapes, structured = source.output_shapes(model, data["X"])
    several = getattr(estimator, "outputs", None) is not None  # targets come structured
    estimator._output_wrap = None if several else source.single_output(shapes, structured)
    if estimator._output_wrap is not None:
        shapes = [next(iter(shapes.values()))] if isinstance(shapes, dict) else shapes
    plan = _feeding.plan(
        model,
        rows,
        batch_size,
        options,
        _training.fit_callbacks(estimator, options),
        _compiling.user_steps_per_execution(params, model),
    )
    if not getattr(model, "compiled", False):
        chosen = params.get("loss") is not None
        loss, logits = (None, False) if chosen else targets._default_loss(model, shapes)
        kwargs = compile_kwargs.value(loss, logits)
        if plan.steps_per_execution is not None:
            kwargs["steps_per_execution"] = plan.steps_per_execution
        model.compile(**kwargs)
    else:
        _check_loss_agrees(estimator, params.get("loss"), model.loss)
        if not model_source.network_only and model_source.strict:
            default = declared.get("optimizer", "auto")
            _compiling.check_builder_compiled(model, model_source.name, params, arguments, default)
        if plan.steps_per_execution is not None:
            model.steps_per_execution = plan.steps_per_execution
        for name, value in _compiling.execution_options(params).items():
            setattr(model, name, value)  # public Model attributes, read when training starts
    targets._configure_outputs(model, shapes)
    return model


def record_vocabularies(estimator, model):
    """Remember the vocabulary of Embeddings that read the model's inputs, for ``predict``.

    ``predict`` checks token ids against them: the whole ``X`` for one input,
    each input's block with ``inputs=``.
    """
    if getattr(estimator, "inputs", None) is None:
        estimator._token_vocabulary = check.token_vocabulary(model)
    else:
        estimator._token_vocabulary = None
        estimator._input_vocabularies = check.embedding_vocabularies(model)


def _check_loss_agrees(estimator, given, compiled):
    """A ``loss`` set on the estimator must be the one a builder compiled its model with.

    The estimator's loss only applies to models it compiles; a different
    one in a compiled model would be silently ignored. A loss equal to the
    class's own default (a subclass may set one) is not the user's choice.
    """
    default = inspect.signature(type(estimator).__init__).parameters.get("loss")
    if given is None or (default is not None and given is default.default):
        return
    if isinstance(given, (list, tuple, dict)) or isinstance(compiled, (list, tuple, dict)):
        return
    if loss_name(given) and loss_name(given) != loss_name(compiled):
        raise ValueError(
            f"loss={given!r} was set on the estimator, but model compiled with "
            f"{compiled!r} by the builder; the estimator's loss only applies to models "
            "it compiles. Remove loss=, or have the builder return an uncompiled model "
            "(or compile it with compile_kwargs['loss'])."
        )
