"""scikit-learn transformers for what happens before (and after) the network.

And :func:`make_windows`, which turns a time series into supervised rows.
"""

from skdeep.preprocessing.images import ImageReshaper, PixelScaler
from skdeep.preprocessing.series import make_windows
from skdeep.preprocessing.targets import ClassifierTargetEncoder
from skdeep.preprocessing.text import MultiHotEncoder, TextToSequences

__all__ = [
    "ClassifierTargetEncoder",
    "ImageReshaper",
    "MultiHotEncoder",
    "PixelScaler",
    "TextToSequences",
    "make_windows",
]
