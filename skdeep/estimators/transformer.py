"""A trained network as a transformer: a layer's activations as features for scikit-learn."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, MetaEstimatorMixin, TransformerMixin, clone
from sklearn.utils._param_validation import HasMethods, Interval
from sklearn.utils.validation import check_is_fitted

from skdeep._doc_links import DocumentationLinks
from skdeep._fit import prediction


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
    n_features_in_ : int
        Features seen in ``fit`` (the network's).
    feature_names_in_ : ndarray of str
        Column names seen in ``fit``, when ``X`` had them.

    See Also
    --------
    skdeep.KerasClassifier : Trains the network to classify.
    skdeep.KerasRegressor : Trains the network to predict values.
    sklearn.frozen.FrozenEstimator : Keeps a pre-trained network as it is.

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

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "layer": [str, Interval(Integral, None, None, closed="neither"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
    }

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
        self._validate_params()
        estimator = clone(self.estimator)
        fitted = estimator.fit(X, y, **fit_params)
        layer = self._chosen_layer(_network(fitted).model_)
        self.estimator_ = fitted
        self.n_features_out_ = int(np.prod(layer.output.shape[1:]))
        if hasattr(fitted, "n_features_in_"):
            self.n_features_in_ = fitted.n_features_in_
        if hasattr(fitted, "feature_names_in_"):
            self.feature_names_in_ = fitted.feature_names_in_
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self.estimator.__sklearn_tags__()  # what the network accepts, it accepts
        tags.input_tags.sparse = inner.input_tags.sparse
        tags.input_tags.three_d_array = inner.input_tags.three_d_array
        return tags

    def transform(self, X):
        """The chosen layer's activations for ``X``.

        Parameters
        ----------
        X : array-like
            Samples, as the network takes them.

        Returns
        -------
        ndarray of shape (n_samples, n_features_out)
            The activations, one row per sample (``n_features_out_`` columns).
        """
        check_is_fitted(self, "estimator_")
        network = prediction.fitted_view(_network(self.estimator_))
        features = prediction.feature_model(network.model_, self._chosen_layer(network.model_))
        outputs = prediction.raw_outputs(network, X, {"batch_size": self.batch_size}, features)
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
        name = self._chosen_layer(_network(self.estimator_).model_).name
        return np.asarray([f"{name}{i}" for i in range(self.n_features_out_)], dtype=object)

    def _chosen_layer(self, model):
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


def _network(estimator):
    """The skdeep estimator inside ``estimator`` (unwrapping ``FrozenEstimator``)."""
    inner = getattr(estimator, "estimator", estimator)
    if not hasattr(inner, "model_"):
        raise TypeError(
            f"KerasTransformer needs a skdeep estimator with a Keras model; got "
            f"{type(inner).__name__}."
        )
    return inner
