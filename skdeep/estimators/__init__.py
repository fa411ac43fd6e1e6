"""The scikit-learn estimators that wrap Keras models."""

from skdeep.estimators._training import TrainingDivergedError
from skdeep.estimators.classifier import KerasClassifier
from skdeep.estimators.regressor import KerasRegressor
from skdeep.estimators.transformer import KerasTransformer

__all__ = ["KerasClassifier", "KerasRegressor", "KerasTransformer", "TrainingDivergedError"]
