"""KerasClassifier: a Keras model as a scikit-learn classifier."""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.metrics import accuracy_score
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.class_weight import compute_sample_weight
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from skdeep._fit import data
from skdeep._fit import targets as target_steps
from skdeep._fit.compiling import default_loss, from_logits, loss_name, output_activation
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
    {parameters}
    class_weight : dict, list of dict, "balanced" or None, default=None
        Weights per class, keyed by the original labels, or "balanced" for
        weights inversely proportional to class frequencies (a list of
        dicts, one per column of ``y``, for a subclass whose
        ``target_encoder`` splits ``y`` into several outputs). Applied as
        sample weights, multiplied with ``sample_weight`` (which is not
        modified). Weights must be finite and non-negative.
    {kwargs}

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
    {attributes}

    See Also
    --------
    skdeep.KerasRegressor : The same for continuous targets.
    skdeep.KerasTransformer : A trained network's layer as features.
    skdeep.model_selection.HalvingEpochsGridSearchCV : Searches where candidates keep training.
    skdeep.wrappers.KerasClassifier : The same class under scikeras' import path.
    sklearn.neural_network.MLPClassifier : scikit-learn's own multi-layer perceptron.

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
    _output_kind = "class"  # what each of several outputs is (outputs=)
    _parameter_constraints = {
        **BaseKerasEstimator._parameter_constraints,
        "class_weight": [dict, list, StrOptions({"balanced"}), None],
    }

    def __init__(
        self,
        model=None,
        *,
        build_fn=None,
        warm_start=False,
        random_state=None,
        optimizer="auto",
        loss=None,
        metrics=None,
        batch_size=None,
        epochs=1,
        verbose=0,
        callbacks=None,
        validation_split=0.0,
        validation_fraction=None,
        shuffle=True,
        early_stopping=False,
        n_iter_no_change=10,
        tol=1e-4,
        keep_best=None,
        checkpoint_path=None,
        backup_dir=None,
        distribution=None,
        inputs=None,
        outputs=None,
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
            validation_fraction=validation_fraction,
            shuffle=shuffle,
            early_stopping=early_stopping,
            n_iter_no_change=n_iter_no_change,
            tol=tol,
            keep_best=keep_best,
            checkpoint_path=checkpoint_path,
            backup_dir=backup_dir,
            distribution=distribution,
            inputs=inputs,
            outputs=outputs,
            **kwargs,
        )
        self.class_weight = class_weight

    @property
    def target_encoder(self):
        """The unfitted target encoder; override it in a subclass (scikeras' hook)."""
        return ClassifierTargetEncoder()

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """Score predictions by accuracy; override it in a subclass to change :meth:`score`.

        Parameters
        ----------
        y_true : array-like
            True labels.
        y_pred : array-like
            Predicted labels.
        **kwargs
            ``sample_weight`` and the ``score__`` parameters.

        Returns
        -------
        float
            The accuracy.
        """
        return accuracy_score(y_true, y_pred, **kwargs)

    def partial_fit(self, X, y, classes=None, sample_weight=None, **kwargs):
        """Train for one epoch, building the model on the first call.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Labels; the same shape at every call.
        classes : array-like, default=None
            Every label of the whole data, on the first call, when a batch
            may lack some.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.
        **kwargs
            Keyword arguments of ``keras.Model.fit`` for this call, except
            ``epochs``.

        Returns
        -------
        self
            The estimator.
        """
        return self._partial_fit(X, y, sample_weight, kwargs, classes)

    def predict(self, X, **kwargs):
        """Predict labels, of the same type as the labels seen in ``fit``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples, shaped as in ``fit``.
        **kwargs
            ``batch_size``, ``verbose`` or ``callbacks`` for this call.

        Returns
        -------
        ndarray of shape (n_samples,) or (n_samples, n_labels)
            The predicted labels.
        """
        check_is_fitted(self, "model_")
        raw = self._predict_raw(X, **kwargs)
        if not self._own_encoder():
            return self.target_encoder_.inverse_transform(raw)
        return self.target_encoder_.inverse_transform(self._probabilities(raw))

    def predict_proba(self, X, **kwargs):
        """Predict class probabilities; rows sum to 1.

        For multilabel targets, the independent probability of each label.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples, shaped as in ``fit``.
        **kwargs
            ``batch_size``, ``verbose`` or ``callbacks`` for this call.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            The probability of each class, in the order of ``classes_``.
        """
        raw = self._predict_raw(X, **kwargs)
        if not self._own_encoder():
            return self.target_encoder_.inverse_transform(raw, return_proba=True)
        return self._probabilities(raw)

    def score(self, X, y, sample_weight=None):
        """Return the mean accuracy (or :meth:`scorer`) on ``X`` and ``y``.

        Labels that ``fit`` never saw are an error, not a silent mismatch.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples.
        y : array-like of shape (n_samples,) or DataFrame
            True labels (with ``outputs``, a column per output).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        float
            The score; with ``outputs``, the fraction of samples whose
            labels are all right, as ``sklearn.multioutput.MultiOutputClassifier``.
        """
        check_is_fitted(self, "target_encoder_")
        if self.outputs is not None:  # several outputs: all labels right (subset accuracy)
            return target_steps.score_outputs(self, X, y, sample_weight)
        if self._own_encoder() and self.target_type_ != "multilabel-indicator":
            self.target_encoder_.encode_labels(y)
        # BaseKerasEstimator's, not ClassifierMixin's: a subclass's scorer (scikeras'
        # hook) and score__ options apply.
        return BaseKerasEstimator.score(self, X, y, sample_weight=sample_weight)

    # ------------------------------------------------------------------
    # Steps of the fit chain
    # ------------------------------------------------------------------
    def _own_encoder(self):
        return isinstance(self.target_encoder_, ClassifierTargetEncoder)

    def _learn_targets(self, y, classes):
        data.check_labels(y)
        self.y_shape_, self.y_dtype_ = np.shape(y), np.asarray(y).dtype
        encoder = self.target_encoder
        if not isinstance(encoder, ClassifierTargetEncoder):
            target_steps.fit_custom(self, encoder, y)
            self.target_type_ = getattr(encoder, "target_type_", type_of_target(y))
            return
        self.target_encoder_ = encoder.fit(y, classes=classes)
        self.classes_ = self.target_encoder_.classes_
        self.n_classes_ = len(self.classes_)
        self.target_type_ = self.target_encoder_.target_type_
        self.n_outputs_ = y.shape[1] if self._multilabel() else 1
        self.n_outputs_expected_ = 1

    def _check_targets(self, y):
        data.check_labels(y)
        data.check_target_shape(self, y)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True  # an indicator matrix y: one sigmoid per label
        return tags

    def _multilabel(self):
        return self.target_type_ == "multilabel-indicator"

    def _head(self):
        """Units, activation and one-hot flag of the output layer that fits the target."""
        if self.target_type_ == "multiclass":
            return self.n_classes_, "softmax", False
        if self._multilabel() and self.target_encoder_.one_hot_input_:
            return self.n_classes_, "softmax", True  # one-hot classes (to_categorical)
        return self.n_outputs_, "sigmoid", False

    def _target_meta(self):
        if not self._own_encoder():
            return {"target_type_": self.target_type_}
        units, activation, one_hot = self._head()
        return {
            "classes_": self.classes_,
            "n_classes_": self.n_classes_,
            "n_outputs_": self.n_outputs_,
            "n_outputs_expected_": 1,
            "target_type_": self.target_type_,
            "output_units_": units,
            "output_activation_": activation,
            "loss_": default_loss(self.target_type_, units, activation, one_hot)[0],
        }

    def _default_loss(self, model, shapes):
        if not self._own_encoder() and len(shapes) != 1:
            raise ValueError(
                "The model has several outputs; pass loss= (one per output, as a list or "
                "dict) or compile the model in the builder."
            )
        shape = _single(shapes)
        units = shape[-1] if shape else 1
        one_hot = self._own_encoder() and self.target_encoder_.one_hot_input_
        return default_loss(self.target_type_, units, output_activation(model), one_hot)

    def _configure_outputs(self, model, shapes):
        if not self._own_encoder():
            target_steps.expected_outputs(self, model)
            return
        shape = _single(shapes) or (1,)
        if len(shape) > 1:
            raise ValueError(
                f"The model's output has shape {shape} per sample, but a classifier needs "
                "one vector of class scores per sample. Add a Flatten or global pooling "
                "layer before the output layer."
            )
        units = shape[-1]
        loss = loss_name(model.loss)
        self._outputs_logits = from_logits(model.loss)
        if self._multilabel():
            one_hot = self.target_encoder_.one_hot_input_ and "categorical" in loss
            sparse = loss.startswith("sparse")
            form = ("codes" if sparse else "one_hot") if one_hot else "indicator"
            expected = self.n_classes_
        elif units == 1:
            form, expected = "column", 1 if self.target_type_ == "binary" else self.n_classes_
        else:
            form = "codes" if loss.startswith("sparse") else "one_hot"
            expected = self.n_classes_
        if units != expected:
            head = self._head()
            raise ValueError(
                f"The model's output has {units} unit(s), but the target has "
                f"{self.n_classes_} {'labels' if self._multilabel() else 'classes'} "
                f"({self.target_type_}). End the model with "
                f"Dense(meta['output_units_'], activation=meta['output_activation_']), "
                f"here Dense({head[0]}, activation='{head[1]}')."
            )
        self.target_encoder_.set_params(form=form)

    def _encode_targets(self, y):
        return self.target_encoder_.transform(y)

    def _fit_weights(self, y, sample_weight, class_weight=None):
        class_weight = self.class_weight if class_weight is None else class_weight
        if class_weight is None:
            return sample_weight
        if not self._own_encoder():  # a subclass's encoder: weights from the labels given
            weights = _label_weights(class_weight, y)
        elif self._multilabel():
            raise ValueError(
                "class_weight needs class labels; a multilabel indicator y has none "
                "(each column is 0 or 1). Pass sample_weight instead."
            )
        elif isinstance(class_weight, list):
            raise ValueError(
                "class_weight is a list (one dict per output), but y has one column of "
                "labels: give one dict of {label: weight}, or 'balanced'."
            )
        else:
            class_weight = data.check_class_weight(class_weight, self.classes_)
            weights = compute_sample_weight(class_weight, np.ravel(np.asarray(y)))
        if sample_weight is not None:
            weights = weights * sample_weight
        if not np.any(weights > 0):
            raise ValueError("class_weight and sample_weight leave every sample with weight 0.")
        return weights

    # ------------------------------------------------------------------
    # From model outputs to probabilities
    # ------------------------------------------------------------------
    def _probabilities(self, raw):
        if isinstance(raw, (list, dict)):
            raise ValueError(
                "The model returned several outputs; KerasClassifier's own target "
                "encoder handles one. Give the model a single output, or override "
                "target_encoder to decode several."
            )
        indicator = self.target_encoder_.form == "indicator"
        return target_steps.probabilities(raw, getattr(self, "_outputs_logits", False), indicator)


def _label_weights(class_weight, y):
    """Per-sample weights from ``class_weight`` over labels a subclass's encoder encodes.

    Each column of a 2-D ``y`` is one output's labels: ``"balanced"``, or one
    dict per column, weighs each output and the weights multiply, as
    scikit-learn's ``compute_sample_weight`` does (and scikeras).
    """
    labels = np.asarray(y)
    labels = labels.ravel() if labels.ndim == 2 and labels.shape[1] == 1 else labels
    try:
        return compute_sample_weight(class_weight, labels)
    except (TypeError, ValueError) as error:
        columns = 1 if labels.ndim == 1 else labels.shape[1]
        raise ValueError(
            f"class_weight={class_weight!r} does not fit y's {columns} column(s) of labels "
            f"({error}). Give 'balanced', or one dict of {{label: weight}} per column."
        ) from None


def _single(shapes):
    if isinstance(shapes, dict) or len(shapes) != 1:
        raise ValueError(
            f"The model has {len(shapes)} outputs; KerasClassifier's own target encoder "
            "handles a model with one output. Concatenate the outputs, or override "
            "target_encoder to encode several."
        )
    return shapes[0]
