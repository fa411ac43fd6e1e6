"""Who compiles the model, and that no optimizer setting is silently dropped.

The estimator compiles the built-in builders' networks and uncompiled models;
a builder may compile its own. Whichever compiles, every optimizer setting
on the estimator (``optimizer``, ``optimizer__*``, ``learning_rate``,
``momentum``, ``optimizer__decay``) either applies or is an error naming it.
"""

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier


def compiles_with_adam(meta):
    model = keras.Sequential(
        [keras.Input(meta["input_shape_"]), keras.layers.Dense(3, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def legacy(optimizer="adam"):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy")
    return model


def _learning_rate(clf):
    return float(keras.ops.convert_to_numpy(clf.model_.optimizer.learning_rate))


@pytest.mark.parametrize(
    ("settings", "named"),
    [
        (dict(optimizer="sgd", learning_rate=0.3), "optimizer=, learning_rate="),
        (dict(optimizer__learning_rate=0.2), "optimizer__learning_rate="),
        (dict(momentum=0.9), "momentum="),
    ],
)
def test_a_builder_that_compiles_itself_refuses_optimizer_settings_it_would_ignore(
    iris, settings, named
):
    X, y = iris
    clf = KerasClassifier(compiles_with_adam, epochs=1, **settings)
    with pytest.raises(ValueError, match=rf"compiles its own model \(with Adam\), so {named}"):
        clf.fit(X, y)
    assert not clf.initialized_


def test_a_builder_that_compiles_itself_keeps_working_without_optimizer_settings(iris):
    X, y = iris
    clf = KerasClassifier(compiles_with_adam, epochs=1).fit(X, y)
    assert type(clf.model_.optimizer).__name__ == "Adam"


def test_the_estimators_optimizer_settings_reach_a_builders_optimizer_argument(iris):
    X, y = iris
    clf = KerasClassifier(build_fn=legacy, epochs=1, learning_rate=0.3).fit(X, y)
    assert type(clf.model_.optimizer).__name__ == "Adam"  # the builder's default
    np.testing.assert_allclose(_learning_rate(clf), 0.3, rtol=1e-6)
    sgd = keras.optimizers.SGD(learning_rate=0.1)
    clf = KerasClassifier(build_fn=legacy, epochs=1, optimizer=sgd, momentum=0.5).fit(X, y)
    assert clf.model_.optimizer is not sgd and float(clf.model_.optimizer.momentum) == 0.5
    clf.fit(X, y)  # a fresh optimizer each fit: the user's instance is never bound to a model
    assert not sgd.built
