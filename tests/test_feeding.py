"""How data reaches model.fit: every path trains exactly as Keras does on the same batches."""

import keras
import numpy as np
import pytest

import skdeep
from skdeep import KerasClassifier, KerasRegressor
from skdeep._fit import sources as _feeding

tensorflow_only = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="the one-pipeline feed is TensorFlow's"
)


def _per_call(steps):
    """Steps per compiled call of a small model's fit: a whole epoch, one on PyTorch."""
    return 1 if keras.backend.backend() == "torch" else steps


def _seeded_model(meta=None, compile_kwargs=None):
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


@pytest.fixture(scope="module")
def regression(iris):
    X, _ = iris
    return X, (X @ np.array([0.5, -1.0, 0.25, 2.0])).astype("float32")


@tensorflow_only
@pytest.mark.parametrize("shuffle", [False, True])
def test_the_pipeline_gives_whole_epochs_of_aligned_rows_in_the_documented_order(shuffle):
    from skdeep._framework.tensorflow import epochs_dataset

    rows = np.arange(23)
    dataset = epochs_dataset((rows * 10, rows, rows / 2), batch_size=5, shuffle=shuffle, seed=7)
    batches = [[t.numpy() for t in batch] for batch in dataset.take(3 * 5)]
    assert [len(b[0]) for b in batches] == [5, 5, 5, 5, 3] * 3  # last batch short
    for x, y, w in batches:
        np.testing.assert_array_equal(x, y * 10)  # columns stay row-aligned
        np.testing.assert_array_equal(w, y / 2)
    epochs = [np.concatenate([b[1] for b in batches[i : i + 5]]) for i in (0, 5, 10)]
    for number, epoch in enumerate(epochs):
        np.testing.assert_array_equal(np.sort(epoch), rows)  # every row once
        np.testing.assert_array_equal(epoch, _feeding.epoch_order(23, 7, number, shuffle))
    assert shuffle != np.array_equal(epochs[0], epochs[1])  # a new order each epoch


def test_a_shuffled_fit_trains_exactly_as_keras_on_the_same_batches(regression):
    """With shuffle=True the feed draws each epoch's order from the seed; Keras
    trained on the rows in those orders ends with the same weights."""
    X, y = regression
    ours = KerasRegressor(model=_seeded_model, epochs=3, batch_size=16, random_state=11)
    ours.fit(X, y)
    assert ours.model_.steps_per_execution == _per_call(10)  # a whole epoch per call as well
    keras_model = _seeded_model()
    losses = []
    for epoch in range(3):
        order = np.asarray(_feeding.epoch_order(len(X), 11, epoch))
        history = keras_model.fit(X[order], y[order], batch_size=16, shuffle=False, verbose=0)
        losses += history.history["loss"]
    np.testing.assert_allclose(ours.history_["loss"], losses, rtol=1e-5)
    for mine, theirs in zip(ours.model_.get_weights(), keras_model.get_weights(), strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("weighted", [False, True])
def test_the_switch_turns_the_fast_paths_off_and_training_stays_the_same(regression, weighted):
    X, y = regression
    weights = np.linspace(0.5, 1.5, len(X)) if weighted else None
    options = dict(model=_seeded_model, epochs=3, batch_size=16, shuffle=False)
    fast = KerasRegressor(**options).fit(X, y, sample_weight=weights)
    with skdeep.config_context(fast_feeding=False):
        plain = KerasRegressor(**options).fit(X, y, sample_weight=weights)
    assert fast.model_.steps_per_execution == _per_call(10)
    assert plain.model_.steps_per_execution == 1
    np.testing.assert_allclose(fast.history_["loss"], plain.history_["loss"], rtol=1e-5)
    np.testing.assert_allclose(fast.predict(X), plain.predict(X), rtol=1e-4, atol=1e-5)


def test_the_switch_is_read_from_the_environment_that_workers_inherit(monkeypatch):
    monkeypatch.setenv("SKDEEP_FAST_FEEDING", "0")
    assert skdeep.get_config()["fast_feeding"] is False
    with skdeep.config_context(fast_feeding=True):
        assert skdeep.get_config()["fast_feeding"] is True
    monkeypatch.delenv("SKDEEP_FAST_FEEDING")
    assert skdeep.get_config()["fast_feeding"] is True
    with pytest.raises(ValueError, match="True or False"):
        skdeep.set_config(fast_feeding="yes")


def test_a_small_model_runs_a_whole_epoch_per_call_where_skdeep_compiles(iris):
    X, y = iris
    clf = KerasClassifier("mlp", hidden_layer_sizes=(4,), batch_size=50, epochs=1).fit(X, y)
    assert clf.model_.steps_per_execution == _per_call(3)


def test_large_models_keep_one_step_per_call(iris):
    X, y = iris
    clf = KerasClassifier("mlp", hidden_layer_sizes=(4096, 512), batch_size=32, epochs=1)
    assert clf.fit(X, y).model_.steps_per_execution == 1
