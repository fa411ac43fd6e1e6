"""Fits from batches: a ``keras.utils.PyDataset`` or a ``tf.data.Dataset``.

**Batches.** What a fit learns from a dataset comes from its first batch
(the per-sample shape, the target's kind and width) and, for a classifier,
from the ``classes`` the caller declares, or else from a first pass that
reads every batch's ``y``. Each batch is then checked and encoded as arrays
are, on its way to ``model.fit`` (:class:`EncodedBatches`); validation
batches too. A ``tf.data.Dataset`` is read in its own order, once per epoch
(:class:`DatasetBatches`). Cross-validation and searches split arrays by
rows, which a dataset has not: fit it directly.
"""

import sys
from dataclasses import replace

import keras
import numpy as np
from scipy import sparse
from sklearn.base import is_classifier


def first_pass_classes(dataset):
    """The sorted labels of every batch (reads each batch once)."""
    labels = [np.asarray(_batch(dataset, i)[1]).ravel() for i in range(len(dataset))]
    return np.unique(np.concatenate(labels))


def prepare_batches(estimator, plan):
    """The data of a fit from batches: learned from the first batch, every batch encoded later.

    Returns a :class:`~skdeep._fit.data.Prepared` whose ``X`` is the
    :class:`EncodedBatches` of the dataset (``y`` and ``weights`` None: they
    come in the batches) and whose ``validation`` is encoded batches or
    checked arrays.
    """
    from skdeep._fit import data

    chosen = [name for name in ("inputs", "outputs") if getattr(estimator, name, None) is not None]
    if chosen:
        raise ValueError(
            f"fit got a PyDataset, but {' and '.join(f'{n}=' for n in chosen)} select columns "
            "of a table; a PyDataset's batches must already be in the model's structure (a "
            "dict of arrays per named input or output). Set them to None for this fit."
        )
    if plan.y is not None or plan.sample_weight is not None:
        raise ValueError(
            "fit got a PyDataset and a separate y or sample_weight: the dataset's batches "
            "carry them, as (X, y) or (X, y, sample_weight). Call fit(dataset)."
        )
    unsupported = ["validation_split"] if plan.options.get("validation_split") else []
    if plan.class_weight is not None or getattr(estimator, "class_weight", None) is not None:
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
    dataset = _as_batches(plan.X, "fit")
    first = _batch(dataset, 0)
    classes = plan.classes
    if is_classifier(estimator) and classes is None and not plan.continuing:
        classes = first_pass_classes(dataset)
    first_plan = replace(
        plan, X=first[0], y=first[1], sample_weight=None, validation_data=None, classes=classes
    )
    data.prepare(estimator, first_plan)  # learns the shapes and the targets
    validation = plan.validation_data
    if validation is not None and not is_batches(validation):
        validation = data.validation_data(estimator, validation)
    elif validation is not None:
        validation = EncodedBatches(_as_batches(validation, "validation_data"), estimator)
    return data.Prepared(EncodedBatches(dataset, estimator), None, None, validation)


def is_batches(X):
    """Whether ``X`` is a dataset of batches (a ``PyDataset`` or ``tf.data.Dataset``).

    Examples
    --------
    >>> is_batches(np.zeros((2, 3)))
    False
    """
    return isinstance(X, keras.utils.PyDataset) or is_dataset(X)


def _as_batches(dataset, name):
    if is_dataset(dataset):  # read in its own order, once per epoch
        dataset = DatasetBatches(dataset)
    if len(dataset) < 1:
        raise ValueError(f"The PyDataset of {name} has no batches (len(dataset) == 0).")
    return dataset


def batches_arguments(data, options):
    """``model.fit`` arguments for a fit from batches; each batch checked before training.

    Keras reorders a PyDataset's batches each epoch with ``shuffle=True``;
    rows within a batch stay together (shuffle them in the dataset if
    needed). A ``tf.data.Dataset`` shuffles itself (``Dataset.shuffle``).
    """
    arguments = {k: v for k, v in options.items() if k != "shuffle"}
    tf_data = isinstance(data.X.dataset, DatasetBatches)
    arguments["shuffle"] = False if tf_data else options.get("shuffle", True) is not False
    for batches in (data.X, data.validation):
        if isinstance(batches, EncodedBatches):
            batches.check_first()  # the user's error, before the framework's
    arguments["x"] = data.X
    if data.validation is not None:
        validation = data.validation
        if not isinstance(validation, EncodedBatches):
            X_val, y_val, *weights = validation
            validation = (X_val, data.X.encode_targets(y_val), *weights)
        arguments["validation_data"] = validation
    return arguments


def batch_failure(data):
    """The user's error behind the framework's, when a batch failed its checks."""
    for batches in (data.X, data.validation):
        if getattr(batches, "failure", None) is not None:
            return batches.failure
    return None


class EncodedBatches(keras.utils.PyDataset):
    """The user's batches, each checked and encoded as the estimator encodes arrays.

    Every batch must be like the first: ``(X, y)`` or ``(X, y, sample_weight)``
    throughout, samples of the shape and labels of the kind seen in ``fit``.
    """

    def __init__(self, dataset, estimator):
        super().__init__(
            workers=getattr(dataset, "workers", 1),
            use_multiprocessing=getattr(dataset, "use_multiprocessing", False),
            max_queue_size=getattr(dataset, "max_queue_size", 10),
        )
        self.dataset, self.estimator = dataset, estimator
        self.failure = None
        self._weighted = None  # whether the batches carry sample weights (the first says)

    def __len__(self):
        return len(self.dataset)

    def __getitem__(self, index):
        try:
            return self._encoded(index)
        except Exception as error:
            self.failure = error
            raise

    def check_first(self):
        """Check and encode the first batch now (before training), raising the user's error."""
        self._encoded(0)

    def encode_targets(self, y):
        """Targets in the model's form and structure (for validation arrays)."""
        from skdeep._fit.targets import wrap_targets

        return wrap_targets(
            self.estimator._encode_targets(y), getattr(self.estimator, "_output_wrap", None)
        )

    def _encoded(self, index):
        from skdeep._fit.data import check_sample_weight, check_X_y, encode_features

        X, y, *weights = _batch(self.dataset, index)
        weighted = bool(weights)
        if self._weighted is None:
            self._weighted = weighted
        elif weighted != self._weighted:
            forms = {True: "(X, y, sample_weight)", False: "(X, y)"}
            raise ValueError(
                f"Batch {index} of the PyDataset is {forms[weighted]}, but the first batch "
                f"was {forms[self._weighted]}. Every batch must carry sample weights, "
                "or none (give weight 1.0 to rows without one)."
            )
        estimator = self.estimator
        X_checked, y_checked, _ = check_X_y(estimator, X, y, False, estimator._y_numeric)
        estimator._check_targets(y_checked)
        X_encoded = encode_features(estimator, X_checked, False)
        y_encoded = self.encode_targets(y_checked)
        if weighted:
            rows = X_checked.shape[0]
            weights = check_sample_weight(weights[0], rows, some_positive=False)
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
    if sparse.issparse(batch[1]):
        raise ValueError(
            f"Batch {index} has a sparse y; targets must be dense arrays (labels, values or "
            "an indicator matrix): call y.toarray() in the dataset."
        )
    if np.ndim(batch[1]) == 0:
        raise ValueError(
            f"Batch {index} has a single target value, not one per row: the dataset "
            "yields single samples. Batch it first (tf.data: dataset.batch(32)), so that "
            "each element is (X, y) for many rows."
        )
    return batch


def is_dataset(X):
    """Whether ``X`` is a ``tf.data.Dataset`` (without importing TensorFlow)."""
    tf = sys.modules.get("tensorflow")
    data = getattr(tf, "data", None)
    return data is not None and isinstance(X, data.Dataset)


class DatasetBatches(keras.utils.PyDataset):
    """The batches of a finite ``tf.data.Dataset``, as NumPy arrays, in the dataset's order.

    Keras asks for batches ``0 .. len - 1`` in order when ``shuffle=False``;
    a batch asked for out of order is read by skipping to it, so the
    answer is right, only slower.

    Parameters
    ----------
    dataset : tf.data.Dataset
        Finite; when its length is unknown (after ``filter``, say), one
        pass counts the batches.

    Examples
    --------
    >>> import numpy as np, tensorflow as tf
    >>> rows = tf.data.Dataset.from_tensor_slices((np.arange(5.0), np.arange(5))).batch(2)
    >>> batches = DatasetBatches(rows)
    >>> len(batches), batches[2][0].tolist()
    (3, [4.0])
    """

    def __init__(self, dataset):
        super().__init__()
        tf = sys.modules["tensorflow"]  # imported by whoever made the dataset
        count = int(dataset.cardinality())
        if count == int(tf.data.INFINITE_CARDINALITY):
            raise ValueError(
                "fit got an infinite tf.data.Dataset (repeat() without a count): an epoch "
                "must end. Remove repeat(), or take(n) batches per epoch."
            )
        if count < 0:  # unknown: count the batches once
            count = int(dataset.reduce(0, lambda n, _: n + 1))
        self.dataset, self.count = dataset, count
        self._iterator, self._next = None, None

    def __len__(self):
        return self.count

    def __getitem__(self, index):
        if index >= self.count or index < 0:
            raise IndexError(f"batch {index} of a dataset of {self.count} batches")
        if self._iterator is None or index != self._next:
            self._iterator = iter(self.dataset.skip(index) if index else self.dataset)
        batch = next(self._iterator)
        self._next = index + 1
        if isinstance(batch, (tuple, list)):
            batch = tuple(batch)
        return keras.tree.map_structure(_as_numpy, batch)


def _as_numpy(tensor):
    """A tensor as a NumPy array; TensorFlow strings (bytes) as Python strings (UTF-8)."""
    array = tensor.numpy()
    if array.dtype.kind in "OS" and array.size and isinstance(array.flat[0], bytes):
        return np.char.decode(array.astype(bytes), "utf-8").astype(object)
    return array
