"""skdeep: Keras deep-learning models as first-class scikit-learn estimators."""

from skdeep.estimators import KerasClassifier, KerasRegressor

__version__ = "0.1.0"
__all__ = ["KerasClassifier", "KerasRegressor", "__version__"]
