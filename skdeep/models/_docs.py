"""Parameter documentation shared by the builder families, written once.

:func:`builder_docs` replaces ``{name}`` placeholders in a builder's
docstring with the sections below.
"""

#: Parameters every builder family takes (documented once, in docs/models.md).
SHARED_PARAMETERS = (
    "kernel_initializer",
    "l1",
    "l2",
    "max_norm",
    "learning_rate",
    "momentum",
    "nesterov",
    "decay",
    "decay_rate",
    "decay_epochs",
    "drop",
    "epochs_drop",
)

SECTIONS = {
    "meta": """\
    meta : dict
        What the estimator learned in ``fit``. Read here: ``input_shape_``,
        ``output_units_``, ``output_activation_``, ``loss_``, and
        ``steps_per_epoch_`` (for ``decay`` / ``decay_rate``), ``X_min_`` /
        ``X_max_`` (to check token ids; None unless ``X`` is 2-D).
    compile_kwargs : dict or None, default=None
        What to compile with (optimizer, loss, metrics) when calling the
        builder yourself; None means RMSprop and ``meta['loss_']``. The
        estimators build the network and compile it themselves.""",
    "input_shape": """\
    input_shape : tuple of int or None, default=None
        Reshape each sample to this shape inside the model, so that flat
        rows (``(n_samples, 784)`` in a scikit-learn pipeline) become
        ``(28, 28, 1)`` images or ``(timesteps, features)`` sequences. One
        entry may be -1, inferred from the number of features.""",
    "weights": """\
    kernel_initializer : str or keras.initializers.Initializer, default="glorot_uniform"
        Initializer of every kernel: ``"uniform"``, ``"normal"``,
        ``"truncated_normal"``, ``"glorot_uniform"``, ``"he_normal"``, ...
    l1, l2 : float, default=0.0
        L1 / L2 penalties on every kernel (weight decay).
    max_norm : float or None, default=None
        Max-norm constraint on every kernel (e.g. 3.0 with dropout).""",
    "embedding": """\
    vocabulary_size : int, "auto" or None, default=None
        Set it for token-id input of shape ``(n_samples, sequence_length)``:
        ids from 0 to ``vocabulary_size - 1`` go through an ``Embedding``.
        ``"auto"``: the largest id in the training data + 1 (right after a
        :class:`~skdeep.preprocessing.TextToSequences` step, whose
        vocabulary is learned per fold). None means real-valued input.
    embedding_dim : int, default=32
        Size of the embedding vectors (taken from ``embedding_weights`` when
        those are given and ``embedding_dim`` is None).
    embedding_weights : array of shape (vocabulary_size, embedding_dim) or None, default=None
        Pretrained embedding vectors (GloVe, word2vec) to start from.
    embedding_trainable : bool, default=True
        False freezes the embedding (with pretrained ``embedding_weights``).""",
    "optimizer": """\
    learning_rate : float or None, default=None
        Learning rate of the estimator's ``optimizer``; None keeps its own
        (Keras' default, or ``optimizer__learning_rate``).
    momentum : float or None, default=None
        Momentum of SGD or RMSprop; None keeps the optimizer's own.
    nesterov : bool or None, default=None
        Nesterov momentum for SGD; None keeps the optimizer's own.
    decay : float, default=0.0
        Time-based decay per epoch: ``lr / (1 + decay * epoch)``.
    decay_rate : float, default=1.0
        Step decay: multiply the learning rate by ``decay_rate`` every
        ``decay_epochs`` epochs (0.5 halves it).
    decay_epochs : int, default=10
        Epochs between two steps of the decay.
    drop, epochs_drop : deprecated
        Old names of ``decay_rate`` and ``decay_epochs``.""",
    "returns": """\
    Returns
    -------
    keras.Model
        The compiled model, whose last layer fits the target
        (``meta['output_units_']`` units, ``meta['output_activation_']``).""",
}


def builder_docs(builder):
    """Insert the shared sections into ``builder.__doc__``."""
    doc = builder.__doc__
    for name, text in SECTIONS.items():
        doc = doc.replace("    {" + name + "}", text)
    builder.__doc__ = doc
    return builder
