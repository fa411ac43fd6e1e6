"""scikit-learn transformers for what happens before (and after) the network."""

from skdeep.preprocessing.images import ImageReshaper, PixelScaler
from skdeep.preprocessing.targets import ClassifierTargetEncoder
from skdeep.preprocessing.text import MultiHotEncoder, TextToSequences

__all__ = [
    "ClassifierTargetEncoder",
    "ImageReshaper",
    "MultiHotEncoder",
    "PixelScaler",
    "TextToSequences",
]
