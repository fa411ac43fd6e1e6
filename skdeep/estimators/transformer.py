"""A trained network as a transformer: a layer's activations as features for scikit-learn."""

import keras
import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from skdeep._doc_links import DocumentationLinks
from skdeep.estimators import _training
from skdeep.estimators import _validation as check


class KerasTransformer(DocumentationLinks, TransformerMixin, MetaEstimatorMixin, BaseEstimator):
    """Train a network, then output one of its layers' activations as features.

    A supervised network learns a representation (an embedding, the last
    hidden layer) that a scikit-learn model can use: put this transformer
    before it in a ``Pipeline``. ``fit`` trains a clone of ``estimator`` on
    ``X`` and ``y``; ``transform`` returns the activations of ``layer`` for
    ``X``, one row per sample (flattened when the layer outputs more than a
    vector). A network trained before is used as it is when wrapped in
    scikit-learn's ``FrozenEstimator``.

    Parameters
    ----------
    estimator : KerasClassifier, KerasRegressor or FrozenEstimator
        The network to train (a clone is fitted), or a fitted one wrapped
        in ``sklearn.frozen.FrozenEstimator`` (not trained again).
    layer : str, int or None, default=None
        The layer whose output is returned: its name, its index in
        ``model_.layers`` (where a functional model's ``InputLayer`` is
        index 0), or None for the layer before the output layer.
    batch_size : int, default=1024
        Rows per forward pass in ``transform``.

    Attributes
    ----------
    estimator_ : estimator
        The fitted network (the frozen one itself when frozen).
    n_features_out_ : int
        Columns that ``transform`` returns.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.pipeline import make_pipeline
    >>> from skdeep import KerasClassifier
    >>> from skdeep.estimators import KerasTransformer
    >>> X, y = load_iris(return_X_y=True)
    >>> features = KerasTransformer(
    ...     KerasClassifier("mlp", hidden_layer_sizes=(8,), epochs=2, random_state=0))
    >>> features.fit_transform(X, y).shape
    (150, 8)
    >>> make_pipeline(features, LogisticRegression()).fit(X, y).predict(X[:2]).shape
    (2,)
    """

    def __init__(self, estimator, *, layer=None, batch_size=1024):
        self.estimator = estimator
        self.layer = layer
        self.batch_size = batch_size

    def fit(self, X, y=None, **fit_params):
        """Train the network (a clone of ``estimator``) on ``X`` and ``y``.

        Parameters
        ----------
        X : array-like
            Training data.
        y : array-like, optional
            Targets of the network (a frozen network needs none).
        **fit_params
            Passed to the network's ``fit``.

        Returns
        -------
        self
            The fitted transformer.
        """
        estimator = clone(self.estimator)
        self.estimator_ = estimator.fit(X, y, **fit_params)
        self.n_features_out_ = int(np.prod(self._features_model().output.shape[1:]))
        return self

    def transform(self, X):
        """The chosen layer's activations for ``X``.

        Parameters
        ----------
        X : array-like
            Samples, as the network takes them.

        Returns
        -------
        ndarray of shape (n_samples, n_features_out_)
            The activations, one row per sample.
        """
        check_is_fitted(self, "estimator_")
        network = _network(self.estimator_)
        X = network._encode_features(check.check_X(network, X, reset=False), False)
        outputs = _training.predict(self._features_model(), X, self.batch_size)
        return np.asarray(outputs, dtype="float64").reshape(len(outputs), -1)

    def get_feature_names_out(self, input_features=None):
        """Names of the output columns: the layer's name and a number.

        Parameters
        ----------
        input_features : ignored
            Present for scikit-learn's API.

        Returns
        -------
        ndarray of str
            ``"<layer>0"``, ``"<layer>1"``, ...
        """
        check_is_fitted(self, "estimator_")
        name = self._chosen_layer().name
        return np.asarray([f"{name}{i}" for i in range(self.n_features_out_)], dtype=object)

    def _chosen_layer(self):
        model = _network(self.estimator_).model_
        if self.layer is None:
            if len(model.layers) < 2:
                raise ValueError("The network has a single layer: name one with layer=.")
            return model.layers[-2]
        if isinstance(self.layer, str):
            names = [layer.name for layer in model.layers]
            if self.layer not in names:
                raise ValueError(f"The network has no layer {self.layer!r}; its layers: {names}.")
            return model.get_layer(self.layer)
        if isinstance(self.layer, int) and not isinstance(self.layer, bool):
            if not -len(model.layers) <= self.layer < len(model.layers):
                raise ValueError(
                    f"layer={self.layer} is out of range: the network has "
                    f"{len(model.layers)} layers."
                )
            return model.layers[self.layer]
        raise ValueError(f"Invalid layer={self.layer!r}: expected a layer name, an index or None.")

    def _features_model(self):
        """A model from the network's inputs to the chosen layer (built per call, not pickled)."""
        model = _network(self.estimator_).model_
        return keras.Model(model.inputs, self._chosen_layer().output)


def _network(estimator):
    """The skdeep estimator inside ``estimator`` (unwrapping ``FrozenEstimator``)."""
    inner = getattr(estimator, "estimator", estimator)
    if not hasattr(inner, "model_"):
        raise TypeError(
            f"KerasTransformer needs a skdeep estimator with a Keras model; got "
            f"{type(inner).__name__}."
        )
    return inner
