"""KerasRegressor: a Keras model as a scikit-learn regressor."""

from sklearn.base import RegressorMixin

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
    {common_parameters}

        Attributes
        ----------
        n_outputs_ : int
            Number of target columns.
    {common_attributes}

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

    def predict(self, X):
        """Predicted values, of shape ``(n,)`` or ``(n, n_outputs)`` as ``y`` was."""
        outputs = self._predict_raw(X)
        return outputs.reshape(len(outputs)) if self._target_ndim == 1 else outputs

    def _learn_targets(self, y, classes):
        self._target_ndim = y.ndim
        self.n_outputs_ = 1 if y.ndim == 1 else y.shape[1]

    def _target_meta(self):
        return {
            "n_outputs_": self.n_outputs_,
            "n_outputs_expected_": 1,
            "target_type_": "continuous" if self.n_outputs_ == 1 else "continuous-multioutput",
            "output_units_": self.n_outputs_,
            "output_activation_": "linear",
            "loss_": "mean_squared_error",
        }

    def _default_loss(self, model, output_shape):
        return "mean_squared_error"

    def _configure_targets(self, X):
        units = self._output_shape[-1] if self._output_shape else 1
        if units != self.n_outputs_:
            raise ValueError(
                f"The model's output has {units} unit(s), but y has {self.n_outputs_} "
                f"column(s). End the model with Dense(meta['output_units_']), here "
                f"Dense({self.n_outputs_})."
            )

    def _encode_targets(self, y):
        return y.astype("float32").reshape(len(y), self.n_outputs_)

    def _fit_weights(self, y, sample_weight):
        return sample_weight
