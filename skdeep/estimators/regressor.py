"""KerasRegressor: a Keras model as a scikit-learn regressor."""

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.metrics import r2_score
from sklearn.utils.validation import check_is_fitted

from skdeep._fit import data
from skdeep._fit import targets as target_steps
from skdeep.estimators._docs import shared_docs
from skdeep.estimators.base import BaseKerasEstimator


@shared_docs
class KerasRegressor(RegressorMixin, BaseKerasEstimator):
    """A Keras model as a scikit-learn regressor.

    ``y`` may be 1-D or have several columns (multi-output regression, one
    output unit per column). ``predict`` returns the same number of
    dimensions as ``y`` had in ``fit``; ``score`` is R^2.

    Parameters
    ----------
    {parameters}
    {kwargs}

    Attributes
    ----------
    n_outputs_ : int
        Number of target columns.
    {attributes}

    See Also
    --------
    skdeep.KerasClassifier : The same for class labels.
    skdeep.KerasTransformer : A trained network's layer as features.
    skdeep.wrappers.KerasRegressor : The same class under scikeras' import path.
    sklearn.neural_network.MLPRegressor : scikit-learn's own multi-layer perceptron.

    Examples
    --------
    >>> import keras, numpy as np
    >>> from skdeep import KerasRegressor
    >>> def build(meta):
    ...     return keras.Sequential([
    ...         keras.Input(meta["input_shape_"]),
    ...         keras.layers.Dense(meta["output_units_"]),
    ...     ])
    >>> X = np.random.RandomState(0).normal(size=(200, 3))
    >>> y = X @ [1.0, -2.0, 0.5]
    >>> reg = KerasRegressor(build, optimizer="adam", optimizer__learning_rate=0.1,
    ...                      epochs=30, random_state=0).fit(X, y)
    >>> reg.predict(X[:4]).shape
    (4,)
    >>> bool(reg.score(X, y) > 0.9)
    True
    """

    _y_numeric = True
    _output_kind = "value"  # what each of several outputs is (outputs=)

    @property
    def target_encoder(self):
        """The unfitted target encoder: None (built in) or a subclass's own (scikeras' hook)."""
        return None

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """Score predictions by R²; override it in a subclass to change :meth:`score`.

        Parameters
        ----------
        y_true : array-like
            True values.
        y_pred : array-like
            Predicted values.
        **kwargs
            ``sample_weight`` and the ``score__`` parameters.

        Returns
        -------
        float
            The coefficient of determination.
        """
        return r2_score(y_true, y_pred, **kwargs)

    def predict(self, X, **kwargs):
        """Predict values, of shape ``(n,)`` or ``(n, n_outputs)`` as ``y`` was.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples, shaped as in ``fit``.
        **kwargs
            ``batch_size``, ``verbose`` or ``callbacks`` for this call.

        Returns
        -------
        ndarray
            The predictions.
        """
        check_is_fitted(self, "model_")
        outputs = self._predict_raw(X, **kwargs)
        if self.target_encoder_ is not None:
            return self.target_encoder_.inverse_transform(outputs)
        if isinstance(outputs, (list, dict)):
            raise ValueError(
                "The model returned several outputs; KerasRegressor's own target handling "
                "expects one. Concatenate them, or override target_encoder."
            )
        return outputs.reshape(len(outputs)) if self._target_ndim == 1 else outputs

    def score(self, X, y, sample_weight=None):
        """Return R² of ``predict(X)`` against ``y``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs), or DataFrame
            True values (with ``outputs``, a column per output).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        float
            R², averaged over the columns of ``y`` with equal weights.
        """
        # BaseKerasEstimator's, not RegressorMixin's: a subclass's scorer (scikeras'
        # hook) and score__ options apply.
        return BaseKerasEstimator.score(self, X, y, sample_weight=sample_weight)

    def _learn_targets(self, y, classes):
        self.y_shape_, self.y_dtype_ = np.shape(y), np.asarray(y).dtype
        self._target_ndim = np.ndim(y)
        self.n_outputs_ = 1 if np.ndim(y) == 1 else np.shape(y)[1]
        self.n_outputs_expected_ = 1
        self.target_type_ = "continuous" if self.n_outputs_ == 1 else "continuous-multioutput"
        encoder = self.target_encoder
        self.target_encoder_ = None
        if encoder is not None:
            target_steps.fit_custom(self, encoder, y)

    def _check_targets(self, y):
        data.check_target_shape(self, y)

    def _target_meta(self):
        return {
            "n_outputs_": self.n_outputs_,
            "n_outputs_expected_": getattr(self, "n_outputs_expected_", 1),
            "target_type_": self.target_type_,
            "output_units_": self.n_outputs_,
            "output_activation_": "linear",
            "loss_": "mean_squared_error",
        }

    def _default_loss(self, model, shapes):
        return "mean_squared_error", False

    def _configure_outputs(self, model, shapes):
        if self.target_encoder_ is not None:
            target_steps.expected_outputs(self, model)
            return
        if isinstance(shapes, dict) or len(shapes) != 1:
            raise ValueError(
                f"The model has {len(shapes)} outputs; KerasRegressor's own target handling "
                "expects one output with a unit per column of y. Concatenate the outputs, "
                "or override target_encoder."
            )
        units = shapes[0][-1] if shapes[0] else 1
        if units != self.n_outputs_ or len(shapes[0]) > 1:
            raise ValueError(
                f"The model's output has shape {shapes[0]} per sample, but y has "
                f"{self.n_outputs_} column(s). End the model with Dense(meta['output_units_']), "
                f"here Dense({self.n_outputs_})."
            )

    def _encode_targets(self, y):
        if self.target_encoder_ is not None:
            return self.target_encoder_.transform(y)
        y = np.asarray(y)
        if not np.all(np.isfinite(y)):
            raise ValueError("y contains NaN or infinity; regression targets must be finite.")
        return y.astype("float32").reshape(len(y), self.n_outputs_)

    def _fit_weights(self, y, sample_weight, class_weight=None):
        if class_weight is not None:
            raise ValueError(
                "class_weight applies to classifiers; KerasRegressor takes sample_weight."
            )
        return sample_weight
