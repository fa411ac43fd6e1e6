"""``validation_fraction``: a shuffled (and, for classifiers, stratified) validation holdout.

Keras' ``validation_split`` takes the *last* rows of the data, unshuffled:
sorted data then validates on one class only. ``validation_fraction`` draws
the holdout at random from ``random_state``, stratified by class for
classifiers when every class has at least two samples, as scikit-learn's
``MLPClassifier(early_stopping=True)`` does.
"""

import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state


def split(estimator, X, y, weights):
    """``X, y, weights`` for training and ``(X_val, y_val[, w_val])`` held out.

    Examples
    --------
    >>> from skdeep import KerasClassifier
    >>> est = KerasClassifier(validation_fraction=0.25, random_state=0)
    >>> X, y = np.arange(16.0).reshape(8, 2), np.array([0, 1] * 4)
    >>> X_fit, y_fit, _, (X_val, y_val) = split(est, X, y, None)
    >>> len(y_fit), sorted(y_val.tolist())
    (6, [0, 1])
    """
    n_samples = len(y)
    n_validation = int(np.ceil(n_samples * estimator.validation_fraction))
    if n_validation < 1 or n_samples - n_validation < 1:
        raise ValueError(
            f"validation_fraction={estimator.validation_fraction} of {n_samples} samples "
            "leaves no rows for training or for validation. Use more data or another "
            "fraction."
        )
    rows = np.arange(n_samples)
    stratify = _strata(estimator, y, n_validation)
    state = check_random_state(estimator.random_state)
    train, held_out = train_test_split(
        rows, test_size=n_validation, random_state=state, stratify=stratify
    )
    train, held_out = np.sort(train), np.sort(held_out)
    fit_weights = None if weights is None else weights[train]
    validation = (X[held_out], y[held_out])
    if weights is not None:
        validation += (weights[held_out],)
    return X[train], y[train], fit_weights, validation


def _strata(estimator, y, n_validation):
    if getattr(estimator, "_y_numeric", True) or np.ndim(y) != 1:
        return None
    _, counts = np.unique(y, return_counts=True)
    if counts.min() < 2 or n_validation < len(counts):
        return None
    return y
