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


def branches(meta, hidden=8, embed=None):
    """A Dense branch per named input (``meta["input_shapes_"]``) and a named layer per output.

    ``embed`` maps input names to vocabulary sizes: those inputs are token
    ids, read by an Embedding and averaged. With one output the model ends
    in one layer; with ``outputs=`` (``output_units_`` is a dict) in a dict
    of named layers.
    """
    shapes = meta.get("input_shapes_") or {"x": meta["input_shape_"]}
    inputs = {name: keras.Input(shape, name=name) for name, shape in shapes.items()}
    parts = []
    for name, tensor in inputs.items():
        if embed and name in embed:
            tensor = keras.layers.Embedding(embed[name], 8)(tensor)
            tensor = keras.layers.GlobalAveragePooling1D()(tensor)
        parts.append(keras.layers.Dense(hidden, activation="relu")(tensor))
    joined = keras.layers.Concatenate()(parts) if len(parts) > 1 else parts[0]
    units, activation = meta["output_units_"], meta["output_activation_"]
    if isinstance(units, dict):
        outputs = {
            name: keras.layers.Dense(units[name], activation=activation[name], name=name)(joined)
            for name in units
        }
    else:
        outputs = keras.layers.Dense(units, activation=activation)(joined)
    return keras.Model(inputs if len(inputs) > 1 else inputs[next(iter(inputs))], outputs)


def keras_wrapper_classifier(X, y, hidden=8):
    """A builder in ``keras.wrappers``' style: ``(X, y, **kwargs)``, compiled, one-hot ``y``."""
    model = keras.Sequential(
        [
            keras.Input(X.shape[1:]),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(y.shape[1], activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def keras_wrapper_regressor(X, y, hidden=8):
    """The regressor counterpart of :func:`keras_wrapper_classifier` (``y`` as a 2-D array)."""
    model = keras.Sequential(
        [
            keras.Input(X.shape[1:]),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(y.shape[1]),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model


def values(meta, hidden=8):
    """A network with one linear unit per target column, for a generic ``BaseWrapper``."""
    return keras.Sequential(
        [
            keras.Input(meta["input_shape_"]),
            keras.layers.Flatten(),
            keras.layers.Dense(hidden, activation="relu"),
            keras.layers.Dense(meta["n_outputs_"]),
        ]
    )
