"""Epoch budgets of searches over the same candidates: grid, halving that restarts, halving
that continues (skdeep), and Keras Tuner's Hyperband.

The candidates are 27 MLPs (width and learning rate) drawn once from log
scales; every search sees exactly those on the bundled MNIST digits (1,000
images), with the same validation split (one 75/25 shuffle split, as Keras
Tuner validates) and at most the same epochs per candidate (27). Keras
Tuner's Hyperband runs twice: on the same 27 candidates (a ``hp.Choice``
over them), and as its users run it, sampling the same ranges itself over
all its brackets. The table gives, from one run, the epochs each search
trained in all, its wall time, and the accuracy of the candidate it chose,
retrained for the epochs it chose on the training part and scored on a test
part none of the searches saw.

Run: ``python -m benchmarks.tuning`` (``--smoke``: 3 epochs, 4 candidates).
Keras Tuner comes with the benchmark extra (``pip install -e ".[benchmark]"``).
"""

import tempfile
import time
import warnings

import keras
from scipy.stats import loguniform
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    ParameterSampler,
    ShuffleSplit,
    train_test_split,
)

from benchmarks._common import header, parse_args
from skdeep import KerasClassifier
from skdeep.datasets import load_mnist_subset
from skdeep.model_selection import HalvingEpochsGridSearchCV


def _data():
    X, y = load_mnist_subset(return_X_y=True)
    X = (X / 255.0).astype("float32")
    return train_test_split(X, y, test_size=0.25, stratify=y, random_state=0)


WIDTHS = [16, 32, 64, 128, 256]
LEARNING_RATES = (1e-3, 1e-1)


def _candidates(smoke):
    """The candidates every search sees, as a list of one-point grids."""
    space = {
        "hidden_layer_sizes": [(w,) for w in WIDTHS],
        "learning_rate": loguniform(*LEARNING_RATES),
    }
    drawn = ParameterSampler(space, 4 if smoke else 27, random_state=0)
    return [{name: [value] for name, value in params.items()} for params in drawn]


def _estimator(epochs):
    return KerasClassifier(model="mlp", epochs=epochs, batch_size=32, random_state=0)


def _test_accuracy(params, epochs, data):
    X_train, X_test, y_train, y_test = data
    return _estimator(epochs).set_params(**params).fit(X_train, y_train).score(X_test, y_test)


def grid_search(data, grid, epochs, cv):
    search = GridSearchCV(_estimator(epochs), grid, cv=cv, refit=False).fit(*data[::2])
    return search.best_params_, epochs, len(grid) * epochs


def restarting_halving(data, grid, epochs, cv):
    search = HalvingGridSearchCV(
        _estimator(epochs),
        grid,
        resource="epochs",
        max_resources=epochs,
        min_resources="exhaust",
        factor=3,
        cv=cv,
        refit=False,
    ).fit(*data[::2])
    trained = sum(r * c for r, c in zip(search.n_resources_, search.n_candidates_, strict=True))
    best = search.best_params_
    return {k: v for k, v in best.items() if k != "epochs"}, best.get("epochs", epochs), trained


def continuing_halving(data, grid, epochs, cv):
    search = HalvingEpochsGridSearchCV(_estimator(epochs), grid, factor=3, cv=cv, refit=False).fit(
        *data[::2]
    )
    return search.best_params_, search.best_epochs_, search.epochs_trained_


class _CountEpochs(keras.callbacks.Callback):
    """Counts epochs run; in a class attribute, since Keras Tuner copies its callbacks."""

    epochs = 0

    def on_epoch_end(self, epoch, logs=None):
        _CountEpochs.epochs += 1


def _hyperband(data, epochs, cv, build_model, to_params):
    import keras_tuner

    X_train, _, y_train, _ = data
    ((train, validation),) = cv.split(X_train)
    _CountEpochs.epochs = 0
    with tempfile.TemporaryDirectory() as folder:
        tuner = keras_tuner.Hyperband(
            build_model,
            objective="val_accuracy",
            max_epochs=epochs,
            factor=3,
            seed=0,
            directory=folder,
            project_name="benchmark",
            overwrite=True,
        )
        tuner.search(
            X_train[train],
            y_train[train],
            validation_data=(X_train[validation], y_train[validation]),
            batch_size=32,
            verbose=0,
            callbacks=[_CountEpochs()],
        )
        best = tuner.get_best_hyperparameters(1)[0].values
    return to_params(best), best.get("tuner/epochs", epochs), _CountEpochs.epochs


def _mlp(units, learning_rate):
    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    # Adam, as skdeep's built-in builders compile by default.
    optimizer = keras.optimizers.Adam(learning_rate)
    model.compile(optimizer, "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def hyperband_same_candidates(data, grid, epochs, cv):
    candidates = [{name: values[0] for name, values in point.items()} for point in grid]

    def build_model(hp):
        chosen = candidates[hp.Choice("candidate", list(range(len(candidates))))]
        return _mlp(chosen["hidden_layer_sizes"][0], chosen["learning_rate"])

    return _hyperband(data, epochs, cv, build_model, lambda best: candidates[best["candidate"]])


def hyperband_own_sampling(data, grid, epochs, cv):
    def build_model(hp):
        units = hp.Choice("units", WIDTHS)
        rate = hp.Float("learning_rate", *LEARNING_RATES, sampling="log")
        return _mlp(units, rate)

    def to_params(best):
        return {"hidden_layer_sizes": (best["units"],), "learning_rate": best["learning_rate"]}

    return _hyperband(data, epochs, cv, build_model, to_params)


def main(argv=None):
    args = parse_args(__doc__, argv, epochs="epochs of the last round (default 27)")
    epochs = args.epochs or (3 if args.smoke else 27)
    grid = _candidates(args.smoke)
    data = _data()
    cv = ShuffleSplit(1, test_size=0.25, random_state=0)
    header(f"tuning: {len(grid)} candidates, up to {epochs} epochs")
    searches = {
        "GridSearchCV": grid_search,
        "HalvingGridSearchCV(resource='epochs')": restarting_halving,
        "skdeep HalvingEpochsGridSearchCV": continuing_halving,
    }
    try:
        import keras_tuner  # noqa: F401

        searches["Keras Tuner Hyperband, same candidates"] = hyperband_same_candidates
        searches["Keras Tuner Hyperband, own sampling"] = hyperband_own_sampling
    except ImportError:
        print("Keras Tuner is not installed: pip install -e '.[benchmark]'")
    print(f"{'search':40s}{'epochs trained':>15s}{'wall time':>12s}{'test accuracy':>15s}")
    for name, search in searches.items():
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outcome = search(data, grid, epochs, cv)
        seconds = time.perf_counter() - start
        params, best_epochs, trained = outcome
        accuracy = _test_accuracy(params, int(best_epochs), data)
        shown = {k: float(round(v, 4)) if isinstance(v, float) else v for k, v in params.items()}
        print(f"{name:40s}{trained:15d}{seconds:11.1f}s{accuracy:15.3f}   {shown} {best_epochs}")
    print(
        "(epochs trained: over every candidate and fold of the search, without the refit; "
        "the chosen candidate and its epochs follow each row)"
    )


if __name__ == "__main__":
    main()
