"""Finding and checking data files in the Keras cache, without ever downloading."""

import hashlib
import os
import pickle
from pathlib import Path

import numpy as np

from skdeep.exceptions import DatasetIntegrityError, DatasetNotFoundError  # noqa: F401

#: What a Keras cache holds, with the SHA-256 Keras itself checks, and where it came from.
KNOWN_FILES = {
    "mnist.npz": (
        "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
    ),
    "imdb.npz": (
        "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
    ),
    "reuters.npz": (
        "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
        "https://storage.googleapis.com/tensorflow/tf-keras-datasets/reuters.npz",
    ),
    "cifar-10-python.tar.gz": (
        "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
        "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    ),
}


def data_home(data_home=None):
    """The folder searched for full data sets.

    ``data_home`` when given, else ``$KERAS_HOME/datasets``, else
    ``~/.keras/datasets`` (where ``keras.datasets`` caches its downloads).

    Parameters
    ----------
    data_home : str or path, optional
        A folder given by the user.

    Returns
    -------
    pathlib.Path
        The folder.

    Examples
    --------
    >>> data_home("/data/keras").as_posix()
    '/data/keras'
    """
    if data_home is not None:
        return Path(data_home).expanduser()
    keras_home = os.environ.get("KERAS_HOME")
    base = Path(keras_home) if keras_home else Path("~/.keras").expanduser()
    return base / "datasets"


def sha256(path):
    """SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def find(dataset, folder, names, loader):
    """The first of ``names`` that exists in ``folder``, or a clear error at once."""
    for name in names:
        if (folder / name).exists():
            return folder / name
    raise missing(dataset, folder, names, loader)


def missing(dataset, folder, names, loader, all_of=False):
    """The error for a data set whose files are not in ``folder``."""
    known = next((n for n in names if n in KNOWN_FILES), None)
    where = f"download {KNOWN_FILES[known][1]} and save it as {folder / known}" if known else ""
    wanted = " and ".join(names) if all_of else " or ".join(names)
    return DatasetNotFoundError(
        f"{dataset} is not on this machine: looked for {wanted} in {folder}. "
        "skdeep never downloads. To get it: run "
        f'`python -c "import keras; keras.{loader}()"` on a machine with internet '
        f"(it fills ~/.keras/datasets), {where + ', ' if where else ''}or pass data_home= "
        "the folder that holds it. Offline, the bundled subsets in skdeep.datasets "
        "need no download."
    )


def verify(path, expected, dataset):
    """Raise :class:`DatasetIntegrityError` unless the file's SHA-256 is ``expected``."""
    actual = sha256(path)
    if actual != expected:
        raise DatasetIntegrityError(
            f"{path} is not the expected {dataset} file: its SHA-256 is {actual}, expected "
            f"{expected}. It may be an interrupted download or another version. The file "
            "was left as it is; replace it with a fresh copy."
        )
    return path


class NumpyOnlyUnpickler(pickle.Unpickler):
    """Unpickles NumPy arrays and plain containers, refusing any other global."""

    _ALLOWED = {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"refusing to load {module}.{name} from a data file: only NumPy arrays are "
            "expected there. The file may be damaged or not what its name says."
        )


def pick_subset(parts, subset):
    """``parts["train"]``, ``parts["test"]`` or both concatenated (``"all"``)."""
    if subset not in ("train", "test", "all"):
        raise ValueError(f"Invalid subset={subset!r}: expected 'train', 'test' or 'all'.")
    if subset != "all":
        return parts[subset]
    return tuple(np.concatenate([parts[p][i] for p in ("train", "test")]) for i in (0, 1))
