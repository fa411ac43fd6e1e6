"""The scikit-learn estimators that wrap Keras models."""

from skdeep.estimators.classifier import KerasClassifier
from skdeep.estimators.regressor import KerasRegressor
from skdeep.estimators.transformer import KerasTransformer
from skdeep.exceptions import BackupMismatchError, TrainingDivergedError

__all__ = [
    "BackupMismatchError",
    "KerasClassifier",
    "KerasRegressor",
    "KerasTransformer",
    "TrainingDivergedError",
]
