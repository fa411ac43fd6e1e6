"""Model builders: functions from (hyperparameters, ``meta``) to a compiled Keras model.

``mlp`` (tabular data), ``cnn`` (images, 1-D sequences and text) and ``rnn``
(sequences and text); estimators find them by name: ``model="cnn"``.
"""

from skdeep._fit.compiling import EpochDecay
from skdeep.models.cnn import cnn
from skdeep.models.mlp import mlp
from skdeep.models.registry import BUILDERS, get_builder
from skdeep.models.rnn import rnn

__all__ = ["BUILDERS", "EpochDecay", "cnn", "get_builder", "mlp", "rnn"]
