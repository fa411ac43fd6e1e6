"""Small-data training speed: skdeep against scikeras, keras.wrappers, raw Keras and MLPClassifier.

Every contender trains the same 12-8 network (adam, batch 10) for the same
number of epochs on Pima-sized (768 x 8) and Iris-sized (150 x 4) data, as
the tutorials do. Times are medians of full ``fit`` calls; the table gives
each one's ratio to skdeep.

Run: ``python -m benchmarks.training_speed`` (``--smoke``: 2 epochs, once).
Set ``KERAS_BACKEND=jax`` to measure the JAX backend.
"""

import warnings

import keras
from sklearn.datasets import load_iris
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from benchmarks._common import (
    header,
    keras_wrappers_classifier,
    parse_args,
    pima_like,
    scikeras_classifier,
    seconds,
    table,
)
from skdeep import KerasClassifier

HIDDEN = (12, 8)
BATCH = 10


def build(n_features, n_classes):
    """The tutorial network, compiled as the wrappers' builders compile it."""
    binary = n_classes == 2
    model = keras.Sequential(
        [keras.Input((n_features,))]
        + [keras.layers.Dense(units, activation="relu") for units in HIDDEN]
        + [
            keras.layers.Dense(
                1 if binary else n_classes, activation="sigmoid" if binary else "softmax"
            )
        ]
    )
    loss = "binary_crossentropy" if binary else "sparse_categorical_crossentropy"
    model.compile(optimizer="adam", loss=loss)
    return model


def contenders(X, y, epochs):
    n_features, n_classes = X.shape[1], len(set(y.tolist()))
    fits = {
        "skdeep KerasClassifier(model='mlp')": lambda: KerasClassifier(
            model="mlp",
            hidden_layer_sizes=HIDDEN,
            optimizer="adam",
            epochs=epochs,
            batch_size=BATCH,
            random_state=0,
        ).fit(X, y),
        "keras model.fit": lambda: build(n_features, n_classes).fit(
            X, y, epochs=epochs, batch_size=BATCH, verbose=0
        ),
    }
    scikeras = scikeras_classifier()
    fits["scikeras KerasClassifier"] = (
        scikeras
        if isinstance(scikeras, str)
        else lambda: scikeras(
            model=lambda: build(n_features, n_classes),
            epochs=epochs,
            batch_size=BATCH,
            verbose=0,
        ).fit(X, y)
    )
    wrappers = keras_wrappers_classifier()
    fits["keras.wrappers SKLearnClassifier"] = (
        wrappers
        if isinstance(wrappers, str)
        else lambda: wrappers(
            model=lambda X, y: _one_hot_build(n_features, n_classes),
            fit_kwargs={"epochs": epochs, "batch_size": BATCH, "verbose": 0},
        ).fit(X, y)
    )
    fits["sklearn MLPClassifier"] = lambda: MLPClassifier(
        HIDDEN,
        batch_size=BATCH,
        max_iter=epochs,
        n_iter_no_change=epochs + 1,
        tol=0.0,
        random_state=0,
    ).fit(X, y)
    return fits


def _one_hot_build(n_features, n_classes):
    # keras.wrappers one-hot encodes y, so its model needs a softmax per class.
    model = keras.Sequential(
        [keras.Input((n_features,))]
        + [keras.layers.Dense(units, activation="relu") for units in HIDDEN]
        + [keras.layers.Dense(n_classes, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def main(argv=None):
    args = parse_args(__doc__, argv, epochs="epochs per fit (default 150)")
    epochs = args.epochs or (2 if args.smoke else 150)
    repetitions = 1 if args.smoke else 3
    iris_X, iris_y = load_iris(return_X_y=True)
    data = {
        "Pima-sized, 768 x 8": pima_like(),
        "Iris-sized, 150 x 4": (StandardScaler().fit_transform(iris_X).astype("float32"), iris_y),
    }
    header(f"training speed: {epochs} epochs, batch {BATCH}, 12-8 MLP")
    for title, (X, y) in data.items():
        print(f"-- {title}")
        rows = []
        for name, fit in contenders(X, y, epochs).items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                warnings.simplefilter("ignore", UserWarning)
                value = (
                    fit
                    if isinstance(fit, str)
                    else seconds(fit, repetitions, warm_up=not args.smoke)
                )
            rows.append((name, value))
        table(rows, "skdeep KerasClassifier(model='mlp')")


if __name__ == "__main__":
    main()
