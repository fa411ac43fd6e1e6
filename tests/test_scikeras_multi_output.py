"""scikeras' documented multi-output classifier, written as its users write it (only the import).

A ``KerasClassifier`` subclass whose ``target_encoder`` splits a 2-column
``y`` (a binary and a multiclass label) into the two outputs of its model.
"""

import keras
import numpy as np
import pytest
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.datasets import make_classification
from sklearn.preprocessing import LabelEncoder

from skdeep.wrappers import KerasClassifier


class MultiOutputTransformer(BaseEstimator, TransformerMixin):
    def fit(self, y):
        self.bin_encoder_ = LabelEncoder().fit(y[:, 0])
        self.cat_encoder_ = LabelEncoder().fit(y[:, 1])
        self.n_classes_ = [len(self.bin_encoder_.classes_), len(self.cat_encoder_.classes_)]
        self.n_outputs_expected_ = 2
        return self

    def transform(self, y):
        return [self.bin_encoder_.transform(y[:, 0]), self.cat_encoder_.transform(y[:, 1])]

    def inverse_transform(self, y, return_proba=False):
        if return_proba:
            return np.column_stack(y)
        binary = self.bin_encoder_.inverse_transform((y[0] > 0.5).astype(int).reshape(-1))
        multi = self.cat_encoder_.inverse_transform(np.argmax(y[1], axis=1))
        return np.column_stack([binary, multi])

    def get_metadata(self):
        return {"n_classes_": self.n_classes_, "n_outputs_expected_": self.n_outputs_expected_}


class MultiOutputClassifier(KerasClassifier):
    def _keras_build_fn(self, compile_kwargs):
        inputs = keras.Input((self.n_features_in_,))
        hidden = keras.layers.Dense(32, activation="relu")(inputs)
        binary = keras.layers.Dense(1, activation="sigmoid", name="binary")(hidden)
        multi = keras.layers.Dense(self.n_classes_[1], activation="softmax", name="multi")(hidden)
        model = keras.Model(inputs, [binary, multi])
        model.compile(
            loss=["binary_crossentropy", "sparse_categorical_crossentropy"],
            optimizer=compile_kwargs["optimizer"],
        )
        return model

    @property
    def target_encoder(self):
        return MultiOutputTransformer()

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        return np.mean([np.mean(y_true[:, i] == y_pred[:, i]) for i in range(y_true.shape[1])])


def _data():
    X, multi = make_classification(
        n_samples=300, n_features=8, n_informative=5, n_classes=3, random_state=0
    )
    binary = (X[:, 0] > 1.0).astype(int)  # about one in six: unbalanced
    return X, np.column_stack([binary, multi])


def _fit(**params):
    X, y = _data()
    clf = MultiOutputClassifier(epochs=20, random_state=0, verbose=0, **params)
    return clf.fit(X, y), X, y


def test_the_subclass_trains_predicts_and_scores_both_outputs():
    clf, X, y = _fit()
    assert clf.predict(X).shape == (300, 2)
    assert clf.score(X, y) > 0.6


def test_class_weight_applies_per_output_as_scikeras_does():
    balanced, X, y = _fit(class_weight="balanced")
    plain, _, _ = _fit()
    # the rare positive class of the first output is predicted more often when balanced
    assert balanced.predict(X)[:, 0].sum() > plain.predict(X)[:, 0].sum()
    # one dict per output is scikit-learn's form for several outputs
    per_output = [{0: 1.0, 1: 5.0}, {0: 1.0, 1: 1.0, 2: 1.0}]
    assert _fit(class_weight=per_output)[0].predict(X).shape == (300, 2)


def test_a_class_weight_that_does_not_fit_the_outputs_says_what_to_give():
    with pytest.raises(ValueError, match="one dict of .label: weight. per column"):
        _fit(class_weight={0: 1.0, 1: 5.0})


def test_a_subclass_scorer_is_what_score_returns():
    # scikeras' hook: score() is the subclass's scorer (it was accuracy over the 2-D y).
    clf, X, y = _fit()
    expected = MultiOutputClassifier.scorer(y, clf.predict(X))
    assert clf.score(X, y) == pytest.approx(expected)

    from skdeep.wrappers import KerasRegressor

    class NegatedMSE(KerasRegressor):
        @staticmethod
        def scorer(y_true, y_pred, **kwargs):
            return -float(np.mean((y_true - y_pred) ** 2))

    reg = NegatedMSE(model="mlp", hidden_layer_sizes=(4,), epochs=2, random_state=0)
    values = X[:, 0]
    reg.fit(X, values)
    assert reg.score(X, values) == pytest.approx(-np.mean((values - reg.predict(X)) ** 2))


def test_a_list_of_class_weights_for_one_column_of_labels_is_refused_clearly():
    X, y = _data()
    clf = KerasClassifier(model="mlp", epochs=1, class_weight=[{0: 1.0, 1: 2.0}])
    with pytest.raises(ValueError, match="one dict per output.*one column of labels"):
        clf.fit(X, y[:, 0])
