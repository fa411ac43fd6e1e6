"""scikit-learn transformers for what happens before (and after) the network."""

from skdeep.preprocessing.targets import ClassifierTargetEncoder

__all__ = ["ClassifierTargetEncoder"]
