"""Small model builders shared by the tests (importable, so they pickle by reference)."""

import keras


def mlp(meta, hidden=8, activation="relu"):
    """A one-hidden-layer network with the output layer ``meta`` asks for."""
    return keras.Sequential(
        [
            keras.Input(meta["input_shape_"]),
            keras.layers.Flatten(),
            keras.layers.Dense(hidden, activation=activation),
            keras.layers.Dense(meta["output_units_"], activation=meta["output_activation_"]),
        ]
    )
