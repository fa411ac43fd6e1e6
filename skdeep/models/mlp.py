"""Multi-layer perceptron builder for tabular data (and flattened images)."""

import keras

from skdeep import _checks
from skdeep.models import _layers
from skdeep.models._builder import builder
from skdeep.models._docs import builder_docs


@builder_docs
@builder
def mlp(
    meta,
    *,
    hidden_layer_sizes=(100,),
    activation="relu",
    dropout=0.0,
    input_dropout=0.0,
    batch_normalization=False,
    kernel_initializer="glorot_uniform",
    l1=0.0,
    l2=0.0,
    max_norm=None,
):
    """Build a fully connected network whose output layer fits the target.

    Samples with more than one dimension (images) are flattened first.
    ``KerasClassifier(model="mlp", ...)`` and ``KerasRegressor(model="mlp",
    ...)`` use this builder; every argument below is an estimator parameter
    that ``GridSearchCV`` can tune.

    Parameters
    ----------
    {meta}
    hidden_layer_sizes : int or tuple of int, default=(100,)
        Units of each hidden layer, as in scikit-learn's MLP; ``()`` gives a
        linear (logistic) model.
    activation : str or callable, default="relu"
        Activation of the hidden layers: relu, tanh, sigmoid, elu, selu,
        leaky_relu, softplus, linear, ... (any Keras activation).
    dropout : float, default=0.0
        Dropout rate after each hidden layer.
    input_dropout : float, default=0.0
        Dropout rate on the inputs (the "visible layer" dropout).
    batch_normalization : bool, default=False
        Batch normalization between each hidden layer and its activation.
    {weights}
    {optimizer}

    {returns}

    See Also
    --------
    cnn : Convolutions, for images, sequences and text.
    rnn : Recurrent layers, for sequences and text.
    skdeep.model_selection.search_space : Ready distributions of its parameters.

    Examples
    --------
    >>> meta = {"input_shape_": (8,), "output_units_": 1,
    ...         "output_activation_": "sigmoid"}
    >>> model = mlp(meta, hidden_layer_sizes=(12, 8), dropout=0.2)
    >>> [layer.units for layer in model.layers if hasattr(layer, "units")]
    [12, 8, 1]
    >>> model.loss
    'binary_crossentropy'
    """
    weights = _layers.weight_options(kernel_initializer, l1, l2, max_norm)
    dropout = _checks.rate("dropout", dropout)
    inputs, x = _layers.model_input(meta)
    if len(inputs.shape) > 2:
        x = keras.layers.Flatten()(x)
    if _checks.rate("input_dropout", input_dropout):
        x = keras.layers.Dropout(input_dropout)(x)
    x = _layers.dense_stack(
        x,
        hidden_layer_sizes,
        activation,
        dropout,
        weights,
        batch_normalization=_checks.flag("batch_normalization", batch_normalization),
        name="hidden_layer_sizes",
    )
    model = keras.Model(inputs, _layers.output_layer(x, meta, weights), name="mlp")
    return model
