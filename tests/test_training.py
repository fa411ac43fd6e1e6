"""Training control: seeding, early stopping, callbacks, history, warm start."""

import gc
import logging
import random

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier, KerasRegressor
from tests.builders import mlp
from tests.conftest import fast_classifier


def test_same_random_state_gives_identical_predictions(iris):
    X, y = iris
    first = fast_classifier(epochs=3, random_state=7).fit(X, y).predict_proba(X)
    second = fast_classifier(epochs=3, random_state=7).fit(X, y).predict_proba(X)
    other = fast_classifier(epochs=3, random_state=8).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


def test_random_state_instance_is_accepted(iris):
    X, y = iris
    clf = fast_classifier(epochs=1, random_state=np.random.RandomState(0)).fit(X, y)
    assert clf.n_iter_ == 1


def test_seeding_leaves_no_global_state_behind(iris):
    X, y = iris
    random.seed(123)
    np.random.seed(123)
    expected = (random.random(), np.random.rand())
    random.seed(123)
    np.random.seed(123)
    fast_classifier(epochs=1, random_state=0).fit(X, y)
    assert (random.random(), np.random.rand()) == expected
    # Unseeded fits afterwards are still random, and still work.
    a = KerasClassifier(mlp, epochs=1).fit(X, y).predict_proba(X)
    b = KerasClassifier(mlp, epochs=1).fit(X, y).predict_proba(X)
    assert not np.array_equal(a, b)


def test_history_n_iter_and_loss_curve(iris):
    X, y = iris
    clf = fast_classifier(epochs=4, metrics=["accuracy"], validation_split=0.2).fit(X, y)
    assert set(clf.history_) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(isinstance(v, float) for v in clf.history_["loss"])
    assert clf.n_iter_ == 4 and len(clf.loss_curve_) == 4


def test_early_stopping_stops_and_restores_best_weights(iris):
    X, y = iris
    clf = fast_classifier(
        epochs=200,
        early_stopping=True,
        n_iter_no_change=2,
        validation_split=0.3,
        optimizer__learning_rate=0.5,
    ).fit(X, y)
    assert clf.n_iter_ < 200
    assert isinstance(clf.callbacks_[-1], keras.callbacks.EarlyStopping)


def test_named_callback_classes_are_configured_by_routed_parameters(iris):
    X, y = iris
    clf = fast_classifier(
        epochs=100,
        callbacks={"early": keras.callbacks.EarlyStopping},
        callbacks__early__monitor="loss",
        callbacks__early__patience=1,
        callbacks__early__min_delta=10.0,  # nothing counts as improvement
    ).fit(X, y)
    assert clf.callbacks_[0].patience == 1
    assert clf.n_iter_ == 2


def test_routed_parameters_to_a_callback_instance_are_an_error(iris):
    X, y = iris
    clf = fast_classifier(
        callbacks={"early": keras.callbacks.EarlyStopping()},
        callbacks__early__patience=1,
    )
    with pytest.raises(ValueError, match="Pass its class instead"):
        clf.fit(X, y)


def test_warm_start_continues_training(iris):
    X, y = iris
    clf = fast_classifier(epochs=2, warm_start=True).fit(X, y)
    model = clf.model_
    clf.fit(X, y)
    assert clf.model_ is model
    assert clf.n_iter_ == 4 and len(clf.history_["loss"]) == 4


def test_fit_without_warm_start_rebuilds(iris):
    X, y = iris
    clf = fast_classifier(epochs=2).fit(X, y)
    model = clf.model_
    clf.fit(X, y)
    assert clf.model_ is not model and clf.n_iter_ == 2


def test_partial_fit_runs_one_epoch_per_call_with_classes_first(iris_strings):
    X, y = iris_strings
    clf = fast_classifier()
    first = y != "virginica"
    clf.partial_fit(X[first], y[first], classes=["setosa", "versicolor", "virginica"])
    assert clf.n_iter_ == 1 and clf.n_classes_ == 3
    for _ in range(30):
        clf.partial_fit(X, y)
    assert clf.n_iter_ == 31
    assert clf.score(X, y) > 0.8


def test_partial_fit_with_an_unknown_label_later_is_an_error(iris_strings):
    X, y = iris_strings
    clf = fast_classifier().partial_fit(X[:100], y[:100])
    with pytest.raises(ValueError, match="not seen during fit"):
        clf.partial_fit(X, y)


def test_validation_data_is_encoded_like_the_training_labels(iris_strings):
    X, y = iris_strings
    clf = fast_classifier(epochs=10, metrics=["accuracy"])
    clf.fit(X, y, validation_data=(X[::3], y[::3]))
    assert clf.history_["val_accuracy"][-1] > 0.8
    with pytest.raises(ValueError, match="not seen during fit"):
        clf.fit(X, y, validation_data=(X[:2], np.array(["rose", "setosa"], dtype=object)))


class _BatchCounter(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.batches = 0

    def on_train_batch_end(self, batch, logs=None):
        self.batches += 1


def test_a_whole_epoch_runs_per_compiled_call_with_the_same_result(pima):
    X, y = pima
    params = dict(model="mlp", hidden_layer_sizes=(8,), epochs=3, batch_size=64, random_state=0)
    fast = KerasClassifier(**params).fit(X, y)
    plain = KerasClassifier(**params, compile__steps_per_execution=1).fit(X, y)
    # ceil(768 / 64); PyTorch's trainer runs one step per call
    assert fast.model_.steps_per_execution == (1 if keras.backend.backend() == "torch" else 12)
    assert plain.model_.steps_per_execution == 1  # the user's explicit choice wins
    np.testing.assert_allclose(fast.history_["loss"], plain.history_["loss"], rtol=1e-5)
    np.testing.assert_allclose(fast.predict_proba(X), plain.predict_proba(X), rtol=1e-5)


def test_callbacks_that_watch_batches_still_see_every_batch(pima):
    X, y = pima
    counter = _BatchCounter()
    clf = KerasClassifier(
        model="mlp", hidden_layer_sizes=(8,), epochs=2, batch_size=64, callbacks=[counter]
    ).fit(X, y)
    assert clf.model_.steps_per_execution == 1
    assert clf.callbacks_[0].batches == 2 * 12


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="a TensorFlow warning")
def test_repeated_fits_do_not_warn_about_retracing(iris):
    """A cross-validation fits one new model per fold; that is not excessive retracing."""
    X, y = iris
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("tensorflow")
    logger.addHandler(handler)
    try:
        for _ in range(8):
            fast_classifier(epochs=1).fit(X, y).predict(X[:3])
    finally:
        logger.removeHandler(handler)
    assert not [r for r in records if "retracing" in r.getMessage()]


def _seeded_regression_model(meta=None, compile_kwargs=None):
    init = keras.initializers.GlorotUniform(seed=3)
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(6, activation="tanh", kernel_initializer=init),
            keras.layers.Dense(1, kernel_initializer=init),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    return model


@pytest.mark.parametrize("weighted", [False, True])
def test_fit_trains_exactly_as_keras_does_on_arrays(iris, weighted):
    """skdeep may feed the rows differently (one repeating dataset for small
    models on TensorFlow), but the batches, their order and so the weights
    must be those of ``model.fit`` on the arrays."""
    X, _ = iris
    y = (X @ np.array([0.5, -1.0, 0.25, 2.0])).astype("float32")
    weights = np.linspace(0.5, 1.5, len(X)) if weighted else None
    options = dict(epochs=4, batch_size=16, shuffle=False)
    ours = KerasRegressor(model=_seeded_regression_model, **options)
    ours.fit(X, y, sample_weight=weights)
    keras_model = _seeded_regression_model()
    history = keras_model.fit(X, y, sample_weight=weights, verbose=0, **options)
    np.testing.assert_allclose(ours.history_["loss"], history.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(
        ours.predict(X), keras_model.predict_on_batch(X).ravel(), rtol=1e-4, atol=1e-5
    )


def _live_graphs():
    for _ in range(3):  # a freed graph's own subgraphs go in the next pass
        gc.collect()
    return sum(type(obj).__name__.endswith("FuncGraph") for obj in gc.get_objects())


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="TensorFlow's graphs")
def test_repeated_fits_release_their_graphs(iris):
    """A grid search fits hundreds of models in one process; each dropped
    estimator must leave nothing behind (TensorFlow's gradient registry
    used to keep every traced training graph alive)."""
    X, y = iris
    kept = fast_classifier(epochs=1).fit(X, y)  # a fitted model that stays alive
    for _ in range(2):
        fast_classifier(epochs=1).fit(X, y).score(X, y)
    baseline = _live_graphs()
    for _ in range(4):
        fast_classifier(epochs=1).fit(X, y).score(X, y)
    assert _live_graphs() <= baseline
    kept.partial_fit(X, y)  # the survivor still trains and predicts
    assert kept.score(X, y) > 0


@pytest.mark.skipif(keras.backend.backend() != "torch", reason="PyTorch only")
def test_on_pytorch_fits_of_one_network_keep_no_compiled_copy_and_repeat_exactly(iris):
    from skdeep._fit import compiled

    X, y = iris
    params = dict(model="mlp", hidden_layer_sizes=(8,), dropout=0.2, epochs=3, random_state=0)
    first = KerasClassifier(**params).fit(X, y)
    second = KerasClassifier(**params).fit(X, y)
    assert len(compiled.COMPILED) == 0
    assert first.history_ == second.history_
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
