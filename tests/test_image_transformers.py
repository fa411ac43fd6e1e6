"""Flat pixels <-> images and pixel scaling, alone and in pipelines with a CNN."""

import numpy as np
import pytest
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import LabelBinarizer

from skdeep import KerasClassifier
from skdeep.datasets import load_mnist_subset
from skdeep.preprocessing import ImageReshaper, PixelScaler


def test_flat_rows_become_images_and_back():
    flat = np.arange(4 * 784).reshape(4, 784)
    reshaper = ImageReshaper((28, 28, 1)).fit(flat)
    images = reshaper.transform(flat)
    assert images.shape == (4, 28, 28, 1)
    assert images[1, 0, 3, 0] == flat[1, 3]
    assert np.array_equal(reshaper.inverse_transform(images), flat)


def test_minus_one_flattens_colour_images():
    images = np.random.default_rng(0).integers(0, 256, (3, 32, 32, 3))
    flat = ImageReshaper((-1,)).fit_transform(images)
    assert flat.shape == (3, 3072)


@pytest.mark.parametrize(
    ("shape", "X", "message"),
    [
        ((32, 32, 3), np.zeros((2, 784)), "cannot make images of shape"),
        ((-1, -1), np.zeros((2, 4)), "at most one -1"),
        ("28x28", np.zeros((2, 4)), "expected a tuple of integers"),
        ((28, 28), np.zeros(784), "one image per row"),
    ],
)
def test_wrong_pixel_counts_and_shapes_get_clear_errors(shape, X, message):
    with pytest.raises(ValueError, match=message):
        ImageReshaper(shape).fit(X)


def test_transform_checks_the_pixel_count_seen_in_fit():
    reshaper = ImageReshaper((28, 28, 1)).fit(np.zeros((2, 784)))
    with pytest.raises(ValueError, match=r"fitted on samples of shape \(784,\)"):
        reshaper.transform(np.zeros((2, 1024)))


def test_pixel_scaler_divides_by_the_known_maximum():
    X = np.array([[0, 128, 255]], dtype="uint8")
    scaled = PixelScaler().fit_transform(X)
    assert scaled.dtype == np.float32 and scaled.max() == 1.0
    assert np.allclose(PixelScaler().fit(X).inverse_transform(scaled), X)


def test_pixel_scaler_refuses_values_off_its_scale():
    with pytest.raises(ValueError, match="outside \\[0, 255"):
        PixelScaler().fit(np.array([[0.0, 300.0]]))
    with pytest.raises(ValueError, match="Negative values"):
        PixelScaler().fit(np.array([[-1.0, 3.0]]))
    with pytest.raises(ValueError, match="invalid max_value=0"):
        PixelScaler(max_value=0).fit(np.zeros((1, 2)))


def test_mnist_pipeline_from_flat_pixels_to_a_cnn():
    X, y = load_mnist_subset(return_X_y=True)
    pipeline = make_pipeline(
        PixelScaler(),
        ImageReshaper((28, 28, 1)),
        KerasClassifier(
            model="cnn", filters=(8,), dense_units=(32,), epochs=8, random_state=0, verbose=0
        ),
    )
    assert cross_val_score(pipeline, X[::2], y[::2], cv=2).mean() > 0.7


def test_explicitly_binarized_labels_come_back_binarized():
    X, y = load_mnist_subset(return_X_y=True)
    Y = LabelBinarizer().fit_transform(y)
    X = PixelScaler().fit_transform(X)
    model = KerasClassifier(model="mlp", hidden_layer_sizes=(32,), epochs=3, random_state=0)
    predicted = model.fit(X, Y).predict(X[:5])
    assert predicted.shape == (5, 10) and set(predicted.sum(axis=1)) == {1}
