"""The picture of docs/tutorial-images.md: what each of the tutorials' augmentations does.

Six MNIST digits (the bundled subset, one of each of 0 to 5), one row per preprocessing step or
random augmentation of the tutorials: as they are, standardized per channel
(``featurewise_center`` + ``featurewise_std_normalization``), ZCA-whitened,
and the random layers the CNN builder puts before its first convolution
(rotation, shift, flip, shear), applied as in training.

Usage: ``python scripts/augmentation_figure.py [OUTPUT]`` (default
``docs/images/augmentation.png``); a few seconds.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import keras  # noqa: E402
import matplotlib  # noqa: E402

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from skdeep._atomic import atomic_write  # noqa: E402
from skdeep.datasets import load_mnist_subset  # noqa: E402
from skdeep.preprocessing import ImageStandardizer, ZCAWhitening  # noqa: E402


def rows(images, train):
    """(title, six images) for each step, fitted on ``train``."""
    keras.utils.set_random_seed(0)
    layers = {
        "random_rotation=0.25": keras.layers.RandomRotation(0.25, seed=1),
        "random_translation=0.2": keras.layers.RandomTranslation(0.2, 0.2, seed=2),
        'random_flip="horizontal_and_vertical"': keras.layers.RandomFlip(
            "horizontal_and_vertical", seed=3
        ),
        "random_shear=0.4": keras.layers.RandomShear(0.4, 0.4, seed=4),
    }
    found = [
        ("as they are", images),
        ("ImageStandardizer()", ImageStandardizer().fit(train).transform(images)),
        ("ZCAWhitening(epsilon=0.1)", ZCAWhitening(epsilon=0.1).fit(train).transform(images)),
    ]
    for title, layer in layers.items():
        found.append((title, keras.ops.convert_to_numpy(layer(images, training=True))))
    return found


def main(output):
    X, y = load_mnist_subset(return_X_y=True)
    images = (X / 255.0).astype("float32").reshape(-1, 28, 28, 1)
    shown = [int(np.flatnonzero(y == digit)[0]) for digit in range(6)]  # one of each
    found = rows(images[shown], images)
    figure, axes = plt.subplots(
        len(found), 6, figsize=(8, 1.0 * len(found)), gridspec_kw={"wspace": 0.05}
    )
    for row, (title, shown) in zip(axes, found, strict=True):
        for axis, image in zip(row, shown, strict=True):
            axis.imshow(image[..., 0], cmap="gray")
            axis.set_xticks([])
            axis.set_yticks([])
        row[0].set_ylabel(title, rotation=0, ha="right", va="center", fontsize=8)
    figure.subplots_adjust(left=0.33, right=0.99, top=0.99, bottom=0.01, hspace=0.08)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with atomic_write(output) as file:
        figure.savefig(file, format="png", dpi=110, bbox_inches="tight")
    print(f"wrote {output}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "images" / "augmentation.png")
