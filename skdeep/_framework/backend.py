"""Which Keras backend this process will use, and a clear error when it is not installed.

skdeep installs no backend of its own: ``pip install "scikit-deep[tensorflow]"``
(or ``[jax]``, ``[torch]``) adds one. Keras picks its backend from
``KERAS_BACKEND``, else from the ``"backend"`` entry of its ``keras.json``,
else TensorFlow; when that one is not installed, importing Keras fails deep
inside its own modules. :func:`require_backend`, called by ``import skdeep``
before anything imports Keras, finds that out without importing anything and
says what to install or which installed backend to choose. Nothing is chosen
for the user and the environment is never changed.
"""

import importlib.util
import json
import os
import sys

from skdeep.exceptions import BackendNotInstalledError

#: The module each Keras backend needs, and the extra that installs it.
BACKEND_MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}
_EXTRAS = ", ".join(f"scikit-deep[{name}]" for name in BACKEND_MODULES)


def configured_backend(environ=None):
    """The backend Keras will load: ``KERAS_BACKEND``, else ``keras.json``, else TensorFlow.

    Read as Keras reads it, without importing Keras.

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (default: ``os.environ``).

    Returns
    -------
    str

    Examples
    --------
    >>> configured_backend({"KERAS_BACKEND": "jax"})
    'jax'
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as home:
    ...     configured_backend({"KERAS_HOME": home})
    'tensorflow'
    """
    environ = os.environ if environ is None else environ
    if environ.get("KERAS_BACKEND"):
        return environ["KERAS_BACKEND"]
    home = environ.get("KERAS_HOME") or os.path.join(os.path.expanduser("~"), ".keras")
    try:
        with open(os.path.join(home, "keras.json"), encoding="utf-8") as file:
            config = json.load(file)
    except (OSError, ValueError):
        config = {}
    backend = config.get("backend") if isinstance(config, dict) else None
    return backend if isinstance(backend, str) and backend else "tensorflow"


def installed_backends():
    """The backends of :data:`BACKEND_MODULES` whose module can be imported here.

    Examples
    --------
    >>> set(installed_backends()) <= set(BACKEND_MODULES)
    True
    """
    return [name for name, module in BACKEND_MODULES.items() if _installed(module)]


def _installed(module):
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require_backend(environ=None):
    """Raise :class:`BackendNotInstalledError` when Keras' backend is not installed.

    Does nothing once Keras is imported (it then has its backend), or for a
    backend skdeep does not know (Keras reports those itself).

    Examples
    --------
    >>> require_backend({"KERAS_BACKEND": "no-such-backend"})  # Keras' own error, later
    >>> import sys
    >>> "keras" in sys.modules or require_backend({"KERAS_BACKEND": "tensorflow"}) is None
    True
    """
    if "keras" in sys.modules:
        return
    environ = os.environ if environ is None else environ
    backend = configured_backend(environ)
    module = BACKEND_MODULES.get(backend)
    if module is None or _installed(module):
        return
    source = "KERAS_BACKEND" if environ.get("KERAS_BACKEND") else "keras.json or Keras' default"
    others = installed_backends()
    choose = (
        f"; or choose an installed backend before importing skdeep: KERAS_BACKEND={others[0]}"
        f" (installed here: {', '.join(others)})"
        if others
        else ""
    )
    raise BackendNotInstalledError(
        f"Keras' backend here is {backend!r} (from {source}), but {module} is not "
        f"installed. skdeep installs no backend of its own: install one with "
        f'pip install "scikit-deep[{backend}]" (the extras are {_EXTRAS}){choose}.'
    )


def require_tensorflow(purpose):
    """Raise :class:`BackendNotInstalledError` when TensorFlow, needed for ``purpose``, is missing.

    TensorFlow can be installed beside another backend (the
    ``scikit-deep[tensorflow]`` extra) without becoming Keras' backend.

    Parameters
    ----------
    purpose : str
        What needs it, for the message (``"export(format='tf_saved_model')"``).

    Examples
    --------
    >>> require_tensorflow("a SavedModel")  # nothing happens where TensorFlow is installed
    """
    if _installed("tensorflow"):
        return
    raise BackendNotInstalledError(
        f"{purpose} needs TensorFlow, which is not installed here (Keras' backend is "
        f"{configured_backend()!r}). Install it beside your backend with "
        'pip install "scikit-deep[tensorflow]" (it does not change the backend).'
    )
