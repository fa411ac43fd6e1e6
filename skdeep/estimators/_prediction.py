"""From ``X`` to the model's raw outputs at predict time, with the checks ``fit`` makes."""

from sklearn.utils.validation import check_is_fitted

from skdeep.estimators import _training
from skdeep.estimators import _validation as check
from skdeep.estimators._model_source import unwrap_outputs
from skdeep.estimators._params import routed
from skdeep.estimators._threads import limit_framework_threads

#: What ``predict(X, **kwargs)`` and the ``predict__`` parameters may set.
OPTIONS = {"batch_size", "verbose", "callbacks"}


def options(estimator):
    """The ``predict__`` parameters, checked (also at ``fit``, before training)."""
    chosen = routed(vars(estimator), "predict")
    unknown = {key for key in chosen if key.split("__")[0] not in OPTIONS}
    if unknown:
        raise ValueError(
            f"Unsupported predict__ parameters {sorted(unknown)}; prediction takes "
            "predict__batch_size, predict__verbose and predict__callbacks."
        )
    check.batch_size(chosen.get("batch_size"), "predict__batch_size")
    return chosen


def raw_outputs(estimator, X, kwargs):
    """The model's outputs for ``X``: float64 arrays (a list or dict for several outputs).

    ``X`` is validated as in ``fit`` (feature count and names, per-sample
    shape, token ids inside the embedding's vocabulary) and encoded by the
    fitted feature encoder.
    """
    check_is_fitted(estimator, "model_")
    limit_framework_threads()
    unknown = set(kwargs) - OPTIONS
    if unknown:
        raise TypeError(
            f"Unexpected keyword arguments {sorted(unknown)}; prediction takes "
            "batch_size=, verbose= and callbacks=."
        )
    X = check.check_X(estimator, X, reset=False)
    if getattr(estimator, "_token_vocabulary", None) is not None:
        check.check_token_ids(X, estimator._token_vocabulary)
    chosen = {**options(estimator), **kwargs}
    size = chosen.get("batch_size", getattr(estimator, "batch_size", None))
    size = check.batch_size(size, "predict__batch_size", X.shape[0])
    params = vars(estimator)
    callbacks = _training.make_callbacks(estimator.callbacks, routed(params, "callbacks"))
    callbacks += _training.make_callbacks(chosen.get("callbacks"), routed(chosen, "callbacks"))
    outputs = _training.predict(
        estimator.model_,
        estimator._encode_features(X, False),
        size or _training.DEFAULT_PREDICT_BATCH_SIZE,
        callbacks,
    )
    outputs = unwrap_outputs(outputs, getattr(estimator, "_output_wrap", None))
    if hasattr(outputs, "astype"):
        return outputs.astype("float64")
    return outputs
