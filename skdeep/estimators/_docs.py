"""Parameter documentation shared by the classifier and the regressor.

Written once here and inserted into both class docstrings by
:func:`shared_docs`, at the indentation numpydoc expects (the tests parse
every public docstring with numpydoc).
"""

PARAMETERS = """\
model : callable, {"mlp", "cnn", "rnn"}, keras.Model or None, default=None
    The model builder: a function returning a ``keras.Model``, compiled or
    not; the name of a built-in builder (:mod:`skdeep.models`), whose
    arguments (``hidden_layer_sizes``, ``filters``, ``cell``, ...) are then
    parameters of the estimator; or a ``keras.Model`` instance, of which
    every fit trains a fresh copy. A builder is called at the start of every
    fresh ``fit`` with the keyword arguments it declares: builder arguments
    set on the estimator (``hidden=12`` or ``model__hidden=12``), estimator
    parameters of the same name, ``meta`` (a dict of what ``fit`` learned:
    ``n_features_in_``, ``input_shape_``, ``n_classes_``, ``classes_``,
    ``n_outputs_``, ``target_type_``, ``output_units_``,
    ``output_activation_``, ``loss_``, ``steps_per_epoch_``, ``X_min_``,
    ``X_max_``, and every other fitted attribute), ``compile_kwargs`` (the
    optimizer, loss and metrics the estimator would compile with) and
    ``params`` (``get_params()``). None in a subclass that defines
    ``_keras_build_fn(self, compile_kwargs)``.
build_fn : callable, default=None
    Legacy name of ``model``, as in the old ``keras.wrappers`` API.
warm_start : bool, default=False
    When True, ``fit`` continues training the model of the previous fit
    instead of building a new one.
random_state : int, RandomState instance or None, default=None
    Seeds weight initialisation, dropout and shuffling for reproducible
    fits. The caller's random streams continue afterwards as if the fit
    had not run.
optimizer : "auto", str, keras.optimizers.Optimizer class or instance, default="auto"
    The optimizer of models the estimator compiles. "auto" is Adam for the
    built-in builders (measured, see the models guide) and RMSprop, as in
    Keras and scikeras, for models from your own builder. Configure it with
    ``optimizer__learning_rate=...`` or the ``learning_rate``,
    ``momentum`` and ``nesterov`` parameters.
loss : str, keras.losses.Loss, callable, list, dict or None, default=None
    Loss for uncompiled models. None chooses it from the target and the
    output layer. Configure it with ``loss__<argument>=...``.
metrics : str, list, dict or None, default=None
    Keras metrics to compile with; their values appear in ``history_``.
    Classes are configured with ``metrics__<argument>=...`` or
    ``metrics__<index>__<argument>=...``.
batch_size : int or None, default=None
    Samples per gradient update (Keras' default, 32, when None); -1 puts
    all samples in one batch. Also the batch size of prediction unless
    ``predict__batch_size`` is set.
epochs : int, default=1
    Passes over the training data in ``fit``; ``fit(X, y, epochs=n)``
    overrides it for one call.
verbose : {0, 1, 2, "auto"}, default=0
    Keras' progress output during ``fit``.
callbacks : callback, list, dict or None, default=None
    Keras callbacks, as classes (created for every fit, configured with
    ``callbacks__<argument>=...``, ``callbacks__<index or key>__<argument>``)
    or instances (used as given, so that their state after the fit, such as
    ``EarlyStopping.stopped_epoch``, is where you look).
validation_split : float, default=0.0
    Fraction of the training data (the last rows, unshuffled, as in Keras)
    held out to compute ``val_*`` entries of ``history_``.
validation_fraction : float or None, default=None
    Like ``validation_split``, but the held-out rows are drawn at random
    from ``random_state`` (stratified by class for classifiers), as in
    scikit-learn's ``MLPClassifier``. Use it with ``early_stopping``.
shuffle : bool or "batch", default=True
    Shuffle the training data before each epoch.
early_stopping : bool, default=False
    Stop when the validation loss (or the training loss when there is no
    validation data) has not improved by ``tol`` for ``n_iter_no_change``
    epochs, and restore the best weights.
n_iter_no_change : int, default=10
    Patience of ``early_stopping``, in epochs.
tol : float, default=1e-4
    Smallest improvement of the monitored loss that counts for
    ``early_stopping``.
keep_best : str or None, default=None
    A logged quantity, such as ``"val_accuracy"`` or ``"val_loss"``: the
    fit ends with the weights of the epoch where it was best ("save only
    when accuracy improves").
checkpoint_path : str, path or None, default=None
    A ``.keras`` file (or ``.weights.h5``) that Keras' ``ModelCheckpoint``
    writes after every epoch, or only when ``keep_best`` improves. Each
    write replaces the previous one atomically.
backup_dir : str, path or None, default=None
    A folder for Keras' ``BackupAndRestore``: a fit that is killed or
    interrupted is resumed from its last epoch by calling ``fit`` again
    with the same folder, and ends with the weights an uninterrupted fit
    would have. Removed when the fit completes.
distribution : {"data_parallel"}, distribution or None, default=None
    Train one model across the local devices, each batch split between
    them: ``"data_parallel"`` uses Keras' ``DataParallel`` on JAX and
    ``tf.distribute.MirroredStrategy`` on TensorFlow, over every GPU (or
    every logical CPU device without one); a
    ``keras.distribution.Distribution`` (JAX) or ``tf.distribute.Strategy``
    (TensorFlow) is used as given. The batch size must be a multiple of
    the devices.
inputs : dict or None, default=None
    For a model with several named inputs: maps each input's name (the
    ``name=`` of its ``keras.Input``) to columns of ``X``, as names, positions,
    a slice, a boolean mask or a callable such as
    ``sklearn.compose.make_column_selector``. ``X`` stays one table, so
    cross-validation slices it by rows; the builder finds each input's shape
    in ``meta["input_shapes_"]``.
outputs : list, dict or None, default=None
    For a model with several named outputs: their names, each trained on the
    column of ``y`` of that name (a DataFrame) or position (an array). A
    dict maps each name to ``"class"`` or ``"value"``; a classifier's
    outputs are classes and a regressor's values, ``BaseWrapper`` mixes
    them. ``loss``, ``metrics`` and a classifier's ``class_weight`` may be
    dicts keyed by output name."""

KEYWORD_ARGUMENTS = """\
**kwargs
    Arguments of the model builder; the optimizer knobs
    ``learning_rate``, ``momentum``, ``nesterov``, ``decay``,
    ``decay_rate`` and ``decay_epochs``; Keras ``compile`` / ``fit``
    keywords such as ``run_eagerly`` or ``validation_batch_size``; and
    routed parameters with the prefixes ``model__``, ``compile__``,
    ``fit__``, ``predict__``, ``optimizer__``, ``loss__``, ``metrics__``,
    ``callbacks__`` and ``score__``."""

ATTRIBUTES = """\
model_ : keras.Model
    The trained model.
history_ : dict of lists
    ``loss`` and every metric per epoch (``val_*`` with validation data),
    over all fits since the model was built.
n_iter_ : int
    Number of epochs the model has been trained for (``current_epoch`` is
    the same number, under scikeras' name).
loss_curve_ : list of float
    Training loss per epoch, as in scikit-learn's MLP.
n_features_in_ : int
    Number of features (the second dimension of ``X``).
feature_names_in_ : ndarray of str
    Column names, when ``X`` was a DataFrame with string column names.
input_shape_ : tuple
    Shape of one sample of ``X``, e.g. ``(28, 28, 1)``.
input_columns_ : dict
    With ``inputs``: the positions of the columns of ``X`` each named
    input takes.
callbacks_ : list
    The callback instances used in the last fit (not pickled)."""


def shared_docs(cls):
    """Insert the shared parameter and attribute sections into ``cls.__doc__``."""
    doc = cls.__doc__
    sections = (
        ("{parameters}", PARAMETERS),
        ("{kwargs}", KEYWORD_ARGUMENTS),
        ("{attributes}", ATTRIBUTES),
    )
    for placeholder, text in sections:
        indented = "\n".join(("    " + line) if line else line for line in text.splitlines())
        doc = doc.replace("    " + placeholder, indented)
    cls.__doc__ = doc
    return cls
