"""BaseWrapper: a Keras model as a generic scikit-learn estimator (scikeras' base class).

Neither a classifier nor a regressor: the targets go to the model as they
are, or through the ``target_encoder`` a subclass defines, and ``predict``
returns the model's outputs (decoded by that encoder). Subclasses write
autoencoders, sequence-to-sequence models and other estimators with their
own target handling, the way scikeras' documentation shows.
"""

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from skdeep._fit import data
from skdeep._fit import targets as target_steps
from skdeep.estimators._docs import shared_docs
from skdeep.estimators.base import BaseKerasEstimator


@shared_docs
class BaseWrapper(BaseKerasEstimator):
    """A Keras model as a generic scikit-learn estimator, to subclass.

    The targets reach the model unchanged unless a subclass overrides
    ``target_encoder`` (and ``feature_encoder`` for the inputs); ``score``
    needs a subclass that defines ``scorer``, as in scikeras.

    Parameters
    ----------
    {parameters}
    {kwargs}

    Attributes
    ----------
    target_encoder_ : transformer or None
        The fitted target encoder of a subclass, or None.
    target_type_ : str
        What :func:`sklearn.utils.multiclass.type_of_target` calls ``y``.
    {attributes}

    Examples
    --------
    >>> import keras, numpy as np
    >>> from skdeep.wrappers import BaseWrapper
    >>> def autoencoder(meta):
    ...     inputs = keras.Input(meta["input_shape_"])
    ...     code = keras.layers.Dense(2)(inputs)
    ...     return keras.Model(inputs, keras.layers.Dense(meta["n_features_in_"])(code))
    >>> X = np.random.RandomState(0).normal(size=(64, 4))
    >>> net = BaseWrapper(autoencoder, loss="mse", epochs=2, random_state=0).fit(X, X)
    >>> net.predict(X).shape
    (64, 4)
    """

    _y_numeric = False

    @property
    def target_encoder(self):
        """The unfitted target encoder: None (targets as they are) or a subclass's own."""
        return None

    @staticmethod
    def scorer(y_true, y_pred, **kwargs):
        """Score predictions; BaseWrapper has no default, define it in a subclass.

        Parameters
        ----------
        y_true : array-like
            True targets.
        y_pred : array-like
            Predictions.
        **kwargs
            ``sample_weight`` and the ``score__`` parameters.

        Returns
        -------
        float
            The score.
        """
        raise NotImplementedError(
            "BaseWrapper has no default score. Subclass it and define "
            "scorer(y_true, y_pred, **kwargs), or use KerasClassifier / KerasRegressor."
        )

    def predict(self, X, **kwargs):
        """Predict: the model's outputs, decoded by the target encoder if there is one.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples, shaped as in ``fit``.
        **kwargs
            ``batch_size``, ``verbose`` or ``callbacks`` for this call.

        Returns
        -------
        ndarray or list of ndarray
            The predictions.
        """
        check_is_fitted(self, "model_")
        outputs = self._predict_raw(X, **kwargs)
        if self.target_encoder_ is not None:
            return self.target_encoder_.inverse_transform(outputs)
        return outputs

    def _learn_targets(self, y, classes):
        self.y_shape_, self.y_dtype_ = np.shape(y), np.asarray(y).dtype
        self.n_outputs_ = 1 if np.ndim(y) == 1 else np.shape(y)[1]
        self.target_type_ = type_of_target(y)
        self.target_encoder_ = None
        encoder = self.target_encoder
        if encoder is not None:
            target_steps.fit_custom(self, encoder, y)

    def _check_targets(self, y):
        data.check_target_shape(self, y)

    def _target_meta(self):
        return {"n_outputs_": self.n_outputs_, "target_type_": self.target_type_}

    def _default_loss(self, model, shapes):
        raise ValueError(
            "BaseWrapper does not choose a loss: pass loss=... or compile the model in the builder."
        )

    def _configure_outputs(self, model, shapes):
        target_steps.expected_outputs(self, model)

    def _encode_targets(self, y):
        if self.target_encoder_ is not None:
            return self.target_encoder_.transform(y)
        if getattr(getattr(y, "dtype", None), "kind", None) != "O":
            return y
        try:  # objects that are numbers train as numbers
            return np.asarray(y, dtype="float64")
        except (TypeError, ValueError):
            raise ValueError(
                f"Unknown label type: y holds {type(np.ravel(y)[0]).__name__} objects, and "
                "BaseWrapper hands y to the model unchanged, where Keras needs numbers. "
                "Encode y first (a target_encoder in a subclass), or use KerasClassifier "
                "for class labels."
            ) from None

    def _fit_weights(self, y, sample_weight, class_weight=None):
        if class_weight is not None:
            raise ValueError("class_weight applies to classifiers; pass sample_weight instead.")
        return sample_weight
