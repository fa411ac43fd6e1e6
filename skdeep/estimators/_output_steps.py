"""The fit chain's target steps for an estimator with several named outputs (``outputs=``).

:func:`steps` gives the chain the estimator itself, or an
:class:`OutputSteps` that learns and encodes the targets of every output,
chooses each output's default loss, and checks the model's outputs
against ``outputs=`` (names, units) with errors that name the output.
"""

import numpy as np
from sklearn.utils.class_weight import compute_sample_weight

from skdeep.estimators import _validation as check
from skdeep.estimators._outputs import OutputTargets, _columns, kinds
from skdeep.models._losses import from_logits, loss_name


class OutputSteps:
    """The target steps of the fit chain for an estimator with ``outputs`` set."""

    def __init__(self, estimator):
        self.estimator = estimator

    def _learn_targets(self, y, classes):
        estimator, found = self.estimator, kinds(self.estimator)
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
            weights = check.check_class_weight(weights, encoder.classes_[name])
            columns.append(base * compute_sample_weight(weights, y[:, position]))
            if not np.any(columns[-1] > 0):
                raise ValueError(
                    f"class_weight[{name!r}] and sample_weight leave every sample with "
                    "weight 0 for that output."
                )
        return np.column_stack(columns)


def steps(estimator):
    """Who runs the target steps: the estimator, or :class:`OutputSteps` with ``outputs``."""
    return estimator if getattr(estimator, "outputs", None) is None else OutputSteps(estimator)


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
