"""The data step of the fit chain: validate, learn the targets, weigh, hold out, encode."""

import numpy as np

from skdeep.estimators import _inputs, _output_steps, _outputs
from skdeep.estimators import _validation as check
from skdeep.estimators._holdout import split


def prepare(estimator, X, y, sample_weight, options, reset, classes):
    """The training data of one fit, checked and encoded.

    With ``reset`` (a fresh fit) the estimator learns the input shape, the
    targets (``classes_`` and the like) and its feature encoder; otherwise
    ``X`` and ``y`` must match what it learned. ``options`` loses the
    ``class_weight`` and ``validation_data`` it may hold.

    Returns
    -------
    dict
        ``X`` (encoded for the model), ``y`` (not encoded yet: the form
        depends on the compiled loss), ``weights`` and ``val`` (encoded
        validation data or None).
    """
    if getattr(estimator, "outputs", None) is not None:
        y = _outputs.select(estimator, y)
    if reset and getattr(estimator, "inputs", None) is not None:
        estimator.input_columns_ = _inputs.resolve(estimator.inputs, X)
    X, y, dtype = check.check_X_y(estimator, X, y, reset, estimator._y_numeric)
    if reset:
        estimator.input_shape_, estimator.X_shape_ = X.shape[1:], X.shape
        estimator.X_dtype_ = dtype
    weights = check.check_sample_weight(sample_weight, X.shape[0])
    targets = _output_steps.steps(estimator)
    if reset:
        targets._learn_targets(y, classes)
    else:
        targets._check_targets(y)
    weights = targets._fit_weights(y, weights, options.pop("class_weight", None))
    validation = options.pop("validation_data", None)
    if estimator.validation_fraction is not None and validation is None:
        X, y, weights, validation = split(estimator, X, y, weights)
    if validation is not None:
        validation = validation_data(estimator, validation)
    return {
        "X": encode_features(estimator, X, reset),
        "y": y,
        "weights": weights,
        "val": validation,
    }


def encode_features(estimator, X, reset):
    """``X`` as the model takes it: through the feature encoder, fitted when ``reset``.

    With ``inputs=``, one block of columns per named input of the model
    instead (token ids checked at predict time where an Embedding reads them).
    """
    if getattr(estimator, "inputs", None) is not None:
        if reset and estimator.feature_encoder is not None:
            raise ValueError(
                f"{type(estimator).__name__} has both inputs= and a feature_encoder; both "
                "split X into the model's inputs. Use one of them."
            )
        vocabularies = None if reset else getattr(estimator, "_input_vocabularies", None)
        return _inputs.split(X, estimator.input_columns_, vocabularies)
    if reset:
        encoder = estimator.feature_encoder
        estimator.feature_encoder_ = None if encoder is None else encoder.fit(X)
        vars(estimator).update(getattr(estimator.feature_encoder_, "get_metadata", dict)())
    encoder = getattr(estimator, "feature_encoder_", None)
    return X if encoder is None else encoder.transform(X)


def validation_data(estimator, data):
    """Validate and encode ``(X, y[, sample_weight])`` like the training data."""
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
        raise ValueError(
            "validation_data must be a tuple (X_val, y_val) or "
            "(X_val, y_val, sample_weight_val) of arrays."
        )
    X = check.check_X(estimator, data[0], reset=False)
    y = data[1]
    if getattr(estimator, "outputs", None) is not None:
        y = _outputs.select(estimator, y)
    y = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    if len(y) != X.shape[0]:
        raise ValueError(
            f"validation_data has {X.shape[0]} rows in X but {len(y)} in y; they must match."
        )
    targets = _output_steps.steps(estimator)
    encoded = (encode_features(estimator, X, False), targets._encode_targets(y))
    if len(data) == 3:
        encoded += (check.check_sample_weight(data[2], X.shape[0], "validation sample_weight"),)
    return encoded
