"""From a classifier network's raw outputs to class probabilities."""

import numpy as np


def probabilities(raw, logits, indicator):
    """Rows of probabilities from raw outputs of shape (n_samples, units).

    Parameters
    ----------
    raw : ndarray
        The network's outputs, one row per sample.
    logits : bool
        Whether the outputs are logits (the loss was compiled with
        ``from_logits=True``).
    indicator : bool
        Whether each unit is an independent label (multilabel targets).

    Returns
    -------
    ndarray of shape (n_samples, n_classes)
        One column per class; a single sigmoid unit gives two columns.

    Examples
    --------
    >>> probabilities(np.array([[0.0], [2.0]]), logits=True, indicator=False).round(2)
    array([[0.5 , 0.5 ],
           [0.12, 0.88]])
    """
    raw = raw.reshape(len(raw), -1)
    independent = raw.shape[1] == 1 or indicator
    if logits:
        raw = _sigmoid(raw) if independent else _softmax(raw)
    if raw.shape[1] == 1:
        positive = np.clip(raw[:, 0], 0.0, 1.0)
        return np.column_stack([1.0 - positive, positive])
    if independent:
        return np.clip(raw, 0.0, 1.0)
    return raw / raw.sum(axis=1, keepdims=True)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)
