"""What all built-in builders share: names, tuning, optimizer knobs, decay, persistence."""

import inspect
import pickle
import re

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV, StratifiedKFold

from skdeep import KerasClassifier, KerasRegressor
from skdeep.models import BUILDERS, cnn, mlp, rnn
from skdeep.models._docs import SHARED_PARAMETERS

META = {"input_shape_": (4,), "output_units_": 3, "output_activation_": "softmax"}


def _iris_mlp(**params):
    defaults = dict(model="mlp", hidden_layer_sizes=(8,), epochs=2, batch_size=30, random_state=0)
    return KerasClassifier(**{**defaults, **params})


def _learning_rate(clf):
    return float(keras.ops.convert_to_numpy(clf.model_.optimizer.learning_rate))


# ----------------------------------------------------------------------
# Names and parameters
# ----------------------------------------------------------------------
def test_builders_are_found_by_name_in_any_case(iris):
    X, y = iris
    assert set(BUILDERS) == {"mlp", "cnn", "rnn"}
    clf = _iris_mlp(model="MLP").fit(X, y)
    assert clf.model_.name == "mlp"


def test_an_unknown_builder_name_fails_at_fit_listing_the_names(iris):
    X, y = iris
    with pytest.raises(ValueError, match="Unknown model='transformer'.*'mlp', 'cnn', 'rnn'"):
        KerasClassifier(model="transformer").fit(X, y)


def test_builder_arguments_are_estimator_parameters_for_get_set_and_clone():
    clf = KerasClassifier(model="mlp", hidden_layer_sizes=(12, 8), activation="tanh")
    assert clf.get_params()["hidden_layer_sizes"] == (12, 8)
    clf.set_params(dropout=0.3, learning_rate=0.01)  # not given before: found in the builder
    twin = clone(clf)
    assert twin.get_params()["dropout"] == 0.3 and twin.get_params()["activation"] == "tanh"
    with pytest.raises(ValueError, match="Invalid parameter 'hiden_layer_sizes'"):
        clf.set_params(hiden_layer_sizes=(3,))


def test_a_misspelt_builder_argument_fails_at_fit_listing_the_real_ones(iris):
    X, y = iris
    with pytest.raises(ValueError, match="'hiden_layer_sizes'.*mlp\\(\\) does not accept it"):
        _iris_mlp(hiden_layer_sizes=(3,)).fit(X, y)


def test_builders_called_directly_return_compiled_models():
    model = mlp(META, hidden_layer_sizes=(5,))
    assert model.compiled and model.loss == "sparse_categorical_crossentropy"
    # The same default optimizer as KerasClassifier(model="mlp") (issue 25).
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    compiled = mlp(META, {"optimizer": keras.optimizers.Adam(), "loss": "categorical_crossentropy"})
    assert isinstance(compiled.optimizer, keras.optimizers.Adam)
    assert compiled.loss == "categorical_crossentropy"


def test_estimator_loss_and_metrics_reach_the_builder(iris):
    X, y = iris
    clf = _iris_mlp(loss="categorical_crossentropy", metrics=["accuracy"]).fit(X, y)
    assert clf.model_.loss == "categorical_crossentropy"
    assert "accuracy" in clf.history_
    assert clf.predict(X).shape == (150,)


# ----------------------------------------------------------------------
# Optimizer knobs and learning-rate decay
# ----------------------------------------------------------------------
def test_learning_rate_momentum_and_nesterov_configure_the_optimizer(iris):
    X, y = iris
    clf = _iris_mlp(optimizer="sgd", learning_rate=0.05, momentum=0.9, nesterov=True).fit(X, y)
    optimizer = clf.model_.optimizer
    assert isinstance(optimizer, keras.optimizers.SGD)
    assert _learning_rate(clf) == pytest.approx(0.05)
    assert optimizer.momentum == 0.9 and optimizer.nesterov is True


def test_momentum_on_an_optimizer_without_one_is_an_error(iris):
    X, y = iris
    with pytest.raises(ValueError, match="momentum=0.9: optimizer Adam has no momentum"):
        _iris_mlp(optimizer="adam", momentum=0.9).fit(X, y)


def test_two_different_learning_rates_are_a_conflict_not_a_silent_choice(iris):
    X, y = iris
    with pytest.raises(ValueError, match="learning_rate=0.2 conflicts"):
        _iris_mlp(optimizer="sgd", optimizer__learning_rate=0.1, learning_rate=0.2).fit(X, y)
    same = _iris_mlp(optimizer="sgd", optimizer__learning_rate=0.1, learning_rate=0.1)
    assert _learning_rate(same.fit(X, y)) == pytest.approx(0.1)


def test_time_based_decay_divides_the_rate_per_epoch(iris):
    X, y = iris
    clf = _iris_mlp(optimizer="sgd", learning_rate=0.1, decay=0.5, epochs=4).fit(X, y)
    assert _learning_rate(clf) == pytest.approx(0.1 / (1 + 0.5 * 4))


def test_step_decay_drops_the_rate_every_epochs_drop_epochs(iris):
    X, y = iris
    clf = _iris_mlp(
        optimizer="sgd",
        learning_rate=0.1,
        drop=0.5,
        epochs_drop=2,
        epochs=5,
        validation_split=0.2,
        batch_size=16,
    ).fit(X, y)
    assert _learning_rate(clf) == pytest.approx(0.1 * 0.5**2)


def test_decay_survives_pickling_and_continues_with_warm_start(iris):
    X, y = iris
    clf = _iris_mlp(optimizer="sgd", learning_rate=0.1, decay=1.0, epochs=2, warm_start=True)
    clf.fit(X, y)
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(restored.predict_proba(X), clf.predict_proba(X), rtol=1e-6)
    restored.fit(X, y)  # two more epochs
    assert _learning_rate(restored) == pytest.approx(0.1 / (1 + 1.0 * 4))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"learning_rate": -1.0}, "learning_rate=-1.0: expected a number > 0"),
        ({"decay": -0.1}, "decay=-0.1: expected a number >= 0"),
        ({"drop": 0}, "drop=0: expected a number > 0"),
        ({"epochs_drop": 0}, "epochs_drop=0: expected a positive integer"),
        ({"optimizer": "sgd", "momentum": 2.0}, "momentum=2.0: expected a number in [0, 1]"),
        ({"l2": -1}, "l2=-1: expected a number >= 0"),
        ({"max_norm": 0}, "max_norm=0"),
        ({"kernel_initializer": "gaussian"}, "kernel_initializer='gaussian'"),
        ({"activation": "rectifier"}, "activation='rectifier'"),
        ({"hidden_layer_sizes": (8, -2)}, "hidden_layer_sizes=(8, -2)"),
        ({"dropout": 1.0}, "dropout=1.0: expected a number in [0, 1)"),
    ],
)
def test_bad_shared_hyperparameters_fail_at_fit_naming_the_parameter(iris, params, message):
    X, y = iris
    with pytest.raises(ValueError, match=re.escape(message)):
        _iris_mlp(**params).fit(X, y)


@pytest.mark.parametrize(
    ("builder", "meta"),
    [
        (mlp, {"input_shape_": (8,)}),
        (cnn, {"input_shape_": (16, 16, 1)}),
        (rnn, {"input_shape_": (8, 2)}),
    ],
)
def test_every_family_applies_the_shared_hyperparameters(builder, meta):
    meta = {**meta, "output_units_": 1, "output_activation_": "sigmoid", "steps_per_epoch_": 5}
    assert set(SHARED_PARAMETERS) <= set(inspect.signature(builder).parameters)
    model = builder(
        meta,
        {"optimizer": keras.optimizers.SGD(), "loss": "binary_crossentropy"},
        kernel_initializer="he_normal",
        l2=0.01,
        max_norm=2.0,
        learning_rate=0.2,
        momentum=0.5,
        nesterov=True,
        decay=1.0,
        drop=0.5,
        epochs_drop=1,
    )
    output = model.layers[-1]
    assert isinstance(output.kernel_initializer, keras.initializers.HeNormal)
    assert output.kernel_regularizer.get_config()["l2"] == pytest.approx(0.01)
    assert output.kernel_constraint.max_value == 2.0
    optimizer = model.optimizer
    assert (optimizer.momentum, optimizer.nesterov) == (0.5, True)
    schedule = optimizer._learning_rate
    assert float(schedule(10)) == pytest.approx(0.2 / (1 + 2) * 0.5**2)  # epoch 2


# ----------------------------------------------------------------------
# Hyperparameter search, in parallel worker processes
# ----------------------------------------------------------------------
def test_grid_search_over_mlp_hyperparameters_in_two_processes(iris_strings):
    X, y = iris_strings
    grid = {
        "hidden_layer_sizes": [(8,), (12, 8)],
        "activation": ["relu", "tanh"],
        "optimizer": ["adam", "sgd"],
        "learning_rate": [1e-3, 1e-2],
    }
    search = GridSearchCV(
        KerasClassifier(model="mlp", epochs=6, batch_size=16, random_state=0),
        grid,
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        n_jobs=2,
        error_score="raise",
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 16
    assert search.best_score_ > 0.6  # majority class: 0.33
    assert search.best_params_["learning_rate"] in (1e-3, 1e-2)
    assert set(search.predict(X[:5])) <= set(y)


@pytest.mark.slow
def test_randomized_search_over_cnn_hyperparameters_in_two_processes(mnist):
    X, y = mnist
    search = RandomizedSearchCV(
        KerasClassifier(
            model="cnn",
            input_shape=(28, 28, 1),
            dense_units=(16,),
            optimizer="adam",
            learning_rate=0.01,
            epochs=4,
            batch_size=16,
            random_state=0,
        ),
        {
            "filters": [(4,), (8,), (4, 8)],
            "kernel_size": [3, 5],
            "pooling": ["max", "average"],
            "dropout": [0.0, 0.2],
        },
        n_iter=3,
        cv=2,
        n_jobs=2,
        random_state=0,
        error_score="raise",
    ).fit(X[::2], y[::2])
    assert search.best_score_ > 0.4  # majority class: 0.1
    assert search.best_params_["kernel_size"] in (3, 5)


@pytest.mark.slow
def test_grid_search_over_rnn_hyperparameters_in_two_processes(review_ids):
    X, y, vocabulary_size = review_ids
    search = GridSearchCV(
        KerasClassifier(
            model="rnn",
            vocabulary_size=vocabulary_size,
            embedding_dim=8,
            units=(8,),
            optimizer="adam",
            learning_rate=0.01,
            epochs=3,
            random_state=0,
        ),
        {"cell": ["lstm", "gru"], "bidirectional": [False, True]},
        cv=2,
        n_jobs=2,
        error_score="raise",
    ).fit(X[:300], y[:300])
    assert search.best_score_ > 0.7  # majority class: 0.5
    assert search.best_params_["cell"] in ("lstm", "gru")


def test_regressor_with_a_named_builder_pickles_and_predicts_the_same(iris):
    X, _ = iris
    y = X[:, 0] * 2.0 - X[:, 1]
    reg = KerasRegressor(model="mlp", hidden_layer_sizes=(8,), epochs=3, random_state=0).fit(X, y)
    restored = pickle.loads(pickle.dumps(reg))
    np.testing.assert_allclose(restored.predict(X), reg.predict(X), rtol=1e-6)
    assert restored.get_params()["model"] == "mlp"
