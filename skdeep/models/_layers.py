"""Pieces every builder family shares: input, weights, dense head, output, embedding."""

import math

import keras
import numpy as np

from skdeep import _checks


def model_input(meta, input_shape=None):
    """The model's ``Input`` and the tensor the family's layers start from.

    With ``input_shape``, each sample is reshaped inside the model, so flat
    rows (as scikit-learn's tools pass them) become images or sequences. One
    entry may be -1, to be inferred from the number of features.

    Returns
    -------
    inputs : keras.KerasTensor
    x : keras.KerasTensor
        ``inputs``, reshaped to ``input_shape`` when one is given.
    """
    shape = tuple(meta["input_shape_"])
    inputs = keras.Input(shape)
    if input_shape is None:
        return inputs, inputs
    target = _target_shape(input_shape, shape)
    return inputs, (inputs if target == shape else keras.layers.Reshape(target)(inputs))


def _target_shape(input_shape, shape):
    expected = "a tuple of positive integers (one of them may be -1), e.g. (28, 28, 1)"
    try:
        target = tuple(input_shape)
    except TypeError:
        raise _checks.invalid("input_shape", input_shape, expected) from None
    ok = target and all(isinstance(d, (int, np.integer)) and (d > 0 or d == -1) for d in target)
    if not ok or target.count(-1) > 1:
        raise _checks.invalid("input_shape", input_shape, expected)
    n_values, known = math.prod(shape), math.prod(d for d in target if d != -1)
    if (-1 in target and n_values % known) or (-1 not in target and known != n_values):
        raise ValueError(
            f"Invalid input_shape={input_shape!r}: each sample of X has shape {shape}, "
            f"{n_values} values, which cannot be reshaped to {tuple(target)}. Pass an "
            f"input_shape whose sizes multiply to {n_values} (the number of features)."
        )
    if -1 in target:
        target = tuple(n_values // known if d == -1 else int(d) for d in target)
    return tuple(int(d) for d in target)


def weight_options(kernel_initializer="glorot_uniform", l1=0.0, l2=0.0, max_norm=None):
    """Keyword arguments for the kernels of Dense, convolution and recurrent layers.

    Examples
    --------
    >>> options = weight_options("he_normal", l2=1e-4, max_norm=3.0)
    >>> sorted(options)
    ['kernel_constraint', 'kernel_initializer', 'kernel_regularizer']
    """
    l1 = _checks.non_negative("l1", l1)
    l2 = _checks.non_negative("l2", l2)
    max_norm = _checks.positive_or_none("max_norm", max_norm)
    return {
        "kernel_initializer": _checks.initializer("kernel_initializer", kernel_initializer),
        "kernel_regularizer": keras.regularizers.L1L2(l1=l1, l2=l2) if l1 or l2 else None,
        "kernel_constraint": keras.constraints.MaxNorm(max_norm) if max_norm else None,
    }


def dense_stack(
    x, sizes, activation, dropout, weights, batch_normalization=False, name="dense_units"
):
    """Dense layers of ``sizes`` units, each followed by its dropout."""
    sizes = _checks.layer_sizes(name, sizes)
    activation = _checks.activation("activation", activation)
    for units in sizes:
        x = activated(x, keras.layers.Dense, activation, batch_normalization, units, **weights)
        if dropout:
            x = keras.layers.Dropout(dropout)(x)
    return x


def activated(x, layer_class, activation, batch_normalization, *args, **kwargs):
    """``layer_class(*args, **kwargs)`` applied to ``x`` with ``activation``.

    With batch normalization, the layer has no bias (the normalization's
    offset replaces it) and the normalization sits before the activation.
    """
    if not batch_normalization:
        return layer_class(*args, activation=activation, **kwargs)(x)
    x = layer_class(*args, use_bias=False, **kwargs)(x)
    x = keras.layers.BatchNormalization()(x)
    return keras.layers.Activation(activation)(x)


def output_layer(x, meta, weights=None):
    """The last layer: units and activation as ``meta`` says the target needs."""
    return keras.layers.Dense(
        meta["output_units_"], activation=meta["output_activation_"], **(weights or {})
    )(x)


def token_input(meta, x, vocabulary_size, family):
    """Check that ``x`` holds token ids a ``vocabulary_size`` embedding can take.

    ``"auto"`` sizes the embedding from the largest id in the training data.
    """
    shape = tuple(meta["input_shape_"])
    if isinstance(vocabulary_size, str) and vocabulary_size == "auto":
        if meta.get("X_max_") is None or len(x.shape) != 2:
            raise ValueError(
                f"vocabulary_size='auto' needs token ids of shape (n_samples, "
                f"sequence_length), but X has shape {shape}. Pass padded integer "
                "sequences (skdeep.preprocessing.TextToSequences makes them)."
            )
        vocabulary_size = int(meta["X_max_"]) + 1
    vocabulary_size = _checks.positive_int("vocabulary_size", vocabulary_size)
    if len(x.shape) != 2:
        raise ValueError(
            f"vocabulary_size is set, so {family} expects token ids of shape (n_samples, "
            f"sequence_length), but each sample has shape {tuple(x.shape[1:])} (X: "
            f"{shape}). Pass padded integer sequences, or leave vocabulary_size=None "
            "for real-valued input."
        )
    low, high = meta.get("X_min_"), meta.get("X_max_")
    if high is not None and (low < 0 or high >= vocabulary_size):
        raise ValueError(
            f"X holds token ids from {low:g} to {high:g}, but vocabulary_size="
            f"{vocabulary_size} allows ids 0 to {vocabulary_size - 1}. Raise "
            "vocabulary_size or limit the vocabulary when tokenizing (ids must be >= 0)."
        )
    return vocabulary_size


def embedding(x, vocabulary_size, embedding_dim, mask_zero, weights, trainable):
    """An ``Embedding`` applied to ``x``, optionally starting from given weights."""
    if weights is not None:
        weights = np.asarray(weights, dtype="float32")
        if weights.ndim != 2 or weights.shape[0] != vocabulary_size:
            raise ValueError(
                f"embedding_weights has shape {weights.shape}; expected "
                f"(vocabulary_size, embedding_dim) = ({vocabulary_size}, n), one row per "
                "token id."
            )
        if embedding_dim is not None and weights.shape[1] != embedding_dim:
            raise ValueError(
                f"embedding_weights has {weights.shape[1]} columns but embedding_dim="
                f"{embedding_dim}. Set embedding_dim={weights.shape[1]} or None."
            )
        embedding_dim = weights.shape[1]
    embedding_dim = _checks.positive_int("embedding_dim", embedding_dim)
    layer = keras.layers.Embedding(
        vocabulary_size,
        embedding_dim,
        mask_zero=_checks.flag("mask_zero", mask_zero),
        trainable=_checks.flag("embedding_trainable", trainable),
    )
    x = layer(x)
    if weights is not None:
        layer.set_weights([weights])
    return x
