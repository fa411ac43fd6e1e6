"""Fit overhead: skdeep ``fit`` against raw Keras ``model.fit`` on the same model.

For each family (a tabular MLP, a CNN on MNIST-shaped images, an LSTM on
token ids) both sides train the very same architecture, built by the same
skdeep builder, with the same data, epochs, batch size and seed. The ratio
is skdeep's time over raw Keras' time: 1.00 means the wrapper costs nothing.

Run: ``python -m benchmarks.fit_overhead`` (``--smoke``: tiny data, once).
"""

from functools import partial

import numpy as np

from benchmarks._common import header, paired_seconds, parse_args, pima_like
from skdeep import KerasClassifier
from skdeep.models import get_builder


def cases(scale):
    """(title, X, y, estimator parameters, epochs, batch size) per family.

    ``scale`` multiplies the number of samples: 1 is the benchmark's size.
    """
    rng = np.random.RandomState(0)
    X_tab, y_tab = pima_like(int(768 * scale))
    n_images = max(64, int(1000 * scale))
    images = rng.randint(0, 256, size=(n_images, 28, 28, 1)).astype("float32") / 255.0
    digits = rng.randint(0, 10, size=n_images)
    n_texts = max(64, int(1000 * scale))
    tokens = rng.randint(1, 5000, size=(n_texts, 100))
    sentiment = (tokens[:, :10].mean(axis=1) > 2500).astype(int)
    return [
        (
            "MLP 12-8, Pima-sized",
            X_tab,
            y_tab,
            {"model": "mlp", "hidden_layer_sizes": (12, 8)},
            10,
            10,
        ),
        (
            "CNN 32-64, MNIST-shaped",
            images,
            digits,
            {"model": "cnn", "filters": (32, 64), "dense_units": (128,)},
            1,
            32,
        ),
        (
            "LSTM 64, token ids x 100",
            tokens,
            sentiment,
            {"model": "rnn", "units": (64,), "vocabulary_size": 5000, "embedding_dim": 32},
            1,
            32,
        ),
    ]


def raw_keras_fit(X, y, params, epochs, batch_size):
    """Build the same model with the same builder and train it with ``model.fit``."""
    import keras

    builder = get_builder(params["model"])
    arguments = {k: v for k, v in params.items() if k != "model"}
    n_classes = len(np.unique(y))
    binary = n_classes == 2
    meta = {
        "input_shape_": X.shape[1:],
        "output_units_": 1 if binary else n_classes,
        "output_activation_": "sigmoid" if binary else "softmax",
        "X_min_": float(X.min()),
        "X_max_": float(X.max()),
    }
    keras.utils.set_random_seed(0)
    model = builder(
        meta, {"optimizer": keras.optimizers.Adam(), "loss": _loss(binary)}, **arguments
    )
    model.fit(
        X, y.astype("float32") if binary else y, epochs=epochs, batch_size=batch_size, verbose=0
    )
    return model


def skdeep_fit(X, y, params, epochs, batch_size):
    return KerasClassifier(
        **params, optimizer="adam", epochs=epochs, batch_size=batch_size, random_state=0
    ).fit(X, y)


def _loss(binary):
    return "binary_crossentropy" if binary else "sparse_categorical_crossentropy"


def main(argv=None):
    args = parse_args(__doc__, argv)
    scale, repetitions = (0.05, 1) if args.smoke else (1.0, 7)
    header("fit overhead: skdeep fit / raw keras model.fit, same model, data and seed")
    print(f"{'':28s}{'keras fit':>12s}{'skdeep fit':>12s}{'ratio':>8s}")
    for title, X, y, params, epochs, batch_size in cases(scale):
        raw, ours = paired_seconds(
            partial(raw_keras_fit, X, y, params, epochs, batch_size),
            partial(skdeep_fit, X, y, params, epochs, batch_size),
            repetitions,
            warm_up=True,
        )
        print(f"{title:28s}{raw:11.3f}s{ours:11.3f}s{ours / raw:8.3f}")
    print("(ratio: lower is better; the goal is at most 1.03)")


if __name__ == "__main__":
    main()
