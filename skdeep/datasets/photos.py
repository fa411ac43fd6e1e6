"""CIFAR-shaped colour patches cut from scikit-learn's two sample photographs."""

import numpy as np
from sklearn.datasets import load_sample_images

from skdeep.datasets._bunch import image_bunch


def load_photo_patches(*, patch_size=32, stride=None, return_X_y=False, as_frame=False):
    """Cut 32x32x3 patches from the two real photos scikit-learn ships.

    The offline stand-in for CIFAR-10: real colour images of CIFAR's shape,
    labelled by the photo they come from (``"china"``, a temple and trees,
    or ``"flower"``). Needs Pillow (installed with skdeep).

    Parameters
    ----------
    patch_size : int, default=32
        Height and width of a patch.
    stride : int or None, default=None
        Step between patches; None means ``patch_size`` (no overlap: 260
        patches per photo at 32).
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        ``data`` as a DataFrame with one column per pixel and channel.

    Returns
    -------
    Bunch or tuple
        ``images`` (n, patch_size, patch_size, 3) uint8, ``data`` the same
        flattened, ``target`` strings ``"china"``/``"flower"``,
        ``target_names``, ``DESCR``.

    Examples
    --------
    >>> bunch = load_photo_patches()
    >>> bunch.images.shape, sorted(set(bunch.target))
    ((520, 32, 32, 3), ['china', 'flower'])
    """
    if not isinstance(patch_size, int) or not 1 <= patch_size <= 427:
        raise ValueError(
            f"Invalid patch_size={patch_size!r}: expected an integer from 1 to 427 "
            "(the height of the photos)."
        )
    stride = patch_size if stride is None else stride
    if not isinstance(stride, int) or stride < 1:
        raise ValueError(f"Invalid stride={stride!r}: expected a positive integer.")
    photos = load_sample_images()
    names = [name.rsplit("/", 1)[-1].split(".")[0] for name in photos.filenames]
    patches, labels = [], []
    for name, photo in zip(names, photos.images, strict=True):
        height, width, _ = photo.shape
        for top in range(0, height - patch_size + 1, stride):
            for left in range(0, width - patch_size + 1, stride):
                patches.append(photo[top : top + patch_size, left : left + patch_size])
                labels.append(name)
    images = np.stack(patches)
    descr = (
        f"{len(images)} colour patches of {patch_size}x{patch_size} pixels (0-255) "
        "cut from scikit-learn's sample photos china.jpg and flower.jpg; the label is "
        "the photo. A CIFAR-shaped offline stand-in."
    )
    target = np.array(labels, dtype=object)
    return image_bunch(images, target, names, descr, return_X_y, as_frame)
