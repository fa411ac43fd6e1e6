"""Fits that must come out the same before and after a change of the fit chain.

Runs a fixed set of seeded fits (arrays, sparse, several inputs and outputs,
validation, class weights, warm start, partial_fit, a PyDataset, keep_best,
early stopping, a regressor, builder-compiled models, the CNN and RNN
builders) and writes every fit's weights, history and predictions to one
``.npz``. Run it on the code before a refactoring and after, and compare:

    python scripts/equivalence.py before.npz            # on the old checkout
    python scripts/equivalence.py after.npz             # on the new one
    python scripts/equivalence.py --compare before.npz after.npz

A refactoring that moves code without changing behaviour gives identical
arrays (the comparison prints the largest difference per case).
"""

import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import sparse  # noqa: E402
from sklearn.datasets import load_iris  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

from skdeep import KerasClassifier, KerasRegressor  # noqa: E402
from skdeep.wrappers import BaseWrapper, SKLearnClassifier  # noqa: E402

X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X).astype("float32")
LABELS = np.array(["setosa", "versicolor", "virginica"], dtype=object)[y]
BASE = dict(hidden_layer_sizes=(8,), epochs=3, batch_size=16, random_state=0)


def compiled_builder(meta):
    model = keras.Sequential(
        [keras.Input(meta["input_shape_"]), keras.layers.Dense(3, activation="softmax")]
    )
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


def two_outputs(meta):
    inputs = keras.Input(meta["input_shape_"])
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    species = keras.layers.Dense(3, activation="softmax", name="species")(hidden)
    width = keras.layers.Dense(1, name="width")(hidden)
    return keras.Model(inputs, {"species": species, "width": width})


def two_inputs(meta):
    left, right = keras.Input((2,), name="left"), keras.Input((2,), name="right")
    joined = keras.layers.Concatenate()([left, right])
    return keras.Model(
        [left, right], keras.layers.Dense(3, activation="softmax")(keras.layers.Dense(8)(joined))
    )


def keras_wrapper_builder(X, y):
    model = keras.Sequential(
        [keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1], activation="softmax")]
    )
    model.compile("adam", "categorical_crossentropy")
    return model


class Batches(keras.utils.PyDataset):
    def __len__(self):
        return 5

    def __getitem__(self, index):
        rows = slice(index * 30, (index + 1) * 30)
        return X[rows], LABELS[rows]


def _seeded_wrapper():
    wrapper = SKLearnClassifier(keras_wrapper_builder, fit_kwargs={"epochs": 3})
    wrapper.random_state = 0  # not a parameter of Keras' wrappers; the class default is None
    return wrapper


def cases():
    """name -> a function returning a fitted estimator and the rows to predict."""
    yield "mlp", lambda: KerasClassifier("mlp", **BASE).fit(X, LABELS)
    yield "mlp-no-shuffle", lambda: KerasClassifier("mlp", shuffle=False, **BASE).fit(X, LABELS)
    yield "sparse", lambda: KerasClassifier("mlp", **BASE).fit(sparse.csr_matrix(X), LABELS)
    yield (
        "validation-fraction",
        lambda: KerasClassifier("mlp", validation_fraction=0.2, **BASE).fit(X, LABELS),
    )
    yield (
        "validation-split",
        lambda: KerasClassifier("mlp", validation_split=0.2, **BASE).fit(X, LABELS),
    )
    yield (
        "class-weight",
        lambda: KerasClassifier("mlp", class_weight="balanced", **BASE).fit(X[:120], LABELS[:120]),
    )
    yield "warm-start", lambda: KerasClassifier("mlp", warm_start=True, **BASE).fit(X, y).fit(X, y)
    yield "partial-fit", lambda: KerasClassifier("mlp", **BASE).partial_fit(X, y).partial_fit(X, y)
    yield "batches", lambda: KerasClassifier("mlp", **BASE).fit(Batches())
    yield (
        "keep-best",
        lambda: KerasClassifier("mlp", keep_best="val_loss", validation_fraction=0.2, **BASE).fit(
            X, y
        ),
    )
    yield (
        "early-stopping",
        lambda: KerasClassifier(
            "mlp", early_stopping=True, n_iter_no_change=1, **{**BASE, "epochs": 6}
        ).fit(X, y),
    )
    yield "regressor", lambda: KerasRegressor("mlp", **BASE).fit(X[:, :3], X[:, 3])
    yield (
        "compiled-builder",
        lambda: KerasClassifier(compiled_builder, epochs=3, random_state=0).fit(X, y),
    )
    yield "keras-wrapper", lambda: _seeded_wrapper().fit(X, y)
    yield (
        "two-outputs",
        lambda: BaseWrapper(
            two_outputs,
            outputs={"species": "class", "width": "value"},
            loss={"species": "sparse_categorical_crossentropy", "width": "mse"},
            epochs=3,
            random_state=0,
        ),
    )
    yield (
        "two-inputs",
        lambda: KerasClassifier(
            two_inputs, inputs={"left": [0, 1], "right": [2, 3]}, epochs=3, random_state=0
        ).fit(X, y),
    )
    yield (
        "sgd-learning-rate",
        lambda: KerasClassifier(
            "mlp", optimizer="sgd", learning_rate=0.1, momentum=0.9, decay=0.1, **BASE
        ).fit(X, y),
    )
    plain = {k: v for k, v in BASE.items() if k != "hidden_layer_sizes"}
    yield (
        "cnn",
        lambda: KerasClassifier(
            "cnn", input_shape=(2, 2, 1), filters=(4,), kernel_size=1, pool_size=1, **plain
        ).fit(X, y),
    )
    yield (
        "rnn",
        lambda: KerasClassifier("rnn", input_shape=(4, 1), units=(4,), **plain).fit(X, y),
    )


def run(output):
    found = {}
    for name, make in cases():
        keras.utils.set_random_seed(0)  # for the cases without random_state
        estimator = make()
        if name == "two-outputs":
            frame = pd.DataFrame({"species": LABELS, "width": X[:, 3]})
            estimator = estimator.fit(X, frame)
        for i, weight in enumerate(estimator.model_.get_weights()):
            found[f"{name}/weight{i}"] = weight
        rows = X[:20, :3] if name == "regressor" else X[:20]
        prediction = estimator.predict(rows)
        prediction = prediction.to_numpy() if hasattr(prediction, "to_numpy") else prediction
        found[f"{name}/predict"] = np.asarray(prediction).astype(str)
        found[f"{name}/history"] = np.frombuffer(
            json.dumps(estimator.history_, sort_keys=True).encode(), np.uint8
        )
        print(name, "done", flush=True)
    np.savez(output, **found)


def compare(before, after):
    a, b = np.load(before), np.load(after)
    names = sorted({key.split("/")[0] for key in a.files} | {key.split("/")[0] for key in b.files})
    different = 0
    for name in names:
        keys = sorted(k for k in set(a.files) | set(b.files) if k.startswith(name + "/"))
        worst = 0.0
        for key in keys:
            if key not in a.files or key not in b.files:
                print(f"{name}: {key} only in {'after' if key in b.files else 'before'}")
                worst = np.inf
                continue
            x, z = a[key], b[key]
            if x.shape != z.shape or x.dtype != z.dtype:
                worst = np.inf
            elif x.dtype.kind in "fc":
                worst = max(worst, float(np.max(np.abs(x - z))) if x.size else 0.0)
            elif not np.array_equal(x, z):
                worst = np.inf
        different += worst != 0
        print(f"{name:24s} {'identical' if worst == 0 else f'differs: {worst:g}'}")
    return different


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(1 if compare(sys.argv[2], sys.argv[3]) else 0)
    run(sys.argv[1])
