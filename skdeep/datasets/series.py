"""Bundled time series: monthly airline passengers (Box & Jenkins, 1949-1960)."""

from importlib import resources

import pandas as pd
from sklearn.utils import Bunch

_AIRLINE = (
    "International airline passengers: monthly totals in thousands, January "
    "1949 to December 1960 (144 months). Box, Jenkins and Reinsel, Time Series "
    "Analysis, series G; the same values as R's AirPassengers. Source: PyPI "
    "sktime, sktime/datasets/data/Airline/Airline.csv."
)


def load_airline(*, as_frame=False):
    """Load the monthly airline passengers series (144 months, 1949-1960).

    The series of the tutorials' forecasting chapter, shipped with the
    package.

    Parameters
    ----------
    as_frame : bool, default=False
        Also return the series as a pandas Series indexed by month.

    Returns
    -------
    Bunch
        ``data`` (144,) float passengers in thousands, ``months`` (144,)
        strings ``"1949-01"`` to ``"1960-12"``, ``frame`` (a Series, with
        ``as_frame``), ``DESCR``.

    Examples
    --------
    >>> series = load_airline()
    >>> series.data.shape, series.data[:3].tolist(), series.months[-1]
    ((144,), [112.0, 118.0, 132.0], '1960-12')
    """
    path = resources.files("skdeep.datasets").joinpath("data/airline.csv.gz")
    with path.open("rb") as f:
        frame = pd.read_csv(f, compression="gzip", dtype={"month": str})
    data = frame["passengers"].to_numpy(dtype="float64")
    months = frame["month"].to_numpy(dtype=object)
    bunch = Bunch(data=data, months=months, DESCR=_AIRLINE)
    if as_frame:
        bunch.frame = pd.Series(data, index=pd.PeriodIndex(months, freq="M"), name="passengers")
    return bunch
