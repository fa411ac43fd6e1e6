"""Target encoders a subclass supplies (scikeras' ``target_encoder`` hook).

A subclass may override the ``target_encoder`` property to return its own
unfitted transformer: ``fit(y)``, ``transform(y)`` giving what the model
trains on (a list or dict of arrays for several outputs),
``inverse_transform(outputs)`` giving predictions (classifiers also call
``inverse_transform(outputs, return_proba=True)`` for probabilities) and,
optionally, ``get_metadata()``, whose entries become estimator attributes
and ``meta`` keys. The built-in encoders are used otherwise.
"""

import numpy as np


def fit_custom(estimator, encoder, y):
    """Fit a user's target encoder and take its metadata."""
    estimator.target_encoder_ = encoder.fit(y)
    vars(estimator).update(getattr(encoder, "get_metadata", dict)())


def check_shape(estimator, y):
    """Continued training (``partial_fit``, ``warm_start``) needs ``y`` shaped as in the first fit.

    Examples
    --------
    >>> class Fitted:
    ...     y_shape_ = (10, 2)
    >>> check_shape(Fitted(), np.zeros((4, 3)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: y has 3 column(s) per sample, but ... fitted on y with 2 column(s). ...
    """
    fitted = tuple(getattr(estimator, "y_shape_", ()) or ())
    shape = np.shape(y)
    if not fitted or tuple(shape[1:]) == fitted[1:]:
        return
    if len(shape) != len(fitted):
        raise ValueError(
            f"y has {len(shape)} dimensions, but the model was first fitted on y with "
            f"{len(fitted)}. Continued training (partial_fit, warm_start) needs targets of "
            "the same shape; call fit with warm_start=False to start over."
        )
    columns = lambda s: s[1] if len(s) > 1 else 1  # noqa: E731
    raise ValueError(
        f"y has {columns(shape)} column(s) per sample, but the model was first fitted on y "
        f"with {columns(fitted)} column(s). Continued training (partial_fit, warm_start) "
        "needs targets of the same shape; call fit with warm_start=False to start over."
    )


def expected_outputs(estimator, model):
    """Check the number of model outputs a custom encoder declared (``n_outputs_expected_``)."""
    expected = getattr(estimator, "n_outputs_expected_", None)
    outputs = getattr(model, "outputs", None)
    if expected and outputs is not None and len(outputs) != expected:
        raise ValueError(
            f"The target encoder expects a model with {expected} output(s), but the model "
            f"has {len(outputs)}. Make the builder's outputs match what target_encoder "
            "produces."
        )
