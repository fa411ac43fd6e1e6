"""Bad input, case by case: each gets an error that says what happened and how to fix it.

Every case is a careless user's (or an attacker's) call; the test asserts
the error type and the words that tell the user what to do. docs/errors.md
lists the same table for readers. The module runs on TensorFlow and JAX.
"""

import keras
import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from skdeep import KerasClassifier, KerasRegressor
from skdeep.datasets import DatasetIntegrityError, load_bank_marketing
from skdeep.preprocessing import (
    ClassifierTargetEncoder,
    ImageReshaper,
    MultiHotEncoder,
    PixelScaler,
    TextToSequences,
)
from tests.builders import mlp

FAST = dict(epochs=1, batch_size=64, random_state=0)


def classifier(**params):
    return KerasClassifier(**{"model": mlp, **FAST, **params})


def regressor(**params):
    return KerasRegressor(**{"model": mlp, **FAST, **params})


@pytest.fixture(scope="module")
def data():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 4)).astype("float32")
    y = np.array(["a", "b", "c"] * 20, dtype=object)
    return X, y


def _with(X, row, column, value):
    X = X.copy()
    X[row, column] = value
    return X


def _labels_with_none(y):
    y = y.copy()
    y[5] = None
    return y


def _dict_output_model(meta):
    inputs = keras.Input(meta["input_shape_"])
    outputs = {"a": keras.layers.Dense(3)(inputs), "b": keras.layers.Dense(3)(inputs)}
    return keras.Model(inputs, outputs)


def _two_input_model(meta):
    left, right = keras.Input((2,), name="left"), keras.Input((2,), name="right")
    joined = keras.layers.Concatenate()([left, right])
    return keras.Model([left, right], keras.layers.Dense(3, activation="softmax")(joined))


def _sequence_output_model(meta):
    inputs = keras.Input(meta["input_shape_"])
    x = keras.layers.Reshape((4, 1))(inputs)
    return keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(x))


# (id, call(X, y), exception, words that must appear)
FIT_CASES = [
    ("X with NaN", lambda X, y: classifier().fit(_with(X, 3, 1, np.nan), y), ValueError, "NaN"),
    (
        "X with inf",
        lambda X, y: classifier().fit(_with(X, 0, 0, np.inf), y),
        ValueError,
        "infinity",
    ),
    ("empty X", lambda X, y: classifier().fit(X[:0], y[:0]), ValueError, "0 sample"),
    ("short y", lambda X, y: classifier().fit(X, y[:-1]), ValueError, "inconsistent numbers"),
    ("1-D X", lambda X, y: classifier().fit(X[:, 0], y), ValueError, "Expected 2D array"),
    ("y is None", lambda X, y: classifier().fit(X, None), ValueError, "requires y"),
    ("one class", lambda X, y: classifier().fit(X, ["a"] * len(X)), ValueError, "only one class"),
    (
        "continuous y for a classifier",
        lambda X, y: classifier().fit(X, X[:, 0]),
        ValueError,
        "use KerasRegressor",
    ),
    (
        "None among labels",
        lambda X, y: classifier().fit(X, _labels_with_none(y)),
        ValueError,
        "missing label",
    ),
    (
        "NaN in a regression target",
        lambda X, y: regressor().fit(X, _with(X, 2, 0, np.nan)[:, 0]),
        ValueError,
        "NaN",
    ),
    (
        "sample_weight of the wrong length",
        lambda X, y: classifier().fit(X, y, sample_weight=[1, 2, 3]),
        ValueError,
        "one weight per sample",
    ),
    (
        "negative sample_weight",
        lambda X, y: classifier().fit(X, y, sample_weight=-np.ones(len(X))),
        ValueError,
        "non-negative",
    ),
    (
        "zero sample_weight",
        lambda X, y: classifier().fit(X, y, sample_weight=np.zeros(len(X))),
        ValueError,
        "nothing to learn",
    ),
    *[
        (
            f"class_weight {value}",
            lambda X, y, value=value: classifier(class_weight={"a": value, "b": 1.0, "c": 1.0}).fit(
                X, y
            ),
            ValueError,
            "finite numbers >= 0",
        )
        for value in (np.nan, np.inf, -1.0)
    ],
    (
        "class_weight with a label that is not a class",
        lambda X, y: classifier(class_weight={"z": 2.0}).fit(X, y),
        ValueError,
        "not classes of y",
    ),
    (
        "class_weight for a regressor",
        lambda X, y: regressor().fit(X, X[:, 0], class_weight={0: 1.0}),
        ValueError,
        "sample_weight",
    ),
    ("epochs=0", lambda X, y: classifier(epochs=0).fit(X, y), ValueError, "'epochs' parameter"),
    ("fit(epochs=0)", lambda X, y: classifier().fit(X, y, epochs=0), ValueError, "epochs=0"),
    ("batch_size=0", lambda X, y: classifier(batch_size=0).fit(X, y), ValueError, "batch_size"),
    *[
        (
            f"fit__batch_size={value}",
            lambda X, y, value=value: classifier(fit__batch_size=value).fit(X, y),
            ValueError,
            f"Invalid fit__batch_size={value}",
        )
        for value in (0, -3)
    ],
    *[
        (
            f"predict__batch_size={value!r}",
            lambda X, y, value=value: classifier(predict__batch_size=value).fit(X, y),
            ValueError,
            "Invalid predict__batch_size",
        )
        for value in (-5, 0, 2.5, "abc")
    ],
    ("fit(x=X)", lambda X, y: classifier().fit(X, y, x=X), TypeError, "first argument"),
    (
        "fit(initial_epoch=...)",
        lambda X, y: classifier().fit(X, y, initial_epoch=2),
        TypeError,
        "warm_start",
    ),
    (
        "partial_fit(epochs=...)",
        lambda X, y: classifier().partial_fit(X, y, epochs=2),
        TypeError,
        "one epoch",
    ),
    (
        "a builder argument nobody takes",
        lambda X, y: classifier(hiden=12).fit(X, y),
        ValueError,
        "does not accept it",
    ),
    (
        "an unknown prefix",
        lambda X, y: classifier(fitt__shuffle=False).fit(X, y),
        ValueError,
        "unknown prefix",
    ),
    (
        "unknown optimizer",
        lambda X, y: classifier(optimizer="adamm").fit(X, y),
        ValueError,
        "Unknown optimizer",
    ),
    (
        "unknown loss",
        lambda X, y: classifier(loss="crossentropyy").fit(X, y),
        ValueError,
        "Unknown loss",
    ),
    (
        "unknown predict__ option",
        lambda X, y: classifier(predict__steps=3).fit(X, y),
        ValueError,
        "predict__batch_size",
    ),
    (
        "a builder that returns None",
        lambda X, y: classifier(model=lambda meta: None).fit(X, y),
        TypeError,
        "must return a keras.Model",
    ),
    (
        "output units that do not fit the classes",
        lambda X, y: classifier(
            model=lambda meta: keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
        ).fit(X, y),
        ValueError,
        "Dense(3",
    ),
    (
        "a model with a dict of two outputs",
        lambda X, y: classifier(model=_dict_output_model).fit(X, y),
        ValueError,
        "2 outputs",
    ),
    (
        "a model that outputs a sequence per sample",
        lambda X, y: classifier(model=_sequence_output_model).fit(X, y),
        ValueError,
        "Flatten or global pooling",
    ),
    (
        "malformed validation_data",
        lambda X, y: classifier().fit(X, y, validation_data=X),
        ValueError,
        "validation_data must be a tuple",
    ),
    (
        "validation labels that are not classes",
        lambda X, y: classifier().fit(X, y, validation_data=(X[:2], np.array(["a", "z"]))),
        ValueError,
        "not seen during fit",
    ),
    (
        "validation_fraction too large for the data",
        lambda X, y: classifier(validation_fraction=0.999).fit(X[:3], y[:3]),
        ValueError,
        "no rows for training",
    ),
    (
        "a routed option for a callback instance",
        lambda X, y: classifier(
            callbacks={"stop": keras.callbacks.EarlyStopping()}, callbacks__stop__patience=1
        ).fit(X, y),
        ValueError,
        "Pass its class instead",
    ),
    (
        "callbacks that are not callbacks",
        lambda X, y: classifier(callbacks=[print]).fit(X, y),
        TypeError,
        "keras.callbacks.Callback",
    ),
    (
        "inputs= missing an input of the model",
        lambda X, y: classifier(model=_two_input_model, inputs={"left": [0, 1]}).fit(X, y),
        ValueError,
        "which inputs= does not give",
    ),
    (
        "inputs= selecting the wrong number of columns",
        lambda X, y: classifier(
            model=_two_input_model, inputs={"left": [0, 1, 2], "right": [3]}
        ).fit(X, y),
        ValueError,
        "input 'left' takes samples of shape (2,)",
    ),
    (
        "inputs= naming a column X lacks",
        lambda X, y: classifier(inputs={"x": ["age"]}).fit(X, y),
        ValueError,
        "X has no column names",
    ),
    (
        "outputs= naming an output the model lacks",
        lambda X, y: classifier(model=_dict_output_model, outputs=["a", "c"]).fit(
            X, np.column_stack([y, y])
        ),
        ValueError,
        "the model has no output of that name",
    ),
    (
        "outputs= with y of another width",
        lambda X, y: classifier(outputs=["a", "b"]).fit(X, y),
        ValueError,
        "one column per output",
    ),
    (
        "a value output for a classifier",
        lambda X, y: classifier(outputs={"a": "class", "b": "value"}).fit(X, y),
        ValueError,
        "BaseWrapper",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "words"), [c[1:] for c in FIT_CASES], ids=[c[0] for c in FIT_CASES]
)
def test_bad_training_input_is_refused_with_what_to_do(data, call, error, words):
    X, y = data
    with pytest.raises(error) as raised:
        call(X, y)
    assert words in str(raised.value)


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return classifier().fit(X, y)


def _token_model(meta):
    return keras.Sequential(
        [
            keras.Input(meta["input_shape_"]),
            keras.layers.Embedding(10, 4),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


@pytest.fixture(scope="module")
def fitted_on_tokens():
    X = np.random.RandomState(0).randint(0, 10, size=(40, 6))
    return classifier(model=_token_model).fit(X, np.arange(40) % 2)


PREDICT_CASES = [
    ("too few features", lambda f, X, y: f.predict(X[:, :3]), ValueError, "expecting 4 features"),
    (
        "images instead of rows",
        lambda f, X, y: f.predict(X.reshape(-1, 2, 2)),
        ValueError,
        "samples of shape",
    ),
    ("NaN at predict", lambda f, X, y: f.predict(_with(X, 0, 0, np.nan)), ValueError, "NaN"),
    (
        "unseen labels in score",
        lambda f, X, y: f.score(X[:2], ["a", "daisy"]),
        ValueError,
        "not seen during fit",
    ),
    (
        "partial_fit with more target columns",
        lambda f, X, y: classifier().partial_fit(X, y).partial_fit(X, np.zeros((len(X), 2))),
        ValueError,
        "dimensions",
    ),
    (
        "partial_fit with a new class",
        lambda f, X, y: classifier().partial_fit(X[:20], y[:20] == "a").partial_fit(X, y),
        ValueError,
        "not seen during fit",
    ),
    ("predict(steps=...)", lambda f, X, y: f.predict(X, steps=2), TypeError, "batch_size="),
    (
        "predict(batch_size=0)",
        lambda f, X, y: f.predict(X, batch_size=0),
        ValueError,
        "Invalid predict__batch_size",
    ),
    ("predict before fit", lambda f, X, y: classifier().predict(X), NotFittedError, "not fitted"),
]


@pytest.mark.parametrize(
    ("call", "error", "words"), [c[1:] for c in PREDICT_CASES], ids=[c[0] for c in PREDICT_CASES]
)
def test_bad_prediction_input_is_refused_with_what_to_do(fitted, data, call, error, words):
    X, y = data
    with pytest.raises(error) as raised:
        call(fitted, X, y)
    assert words in str(raised.value)


@pytest.mark.parametrize(
    "ids", [[[1, 2, 10, 0, 0, 0]], [[1, -1, 2, 0, 0, 0]], [[1, 2.5, 2, 0, 0, 0]]]
)
def test_token_ids_outside_the_vocabulary_are_refused_at_predict_as_at_fit(fitted_on_tokens, ids):
    with pytest.raises(ValueError, match="token ids|whole numbers"):
        fitted_on_tokens.predict_proba(np.array(ids))
    assert fitted_on_tokens.predict(np.array([[1, 2, 9, 0, 0, 0]])).shape == (1,)


TRANSFORMER_CASES = [
    (
        "a token id beyond int32",
        lambda: TextToSequences().fit([[1, 2**31 + 5]]),
        ValueError,
        "int32",
    ),
    (
        "a huge id for multi-hot rows",
        lambda: MultiHotEncoder().fit([[1, 3_000_000_000]]),
        ValueError,
        "num_words",
    ),
    (
        "a dense multi-hot matrix too large for memory",
        lambda: MultiHotEncoder().fit([[1, 600_000_000]]).transform([[1]] * 1000),
        ValueError,
        "sparse_output=True",
    ),
    (
        "negative token ids",
        lambda: TextToSequences().fit([[1, -2]]),
        ValueError,
        "negative token id",
    ),
    ("maxlen=0", lambda: TextToSequences(maxlen=0).fit(["a b"]), ValueError, "invalid maxlen"),
    (
        "channels-first images",
        lambda: ImageReshaper((-1,)).fit(np.zeros((2, 4, 4, 3))).transform(np.zeros((2, 3, 4, 4))),
        ValueError,
        "scramble",
    ),
    ("negative pixels", lambda: PixelScaler().fit(-np.ones((2, 4))), ValueError, "Negative values"),
    (
        "an unknown target form",
        lambda: ClassifierTargetEncoder(form="colum").fit(["a", "b"]).transform(["a"]),
        ValueError,
        "Invalid form",
    ),
]


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [c[1:] for c in TRANSFORMER_CASES],
    ids=[c[0] for c in TRANSFORMER_CASES],
)
def test_transformers_refuse_bad_input_with_what_to_do(call, error, words):
    with pytest.raises(error) as raised:
        call()
    assert words in str(raised.value)


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00garbage\x00\x01", b"age;job\n30;admin\n", b"a,b,y\n1,2,maybe\n", b""],
    ids=["binary", "no target", "bad labels", "empty"],
)
def test_a_malformed_bank_marketing_file_is_named_in_the_error(tmp_path, content):
    path = tmp_path / "bank-full.csv"
    path.write_bytes(content)
    with pytest.raises(DatasetIntegrityError, match="bank-full.csv"):
        load_bank_marketing(path)
    assert path.read_bytes() == content  # only ever read
