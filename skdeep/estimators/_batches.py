"""Fitting from a ``keras.utils.PyDataset``: data that does not fit in memory.

A ``tf.data.Dataset`` of batches is read through the same path
(:mod:`~skdeep.estimators._tf_data`).

The dataset yields ``(X, y)`` or ``(X, y, sample_weight)`` batches. What a
fit learns from the data comes from its first batch (the per-sample shape,
the target's kind and width) and, for a classifier, from the ``classes``
the caller declares, or else from a first pass that reads every batch's
``y``. Each batch is then checked and encoded as arrays are (features
through the feature encoder, labels to the model's form) on its way to
``model.fit``. Cross-validation and searches split arrays by rows, which
a dataset has not: fit it directly. With ``shuffle=True`` Keras reorders
the batches every epoch, keeping each batch's rows together.
"""

import keras
import numpy as np
from sklearn.base import is_classifier

from skdeep import _config
from skdeep.estimators import _model_source as source
from skdeep.estimators import _tf_data, _training
from skdeep.estimators import _validation as check
from skdeep.estimators._params import fit_options
from skdeep.estimators._seeding import seed_from_random_state, seeded


def is_batches(X):
    """Whether ``X`` is a dataset of batches (a ``PyDataset`` or ``tf.data.Dataset``).

    Examples
    --------
    >>> is_batches(np.zeros((2, 3)))
    False
    """
    return isinstance(X, keras.utils.PyDataset) or _tf_data.is_dataset(X)


def first_pass_classes(dataset):
    """The sorted labels of every batch (reads each batch once)."""
    labels = [np.asarray(_batch(dataset, i)[1]).ravel() for i in range(len(dataset))]
    return np.unique(np.concatenate(labels))


def fit_estimator(estimator, dataset, y, sample_weight, call_options, epochs):
    """``estimator.fit(dataset)``: a fresh fit, atomic and seeded as every fit is.

    Parameters
    ----------
    estimator : BaseKerasEstimator
        The estimator being fitted.
    dataset : keras.utils.PyDataset or tf.data.Dataset
        The batches.
    y, sample_weight : None
        They come in the batches; anything else is an error.
    call_options : dict
        Keyword arguments of this ``fit`` call (``classes=`` declares a
        classifier's classes and saves the first pass).
    epochs : int
        Epochs to train.

    Returns
    -------
    estimator
        The fitted estimator.
    """
    chosen = [name for name in ("inputs", "outputs") if getattr(estimator, name, None) is not None]
    if chosen:
        raise ValueError(
            f"fit got a PyDataset, but {' and '.join(f'{n}=' for n in chosen)} select columns "
            "of a table; a PyDataset's batches must already be in the model's structure (a "
            "dict of arrays per named input or output). Set them to None for this fit."
        )
    if y is not None or sample_weight is not None:
        raise ValueError(
            "fit got a PyDataset and a separate y or sample_weight: the dataset's batches "
            "carry them, as (X, y) or (X, y, sample_weight). Call fit(dataset)."
        )
    if _tf_data.is_dataset(dataset):  # read in its own order, once per epoch
        dataset = _tf_data.DatasetBatches(dataset)
    call_options = dict(call_options)
    classes = call_options.pop("classes", None)
    if isinstance(epochs, bool) or not isinstance(epochs, int) or epochs < 1:
        raise ValueError(f"Invalid epochs={epochs!r}: expected a positive integer.")
    options = fit_options(estimator, call_options)
    seed = seed_from_random_state(estimator.random_state)
    with _training.atomic(estimator, None), seeded(seed):
        fit(estimator, dataset, classes, options, epochs, seed)
    return estimator


def fit(estimator, dataset, classes, options, epochs, seed):
    """Build the model from the first batch and train it on every batch.

    Parameters
    ----------
    estimator : BaseKerasEstimator
        Learns its fitted attributes here (inside the caller's atomic block).
    dataset : keras.utils.PyDataset
        The batches.
    classes : array-like or None
        The classes of a classifier; None reads them in a first pass.
    options : dict
        The fit options (``fit_options``).
    epochs : int
        Epochs to train.
    seed : int or None
        Seed of the fit.
    """
    unsupported = sorted(key for key in ("validation_split", "class_weight") if options.get(key))
    if getattr(estimator, "class_weight", None) is not None:
        unsupported.append("class_weight")
    if estimator.validation_fraction is not None:
        unsupported.append("validation_fraction")
    if unsupported:
        raise ValueError(
            f"{', '.join(sorted(set(unsupported)))} cannot be used when fitting from a "
            "PyDataset: a split needs rows, and class weights need every label up front. "
            "Pass validation_data= (a PyDataset, a tf.data.Dataset or arrays), and put "
            "per-sample weights in the batches as (X, y, sample_weight)."
        )
    if estimator.backup_dir is not None:
        raise ValueError(
            "backup_dir cannot be used when fitting from a PyDataset or tf.data.Dataset: a "
            "resumed fit must see the batches the uninterrupted one would have, and skdeep "
            "does not control the order of your batches. Fit on arrays to resume, or use "
            "checkpoint_path to keep the model of every epoch."
        )
    if len(dataset) < 1:
        raise ValueError("The PyDataset has no batches (len(dataset) == 0).")
    validation_source = options.pop("validation_data", None)  # batches or arrays
    first = _batch(dataset, 0)
    if is_classifier(estimator) and classes is None:
        classes = first_pass_classes(dataset)
    with _config.config_context(fast_feeding=False):
        data = estimator._prepare(first[0], first[1], None, options, True, classes)
        estimator._build(data, options)
    model = estimator.model_
    callbacks = _training.fit_callbacks(estimator, options, {}, seed)
    rest = {k: v for k, v in options.items() if k not in ("batch_size", "shuffle")}
    # Keras reorders a PyDataset's batches each epoch with shuffle=True; rows
    # within a batch stay together (shuffle them in the dataset if needed).
    rest["shuffle"] = options.get("shuffle", True) is not False
    if isinstance(dataset, _tf_data.DatasetBatches):
        rest["shuffle"] = False  # tf.data shuffles itself (Dataset.shuffle)
    encoded = EncodedBatches(dataset, estimator)
    encoded[0]  # the first batch's weights and encoding are checked before training
    validation = _validation_batches(estimator, validation_source)
    if validation is not None:
        rest["validation_data"] = validation
    with _training.retracing_warning_hidden(), _training.traced_graphs_freed_with(model):
        try:
            history = model.fit(encoded, epochs=epochs, **{**rest, "callbacks": callbacks})
        except Exception:
            for batches in (encoded, validation):  # the framework wraps it: the user's error
                if getattr(batches, "failure", None) is not None:
                    raise batches.failure from None
            raise
    _training.record_training(estimator, model, history, {}, epochs, callbacks)


def _validation_batches(estimator, data):
    """Validation data for a fit from batches: batches checked and encoded as the training
    batches are, or ``(X, y[, sample_weight])`` arrays validated as a fit on arrays does."""
    if data is None:
        return None
    if is_batches(data):
        if _tf_data.is_dataset(data):
            data = _tf_data.DatasetBatches(data)
        if len(data) < 1:
            raise ValueError("validation_data is a PyDataset without batches (len == 0).")
        batches = EncodedBatches(data, estimator)
        batches[0]  # checked before training, as the training batches are
        return batches
    from skdeep.estimators._data import validation_data

    X, y, *weights = validation_data(estimator, data)
    return (X, source.wrap_targets(y, getattr(estimator, "_output_wrap", None)), *weights)


class EncodedBatches(keras.utils.PyDataset):
    """The user's batches, each checked and encoded as the estimator encodes arrays."""

    def __init__(self, dataset, estimator):
        super().__init__(
            workers=getattr(dataset, "workers", 1),
            use_multiprocessing=getattr(dataset, "use_multiprocessing", False),
            max_queue_size=getattr(dataset, "max_queue_size", 10),
        )
        self.dataset, self.estimator = dataset, estimator
        self.failure = None

    def __len__(self):
        return len(self.dataset)

    def __getitem__(self, index):
        try:
            return self._encoded(index)
        except Exception as error:
            self.failure = error
            raise

    def _encoded(self, index):
        X, y, *weights = _batch(self.dataset, index)
        estimator = self.estimator
        X_checked, y_checked, _ = check.check_X_y(estimator, X, y, False, estimator._y_numeric)
        estimator._check_targets(y_checked)
        X_encoded = estimator._encode_features(X_checked, False)
        wrap = getattr(estimator, "_output_wrap", None)
        y_encoded = source.wrap_targets(estimator._encode_targets(y_checked), wrap)
        if weights:
            rows = X_checked.shape[0]
            weights = check.check_sample_weight(weights[0], rows, some_positive=False)
            return X_encoded, y_encoded, weights
        return X_encoded, y_encoded

    def on_epoch_end(self):
        """Pass the end of an epoch on to the user's dataset (it may reshuffle)."""
        self.dataset.on_epoch_end()


def _batch(dataset, index):
    batch = dataset[index]
    if not isinstance(batch, (tuple, list)) or len(batch) not in (2, 3):
        raise ValueError(
            "A PyDataset for fit must yield (X, y) or (X, y, sample_weight) batches; "
            f"batch {index} is a {type(batch).__name__}"
            + (f" of {len(batch)}" if isinstance(batch, (tuple, list)) else "")
            + "."
        )
    return batch
