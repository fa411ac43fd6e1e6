"""Persistence: pickle, joblib, deepcopy and parallel search with any builder."""

import copy
import pickle
import subprocess
import sys
import textwrap

import joblib
import keras
import numpy as np
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier, KerasRegressor
from tests.builders import mlp
from tests.conftest import fast_classifier


def test_pickle_and_deepcopy_give_identical_predictions(fitted_iris, iris_strings):
    X, _ = iris_strings
    expected = fitted_iris.predict_proba(X)
    for restored in (
        pickle.loads(pickle.dumps(fitted_iris)),
        copy.deepcopy(fitted_iris),
    ):
        np.testing.assert_array_equal(restored.predict_proba(X), expected)
        assert restored.model_ is not fitted_iris.model_
        assert list(restored.classes_) == list(fitted_iris.classes_)


def test_joblib_round_trip_of_a_fitted_pipeline(tmp_path, pima):
    X, y = pima
    pipe = make_pipeline(StandardScaler(), fast_classifier(epochs=2)).fit(X, y)
    joblib.dump(pipe, tmp_path / "m.joblib")
    loaded = joblib.load(tmp_path / "m.joblib")
    np.testing.assert_array_equal(loaded.predict(X), pipe.predict(X))


def test_restored_estimator_can_continue_training(fitted_iris, iris_strings):
    X, y = iris_strings
    restored = pickle.loads(pickle.dumps(fitted_iris))
    restored.set_params(warm_start=True, epochs=1).fit(X, y)
    assert restored.n_iter_ == fitted_iris.n_iter_ + 1


def test_unfitted_estimator_with_a_local_builder_pickles_by_value(iris):
    def local_builder(meta):
        return mlp(meta, hidden=5)

    clf = pickle.loads(pickle.dumps(KerasClassifier(local_builder, epochs=1)))
    X, y = iris
    assert clf.fit(X, y).model_.layers[-2].units == 5


class Scale(keras.layers.Layer):
    """A custom layer that is not registered with Keras."""

    def __init__(self, scale, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, x):
        return x * self.scale


class Unrebuildable(keras.layers.Layer):
    """A custom layer whose constructor argument cannot be saved."""

    def __init__(self, handle):
        super().__init__()
        self.handle = handle

    def call(self, x):
        return x


def test_a_model_with_an_unregistered_custom_layer_pickles(iris):
    X, y = iris

    def builder(meta):
        return keras.Sequential(
            [keras.Input((4,)), Scale(2.0), keras.layers.Dense(3, activation="softmax")]
        )

    clf = KerasClassifier(builder, epochs=1).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))


def test_a_model_that_cannot_be_restored_fails_when_saving(iris):
    X, y = iris

    def builder(meta):
        return keras.Sequential(
            [
                keras.Input((4,)),
                Unrebuildable(object()),
                keras.layers.Dense(3, activation="softmax"),
            ]
        )

    clf = KerasClassifier(builder).fit(X, y)
    with pytest.raises(TypeError, match="cannot be saved and restored"):
        pickle.dumps(clf)


def test_regressor_round_trip():
    X = np.random.RandomState(0).normal(size=(50, 3))
    reg = KerasRegressor(mlp, epochs=2, random_state=0).fit(X, X[:, 0])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(reg)).predict(X), reg.predict(X))


def test_builder_defined_in_main_works_with_parallel_grid_search(tmp_path):
    script = tmp_path / "search.py"
    script.write_text(
        textwrap.dedent("""
        import keras
        from sklearn.datasets import load_iris
        from sklearn.model_selection import GridSearchCV
        from skdeep import KerasClassifier

        def create_model(meta, hidden=4):
            return keras.Sequential([
                keras.Input(meta["input_shape_"]),
                keras.layers.Dense(hidden, activation="relu"),
                keras.layers.Dense(meta["n_classes_"], activation="softmax"),
            ])

        if __name__ == "__main__":
            X, y = load_iris(return_X_y=True)
            clf = KerasClassifier(create_model, epochs=2, random_state=0)
            search = GridSearchCV(clf, {"hidden": [2, 4]}, cv=2, n_jobs=2).fit(X, y)
            print("best", search.best_params_["hidden"], search.predict(X[:3]).shape)
    """)
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "best" in result.stdout and "(3,)" in result.stdout


def test_a_fitted_estimator_with_file_holding_callbacks_pickles(iris, tmp_path):
    X, y = iris
    logger = keras.callbacks.CSVLogger(str(tmp_path / "log.csv"))
    clf = fast_classifier(epochs=2, callbacks=[logger]).fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    restored.set_params(warm_start=True).fit(X, y)  # its copy of the logger writes again
    assert (tmp_path / "log.csv").read_text().count("\n") == 3  # header and two epochs


def test_the_pickle_of_an_early_stopped_estimator_holds_the_model_once(iris):
    X, y = iris
    plain = pickle.dumps(fast_classifier(epochs=3).fit(X, y))
    stopped = fast_classifier(
        epochs=3, early_stopping=True, callbacks=[keras.callbacks.EarlyStopping(patience=1)]
    ).fit(X, y)
    assert len(pickle.dumps(stopped)) < 1.5 * len(plain)


def test_a_continuation_after_a_pickle_round_trip_trains_as_in_memory(iris):
    X, y = iris
    kept = fast_classifier(epochs=2, warm_start=True, random_state=3).fit(X, y)
    restored = pickle.loads(pickle.dumps(kept))
    kept.fit(X, y)
    restored.fit(X, y)
    for a, b in zip(kept.model_.get_weights(), restored.model_.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert restored.history_ == kept.history_ and restored.n_iter_ == 4


def test_a_damaged_model_inside_a_pickle_says_so(fitted_iris):
    data = pickle.dumps(fitted_iris)
    start = data.index(b"PK\x03\x04")  # the embedded .keras archive
    damaged = data[: start + 100] + b"\0" * 300 + data[start + 400 :]
    with pytest.raises(ValueError, match="could not be restored.*truncated or damaged"):
        pickle.loads(damaged)
