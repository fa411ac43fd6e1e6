"""Code written for scikeras and keras.wrappers, from their documentation, runs unchanged
but for the import (skdeep.wrappers)."""

import pickle
import subprocess
import sys
import textwrap
from collections import Counter

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification, make_multilabel_classification, make_regression
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.preprocessing import FunctionTransformer

from skdeep.wrappers import (
    BaseWrapper,
    KerasClassifier,
    KerasRegressor,
    SKLearnClassifier,
    SKLearnRegressor,
)


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=120, n_features=6, random_state=0)


def get_clf_model(meta, hidden_layer_sizes=(8,), compile_kwargs=None):
    """scikeras' tutorial builder: meta for the shapes, compile_kwargs for the optimizer."""
    model = keras.Sequential([keras.Input((meta["n_features_in_"],))])
    for size in hidden_layer_sizes:
        model.add(keras.layers.Dense(size, activation="relu"))
    if meta["target_type_"] == "binary":
        model.add(keras.layers.Dense(1, activation="sigmoid"))
        loss = "binary_crossentropy"
    else:
        model.add(keras.layers.Dense(meta["n_classes_"], activation="softmax"))
        loss = "sparse_categorical_crossentropy"
    model.compile(loss=loss, optimizer=compile_kwargs["optimizer"])
    return model


# ----------------------------------------------------------------------
# A pre-built model instance
# ----------------------------------------------------------------------
def _prebuilt():
    inputs = keras.Input((6,))
    model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(inputs))
    model.compile(loss="binary_crossentropy", optimizer="adam")
    return model


def test_a_prebuilt_model_is_copied_for_every_fit_and_never_changed(data):
    X, y = data
    model = _prebuilt()
    before = [w.copy() for w in model.get_weights()]
    clf = KerasClassifier(model=model, epochs=2, verbose=0)
    clf.fit(X, y)
    twin = clone(clf).fit(X, y)
    assert clf.model_ is not model and twin.model_ is not clf.model_
    for original, now in zip(before, model.get_weights(), strict=True):
        np.testing.assert_array_equal(original, now)  # the user's instance never trained
    assert cross_val_score(clf, X, y, cv=2).shape == (2,)


def test_initialize_uses_a_prebuilt_model_for_inference(data):
    X, y = data
    model = _prebuilt()
    expected = model.predict_on_batch(X.astype("float32"))
    clf = KerasClassifier(model=model).initialize(X, y)
    assert clf.model_ is model
    np.testing.assert_allclose(clf.predict_proba(X)[:, 1], expected.ravel(), rtol=1e-6)


# ----------------------------------------------------------------------
# Subclassing
# ----------------------------------------------------------------------
class MLPClassifier(KerasClassifier):
    """scikeras' documented subclass: its own __init__ with **kwargs, and _keras_build_fn."""

    def __init__(
        self,
        hidden_layer_sizes=(16,),
        optimizer="adam",
        optimizer__learning_rate=0.001,
        epochs=3,
        verbose=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.hidden_layer_sizes = hidden_layer_sizes
        self.optimizer = optimizer
        self.epochs = epochs
        self.verbose = verbose

    def _keras_build_fn(self, compile_kwargs):
        model = keras.Sequential([keras.Input((self.n_features_in_,))])
        for size in self.hidden_layer_sizes:
            model.add(keras.layers.Dense(size, activation="relu"))
        model.add(keras.layers.Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer=compile_kwargs["optimizer"])
        return model


def test_a_subclass_with_its_own_init_and_build_method_works_with_sklearn(data):
    X, y = data
    clf = MLPClassifier(hidden_layer_sizes=(8,), random_state=0).fit(X, y)
    assert clf.current_epoch == 3 and clf.model_.layers[0].units == 8
    params = clone(clf).get_params()
    assert params["hidden_layer_sizes"] == (8,) and params["random_state"] == 0
    search = GridSearchCV(MLPClassifier(), {"hidden_layer_sizes": [(4,), (8,)]}, cv=2)
    assert search.fit(X, y).best_params_["hidden_layer_sizes"] in [(4,), (8,)]


def test_current_epoch_counts_the_epochs_trained(data):
    X, y = data
    clf = KerasClassifier(get_clf_model, epochs=2, verbose=0)
    assert clf.current_epoch == 0
    clf.fit(X, y)
    clf.partial_fit(X, y)
    assert clf.current_epoch == clf.n_iter_ == 3


# ----------------------------------------------------------------------
# Encoders: scikeras' hooks for several inputs and outputs
# ----------------------------------------------------------------------
class MultiInput(KerasClassifier):
    @property
    def feature_encoder(self):
        return FunctionTransformer(lambda X: [X[:, :2], X[:, 2:]])

    def _keras_build_fn(self, compile_kwargs):
        first, second = keras.Input((2,)), keras.Input((4,))
        joined = keras.layers.Concatenate()([first, second])
        outputs = keras.layers.Dense(1, activation="sigmoid")(joined)
        model = keras.Model([first, second], outputs)
        model.compile(loss="binary_crossentropy", optimizer="adam")
        return model


def test_a_feature_encoder_splits_X_into_the_models_inputs(data):
    X, y = data
    clf = MultiInput(epochs=2, verbose=0).fit(X, y)
    assert clf.predict(X).shape == (len(X),) and 0 <= clf.score(X, y) <= 1


class _Splitter:
    """A target encoder that gives a two-output model one target per output."""

    def fit(self, y):
        self.classes_ = np.unique(y[:, 0])
        return self

    def transform(self, y):
        return [y[:, 0].astype("float32"), y[:, 1].astype("float32")]

    def inverse_transform(self, outputs, return_proba=False):
        if return_proba:
            return outputs[0]
        return np.column_stack([(outputs[0] > 0.5).ravel(), outputs[1].ravel()])

    def get_metadata(self):
        return {"n_outputs_expected_": 2}


class ClassAndValue(BaseWrapper):
    @property
    def target_encoder(self):
        return _Splitter()

    def _keras_build_fn(self, meta, compile_kwargs):
        inputs = keras.Input((meta["n_features_in_"],))
        label = keras.layers.Dense(1, activation="sigmoid", name="label")(inputs)
        value = keras.layers.Dense(1, name="value")(inputs)
        model = keras.Model(inputs, [label, value])
        model.compile(loss=["binary_crossentropy", "mse"], optimizer="adam")
        return model


def test_a_target_encoder_feeds_a_two_output_model(data):
    X, y = data
    Y = np.column_stack([y, X[:, 0]])
    net = ClassAndValue(epochs=2, verbose=0).fit(X, Y)
    assert net.n_outputs_expected_ == 2
    assert net.predict(X).shape == (len(X), 2)


# ----------------------------------------------------------------------
# Parameters scikeras users write
# ----------------------------------------------------------------------
def test_routed_and_plain_keras_keywords_reach_their_destinations(data):
    X, y = data
    clf = KerasClassifier(
        model=get_clf_model,
        model__hidden_layer_sizes=(4,),
        metrics="acc",
        loss="bce",
        optimizer=keras.optimizers.SGD,
        optimizer__learning_rate=keras.optimizers.schedules.ExponentialDecay,
        optimizer__learning_rate__initial_learning_rate=0.05,
        optimizer__learning_rate__decay_steps=5,
        optimizer__learning_rate__decay_rate=0.5,
        run_eagerly=True,
        validation_batch_size=-1,
        validation_split=0.2,
        batch_size=-1,
        epochs=2,
        verbose=0,
    )
    clf.fit(X, y, epochs=3)
    assert clf.n_iter_ == 3 and clf.model_.run_eagerly
    schedule = clf.model_.optimizer.learning_rate
    assert isinstance(clf.model_.optimizer, keras.optimizers.SGD)
    assert float(keras.ops.convert_to_numpy(schedule)) < 0.05  # decayed after 3 steps
    assert clf.predict(X, batch_size=7).shape == (len(X),)


def get_reg_model(meta, compile_kwargs):
    """scikeras' regressor tutorial builder."""
    model = keras.Sequential(
        [keras.Input((meta["n_features_in_"],)), keras.layers.Dense(meta["n_outputs_expected_"])]
    )
    model.compile(loss="mse", optimizer=compile_kwargs["optimizer"], metrics=["mse"])
    return model


def test_partial_fit_history_is_keyed_by_the_metric_name_as_given():
    """scikeras spells ``"mse"`` out in ``history_``; skdeep keeps the name as given."""
    X, y = make_regression(n_samples=60, n_features=3, random_state=0)
    reg = KerasRegressor(model=get_reg_model, optimizer="adam", random_state=0)
    for _ in range(3):
        reg.partial_fit(X, y)
    assert len(reg.history_["loss"]) == 3
    assert len(reg.history_["mse"]) == 3  # the migration page's one-line change
    assert "mean_squared_error" not in reg.history_


def test_a_routed_option_no_object_takes_is_an_error_naming_it(data):
    """scikeras ignores it; a typo should not pass silently (docs/migration.md)."""
    X, y = data
    clf = KerasClassifier(
        model=get_clf_model, optimizer="rmsprop", optimizer__this_should_not_pass__abc=1, epochs=1
    )
    with pytest.raises(ValueError, match="this_should_not_pass"):
        clf.fit(X, y)
    assert not hasattr(clf, "model_")  # the failed fit left the estimator as it was


class Schedule:
    def __init__(self, coef=0.1):
        self.coef = coef

    def __call__(self, epoch, lr):
        return lr * (1 - self.coef)


@pytest.mark.parametrize(
    "options",
    [
        dict(callbacks=keras.callbacks.EarlyStopping, callbacks__monitor="loss"),
        dict(callbacks=[keras.callbacks.EarlyStopping], callbacks__0__monitor="loss"),
        dict(callbacks={"es": keras.callbacks.EarlyStopping}, callbacks__es__monitor="loss"),
        dict(
            callbacks=keras.callbacks.LearningRateScheduler,
            callbacks__0=Schedule,
            callbacks__0__coef=0.5,
        ),
    ],
    ids=["class", "list", "dict", "positional"],
)
def test_callbacks_in_every_documented_syntax(data, options):
    X, y = data
    clf = KerasClassifier(get_clf_model, epochs=2, verbose=0, **options).fit(X, y)
    callback = clf.callbacks_[0]
    if isinstance(callback, keras.callbacks.LearningRateScheduler):
        assert callback.schedule.coef == 0.5
    else:
        assert callback.monitor == "loss"


class _Counter(keras.callbacks.Callback):
    def __init__(self, counts):
        super().__init__()
        self.counts = counts

    def on_train_begin(self, logs=None):
        self.counts["train"] += 1

    def on_predict_begin(self, logs=None):
        self.counts["predict"] += 1


def test_callback_instances_are_used_as_given_in_fit_and_predict(data):
    X, y = data
    both, fit_only, predict_only = Counter(), Counter(), Counter()
    early = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=10.0)
    clf = KerasClassifier(
        get_clf_model,
        epochs=5,
        verbose=0,
        callbacks=[_Counter(both), early],
        fit__callbacks=[_Counter(fit_only)],
        predict__callbacks=[_Counter(predict_only)],
    ).fit(X, y)
    clf.predict(X)
    assert both == {"train": 1, "predict": 1}
    assert fit_only == {"train": 1} and predict_only == {"predict": 1}
    assert early.stopped_epoch > 0  # the outcome is on the instance the user holds


def test_a_builder_can_ask_for_params(data):
    X, y = data
    seen = {}

    def builder(meta, params):
        seen.update(params)
        return get_clf_model(meta, compile_kwargs={"optimizer": "adam"})

    KerasClassifier(builder, epochs=1, verbose=0, batch_size=16).fit(X, y)
    assert seen["batch_size"] == 16


def test_partial_fit_with_another_target_shape_is_an_error(data):
    X, y = data
    reg = KerasRegressor(
        model=lambda meta: keras.Sequential(
            [keras.Input((6,)), keras.layers.Dense(meta["n_outputs_"])]
        ),
        loss="mse",
    ).partial_fit(X, y.astype(float))
    with pytest.raises(ValueError, match="2 dimensions"):
        reg.partial_fit(X, np.column_stack([y, y]).astype(float))


# ----------------------------------------------------------------------
# Keras' own wrappers
# ----------------------------------------------------------------------
def dynamic_model(X, y, loss, layers=(10,)):
    """The builder of keras.wrappers' documentation."""
    inputs = keras.Input((X.shape[1],))
    hidden = inputs
    for size in layers:
        hidden = keras.layers.Dense(size, activation="relu")(hidden)
    outputs = keras.layers.Dense(y.shape[1], activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(loss=loss, optimizer="rmsprop")
    return model


def test_keras_wrappers_classifier_with_model_and_fit_kwargs(data):
    X, y = data
    est = SKLearnClassifier(
        model=dynamic_model,
        model_kwargs={"loss": "categorical_crossentropy", "layers": [8, 8]},
        fit_kwargs={"epochs": 3},
    )
    assert sorted(est.get_params()) == ["fit_kwargs", "model", "model_kwargs", "warm_start"]
    est.fit(X, y, batch_size=16)
    assert est.epoch_ == 3 and est.predict(X).shape == (len(X),)
    # scikit-learn's convention for two classes (issue 27): one score, > 0 for classes_[1].
    scores = est.decision_function(X)
    assert scores.shape == (len(X),)
    np.testing.assert_array_equal(est.classes_[(scores > 0).astype(int)], est.predict(X))
    assert clone(est).get_params()["model_kwargs"] == {
        "loss": "categorical_crossentropy",
        "layers": [8, 8],
    }


def test_keras_wrappers_regressor():
    X, y = make_regression(n_samples=80, n_features=4, random_state=0)

    def linear(X, y):
        model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1])])
        model.compile(loss="mse", optimizer="adam")
        return model

    reg = SKLearnRegressor(model=linear, fit_kwargs={"epochs": 2}).fit(X, y)
    assert reg.predict(X).shape == (80,)


def test_fit_with_zero_epochs_attaches_a_model_without_training(data):
    """Keras' wrappers: ``warm_start=True`` and ``fit(X, y, epochs=0)`` builds, trains nothing."""
    X, y = data
    est = SKLearnClassifier(
        model=dynamic_model,
        model_kwargs={"loss": "categorical_crossentropy", "layers": [8]},
        warm_start=True,
    )
    est.fit(X, y, epochs=0)
    assert est.n_iter_ == 0 and est.history_ == {}
    untrained = [w.copy() for w in est.model_.get_weights()]
    assert est.predict(X).shape == (len(X),)  # ready to predict
    est.fit(X, y, epochs=2)  # warm start: trains the attached model
    assert est.n_iter_ == 2
    trained = est.model_.get_weights()
    assert any(not np.array_equal(a, b) for a, b in zip(untrained, trained, strict=True))
    est.fit(X, y, epochs=0)  # nothing more is trained, nothing is forgotten
    assert est.n_iter_ == 2 and len(est.history_["loss"]) == 2
    for before, after in zip(trained, est.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)


def test_zero_epochs_in_fit_kwargs_and_negative_epochs(data):
    X, y = data
    est = SKLearnClassifier(
        model=dynamic_model,
        model_kwargs={"loss": "categorical_crossentropy"},
        fit_kwargs={"epochs": 0},
    ).fit(X, y)
    assert est.n_iter_ == 0 and est.predict(X).shape == (len(X),)
    with pytest.raises(ValueError, match="Invalid epochs=-1 passed to fit: expected a non-neg"):
        est.fit(X, y, epochs=-1)
    # skdeep's own estimators keep refusing it, and say what builds without training
    with pytest.raises(ValueError, match=r"epochs=0: expected a positive .* initialize\(X, y\)"):
        KerasClassifier(get_clf_model).fit(X, y, epochs=0)
    # as a constructor parameter, epochs stays a positive number (as MLPClassifier's max_iter)
    with pytest.raises(ValueError, match="'epochs' parameter of KerasClassifier must be an int"):
        KerasClassifier(get_clf_model, epochs=0).fit(X, y)


# ----------------------------------------------------------------------
# A keras.Model subclass nobody registered
# ----------------------------------------------------------------------
class TwoLayers(keras.Model):
    """A subclassed model, not registered with Keras."""

    def __init__(self, units=8, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = keras.layers.Dense(units, activation="relu")
        self.out = keras.layers.Dense(1, activation="sigmoid")

    def call(self, inputs):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_an_unregistered_model_subclass_pickles_and_searches_in_parallel(data):
    X, y = data
    clf = KerasClassifier(model=lambda: TwoLayers(), loss="binary_crossentropy", epochs=1)
    clf.fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict_proba(X), clf.predict_proba(X))
    assert "TwoLayers" not in str(keras.saving.get_custom_objects())  # nothing registered


def test_an_unregistered_model_subclass_in_main_works_with_n_jobs(tmp_path):
    script = tmp_path / "search.py"
    script.write_text(
        textwrap.dedent("""
        import keras
        from sklearn.datasets import make_classification
        from sklearn.model_selection import GridSearchCV
        from skdeep.wrappers import KerasClassifier

        class Net(keras.Model):
            def __init__(self, units=4, **kwargs):
                super().__init__(**kwargs)
                self.units = units
                self.hidden = keras.layers.Dense(units, activation="relu")
                self.out = keras.layers.Dense(1, activation="sigmoid")
            def call(self, inputs):
                return self.out(self.hidden(inputs))
            def get_config(self):
                return {**super().get_config(), "units": self.units}

        def build(units=4):
            return Net(units)

        if __name__ == "__main__":
            X, y = make_classification(n_samples=60, random_state=0)
            clf = KerasClassifier(build, loss="binary_crossentropy", epochs=1)
            search = GridSearchCV(clf, {"units": [2, 4]}, cv=2, n_jobs=2).fit(X, y)
            print("best", search.best_params_["units"], search.predict(X[:3]).shape)
        """)
    )
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "(3,)" in result.stdout


def test_a_multilabel_y_reaches_the_builder_with_one_column_per_label():
    X, y = make_multilabel_classification(n_samples=60, n_features=5, n_classes=3, random_state=0)

    def multilabel(X, y):
        model = keras.Sequential(
            [keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1], activation="sigmoid")]
        )
        model.compile(loss="binary_crossentropy", optimizer="adam")
        return model

    est = SKLearnClassifier(model=multilabel, fit_kwargs={"epochs": 2}).fit(X, y)
    assert est.predict(X).shape == (60, 3)
    assert set(np.unique(est.predict(X))) <= {0, 1}
    # decision_function follows scikit-learn's multilabel convention: positive where
    # predict sets the label, ranked as predict_proba.
    scores = est.decision_function(X)
    assert scores.shape == (60, 3)
    np.testing.assert_array_equal(scores > 0, est.predict(X) == 1)
    np.testing.assert_array_equal(np.argsort(scores, 0), np.argsort(est.predict_proba(X), 0))


def _listed_output(X, y):
    """One output given as a list of one tensor, as Keras' own wrapper examples build it."""
    inputs = keras.Input(X.shape[1:])
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    last = "softmax" if y.shape[1] > 1 else None
    model = keras.Model(inputs, [keras.layers.Dense(y.shape[1], activation=last)(hidden)])
    loss = "categorical_crossentropy" if y.shape[1] > 1 else "mse"
    model.compile(optimizer="adam", loss=loss)
    return model


@pytest.mark.parametrize("wrapper", [SKLearnClassifier, SKLearnRegressor])
def test_a_list_of_one_output_trains_on_sparse_x_batch_by_batch(wrapper):
    from scipy import sparse
    from sklearn.utils.estimator_checks import (
        check_estimator_sparse_array,
        check_estimator_sparse_matrix,
    )

    X, y = make_classification(n_samples=80, n_features=6, random_state=0)
    est = wrapper(model=_listed_output, fit_kwargs={"epochs": 2, "batch_size": 16})
    est.fit(sparse.csr_matrix(X), y)
    assert est.predict(sparse.csr_matrix(X[:5])).shape == (5,)
    # scikit-learn's own sparse checks on that route (they crashed in tf.data's signature)
    check_estimator_sparse_matrix(wrapper.__name__, est)
    check_estimator_sparse_array(wrapper.__name__, est)


def test_base_wrapper_trains_on_object_numbers_and_refuses_other_objects_clearly():
    from skdeep.wrappers import BaseWrapper
    from tests.builders import values

    X, y = make_regression(n_samples=40, n_features=3, random_state=0)
    est = BaseWrapper(model=values, loss="mse", epochs=1, random_state=0)
    assert est.fit(X, y.astype(object)).predict(X).shape == (40, 1)
    with pytest.raises(ValueError, match="Unknown label type: y holds str objects"):
        clone(est).fit(X, np.array(["a", "b"] * 20, dtype=object))


def test_sklearn_regressor_with_default_training_passes_the_regressor_checks_as_keras_does():
    # Keras' wrapper trains one epoch by default and tags its score as poor; so does
    # this one (the same builder scores the same after one epoch). Given epochs, the
    # score is checked.
    from sklearn.utils.estimator_checks import check_regressors_train

    def small(X, y):
        model = keras.Sequential(
            [
                keras.Input(X.shape[1:]),
                keras.layers.Dense(16, activation="relu"),
                keras.layers.Dense(y.shape[1]),
            ]
        )
        model.compile(optimizer="adam", loss="mse")
        return model

    check_regressors_train("SKLearnRegressor", SKLearnRegressor(model=small))
    assert SKLearnRegressor(model=small).__sklearn_tags__().regressor_tags.poor_score
    trained = SKLearnRegressor(model=small, fit_kwargs={"epochs": 50})
    assert not trained.__sklearn_tags__().regressor_tags.poor_score
    assert SKLearnClassifier(model=small).__sklearn_tags__().classifier_tags.poor_score


class _KwargsMLP(KerasClassifier):
    """A scikeras-style subclass whose constructor passes ``**kwargs`` on."""

    def __init__(self, hidden_layer_sizes=(8,), epochs=2, verbose=0, **kwargs):
        super().__init__(**kwargs)
        self.hidden_layer_sizes = hidden_layer_sizes
        self.epochs = epochs
        self.verbose = verbose

    def _keras_build_fn(self, compile_kwargs):
        layers = [keras.layers.Dense(units, activation="relu") for units in self.hidden_layer_sizes]
        model = keras.Sequential(
            [keras.Input((self.n_features_in_,)), *layers, keras.layers.Dense(1, "sigmoid")]
        )
        model.compile(loss="binary_crossentropy", optimizer=compile_kwargs["optimizer"])
        return model


class _DeclaredMLP(_KwargsMLP):
    """The same, with its routed parameter in the signature, as scikit-learn's rule asks."""

    def __init__(self, hidden_layer_sizes=(8,), optimizer__learning_rate=0.001, **kwargs):
        super().__init__(hidden_layer_sizes=hidden_layer_sizes, **kwargs)
        self.optimizer__learning_rate = optimizer__learning_rate


def test_a_subclass_constructor_taking_kwargs_clones_searches_and_routes_them():
    from sklearn.utils.estimator_checks import check_no_attributes_set_in_init

    X, y = make_classification(n_samples=80, n_features=5, random_state=0)
    est = _KwargsMLP(hidden_layer_sizes=(4,), optimizer__learning_rate=0.05, random_state=0)
    copy = clone(est)
    assert copy.get_params()["optimizer__learning_rate"] == 0.05 and copy.random_state == 0
    grid = {"hidden_layer_sizes": [(4,), (6,)], "optimizer__learning_rate": [0.01, 0.1]}
    search = GridSearchCV(est, grid, cv=2).fit(X, y)
    assert set(search.best_params_) == set(grid)
    assert float(est.fit(X, y).model_.optimizer.learning_rate) == pytest.approx(0.05)
    # scikit-learn's rule: every attribute __init__ sets is in its signature. A
    # parameter that only travels through **kwargs breaks it; declared, it passes.
    with pytest.raises(AssertionError, match="optimizer__learning_rate"):
        check_no_attributes_set_in_init("_KwargsMLP", est)
    check_no_attributes_set_in_init("_DeclaredMLP", _DeclaredMLP(optimizer__learning_rate=0.05))
