"""Parameter documentation shared by the classifier and the regressor.

Written once here and inserted into both class docstrings by :func:`shared_docs`.
"""

COMMON_PARAMETERS = """\
    model : callable, {"mlp", "cnn", "rnn"} or None, default=None
        The model builder: a function returning a ``keras.Model``, compiled
        or not, or the name of a built-in builder (:mod:`skdeep.models`),
        whose arguments (``hidden_layer_sizes``, ``filters``, ``cell``, ...)
        are then parameters of the estimator. It is called at the start of
        every fresh ``fit`` with the keyword arguments it declares: builder
        arguments set on the estimator (``hidden=12`` or
        ``model__hidden=12``), estimator parameters of the same name
        (``optimizer``, ``epochs``, ...), ``meta`` (a dict of what ``fit``
        learned: ``n_features_in_``, ``input_shape_``, ``n_classes_``,
        ``classes_``, ``n_outputs_``, ``target_type_``, ``output_units_``,
        ``output_activation_``, ``loss_``, ``steps_per_epoch_``, ``X_min_``,
        ``X_max_``) and ``compile_kwargs`` (the optimizer, loss and metrics
        the estimator would compile with).
    build_fn : callable, default=None
        Legacy name of ``model``, as in the old ``keras.wrappers`` API.
    warm_start : bool, default=False
        When True, ``fit`` continues training the model of the previous fit
        instead of building a new one.
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling for reproducible
        fits. The process-wide random state is restored afterwards.
    optimizer : str, keras.optimizers.Optimizer class or instance, default="rmsprop"
        Used when the builder returns an uncompiled model (and passed to a
        builder that declares ``optimizer``). Configure it with
        ``optimizer__learning_rate=...``, ``optimizer__momentum=...``.
    loss : str, keras.losses.Loss, callable or None, default=None
        Loss for uncompiled models. None chooses it from the target and the
        output layer. Configure it with ``loss__<argument>=...``.
    metrics : list or None, default=None
        Keras metrics to compile with; their values appear in ``history_``.
    batch_size : int or None, default=None
        Samples per gradient update (Keras' default, 32, when None).
    epochs : int, default=1
        Passes over the training data in ``fit``.
    verbose : {0, 1, 2, "auto"}, default=0
        Keras' progress output during ``fit``.
    callbacks : list, dict or None, default=None
        Keras callbacks, as classes or instances (instances are copied for
        every fit). In a dict, the keys name the callbacks so that
        ``callbacks__<name>__<argument>`` configures a class, e.g.
        ``callbacks={"early": keras.callbacks.EarlyStopping}`` with
        ``callbacks__early__patience=3``.
    validation_split : float, default=0.0
        Fraction of the training data (the last rows, as in Keras) held out
        to compute ``val_*`` entries of ``history_``.
    shuffle : bool or "batch", default=True
        Shuffle the training data before each epoch.
    early_stopping : bool, default=False
        Stop when the validation loss (or the training loss when there is no
        validation data) has not improved for ``n_iter_no_change`` epochs,
        and restore the best weights.
    n_iter_no_change : int, default=10
        Patience of ``early_stopping``, in epochs.
    **kwargs
        Arguments of the model builder, and routed parameters with the
        prefixes ``model__``, ``compile__``, ``fit__``, ``predict__``
        (``predict__batch_size``), ``optimizer__``, ``loss__`` and
        ``callbacks__``."""

COMMON_ATTRIBUTES = """\
    model_ : keras.Model
        The trained model.
    history_ : dict of lists
        ``loss`` and every metric per epoch (``val_*`` with validation data),
        over all fits since the model was built.
    n_iter_ : int
        Number of epochs the model has been trained for.
    loss_curve_ : list of float
        Training loss per epoch, as in scikit-learn's MLP.
    n_features_in_ : int
        Number of features (the second dimension of ``X``).
    feature_names_in_ : ndarray of str
        Column names, when ``X`` was a DataFrame with string column names.
    input_shape_ : tuple
        Shape of one sample of ``X``, e.g. ``(28, 28, 1)``.
    callbacks_ : list
        The callback instances used in the last fit."""


def shared_docs(cls):
    """Insert the shared parameter and attribute sections into ``cls.__doc__``."""
    cls.__doc__ = cls.__doc__.replace("{common_parameters}", COMMON_PARAMETERS).replace(
        "{common_attributes}", COMMON_ATTRIBUTES
    )
    return cls
