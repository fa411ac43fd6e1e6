"""KerasTransformer: a trained network's layer as features for scikit-learn models."""

import pickle

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline

from skdeep import KerasClassifier, KerasRegressor, KerasTransformer


def _net(**params):
    defaults = dict(model="mlp", hidden_layer_sizes=(16, 8), epochs=30, batch_size=16)
    return KerasClassifier(**{**defaults, "learning_rate": 0.01, "random_state": 0, **params})


def test_transform_returns_the_activations_of_the_layer_before_the_output(iris):
    X, y = iris
    features = KerasTransformer(_net()).fit(X, y)
    model = features.estimator_.model_
    expected = keras.Model(model.inputs, model.layers[-2].output).predict(X, verbose=0)
    np.testing.assert_allclose(features.transform(X), expected, atol=1e-5)
    assert features.n_features_out_ == 8 and features.get_feature_names_out().shape == (8,)


def _named(meta):
    return keras.Sequential(
        [
            keras.Input(meta["input_shape_"]),
            keras.layers.Dense(16, activation="relu", name="hidden"),
            keras.layers.Dense(3, activation="relu", name="embedding"),
            keras.layers.Dense(meta["output_units_"], activation=meta["output_activation_"]),
        ]
    )


def test_a_layer_chosen_by_name_or_index(iris):
    X, y = iris
    network = KerasClassifier(_named, epochs=2, random_state=0)
    assert KerasTransformer(network, layer="hidden").fit(X, y).transform(X).shape == (150, 16)
    assert KerasTransformer(network, layer=1).fit(X, y).transform(X).shape == (150, 3)
    with pytest.raises(ValueError, match="no layer 'nope'; its layers"):
        KerasTransformer(network, layer="nope").fit(X, y)


def test_the_features_feed_a_scikit_learn_model_through_cross_validation_and_search(iris):
    X, y = iris
    pipe = make_pipeline(KerasTransformer(_net()), LogisticRegression())
    assert cross_val_score(pipe, X, y, cv=3).mean() > 0.8  # chance: 0.33
    search = GridSearchCV(pipe, {"kerastransformer__layer": [1, None]}, cv=2).fit(X, y)
    assert search.best_params_["kerastransformer__layer"] in (1, None)


def test_a_frozen_pretrained_network_is_not_trained_again(iris):
    X, y = iris
    pretrained = _net().fit(X, y)
    weights = [w.copy() for w in pretrained.model_.get_weights()]
    pipe = make_pipeline(KerasTransformer(FrozenEstimator(pretrained)), LogisticRegression())
    pipe.fit(X[:100], y[:100])  # two classes of three: a refit network would change
    for before, after in zip(weights, pretrained.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)
    assert pipe.predict(X).shape == (150,)


def test_a_regressor_network_pickles_with_its_transformer(iris):
    X, _ = iris
    target = X[:, 0] * 2.0
    features = KerasTransformer(KerasRegressor("mlp", epochs=2, random_state=0)).fit(X, target)
    again = pickle.loads(pickle.dumps(features))
    np.testing.assert_allclose(again.transform(X), features.transform(X), atol=1e-6)
    assert clone(features).get_params()["layer"] is None
