"""The estimator template shared by :class:`KerasClassifier` and :class:`KerasRegressor`.

Public methods are thin. ``fit`` and ``partial_fit`` run one chain of private
steps: validate parameters and data, learn the targets, build and compile the
model, run ``model.fit``, record the history. Subclasses fill in the target
steps (``_learn_targets``, ``_configure_targets``, ``_encode_targets``,
``_default_loss``) and the meaning of the model's outputs.
"""

from numbers import Integral, Real

import keras
import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from skdeep.estimators import _compile, _feeding, _params, _persistence, _training
from skdeep.estimators._seeding import seed_from_random_state, seeded
from skdeep.estimators._threads import limit_framework_threads
from skdeep.models.registry import find_builder, get_builder

_ALLOWED_PREDICT_OPTIONS = {"batch_size"}


class BaseKerasEstimator(BaseEstimator):
    """Base class of the Keras estimators; use a subclass."""

    _parameter_constraints = {
        "model": [callable, str, None],
        "build_fn": [callable, None],
        "warm_start": ["boolean"],
        "random_state": ["random_state"],
        "optimizer": [str, type, keras.optimizers.Optimizer],
        "loss": [str, callable, keras.losses.Loss, None],
        "metrics": [list, tuple, dict, None],
        "batch_size": [Interval(Integral, 1, None, closed="left"), None],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "verbose": [Interval(Integral, 0, 2, closed="both"), StrOptions({"auto"})],
        "callbacks": [list, tuple, dict, keras.callbacks.Callback, type, None],
        "validation_split": [Interval(Real, 0, 1, closed="left")],
        "shuffle": ["boolean", StrOptions({"batch"})],
        "early_stopping": ["boolean"],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
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
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.n_iter_no_change = n_iter_no_change
        vars(self).update(kwargs)

    # ------------------------------------------------------------------
    # Parameters: declared ones plus builder arguments and routed ones.
    # ------------------------------------------------------------------
    def get_params(self, deep=True):
        """Parameters of the estimator, including builder and routed ones."""
        params = super().get_params(deep=deep)
        params.update(self._extra_params())
        return params

    def set_params(self, **params):
        """Set parameters; builder arguments and ``prefix__`` keys are allowed.

        A key is accepted when it is a parameter of the estimator, an
        argument of the model builder (as ``GridSearchCV`` sets them), or
        carries a routing prefix (``model__``, ``compile__``, ``fit__``,
        ``predict__``, ``optimizer__``, ``loss__``, ``callbacks__``).
        """
        declared = set(self._get_param_names()) | set(self._extra_params())
        builder = self._builder_or_none()
        for key, value in params.items():
            if not (
                key in declared
                or _params.has_routing_prefix(key)
                or _params.accepts_builder_argument(builder, key)
            ):
                raise ValueError(
                    f"Invalid parameter {key!r} for estimator {type(self).__name__}. "
                    "Valid parameters are the estimator's own "
                    f"({', '.join(sorted(self._get_param_names()))}), arguments of "
                    "the model builder, and keys with a routing prefix such as "
                    "'model__', 'fit__' or 'optimizer__'."
                )
            setattr(self, key, value)
        return self

    def _extra_params(self):
        declared = set(self._get_param_names())
        return {
            key: value
            for key, value in vars(self).items()
            if key not in declared and not key.startswith("_") and not key.endswith("_")
        }

    def _builder_or_none(self):
        builder = self.build_fn if self.model is None else self.model
        return find_builder(builder) if isinstance(builder, str) else builder

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    def fit(self, X, y, sample_weight=None, **fit_params):
        """Build (or, with ``warm_start``, reuse) the model and train it.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, ...)
            Training data: 2-D tables, or N-d arrays such as images
            ``(n, height, width, channels)`` and sequences.
        y : array-like
            Targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights; never modified.
        **fit_params
            Extra keyword arguments for ``keras.Model.fit`` for this call
            only (they override the ``fit__`` parameters).

        Returns
        -------
        self
        """
        self._validate_params()
        reset = not (self.warm_start and self._is_fitted())
        return self._fit(X, y, sample_weight, fit_params, self.epochs, reset)

    def partial_fit(self, X, y, sample_weight=None, **fit_params):
        """Train for one epoch, building the model on the first call."""
        self._validate_params()
        return self._fit(X, y, sample_weight, fit_params, 1, not self._is_fitted())

    def _is_fitted(self):
        return hasattr(self, "model_")

    # ------------------------------------------------------------------
    # The fit chain
    # ------------------------------------------------------------------
    def _fit(self, X, y, sample_weight, fit_params, epochs, reset, classes=None):
        limit_framework_threads()  # in joblib workers: only this worker's share of cores
        X, y = self._validate_training_data(X, y, reset)
        sample_weight = self._check_sample_weight(sample_weight, len(X))
        seed = seed_from_random_state(self.random_state)
        if seed is not None and not reset:
            seed += self.n_iter_  # continued training: new shuffles
        with seeded(seed):
            if reset:
                self._learn_targets(y, classes)
                self.model_ = self._build_model(X, fit_params)
                self._configure_targets(X)
                self.history_ = {}
            self._train(
                X,
                self._encode_targets(y),
                self._fit_weights(y, sample_weight),
                epochs,
                fit_params,
            )
        return self

    def _validate_training_data(self, X, y, reset):
        if reset:
            self._predict_batch_size()  # fail early on bad predict__ options
        X = self._validate_X(X, reset)
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            dtype=keras.config.floatx(),
            allow_nd=True,
            multi_output=True,
            y_numeric=self._y_numeric,
        )
        if reset:
            self.input_shape_ = tuple(X.shape[1:])
        return X, y

    def _validate_X(self, X, reset):
        """Check the per-sample shape of N-d input against ``fit``."""
        shape = getattr(X, "shape", None)
        if reset or shape is None or len(shape) < 2 or not hasattr(self, "input_shape_"):
            return X  # scikit-learn's own checks explain 1-D input and feature counts
        n_dimensional = len(shape) > 2 or len(self.input_shape_) > 1
        if n_dimensional and tuple(shape[1:]) != self.input_shape_:
            raise ValueError(
                f"X has samples of shape {tuple(shape[1:])}, but "
                f"{type(self).__name__} was fitted on samples of shape "
                f"{self.input_shape_}. Reshape X to (n_samples, "
                f"{', '.join(map(str, self.input_shape_))})."
            )
        return X

    def _check_sample_weight(self, sample_weight, n_samples):
        if sample_weight is None:
            return None
        weights = np.asarray(sample_weight, dtype="float64")
        if weights.ndim == 0:
            weights = np.full(n_samples, float(weights))
        if weights.shape != (n_samples,):
            raise ValueError(
                f"sample_weight has shape {weights.shape}; expected ({n_samples},), "
                "one weight per sample of X."
            )
        if not np.all(np.isfinite(weights)) or np.any(weights < 0):
            raise ValueError(
                "sample_weight must contain finite, non-negative numbers; found "
                "NaN, infinity or a negative weight."
            )
        if not np.any(weights > 0):
            raise ValueError(
                "sample_weight is zero for every sample, so there is nothing to "
                "learn from. Give at least one sample a positive weight."
            )
        return weights

    def _build_model(self, X, fit_params):
        builder = self._resolve_builder()
        meta = self._meta(X, fit_params)
        injected = {"meta": meta, "compile_kwargs": self._compile_kwargs(meta["loss_"])}
        arguments = _params.builder_arguments(
            builder, self.get_params(deep=False), set(self._get_param_names()), injected
        )
        model = builder(**arguments)
        if not isinstance(model, keras.Model):
            raise TypeError(
                f"The model builder {_name(builder)}() must return a keras.Model; it "
                f"returned {type(model).__name__}. End the builder with "
                "'return model'."
            )
        output_shape = _output_shape(model, X)
        if not getattr(model, "compiled", False):
            default_loss = self._default_loss(model, output_shape)
            model.compile(**self._compile_kwargs(default_loss, self._outputs_are_logits(model)))
        self._output_shape = output_shape
        self._outputs_logits = _compile.loss_from_logits(model.loss)
        return model

    def _resolve_builder(self):
        if self.model is not None and self.build_fn is not None:
            raise ValueError(
                "Both model and build_fn were given. They are the same parameter "
                "(build_fn is the legacy name); pass only model=."
            )
        builder = self.build_fn if self.model is None else self.model
        if builder is None:
            raise ValueError(
                f"{type(self).__name__} needs a model builder: pass model=<function "
                "returning a keras.Model>, e.g. KerasClassifier(model=create_model), or "
                'a built-in one by name: model="mlp", "cnn" or "rnn".'
            )
        return get_builder(builder) if isinstance(builder, str) else builder

    def _compile_kwargs(self, default_loss, from_logits=False):
        params = self.get_params(deep=False)
        loss_options = _params.routed(params, "loss")
        if self.loss is None and from_logits:
            loss_options = {"from_logits": True, **loss_options}
        loss = self.loss if self.loss is not None else default_loss
        kwargs = {
            "optimizer": _compile.make_optimizer(
                self.optimizer, _params.routed(params, "optimizer")
            ),
            "loss": _compile.make_loss(loss, loss_options),
        }
        if self.metrics is not None:
            kwargs["metrics"] = self.metrics
        kwargs.update(_params.routed(params, "compile"))
        return kwargs

    def _outputs_are_logits(self, model):
        """Whether the model's raw outputs are logits (classifiers override)."""
        return False

    def _meta(self, X, fit_params):
        meta = {
            "n_features_in_": self.n_features_in_,
            "input_shape_": self.input_shape_,
            "X_shape_": X.shape,
            "X_dtype_": X.dtype,
            # Token-id ranges, for builders with an Embedding; images skip the passes.
            "X_min_": float(X.min()) if X.ndim == 2 and X.size else None,
            "X_max_": float(X.max()) if X.ndim == 2 and X.size else None,
            "feature_names_in_": getattr(self, "feature_names_in_", None),
            "steps_per_epoch_": self._steps_per_epoch(len(X), self._fit_options(fit_params)),
        }
        meta.update(self._target_meta())
        return meta

    def _fit_options(self, fit_params):
        """The ``model.fit`` options routed with ``fit__``, overridden by ``fit(**fit_params)``."""
        return {**_params.routed(self.get_params(deep=False), "fit"), **fit_params}

    def _fit_batch_size(self, options):
        """The batch size ``model.fit`` will use (Keras' default: 32)."""
        return options.get("batch_size") or self.batch_size or 32

    def _steps_per_epoch(self, n_samples, options):
        """Gradient steps in one epoch of ``model.fit`` on ``n_samples`` rows."""
        if options.get("steps_per_epoch"):
            return int(options["steps_per_epoch"])
        batch_size = self._fit_batch_size(options)
        split = options.get("validation_split", self.validation_split) or 0.0
        n_train = int(np.floor(n_samples * (1.0 - split))) if split else n_samples
        return max(1, -(-n_train // batch_size))

    def _train(self, X, y, sample_weight, epochs, fit_params):
        params = self.get_params(deep=False)
        kwargs = {
            "batch_size": self.batch_size,
            "shuffle": self.shuffle,
            "validation_split": self.validation_split,
            "verbose": self.verbose,
            **_params.routed(params, "fit"),
            **fit_params,
        }
        callbacks = _training.make_callbacks(self.callbacks, _params.routed(params, "callbacks"))
        if self.early_stopping:
            monitors_validation = bool(kwargs["validation_split"]) or (
                kwargs.get("validation_data") is not None
            )
            callbacks.append(
                _training.early_stopping_callback(self.n_iter_no_change, monitors_validation)
            )
        kwargs["callbacks"] = callbacks + list(kwargs.get("callbacks") or [])
        if kwargs.get("validation_data") is not None:
            kwargs["validation_data"] = self._validation_data(kwargs["validation_data"])
        batch_size = self._fit_batch_size(kwargs)
        steps_per_epoch = self._steps_per_epoch(len(X), kwargs)
        if "steps_per_execution" not in _params.routed(params, "compile"):
            self._whole_epoch_steps = _training.use_whole_epoch_steps(
                self.model_,
                steps_per_epoch,
                batch_size,
                kwargs["callbacks"],
                getattr(self, "_whole_epoch_steps", None),
            )
        start = len(self.history_.get("loss", []))
        data = _feeding.fit_data(
            self.model_, X, y, sample_weight, kwargs, batch_size, steps_per_epoch
        )
        with _training.quiet_backend(), _training.graphs_released_with(self.model_):
            history = self.model_.fit(initial_epoch=start, epochs=start + epochs, **data)
        self.history_ = _training.extend_history(self.history_, history.history)
        self.n_iter_ = len(self.history_.get("loss", []))
        self.loss_curve_ = list(self.history_.get("loss", []))
        self.callbacks_ = kwargs["callbacks"]

    def _validation_data(self, data):
        """Validate and encode ``(X, y[, sample_weight])`` like the training data."""
        if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
            raise ValueError(
                "validation_data must be a tuple (X_val, y_val) or "
                "(X_val, y_val, sample_weight_val) of arrays."
            )
        X = self._validate_X(data[0], reset=False)
        X = validate_data(self, X, reset=False, dtype=keras.config.floatx(), allow_nd=True)
        encoded = (X, self._encode_targets(np.asarray(data[1])))
        if len(data) == 3:
            encoded += (self._check_sample_weight(data[2], len(X)),)
        return encoded

    # ------------------------------------------------------------------
    # Prediction
    # ------------------------------------------------------------------
    def _predict_raw(self, X):
        """Model outputs for validated ``X``, as float64 NumPy arrays."""
        check_is_fitted(self, "model_")
        limit_framework_threads()
        X = self._validate_X(X, reset=False)
        X = validate_data(self, X, reset=False, dtype=keras.config.floatx(), allow_nd=True)
        outputs = _training.predict_in_batches(self.model_, X, self._predict_batch_size())
        return outputs.astype("float64")

    def _predict_batch_size(self):
        # Read from the instance: get_params() inspects signatures, which would
        # cost more than a one-row prediction itself.
        options = _params.routed(vars(self), "predict")
        unknown = set(options) - _ALLOWED_PREDICT_OPTIONS
        if unknown:
            raise ValueError(
                f"Unsupported predict__ parameters {sorted(unknown)}; only "
                "predict__batch_size is used (prediction runs predict_on_batch)."
            )
        return options.get("batch_size") or _training.DEFAULT_PREDICT_BATCH_SIZE

    # ------------------------------------------------------------------
    # Persistence
    # ------------------------------------------------------------------
    def __getstate__(self):
        state = super().__getstate__()
        state = dict(state)
        for key in ("model", "build_fn"):
            state[key] = _persistence.wrap_callable(state.get(key))
        if "model_" in state:
            state["model_"] = _SavedModel(_persistence.model_to_bytes(state["model_"]))
        return state

    def __setstate__(self, state):
        state = dict(state)
        for key in ("model", "build_fn"):
            state[key] = _persistence.restore_callable(state.get(key))
        if isinstance(state.get("model_"), _SavedModel):
            state["model_"] = _persistence.model_from_bytes(state["model_"].data)
        super().__setstate__(state)

    # ------------------------------------------------------------------
    # Tags
    # ------------------------------------------------------------------
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        return tags


class _SavedModel:
    """Pickled form of a fitted Keras model: the bytes of a .keras archive."""

    def __init__(self, data):
        self.data = data


def _name(builder):
    return getattr(builder, "__name__", type(builder).__name__)


def _output_shape(model, X):
    """Per-sample output shape of a single-output model."""
    try:
        outputs = model.outputs
    except (AttributeError, ValueError):
        outputs = None
    if outputs is None or not model.built:
        outputs = model(X[:1])
    if isinstance(outputs, (list, tuple)):
        if len(outputs) != 1:
            raise ValueError(
                f"The model has {len(outputs)} outputs; skdeep estimators support "
                "models with a single output. Concatenate the outputs or wrap a "
                "single-output model."
            )
        outputs = outputs[0]
    return tuple(outputs.shape[1:])
