"""Export a fitted estimator's Keras model for serving, with what a server needs to know.

:func:`export` writes the network with Keras' ``model.export`` (a TensorFlow
SavedModel by default; ONNX and the other formats Keras offers where the
installed packages support them) and, beside it, ``skdeep-serving.json``:
the input the network takes, how its outputs become predictions (the
classes in output order, sigmoid or softmax), and the pipeline steps before
it, which the export does not contain and a server must apply first.
"""

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from skdeep._framework.backend import require_tensorflow


def export(obj, path, format="tf_saved_model"):
    """Export the Keras model of a fitted estimator (or a pipeline's last step).

    Parameters
    ----------
    obj : KerasClassifier, KerasRegressor or Pipeline
        Fitted; for a pipeline, its final step is exported and the steps
        before it are listed in the description.
    path : str or path-like
        A folder for a SavedModel, a file for ONNX. An existing export at
        ``path`` is replaced only once the new one is complete.
    format : str, default="tf_saved_model"
        Any format ``keras.Model.export`` takes: ``"tf_saved_model"``
        (needs TensorFlow), ``"onnx"`` (needs ``onnx`` and, on TensorFlow,
        ``tf2onnx``), ...

    Returns
    -------
    dict
        The serving description, also written to ``skdeep-serving.json``
        inside the SavedModel folder or beside the ONNX file.
    """
    if isinstance(obj, Pipeline):
        estimator, before = obj.steps[-1][1], obj.steps[:-1]
    else:
        estimator, before = obj, []
    check_is_fitted(estimator, "model_")
    if format == "tf_saved_model":
        require_tensorflow(f"export(format={format!r}), a TensorFlow SavedModel,")
    description = _description(estimator, before, format)
    path = Path(path).expanduser()
    folder = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        target = folder / ("model" if format == "tf_saved_model" else path.name)
        estimator.model_.export(str(target), format=format, verbose=False)
        sidecar = (target if target.is_dir() else folder) / "skdeep-serving.json"
        sidecar.write_text(json.dumps(description, indent=1))
        _replace(target, path)
        if not path.is_dir():
            _replace(sidecar, path.with_name(path.name + ".skdeep-serving.json"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return description


def _description(estimator, before, format):
    description = {
        "format": format,
        "input_shape": [None, *map(int, estimator.input_shape_)],
        "input_dtype": "float32",
        "feature_names": _plain(getattr(estimator, "feature_names_in_", None)),
        "preprocessing": [f"{name}: {type(step).__name__}" for name, step in before],
        "estimator": type(estimator).__name__,
    }
    if hasattr(estimator, "classes_"):
        logits = getattr(estimator, "_outputs_logits", False)
        description.update(
            classes=_plain(estimator.classes_),
            target_type=estimator.target_type_,
            outputs=(
                "one column: probability of classes[1] (apply a sigmoid first if logits)"
                if estimator.target_encoder_.form == "column"
                else "one column per class, in the order of classes"
            ),
            outputs_are_logits=bool(logits),
        )
    else:
        description.update(outputs=f"{estimator.n_outputs_} predicted value(s) per sample")
    return description


def _plain(values):
    if values is None:
        return None
    return [v.item() if isinstance(v, np.generic) else v for v in np.asarray(values).tolist()]


def _replace(new, target):
    """Put ``new`` (a file or folder) at ``target``; the old one goes only once it is there."""
    if not target.exists():
        os.replace(new, target)
        return
    old = target.with_name(f".{target.name}.old")
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    os.replace(target, old)
    os.replace(new, target)
    shutil.rmtree(old) if old.is_dir() else old.unlink()
