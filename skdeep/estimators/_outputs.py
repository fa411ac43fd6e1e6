"""Kept so that files written by skdeep 0.1 load: they name this class at this path.

The targets of several outputs live in :mod:`skdeep._fit.targets`.
"""

from skdeep._fit.targets import OutputTargets  # noqa: F401
