"""skdeep: Keras deep-learning models as first-class scikit-learn estimators.

The estimators are imported on first use, so that ``import skdeep`` (and the
``skdeep`` command starting up) does not load Keras and its backend until
they are needed.
"""

__version__ = "0.1.0"
__all__ = ["KerasClassifier", "KerasRegressor", "__version__"]


def __getattr__(name):
    if name in ("KerasClassifier", "KerasRegressor"):
        from skdeep import estimators

        return getattr(estimators, name)
    raise AttributeError(f"module 'skdeep' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
