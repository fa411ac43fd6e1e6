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
from skdeep.serialization import _encode, _skops, _trust
from skdeep.serialization._archive import MANIFEST, Archive, DamagedFileError, damaged

#: The version of the file format this skdeep writes (and the newest it reads).
FORMAT_VERSION = 1

__all__ = ["FORMAT_VERSION", "DamagedFileError", "get_untrusted", "load", "save"]


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
    if not _encode.holds_estimator(obj) or not isinstance(obj, _encode.BaseEstimator):
        raise _encode.NotSavableError(
            f"skdeep.save saves skdeep estimators and scikit-learn objects holding them "
            f"(a Pipeline, a TransformedTargetRegressor, ...); received "
            f"{type(obj).__name__}. Use skops.io.dump for other scikit-learn objects."
        )
    _check_container(obj)
    writer = _encode.Writer()
    manifest = {
        "format": "skdeep",
        "format_version": FORMAT_VERSION,
        "versions": _versions(),
        "root": writer.encode(obj, "the object"),
    }
    path = Path(path).expanduser()
    with (
        atomic_write(path, what="skdeep.save") as file,
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
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
        The file was written by a newer skdeep (a newer format version), or
        its Keras model by a newer Keras that this one cannot read.
    """
    path = Path(path).expanduser()
    with _open(path) as (archive, manifest):
        versions = manifest.get("versions")
        reader = _encode.Reader(
            archive,
            _trust.Trust(trusted, str(path)),
            custom_objects,
            keras_writer=versions.get("keras") if isinstance(versions, dict) else None,
        )
        obj = reader.decode(manifest["root"])
        if archive.unused():
            raise damaged(path, f"it holds members the manifest never uses: {archive.unused()}")
        return obj


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
    path = Path(path).expanduser()
    trust = _trust.Trust(None, str(path))
    with _open(path) as (archive, manifest):
        untrusted = set()
        for name, kind in _names(manifest["root"]):
            if not trust.trusts(name, kind):
                untrusted.add(name if isinstance(name, str) else repr(name))
        for member in archive.zip.namelist():
            if member.endswith(".skops"):
                blob = archive.member(member, "skops")
                untrusted |= _skops.untrusted_types(blob, trust, str(path))
    return sorted(untrusted)


class _open:
    """The archive and its manifest, checked: a skdeep file of a format this skdeep reads."""

    def __init__(self, path):
        if not path.is_file():
            raise FileNotFoundError(f"No skdeep file at {path}.")
        self.archive = Archive(path)

    def __enter__(self):
        archive, path = self.archive, self.archive.path
        try:
            manifest = archive.manifest()
            if manifest.get("format") != "skdeep" or "root" not in manifest:
                raise damaged(path, "it has no skdeep manifest")
            version = manifest.get("format_version")
            if not isinstance(version, int) or isinstance(version, bool) or version < 1:
                raise damaged(path, f"its format_version is {version!r}, not a version number")
            if version > FORMAT_VERSION:
                versions = manifest.get("versions")
                writer = versions.get("skdeep") if isinstance(versions, dict) else None
                raise ValueError(
                    f"{path} is in skdeep file format {version}, written by skdeep "
                    f"{writer or 'a newer skdeep'}; this skdeep reads formats up to "
                    f"{FORMAT_VERSION}. Upgrade skdeep to load it."
                )
        except BaseException:
            archive.zip.close()
            raise
        return archive, manifest

    def __exit__(self, *exc):
        self.archive.zip.close()


def _names(data):
    """``(name, kind)`` of every reference to code in the manifest, read as text."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
            continue
        if not isinstance(item, dict):
            continue
        for key, kind in (("__name__", "callable"), ("__object__", "object")):
            if key in item:
                yield item[key], kind
        if "__callback__" in item:
            yield item["__callback__"], "callback"
        if "__keras_object__" in item:
            names = _encode.keras_config_names(item["__keras_object__"])
            yield from ((name, "callable") for name in names)
        pending.extend(v for v in item.values() if isinstance(v, (dict, list)))


def _check_container(obj):
    """A meta-estimator around skdeep estimators must be one a file may rebuild."""
    if _encode.is_estimator(obj) or _encode._is_skdeep_object(obj):
        return
    name = _trust.name_of(type(obj))
    if not _trust.Trust(None, "").trusts(name, "object"):
        raise _encode.NotSavableError(
            f"skdeep.save cannot save a {type(obj).__name__} around a skdeep estimator: "
            "a safe file rebuilds only skdeep's estimators and scikit-learn's Pipeline, "
            "FeatureUnion, ColumnTransformer, TransformedTargetRegressor, MultiOutput*, "
            "OneVs*, Voting*, Stacking* and FrozenEstimator. Use pickle/joblib for files "
            "you trust."
        )


def _versions():
    import skdeep

    return {
        "skdeep": skdeep.__version__,
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "python": platform.python_version(),
    }
