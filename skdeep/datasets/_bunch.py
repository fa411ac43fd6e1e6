"""The Bunch every image loader returns, in scikit-learn's style."""

import numpy as np
import pandas as pd
from sklearn.utils import Bunch


def pixel_names(sample_shape):
    """``pixel_<row>_<column>`` (and ``_<channel>``) for each flat pixel column.

    Examples
    --------
    >>> pixel_names((2, 2))
    ['pixel_0_0', 'pixel_0_1', 'pixel_1_0', 'pixel_1_1']
    >>> pixel_names((1, 1, 3))
    ['pixel_0_0_0', 'pixel_0_0_1', 'pixel_0_0_2']
    """
    return ["pixel_" + "_".join(map(str, index)) for index in np.ndindex(*sample_shape)]


def image_bunch(images, target, target_names, descr, return_X_y=False, as_frame=False):
    """Flat ``data`` and ``images`` with their ``target``, as a Bunch or ``(data, target)``.

    With ``as_frame``, ``data`` is a DataFrame with one named column per
    pixel, ``target`` a Series and ``frame`` both together, as
    :func:`sklearn.datasets.load_digits` gives them.
    """
    images = np.asarray(images)
    data = images.reshape(len(images), -1)
    names = pixel_names(images.shape[1:])
    frame = None
    if as_frame:
        data = pd.DataFrame(data, columns=names)
        target = pd.Series(target, name="target")
        frame = pd.concat([data, target], axis=1)
    if return_X_y:
        return data, target
    return Bunch(
        data=data,
        images=images,
        target=target,
        frame=frame,
        feature_names=names,
        target_names=list(target_names),
        DESCR=descr,
    )


def frame_bunch(frame, target, descr, return_X_y=False, as_frame=False):
    """Split a table into features and the ``target`` column, as a Bunch or ``(X, y)``.

    Without ``as_frame``, the features become a float array when all are
    numeric, an object array otherwise; the target keeps a dtype scikit-learn
    recognises: numbers stay numbers, labels become strings (an object array
    of numbers is ``'unknown'`` to ``type_of_target``).
    """
    X, y = frame.drop(columns=target), frame[target]
    feature_names = list(X.columns)
    if not as_frame:
        numeric = all(pd.api.types.is_numeric_dtype(dtype) for dtype in X.dtypes)
        X = X.to_numpy(None if numeric else object)
        y = y.to_numpy() if pd.api.types.is_numeric_dtype(y.dtype) else y.to_numpy(object)
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        frame=frame if as_frame else None,
        feature_names=feature_names,
        target_names=[target],
        DESCR=descr,
    )
