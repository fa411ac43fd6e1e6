"""Classifier and regressor targets: labels in, the same labels out."""

import keras
import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_multilabel_classification

from skdeep import KerasClassifier, KerasRegressor
from tests.builders import mlp
from tests.conftest import fast_classifier


def test_string_labels_come_back_as_strings_with_probabilities(fitted_iris, iris_strings):
    X, y = iris_strings
    assert list(fitted_iris.classes_) == ["setosa", "versicolor", "virginica"]
    predictions = fitted_iris.predict(X)
    assert set(predictions) <= set(y)
    assert fitted_iris.score(X, y) > 0.85
    proba = fitted_iris.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


@pytest.mark.parametrize(
    "labels",
    [
        np.array([True, False]),
        np.array([-1, 7]),
        pd.Categorical(["no", "yes"]),
    ],
    ids=["bool", "int", "categorical"],
)
def test_binary_labels_of_any_type_round_trip(pima, labels):
    X, y = pima
    target = labels[(y == "pos").astype(int)]
    clf = fast_classifier(epochs=5).fit(
        X, pd.Series(target) if isinstance(labels, pd.Categorical) else target
    )
    predictions = clf.predict(X)
    assert set(np.asarray(predictions).tolist()) <= set(np.asarray(labels).tolist())
    assert clf.predict_proba(X).shape == (len(X), 2)
    assert clf.score(X, np.asarray(target)) > 0.7


def test_binary_with_two_softmax_units(pima):
    X, y = pima

    def two_units(meta):
        return keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])

    clf = KerasClassifier(
        two_units,
        epochs=5,
        optimizer="adam",
        optimizer__learning_rate=0.05,
        random_state=0,
    ).fit(X, y)
    assert clf.model_.loss == "sparse_categorical_crossentropy"
    assert clf.score(X, y) > 0.7


def test_one_hot_targets_with_categorical_crossentropy_as_in_the_iris_tutorial(iris):
    X, y = iris
    one_hot = keras.utils.to_categorical(y)

    def baseline_model():
        model = keras.Sequential(
            [
                keras.Input((4,)),
                keras.layers.Dense(8, activation="relu"),
                keras.layers.Dense(3, activation="softmax"),
            ]
        )
        model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
        return model

    clf = KerasClassifier(build_fn=baseline_model, epochs=60, batch_size=5, random_state=0).fit(
        X, one_hot
    )
    predicted = clf.predict(X)
    assert predicted.shape == (150, 3)
    assert np.all(predicted.sum(axis=1) == 1)  # one-hot in, one-hot out
    assert clf.score(X, one_hot) > 0.85


def test_integer_labels_are_one_hot_encoded_for_a_categorical_loss(iris):
    X, y = iris
    clf = fast_classifier(loss="categorical_crossentropy").fit(X, y)
    assert clf.target_encoder_.form == "one_hot"
    assert clf.score(X, y) > 0.85


def test_multilabel_indicator_targets():
    X, Y = make_multilabel_classification(n_samples=200, n_classes=3, random_state=0)
    clf = fast_classifier(epochs=30).fit(X.astype("float32") / 10, Y)
    assert clf.predict(X / 10).shape == Y.shape
    proba = clf.predict_proba(X / 10)
    assert proba.shape == (200, 3) and proba.min() >= 0 and proba.max() <= 1
    assert clf.score(X / 10, Y) > 0.4  # subset accuracy; chance is about 0.1


def test_logit_outputs_get_from_logits_loss_and_proper_probabilities(iris):
    X, y = iris

    def logits(meta):
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])

    clf = KerasClassifier(
        logits,
        epochs=20,
        optimizer="adam",
        optimizer__learning_rate=0.05,
        random_state=0,
    ).fit(X, y)
    assert clf.model_.loss.get_config()["from_logits"] is True
    proba = clf.predict_proba(X)
    assert proba.min() >= 0 and np.allclose(proba.sum(axis=1), 1)
    assert clf.score(X, y) > 0.8


def test_output_units_that_do_not_fit_the_target_are_explained(iris):
    X, y = iris

    def wrong(meta):
        return keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])

    with pytest.raises(ValueError, match=r"1 unit\(s\), but the target has 3 classes.*Dense\(3"):
        KerasClassifier(wrong).fit(X, y)


def test_class_weight_balanced_and_dict_by_original_label(pima):
    X, y = pima
    sample_weight = np.ones(len(y))
    balanced = fast_classifier(epochs=5, class_weight="balanced").fit(
        X, y, sample_weight=sample_weight
    )
    plain = fast_classifier(epochs=5).fit(X, y)
    assert np.all(sample_weight == 1.0)  # never modified
    positive_rate = lambda clf: np.mean(clf.predict(X) == "pos")  # noqa: E731
    assert positive_rate(balanced) > positive_rate(plain)
    fast_classifier(epochs=1, class_weight={"pos": 2.0, "neg": 1.0}).fit(X, y)
    with pytest.raises(ValueError, match="class_weight has keys \\[1\\]"):
        fast_classifier(epochs=1, class_weight={1: 2.0}).fit(X, y)


def test_sample_weight_changes_the_fit(pima):
    X, y = pima
    weights = np.where(y == "pos", 10.0, 0.1)
    weighted = fast_classifier(epochs=5).fit(X, y, sample_weight=weights)
    assert np.mean(weighted.predict(X) == "pos") > 0.6


def test_single_class_and_unseen_labels_are_errors(iris_strings, fitted_iris):
    X, y = iris_strings
    with pytest.raises(ValueError, match="only one class"):
        fast_classifier().fit(X[:10], y[:10])
    with pytest.raises(ValueError, match=r"labels not seen during fit: \['daisy'\]"):
        fitted_iris.score(X[:2], np.array(["setosa", "daisy"], dtype=object))


def test_continuous_target_to_classifier_points_to_regressor(iris):
    X, _ = iris
    with pytest.raises(ValueError, match="use KerasRegressor"):
        fast_classifier().fit(X, X[:, 0] * 0.37)


def test_regressor_one_and_multi_output_with_r2_score():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(300, 4))
    Y = np.column_stack([X @ [1, 2, 0, -1], X[:, 0] - X[:, 3]])
    params = dict(
        model=mlp,
        hidden=16,
        optimizer="adam",
        optimizer__learning_rate=0.05,
        epochs=30,
        random_state=0,
    )
    single = KerasRegressor(**params).fit(X, Y[:, 0])
    assert single.predict(X).shape == (300,)
    assert single.score(X, Y[:, 0]) > 0.9
    multi = KerasRegressor(**params).fit(X, Y)
    assert multi.predict(X).shape == (300, 2)
    assert multi.n_outputs_ == 2
    assert multi.score(X, Y) > 0.9


def test_regressor_output_units_must_match_targets():
    X = np.random.RandomState(0).normal(size=(20, 3))
    with pytest.raises(ValueError, match="but y has 2 column"):
        KerasRegressor(
            lambda meta: keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        ).fit(X, np.zeros((20, 2)))
