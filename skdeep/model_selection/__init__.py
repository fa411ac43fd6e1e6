"""Searches and search spaces for skdeep's estimators, in scikit-learn's API.

- :class:`HalvingEpochsGridSearchCV`, :class:`HalvingEpochsRandomSearchCV`:
  successive halving over epochs where the surviving candidates keep training.
- :func:`search_space`: ready distributions for each built-in builder, for
  ``RandomizedSearchCV``, the halving searches and Optuna.
- :func:`from_keras_tuner`: a Keras Tuner ``build_model(hp)`` as a builder and
  its search space.
- :func:`epochs_run`: a scorer that puts the epochs each fit ran in
  ``cv_results_`` (fewer than ``epochs`` with early stopping).
"""

from skdeep.model_selection._searches import (
    HalvingEpochsGridSearchCV,
    HalvingEpochsRandomSearchCV,
)
from skdeep.model_selection._spaces import epochs_run, search_space
from skdeep.model_selection._tuner import from_keras_tuner

__all__ = [
    "HalvingEpochsGridSearchCV",
    "HalvingEpochsRandomSearchCV",
    "epochs_run",
    "from_keras_tuner",
    "search_space",
]
