"""SKLearnClassifier and SKLearnRegressor: Keras' own wrappers' API on skdeep's estimators.

Code written for ``keras.wrappers`` runs by changing the import to
``skdeep.wrappers``: the model is a compiled ``keras.Model`` or a function
``model(X, y, **model_kwargs)`` returning one, ``fit_kwargs`` go to
``model.fit``, and the classifier's builder receives ``y`` one-hot encoded,
as Keras' wrapper gives it (a multilabel indicator ``y`` as it is: one column
per label, the units the model must output). What skdeep adds underneath (labels of any type
back from ``predict``, ``predict_proba``, checks, atomic fits, fast
prediction) comes along.
"""

import keras
import numpy as np
from sklearn.preprocessing import OneHotEncoder
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from skdeep.estimators.classifier import KerasClassifier
from skdeep.estimators.regressor import KerasRegressor


class _KerasWrapperMixin:
    """What Keras' wrappers take: ``model``, ``warm_start``, ``model_kwargs``, ``fit_kwargs``.

    The other estimator parameters keep their defaults (class attributes),
    so ``get_params`` lists exactly the four of Keras' wrappers.
    """

    _parameter_constraints = {
        "model": [callable, keras.Model],
        "warm_start": ["boolean"],
        "model_kwargs": [dict, None],
        "fit_kwargs": [dict, None],
    }

    build_fn = None
    random_state = None
    optimizer = "auto"
    loss = None
    metrics = None
    batch_size = None
    epochs = 1
    verbose = 0
    callbacks = None
    validation_split = 0.0
    validation_fraction = None
    shuffle = True
    early_stopping = False
    n_iter_no_change = 10
    tol = 1e-4
    keep_best = None
    checkpoint_path = None
    backup_dir = None
    distribution = None
    inputs = None
    outputs = None
    class_weight = None

    def _custom_source(self):
        """A builder ``model(X, y, **model_kwargs)``, as Keras' wrappers call it."""
        if not callable(self.model) or isinstance(self.model, keras.Model):
            return None

        def build(X, y):
            targets = self._builder_targets(y)
            return self.model(X=X, y=targets, **dict(self.model_kwargs or {}))

        return build

    @property
    def epoch_(self):
        """Epochs trained (Keras' wrappers' name for ``n_iter_``)."""
        return getattr(self, "n_iter_", 0)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Keras' wrappers train one epoch unless fit_kwargs say otherwise, and say
        # so in their tags: scikit-learn's checks then do not ask for a good score.
        # Given epochs, the score is checked as any estimator's.
        one_epoch = "epochs" not in dict(self.fit_kwargs or {})
        for kind in (tags.classifier_tags, tags.regressor_tags):
            if kind is not None:
                kind.poor_score = one_epoch
        return tags


class SKLearnClassifier(_KerasWrapperMixin, KerasClassifier):
    """``keras.wrappers.SKLearnClassifier``'s API on :class:`~skdeep.KerasClassifier`.

    Parameters
    ----------
    model : keras.Model or callable
        A compiled model (each fit trains a fresh copy), or a function
        ``model(X, y, **model_kwargs)`` returning a compiled model; ``y`` is
        one-hot encoded, one column per class.
    warm_start : bool, default=False
        Continue training the previous model in ``fit``.
    model_kwargs : dict or None, default=None
        Keyword arguments for ``model`` when it is a function.
    fit_kwargs : dict or None, default=None
        Keyword arguments for ``model.fit`` (``epochs``, ``batch_size``, ...);
        those given to ``fit`` itself take precedence.

    Attributes
    ----------
    model_ : keras.Model
        The trained model.
    classes_ : ndarray
        The class labels.
    history_ : dict of lists
        The per-epoch history.

    See Also
    --------
    SKLearnRegressor : The same for continuous targets.
    skdeep.KerasClassifier : skdeep's own classifier, with every option as a parameter.

    Examples
    --------
    >>> import keras
    >>> from sklearn.datasets import load_iris
    >>> from skdeep.wrappers import SKLearnClassifier
    >>> def dynamic_model(X, y, loss, layers=(10,)):
    ...     inputs = keras.Input((X.shape[1],))
    ...     hidden = inputs
    ...     for size in layers:
    ...         hidden = keras.layers.Dense(size, activation="relu")(hidden)
    ...     outputs = keras.layers.Dense(y.shape[1], activation="softmax")(hidden)
    ...     model = keras.Model(inputs, outputs)
    ...     model.compile(loss=loss, optimizer="adam")
    ...     return model
    >>> X, y = load_iris(return_X_y=True)
    >>> est = SKLearnClassifier(dynamic_model, model_kwargs={"loss": "categorical_crossentropy"})
    >>> est.fit(X, y, epochs=2).predict(X[:3]).shape
    (3,)
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def decision_function(self, X):
        """Return the model's scores: one column per class, one score for two classes.

        With two classes the score is the log-odds of the second class
        (``classes_[1]``), as scikit-learn's classifiers give it: positive
        where ``predict`` says ``classes_[1]``, and ranked as
        ``predict_proba(X)[:, 1]``. Keras' wrapper returns both output
        columns instead; ``decision_function(X) > 0`` replaces its
        ``decision_function(X).argmax(axis=-1)``. For a multilabel target,
        the log-odds of each label, positive where ``predict`` sets it. With
        more classes, the outputs of the model's last layer.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        ndarray of shape (n_samples,), (n_samples, n_classes) or (n_samples, n_labels)
            The scores.
        """
        check_is_fitted(self, "model_")
        if len(self.classes_) == 2 and self.target_type_ == "binary":
            return _log_odds(self.predict_proba(X)[:, 1])
        if self.target_type_ == "multilabel-indicator":
            return _log_odds(self.predict_proba(X))
        return self._predict_raw(X)

    def _builder_targets(self, y):
        if type_of_target(y) == "multilabel-indicator":  # one unit per label, as trained
            return np.asarray(y, dtype="float32")
        return OneHotEncoder(sparse_output=False).fit_transform(np.reshape(y, (-1, 1)))


def _log_odds(probabilities):
    """``log(p / (1 - p))``: positive where ``p > 0.5``, ranked as ``p``."""
    positive = np.asarray(probabilities, dtype="float64")
    # A float32 probability below 1 stays below the upper bound: ties only where
    # the probabilities tie too.
    positive = np.clip(positive, np.finfo("float64").tiny, np.nextafter(1.0, 0.0))
    return np.log(positive) - np.log1p(-positive)


class SKLearnRegressor(_KerasWrapperMixin, KerasRegressor):
    """``keras.wrappers.SKLearnRegressor``'s API on :class:`~skdeep.KerasRegressor`.

    Parameters
    ----------
    model : keras.Model or callable
        A compiled model (each fit trains a fresh copy), or a function
        ``model(X, y, **model_kwargs)`` returning a compiled model; ``y`` is
        given as a 2-D array.
    warm_start : bool, default=False
        Continue training the previous model in ``fit``.
    model_kwargs : dict or None, default=None
        Keyword arguments for ``model`` when it is a function.
    fit_kwargs : dict or None, default=None
        Keyword arguments for ``model.fit``; those given to ``fit`` itself
        take precedence.

    Attributes
    ----------
    model_ : keras.Model
        The trained model.
    history_ : dict of lists
        The per-epoch history.

    See Also
    --------
    SKLearnClassifier : The same for class labels.
    skdeep.KerasRegressor : skdeep's own regressor, with every option as a parameter.

    Examples
    --------
    >>> import keras, numpy as np
    >>> from skdeep.wrappers import SKLearnRegressor
    >>> def linear(X, y):
    ...     model = keras.Sequential([keras.Input((X.shape[1],)), keras.layers.Dense(y.shape[1])])
    ...     model.compile(loss="mse", optimizer="adam")
    ...     return model
    >>> X = np.random.RandomState(0).normal(size=(50, 3))
    >>> SKLearnRegressor(linear).fit(X, X[:, 0]).predict(X[:2]).shape
    (2,)
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _builder_targets(self, y):
        return np.reshape(y, (len(y), -1))
