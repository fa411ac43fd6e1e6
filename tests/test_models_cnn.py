"""The built-in CNN: MNIST digits, text, augmentation, and its shape checks."""

import re

import keras
import numpy as np
import pytest
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skdeep import KerasClassifier
from skdeep.models import cnn

MNIST_META = {"input_shape_": (784,), "output_units_": 10, "output_activation_": "softmax"}


def _kinds(model):
    return [type(layer).__name__ for layer in model.layers[1:]]


def _cnn_classifier(**params):
    defaults = dict(
        model="cnn",
        filters=(8, 16),
        dense_units=(32,),
        optimizer="adam",
        epochs=6,
        batch_size=32,
        random_state=0,
    )
    return KerasClassifier(**{**defaults, **params})


def test_cnn_learns_mnist_digits_from_flat_pixels_in_a_pipeline(mnist):
    X, y = mnist
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
    pipe = make_pipeline(MinMaxScaler(), _cnn_classifier(input_shape=(28, 28, 1)))
    assert pipe.fit(X_train, y_train).score(X_test, y_test) > 0.8  # majority: 0.1


def test_cnn_takes_image_arrays_directly(mnist):
    X, y = mnist
    images = X.reshape(-1, 28, 28, 1)
    clf = _cnn_classifier(epochs=1).fit(images[::4], y[::4])
    assert clf.predict_proba(images[:5]).shape == (5, 10)
    assert "Reshape" not in _kinds(clf.model_)


def test_grayscale_images_without_channel_axis_take_input_shape(mnist):
    X, y = mnist
    clf = _cnn_classifier(epochs=1, input_shape=(28, 28, 1)).fit(X[::4].reshape(-1, 28, 28), y[::4])
    assert clf.predict(X[:2].reshape(-1, 28, 28)).shape == (2,)


def test_augmentation_layers_act_in_training_and_not_in_predict(mnist):
    X, y = mnist
    clf = _cnn_classifier(
        epochs=1,
        input_shape=(28, 28, 1),
        random_flip="horizontal",
        random_rotation=0.05,
        random_zoom=0.1,
        random_translation=0.1,
    ).fit(X[::4], y[::4])
    kinds = _kinds(clf.model_)
    for name in ("RandomFlip", "RandomRotation", "RandomZoom", "RandomTranslation"):
        assert name in kinds
    np.testing.assert_array_equal(clf.predict_proba(X[:20]), clf.predict_proba(X[:20]))
    images = X[:8].reshape(-1, 28, 28, 1)
    augment = keras.Sequential(clf.model_.layers[2:6])
    assert not np.allclose(augment(images, training=True), images)
    np.testing.assert_allclose(augment(images, training=False), images)


def test_blocks_pooling_padding_and_global_pooling_follow_the_parameters():
    model = cnn(
        MNIST_META,
        input_shape=(28, 28, 1),
        filters=(4, 8),
        convolutions_per_block=2,
        padding="same",
        pooling="average",
        global_pooling=True,
        block_dropout=0.25,
        dense_units=(),
    )
    assert _kinds(model) == [
        "Reshape",
        "Conv2D",
        "Conv2D",
        "AveragePooling2D",
        "Dropout",
        "Conv2D",
        "Conv2D",
        "AveragePooling2D",
        "Dropout",
        "GlobalAveragePooling2D",
        "Dense",
    ]
    assert model.layers[2].output.shape[1:3] == (28, 28)  # "same" padding keeps the size


TEXT_META = {"input_shape_": (20,), "output_units_": 1, "output_activation_": "sigmoid"}


@pytest.mark.parametrize(
    "params, head",
    [
        ({"vocabulary_size": 50}, "GlobalAveragePooling1D"),  # text: average by default
        ({"vocabulary_size": 50, "filters": ()}, "GlobalAveragePooling1D"),
        ({"vocabulary_size": 50, "global_pooling": "max"}, "GlobalMaxPooling1D"),
        ({"vocabulary_size": 50, "global_pooling": False}, "Flatten"),
        (
            {"vocabulary_size": 50, "pooling": "average", "global_pooling": True},
            "GlobalAveragePooling1D",
        ),
        ({"input_shape": (20, 1)}, "Flatten"),  # real-valued sequences flatten, as images do
        ({"input_shape": (20, 1), "global_pooling": "average"}, "GlobalAveragePooling1D"),
    ],
)
def test_global_pooling_averages_token_ids_and_flattens_other_inputs_by_default(params, head):
    model = cnn(TEXT_META, filters=params.pop("filters", (4,)), **params)
    assert head in _kinds(model)
    assert _kinds(model)[-2:] == ["Dense", "Dense"]


def test_batch_normalization_sits_between_convolution_and_activation():
    model = cnn(MNIST_META, input_shape=(28, 28, 1), filters=(4,), batch_normalization=True)
    assert _kinds(model)[1:4] == ["Conv2D", "BatchNormalization", "Activation"]
    assert model.layers[2].use_bias is False


def test_kernel_size_and_pool_size_accept_one_size_per_dimension():
    model = cnn(
        MNIST_META, input_shape=(28, 28, 1), filters=(4,), kernel_size=(5, 3), pool_size=(2, 1)
    )
    assert model.layers[2].kernel_size == (5, 3)
    assert model.layers[3].output.shape[1:3] == (12, 26)


def test_text_cnn_learns_sentiment_from_token_ids(review_ids):
    X, y, vocabulary_size = review_ids
    X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)
    clf = KerasClassifier(
        model="cnn",
        vocabulary_size=vocabulary_size,
        embedding_dim=16,
        filters=(16,),
        kernel_size=3,
        padding="same",
        global_pooling=True,
        dense_units=(16,),
        optimizer="adam",
        learning_rate=0.01,
        epochs=5,
        random_state=0,
    ).fit(X_train, y_train)
    assert _kinds(clf.model_)[:2] == ["Embedding", "Conv1D"]
    assert clf.score(X_test, y_test) > 0.8  # majority: 0.5


def test_real_valued_sequences_get_one_dimensional_convolutions(mnist):
    X, y = mnist
    clf = _cnn_classifier(epochs=1, filters=(4,)).fit(X[::5].reshape(-1, 28, 28), y[::5])
    assert "Conv1D" in _kinds(clf.model_)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"input_shape": (28, 28, 3)}, "input_shape=(28, 28, 3)"),
        ({"input_shape": (28, 28, 1), "kernel_size": 40}, "kernel_size=40"),
        (
            {"input_shape": (28, 28, 1), "filters": (4, 4, 4, 4, 4), "padding": "same"},
            "pool_size=2: block 5 receives feature maps of size 1x1",
        ),
        ({"input_shape": (28, 28, 1), "padding": "full"}, "padding='full'"),
        ({"input_shape": (28, 28, 1), "activation": "relux"}, "activation='relux'"),
        ({"input_shape": (28, 28, 1), "random_flip": "diagonal"}, "random_flip='diagonal'"),
        ({"input_shape": (28, 28, 1), "kernel_size": (3, 3, 3)}, "kernel_size=(3, 3, 3)"),
        ({}, "needs samples with 1 to 3 spatial dimensions"),
        ({"input_shape": (784, 1), "random_zoom": 0.1}, "augment 2-D images"),
        ({"input_shape": (28, 28, 1), "vocabulary_size": 10}, "token ids of shape"),
        ({"input_shape": (28, 28, 1), "global_pooling": "min"}, "global_pooling='min'"),
    ],
)
def test_bad_cnn_hyperparameters_fail_at_fit_naming_the_parameter(mnist, params, message):
    X, y = mnist
    clf = _cnn_classifier(**params)
    with pytest.raises(ValueError, match=re.escape(message)):
        clf.fit(X[::20], y[::20])


def test_auto_vocabulary_size_follows_the_largest_training_id(review_ids):
    X, y, vocabulary_size = review_ids
    model = KerasClassifier(
        model="cnn", vocabulary_size="auto", filters=(), dense_units=(8,), epochs=1
    ).fit(X, y)
    embedding = next(layer for layer in model.model_.layers if "Embedding" in type(layer).__name__)
    assert embedding.input_dim == int(X.max()) + 1
    with pytest.raises(ValueError, match="vocabulary_size='auto' needs token ids"):
        KerasClassifier(model="cnn", vocabulary_size="auto", epochs=1).fit(
            np.zeros((4, 6, 6, 1)), [0, 1, 0, 1]
        )
