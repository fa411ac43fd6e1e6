"""From a time series to supervised rows: look-back windows and the values that follow."""

import numpy as np


def make_windows(series, look_back=1, horizon=1, *, sequences=False):
    """Cut a series into look-back windows (``X``) and the values ``horizon`` steps later (``y``).

    Row ``i`` of ``X`` holds ``series[i : i + look_back]`` and ``y[i]`` is
    ``series[i + look_back + horizon - 1]``, so the rows stay in time order:
    scikit-learn's ``TimeSeriesSplit`` then trains on the past and tests on
    the future. A transformer cannot make targets (scikit-learn passes
    ``y`` through pipelines unchanged), hence a function.

    Parameters
    ----------
    series : array-like of shape (n_steps,) or (n_steps, n_series)
        One series, or several observed at the same steps.
    look_back : int, default=1
        Steps in each window.
    horizon : int, default=1
        How far ahead the target is (1: the next step).
    sequences : bool, default=False
        Return ``X`` as ``(n_windows, look_back, n_series)`` sequences for
        recurrent networks instead of flat rows ``(n_windows, look_back *
        n_series)`` for an MLP.

    Returns
    -------
    X : ndarray
        The windows, float64.
    y : ndarray of shape (n_windows,) or (n_windows, n_series)
        The targets; one column per series when there are several.

    Examples
    --------
    >>> X, y = make_windows([10, 20, 30, 40, 50], look_back=2)
    >>> X.tolist(), y.tolist()
    ([[10.0, 20.0], [20.0, 30.0], [30.0, 40.0]], [30.0, 40.0, 50.0])
    >>> make_windows([10, 20, 30, 40, 50], look_back=2, sequences=True)[0].shape
    (3, 2, 1)
    """
    values = np.asarray(series, dtype="float64")
    if values.ndim not in (1, 2):
        raise ValueError(
            f"series has shape {values.shape}; expected (n_steps,) for one series or "
            "(n_steps, n_series) for several."
        )
    for name, value in (("look_back", look_back), ("horizon", horizon)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"Invalid {name}={value!r}: expected a positive integer.")
    if not isinstance(sequences, (bool, np.bool_)):
        raise ValueError(
            f"Invalid sequences={sequences!r}: expected True (X as (n_windows, look_back, "
            "n_series) sequences, for recurrent models) or False (flat rows)."
        )
    if not np.all(np.isfinite(values)):
        raise ValueError(
            "series contains NaN or infinite values; fill or drop the missing steps first "
            "(pandas' interpolate or dropna), keeping the steps evenly spaced."
        )
    steps = len(values) - look_back - horizon + 1
    if steps < 1:
        raise ValueError(
            f"series has {len(values)} steps, too few for look_back={look_back} and "
            f"horizon={horizon}: it needs at least {look_back + horizon}."
        )
    columns = values.reshape(len(values), -1)
    X = np.stack([columns[i : i + look_back] for i in range(steps)])
    y = columns[look_back + horizon - 1 : look_back + horizon - 1 + steps]
    if not sequences:
        X = X.reshape(steps, -1)
    return X, (y[:, 0] if values.ndim == 1 else y)
