"""Full image data sets from the Keras cache: MNIST, Fashion-MNIST and CIFAR-10.

Each loader looks for the files ``keras.datasets`` would use, checks their
hash itself and reads them without Keras, so it never downloads, never
hangs on a network that drops traffic, and never deletes a file whose hash
is wrong (Keras would). A missing or wrong file gives a clear error at once.
"""

import gzip
import hashlib
import io
import tarfile
from pathlib import Path

import numpy as np

from skdeep.datasets import _files
from skdeep.datasets._bunch import image_bunch

FASHION_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]  # fmt: skip
CIFAR10_NAMES = [
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
]  # fmt: skip

#: SHA-256 of the uncompressed Fashion-MNIST files (the .gz files differ between
#: mirrors, the Debian package ``dataset-fashion-mnist`` recompresses them).
_FASHION_FILES = {
    "train-images-idx3-ubyte": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}
#: Where Debian's ``dataset-fashion-mnist`` package installs the files.
DEBIAN_FASHION_MNIST = Path("/usr/share/datasets/fashion-mnist")


def load_mnist(*, subset="train", data_home=None, return_X_y=False, as_frame=False):
    """Load the full MNIST digits (60,000 train + 10,000 test) from the Keras cache.

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the official split.
    data_home : str or path, optional
        Folder holding ``mnist.npz``; default ``$KERAS_HOME/datasets`` or
        ``~/.keras/datasets``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        ``data`` as a DataFrame with one column per pixel, ``target`` as a
        Series (as :func:`sklearn.datasets.load_digits` does).

    Returns
    -------
    Bunch or tuple
        ``data`` (n, 784) uint8, ``images`` (n, 28, 28), ``target`` digits,
        ``feature_names`` (``pixel_<row>_<column>``), ``target_names``,
        ``frame`` (with ``as_frame``), ``DESCR``.

    Raises
    ------
    DatasetNotFoundError
        The file is not there (message: where to put it).
    DatasetIntegrityError
        The file is there but its hash is wrong (it is left untouched).
    """
    home = _files.data_home(data_home)
    path = _files.find("MNIST", home, ["mnist.npz"], "datasets.mnist.load_data")
    _files.verify(path, _files.KNOWN_FILES["mnist.npz"][0], "MNIST")
    with np.load(path, allow_pickle=False) as f:
        parts = {"train": (f["x_train"], f["y_train"]), "test": (f["x_test"], f["y_test"])}
    images, target = _files.pick_subset(parts, subset)
    return _image_bunch(images, target, list(range(10)), "MNIST", return_X_y, as_frame)


def load_fashion_mnist(*, subset="train", data_home=None, return_X_y=False, as_frame=False):
    """Load Fashion-MNIST (60,000 + 10,000 clothing images, MIT licence).

    Looks in ``data_home/fashion-mnist/`` (the Keras cache layout), then in
    ``/usr/share/datasets/fashion-mnist/``, where the Debian package
    ``dataset-fashion-mnist`` installs it (``apt-get install
    dataset-fashion-mnist`` works offline from a Debian mirror).

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the official split.
    data_home : str or path, optional
        Folder of the Keras cache; default ``$KERAS_HOME/datasets`` or
        ``~/.keras/datasets``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        ``data`` as a DataFrame with one column per pixel, ``target`` as a
        Series.

    Returns
    -------
    Bunch or tuple
        ``data`` (n, 784) uint8, ``images`` (n, 28, 28), ``target`` 0-9,
        ``target_names`` (the ten clothing classes), ``feature_names``,
        ``frame`` (with ``as_frame``), ``DESCR``.

    Raises
    ------
    DatasetNotFoundError
        The file is not there (message: where to put it).
    DatasetIntegrityError
        The file is there but its hash is wrong (it is left untouched).
    """
    folders = [_files.data_home(data_home) / "fashion-mnist", DEBIAN_FASHION_MNIST]
    names = [f"{name}.gz" for name in _FASHION_FILES]
    folder = next((f for f in folders if all((f / n).exists() for n in names)), None)
    if folder is None:
        raise _files.missing(
            "Fashion-MNIST", folders[0], names, "datasets.fashion_mnist.load_data", all_of=True
        )
    parts = {}
    for part, prefix in (("train", "train"), ("test", "t10k")):
        if subset in (part, "all"):
            labels = _idx(folder, f"{prefix}-labels-idx1-ubyte", 8)
            images = _idx(folder, f"{prefix}-images-idx3-ubyte", 16).reshape(-1, 28, 28)
            parts[part] = images, labels
    images, target = _files.pick_subset(parts, subset)
    return _image_bunch(images, target, FASHION_NAMES, "Fashion-MNIST", return_X_y, as_frame)


def load_cifar10(*, subset="train", data_home=None, return_X_y=False, as_frame=False):
    """Load CIFAR-10 (50,000 + 10,000 colour images of 32x32, ten classes).

    Reads the archive Keras downloads (``cifar-10-batches-py-target_archive``
    with Keras 3, ``cifar-10-batches-py.tar.gz`` with older versions, or
    the original ``cifar-10-python.tar.gz``), after checking its hash; or,
    when only the extracted folder ``cifar-10-batches-py`` is left, the
    batches in it (whose shapes are checked; there is no hash to compare).

    Parameters
    ----------
    subset : {"train", "test", "all"}, default="train"
        Which part of the official split.
    data_home : str or path, optional
        Folder of the Keras cache; default ``$KERAS_HOME/datasets`` or
        ``~/.keras/datasets``.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        ``data`` as a DataFrame with one column per pixel, ``target`` as a
        Series.

    Returns
    -------
    Bunch or tuple
        ``data`` (n, 3072) uint8, ``images`` (n, 32, 32, 3), ``target``
        0-9, ``target_names``, ``feature_names``, ``frame`` (with
        ``as_frame``), ``DESCR``.

    Raises
    ------
    DatasetNotFoundError
        The file is not there (message: where to put it).
    DatasetIntegrityError
        The file is there but its hash is wrong (it is left untouched).
    """
    home = _files.data_home(data_home)
    archives = [
        "cifar-10-batches-py-target_archive",
        "cifar-10-batches-py.tar.gz",
        "cifar-10-python.tar.gz",
    ]
    folders = ["cifar-10-batches-py-target/cifar-10-batches-py", "cifar-10-batches-py"]
    names = archives + [f + "/test_batch" for f in folders]
    found = _files.find("CIFAR-10", home, names, "datasets.cifar10.load_data")
    wanted = {"train": [f"data_batch_{i}" for i in range(1, 6)], "test": ["test_batch"]}
    if found.name in archives:
        _files.verify(found, _files.KNOWN_FILES["cifar-10-python.tar.gz"][0], "CIFAR-10")
        with tarfile.open(found, "r:gz") as archive:
            read = {
                Path(member.name).name: archive.extractfile(member).read()
                for member in archive.getmembers()
                if member.isfile() and member.name.startswith("cifar-10-batches-py/")
            }
    else:
        batches = [name for names in wanted.values() for name in names]
        read = {name: (found.parent / name).read_bytes() for name in batches}
    parts = {
        part: _cifar_batches([read[name] for name in names], found)
        for part, names in wanted.items()
        if subset in (part, "all")
    }
    images, target = _files.pick_subset(parts, subset)
    return _image_bunch(images, target, CIFAR10_NAMES, "CIFAR-10", return_X_y, as_frame)


def _cifar_batches(blobs, source):
    images, labels = [], []
    for blob in blobs:
        batch = _files.NumpyOnlyUnpickler(io.BytesIO(blob), encoding="bytes").load()
        data = np.asarray(batch[b"data"], dtype="uint8")
        if data.ndim != 2 or data.shape[1] != 3072 or len(batch[b"labels"]) != len(data):
            raise _files.DatasetIntegrityError(
                f"{source} does not hold CIFAR-10 batches (rows of 3072 pixels with a "
                "label each). Replace it with a fresh copy."
            )
        images.append(data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1))
        labels.append(np.asarray(batch[b"labels"], dtype="uint8"))
    return np.concatenate(images), np.concatenate(labels)


def _idx(folder, name, header):
    path = folder / f"{name}.gz"
    try:
        with gzip.open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError) as error:
        raise _files.DatasetIntegrityError(
            f"{path} is not a readable gzip file ({error}). It was left as it is; "
            "replace it with a fresh copy."
        ) from None
    if hashlib.sha256(raw).hexdigest() != _FASHION_FILES[name]:
        raise _files.DatasetIntegrityError(
            f"{path} does not hold the expected Fashion-MNIST data (its content hash "
            "differs). It was left as it is; replace it with a fresh copy."
        )
    return np.frombuffer(raw, np.uint8, offset=header)


def _image_bunch(images, target, target_names, name, return_X_y, as_frame):
    images = np.asarray(images)
    target = np.asarray(target).ravel().astype("int64")
    descr = (
        f"{name}: {len(images)} images of shape {images.shape[1:]}, pixels 0-255, "
        f"{len(target_names)} classes, read from the Keras cache."
    )
    return image_bunch(images, target, target_names, descr, return_X_y, as_frame)
