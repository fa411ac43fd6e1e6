"""Targets and outputs: what the model's outputs must be, and the targets in their form.

The estimators' own target steps (``_learn_targets``, ``_check_targets``,
``_target_meta``, ``_default_loss``, ``_configure_outputs``,
``_encode_targets``, ``_fit_weights``, declared on the base class) handle
one output. This module holds what they share and what goes beyond one:

* a subclass's own ``target_encoder`` (scikeras' hook): fitted with
  :func:`fit_custom`, its declared outputs checked by :func:`expected_outputs`;
* several named outputs from one 2-D ``y`` or DataFrame (``outputs=``):
  :class:`OutputTargets` learns and encodes each output's targets and
  :class:`OutputSteps` gives the chain their target steps;
* a one-output model whose output is a list or a one-entry dict:
  :func:`wrap_targets` / :func:`unwrap_outputs`;
* from a classifier's raw outputs to probabilities: :func:`probabilities`.

``outputs=["species", "colour"]`` (a classifier: every output is a class)
or ``outputs={"species": "class", "weight": "value"}`` (any estimator,
``BaseWrapper`` for a mix) names the model's outputs; each takes the
column of ``y`` of the same name (a DataFrame) or position (an array).
Class outputs learn their classes and are trained on class codes (one-hot
for a ``categorical_crossentropy`` output, a 0/1 column for one sigmoid
unit); value outputs on floats. ``class_weight`` is given per output and
becomes per-output sample weights, which Keras supports for several
outputs (its own ``class_weight`` does not).
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils.class_weight import compute_sample_weight

from skdeep._fit.compiling import from_logits, loss_name
from skdeep._fit.data import check_class_weight, check_labels, output_kinds, select_outputs


# ---------------------------------------------------------------------------
# A subclass's own target encoder
def fit_custom(estimator, encoder, y):
    """Fit a user's target encoder and take its metadata."""
    estimator.target_encoder_ = encoder.fit(y)
    vars(estimator).update(getattr(encoder, "get_metadata", dict)())


def expected_outputs(estimator, model):
    """Check the number of model outputs a custom encoder declared (``n_outputs_expected_``)."""
    expected = getattr(estimator, "n_outputs_expected_", None)
    outputs = getattr(model, "outputs", None)
    if expected and outputs is not None and len(outputs) != expected:
        raise ValueError(
            f"The target encoder expects a model with {expected} output(s), but the model "
            f"has {len(outputs)}. Make the builder's outputs match what target_encoder "
            "produces."
        )


# ---------------------------------------------------------------------------
# Several named outputs (outputs=)
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
                check_labels(column)
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


def score_outputs(estimator, X, y, sample_weight=None):
    """Subset accuracy when every output is a class, else the mean of the outputs' scores.

    A class output scores its accuracy and a value output its R²; a
    classifier counts a sample as right when all its labels are (as
    scikit-learn's ``MultiOutputClassifier``).
    """
    encoder = estimator.target_encoder_
    truth = _columns(select_outputs(estimator, y), len(encoder.kinds))
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


class OutputSteps:
    """The target steps of the fit chain for an estimator with ``outputs`` set."""

    def __init__(self, estimator):
        self.estimator = estimator

    def _learn_targets(self, y, classes):
        estimator, found = self.estimator, output_kinds(self.estimator)
        estimator.y_shape_, estimator.y_dtype_ = np.shape(y), np.asarray(y).dtype
        encoder = OutputTargets(found).fit(y, classes)
        estimator.target_encoder_ = encoder
        estimator.n_outputs_ = estimator.n_outputs_expected_ = len(found)
        present = set(found.values())
        estimator.target_type_ = (
            "mixed-multioutput"
            if len(present) > 1
            else {"class": "multiclass-multioutput", "value": "continuous-multioutput"}[
                present.pop()
            ]
        )
        if encoder.classes_:
            estimator.classes_ = list(encoder.classes_.values())
            estimator.n_classes_ = [len(c) for c in estimator.classes_]

    def _check_targets(self, y):
        fitted = tuple(self.estimator.y_shape_[1:])
        if tuple(np.shape(y)[1:]) != fitted:
            raise ValueError(
                f"y has shape {np.shape(y)}, but the model was first fitted on y with "
                f"{fitted[0]} column(s), one per output. Continued training (partial_fit, "
                "warm_start) needs the same outputs; call fit with warm_start=False to "
                "start over."
            )

    def _target_meta(self):
        estimator = self.estimator
        encoder = estimator.target_encoder_
        units, activations, losses = {}, {}, {}
        for name, kind in encoder.kinds.items():
            n_classes = len(encoder.classes_[name]) if kind == "class" else 0
            units[name] = 1 if n_classes <= 2 else n_classes
            activations[name] = (
                "linear" if kind == "value" else "sigmoid" if n_classes <= 2 else "softmax"
            )
            losses[name] = _default_loss(kind, units[name])
        meta = {
            "n_outputs_": estimator.n_outputs_,
            "n_outputs_expected_": estimator.n_outputs_,
            "target_type_": estimator.target_type_,
            "output_units_": units,
            "output_activation_": activations,
            "loss_": losses,
        }
        if encoder.classes_:
            meta.update(classes_=estimator.classes_, n_classes_=estimator.n_classes_)
        return meta

    def _default_loss(self, model, shapes):
        named = _named_shapes(model, shapes)
        kinds_ = self.estimator.target_encoder_.kinds
        missing = [name for name in kinds_ if name not in named]
        if missing:
            _missing_output(missing, list(named))
        return {
            name: _default_loss(kinds_[name], named[name][-1] if named[name] else 1)
            for name in kinds_
        }, False

    def _configure_outputs(self, model, shapes):
        encoder = self.estimator.target_encoder_
        named = _named_shapes(model, shapes)
        missing = [name for name in encoder.kinds if name not in named]
        if missing:
            _missing_output(missing, list(named))
        extra = [name for name in named if name not in encoder.kinds]
        if extra:
            raise ValueError(
                f"The model has the output(s) {extra}, which outputs= does not name; it "
                f"names {list(encoder.kinds)}. Give every output of the model a target."
            )
        losses = _per_output(model.loss, list(named))
        for name, kind in encoder.kinds.items():
            shape = named[name] or (1,)
            units = shape[-1]
            if kind == "value":
                if shape != (1,):
                    raise ValueError(
                        f"The model's output {name!r} has shape {shape} per sample, but a "
                        f"'value' output takes one column of y. End it with Dense(1, "
                        f"name={name!r})."
                    )
                continue
            n_classes = len(encoder.classes_[name])
            if n_classes < 2:
                only = np.asarray(encoder.classes_[name]).tolist()[0]
                raise ValueError(
                    f"y's column {name!r} holds one class only ({only!r}), but the output "
                    f"{name!r} is a 'class' output, which needs at least two classes to "
                    "learn from. Check the column, or declare it a 'value' output."
                )
            ends = "sigmoid" if n_classes == 2 else "softmax"
            if len(shape) != 1 or (units != n_classes and not (units == 1 and n_classes == 2)):
                raise ValueError(
                    f"The model's output {name!r} has shape {shape} per sample, but y's "
                    f"column {name!r} has {n_classes} classes. End it with Dense("
                    f"{1 if n_classes == 2 else n_classes}, activation={ends!r}, "
                    f"name={name!r})."
                )
            loss = losses.get(name)
            chosen = loss_name(loss) if loss is not None else ""
            if units == 1:
                encoder.forms_[name] = "column"
            else:
                sparse = chosen.startswith("sparse") or not chosen
                encoder.forms_[name] = "codes" if sparse else "one_hot"
            encoder.logits_[name] = from_logits(loss)
        encoder.structure_ = "dict" if isinstance(shapes, dict) else "list"
        encoder.order_ = list(named)

    def _encode_targets(self, y):
        return self.estimator.target_encoder_.transform(y)

    def _fit_weights(self, y, sample_weight, class_weight=None):
        estimator = self.estimator
        encoder = estimator.target_encoder_
        if class_weight is None:
            class_weight = getattr(estimator, "class_weight", None)
        if class_weight is None:
            return sample_weight
        if isinstance(class_weight, str):
            class_weight = {name: class_weight for name in encoder.classes_}
        unknown = [name for name in class_weight if name not in encoder.classes_]
        if not isinstance(class_weight, dict) or unknown:
            raise ValueError(
                f"class_weight has the key(s) {unknown}, which are not class outputs; with "
                "outputs=, give class_weight per class output, e.g. class_weight="
                f"{{{next(iter(encoder.classes_), 'name')!r}: {{label: weight}}}} or "
                "'balanced'."
            )
        y = _columns(y, len(encoder.kinds))
        base = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight)
        columns = []
        for position, name in enumerate(encoder.kinds):
            weights = class_weight.get(name)
            if weights is None:
                columns.append(base)
                continue
            weights = check_class_weight(weights, encoder.classes_[name])
            columns.append(base * compute_sample_weight(weights, y[:, position]))
            if not np.any(columns[-1] > 0):
                raise ValueError(
                    f"class_weight[{name!r}] and sample_weight leave every sample with "
                    "weight 0 for that output."
                )
        return np.column_stack(columns)


def steps(estimator):
    """Who runs the target steps: the estimator, or :class:`OutputSteps` with ``outputs``."""
    return estimator if estimator.outputs is None else OutputSteps(estimator)


def _default_loss(kind, units):
    if kind == "value":
        return "mean_squared_error"
    return "binary_crossentropy" if units == 1 else "sparse_categorical_crossentropy"


def _named_shapes(model, shapes):
    if isinstance(shapes, dict):
        return dict(shapes)
    return dict(zip(model.output_names, shapes, strict=True))


def _per_output(loss, names):
    if isinstance(loss, dict):
        return dict(loss)
    if isinstance(loss, (list, tuple)):
        return dict(zip(names, loss, strict=False))
    return dict.fromkeys(names, loss)


def _missing_output(missing, names):
    raise ValueError(
        f"outputs= names {missing}, but the model has no output of that name; its outputs "
        f"are {names}. Name each output layer (name=...) or the keys of the model's output "
        "dict after outputs=."
    )


# ---------------------------------------------------------------------------
# From a classifier network's raw outputs to class probabilities
def probabilities(raw, logits, indicator):
    """Rows of probabilities from raw outputs of shape (n_samples, units).

    Parameters
    ----------
    raw : ndarray
        The network's outputs, one row per sample.
    logits : bool
        Whether the outputs are logits (the loss was compiled with
        ``from_logits=True``).
    indicator : bool
        Whether each unit is an independent label (multilabel targets).

    Returns
    -------
    ndarray of shape (n_samples, n_classes)
        One column per class; a single sigmoid unit gives two columns.

    Examples
    --------
    >>> probabilities(np.array([[0.0], [2.0]]), logits=True, indicator=False).round(2)
    array([[0.5 , 0.5 ],
           [0.12, 0.88]])
    """
    raw = raw.reshape(len(raw), -1)
    independent = raw.shape[1] == 1 or indicator
    if logits:
        raw = _sigmoid(raw) if independent else _softmax(raw)
    if raw.shape[1] == 1:
        positive = np.clip(raw[:, 0], 0.0, 1.0)
        return np.column_stack([1.0 - positive, positive])
    if independent:
        return np.clip(raw, 0.0, 1.0)
    return raw / raw.sum(axis=1, keepdims=True)


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _softmax(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def structured(estimator, y, weights, validation):
    """Targets, weights and validation data in the structure of the model's outputs.

    For a model with several named outputs (``outputs=``) the targets come
    encoded per output and the weights become one column per output; a
    one-output model whose output is a list or a one-entry dict gets its
    targets wrapped the same way.
    """
    wrap = getattr(estimator, "_output_wrap", None)
    y = wrap_targets(y, wrap)
    weights = arrange_weights(estimator, weights)
    if validation is not None:
        X_val, y_val, *rest = validation
        validation = (
            X_val,
            wrap_targets(y_val, wrap),
            *[arrange_weights(estimator, w) for w in rest],
        )
    return y, weights, validation


def wrap_targets(y, wrap):
    """``y`` in the structure of a one-output model's output (see :func:`single_output`)."""
    if wrap is None or isinstance(y, (list, tuple, dict)):
        return y
    return [y] if wrap == "list" else {wrap: y}


def unwrap_outputs(outputs, wrap):
    """The one array of a one-output model's predictions."""
    if wrap is None:
        return outputs
    if isinstance(outputs, dict):
        return outputs[wrap]
    if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
        return outputs[0]
    return outputs
