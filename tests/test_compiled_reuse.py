"""Compiled once, trained many times: a later fit of the same network trains a kept compiled copy.

What a user relies on: a fit that reuses a copy learns exactly what a fresh
fit with the same ``random_state`` learns, the estimator's ``model_`` is its
own (never a copy another fit trains), the copies are bounded and freed,
and one switch turns the reuse off. The fits see the model they train
through a callback: the kept copy, not ``model_``, when it is reused.
"""

import gc
import threading
import weakref

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score

import skdeep
from skdeep import KerasClassifier, KerasRegressor
from skdeep._fit import compiled
from tests.builders import mlp

#: PyTorch's trainer traces nothing, so fits there keep no copy
#: (tests/test_training.py tests that).
pytestmark = pytest.mark.skipif(
    keras.backend.backend() == "torch", reason="no compiled copies on PyTorch"
)


class SeesModel(keras.callbacks.Callback):
    """Remembers, weakly, the model each fit trained."""

    def __init__(self):
        super().__init__()
        self.trained = []

    def on_train_begin(self, logs=None):
        self.trained.append(weakref.ref(self.model))


def _data(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 5)).astype("float32")
    return X, (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)


def _classifier(**params):
    settings = dict(model=mlp, epochs=3, batch_size=16, random_state=0, verbose=0)
    return KerasClassifier(**{**settings, **params})


def _learned(estimator, X):
    weights = [np.array(w) for w in estimator.model_.get_weights()]
    return estimator.history_, weights, estimator.predict_proba(X)


def _assert_same(a, b):
    assert a[0] == b[0]
    for left, right in zip(a[1], b[1], strict=True):
        np.testing.assert_array_equal(left, right)
    np.testing.assert_array_equal(a[2], b[2])


@pytest.fixture(autouse=True)
def no_copies():
    compiled.COMPILED.clear()
    yield
    compiled.COMPILED.clear()


CASES = {
    "shuffled": {},
    "dropout": {"model": "mlp", "hidden_layer_sizes": (6,), "dropout": 0.3},
    "class weights": {"class_weight": "balanced"},
    "early stopping": {
        "early_stopping": True,
        "validation_fraction": 0.25,
        "n_iter_no_change": 1,
        "epochs": 6,
    },
    "learning rate": {"optimizer": "sgd", "learning_rate": 0.2},
    "in order": {"fit__shuffle": False},
}


@pytest.mark.parametrize("params", CASES.values(), ids=CASES.keys())
def test_a_reused_fit_learns_exactly_what_a_fresh_fit_learns(params):
    X, y = _data()
    with skdeep.config_context(reuse_compiled=False):
        fresh = _learned(_classifier(**params).fit(X, y), X)
    seen = SeesModel()
    first = _classifier(**params, callbacks=[seen]).fit(X, y)
    second = _classifier(**params, callbacks=[seen]).fit(X, y)
    # both fits trained the one kept copy, and neither estimator holds it
    assert seen.trained[0]() is seen.trained[1]() is not None
    assert seen.trained[1]() is not second.model_ and seen.trained[0]() is not first.model_
    _assert_same(_learned(first, X), fresh)
    _assert_same(_learned(second, X), fresh)


def test_validation_data_and_sample_weights_are_reused_exactly():
    X, y = _data()
    X_val, y_val = _data(40, seed=1)
    weights = np.linspace(0.5, 2.0, len(y))

    def fit():
        return _classifier().fit(X, y, sample_weight=weights, validation_data=(X_val, y_val))

    with skdeep.config_context(reuse_compiled=False):
        fresh = _learned(fit(), X)
    fit()
    reused = fit()
    assert "val_loss" in reused.history_
    _assert_same(_learned(reused, X), fresh)


def test_one_network_fitted_on_targets_of_another_shape_trains_its_own_copy():
    # A step traced on y of shape (n,) cannot train on (n, 1): such fits keep apart.
    from skdeep.wrappers import BaseWrapper
    from tests.builders import values

    X, y = _data()
    column = y.reshape(-1, 1).astype("float32")
    settings = dict(model=values, loss="mse", epochs=2, batch_size=16, random_state=0)
    BaseWrapper(**settings).fit(X, y.astype("float32"))
    with skdeep.config_context(reuse_compiled=False):
        fresh = BaseWrapper(**settings).fit(X, column)
    reused = BaseWrapper(**settings).fit(X, column)
    assert reused.history_ == fresh.history_
    np.testing.assert_array_equal(reused.predict(X), fresh.predict(X))


def test_another_fit_never_changes_a_fitted_estimators_model():
    X, y = _data()
    first = _classifier().fit(X, y)
    before = first.predict_proba(X)
    second = _classifier(random_state=1).fit(X, y)
    assert second.model_ is not first.model_
    np.testing.assert_array_equal(first.predict_proba(X), before)


def test_a_model_kept_after_its_estimator_is_gone_is_not_trained_by_later_fits():
    X, y = _data()
    model = _classifier().fit(X, y).model_  # the estimator is dropped at once
    weights = [np.array(w) for w in model.get_weights()]
    for seed in (1, 2):
        _classifier(random_state=seed).fit(X, y)
    for kept, now in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(kept, now)


def test_cross_validation_and_grid_search_reuse_without_user_code_and_keep_their_scores():
    X, y = _data(150)
    with skdeep.config_context(reuse_compiled=False):
        expected = cross_val_score(_classifier(), X, y, cv=KFold(3))
    assert len(compiled.COMPILED) == 0
    scores = cross_val_score(_classifier(), X, y, cv=KFold(3))
    np.testing.assert_array_equal(scores, expected)
    assert len(compiled.COMPILED) == 1  # one copy trained the three folds
    search = GridSearchCV(_classifier(), {"epochs": [1, 2], "learning_rate": [0.01, 0.05]}, cv=2)
    search.fit(X, y)
    with skdeep.config_context(reuse_compiled=False):
        plain = GridSearchCV(clone(search.estimator), search.param_grid, cv=2).fit(X, y)
    np.testing.assert_array_equal(
        search.cv_results_["mean_test_score"], plain.cv_results_["mean_test_score"]
    )


def test_partial_fit_loops_reuse_the_copy_and_learn_what_they_learn_without_it():
    X, y = _data()

    def loop():
        estimator = _classifier()
        for _ in range(3):
            estimator.partial_fit(X, y, classes=[0, 1])
        return estimator

    with skdeep.config_context(reuse_compiled=False):
        fresh = _learned(loop(), X)
    _assert_same(_learned(loop(), X), fresh)


def test_the_copies_are_bounded_and_freed_when_they_go():
    X, y = _data(40)
    for hidden in range(1, compiled.MAX_COMPILED_COPIES + 4):
        KerasRegressor(mlp, hidden=hidden, epochs=1, random_state=0, verbose=0).fit(X, y)
    assert len(compiled.COMPILED) == compiled.MAX_COMPILED_COPIES
    seen = SeesModel()
    _classifier(callbacks=[seen]).fit(X, y)
    assert seen.trained[0]() is not None
    compiled.COMPILED.clear()
    gc.collect()
    assert seen.trained[0]() is None


def test_one_switch_turns_reuse_off_and_the_environment_sets_its_default(monkeypatch):
    X, y = _data()
    seen = SeesModel()
    with skdeep.config_context(reuse_compiled=False):
        estimator = _classifier(callbacks=[seen]).fit(X, y)
    assert seen.trained[0]() is estimator.model_
    assert len(compiled.COMPILED) == 0
    monkeypatch.setenv("SKDEEP_REUSE_COMPILED", "0")
    assert skdeep.get_config()["reuse_compiled"] is False
    monkeypatch.delenv("SKDEEP_REUSE_COMPILED")
    assert skdeep.get_config()["reuse_compiled"] is True
    with pytest.raises(ValueError, match="reuse_compiled must be True or False"):
        skdeep.set_config(reuse_compiled="no")


def _subclassed(meta):
    class Doubled(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(
                meta["output_units_"], activation=meta["output_activation_"]
            )

        def call(self, inputs):
            return self.dense(inputs * 2.0)

    return Doubled()


def _with_lambda(meta):
    inputs = keras.Input(meta["input_shape_"])
    doubled = keras.layers.Lambda(lambda t: t * 2.0)(inputs)
    outputs = keras.layers.Dense(meta["output_units_"], activation=meta["output_activation_"])(
        doubled
    )
    return keras.Model(inputs, outputs)


def _own_loss(y_true, y_pred):
    return keras.losses.binary_crossentropy(y_true, y_pred)


@pytest.mark.parametrize(
    "params",
    [{"model": _subclassed}, {"model": _with_lambda}, {"loss": _own_loss}],
    ids=["subclassed model", "Lambda layer", "user's loss"],
)
def test_networks_whose_code_is_not_in_their_configuration_train_themselves(params):
    X, y = _data()
    seen = SeesModel()
    estimators = [_classifier(**params, callbacks=[seen]).fit(X, y) for _ in range(2)]
    assert [ref() for ref in seen.trained] == [e.model_ for e in estimators]
    assert len(compiled.COMPILED) == 0


def test_a_failed_fit_keeps_no_copy_and_the_next_fit_is_exact():
    X, y = _data()
    with skdeep.config_context(reuse_compiled=False):
        fresh = _learned(_classifier().fit(X, y), X)

    class Fails(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            raise RuntimeError("stopped by the user's callback")

    _classifier().fit(X, y)  # one copy kept
    with pytest.raises(RuntimeError, match="stopped by the user"):
        _classifier(callbacks=[Fails()]).fit(X, y)
    assert len(compiled.COMPILED) == 0  # the copy it was training is dropped
    _assert_same(_learned(_classifier().fit(X, y), X), fresh)


def test_fits_in_several_threads_each_learn_what_they_learn_alone():
    X, y = _data()
    seeds = [0, 1, 2, 3]
    with skdeep.config_context(reuse_compiled=False):
        alone = {seed: _classifier(random_state=seed).fit(X, y).predict_proba(X) for seed in seeds}
    _classifier().fit(X, y)
    found, errors = {}, []

    def fit(seed):
        try:
            found[seed] = _classifier(random_state=seed).fit(X, y).predict_proba(X)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=fit, args=(seed,)) for seed in seeds]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for seed in seeds:
        np.testing.assert_array_equal(found[seed], alone[seed])


def test_a_reused_fit_predicts_what_its_own_network_computes_also_after_freezing_a_layer():
    X, y = _data()
    _classifier().fit(X, y)
    est = _classifier().fit(X, y)  # trained a kept copy
    direct = np.asarray(keras.ops.convert_to_numpy(est.model_(X)))
    np.testing.assert_allclose(est.predict_proba(X)[:, 1], direct[:, -1], rtol=1e-5, atol=1e-6)
    est.model_.layers[0].trainable = False  # its variables are now split otherwise
    np.testing.assert_allclose(est.predict_proba(X)[:, 1], direct[:, -1], rtol=1e-5, atol=1e-6)


@pytest.mark.skipif(keras.backend.backend() != "jax", reason="JAX's prediction step is pure")
def test_on_jax_a_later_estimator_predicts_without_compiling_again(caplog):
    import jax

    X, y = _data()
    first = _classifier().fit(X, y)
    first.predict_proba(X[:30])  # compiles the prediction step for 30 rows
    second = _classifier().fit(X, y)
    jax.config.update("jax_log_compiles", True)
    try:
        with caplog.at_level("DEBUG"):
            second.predict_proba(X[:30])
    finally:
        jax.config.update("jax_log_compiles", False)
    compiles = [r for r in caplog.records if "ompil" in r.getMessage()]
    assert compiles == [], [r.getMessage()[:120] for r in compiles]
    np.testing.assert_array_equal(second.predict_proba(X), first.predict_proba(X))
