"""skdeep: Keras deep-learning models as first-class scikit-learn estimators.

The estimators and the file functions are imported on first use, so that
``import skdeep`` (and the ``skdeep`` command starting up) does not load
Keras and its backend until they are needed; when they are, TensorFlow's
C++ start-up lines are kept off the terminal unless ``TF_CPP_MIN_LOG_LEVEL``
asks for them (:mod:`skdeep._framework.native_logs`).
"""

from skdeep._config import config_context, get_config, set_config  # noqa: F401
from skdeep._framework.backend import require_backend
from skdeep._framework.native_logs import quiet_backend_imports

require_backend()  # no backend installed: say which extra installs one, before Keras fails
quiet_backend_imports()  # TensorFlow's C++ start-up lines stay off the terminal

__version__ = "0.2.0.dev0"

_LAZY = {
    "KerasClassifier": "skdeep.estimators",
    "KerasRegressor": "skdeep.estimators",
    "KerasTransformer": "skdeep.estimators",
    "TrainingDivergedError": "skdeep.estimators",
    "save": "skdeep.serialization",
    "load": "skdeep.serialization",
    "get_untrusted": "skdeep.serialization",
    "export": "skdeep.serialization.export",
    "search_space": "skdeep.model_selection",
}
__all__ = sorted([*_LAZY, "__version__", "config_context", "get_config", "set_config"])


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'skdeep' has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
