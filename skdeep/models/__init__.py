"""Model builders: functions from (hyperparameters, ``meta``) to a Keras model."""

from skdeep.models.mlp import mlp

__all__ = ["mlp"]
