"""Fitting from a keras.utils.PyDataset: batches that never sit in memory together."""

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier, KerasRegressor


class Batches(keras.utils.PyDataset):
    """Batches made on request, as a reader of files on disk would make them."""

    def __init__(self, X, y, batch_size=16, weights=None):
        super().__init__()
        self.X, self.y, self.batch_size, self.weights = X, y, batch_size, weights
        self.requested = []

    def __len__(self):
        return -(-len(self.y) // self.batch_size)

    def __getitem__(self, index):
        self.requested.append(index)
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        if self.weights is None:
            return self.X[rows], self.y[rows]
        return self.X[rows], self.y[rows], self.weights[rows]


@pytest.fixture(scope="module")
def shuffled_iris(iris_strings):
    X, y = iris_strings
    order = np.random.RandomState(0).permutation(len(y))
    return X[order], y[order]


def test_a_classifier_learns_string_labels_from_batches(shuffled_iris):
    X, y = shuffled_iris
    clf = KerasClassifier("mlp", epochs=30, learning_rate=0.01, random_state=0)
    clf.fit(Batches(X, y))
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]
    assert clf.input_shape_ == (4,) and clf.n_iter_ == 30
    assert clf.score(X, y) > 0.85  # prediction takes arrays as usual


def test_declared_classes_save_the_first_pass(shuffled_iris):
    X, y = shuffled_iris
    batches = Batches(X, y)
    KerasClassifier("mlp", epochs=1).fit(batches, classes=np.unique(y))
    first_pass = Batches(X, y)
    KerasClassifier("mlp", epochs=1).fit(first_pass)
    # One epoch reads every batch once; the first pass reads them once more.
    assert len(first_pass.requested) == len(batches.requested) + len(first_pass)


def test_batches_train_exactly_as_the_same_batches_in_an_array(iris):
    X, y = iris
    target = X[:, 0] * 2.0 + 1.0
    params = dict(model="mlp", epochs=3, batch_size=16, shuffle=False, random_state=0)
    from_batches = KerasRegressor(**params).fit(Batches(X, target))
    from_array = KerasRegressor(**params).fit(X, target)
    np.testing.assert_allclose(from_batches.predict(X), from_array.predict(X), atol=1e-4)


def test_sample_weights_in_the_batches_are_used(iris):
    X, y = iris
    weights = np.where(y == 0, 1.0, 0.0)  # only setosa counts
    clf = KerasClassifier("mlp", epochs=5, random_state=0).fit(Batches(X, y, weights=weights))
    assert set(clf.predict(X)) <= {0, 1, 2}
    with pytest.raises(ValueError, match="sample_weight must be numbers|has shape"):
        KerasClassifier("mlp").fit(Batches(X, y, weights=np.ones(3)))


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda X, y: ((Batches(X, y),), {"validation_fraction": 0.2}), "validation_fraction"),
        (lambda X, y: ((Batches(X, y), y), {}), "separate y"),
        (lambda X, y: ((Batches(X, np.where(y == 0, "a", "b")),), {"classes": ["a"]}), "a|b"),
    ],
)
def test_what_a_dataset_cannot_do_gets_a_clear_error(iris, make, message):
    X, y = iris
    (args, params) = make(X, y)
    classes = params.pop("classes", None)
    clf = KerasClassifier("mlp", epochs=1, **params)
    with pytest.raises(ValueError, match=message):
        clf.fit(*args, **({"classes": classes} if classes is not None else {}))
    assert not hasattr(clf, "model_")  # the failed fit left nothing behind


def test_a_bad_later_batch_raises_its_own_error_and_leaves_the_estimator_unfitted(
    shuffled_iris,
):
    X, y = shuffled_iris
    y = y.copy()
    y[-1] = "rose"  # in the last batch only; the declared classes do not have it
    clf = KerasClassifier("mlp", epochs=2)
    with pytest.raises(ValueError, match="rose"):
        clf.fit(Batches(X, y), classes=["setosa", "versicolor", "virginica"])
    assert not hasattr(clf, "model_") and not hasattr(clf, "classes_")


# ----------------------------------------------------------------------
# tf.data.Dataset (TensorFlow must be installed; any backend)
# ----------------------------------------------------------------------
def test_a_tf_data_dataset_trains_exactly_as_the_same_batches_in_an_array(iris):
    tf = pytest.importorskip("tensorflow")
    X, y = iris
    target = X[:, 0] * 2.0 + 1.0
    params = dict(model="mlp", epochs=3, batch_size=16, shuffle=False, random_state=0)
    dataset = tf.data.Dataset.from_tensor_slices((X, target)).batch(16)
    from_dataset = KerasRegressor(**params).fit(dataset)
    from_array = KerasRegressor(**params).fit(X, target)
    np.testing.assert_allclose(from_dataset.predict(X), from_array.predict(X), atol=1e-4)


def test_a_shuffled_tf_data_dataset_of_string_labels_with_unknown_length(shuffled_iris):
    tf = pytest.importorskip("tensorflow")
    X, y = shuffled_iris
    rows = tf.data.Dataset.from_tensor_slices((X, y)).shuffle(150, seed=0)
    dataset = rows.filter(lambda features, label: True).batch(16)  # length unknown
    assert int(dataset.cardinality()) < 0
    clf = KerasClassifier("mlp", epochs=30, learning_rate=0.01, random_state=0).fit(dataset)
    assert list(clf.classes_) == ["setosa", "versicolor", "virginica"]  # str, as in arrays
    assert clf.score(X, y) > 0.85


def test_an_endless_tf_data_dataset_is_refused(iris):
    tf = pytest.importorskip("tensorflow")
    X, y = iris
    endless = tf.data.Dataset.from_tensor_slices((X, y)).batch(16).repeat()
    with pytest.raises(ValueError, match="infinite tf.data.Dataset"):
        KerasClassifier("mlp").fit(endless)
