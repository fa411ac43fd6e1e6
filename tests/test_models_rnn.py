"""The built-in RNN: cells, stacking, bidirectional layers, embeddings and sequences."""

import re

import keras
import numpy as np
import pytest
from sklearn.model_selection import train_test_split

from skdeep import KerasClassifier, KerasRegressor
from skdeep.models import rnn

TEXT_META = {
    "input_shape_": (20,),
    "output_units_": 1,
    "output_activation_": "sigmoid",
    "X_min_": 0.0,
    "X_max_": 50.0,
}


def _kinds(model):
    return [type(layer).__name__ for layer in model.layers[1:]]


def _text_classifier(vocabulary_size, **params):
    defaults = dict(
        model="rnn",
        vocabulary_size=vocabulary_size,
        embedding_dim=16,
        units=(16,),
        optimizer="adam",
        learning_rate=0.01,
        epochs=5,
        batch_size=32,
        random_state=0,
    )
    return KerasClassifier(**{**defaults, **params})


@pytest.fixture(scope="module")
def review_split(review_ids):
    X, y, vocabulary_size = review_ids
    return (*train_test_split(X, y, stratify=y, random_state=0), vocabulary_size)


@pytest.mark.parametrize("cell", ["lstm", "gru", "simple"])
def test_each_cell_learns_sentiment_from_token_ids(review_split, cell):
    X_train, X_test, y_train, y_test, vocabulary_size = review_split
    clf = _text_classifier(vocabulary_size, cell=cell).fit(X_train, y_train)
    expected = {"lstm": "LSTM", "gru": "GRU", "simple": "SimpleRNN"}[cell]
    assert _kinds(clf.model_) == ["Embedding", expected, "Dense"]
    assert clf.score(X_test, y_test) > 0.8  # majority: 0.5


def test_cnn_lstm_front_learns_sentiment(review_split):
    X_train, X_test, y_train, y_test, vocabulary_size = review_split
    clf = _text_classifier(vocabulary_size, conv_filters=16, conv_kernel_size=3).fit(
        X_train, y_train
    )
    assert _kinds(clf.model_) == ["Embedding", "Conv1D", "MaxPooling1D", "LSTM", "Dense"]
    assert clf.score(X_test, y_test) > 0.8


def test_stacked_layers_return_sequences_except_the_last():
    model = rnn(TEXT_META, units=(8, 6, 4), vocabulary_size=51)
    recurrent = [layer for layer in model.layers if isinstance(layer, keras.layers.LSTM)]
    assert [layer.units for layer in recurrent] == [8, 6, 4]
    assert [layer.return_sequences for layer in recurrent] == [True, True, False]


def test_bidirectional_wraps_every_recurrent_layer_and_doubles_its_output():
    model = rnn(TEXT_META, cell="gru", units=(8, 4), bidirectional=True, vocabulary_size=51)
    wrapped = [layer for layer in model.layers if isinstance(layer, keras.layers.Bidirectional)]
    assert [type(layer.forward_layer).__name__ for layer in wrapped] == ["GRU", "GRU"]
    assert wrapped[-1].output.shape[-1] == 8


def test_dropouts_mask_and_dense_head_follow_the_parameters():
    model = rnn(
        TEXT_META,
        units=8,
        dropout=0.2,
        recurrent_dropout=0.1,
        mask_zero=True,
        vocabulary_size=51,
        dense_units=(6,),
        dense_dropout=0.5,
    )
    assert model.layers[1].mask_zero is True
    lstm = model.layers[2]
    assert (lstm.dropout, lstm.recurrent_dropout) == (0.2, 0.1)
    assert _kinds(model)[2:] == ["Dense", "Dropout", "Dense"]


def test_masked_and_unmasked_models_train_on_padded_text(review_split):
    X_train, X_test, y_train, y_test, vocabulary_size = review_split
    clf = _text_classifier(vocabulary_size, mask_zero=True, epochs=3).fit(X_train, y_train)
    assert clf.score(X_test, y_test) > 0.7


def test_pretrained_embedding_weights_stay_frozen(review_split):
    X_train, _, y_train, _, vocabulary_size = review_split
    vectors = np.random.RandomState(0).normal(size=(vocabulary_size, 8)).astype("float32")
    clf = _text_classifier(
        vocabulary_size,
        embedding_dim=None,
        embedding_weights=vectors,
        embedding_trainable=False,
        epochs=1,
    ).fit(X_train, y_train)
    embedding = clf.model_.layers[1]
    assert embedding.trainable is False
    np.testing.assert_array_equal(embedding.get_weights()[0], vectors)


def test_real_valued_sequences_need_no_embedding(mnist):
    X, y = mnist
    clf = KerasClassifier(
        model="rnn", units=(32,), optimizer="adam", learning_rate=0.01, epochs=4, random_state=0
    ).fit(X.reshape(-1, 28, 28), y)  # each image as 28 time steps of 28 pixels
    assert _kinds(clf.model_) == ["LSTM", "Dense"]
    assert clf.score(X.reshape(-1, 28, 28), y) > 0.3  # majority: 0.1


def test_flat_rows_become_sequences_with_input_shape():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 12))
    y = X[:, ::3].sum(axis=1)  # a sum over every third time step
    reg = KerasRegressor(
        model="rnn",
        cell="gru",
        units=(16,),
        input_shape=(4, 3),
        optimizer="adam",
        learning_rate=0.02,
        epochs=40,
        random_state=0,
    ).fit(X, y)
    assert reg.model_.layers[1].target_shape == (4, 3)
    assert reg.score(X, y) > 0.8


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"cell": "transformer"}, "cell='transformer': expected one of 'simple', 'lstm', 'gru'"),
        ({"units": (16, 0)}, "units=(16, 0)"),
        ({"dropout": 1.5}, "dropout=1.5: expected a number in [0, 1)"),
        ({"vocabulary_size": 10}, "vocabulary_size=10 allows ids 0 to 9"),
        ({"mask_zero": True, "conv_filters": 8}, "mask_zero=True cannot be combined"),
        ({"vocabulary_size": None}, "rnn needs sequences of shape"),
        ({"embedding_weights": np.zeros((5, 4))}, "embedding_weights has shape (5, 4)"),
        ({"bidirectional": "yes"}, "bidirectional='yes'"),
    ],
)
def test_bad_rnn_hyperparameters_fail_at_fit_naming_the_parameter(review_split, params, message):
    X_train, _, y_train, _, vocabulary_size = review_split
    clf = _text_classifier(vocabulary_size).set_params(**params)
    with pytest.raises(ValueError, match=re.escape(message)):
        clf.fit(X_train[:40], y_train[:40])
