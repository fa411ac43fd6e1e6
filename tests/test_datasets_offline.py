"""Offline data: photo patches and the generated text corpora."""

from collections import Counter

import numpy as np
import pytest

from skdeep.datasets import load_mnist_subset, load_photo_patches, make_newswire, make_reviews


def test_photo_patches_have_cifar_shape_and_real_pixels():
    bunch = load_photo_patches()
    assert bunch.images.shape == (520, 32, 32, 3) and bunch.images.dtype == np.uint8
    assert Counter(bunch.target) == {"china": 260, "flower": 260}
    assert bunch.images.std() > 20  # real photographs, not flat colour
    X, y = load_photo_patches(patch_size=16, stride=16, return_X_y=True)
    assert X.shape[1] == 16 * 16 * 3 and len(X) == len(y) > 520


@pytest.mark.parametrize(
    ("params", "message"), [({"patch_size": 0}, "patch_size"), ({"stride": 0}, "stride")]
)
def test_photo_patch_options_are_checked(params, message):
    with pytest.raises(ValueError, match=message):
        load_photo_patches(**params)


def test_generated_corpora_are_reproducible_and_balanced_as_documented():
    texts, labels = make_reviews(50)
    again, _ = make_reviews(50)
    assert texts == again and labels.sum() == 25
    assert make_reviews(50, seed=1)[0] != texts
    wires, topics = make_newswire(600)
    counts = Counter(topics)
    assert len(counts) == 6 and counts.most_common(1)[0][0] == "earn"
    assert all(wire.endswith(".") for wire in wires)


def test_negated_reviews_keep_their_label_and_share():
    texts, labels = make_reviews(400, negation=0.3)
    negated = sum(text.count(" not ") for text in texts) / (2 * len(texts))
    assert 0.25 < negated < 0.35 and labels.mean() == 0.5
    with pytest.raises(ValueError, match="Invalid negation=2"):
        make_reviews(10, negation=2)


def test_image_loaders_name_their_pixels_and_give_frames():
    bunch = load_photo_patches(as_frame=True)
    assert bunch.data.shape == (520, 3072) and bunch.data.columns[3] == "pixel_0_1_0"
    assert list(bunch.frame.columns[-1:]) == ["target"] and len(bunch.target) == 520
    X, y = load_mnist_subset(return_X_y=True, as_frame=True)
    assert list(X.columns[:2]) == ["pixel_0_0", "pixel_0_1"] and y.name == "target"
    assert load_mnist_subset().feature_names[-1] == "pixel_27_27"
