"""The build step of the fit chain: call the builder, check its model, compile it."""

from skdeep.estimators import _compiling, _feeding, _params, _training
from skdeep.estimators import _model_source as source
from skdeep.estimators import _validation as check


def build(estimator, data, options):
    """A new, compiled model for ``data``, from the estimator's model source.

    The builder gets the arguments it declares (``meta``, ``compile_kwargs``,
    ``params`` and builder parameters). Its model's outputs are checked
    against the target, and an uncompiled model is compiled from the
    estimator's parameters, with the loss that fits its output layer and the
    ``steps_per_execution`` the data feed chose.
    """
    model_source = source.resolve(estimator)
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
    declared = set(_params.declared_names(type(estimator)))
    arguments = _params.builder_arguments(
        model_source.build, params, declared, injected, model_source.strict
    )
    if "compile_kwargs" in arguments:
        arguments["compile_kwargs"] = compile_kwargs.value()
    model = source.checked_model(model_source.build(**arguments), model_source)
    shapes = source.output_shapes(model, data["X"])
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
        loss, logits = (None, False) if chosen else estimator._default_loss(model, shapes)
        kwargs = compile_kwargs.value(loss, logits)
        if plan.steps_per_execution is not None:
            kwargs["steps_per_execution"] = plan.steps_per_execution
        model.compile(**kwargs)
    elif plan.steps_per_execution is not None:
        model.steps_per_execution = plan.steps_per_execution
    estimator._configure_outputs(model, shapes)
    return model
