"""The scikit-learn estimators that wrap Keras models."""

from skdeep.estimators._training import TrainingDivergedError
from skdeep.estimators.classifier import KerasClassifier
from skdeep.estimators.regressor import KerasRegressor

__all__ = ["KerasClassifier", "KerasRegressor", "TrainingDivergedError"]
