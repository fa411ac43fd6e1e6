"""Faults during fit: whatever raises, the estimator is left exactly as it was.

A failed refit, a ``KeyboardInterrupt`` in the first epoch or in a
``warm_start`` continuation, and a diverging fit; each test asserts the
estimator's state afterwards. Runs on TensorFlow and JAX.
"""

import pickle

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier, KerasRegressor
from skdeep.estimators import TrainingDivergedError
from tests.builders import mlp


class InterruptAt(keras.callbacks.Callback):
    """Raises ``KeyboardInterrupt`` (Ctrl-C) at the start of epoch ``epoch`` (from 0)."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


class InterruptMidEpoch(keras.callbacks.Callback):
    """Raises ``KeyboardInterrupt`` once some steps of the first epoch have run.

    With whole epochs per compiled call (small models) that is after the
    epoch's steps and before the epoch ends: weights changed, history not.
    """

    def on_train_batch_end(self, batch, logs=None):
        raise KeyboardInterrupt


def _state(estimator):
    """Everything a user can observe of an estimator, as plain values."""
    observed = {
        key: value
        for key, value in vars(estimator).items()
        if key not in ("model_", "callbacks_", "target_encoder_", "feature_encoder_")
    }
    if hasattr(estimator, "model_"):
        observed["weights"] = [w.copy() for w in estimator.model_.get_weights()]
        observed["optimizer"] = [
            np.asarray(keras.ops.convert_to_numpy(v)).copy()
            for v in estimator.model_.optimizer.variables
        ]
    return pickle.dumps(observed)


@pytest.fixture
def binary(iris):
    X, y = iris
    return X, np.where(y == 0, "yes", "no")


def _fitted(binary, **params):
    X, y = binary
    return KerasClassifier(mlp, epochs=2, batch_size=16, random_state=0, **params).fit(X, y)


def _failing_builder(meta):
    raise RuntimeError("the builder failed")


def test_a_refit_whose_builder_raises_leaves_the_previous_fit_intact(binary, iris):
    X, y = binary
    clf = _fitted(binary).set_params(model=_failing_builder)
    before, model, proba = _state(clf), clf.model_, clf.predict_proba(X)
    labels = np.array(["a", "b", "c"], dtype=object)[iris[1]]
    with pytest.raises(RuntimeError, match="the builder failed"):
        clf.fit(X, labels)
    assert _state(clf) == before
    assert clf.model_ is model and list(clf.classes_) == ["no", "yes"]
    assert set(clf.predict(X)) <= {"no", "yes"}  # never "a", "b", "c"
    np.testing.assert_array_equal(clf.predict_proba(X), proba)


def test_a_refit_with_malformed_validation_data_leaves_the_previous_fit_intact(binary):
    X, y = binary
    clf = _fitted(binary)
    before = _state(clf)
    with pytest.raises(ValueError, match="validation_data"):
        clf.fit(X, y, validation_data=(X, y[:3]))
    assert _state(clf) == before


@pytest.mark.parametrize("interrupt", [InterruptAt(0), InterruptMidEpoch()], ids=["epoch", "batch"])
def test_ctrl_c_in_the_first_epoch_leaves_the_estimator_unfitted(binary, interrupt):
    X, y = binary
    clf = KerasClassifier(mlp, epochs=3, batch_size=16, callbacks=[interrupt])
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y)
    assert not [key for key in vars(clf) if key.endswith("_")]
    assert not clf.initialized_


@pytest.mark.parametrize("how", ["warm_start", "partial_fit"])
def test_ctrl_c_in_a_continuation_keeps_weights_optimizer_and_history_consistent(binary, how):
    """warm_start: stopped after one of three more epochs; partial_fit: mid-epoch."""
    X, y = binary
    clf = _fitted(binary, warm_start=True)
    before, model = _state(clf), clf.model_
    interrupt = InterruptAt(clf.n_iter_ + 1) if how == "warm_start" else InterruptMidEpoch()
    clf.set_params(callbacks=[interrupt], epochs=3)
    with pytest.raises(KeyboardInterrupt):
        clf.fit(X, y) if how == "warm_start" else clf.partial_fit(X, y)  # noqa: B015
    clf.set_params(callbacks=None, epochs=2)
    assert clf.model_ is model and _state(clf) == before
    clf.fit(X, y)  # continues from the state before the interruption
    assert clf.n_iter_ == 4 and len(clf.history_["loss"]) == 4


def test_an_interrupted_continuation_then_resumed_equals_an_uninterrupted_one(binary):
    X, y = binary
    interrupted, straight = _fitted(binary, warm_start=True), _fitted(binary, warm_start=True)
    interrupted.set_params(callbacks=[InterruptMidEpoch()])
    with pytest.raises(KeyboardInterrupt):
        interrupted.fit(X, y)
    interrupted.set_params(callbacks=None).fit(X, y)
    straight.fit(X, y)
    for a, b in zip(interrupted.model_.get_weights(), straight.model_.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


def test_a_diverging_fit_stops_with_a_clear_error_and_no_nan_model(iris):
    X, _ = iris
    reg = KerasRegressor(mlp, epochs=5, optimizer="sgd", learning_rate=1.0, random_state=0)
    with pytest.raises(TrainingDivergedError, match=r"epoch 1.*learning rate.*scaled") as raised:
        reg.fit(X * 1e6, X[:, 0] * 1e6)  # unscaled data and a large rate: the loss overflows
    assert isinstance(raised.value, ValueError)  # what GridSearchCV's error_score catches
    assert not reg.initialized_ and not hasattr(reg, "n_outputs_")


def test_a_diverging_continuation_keeps_the_good_model(iris):
    X, y = iris
    reg = KerasRegressor(mlp, epochs=2, optimizer="sgd", random_state=0, warm_start=True)
    reg.fit(X, X[:, 0])
    good = reg.predict(X)
    with pytest.raises(TrainingDivergedError):
        reg.set_params(learning_rate=1e6).fit(X * 1e10, X[:, 0] * 1e10)
    np.testing.assert_array_equal(reg.predict(X), good)
    assert np.all(np.isfinite(reg.predict(X)))


def test_class_weights_that_would_make_nan_are_refused_before_training(iris):
    X, y = iris
    clf = KerasClassifier(mlp, class_weight={0: np.nan, 1: 1.0, 2: 1.0})
    with pytest.raises(ValueError, match="class_weight"):
        clf.fit(X, y)
    assert not clf.initialized_
