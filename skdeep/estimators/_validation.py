"""Checks of what a user passes to ``fit`` and ``predict``, with messages that say how to fix it."""

import math
from numbers import Integral, Real

import keras
import numpy as np
from scipy import sparse
from sklearn.utils.validation import validate_data


def check_X(estimator, X, reset):
    """Validate ``X`` as scikit-learn does, keeping N-d samples.

    ``X`` becomes an array of Keras' float type (a CSR matrix when it
    comes sparse: it is densified batch by batch). At predict time
    (``reset=False``), the shape of one sample must be the one seen in
    ``fit``.
    """
    if not reset:
        _check_sample_shape(estimator, X)
    options = dict(reset=reset, dtype=keras.config.floatx(), allow_nd=True, accept_sparse="csr")
    return validate_data(estimator, X, **options)


def check_X_y(estimator, X, y, reset, y_numeric):
    """Validate ``X`` and ``y`` together; also returns the dtype ``X`` came in."""
    dtype = getattr(X, "dtype", None)
    if not reset:
        _check_sample_shape(estimator, X)
    X, y = validate_data(
        estimator,
        X,
        y,
        reset=reset,
        dtype=keras.config.floatx(),
        allow_nd=True,
        accept_sparse="csr",
        multi_output=True,
        y_numeric=y_numeric,
    )
    return X, y, dtype


def _check_sample_shape(estimator, X):
    shape = getattr(X, "shape", None)
    fitted = getattr(estimator, "input_shape_", None)
    if shape is None or len(shape) < 2 or fitted is None:
        return  # scikit-learn's own checks explain 1-D input and feature counts
    if (len(shape) > 2 or len(fitted) > 1) and tuple(shape[1:]) != tuple(fitted):
        raise ValueError(
            f"X has samples of shape {tuple(shape[1:])}, but "
            f"{type(estimator).__name__} was fitted on samples of shape "
            f"{tuple(fitted)}. Reshape X to (n_samples, {', '.join(map(str, fitted))})."
        )


def check_labels(y):
    """Refuse missing labels (None, NaN) among object labels."""
    array = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    if array.dtype != object:
        return
    flat = array.ravel()
    missing = [i for i, v in enumerate(flat) if v is None or (isinstance(v, float) and v != v)]
    if missing:
        raise ValueError(
            f"y contains {len(missing)} missing label(s) (None or NaN), the first at "
            f"position {missing[0]}. Every sample needs a class: drop those rows or "
            "fill them with a label of their own, e.g. 'unknown'."
        )


def check_sample_weight(sample_weight, n_samples, name="sample_weight", some_positive=True):
    """Finite, non-negative weights, one per sample, not all zero; None stays None.

    ``some_positive=False`` accepts all zeros (one batch of many may have them).
    """
    if sample_weight is None:
        return None
    try:
        weights = np.asarray(sample_weight, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, one per sample of X.") from None
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.shape != (n_samples,):
        raise ValueError(
            f"{name} has shape {weights.shape}; expected ({n_samples},), one weight per "
            "sample of X."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError(
            f"{name} must contain finite, non-negative numbers; found NaN, infinity or a "
            "negative weight."
        )
    if some_positive and not np.any(weights > 0):
        raise ValueError(
            f"{name} is zero for every sample, so there is nothing to learn from. Give "
            "at least one sample a positive weight."
        )
    return weights


def check_class_weight(class_weight, classes):
    """A ``class_weight`` dict keyed by classes, with finite non-negative weights.

    Examples
    --------
    >>> check_class_weight({"a": 2, "b": 1}, np.array(["a", "b"]))
    {'a': 2.0, 'b': 1.0}
    """
    if class_weight is None or isinstance(class_weight, str):
        return class_weight
    known = set(np.asarray(classes).tolist())
    unknown = [key for key in class_weight if key not in known]
    if unknown:
        raise ValueError(
            f"class_weight has keys {unknown} that are not classes of y; classes are "
            f"{np.asarray(classes).tolist()}. Key the dict by the original labels."
        )
    checked = {}
    for key, value in class_weight.items():
        ok = isinstance(value, Real) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise ValueError(
                f"class_weight[{key!r}] = {value!r}: class weights must be finite numbers "
                ">= 0 (NaN, infinity and negative weights would turn the loss into NaN)."
            )
        checked[key] = float(value)
    if checked and not any(checked.values()):
        raise ValueError("class_weight is zero for every class: nothing would be learned.")
    return checked


def batch_size(value, name, n_samples=None):
    """A batch size: a positive int, -1 for all samples at once, or None (Keras' default).

    Examples
    --------
    >>> batch_size(-1, "batch_size", n_samples=150)
    150
    >>> batch_size(0, "fit__batch_size")  # doctest: +ELLIPSIS
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


def check_token_ids(X, vocabulary_size):
    """Token ids must be whole numbers from 0 to ``vocabulary_size - 1``, as in ``fit``."""
    X = getattr(X, "data", X) if sparse.issparse(X) else X  # the stored ids; the rest are 0
    if X.size == 0:
        return
    low, high = float(np.min(X)), float(np.max(X))
    if low < 0 or high >= vocabulary_size:
        raise ValueError(
            f"X holds token ids from {low:g} to {high:g}, but vocabulary_size="
            f"{vocabulary_size} allows ids 0 to {vocabulary_size - 1}. Raise "
            "vocabulary_size or limit the vocabulary when tokenizing (ids must be >= 0)."
        )
    if not np.all(np.equal(np.mod(X, 1), 0)):
        raise ValueError(
            "X holds token ids that are not whole numbers; the embedding expects integer "
            "ids from a tokenizer such as skdeep.preprocessing.TextToSequences."
        )


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
