"""Parameters: routing, get/set_params, clone, and fit never changing them."""

import copy

import keras
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.model_selection import GridSearchCV

from skdeep import KerasClassifier, KerasRegressor
from tests.builders import mlp
from tests.conftest import fast_classifier


def test_mixins_make_sklearn_recognise_the_estimators():
    assert is_classifier(KerasClassifier(mlp))
    assert is_regressor(KerasRegressor(mlp))


def test_builder_arguments_plain_and_prefixed_round_trip_through_get_params():
    clf = KerasClassifier(mlp, hidden=12, model__activation="tanh", fit__shuffle=False)
    params = clf.get_params()
    assert params["hidden"] == 12
    assert params["model__activation"] == "tanh"
    assert params["fit__shuffle"] is False
    clone_params = clone(clf).get_params()
    assert clone_params.keys() == params.keys()


def test_builder_receives_only_declared_arguments_meta_and_compile_kwargs(iris):
    received = {}

    def builder(meta, compile_kwargs, hidden=3):
        received.update(meta=meta, compile_kwargs=compile_kwargs, hidden=hidden)
        return mlp(meta, hidden=hidden)

    X, y = iris
    KerasClassifier(builder, hidden=5, optimizer="sgd", optimizer__learning_rate=0.3).fit(X, y)
    assert received["hidden"] == 5
    assert received["meta"]["n_classes_"] == 3
    assert received["meta"]["n_features_in_"] == 4
    assert received["meta"]["input_shape_"] == (4,)
    assert received["meta"]["output_units_"] == 3
    assert list(received["meta"]["classes_"]) == [0, 1, 2]
    optimizer = received["compile_kwargs"]["optimizer"]
    assert isinstance(optimizer, keras.optimizers.SGD)
    assert float(optimizer.learning_rate) == pytest.approx(0.3)


def test_model_prefix_overrides_plain_argument(iris):
    seen = []

    def builder(meta, hidden=1):
        seen.append(hidden)
        return mlp(meta, hidden=hidden)

    X, y = iris
    KerasClassifier(builder, hidden=4, model__hidden=7).fit(X, y)
    assert seen == [7]


def test_unknown_parameter_fails_at_fit_naming_it(iris):
    X, y = iris
    clf = KerasClassifier(mlp, hiden=12)
    with pytest.raises(ValueError, match="'hiden'.*does not accept"):
        clf.fit(X, y)


def test_unknown_prefix_is_an_error(iris):
    X, y = iris
    with pytest.raises(ValueError, match="unknown prefix"):
        KerasClassifier(mlp, fitt__shuffle=False).fit(X, y)


def test_set_params_accepts_builder_arguments_and_rejects_others():
    clf = KerasClassifier(mlp)
    clf.set_params(activation="tanh", optimizer__momentum=0.9)
    assert clf.get_params()["activation"] == "tanh"
    with pytest.raises(ValueError, match="Invalid parameter 'nonsense'"):
        clf.set_params(nonsense=1)


def test_fit_never_changes_parameters_including_dicts_and_lists(iris):
    X, y = iris
    callbacks = {"stop": keras.callbacks.EarlyStopping(monitor="loss", patience=2)}
    metrics = ["accuracy"]
    clf = fast_classifier(
        callbacks=callbacks, metrics=metrics, class_weight={0: 1.0, 1: 2.0, 2: 1.0}
    )
    before = copy.deepcopy(clf.get_params())
    clf.fit(X, y)
    after = clf.get_params()
    assert after.keys() == before.keys()
    assert clf.callbacks is callbacks and clf.metrics is metrics
    assert metrics == ["accuracy"]
    assert callbacks["stop"].model is None  # the instance given was never attached
    assert after["class_weight"] == {0: 1.0, 1: 2.0, 2: 1.0}


def test_clone_of_fitted_estimator_keeps_parameters_and_drops_fit(fitted_iris):
    cloned = clone(fitted_iris)
    assert cloned.get_params()["hidden"] == 16
    assert not hasattr(cloned, "model_")


def test_legacy_build_fn_style_with_grid_over_builder_arguments(pima):
    X, y = pima

    def create_model(optimizer="rmsprop", init="glorot_uniform"):
        model = keras.Sequential(
            [
                keras.layers.Dense(12, input_dim=8, kernel_initializer=init, activation="relu"),
                keras.layers.Dense(1, kernel_initializer=init, activation="sigmoid"),
            ]
        )
        model.compile(loss="binary_crossentropy", optimizer=optimizer, metrics=["accuracy"])
        return model

    model = KerasClassifier(build_fn=create_model, epochs=2, batch_size=64, verbose=0)
    grid = {
        "optimizer": ["rmsprop", "adam"],
        "init": ["uniform", "normal"],
        "epochs": [1, 2],
    }
    search = GridSearchCV(model, grid, cv=2).fit(X[:200], y[:200])
    assert set(search.best_params_) == {"optimizer", "init", "epochs"}
    assert set(search.predict(X[:5])) <= {"pos", "neg"}


def test_model_and_build_fn_together_is_an_error(iris):
    X, y = iris
    with pytest.raises(ValueError, match="Both model and build_fn"):
        KerasClassifier(model=mlp, build_fn=mlp).fit(X, y)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"epochs": -1}, "'epochs' parameter"),
        ({"batch_size": 0}, "'batch_size' parameter"),
        ({"validation_split": 1.5}, "'validation_split' parameter"),
        ({"optimizer": "adamm"}, "Unknown optimizer: optimizer='adamm'"),
        ({"loss": "cross_entropy_typo"}, "Unknown loss: loss='cross_entropy_typo'"),
        ({"model": None}, "needs a model builder"),
        ({"predict__steps": 1}, "predict__"),
        ({"optimizer__learning_rat": 0.1}, "optimizer__ parameters"),
    ],
)
def test_invalid_parameters_fail_at_fit_with_clear_messages(iris, params, message):
    X, y = iris
    with pytest.raises((ValueError, TypeError), match=message):
        fast_classifier(**params).fit(X, y)


def test_builder_returning_something_else_is_a_type_error(iris):
    X, y = iris
    with pytest.raises(TypeError, match="must return a keras.Model; it returned NoneType"):
        KerasClassifier(lambda meta: None).fit(X, y)


def test_init_only_stores_arguments():
    clf = KerasClassifier(mlp, epochs=-5, optimizer="nope", hidden=3)
    assert clf.epochs == -5 and clf.optimizer == "nope"
    assert not [k for k in vars(clf) if k.endswith("_")]


def test_optimizer_instance_is_copied_per_fit(iris):
    X, y = iris
    optimizer = keras.optimizers.Adam(learning_rate=0.02)
    clf = KerasClassifier(mlp, optimizer=optimizer, epochs=2)
    clf.fit(X, y)
    assert clf.model_.optimizer is not optimizer
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.02)
    clf.fit(X, y)  # a second fit with the same instance works
    assert int(optimizer.iterations) == 0  # the caller's optimizer never stepped


def test_routed_optimizer_options_override_the_instance_config(iris):
    X, y = iris
    optimizer = keras.optimizers.Adam(learning_rate=0.02)
    clf = KerasClassifier(mlp, optimizer=optimizer, optimizer__learning_rate=0.1).fit(X, y)
    assert float(clf.model_.optimizer.learning_rate) == pytest.approx(0.1)


def test_grid_search_can_switch_builder_families_with_their_own_arguments(iris):
    """set_params checks each key against the final builder, not the one before."""
    from sklearn.model_selection import GridSearchCV

    X, y = iris
    grid = [
        {"model": ["mlp"], "hidden_layer_sizes": [(4,)]},
        {"model": ["cnn"], "filters": [(4,)], "input_shape": [(-1, 1)], "dense_units": [(4,)]},
    ]
    search = GridSearchCV(KerasClassifier(model="mlp", epochs=1, batch_size=64), grid, cv=2)
    search.fit(X, y)
    assert len(search.cv_results_["params"]) == 2
    clf = KerasClassifier(model="mlp").set_params(model="cnn", filters=(8,))
    assert clf.get_params()["filters"] == (8,)
    with pytest.raises(ValueError, match="Invalid parameter 'filters'"):
        KerasClassifier(model="mlp").set_params(filters=(8,))
    unchanged = KerasClassifier(model="mlp")
    with pytest.raises(ValueError):
        unchanged.set_params(model="cnn", nonsense=1)
    assert unchanged.model == "mlp" and not hasattr(unchanged, "nonsense")  # all or nothing
