"""Several named inputs from one table: the ``inputs`` parameter.

``inputs={"text": columns, "tabular": columns}`` maps each named input of
the model to columns of ``X``. ``X`` stays one table, so scikit-learn's
cross-validation and searches slice it by rows as usual, and a
``ColumnTransformer`` before the estimator produces the blocks (its output
columns are selected by position, or by name with
``set_output(transform="pandas")``). The columns are resolved once, at
``fit``, to positions (:func:`resolve`); every call then cuts the validated
array into one block per input (:func:`split`), and the model is checked
to take exactly those inputs with those widths (:func:`check_model`).
"""

from numbers import Integral

import numpy as np
from scipy import sparse

from skdeep.estimators import _validation as check


def resolve(inputs, X):
    """Column positions of every named input, from the ``X`` given to ``fit``.

    A selector is a column name, a list of names or positions, a slice, a
    boolean mask, or a callable taking the DataFrame and returning one of
    these (``sklearn.compose.make_column_selector``).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame(columns=["a", "b", "c"])
    >>> resolve({"left": ["a"], "right": slice(1, 3)}, frame)
    {'left': [0], 'right': [1, 2]}
    """
    if not isinstance(inputs, dict) or not inputs:
        raise ValueError(
            f"inputs={inputs!r}: expected a dict mapping each named input of the model to "
            'columns of X, e.g. inputs={"text": text_columns, "tabular": ["age", "income"]}.'
        )
    names = list(X.columns) if hasattr(X, "columns") else None
    width = len(names) if names is not None else _width(X)
    resolved = {}
    for name, selector in inputs.items():
        if not isinstance(name, str):
            raise ValueError(f"inputs has the key {name!r}; keys are the model's input names.")
        if callable(selector):
            if names is None:
                raise ValueError(
                    f"inputs[{name!r}] is a callable column selector, which needs X as a "
                    "DataFrame; X has no column names. Select columns by position instead."
                )
            selector = selector(X)
        positions = _positions(name, selector, names, width)
        if not positions:
            raise ValueError(f"inputs[{name!r}] selects no column of X.")
        resolved[name] = positions
    return resolved


def _width(X):
    shape = getattr(X, "shape", None) or np.shape(X)
    if len(shape) != 2:
        raise ValueError(
            f"inputs= splits the columns of a 2-D X; X has shape {tuple(shape)}. Flatten "
            "each sample into columns, or feed several inputs with a feature_encoder."
        )
    return shape[1]


def _positions(name, selector, names, width):
    if isinstance(selector, slice):
        if isinstance(selector.start, str) or isinstance(selector.stop, str):
            start = names.index(selector.start) if selector.start is not None else None
            stop = names.index(selector.stop) + 1 if selector.stop is not None else None
            selector = slice(start, stop)
        return list(range(width))[selector]
    if isinstance(selector, (str, Integral)):
        selector = [selector]
    selector = list(np.asarray(selector).tolist()) if not isinstance(selector, list) else selector
    if selector and all(isinstance(s, bool) for s in selector):
        if len(selector) != width:
            raise ValueError(
                f"inputs[{name!r}] is a boolean mask of {len(selector)} entries, but X has "
                f"{width} columns."
            )
        return [i for i, keep in enumerate(selector) if keep]
    positions = []
    for column in selector:
        if isinstance(column, str):
            if names is None or column not in names:
                where = "X has no column names" if names is None else f"columns: {names}"
                raise ValueError(
                    f"inputs[{name!r}] names the column {column!r}, which X does not have "
                    f"({where})."
                )
            positions.append(names.index(column))
        elif isinstance(column, Integral) and -width <= column < width:
            positions.append(int(column) % width)
        else:
            raise ValueError(
                f"inputs[{name!r}] holds {column!r}, which is not a column of X: expected "
                f"column names or positions 0 to {width - 1}."
            )
    return positions


def split(X, columns, vocabularies=None):
    """One block of ``X`` per named input; token ids checked where an input feeds an Embedding."""
    blocks = {}
    for name, positions in columns.items():
        block = X[:, positions]
        if sparse.issparse(block):
            block = block.tocsr()
        if vocabularies and name in vocabularies:
            check.check_token_ids(block, vocabularies[name])
        blocks[name] = block
    return blocks


def shapes(columns):
    """The per-sample shape of every input, for the builder's ``meta["input_shapes_"]``."""
    return {name: (len(positions),) for name, positions in columns.items()}


def check_model(model, columns):
    """The model must take exactly the named inputs, each as wide as its columns.

    Examples
    --------
    >>> import keras
    >>> a, b = keras.Input((2,), name="text"), keras.Input((3,), name="tabular")
    >>> model = keras.Model([a, b], keras.layers.Concatenate()([a, b]))
    >>> check_model(model, {"text": [0, 1], "tabular": [2, 3]})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: The model's input 'tabular' takes samples of shape (3,), but inputs['tabular'] ...
    """
    expected = {tensor.name: tuple(tensor.shape[1:]) for tensor in model.inputs}
    missing = [name for name in expected if name not in columns]
    if missing:
        raise ValueError(
            f"The model has the input(s) {missing}, which inputs= does not give; it gives "
            f"{list(columns)}. Add an entry for each named input of the model (the name= "
            "of its keras.Input)."
        )
    unused = [name for name in columns if name not in expected]
    if unused:
        raise ValueError(
            f"inputs= gives {unused}, but the model has no input of that name; its inputs "
            f"are {list(expected)}. Name each keras.Input after its entry in inputs=."
        )
    for name, shape in expected.items():
        width = len(columns[name])
        if len(shape) != 1 or shape[0] not in (None, width):
            raise ValueError(
                f"The model's input {name!r} takes samples of shape {shape}, but "
                f"inputs[{name!r}] selects {width} column(s) of X. Build the input as "
                f"keras.Input(meta['input_shapes_'][{name!r}], name={name!r}), here "
                f"keras.Input(({width},), name={name!r})."
            )
