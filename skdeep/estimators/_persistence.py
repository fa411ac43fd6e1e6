"""Kept so that pickles written by skdeep 0.1 load: they name these classes at this path.

The pickling of estimators lives in :mod:`skdeep._fit.persistence`.
"""

from skdeep._fit.persistence import PickledByValue, PickledModel  # noqa: F401
