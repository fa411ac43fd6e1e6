"""Searches: halving over epochs with continued training, Optuna, ready spaces, validation."""

import keras
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    RandomizedSearchCV,
    cross_validate,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier, KerasRegressor
from skdeep.model_selection import (
    HalvingEpochsGridSearchCV,
    HalvingEpochsRandomSearchCV,
    epochs_run,
    from_keras_tuner,
    search_space,
)

GRID = {"hidden_layer_sizes": [(2,), (16,)], "learning_rate": [0.001, 0.03, 0.3]}


def _clf(**params):
    defaults = dict(model="mlp", epochs=9, batch_size=16, random_state=0)
    return KerasClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def halving(iris):
    X, y = iris
    return HalvingEpochsGridSearchCV(_clf(), GRID, cv=2).fit(X, y)


def test_rounds_give_more_epochs_to_fewer_candidates(halving):
    assert halving.n_resources_ == [1, 3, 9]
    assert halving.n_candidates_ == [6, 2, 1]
    assert halving.best_epochs_ == 9 and halving.best_params_ in halving.cv_results_["params"]


def test_survivors_continue_from_their_weights_instead_of_restarting(halving):
    results = halving.cv_results_
    # Every model has trained exactly the epochs its round reached, no more.
    np.testing.assert_array_equal(results["mean_epochs_run"], results["n_resources"])
    # 6 candidates x 2 folds x 1 epoch, then 2 x 2 x (3 - 1), then 1 x 2 x (9 - 3).
    assert halving.epochs_trained_ == 12 + 8 + 12


@pytest.mark.slow
def test_the_search_costs_less_than_restarting_and_than_a_grid(iris):
    X, y = iris
    # Nine candidates, so that scikit-learn's halving also runs three rounds (1, 3, 9 epochs).
    grid = {"hidden_layer_sizes": [(2,), (8,), (16,)], "learning_rate": [0.001, 0.03, 0.3]}
    continued = HalvingEpochsGridSearchCV(_clf(), grid, cv=2).fit(X, y)
    restarted = HalvingGridSearchCV(
        _clf(), grid, resource="epochs", max_resources=9, min_resources=1, factor=3, cv=2
    ).fit(X, y)
    assert restarted.n_resources_ == continued.n_resources_ == [1, 3, 9]
    # scikit-learn trains each survivor from scratch: every round costs its full epochs.
    restart_epochs = sum(
        n * c * 2 for n, c in zip(restarted.n_resources_, restarted.n_candidates_, strict=True)
    )
    grid_epochs = 9 * 9 * 2
    assert continued.epochs_trained_ == 9 * 2 + 3 * 2 * 2 + 1 * 6 * 2  # 42
    assert continued.epochs_trained_ < restart_epochs and restart_epochs == 54
    assert continued.epochs_trained_ <= grid_epochs / 3


def test_cv_results_rank_the_last_round_first(halving):
    results = halving.cv_results_
    best = int(np.argmin(results["rank_test_score"]))
    assert results["iter"][best] == max(results["iter"])
    assert {f"split{k}_test_score" for k in range(2)} <= set(results)
    assert results["param_learning_rate"].shape == (9,)  # 6 + 2 + 1 rows


def test_refit_trains_the_best_candidate_on_all_data(iris, halving):
    X, y = iris
    assert halving.best_estimator_.n_iter_ == 9
    assert halving.predict(X).shape == (150,) and 0 <= halving.score(X, y) <= 1


@pytest.mark.slow
def test_parallel_workers_give_the_same_results(iris, halving):
    X, y = iris
    parallel = HalvingEpochsGridSearchCV(_clf(), GRID, cv=2, n_jobs=2).fit(X, y)
    np.testing.assert_allclose(
        parallel.cv_results_["mean_test_score"], halving.cv_results_["mean_test_score"]
    )


def test_a_pipeline_continues_its_network_step(iris):
    X, y = iris
    pipe = make_pipeline(StandardScaler(), _clf(epochs=4))
    search = HalvingEpochsGridSearchCV(
        pipe, {"kerasclassifier__hidden_layer_sizes": [(4,), (16,)]}, factor=2, cv=2
    ).fit(X, y)
    assert search.n_resources_ == [2, 4]
    assert search.best_estimator_[-1].n_iter_ == 4


def test_a_failing_candidate_scores_error_score_and_drops_out(iris):
    X, y = iris
    grid = {"hidden_layer_sizes": [(4,), (-1,)]}
    search = HalvingEpochsGridSearchCV(_clf(epochs=4), grid, factor=2, cv=2).fit(X, y)
    assert search.best_params_ == {"hidden_layer_sizes": (4,)}
    assert np.isnan(search.cv_results_["mean_test_score"]).sum() == 1
    with pytest.raises(ValueError, match="hidden_layer_sizes"):
        HalvingEpochsGridSearchCV(_clf(epochs=4), grid, cv=2, error_score="raise").fit(X, y)


@pytest.mark.slow
def test_the_random_search_samples_from_a_ready_space(iris):
    X, y = iris
    search = HalvingEpochsRandomSearchCV(
        _clf(epochs=4), search_space("mlp"), n_candidates=4, factor=2, cv=2, random_state=0
    ).fit(X, y)
    assert search.n_candidates_[0] == 4 and set(search.best_params_) == set(search_space("mlp"))


@pytest.mark.parametrize(
    "family", ["mlp", *(pytest.param(f, marks=pytest.mark.slow) for f in ("cnn", "rnn"))]
)
def test_every_family_has_a_space_that_randomized_search_takes(iris, family):
    X, y = iris
    extra = {} if family == "mlp" else {"input_shape": (-1, 1)}
    search = RandomizedSearchCV(
        _clf(model=family, epochs=1, **extra), search_space(family), n_iter=2, cv=2, random_state=0
    )
    assert search.fit(X, y).best_params_


def test_a_tutorial_grid_is_reproducible_with_grid_search(iris):
    """The tutorials tune learning rate and momentum of SGD with GridSearchCV."""
    X, y = iris
    grid = {"learning_rate": [0.01, 0.1], "momentum": [0.0, 0.9]}
    search = GridSearchCV(_clf(optimizer="sgd", epochs=3), grid, cv=2).fit(X, y)
    assert len(search.cv_results_["params"]) == 4


def test_validation_fraction_is_shuffled_and_stratified_unlike_validation_split(iris):
    X, y = iris  # sorted by class: the last rows are all one species
    by_split = _clf(epochs=1, validation_split=0.2, metrics=["accuracy"]).fit(X, y)
    by_fraction = _clf(epochs=1, validation_fraction=0.2, metrics=["accuracy"]).fit(X, y)
    assert "val_accuracy" in by_fraction.history_ and "val_accuracy" in by_split.history_
    from skdeep._fit.data import holdout_split as split

    _, _, _, (X_val, y_val) = split(_clf(validation_fraction=0.2), X, y, None)
    assert sorted(np.bincount(y_val).tolist()) == [10, 10, 10]  # every class, in proportion


@pytest.mark.slow
def test_early_stopping_with_tol_gives_each_candidate_its_own_stopping_point(iris):
    X, y = iris
    search = GridSearchCV(
        _clf(
            epochs=200, early_stopping=True, n_iter_no_change=3, tol=0.01, validation_fraction=0.2
        ),
        {"learning_rate": [0.0001, 0.3]},
        scoring={"accuracy": "accuracy", "epochs": epochs_run},
        refit="accuracy",
        cv=2,
    ).fit(X, y)
    epochs = search.cv_results_["mean_test_epochs"]
    assert all(e < 200 for e in epochs) and len(set(epochs)) == 2


def test_epochs_run_reports_the_epochs_of_each_fit(iris):
    X, y = iris
    scores = cross_validate(_clf(epochs=2), X, y, cv=2, scoring={"e": epochs_run})
    assert scores["test_e"].tolist() == [2.0, 2.0]


def build_model(hp):
    """A Keras Tuner model function, as the Keras Tuner tutorials write them."""
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(
                units=hp.Int("units", min_value=8, max_value=64, step=8),
                activation=hp.Choice("activation", ["relu", "tanh"]),
            ),
        ]
    )
    if hp.Boolean("dropout"):
        model.add(keras.layers.Dropout(rate=0.25))
    model.add(keras.layers.Dense(3, activation="softmax"))
    learning_rate = hp.Float("lr", min_value=1e-4, max_value=1e-2, sampling="log")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_a_keras_tuner_model_function_becomes_a_builder_and_a_space(iris):
    X, y = iris
    builder, space = from_keras_tuner(build_model)
    assert set(space) == {"units", "activation", "dropout", "lr"}
    search = RandomizedSearchCV(
        KerasClassifier(builder, epochs=2, random_state=0), space, n_iter=3, cv=2, random_state=0
    ).fit(X, y)
    model = search.best_estimator_.model_
    assert model.layers[0].units == search.best_params_["units"]
    halving = HalvingEpochsRandomSearchCV(
        KerasClassifier(builder, epochs=4), space, n_candidates=4, factor=2, cv=2, random_state=0
    )
    assert halving.fit(X, y).n_resources_ == [1, 2, 4]


@pytest.mark.slow
def test_optuna_search_with_pruning_through_partial_fit(iris):
    optuna_integration = pytest.importorskip("optuna_integration")
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    X, y = iris
    search = optuna_integration.OptunaSearchCV(
        _clf(epochs=1),
        search_space("mlp", kind="optuna"),
        n_trials=4,
        cv=2,
        enable_pruning=True,
        max_iter=3,
        random_state=0,
    ).fit(X, y)
    assert len(search.trials_) == 4 and search.best_estimator_.predict(X).shape == (150,)


def test_optuna_search_on_a_pipeline_of_a_regressor(iris):
    optuna_integration = pytest.importorskip("optuna_integration")
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    X, _ = iris
    pipe = make_pipeline(StandardScaler(), KerasRegressor("mlp", epochs=2, random_state=0))
    search = optuna_integration.OptunaSearchCV(
        pipe, search_space("mlp", kind="optuna", prefix="kerasregressor__"), n_trials=2, cv=2
    ).fit(X, X[:, 0])
    assert search.best_estimator_.predict(X).shape == (150,)


@pytest.mark.parametrize("search", [HalvingEpochsGridSearchCV, HalvingEpochsRandomSearchCV])
def test_clone_keeps_every_setting_of_the_search(search):
    original = search(_clf(), GRID, factor=2, cv=4, max_epochs=8, n_jobs=2, random_state=3)
    copy = clone(original).get_params(deep=False)
    expected = original.get_params(deep=False)
    assert copy.pop("estimator").get_params() == expected.pop("estimator").get_params()
    assert copy == expected and copy["cv"] == 4 and copy["factor"] == 2
