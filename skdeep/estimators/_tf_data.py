"""Fitting from a ``tf.data.Dataset`` of batches, through the ``PyDataset`` path.

A ``tf.data.Dataset`` yielding ``(X, y)`` or ``(X, y, sample_weight)``
batches becomes a :class:`DatasetBatches`, a ``keras.utils.PyDataset``
that reads the dataset in order, once per epoch (so a dataset built with
``shuffle(..., reshuffle_each_iteration=True)`` is reshuffled every
epoch, by TensorFlow). Each batch is then checked and encoded as every
``PyDataset`` batch is; TensorFlow's strings (bytes) become Python strings,
decoded as UTF-8, so string labels are the same as in arrays. TensorFlow
is only touched when the user passed a dataset, so on JAX it works
wherever TensorFlow is installed.
"""

import sys

import keras
import numpy as np


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
