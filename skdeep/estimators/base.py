"""The estimator template shared by :class:`KerasClassifier` and :class:`KerasRegressor`.

Public methods are thin. ``fit``, ``partial_fit`` and ``initialize`` run one
chain of private steps: validate the data, learn the targets, build and
compile the model, train it, record the history. The chain runs inside
:func:`_atomic`: if anything raises (a bad builder, malformed validation
data, a diverging loss, ``KeyboardInterrupt``), the estimator is put back
exactly as it was before the call. Subclasses fill in the target steps
(``_learn_targets``, ``_check_targets``, ``_target_meta``,
``_configure_outputs``, ``_encode_targets``, ``_fit_weights``) and what
the model's outputs mean.
"""

import os
from numbers import Integral, Real

import keras
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted

from skdeep._doc_links import DocumentationLinks
from skdeep.estimators import (
    _batches,
    _building,
    _data,
    _distribution,
    _feeding,
    _output_steps,
    _outputs,
    _params,
    _persistence,
    _prediction,
    _resume,
    _training,
)
from skdeep.estimators import _model_source as source
from skdeep.estimators import _validation as check
from skdeep.estimators._params import fit_options
from skdeep.estimators._seeding import seed_from_random_state, seeded
from skdeep.estimators._threads import limit_framework_threads

_NOT_PICKLED = ("callbacks_",)


class BaseKerasEstimator(DocumentationLinks, BaseEstimator):
    """Base class of the Keras estimators; use a subclass."""

    _parameter_constraints = {
        "model": [callable, str, keras.Model, None],
        "build_fn": [callable, keras.Model, None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "optimizer": [str, type, keras.optimizers.Optimizer],
        "loss": [str, callable, keras.losses.Loss, list, dict, None],
        "metrics": [list, tuple, dict, str, type, keras.metrics.Metric, callable, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1}), None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "verbose": [Interval(Integral, 0, 2, closed="both"), StrOptions({"auto"})],
        "callbacks": [list, tuple, dict, keras.callbacks.Callback, type, None],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither"), None],
        "shuffle": ["boolean", StrOptions({"batch"})],
        "early_stopping": ["boolean"],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "keep_best": [str, None],
        "checkpoint_path": [str, os.PathLike, None],
        "backup_dir": [str, os.PathLike, None],
        "distribution": "no_validation",
        "inputs": [dict, None],
        "outputs": [list, tuple, dict, None],
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
        **kwargs,
    ):
        self.model = model
        self.build_fn = build_fn
        self.warm_start = warm_start
        self.random_state = random_state
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
        self.batch_size = batch_size
        self.epochs = epochs
        self.verbose = verbose
        self.callbacks = callbacks
        self.validation_split = validation_split
        self.validation_fraction = validation_fraction
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.keep_best = keep_best
        self.checkpoint_path = checkpoint_path
        self.backup_dir = backup_dir
        self.distribution = distribution
        self.inputs = inputs
        self.outputs = outputs
        vars(self).update(kwargs)

    # Parameters: declared ones, builder arguments and routed ones.
    def get_params(self, deep=True):
        """Get the parameters of the estimator, including builder and routed ones.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of parameters that are estimators.

        Returns
        -------
        dict
            Parameter names mapped to their values.
        """
        return _params.get_params(self, deep)

    def set_params(self, **params):
        """Set parameters; builder arguments and ``prefix__`` keys are allowed.

        A key is accepted when it is a parameter of the estimator, an
        argument of the model builder (as ``GridSearchCV`` sets them), a
        Keras ``compile`` / ``fit`` keyword or optimizer knob, or carries a
        routing prefix (``model__``, ``fit__``, ``optimizer__``, ...). Keys
        are checked against the final values, so a grid may switch
        ``model`` and set the new builder's arguments at once; nothing is
        changed when a key is invalid.

        Parameters
        ----------
        **params
            Parameter names and their new values.

        Returns
        -------
        self
            The estimator.
        """
        _params.set_params(self, params, source.peek)
        return self

    # Public API
    #: scikeras' names for what each destination accepts, kept for code that reads them.
    _fit_kwargs = _params.SCIKERAS_FIT_KWARGS
    _predict_kwargs = _params.SCIKERAS_PREDICT_KWARGS
    _compile_kwargs = _params.SCIKERAS_COMPILE_KWARGS
    _routing_prefixes = frozenset(_params.ROUTING_PREFIXES)

    @property
    def __name__(self):
        """The class name (scikeras uses it in messages)."""
        return type(self).__name__

    @property
    def initialized_(self):
        """Whether the estimator has a model (after ``fit`` or ``initialize``)."""
        return hasattr(self, "model_")

    @property
    def current_epoch(self):
        """Epochs the model has been trained for (scikeras' name for ``n_iter_``)."""
        return getattr(self, "n_iter_", 0)

    @property
    def feature_encoder(self):
        """A transformer for ``X`` before the model; override it in a subclass.

        None (the default) feeds the validated array to the model. A
        subclass may return an unfitted transformer whose ``transform``
        gives what the model takes (a list or dict of arrays for several
        inputs); ``get_metadata()``, if defined, adds to ``meta``.
        """
        return None

    def fit(self, X, y=None, sample_weight=None, **kwargs):
        """Build (or, with ``warm_start``, reuse) the model and train it.

        Parameters
        ----------
        X : array-like, DataFrame, keras.utils.PyDataset or tf.data.Dataset
            Training data: 2-D tables, N-d arrays such as images
            ``(n, height, width, channels)`` and sequences, or a
            ``PyDataset`` or ``tf.data.Dataset`` of ``(X, y[, sample_weight])``
            batches for data that does not fit in memory (give ``classes=``
            to a classifier to skip a first pass over the labels).
        y : array-like or None
            Targets (None with a ``PyDataset``).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.
        **kwargs
            Keyword arguments of ``keras.Model.fit`` for this call only
            (``epochs=``, ``validation_data=``, ``batch_size=``, ...); they
            override the estimator's parameters.

        Returns
        -------
        self
            The fitted estimator.
        """
        kwargs = {**(getattr(self, "fit_kwargs", None) or {}), **kwargs}  # Keras' wrappers
        epochs = kwargs.pop("epochs", getattr(self, "fit__epochs", self.epochs))
        self._validate_params()
        if _batches.is_batches(X):  # a keras.utils.PyDataset: a fresh fit from its batches
            return _batches.fit_estimator(self, X, y, sample_weight, kwargs, epochs)
        continuing = self.warm_start and self.initialized_
        return self._fit(X, y, sample_weight, kwargs, epochs, continuing)

    def partial_fit(self, X, y, sample_weight=None, **kwargs):
        """Train for one epoch, building the model on the first call.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training data.
        y : array-like
            Targets; the same shape at every call.
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
        return self._partial_fit(X, y, sample_weight, kwargs, None)

    def _partial_fit(self, X, y, sample_weight, kwargs, classes):
        for name in ("epochs", "initial_epoch"):
            if name in kwargs:
                raise TypeError(
                    f"Invalid argument {name}= to partial_fit: it always trains one "
                    "epoch, continuing from the last one. Call fit for several epochs."
                )
        self._validate_params()
        return self._fit(X, y, sample_weight, kwargs, 1, self.initialized_, classes)

    def initialize(self, X, y):
        """Build and compile the model for ``X`` and ``y`` without training it.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Data of the shape the model will take.
        y : array-like
            Targets, from which the output layer and loss are chosen.

        Returns
        -------
        self
            The estimator, ready to predict (with untrained weights unless
            the model came trained) or to continue with ``partial_fit``.
        """
        self._validate_params()
        limit_framework_threads()
        with _training.atomic(self, None), seeded(seed_from_random_state(self.random_state)):
            options = fit_options(self, {})
            data = self._prepare(X, y, None, options, reset=True, classes=None)
            with _distribution.building(_distribution.resolve(self.distribution)):
                self._build(data, options, copy_instance=False)
            self.history_, self.n_iter_, self.loss_curve_ = {}, 0, []
        return self

    # The fit chain
    def _fit(self, X, y, sample_weight, call_options, epochs, continuing, classes=None):
        limit_framework_threads()
        if isinstance(epochs, bool) or not isinstance(epochs, Integral) or epochs < 1:
            raise ValueError(f"Invalid epochs={epochs!r}: expected a positive integer.")
        options = fit_options(self, call_options)
        _prediction.options(self)  # fail now, not after training, on bad predict__ options
        seed = seed_from_random_state(self.random_state)
        if seed is not None and continuing:
            seed += self.n_iter_  # continued training: new shuffles
        distribution = _distribution.resolve(self.distribution)
        backup_dir = None if continuing else self.backup_dir
        with (
            _training.atomic(self, self.model_ if continuing else None),
            _resume.session(backup_dir, seed) as backup,
        ):
            seed = seed if backup is None else backup.seed
            with seeded(seed):
                data = self._prepare(X, y, sample_weight, options, not continuing, classes)
                if not continuing:
                    with _distribution.building(distribution):
                        self._build(data, options)
                with _distribution.training(distribution):
                    self._train(data, options, int(epochs), seed, continuing, distribution, backup)
        return self

    def _prepare(self, X, y, sample_weight, options, reset, classes):
        return _data.prepare(self, X, y, sample_weight, options, reset, classes)

    def _encode_features(self, X, reset):
        return _data.encode_features(self, X, reset)

    def _build(self, data, options, copy_instance=True):
        self.model_ = _building.build(self, data, options, copy_instance)
        _building.record_vocabularies(self, self.model_)

    def _train(self, data, options, epochs, seed, continuing, distribution=None, backup=None):
        model = self.model_
        wrap = getattr(self, "_output_wrap", None)
        if data["val"] is not None:
            X_val, y_val, *weights = data["val"]
            weights = [_outputs.arrange_weights(self, w) for w in weights]
            options["validation_data"] = (X_val, source.wrap_targets(y_val, wrap), *weights)
        previous = self.history_ if continuing else (backup.history if backup else {})
        callbacks = _training.fit_callbacks(self, options, previous, seed)
        rows = len(data["y"])
        batch_size = check.batch_size(options.pop("batch_size"), "batch_size", rows) or 32
        if options.get("validation_batch_size") is not None:
            size = options["validation_batch_size"]
            options["validation_batch_size"] = check.batch_size(size, "validation_batch_size", rows)
        y = source.wrap_targets(_output_steps.steps(self)._encode_targets(data["y"]), wrap)
        weights = _outputs.arrange_weights(self, data["weights"])
        start, end = (self.n_iter_, self.n_iter_ + epochs) if continuing else (0, epochs)
        if backup is not None:
            arrays = [data["X"], y, weights, options.get("validation_data")]
            record = _resume.record(self, options, batch_size, arrays)
            backup.check(record, epochs)
            restored = backup.restore(model, callbacks)
            callbacks.append(backup.callback(record, callbacks, restored))
            start = backup.start
            end = start if backup.stopped else end
        options = {**options, "callbacks": callbacks}
        X, y, weights = _distribution.even_batches(
            distribution, data["X"], y, weights, batch_size, options
        )
        arguments = _feeding.fit_arguments(
            model, X, y, weights, options, batch_size, seed, resumable=backup is not None
        )
        with _training.retracing_warning_hidden(), _training.traced_graphs_freed_with(model):
            history = model.fit(initial_epoch=start, epochs=end, **arguments)
        _training.record_training(self, model, history, previous, end, callbacks)

    # Prediction and scoring
    def _predict_raw(self, X, **kwargs):
        """Model outputs for validated ``X``, as float64 NumPy arrays."""
        return _prediction.raw_outputs(self, X, kwargs)

    def score(self, X, y, sample_weight=None):
        """Return the score of ``predict(X)`` against ``y`` by :meth:`scorer`.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples.
        y : array-like
            True targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights.

        Returns
        -------
        float
            The score (accuracy for classifiers, R² for regressors).
        """
        if self.outputs is not None:
            check_is_fitted(self, "model_")
            return _outputs.score(self, X, y, sample_weight)
        options = _params.routed(vars(self), "score")
        if sample_weight is not None:
            options["sample_weight"] = sample_weight
        return self.scorer(y, self.predict(X), **options)

    # Persistence
    def __getstate__(self):
        state = dict(super().__getstate__())
        for key in _NOT_PICKLED:
            state.pop(key, None)
        return _persistence.pickled_state(state)

    def __setstate__(self, state):
        super().__setstate__(_persistence.unpickled_state(state))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags
