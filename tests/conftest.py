"""Shared fixtures: small real data sets and fitted estimators reused read-only."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skdeep import KerasClassifier  # noqa: E402
from skdeep.datasets import load_mnist_subset, load_pima  # noqa: E402
from tests.builders import mlp  # noqa: E402
from tests.text_corpus import reviews, to_sequences  # noqa: E402


@pytest.fixture(scope="session")
def iris():
    X, y = load_iris(return_X_y=True)
    return StandardScaler().fit_transform(X).astype("float32"), y


@pytest.fixture(scope="session")
def pima():
    X, y = load_pima(return_X_y=True)
    return StandardScaler().fit_transform(X), y


@pytest.fixture(scope="session")
def mnist():
    """Flat MNIST pixels scaled to [0, 1], and digit labels (1,000 real images)."""
    X, y = load_mnist_subset(return_X_y=True)
    return (X / 255.0).astype("float32"), y


@pytest.fixture(scope="session")
def review_ids():
    """Token ids of the test corpus of reviews, labels and the vocabulary size."""
    texts, y = reviews(600)
    X, vocabulary_size = to_sequences(texts, maxlen=20)
    return X, y, vocabulary_size


@pytest.fixture(scope="session")
def iris_strings(iris):
    X, y = iris
    names = np.array(["setosa", "versicolor", "virginica"], dtype=object)
    return X, names[y]


def fast_classifier(**params):
    """A small, quickly learning classifier for the tests."""
    defaults = dict(
        model=mlp,
        hidden=16,
        optimizer="adam",
        optimizer__learning_rate=0.05,
        epochs=20,
        batch_size=32,
        random_state=0,
    )
    return KerasClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def fitted_iris(iris_strings):
    X, y = iris_strings
    return fast_classifier().fit(X, y)
