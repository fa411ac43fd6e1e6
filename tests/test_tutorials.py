"""The tutorials' code, as the tutorials write it, with only the import changed.

Each test is one pattern of the classic Keras + scikit-learn tutorials
(Pima with ``build_fn=create_model``, evaluating the trained model,
generators for validation, ``ImageDataGenerator``'s statistics and shear,
time-based learning-rate decay, Keras Tuner's conditional spaces, logging
callbacks passed as instances), with small epochs. Run on TensorFlow and JAX.
"""

import copy
import os
import pickle

import joblib
import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier, KerasRegressor
from skdeep.datasets import load_boston, load_pima
from skdeep.model_selection import from_keras_tuner
from skdeep.preprocessing import ImageStandardizer, ZCAWhitening


@pytest.fixture(scope="module")
def pima01():
    X, y = load_pima(return_X_y=True)
    return X.astype("float32"), (y == "pos").astype(int)


# Function to create model, required for KerasClassifier (as the tutorial writes it)
def create_model(optimizer="adam", init="glorot_uniform"):
    model = keras.Sequential()
    model.add(keras.Input((8,)))
    model.add(keras.layers.Dense(12, kernel_initializer=init, activation="relu"))
    model.add(keras.layers.Dense(8, kernel_initializer=init, activation="relu"))
    model.add(keras.layers.Dense(1, kernel_initializer=init, activation="sigmoid"))
    model.compile(loss="binary_crossentropy", optimizer=optimizer, metrics=["accuracy"])
    return model


def test_a_legacy_builder_keeps_its_own_defaults_in_cross_validation(pima01):
    X, y = pima01
    model = KerasClassifier(build_fn=create_model, epochs=3, batch_size=10, verbose=0)
    kfold = StratifiedKFold(n_splits=3, shuffle=True, random_state=7)
    results = cross_val_score(model, X, y, cv=kfold)
    assert results.shape == (3,) and np.all(results > 0.3)
    fitted = model.fit(X, y)
    assert type(fitted.model_.optimizer).__name__ == "Adam"  # the builder's default
    assert fitted.model_.layers[0].kernel_initializer.__class__.__name__ == "GlorotUniform"


def test_a_grid_over_the_legacy_builders_arguments_reaches_them(pima01):
    X, y = pima01
    model = KerasClassifier(build_fn=create_model, epochs=1, batch_size=64, verbose=0)
    grid = GridSearchCV(model, {"optimizer": ["rmsprop", "sgd"], "init": ["uniform"]}, cv=2)
    grid.fit(X, y)
    assert type(grid.best_estimator_.model_.optimizer).__name__.lower() in ("rmsprop", "sgd")


def _deep_network():
    model = keras.Sequential([keras.Input((10,))])
    for units in (64, 32, 16, 8, 4):
        model.add(keras.layers.Dense(units, activation="relu"))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_the_fitted_model_evaluates_after_a_fit_with_validation_data():
    rng = np.random.default_rng(0)
    x_train, y_train = rng.random((6000, 10)), rng.integers(2, size=6000)
    x_val, y_val = rng.random((1000, 10)), rng.integers(2, size=1000)
    x_test, y_test = rng.random((1000, 10)), rng.integers(2, size=1000)
    clf = KerasClassifier(_deep_network, epochs=3, batch_size=64)
    clf.fit(x_train, y_train, validation_data=(x_val, y_val))
    loss, accuracy = clf.model_.evaluate(x_test, y_test, verbose=0)
    assert np.isfinite(loss) and 0 <= accuracy <= 1

    X, y = load_boston(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    reg = KerasRegressor(model="mlp", epochs=3).fit(X, y, validation_data=(X[:50], y[:50]))
    assert np.isfinite(reg.model_.evaluate(X, y, verbose=0))
    assert reg.model_.predict(X[:3], verbose=0).shape == (3, 1)


class FlowFromArrays(keras.utils.PyDataset):
    """What ``flow_from_directory`` gives: batches of images and labels."""

    def __init__(self, images, labels, batch_size=32):
        super().__init__()
        self.images, self.labels, self.batch_size = images, labels, batch_size

    def __len__(self):
        return -(-len(self.labels) // self.batch_size)

    def __getitem__(self, index):
        rows = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.images[rows], self.labels[rows]


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return (X / 16.0).reshape(-1, 8, 8, 1).astype("float32"), y


def test_validation_data_from_a_generator_as_the_tutorials_pass_it(digits):
    X, y = digits
    train_generator = FlowFromArrays(X[:1400], y[:1400])
    validation_generator = FlowFromArrays(X[1400:], y[1400:])
    clf = KerasClassifier(
        "cnn", filters=(8,), dense_units=(16,), metrics=["accuracy"], epochs=2, random_state=0
    )
    clf.fit(
        train_generator,
        steps_per_epoch=len(train_generator),
        epochs=2,
        validation_data=validation_generator,
        validation_steps=len(validation_generator),
        classes=np.arange(10),
    )
    assert len(clf.history_["val_accuracy"]) == 2 == clf.n_iter_
    # The validation batches are checked as the training batches are.
    bad = FlowFromArrays(X[1400:, :4], y[1400:])
    with pytest.raises(ValueError, match="validation|shape"):
        clf.fit(train_generator, validation_data=bad, classes=np.arange(10))


def test_the_tutorials_image_statistics_are_learned_per_fold(digits):
    X, y = digits
    pipe = make_pipeline(
        ImageStandardizer(),  # featurewise_center + featurewise_std_normalization
        ZCAWhitening(epsilon=0.1),  # zca_whitening
        KerasClassifier(
            "cnn",
            filters=(8,),
            dense_units=(16,),
            random_shear=0.2,
            learning_rate=0.01,
            epochs=6,
            random_state=0,
        ),
    )
    scores = cross_val_score(pipe, X[:600], y[:600], cv=2)
    assert np.all(scores > 0.5)  # ten classes: chance is 0.1
    standardizer = ImageStandardizer().fit(X[:300])
    assert standardizer.mean_.shape == (1,)
    np.testing.assert_allclose(standardizer.transform(X[:300]).mean(), 0, atol=1e-5)


def test_random_shear_is_a_training_only_layer(digits):
    X, y = digits
    clf = KerasClassifier("cnn", filters=(4,), dense_units=(8,), random_shear=0.3, epochs=1)
    clf.fit(X[:200], y[:200])
    assert any(type(layer).__name__ == "RandomShear" for layer in clf.model_.layers)
    np.testing.assert_array_equal(clf.predict_proba(X[:5]), clf.predict_proba(X[:5]))


def test_time_based_decay_as_the_tutorials_write_it(pima01):
    X, y = pima01
    X = StandardScaler().fit_transform(X)
    learning_rate, epochs = 0.1, 3
    decay_rate = learning_rate / epochs
    clf = KerasClassifier(
        "mlp",
        optimizer=keras.optimizers.SGD(learning_rate=learning_rate, momentum=0.8),
        optimizer__decay=decay_rate,
        epochs=epochs,
        batch_size=28,
        random_state=0,
    ).fit(X, y)
    optimizer = clf.model_.optimizer
    steps = int(keras.ops.convert_to_numpy(optimizer.iterations))
    assert steps == epochs * -(-len(y) // 28)
    current = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
    np.testing.assert_allclose(current, learning_rate / (1 + decay_rate * steps), rtol=1e-5)
    with pytest.raises(ValueError, match="Keep one of them"):
        KerasClassifier("mlp", optimizer="sgd", optimizer__decay=0.01, decay=0.1).fit(X, y)


def build_model(hp):
    """A Keras Tuner model function with a conditional branch, as its guide writes it."""
    model = keras.Sequential([keras.Input((8,))])
    kind = hp.Choice("kind", ["small", "big"])
    with hp.conditional_scope("kind", ["big"]):
        if kind == "big":
            model.add(keras.layers.Dense(hp.Int("big_units", 16, 32, step=16), activation="relu"))
    with hp.conditional_scope("kind", ["small"]):
        if kind == "small":
            model.add(keras.layers.Dense(hp.Choice("small_units", [2, 4]), activation="relu"))
    model.add(keras.layers.Dense(1, activation="sigmoid"))
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model


def test_keras_tuner_conditional_hyperparameters_become_branches_of_the_space(pima01):
    X, y = pima01
    builder, space = from_keras_tuner(build_model)
    assert space == [
        {"kind": ["small"], "small_units": [2, 4]},
        {"kind": ["big"], "big_units": [16, 32]},
    ]
    grid = GridSearchCV(KerasClassifier(builder, epochs=1, batch_size=64), space, cv=2)
    grid.fit(StandardScaler().fit_transform(X), y)
    tried = grid.cv_results_["params"]
    assert len(tried) == 4 and all(("big_units" in p) == (p["kind"] == "big") for p in tried)
    assert grid.best_estimator_.model_.layers[0].units in (2, 4, 16, 32)


def test_a_continuous_parent_of_a_conditional_scope_is_refused():
    def branching_on_a_float(hp):
        hp.Float("rate", 0.0, 1.0)
        with hp.conditional_scope("rate", [0.5]):
            hp.Int("units", 1, 4)
        return keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])

    with pytest.raises(ValueError, match="conditional on 'rate'.*list of values"):
        from_keras_tuner(branching_on_a_float)


@pytest.mark.parametrize("kind", ["csv", "tensorboard"])
def test_logging_callbacks_given_as_instances_survive_clone_pickle_and_searches(
    pima01, tmp_path, kind
):
    if kind == "tensorboard" and keras.backend.backend() != "tensorflow":
        pytest.skip("TensorBoard writes through TensorFlow")
    X, y = pima01
    callback = (
        keras.callbacks.CSVLogger(str(tmp_path / "log.csv"))
        if kind == "csv"
        else keras.callbacks.TensorBoard(str(tmp_path / "logs"))
    )
    clf = KerasClassifier("mlp", epochs=1, callbacks=[callback], random_state=0).fit(X, y)
    assert os.listdir(tmp_path)
    clone(clf).fit(X, y)  # cross_val_score and searches clone the fitted estimator
    copy.deepcopy(clf)
    joblib.dump(clf, tmp_path / "model.joblib")
    assert joblib.load(tmp_path / "model.joblib").predict(X[:3]).shape == (3,)
    pickle.loads(pickle.dumps(clf)).fit(X, y)
    GridSearchCV(clf, {"hidden_layer_sizes": [(4,), (8,)]}, cv=2, n_jobs=2).fit(X, y)
