"""Prediction: from ``X`` to the model's outputs, the one path every predicting method takes.

``predict``, ``predict_proba``, ``decision_function``, ``score`` and
``KerasTransformer.transform`` all come here (:func:`raw_outputs`), so they
make the same checks ``fit`` makes (feature count and names, per-sample
shape, token ids inside the embedding's vocabulary, the feature encoder)
and run the model the same fast way (:func:`predict`).

Reading is safe while another thread refits the estimator: a fit builds its
fitted state aside and swaps it in at once, and each prediction reads one
state from start to end (:func:`fitted_view`), so it sees the old model or
the new one, never a mix. Models that a backend cannot run from several
threads at once (JAX's compiled step donates the model's state) are run
under a lock per model.
"""

import contextlib
import threading
import weakref

import keras
import numpy as np
from sklearn.utils.validation import check_is_fitted

from skdeep._fit import batches, data, parameters, sources, targets
from skdeep._framework.process import STATE, limit_framework_threads

#: Rows per ``predict_on_batch`` call when no batch size is given.
DEFAULT_PREDICT_BATCH_SIZE = 1024

_locks = weakref.WeakKeyDictionary()
_features = weakref.WeakKeyDictionary()  # network -> {layer name: feature model}
_guard = threading.Lock()


def fitted_view(estimator):
    """An object of the estimator's class that reads one fitted state throughout.

    A fit replaces the estimator's attribute dictionary in one step when it
    succeeds; the view keeps the dictionary of the moment it was taken.
    """
    view = object.__new__(type(estimator))
    object.__setattr__(view, "__dict__", estimator.__dict__)
    return view


def raw_outputs(estimator, X, kwargs=None, model=None):
    """The model's outputs for ``X``: float64 arrays (a list or dict for several outputs).

    Parameters
    ----------
    estimator : BaseKerasEstimator
        A fitted estimator (a :func:`fitted_view` of it).
    X : array-like
        Samples, shaped as in ``fit``.
    kwargs : dict, optional
        ``batch_size``, ``verbose`` or ``callbacks`` of this call.
    model : keras.Model, optional
        Another model on the same inputs (a feature model of
        ``KerasTransformer``); ``model_`` by default.
    """
    check_is_fitted(estimator, "model_")
    if not STATE["threads_applied"]:
        limit_framework_threads()
    kwargs = dict(kwargs or {})
    unknown = set(kwargs) - set(parameters.PREDICT_OPTIONS)
    if unknown:
        raise TypeError(
            f"Unexpected keyword arguments {sorted(unknown)}; prediction takes "
            "batch_size=, verbose= and callbacks=."
        )
    if batches.is_batches(X):
        raise TypeError(
            f"{type(estimator).__name__} predicts from arrays, and received a "
            f"{type(X).__name__}. Predict batch by batch, e.g. "
            "np.concatenate([estimator.predict(dataset[i][0]) for i in range(len(dataset))])."
        )
    X = data.check_X(estimator, X, reset=False)
    if getattr(estimator, "_token_vocabulary", None) is not None:
        data.check_token_input(X, estimator._token_vocabulary)
    chosen = {**parameters.predict_options(estimator), **kwargs}
    size = chosen.get("batch_size", getattr(estimator, "batch_size", None))
    size = parameters.checked_batch_size(size, "predict__batch_size", X.shape[0])
    outputs = predict(
        estimator.model_ if model is None else model,
        data.encode_features(estimator, X, False),
        size or DEFAULT_PREDICT_BATCH_SIZE,
        _prediction_callbacks(estimator, chosen),
    )
    if model is None:
        outputs = targets.unwrap_outputs(outputs, getattr(estimator, "_output_wrap", None))
    if hasattr(outputs, "astype"):
        return outputs.astype("float64")
    return outputs


def _prediction_callbacks(estimator, chosen):
    """The callbacks that watch prediction (only they make prediction go through Keras' loop)."""
    if estimator.callbacks is None and chosen.get("callbacks") is None:
        return []
    from skdeep._fit.parameters import make_callbacks, routed

    found = make_callbacks(estimator.callbacks, routed(vars(estimator), "callbacks"))
    found += make_callbacks(chosen.get("callbacks"), routed(chosen, "callbacks"))
    return [cb for cb in found if watches_prediction(cb)]


def feature_model(network, layer):
    """A model from ``network``'s inputs to ``layer``'s output, made once per network and layer."""
    with _guard:
        made = _features.setdefault(network, {})
        if layer.name not in made:
            made[layer.name] = keras.Model(network.inputs, layer.output)
        return made[layer.name]


def watches_prediction(callback):
    """Whether a callback overrides one of Keras' prediction hooks."""
    base = keras.callbacks.Callback
    hooks = ("on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end")
    return any(getattr(type(callback), hook) is not getattr(base, hook) for hook in hooks)


def _model_lock(model):
    with _guard:
        lock = _locks.get(model)
        if lock is None:
            lock = _locks[model] = threading.Lock()
        return lock


def predict(model, X, batch_size, callbacks=()):
    """Model outputs for ``X``, as NumPy arrays (a list for several outputs).

    ``model.predict`` builds a dataset and a progress loop on every call,
    tens of milliseconds of overhead that dominate small predictions;
    ``predict_on_batch`` runs the compiled prediction step directly, one
    call per batch. ``model.predict`` is used only when callbacks watch
    prediction, or when the model is mirrored over several devices
    (TensorFlow's ``predict_on_batch`` then returns every replica's copy of
    the batch). On JAX the compiled step donates the model's state, so
    concurrent calls on one model are serialized; TensorFlow's are safe.

    Examples
    --------
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> predict(model, np.zeros((5, 3), "float32"), batch_size=2).shape
    (5, 2)
    """
    watching = [cb for cb in callbacks if watches_prediction(cb)]
    strategy = getattr(model, "distribute_strategy", None)  # TensorFlow models only
    if getattr(strategy, "num_replicas_in_sync", 1) > 1:
        return _keras_predict(model, X, batch_size, watching)
    lock = _model_lock(model) if keras.backend.backend() != "tensorflow" else None
    with lock or contextlib.nullcontext(), _quiet():
        if watching:
            return _keras_predict(model, X, batch_size, watching)
        rows = sources.n_rows(X)
        if rows <= batch_size:
            return _as_numpy(model.predict_on_batch(sources.dense(X)))
        parts = [
            _as_numpy(model.predict_on_batch(sources.dense(_rows(X, start, start + batch_size))))
            for start in range(0, rows, batch_size)
        ]
    if isinstance(parts[0], dict):  # several named outputs
        return {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    if isinstance(parts[0], list):
        return [np.concatenate([p[i] for p in parts]) for i in range(len(parts[0]))]
    return np.concatenate(parts)


def _keras_predict(model, X, batch_size, callbacks):
    """``model.predict``, fed batch by batch (densified) when ``X`` is sparse."""
    if sources.is_sparse(X):
        X = sources.EpochOrderedBatches((X,), batch_size, seed=0, shuffle=False)
        return _as_numpy(model.predict(X, verbose=0, callbacks=callbacks))
    return _as_numpy(model.predict(X, batch_size=batch_size, verbose=0, callbacks=callbacks))


def _rows(X, start, stop):
    if isinstance(X, dict):
        return {k: v[start:stop] for k, v in X.items()}
    if isinstance(X, (list, tuple)):
        return [v[start:stop] for v in X]
    return X[start:stop]


def _as_numpy(outputs):
    if isinstance(outputs, dict):
        return {k: np.asarray(keras.ops.convert_to_numpy(v)) for k, v in outputs.items()}
    if isinstance(outputs, (list, tuple)):
        return [np.asarray(keras.ops.convert_to_numpy(v)) for v in outputs]
    return np.asarray(keras.ops.convert_to_numpy(outputs))


def _quiet():
    """TensorFlow's misleading retracing warning hidden (nothing on other backends)."""
    if keras.backend.backend() == "tensorflow":
        from skdeep._framework.tensorflow import retracing_warning_hidden

        return retracing_warning_hidden()
    return contextlib.nullcontext()
