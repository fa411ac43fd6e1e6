"""KerasClassifier: a Keras model as a scikit-learn classifier."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.validation import check_is_fitted

from skdeep.estimators._compile import loss_name, output_activation
from skdeep.estimators._docs import shared_docs
from skdeep.estimators.base import BaseKerasEstimator
from skdeep.preprocessing.targets import ClassifierTargetEncoder


@shared_docs
class KerasClassifier(ClassifierMixin, BaseKerasEstimator):
    """A Keras model as a scikit-learn classifier.

        Labels of any type go in and the same labels come out. Binary targets
        work with one sigmoid unit or two softmax units, multiclass targets with
        one unit per class (integer labels for sparse categorical cross-entropy,
        one-hot for categorical cross-entropy: the estimator encodes ``y`` as
        the compiled loss needs it), and multilabel indicator matrices with one
        sigmoid unit per label.

        Parameters
        ----------
    {common_parameters}
        class_weight : dict, "balanced" or None, default=None
            Weights per class, keyed by the original labels, or "balanced" for
            weights inversely proportional to class frequencies. Applied as
            sample weights, multiplied with ``sample_weight`` (which is not
            modified).

        Attributes
        ----------
        classes_ : ndarray
            The class labels (``arange(n_labels)`` for multilabel targets).
        n_classes_ : int
            Number of classes or labels.
        n_outputs_ : int
            Number of target columns: 1, or the number of labels.
        target_type_ : str
            ``"binary"``, ``"multiclass"`` or ``"multilabel-indicator"``.
        target_encoder_ : ClassifierTargetEncoder
            Maps labels to what the loss needs and probabilities back to labels.
    {common_attributes}

        Examples
        --------
        >>> import keras
        >>> from sklearn.datasets import load_iris
        >>> from skdeep import KerasClassifier
        >>> def build(meta, hidden=8):
        ...     return keras.Sequential([
        ...         keras.Input(meta["input_shape_"]),
        ...         keras.layers.Dense(hidden, activation="relu"),
        ...         keras.layers.Dense(meta["n_classes_"], activation="softmax"),
        ...     ])
        >>> X, y = load_iris(return_X_y=True)
        >>> clf = KerasClassifier(build, hidden=16, optimizer="adam",
        ...                       optimizer__learning_rate=0.05, epochs=40,
        ...                       random_state=0).fit(X, y)
        >>> clf.predict_proba(X[:2]).shape
        (2, 3)
        >>> bool(clf.score(X, y) > 0.8)
        True
    """

    _y_numeric = False
    _parameter_constraints = {
        **BaseKerasEstimator._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        model=None,
        *,
        build_fn=None,
        warm_start=False,
        random_state=None,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        batch_size=None,
        epochs=1,
        verbose=0,
        callbacks=None,
        validation_split=0.0,
        shuffle=True,
        early_stopping=False,
        n_iter_no_change=10,
        class_weight=None,
        **kwargs,
    ):
        super().__init__(
            model=model,
            build_fn=build_fn,
            warm_start=warm_start,
            random_state=random_state,
            optimizer=optimizer,
            loss=loss,
            metrics=metrics,
            batch_size=batch_size,
            epochs=epochs,
            verbose=verbose,
            callbacks=callbacks,
            validation_split=validation_split,
            shuffle=shuffle,
            early_stopping=early_stopping,
            n_iter_no_change=n_iter_no_change,
            **kwargs,
        )
        self.class_weight = class_weight

    def partial_fit(self, X, y, classes=None, sample_weight=None, **fit_params):
        """Train for one epoch; ``classes`` lists every label on the first call."""
        self._validate_params()
        reset = not self._is_fitted()
        return self._fit(X, y, sample_weight, fit_params, 1, reset, classes=classes)

    def predict(self, X):
        """Predicted labels, of the same type as the labels seen in ``fit``."""
        check_is_fitted(self, "model_")
        return self.target_encoder_.inverse_transform(self.predict_proba(X))

    def predict_proba(self, X):
        """Class probabilities of shape ``(n_samples, n_classes)``; rows sum to 1.

        For multilabel targets, the independent probability of each label.
        """
        return self._probabilities(self._predict_raw(X))

    def score(self, X, y, sample_weight=None):
        """Mean accuracy; labels that ``fit`` never saw are an error."""
        check_is_fitted(self, "target_encoder_")
        if self.target_type_ != "multilabel-indicator":
            self.target_encoder_.encode_labels(y)
        return super().score(X, y, sample_weight=sample_weight)

    # ------------------------------------------------------------------
    # Steps of the fit chain
    # ------------------------------------------------------------------
    def _learn_targets(self, y, classes):
        self.target_encoder_ = ClassifierTargetEncoder().fit(y, classes=classes)
        self.classes_ = self.target_encoder_.classes_
        self.n_classes_ = len(self.classes_)
        self.target_type_ = self.target_encoder_.target_type_
        self.n_outputs_ = y.shape[1] if self._multilabel() else 1

    def _multilabel(self):
        return self.target_type_ == "multilabel-indicator"

    def _target_meta(self):
        if self.target_type_ == "multiclass":
            head = (self.n_classes_, "softmax", "sparse_categorical_crossentropy")
        elif self._multilabel() and self.target_encoder_.one_hot_input_:
            # One-hot classes (keras.utils.to_categorical): exactly one per row.
            head = (self.n_classes_, "softmax", "categorical_crossentropy")
        else:
            head = (self.n_outputs_, "sigmoid", "binary_crossentropy")
        return {
            "classes_": self.classes_,
            "n_classes_": self.n_classes_,
            "n_outputs_": self.n_outputs_,
            "n_outputs_expected_": 1,
            "target_type_": self.target_type_,
            "output_units_": head[0],
            "output_activation_": head[1],
            "loss_": head[2],
        }

    def _default_loss(self, model, output_shape):
        units = output_shape[-1] if output_shape else 1
        if self._multilabel():
            one_hot = self.target_encoder_.one_hot_input_
            softmax = output_activation(model) == "softmax"
            return "categorical_crossentropy" if one_hot and softmax else "binary_crossentropy"
        return "binary_crossentropy" if units == 1 else "sparse_categorical_crossentropy"

    def _outputs_are_logits(self, model):
        return output_activation(model) == "linear"

    def _configure_targets(self, X):
        units = self._output_shape[-1] if self._output_shape else 1
        loss = loss_name(self.model_.loss)
        sparse = loss.startswith("sparse")
        if self._multilabel():
            one_hot = self.target_encoder_.one_hot_input_ and "categorical" in loss
            form = ("codes" if sparse else "one_hot") if one_hot else "indicator"
            expected = self.n_classes_
        elif units == 1:
            form, expected = (
                "column",
                (1 if self.target_type_ == "binary" else self.n_classes_),
            )
        else:
            form, expected = ("codes" if sparse else "one_hot"), self.n_classes_
        if units != expected:
            raise ValueError(
                f"The model's output has {units} unit(s), but the target has "
                f"{self.n_classes_} {'labels' if self._multilabel() else 'classes'} "
                f"({self.target_type_}). End the model with "
                f"Dense(meta['output_units_'], activation=meta['output_activation_']), "
                f"here Dense({self._target_meta()['output_units_']}, "
                f"activation='{self._target_meta()['output_activation_']}')."
            )
        self.target_encoder_.set_params(form=form)

    def _encode_targets(self, y):
        return self.target_encoder_.transform(y)

    def _fit_weights(self, y, sample_weight):
        if self.class_weight is None:
            return sample_weight
        if self._multilabel():
            raise ValueError(
                "class_weight is not supported for multilabel targets; pass sample_weight instead."
            )
        labels = np.ravel(np.asarray(y))
        if isinstance(self.class_weight, dict):
            unknown = [k for k in self.class_weight if k not in set(self.classes_.tolist())]
            if unknown:
                raise ValueError(
                    f"class_weight has keys {unknown} that are not classes of y; "
                    f"classes are {self.classes_.tolist()}. Key the dict by the "
                    "original labels."
                )
        weights = compute_sample_weight(self.class_weight, labels)
        return weights if sample_weight is None else weights * sample_weight

    # ------------------------------------------------------------------
    # From model outputs to probabilities
    # ------------------------------------------------------------------
    def _probabilities(self, raw):
        raw = raw.reshape(len(raw), -1)
        independent = raw.shape[1] == 1 or self.target_encoder_.form == "indicator"
        if self._outputs_logits:
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
