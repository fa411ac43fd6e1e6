"""Parallel search: GridSearchCV with n_jobs=1 against n_jobs=2, skdeep and scikeras.

8 candidates x 3 folds of a Pima-sized MLP. The speed-up is n_jobs=1 time
divided by n_jobs=2 time, so 2.0 is perfect on two cores. It depends on
each worker using only its share of the cores: skdeep limits TensorFlow's
(or XLA's) threads in joblib's workers to the share joblib gives them.

Run: ``python -m benchmarks.parallel_search`` (``--smoke``: 2 candidates x 2 folds).
"""

import os

from sklearn.model_selection import GridSearchCV

from benchmarks._common import header, parse_args, pima_like, scikeras_classifier, seconds
from skdeep import KerasClassifier


def searches(smoke):
    epochs = 2 if smoke else 20
    grid = {"hidden_layer_sizes": [(8,), (12, 8)]}
    if not smoke:
        grid.update({"optimizer": ["adam", "rmsprop"], "batch_size": [16, 32]})
    found = {
        "skdeep": (
            KerasClassifier(model="mlp", epochs=epochs, batch_size=16, random_state=0),
            grid,
        )
    }
    scikeras = scikeras_classifier()
    if isinstance(scikeras, str):
        found["scikeras"] = scikeras
    else:
        peer_grid = {**grid, "model__hidden": grid["hidden_layer_sizes"]}
        del peer_grid["hidden_layer_sizes"]
        found["scikeras"] = (
            scikeras(model=_scikeras_build, hidden=(8,), epochs=epochs, batch_size=16, verbose=0),
            peer_grid,
        )
    return found


def _scikeras_build(hidden, meta, compile_kwargs):
    import keras

    model = keras.Sequential(
        [keras.Input((meta["n_features_in_"],))]
        + [keras.layers.Dense(units, activation="relu") for units in hidden]
        + [keras.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=compile_kwargs["optimizer"], loss="binary_crossentropy")
    return model


def main(argv=None):
    args = parse_args(__doc__, argv)
    X, y = pima_like()
    folds = 2 if args.smoke else 3
    header(f"parallel search: {folds}-fold GridSearchCV, n_jobs=1 vs n_jobs=2")
    print(
        f"{'':10s}{'n_jobs=1':>12s}{'n_jobs=2':>12s}{'speed-up':>10s}"
        f"{'warm n_jobs=2':>15s}{'speed-up':>10s}"
    )
    # Warm this process (backend start-up, first compilation) so that the
    # first contender's n_jobs=1 time does not carry it.
    KerasClassifier(model="mlp", hidden_layer_sizes=(4,), epochs=1).fit(X[:64], y[:64])
    for name, item in searches(args.smoke).items():
        if isinstance(item, str):
            print(f"{name:10s}{item}")
            continue
        estimator, grid = item
        times = []
        for n_jobs in (1, 2, 2):
            # The first n_jobs=2 run includes starting the worker processes
            # (importing the framework in each); the second reuses them.
            search = GridSearchCV(estimator, grid, cv=folds, n_jobs=n_jobs, error_score="raise")
            times.append(seconds(lambda search=search: search.fit(X, y)))
        print(
            f"{name:10s}{times[0]:11.2f}s{times[1]:11.2f}s{times[0] / times[1]:9.2f}x"
            f"{times[2]:11.2f}s{times[0] / times[2]:9.2f}x"
        )
    print(f"(machine: {os.cpu_count()} cores; higher speed-up is better, 2.0 is ideal)")


if __name__ == "__main__":
    main()
