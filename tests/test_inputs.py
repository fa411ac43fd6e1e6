"""Inputs: arrays, DataFrames, N-d images, and clear errors on bad data."""

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier, KerasRegressor
from skdeep.datasets import load_pima
from tests.builders import mlp
from tests.conftest import fast_classifier


@pytest.fixture(scope="module")
def pima_frame():
    X, y = load_pima(return_X_y=True, as_frame=True)
    return (X - X.mean()) / X.std(), y


@pytest.fixture(scope="module")
def fitted_on_frame(pima_frame):
    X, y = pima_frame
    return fast_classifier(epochs=3).fit(X, y)


def test_dataframe_feature_names_are_recorded_and_checked(fitted_on_frame, pima_frame):
    X, _ = pima_frame
    assert list(fitted_on_frame.feature_names_in_) == list(X.columns)
    assert fitted_on_frame.predict(X).shape == (768,)
    with pytest.raises(ValueError, match="feature names"):
        fitted_on_frame.predict(X[X.columns[::-1]])
    with pytest.raises(ValueError, match="feature names"):
        fitted_on_frame.predict(X.rename(columns={"age": "years"}))


def test_feature_count_mismatch_names_both(fitted_on_frame, pima_frame):
    X, _ = pima_frame
    with pytest.raises(ValueError, match="7 features.*expecting 8"):
        fitted_on_frame.predict(X.to_numpy()[:, :7])


def test_one_row_predictions_are_two_dimensional_probabilities(fitted_on_frame, pima_frame):
    X, _ = pima_frame
    proba = fitted_on_frame.predict_proba(X.iloc[:1])
    assert proba.shape == (1, 2)
    np.testing.assert_allclose(proba.sum(), 1.0)


def test_float64_input_after_float32_fit(iris):
    X, y = iris
    clf = fast_classifier(epochs=2).fit(X.astype("float32"), y)
    np.testing.assert_array_equal(clf.predict(X.astype("float64")), clf.predict(X))


def test_images_in_n_dimensions_and_per_sample_shape_check():
    rng = np.random.RandomState(0)
    X = rng.rand(60, 6, 6, 1).astype("float32")
    y = (X[:, :3].mean(axis=(1, 2, 3)) > X[:, 3:].mean(axis=(1, 2, 3))).astype(int)

    def conv(meta):
        return keras.Sequential(
            [
                keras.Input(meta["input_shape_"]),
                keras.layers.Conv2D(4, 3, activation="relu"),
                keras.layers.Flatten(),
                keras.layers.Dense(1, activation="sigmoid"),
            ]
        )

    clf = KerasClassifier(conv, epochs=2, random_state=0).fit(X, y)
    assert clf.input_shape_ == (6, 6, 1)
    assert clf.predict(X[:3]).shape == (3,)
    with pytest.raises(
        ValueError,
        match=r"samples of shape \(6, 6\).*fitted on samples of shape \(6, 6, 1\)",
    ):
        clf.predict(X[:3, :, :, 0])


def test_sequences_for_a_regressor():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(80, 5, 2)).astype("float32")
    y = X[:, :, 0].sum(axis=1)

    def recurrent(meta):
        return keras.Sequential(
            [
                keras.Input(meta["input_shape_"]),
                keras.layers.SimpleRNN(4),
                keras.layers.Dense(1),
            ]
        )

    reg = KerasRegressor(recurrent, epochs=2, random_state=0).fit(X, y)
    assert reg.predict(X).shape == (80,)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("nan", "Input X contains NaN"),
        ("inf", "Input X contains infinity"),
        ("empty", "0 sample"),
        ("short_y", "inconsistent numbers of samples"),
        ("1d", "Expected 2D array"),
    ],
)
def test_bad_training_data_is_rejected_with_a_clear_message(iris, bad, message):
    X, y = iris
    X = X.copy()
    if bad == "nan":
        X[3, 1] = np.nan
    elif bad == "inf":
        X[0, 0] = np.inf
    elif bad == "empty":
        X, y = X[:0], y[:0]
    elif bad == "short_y":
        y = y[:-1]
    elif bad == "1d":
        X = X[:, 0]
    with pytest.raises(ValueError, match=message):
        KerasClassifier(mlp).fit(X, y)


def test_sample_weight_of_the_wrong_length(iris):
    X, y = iris
    with pytest.raises(ValueError, match=r"sample_weight has shape \(3,\); expected \(150,\)"):
        KerasClassifier(mlp).fit(X, y, sample_weight=[1, 2, 3])


def test_predict_before_fit_is_not_fitted_error(iris):
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        KerasClassifier(mlp).predict(iris[0])
