"""Several named outputs from one 2-D ``y`` or DataFrame: the ``outputs`` parameter.

``outputs=["species", "colour"]`` (a classifier: every output is a class)
or ``outputs={"species": "class", "weight": "value"}`` (any estimator,
``BaseWrapper`` for a mix) names the model's outputs; each takes the
column of ``y`` of the same name (a DataFrame) or position (an array).
Class outputs learn their classes and are trained on class codes (one-hot
for a ``categorical_crossentropy`` output, a 0/1 column for one sigmoid
unit); value outputs on floats. ``class_weight`` is given per output and
becomes per-output sample weights, which Keras supports for several
outputs (its own ``class_weight`` does not).

:class:`OutputTargets` follows the protocol of a ``target_encoder`` (fit,
transform, inverse_transform, get_metadata), so ``predict`` and
``predict_proba`` use it as they use a subclass's encoder;
:class:`~skdeep.estimators._output_steps.OutputSteps` gives the fit chain
its target steps.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.metrics import accuracy_score, r2_score

from skdeep.estimators import _validation as check
from skdeep.estimators._probabilities import probabilities

KINDS = ("class", "value")


def kinds(estimator):
    """``{output name: kind}`` from the ``outputs`` parameter, checked."""
    outputs, default = estimator.outputs, getattr(estimator, "_output_kind", None)
    owner = type(estimator).__name__
    if isinstance(outputs, (list, tuple)):
        if default is None:
            raise ValueError(
                f"{owner} does not know what its outputs are: give outputs as a dict, "
                "e.g. outputs={'species': 'class', 'weight': 'value'}."
            )
        found = {name: default for name in outputs}
    elif isinstance(outputs, dict):
        found = dict(outputs)
    else:
        raise ValueError(
            f"outputs={outputs!r}: expected a list of the model's output names, or a dict "
            "mapping each name to 'class' or 'value'."
        )
    if not found or not all(isinstance(name, str) for name in found):
        raise ValueError(f"outputs={outputs!r}: give the names (str) of the model's outputs.")
    if len(found) != len(list(outputs)):
        raise ValueError(f"outputs={outputs!r} names an output twice.")
    for name, kind in found.items():
        if kind not in KINDS:
            raise ValueError(f"outputs[{name!r}]={kind!r}: expected 'class' or 'value'.")
        if default is not None and kind != default:
            raise ValueError(
                f"outputs[{name!r}]={kind!r}, but every output of {owner} is a "
                f"{default}. Use skdeep.wrappers.BaseWrapper with outputs={{...}} for a "
                "model that predicts classes and values together."
            )
    return found


def select(estimator, y):
    """The columns of ``y`` in the order of ``outputs``: by name (a DataFrame), else by position."""
    names = list(kinds(estimator))
    if hasattr(y, "columns"):
        missing = [name for name in names if name not in y.columns]
        if missing:
            raise ValueError(
                f"y has no column {missing[0]!r} for the model's output of that name; its "
                f"columns are {list(y.columns)}. Name the DataFrame's columns after outputs="
                f"{names}."
            )
        return y[names]
    shape = np.shape(y)
    if len(shape) == 1 and len(names) == 1:
        return np.reshape(y, (-1, 1))
    if len(shape) != 2 or shape[1] != len(names):
        raise ValueError(
            f"y has shape {shape}, but outputs= names {len(names)} output(s) {names}: give "
            f"y as a DataFrame with those columns, or an array of shape (n_samples, "
            f"{len(names)}) with one column per output, in that order."
        )
    return y


class OutputTargets(BaseEstimator):
    """Targets of a model with several named outputs.

    Parameters
    ----------
    kinds : dict
        Output name -> ``"class"`` or ``"value"``, in the order of ``y``'s
        columns.

    Examples
    --------
    >>> targets = OutputTargets({"species": "class", "weight": "value"})
    >>> y = np.array([["a", 1.5], ["b", 2.0], ["a", 0.5]], dtype=object)
    >>> encoded = targets.fit(y).transform(y)
    >>> encoded["species"].tolist(), encoded["weight"].ravel().tolist()
    ([0, 1, 0], [1.5, 2.0, 0.5])
    """

    def __init__(self, kinds):
        self.kinds = kinds

    def fit(self, y, classes=None):
        """Learn the classes of every class output (``classes``: a list per class output)."""
        y = _columns(y, len(self.kinds))
        given = iter(classes) if classes is not None else None
        self.classes_ = {}
        for position, (name, kind) in enumerate(self.kinds.items()):
            if kind == "class":
                column = y[:, position]
                check.check_labels(column)
                self.classes_[name] = np.unique(column if given is None else next(given))
        self.forms_ = {name: "codes" for name in self.classes_}
        self.structure_, self.order_, self.logits_ = "dict", list(self.kinds), {}
        return self

    def get_metadata(self):
        """``n_outputs_expected_``, for the check of the model's outputs."""
        return {"n_outputs_expected_": len(self.kinds)}

    def transform(self, y):
        """One target per output, in the structure of the model's outputs."""
        y = _columns(y, len(self.kinds))
        encoded = {}
        for position, (name, kind) in enumerate(self.kinds.items()):
            column = y[:, position]
            if kind == "value":
                values = _floats(name, column)
                encoded[name] = values.astype("float32").reshape(-1, 1)
                continue
            codes = _codes(name, column, self.classes_[name])
            form = self.forms_[name]
            if form == "one_hot":
                encoded[name] = np.eye(len(self.classes_[name]), dtype="float32")[codes]
            elif form == "column":
                encoded[name] = codes.astype("float32").reshape(-1, 1)
            else:
                encoded[name] = codes.astype("int32")
        return self.arrange(encoded)

    def arrange(self, per_output):
        """A dict keyed by output name, as a dict or a list in the model's output order."""
        if self.structure_ == "dict":
            return per_output
        return [per_output[name] for name in self.order_]

    def inverse_transform(self, outputs, return_proba=False):
        """Predictions from the model's outputs.

        Labels and values as a 2-D array (a DataFrame when classes and values
        mix); with ``return_proba``, the list of class probabilities of every
        class output, as scikit-learn's multi-output classifiers return it.
        """
        if not isinstance(outputs, dict):
            outputs = dict(zip(self.order_, outputs, strict=True))
        named = outputs
        named = {name: np.asarray(named[name], dtype="float64") for name in self.kinds}
        probas = {
            name: probabilities(named[name], self.logits_.get(name, False), indicator=False)
            for name in self.classes_
        }
        if return_proba:
            return [probas[name] for name in self.classes_]
        columns = {}
        for name, kind in self.kinds.items():
            if kind == "class":
                columns[name] = self.classes_[name][np.argmax(probas[name], axis=1)]
            else:
                columns[name] = named[name].reshape(len(named[name]), -1)[:, 0]
        if len(set(self.kinds.values())) > 1:
            return pd.DataFrame(columns)
        return np.column_stack(list(columns.values()))


def _columns(y, width):
    y = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    return y.reshape(-1, 1) if y.ndim == 1 and width == 1 else y


def _floats(name, column):
    try:
        values = column.astype("float64")
    except (TypeError, ValueError):
        raise ValueError(
            f"y's column for the output {name!r} holds values that are not numbers; a "
            "'value' output needs numbers (make it a 'class' output for labels)."
        ) from None
    if not np.all(np.isfinite(values)):
        raise ValueError(f"y's column for the output {name!r} contains NaN or infinity.")
    return values


def _codes(name, column, classes):
    codes = np.searchsorted(classes, column)
    codes = np.clip(codes, 0, len(classes) - 1)
    unseen = classes[codes] != column
    if np.any(unseen):
        raise ValueError(
            f"y's column for the output {name!r} has label(s) "
            f"{np.unique(column[unseen]).tolist()} not seen in fit; its classes are "
            f"{classes.tolist()}."
        )
    return codes


def arrange_weights(estimator, weights):
    """Sample weights in the structure of the model's outputs (one column per output)."""
    if getattr(estimator, "outputs", None) is None or weights is None:
        return weights
    encoder = estimator.target_encoder_
    weights = np.asarray(weights)
    if weights.ndim == 1:
        return encoder.arrange({name: weights for name in encoder.kinds})
    return encoder.arrange({name: weights[:, i] for i, name in enumerate(encoder.kinds)})


def score(estimator, X, y, sample_weight=None):
    """Subset accuracy when every output is a class, else the mean of the outputs' scores.

    A class output scores its accuracy and a value output its R²; a
    classifier counts a sample as right when all its labels are (as
    scikit-learn's ``MultiOutputClassifier``).
    """
    encoder = estimator.target_encoder_
    truth = _columns(select(estimator, y), len(encoder.kinds))
    encoder.transform(truth)  # labels never seen in fit are an error, not a miss
    predicted = estimator.predict(X)
    predicted = predicted.to_numpy() if hasattr(predicted, "to_numpy") else predicted
    if set(encoder.kinds.values()) == {"class"}:
        return float(np.average(np.all(truth == predicted, axis=1), weights=sample_weight))
    scores = [
        accuracy_score(truth[:, i], predicted[:, i], sample_weight=sample_weight)
        if kind == "class"
        else r2_score(
            truth[:, i].astype(float), predicted[:, i].astype(float), sample_weight=sample_weight
        )
        for i, kind in enumerate(encoder.kinds.values())
    ]
    return float(np.mean(scores))
