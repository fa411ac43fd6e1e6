"""Cross-validation and a grid search of a small MLP: skdeep against its peers.

The Pima pipeline (``StandardScaler`` then an MLP 12-8, Adam, batch 10) in
a 10-fold ``cross_val_score`` at 40 and at 150 epochs, and in a
27-candidate ``GridSearchCV`` with 3 folds (learning rate x batch size x
epochs: candidates that share one network). Contenders: skdeep as it
runs by default (a fit of a network an earlier fit compiled trains a kept
compiled copy), skdeep with that reuse off (``reuse_compiled=False``),
scikeras, and scikit-learn's ``MLPClassifier`` with the same layers,
epochs (``max_iter``, no early stopping) and batch size. Each row gives
the seconds of one run and the ratio to ``MLPClassifier``; the mean score
shows that the contenders learn alike.

scikeras takes about 15 times ``MLPClassifier``'s time on TensorFlow, so it
runs only in the 40-epoch cross-validation unless ``--all-peers`` is given
(its 150-epoch and grid runs then take most of an hour on two cores).

Run: ``python -m benchmarks.cross_validation`` (``--smoke``: 3 folds,
2 epochs, a 2-candidate grid; ``--all-peers``: scikeras in every run).
Set ``KERAS_BACKEND=jax`` for JAX.
"""

import argparse
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from benchmarks._common import header, scikeras_classifier
from skdeep import KerasClassifier, config_context
from skdeep.datasets import load_pima

HIDDEN = (12, 8)


def pima():
    """The bundled Pima data, raw (the pipeline scales it), with 0/1 labels."""
    X, y = load_pima(return_X_y=True)
    return np.asarray(X, dtype="float32"), (np.asarray(y) == "pos").astype("int64")


def contenders(epochs, scikeras=True):
    """(name, estimator or reason it is missing, run inside) per contender.

    Every estimator is the last step of a pipeline named ``model``; the
    grid's parameter names below follow from that.
    """
    found = [
        (
            "MLPClassifier",
            MLPClassifier(
                HIDDEN,
                batch_size=10,
                max_iter=epochs,
                n_iter_no_change=epochs + 1,
                tol=0.0,
                random_state=0,
            ),
            None,
        ),
        ("skdeep", _skdeep(epochs), None),
        ("skdeep, reuse off", _skdeep(epochs), {"reuse_compiled": False}),
    ]
    if not scikeras:
        found.append(("scikeras", "not run here (--all-peers runs it)", None))
        return found
    scikeras = scikeras_classifier()
    if isinstance(scikeras, str):
        found.append(("scikeras", scikeras, None))
    else:
        found.append(
            (
                "scikeras",
                scikeras(
                    model=_scikeras_build,
                    optimizer="adam",
                    loss="binary_crossentropy",
                    epochs=epochs,
                    batch_size=10,
                    random_state=0,
                    verbose=0,
                ),
                None,
            )
        )
    return found


def _skdeep(epochs):
    return KerasClassifier(
        model="mlp",
        hidden_layer_sizes=HIDDEN,
        optimizer="adam",
        epochs=epochs,
        batch_size=10,
        random_state=0,
    )


def _scikeras_build(meta, compile_kwargs):
    import keras

    model = keras.Sequential(
        [keras.Input((meta["n_features_in_"],))]
        + [keras.layers.Dense(units, activation="relu") for units in HIDDEN]
        + [keras.layers.Dense(1, activation="sigmoid")]
    )
    model.compile(optimizer=compile_kwargs["optimizer"], loss=compile_kwargs["loss"])
    return model


def grid_of(name, smoke):
    """The same 27 candidates, in each contender's parameter names."""
    rates = [0.001, 0.003] if smoke else [0.001, 0.003, 0.01]
    batches = [10] if smoke else [10, 32, 64]
    epochs = [2] if smoke else [10, 20, 40]
    if name == "MLPClassifier":
        names = ("learning_rate_init", "batch_size", "max_iter")
    elif name == "scikeras":
        names = ("optimizer__learning_rate", "batch_size", "epochs")
    else:
        names = ("learning_rate", "batch_size", "epochs")
    return {
        f"model__{key}": values for key, values in zip(names, (rates, batches, epochs), strict=True)
    }


def run(name, estimator, settings, job):
    """Seconds and mean score of ``job(pipeline)``, under the contender's settings."""
    pipeline = Pipeline([("scale", StandardScaler()), ("model", estimator)])
    with config_context(**(settings or {})), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        score = job(name, pipeline)
        return time.perf_counter() - start, score


def print_rows(title, rows):
    print(title)
    reference = {name: seconds for name, seconds, _ in rows}.get("MLPClassifier")
    for name, seconds, score in rows:
        if seconds is None:
            print(f"  {name:20s}{score}")
            continue
        ratio = f"{seconds / reference:6.2f}x" if reference else ""
        print(f"  {name:20s}{seconds:9.2f} s  {ratio}   score {score:.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny runs: what CI runs")
    parser.add_argument("--all-peers", action="store_true", help="scikeras in every run")
    args = parser.parse_args(argv)
    X, y = pima()
    folds = 3 if args.smoke else 10
    header("cross-validation and grid search of the Pima MLP 12-8, batch 10")
    # One small fit first, so that no contender's time carries the
    # framework's start-up (the first fit of a process traces more).
    KerasClassifier(model="mlp", hidden_layer_sizes=(4,), epochs=1).fit(X[:64], y[:64])
    cv = StratifiedKFold(folds, shuffle=True, random_state=0)

    def cross_validation(name, pipeline):
        return cross_val_score(pipeline, X, y, cv=cv).mean()

    for epochs in (2,) if args.smoke else (40, 150):
        rows = []
        for name, estimator, settings in contenders(epochs, epochs <= 40 or args.all_peers):
            if isinstance(estimator, str):
                rows.append((name, None, estimator))
                continue
            rows.append((name, *run(name, estimator, settings, cross_validation)))
        print_rows(f"{folds}-fold cross_val_score, {epochs} epochs:", rows)

    grid_folds = StratifiedKFold(2 if args.smoke else 3, shuffle=True, random_state=0)

    def search(name, pipeline):
        found = GridSearchCV(
            pipeline, grid_of(name, args.smoke), cv=grid_folds, error_score="raise"
        )
        return found.fit(X, y).best_score_

    rows = []
    for name, estimator, settings in contenders(2, args.smoke or args.all_peers):
        if isinstance(estimator, str):
            rows.append((name, None, estimator))
            continue
        rows.append((name, *run(name, estimator, settings, search)))
    candidates = np.prod([len(v) for v in grid_of("skdeep", args.smoke).values()])
    print_rows(
        f"GridSearchCV, {candidates} candidates x {grid_folds.n_splits} folds (best score):", rows
    )
    print("(ratio: seconds / MLPClassifier's; lower is better. One run, not a median.)")


if __name__ == "__main__":
    main()
