"""``skdeep.save`` and ``skdeep.load``: fitted estimators as files that run no code when read.

A skdeep file is a zip archive: ``skdeep.json`` (the format version, the
versions that wrote it, and the object as data) and the members that data
points to (``.keras`` models, ``.npy`` arrays, skops files of scikit-learn
objects). Loading imports only trusted names and reads models with Keras'
``safe_mode``, so a file from someone else cannot run code unless the caller
says it may (``trusted=``). Writing is atomic: a failed or interrupted save
leaves any previous file intact.

Use pickle or joblib for files you wrote yourself; use these for files that
cross a trust boundary (downloads, shared storage, model registries).
"""

import json
import platform
import zipfile
from pathlib import Path

import keras

from skdeep._atomic import atomic_write
from skdeep.serialization import _encode, _trust

#: The version of the file format this skdeep writes (and the newest it reads).
FORMAT_VERSION = 1
_MANIFEST = "skdeep.json"


class DamagedFileError(ValueError):
    """The file is not a skdeep file, or it is truncated or corrupted."""


def save(obj, path):
    """Save a fitted estimator or pipeline as a skdeep file, atomically.

    Parameters
    ----------
    obj : KerasClassifier, KerasRegressor or Pipeline
        What to save: an skdeep estimator, or a scikit-learn ``Pipeline``
        of scikit-learn transformers and skdeep estimators.
    path : str or path-like
        The file to write (``.skdeep`` by convention).

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    NotSavableError
        When ``obj`` holds something a safe file cannot (a ``Lambda`` layer,
        a function defined inside another function, an arbitrary object);
        nothing is written.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from skdeep import KerasClassifier, save, load
    >>> X, y = load_iris(return_X_y=True)
    >>> clf = KerasClassifier("mlp", hidden_layer_sizes=(8,), epochs=2).fit(X, y)
    >>> path = save(clf, os.path.join(tempfile.mkdtemp(), "iris.skdeep"))
    >>> bool((load(path).predict_proba(X) == clf.predict_proba(X)).all())
    True
    """
    if not (_encode.is_estimator(obj) or isinstance(obj, _encode.Pipeline)):
        raise _encode.NotSavableError(
            f"skdeep.save saves skdeep estimators and scikit-learn Pipelines holding them; "
            f"received {type(obj).__name__}. Use skops.io.dump for other scikit-learn objects."
        )
    writer = _encode.Writer()
    manifest = {
        "format": "skdeep",
        "format_version": FORMAT_VERSION,
        "versions": _versions(),
        "root": writer.encode(obj, "the object"),
    }
    path = Path(path).expanduser()
    with atomic_write(path) as file, zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_MANIFEST, json.dumps(manifest, indent=1))
        for name, data in writer.parts.items():
            compression = zipfile.ZIP_STORED if name.endswith(".keras") else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=compression)
    return path


def load(path, *, trusted=None, custom_objects=None):
    """Load a skdeep file without running code from it.

    Parameters
    ----------
    path : str or path-like
        A file written by :func:`save`.
    trusted : list of str or objects, default=None
        Code the file may refer to besides skdeep's own classes and builders
        and Keras' optimizers, losses, metrics and callbacks: importable names
        (``"mypackage.models.create_model"``) or the objects themselves (a
        builder defined in your script, a custom layer class).
        :func:`get_untrusted` lists what a file needs.
    custom_objects : dict, default=None
        Extra Keras custom objects for the models, as for
        ``keras.saving.load_model``.

    Returns
    -------
    object
        The estimator or pipeline, ready to predict and to continue training.

    Raises
    ------
    DamagedFileError
        The file is not a skdeep file, is truncated or corrupted.
    UntrustedContentError
        The file refers to code that is not trusted; the message names it.
    ValueError
        The file was written by a newer skdeep (a newer format version).
    """
    archive, manifest = _open(path)
    with archive:
        reader = _encode.Reader(archive, _trust.trusted_names(trusted), custom_objects, str(path))
        try:
            return reader.decode(manifest["root"])
        except (zipfile.BadZipFile, KeyError, OSError) as error:
            raise _damaged(path, error) from error


def get_untrusted(path):
    """List the names a file refers to that :func:`load` would not trust by default.

    Parameters
    ----------
    path : str or path-like
        A skdeep file.

    Returns
    -------
    list of str
        Importable names; pass those you trust to ``load(..., trusted=...)``.
    """
    archive, manifest = _open(path)
    with archive:
        names = set()
        _collect_names(manifest["root"], names)
        untrusted = set()
        for name in names:
            try:
                _trust.resolve(name, {}, str(path))
            except _trust.UntrustedContentError:
                untrusted.add(name)
        for member in archive.namelist():
            if member.endswith(".skops"):
                import skops.io

                found = skops.io.get_untrusted_types(data=archive.read(member))
                untrusted.update(t for t in found if not t.startswith("skdeep."))
    return sorted(untrusted)


def _open(path):
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(f"No skdeep file at {path}.")
    try:
        archive = zipfile.ZipFile(path)
        manifest = json.loads(archive.read(_MANIFEST))
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
        raise _damaged(path, error) from error
    if manifest.get("format") != "skdeep" or "root" not in manifest:
        archive.close()
        raise _damaged(path, ValueError("no skdeep manifest"))
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        archive.close()
        writer = manifest.get("versions", {}).get("skdeep", "a newer skdeep")
        raise ValueError(
            f"{path} is in skdeep file format {version}, written by skdeep {writer}; this "
            f"skdeep reads formats up to {FORMAT_VERSION}. Upgrade skdeep to load it."
        )
    return archive, manifest


def _damaged(path, error):
    return DamagedFileError(
        f"{path} is not a readable skdeep file: it may be truncated or corrupted "
        f"({type(error).__name__}: {error}). Save it again from the original, or "
        "check that the copy finished."
    )


def _collect_names(data, names):
    if isinstance(data, list):
        for item in data:
            _collect_names(item, names)
    elif isinstance(data, dict):
        for key in ("__name__", "__object__", "__callback__"):
            if key in data:
                names.add(data[key])
        for value in data.values():
            _collect_names(value, names)


def _versions():
    import skdeep

    return {
        "skdeep": skdeep.__version__,
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "python": platform.python_version(),
    }
