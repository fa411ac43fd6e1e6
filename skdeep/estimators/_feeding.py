"""How the training data reaches ``model.fit``.

Given arrays, Keras' TensorFlow backend opens a new ``tf.data`` iterator for
every epoch, and one more at the end of each epoch that it never uses; each
costs about 10 ms. With a small model and small data, an epoch of training
runs in a few milliseconds (see ``use_whole_epoch_steps``), so those
iterators are most of the fit: 150 epochs on Iris took 5.0 s, of which 3.2 s
were iterators. :func:`fit_data` therefore hands small models one dataset
that repeats epoch after epoch, with the same batches Keras would cut: one
iterator for the whole fit. Everything else gets the arrays as they are.
"""

import keras

from skdeep.estimators._training import is_small_model


def fit_data(model, X, y, sample_weight, options, batch_size, steps_per_epoch):
    """The data arguments of ``model.fit``, merged into its ``options``.

    Parameters
    ----------
    model : keras.Model
        The compiled model (its ``steps_per_execution`` is final).
    X, y : ndarray
        Validated, encoded training data.
    sample_weight : ndarray or None
        Per-row weights.
    options : dict
        The other ``model.fit`` arguments (``batch_size``, ``shuffle``,
        ``validation_split``, ...), not changed.
    batch_size : int
        The batch size the fit uses (``options["batch_size"]`` may be None).
    steps_per_epoch : int
        Batches in one epoch of ``X``.

    Returns
    -------
    dict
        Keyword arguments for ``model.fit``: ``x``, ``y`` and
        ``sample_weight`` with ``options``, or ``x`` as a repeating dataset
        with ``steps_per_epoch`` when that is faster and trains the same way.

    Examples
    --------
    >>> import numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> X, y = np.zeros((5, 2), "float32"), np.zeros(5, "float32")
    >>> options = {"batch_size": 2, "validation_split": 0.2}
    >>> fit_data(model, X, y, None, options, 2, 3)["x"] is X  # Keras splits arrays itself
    True
    """
    arrays = {"x": X, "y": y, "sample_weight": sample_weight, **options}
    if not _repeating_dataset_applies(model, options, batch_size, steps_per_epoch):
        return arrays
    from skdeep.estimators._tensorflow import repeating_dataset

    columns = (X, y) if sample_weight is None else (X, y, sample_weight)
    rest = {
        key: value
        for key, value in options.items()
        if key not in ("batch_size", "shuffle", "validation_split")
    }
    dataset = repeating_dataset(columns, batch_size, shuffle=bool(options.get("shuffle", True)))
    # shuffle=False: the dataset shuffles itself (Keras warns about True).
    return {"x": dataset, "steps_per_epoch": steps_per_epoch, "shuffle": False, **rest}


def _repeating_dataset_applies(model, options, batch_size, steps_per_epoch):
    return (
        keras.backend.backend() == "tensorflow"
        and is_small_model(model, batch_size)
        # Keras splits arrays itself; these options need arrays or change epochs.
        and not options.get("validation_split")
        and not options.get("steps_per_epoch")
        and options.get("class_weight") is None
        and options.get("shuffle", True) in (True, False)
        # Every compiled call must end on an epoch boundary.
        and steps_per_epoch % (getattr(model, "steps_per_execution", 1) or 1) == 0
    )
