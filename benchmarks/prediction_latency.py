"""Prediction latency: skdeep against raw Keras and the other wrappers.

Every contender predicts with the same trained 12-8-1 network on Pima-sized
data (8 features), and skdeep's transformer gives that network's last hidden
layer; times are medians over repetitions, and the table gives
each one's ratio to skdeep. Peers that are not installed are reported as such.

Run: ``python -m benchmarks.prediction_latency`` (``--smoke`` for a one-repetition
check on tiny data, as CI does).
"""

import argparse
import os
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from benchmarks._common import seconds as measure  # noqa: E402
from skdeep import KerasClassifier, KerasTransformer  # noqa: E402


def build(meta=None, units=1):
    """The 12-8 network; ``units=2`` gives the softmax head keras.wrappers needs."""
    head = keras.layers.Dense(units, activation="sigmoid" if units == 1 else "softmax")
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(12, activation="relu"),
            keras.layers.Dense(8, activation="relu"),
            head,
        ]
    )
    loss = "binary_crossentropy" if units == 1 else "categorical_crossentropy"
    model.compile(optimizer="adam", loss=loss)
    return model


def contenders(X, y):
    """(name, predict function) pairs, each fitted on the same data."""
    ours = KerasClassifier(build, epochs=1, random_state=0).fit(X, y)
    found = [("skdeep predict_proba", ours.predict_proba)]
    raw = ours.model_
    found.append(("keras predict_on_batch", lambda rows: raw.predict_on_batch(rows)))
    found.append(("keras model.predict", lambda rows: raw.predict(rows, verbose=0)))
    # The same network as a transformer: the 8-unit layer's activations, from
    # a feature model made once and reused (the goal: within 2x of predict_proba).
    features = KerasTransformer(ours, layer=-2).fit(X, y)
    found.append(("skdeep KerasTransformer.transform", features.transform))
    try:
        from keras.wrappers import SKLearnClassifier

        peer = SKLearnClassifier(
            model=lambda X, y: build(units=2), fit_kwargs={"epochs": 1, "verbose": 0}
        )
        peer.fit(X, y)
        # It has no predict_proba; predict is its fastest path to an answer.
        found.append(("keras.wrappers SKLearnClassifier.predict", peer.predict))
    except Exception as error:  # noqa: BLE001  (report, do not hide)
        found.append(("keras.wrappers", f"unavailable: {type(error).__name__}: {error}"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from scikeras.wrappers import KerasClassifier as ScikerasClassifier

        peer = ScikerasClassifier(model=build, epochs=1, verbose=0).fit(X, y)
        found.append(("scikeras predict_proba", peer.predict_proba))
    except Exception as error:  # noqa: BLE001
        found.append(("scikeras", f"unavailable: {type(error).__name__}: {error}"))
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="one repetition, tiny data")
    args = parser.parse_args(argv)
    sizes = [1, 100] if args.smoke else [1, 100, 100_000]
    repetitions = 1 if args.smoke else 50
    rng = np.random.RandomState(0)
    X = rng.normal(size=(768, 8)).astype("float32")
    y = (X[:, 0] + X[:, 1] > 0).astype(int)
    print(f"keras {keras.__version__}, backend {keras.backend.backend()}")
    print(f"{'contender':45s} " + " ".join(f"{n:>16,d} rows" for n in sizes))
    runs = contenders(X, y)
    ours = {}
    for name, predict in runs:
        if isinstance(predict, str):
            print(f"{name:45s} {predict}")
            continue
        cells = []
        for n in sizes:
            rows = rng.normal(size=(n, 8)).astype("float32")
            reps = max(1, repetitions // 10) if n >= 10_000 else repetitions
            seconds = measure(
                lambda rows=rows, predict=predict: predict(rows), reps, warm_up=True, collect=False
            )
            ours.setdefault(n, seconds)
            cells.append(f"{seconds * 1e3:9.2f} ms {seconds / ours[n]:5.1f}x")
        print(f"{name:45s} " + " ".join(f"{c:>21s}" for c in cells))
    print("(ratios: time relative to skdeep predict_proba; higher is slower)")


if __name__ == "__main__":
    main()
