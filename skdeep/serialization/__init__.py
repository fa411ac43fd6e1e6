"""A safe file format for fitted estimators and pipelines: :func:`save`, :func:`load`."""

from skdeep.serialization._encode import NotSavableError
from skdeep.serialization._trust import UntrustedContentError
from skdeep.serialization.files import (
    FORMAT_VERSION,
    DamagedFileError,
    get_untrusted,
    load,
    save,
)

__all__ = [
    "FORMAT_VERSION",
    "DamagedFileError",
    "NotSavableError",
    "UntrustedContentError",
    "get_untrusted",
    "load",
    "save",
]
