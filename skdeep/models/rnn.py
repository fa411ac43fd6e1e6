"""Recurrent network builder: SimpleRNN, LSTM or GRU layers for sequences and text."""

import keras

from skdeep import _checks
from skdeep.models import _layers
from skdeep.models._builder import builder
from skdeep.models._docs import builder_docs

_CELLS = {"simple": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}


@builder_docs
@builder
def rnn(
    meta,
    *,
    input_shape=None,
    cell="lstm",
    units=(100,),
    bidirectional=False,
    activation="tanh",
    dropout=0.0,
    recurrent_dropout=0.0,
    conv_filters=None,
    conv_kernel_size=3,
    conv_pool_size=2,
    dense_units=(),
    dense_activation="relu",
    dense_dropout=0.0,
    vocabulary_size=None,
    embedding_dim=32,
    embedding_weights=None,
    embedding_trainable=True,
    mask_zero=False,
    kernel_initializer="glorot_uniform",
    l1=0.0,
    l2=0.0,
    max_norm=None,
):
    """Build a recurrent network: [embedding] [Conv1D + pooling] recurrent layers, dense head.

    Input is either token ids ``(n_samples, sequence_length)`` with
    ``vocabulary_size`` set (text: an ``Embedding`` comes first), or
    real-valued sequences ``(n_samples, timesteps, features)``; flat rows
    become sequences with ``input_shape=(timesteps, features)``.

    Parameters
    ----------
    {meta}
    {input_shape}
    cell : {"lstm", "gru", "simple"}, default="lstm"
        The recurrent layer: ``LSTM``, ``GRU`` or ``SimpleRNN``.
    units : int or tuple of int, default=(100,)
        Units of each recurrent layer; layers before the last return their
        whole sequence to the next one (a stacked RNN).
    bidirectional : bool, default=False
        Run each recurrent layer in both directions and concatenate.
    activation : str or callable, default="tanh"
        Activation of the recurrent layers.
    dropout : float, default=0.0
        Dropout rate on the inputs of each recurrent layer.
    recurrent_dropout : float, default=0.0
        Dropout rate on the recurrent state (slower: no fused GPU kernel).
    conv_filters : int or None, default=None
        Put a ``Conv1D`` with this many filters, and max pooling, in front of
        the recurrent layers (the CNN + LSTM model).
    conv_kernel_size : int, default=3
        Window of that convolution.
    conv_pool_size : int, default=2
        Window of the max pooling after it.
    dense_units : int or tuple of int, default=()
        Units of dense layers between the last recurrent layer and the output.
    dense_activation : str or callable, default="relu"
        Activation of the convolution and the dense layers.
    dense_dropout : float, default=0.0
        Dropout rate after each dense layer.
    {embedding}
    mask_zero : bool, default=False
        Treat token id 0 as padding that the recurrent layers skip; not with
        ``conv_filters``.
    {weights}
    {optimizer}

    {returns}

    See Also
    --------
    cnn : Convolutions, for images, sequences and text.
    mlp : Fully connected layers, for tables.
    skdeep.preprocessing.TextToSequences : Token ids for text.
    skdeep.preprocessing.make_windows : Look-back windows of a time series.

    Examples
    --------
    >>> meta = {"input_shape_": (50,), "output_units_": 1,
    ...         "output_activation_": "sigmoid"}
    >>> model = rnn(meta, cell="gru", units=(16, 8), bidirectional=True,
    ...             vocabulary_size=1000, embedding_dim=8)
    >>> [type(layer).__name__ for layer in model.layers[1:]]
    ['Embedding', 'Bidirectional', 'Bidirectional', 'Dense']
    >>> model.output_shape
    (None, 1)
    """
    weights = _layers.weight_options(kernel_initializer, l1, l2, max_norm)
    layer_class = _CELLS[_checks.choice("cell", cell, tuple(_CELLS))]
    units = _checks.layer_sizes("units", units, allow_empty=False)
    bidirectional = _checks.flag("bidirectional", bidirectional)
    recurrent_options = {
        "activation": _checks.activation("activation", activation),
        "dropout": _checks.rate("dropout", dropout),
        "recurrent_dropout": _checks.rate("recurrent_dropout", recurrent_dropout),
        **weights,
    }
    inputs, x = _layers.model_input(meta, input_shape)
    if vocabulary_size is not None:
        vocabulary_size = _layers.token_input(meta, x, vocabulary_size, "rnn")
        if mask_zero and conv_filters:
            raise ValueError(
                "mask_zero=True cannot be combined with conv_filters: the convolution "
                "does not carry the padding mask. Use one or the other."
            )
        x = _layers.embedding(
            x, vocabulary_size, embedding_dim, mask_zero, embedding_weights, embedding_trainable
        )
    elif len(x.shape) != 3:
        raise ValueError(
            f"rnn needs sequences of shape (n_samples, timesteps, features), or token ids "
            f"with vocabulary_size set, but each sample has shape {tuple(x.shape[1:])}. "
            "Pass vocabulary_size=<number of token ids> for text, or "
            "input_shape=(timesteps, features) for flat rows."
        )
    if conv_filters:
        x = _conv_front(x, conv_filters, conv_kernel_size, conv_pool_size, dense_activation)
    for position, n_units in enumerate(units, start=1):
        layer = layer_class(n_units, return_sequences=position < len(units), **recurrent_options)
        x = (keras.layers.Bidirectional(layer) if bidirectional else layer)(x)
    x = _layers.dense_stack(
        x, dense_units, dense_activation, _checks.rate("dense_dropout", dense_dropout), weights
    )
    model = keras.Model(inputs, _layers.output_layer(x, meta, weights), name="rnn")
    return model


def _conv_front(x, filters, kernel_size, pool_size, activation):
    filters = _checks.positive_int("conv_filters", filters)
    kernel_size = _checks.positive_int("conv_kernel_size", kernel_size)
    pool_size = _checks.positive_int("conv_pool_size", pool_size)
    steps = x.shape[1]
    if steps is not None and pool_size > steps:
        raise _checks.invalid("conv_pool_size", pool_size, f"at most the sequence length, {steps}")
    x = keras.layers.Conv1D(
        filters,
        kernel_size,
        padding="same",
        activation=_checks.activation("dense_activation", activation),
    )(x)
    return keras.layers.MaxPooling1D(pool_size)(x) if pool_size > 1 else x
