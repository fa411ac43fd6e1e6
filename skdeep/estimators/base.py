"""The estimator template shared by the Keras estimators (classifier, regressor, wrappers).

Public methods are thin. ``fit``, ``partial_fit`` and ``initialize`` plan
the fit once (:func:`skdeep._fit.parameters.plan_fit`), then run one chain of
steps, each a module of :mod:`skdeep._fit` entered once: the data (or the
batches of a dataset), the model built and compiled, the training. The chain
runs on a copy of the estimator and the result is swapped in when it
succeeds: if anything raises (a bad builder, malformed validation data, a
diverging loss, ``KeyboardInterrupt``), the estimator is left exactly as it
was, and a thread predicting meanwhile sees the old fitted state or the new
one, never a mix. Subclasses fill in the target steps declared below
(``_learn_targets``, ``_check_targets``, ``_target_meta``,
``_default_loss``, ``_configure_outputs``, ``_encode_targets``,
``_fit_weights``) and what the model's outputs mean.
"""

import contextlib
import os
from numbers import Integral, Real

import keras
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, Options, StrOptions
from sklearn.utils.validation import check_is_fitted

from skdeep._doc_links import DocumentationLinks
from skdeep._fit import building, data, parameters, persistence, prediction, training
from skdeep._fit.parameters import FIT, INITIALIZE, PARTIAL_FIT, plan_fit
from skdeep._framework.process import STATE, limit_framework_threads, seeded

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
        return parameters.get_params(self, deep)

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
        parameters.set_params(self, params, parameters.peek)
        return self

    # Public API
    #: scikeras' names for what each destination accepts, kept for code that reads them.
    _fit_kwargs = parameters.SCIKERAS_FIT_KWARGS
    _predict_kwargs = parameters.SCIKERAS_PREDICT_KWARGS
    _compile_kwargs = parameters.SCIKERAS_COMPILE_KWARGS
    _routing_prefixes = frozenset(parameters.ROUTING_PREFIXES)

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
        self._validate_params()
        return self._run(plan_fit(self, X, y, sample_weight, kwargs, FIT))

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
        self._validate_params()
        return self._run(plan_fit(self, X, y, sample_weight, kwargs, PARTIAL_FIT, classes))

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
        return self._run(plan_fit(self, X, y, None, {}, INITIALIZE))

    # The fit chain
    def _run(self, plan):
        """Run the steps of ``plan`` on a copy of the estimator; swap the result in at the end."""
        if not STATE["threads_applied"]:
            limit_framework_threads()
        staged = object.__new__(type(self))
        object.__setattr__(staged, "__dict__", dict(self.__dict__))
        model = self.model_ if plan.continuing else None
        session = contextlib.nullcontext()
        if plan.backup_dir is not None:
            from skdeep._fit import resume

            session = resume.session(plan)
        with training.rollback_on_failure(model), session as backup:
            seed = plan.seed if backup is None else backup.seed
            with seeded(seed):
                if plan.source == "batches":
                    from skdeep._fit import batches

                    prepared = batches.prepare_batches(staged, plan)
                else:
                    prepared = data.prepare(staged, plan)
                if not plan.continuing:
                    building.build(staged, plan, prepared)
                if not plan.epochs:  # initialize, or fit(X, y, epochs=0)
                    if not plan.continuing:
                        staged.history_, staged.n_iter_, staged.loss_curve_ = {}, 0, []
                else:
                    training.train(staged, plan, prepared, seed, backup)
        object.__setattr__(self, "__dict__", staged.__dict__)  # one step for readers
        return self

    # The target steps: what a subclass declares about its outputs
    def _learn_targets(self, y, classes):
        """Learn what the targets are, in a fresh fit (``classes_``, ``n_outputs_``, ...).

        Parameters
        ----------
        y : ndarray or DataFrame
            The validated training targets.
        classes : array-like or None
            Every class, when the caller declared them (``partial_fit``).
        """
        raise NotImplementedError

    def _check_targets(self, y):
        """Check that targets of a continued fit or of validation data match the first fit's.

        Parameters
        ----------
        y : ndarray or DataFrame
            Validated targets.
        """
        raise NotImplementedError

    def _target_meta(self):
        """What the builder's ``meta`` says about the targets.

        Returns
        -------
        dict
            ``n_outputs_``, ``target_type_`` and, where the estimator knows the
            output layer that fits, ``output_units_``, ``output_activation_``
            and ``loss_``.
        """
        raise NotImplementedError

    def _default_loss(self, model, shapes):
        """The loss to compile ``model`` with when ``loss`` is None, and whether it takes logits.

        Parameters
        ----------
        model : keras.Model
            The built model.
        shapes : list or dict
            Its per-sample output shapes.

        Returns
        -------
        loss : str or keras.losses.Loss
        from_logits : bool
        """
        raise NotImplementedError

    def _configure_outputs(self, model, shapes):
        """Check the compiled model's outputs against the targets; choose the encoding form.

        Parameters
        ----------
        model : keras.Model
            The compiled model.
        shapes : list or dict
            Its per-sample output shapes.
        """
        raise NotImplementedError

    def _encode_targets(self, y):
        """The targets in the form the compiled loss needs.

        Parameters
        ----------
        y : ndarray or DataFrame
            Validated targets.

        Returns
        -------
        object
            What ``model.fit`` takes as ``y``.
        """
        raise NotImplementedError

    def _fit_weights(self, y, sample_weight, class_weight=None):
        """Per-sample training weights: ``sample_weight`` combined with class weights.

        Parameters
        ----------
        y : ndarray or DataFrame
            Validated targets.
        sample_weight : ndarray or None
            Checked sample weights.
        class_weight : dict, str or None
            ``fit__class_weight`` or ``fit(class_weight=...)``; None reads the
            estimator's own parameter, where it has one.

        Returns
        -------
        ndarray or None
        """
        raise NotImplementedError

    def _encode_features(self, X, reset):
        return data.encode_features(self, X, reset)

    # Prediction and scoring
    def _predict_raw(self, X, **kwargs):
        """Model outputs for validated ``X``, as float64 NumPy arrays."""
        return prediction.raw_outputs(self, X, kwargs)

    def _fitted_view(self):
        """This estimator, reading one fitted state throughout (another thread may refit)."""
        return prediction.fitted_view(self)

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
        view = self._fitted_view()
        if view.outputs is not None:
            check_is_fitted(view, "model_")
            from skdeep._fit.targets import score_outputs

            return score_outputs(view, X, y, sample_weight)
        options = parameters.routed(vars(view), "score")
        if sample_weight is not None:
            options["sample_weight"] = sample_weight
        return view.scorer(y, view.predict(X), **options)

    # Persistence
    def __getstate__(self):
        state = dict(super().__getstate__())
        for key in _NOT_PICKLED:
            state.pop(key, None)
        return persistence.pickled_state(state)

    def __setstate__(self, state):
        super().__setstate__(persistence.unpickled_state(state))
        persistence.with_new_parameters(self)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        return tags
