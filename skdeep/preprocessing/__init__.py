"""scikit-learn transformers for what happens before (and after) the network.

And :func:`make_windows`, which turns a time series into supervised rows.
"""

from skdeep.preprocessing.image_statistics import ImageStandardizer, ZCAWhitening
from skdeep.preprocessing.images import ImageReshaper, PixelScaler
from skdeep.preprocessing.series import make_windows
from skdeep.preprocessing.targets import ClassifierTargetEncoder
from skdeep.preprocessing.text import MultiHotEncoder, TextToSequences

__all__ = [
    "ClassifierTargetEncoder",
    "ImageReshaper",
    "ImageStandardizer",
    "MultiHotEncoder",
    "PixelScaler",
    "TextToSequences",
    "ZCAWhitening",
    "make_windows",
]
