"""The names other wrappers' code imports, so that it runs by changing the import.

- scikeras: ``from scikeras.wrappers import KerasClassifier, KerasRegressor,
  BaseWrapper`` becomes ``from skdeep.wrappers import ...``;
- Keras' own wrappers: ``from keras.wrappers import SKLearnClassifier,
  SKLearnRegressor`` becomes ``from skdeep.wrappers import ...``.

The differences that remain on purpose are listed in the migration guide
(docs/migration.md).
"""

from skdeep.estimators.classifier import KerasClassifier
from skdeep.estimators.generic import BaseWrapper
from skdeep.estimators.keras_wrappers import SKLearnClassifier, SKLearnRegressor
from skdeep.estimators.regressor import KerasRegressor

__all__ = [
    "BaseWrapper",
    "KerasClassifier",
    "KerasRegressor",
    "SKLearnClassifier",
    "SKLearnRegressor",
]
