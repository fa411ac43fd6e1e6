"""Multi-layer perceptron builder for tabular data (and flattened images)."""

import keras


def mlp(
    meta,
    hidden_layer_sizes=(100,),
    activation="relu",
    kernel_initializer="glorot_uniform",
    dropout=0.0,
):
    """Build a fully connected network whose output layer fits the target.

    Parameters
    ----------
    meta : dict
        What the estimator learned in ``fit``; this builder reads
        ``input_shape_``, ``output_units_`` and ``output_activation_``.
    hidden_layer_sizes : tuple of int, default=(100,)
        Units of each hidden layer, as in scikit-learn's MLP.
    activation : str, default="relu"
        Activation of the hidden layers (any Keras activation name).
    kernel_initializer : str, default="glorot_uniform"
        Weight initializer of every layer (any Keras initializer name).
    dropout : float, default=0.0
        Dropout rate after each hidden layer.

    Returns
    -------
    keras.Model
        An uncompiled model; the estimator compiles it.

    Examples
    --------
    >>> model = mlp({"input_shape_": (8,), "output_units_": 1,
    ...              "output_activation_": "sigmoid"}, hidden_layer_sizes=(12, 8))
    >>> [layer.units for layer in model.layers]
    [12, 8, 1]
    """
    layers = [keras.Input(meta["input_shape_"])]
    if len(meta["input_shape_"]) > 1:
        layers.append(keras.layers.Flatten())
    for units in hidden_layer_sizes:
        layers.append(
            keras.layers.Dense(units, activation=activation, kernel_initializer=kernel_initializer)
        )
        if dropout:
            layers.append(keras.layers.Dropout(dropout))
    layers.append(
        keras.layers.Dense(
            meta["output_units_"],
            activation=meta["output_activation_"],
            kernel_initializer=kernel_initializer,
        )
    )
    return keras.Sequential(layers)
