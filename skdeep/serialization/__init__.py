"""A safe file format for fitted estimators and pipelines: :func:`save`, :func:`load`."""

from skdeep.exceptions import (
    ClearedParameterWarning,
    DamagedFileError,
    NotSavableError,
    UntrustedContentError,
)
from skdeep.serialization.files import FORMAT_VERSION, get_untrusted, load, save

__all__ = [
    "ClearedParameterWarning",
    "FORMAT_VERSION",
    "DamagedFileError",
    "NotSavableError",
    "UntrustedContentError",
    "get_untrusted",
    "load",
    "save",
]
