"""Data and inputs: the training data of one fit, checked, split and encoded for the model.

:func:`prepare` validates ``X`` (feature count and names, per-sample shape,
sparse matrices kept sparse) and ``y`` as scikit-learn does, learns the
input shape and the targets in a fresh fit (through the estimator's target
steps: ``classes_`` and the like) or checks them when training continues,
weighs the samples (``sample_weight``, ``class_weight``), holds out
``validation_fraction`` (shuffled, stratified for classifiers) or checks the
given ``validation_data``, and encodes ``X`` for the model (the fitted
feature encoder, or one block of columns per named input with ``inputs=``).
The targets are encoded later, once the model's loss says in which form.

``inputs={"text": columns, "tabular": columns}`` maps each named input of
the model to columns of ``X``. ``X`` stays one table, so scikit-learn's
cross-validation and searches slice it by rows as usual; the columns are
resolved once, at ``fit``, to positions (:func:`resolve_inputs`), and every
call cuts the validated array into one block per input (:func:`split_inputs`).
"""

import math
from dataclasses import dataclass
from numbers import Integral, Real

import keras
import numpy as np
from scipy import sparse
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils.validation import validate_data


@dataclass(frozen=True)
class Prepared:
    """The data of one fit, as :func:`prepare` returns it.

    Attributes
    ----------
    X : object
        The training features, encoded for the model.
    y : ndarray or DataFrame
        The training targets, validated (encoded in the training step).
    weights : ndarray or None
        Per-sample weights (``sample_weight`` times ``class_weight``).
    validation : tuple or None
        ``(X_val, y_val[, w_val])``: features encoded, targets validated.
    """

    X: object
    y: object
    weights: object
    validation: object


def prepare(estimator, plan):
    """The training data of ``plan``, checked and encoded (see the module docstring).

    In a fresh fit the estimator learns ``input_shape_``, ``X_shape_``,
    ``X_dtype_``, its targets and its feature encoder here; when training
    continues, ``X`` and ``y`` must match what it learned.
    """
    reset = not plan.continuing
    X, y = plan.X, plan.y
    several = estimator.outputs is not None
    if several:
        y = select_outputs(estimator, y)
    if reset and estimator.inputs is not None:
        estimator.input_columns_ = resolve_inputs(estimator.inputs, X)
    X, y, dtype = check_X_y(estimator, X, y, reset, estimator._y_numeric)
    if reset:
        estimator.input_shape_, estimator.X_shape_ = X.shape[1:], X.shape
        estimator.X_dtype_ = dtype
    weights = check_sample_weight(plan.sample_weight, X.shape[0])
    hooks = _target_steps(estimator)
    if reset:
        hooks._learn_targets(y, plan.classes)
    else:
        hooks._check_targets(y)
    weights = hooks._fit_weights(y, weights, plan.class_weight)
    validation, held_out = plan.validation_data, None
    if estimator.validation_fraction is not None and validation is None:
        X, y, weights, held_out = holdout_split(estimator, X, y, weights)
    X_model = encode_features(estimator, X, reset)  # the encoder learns the training rows only
    if held_out is not None:
        validation = (encode_features(estimator, held_out[0], False), *held_out[1:])
    elif validation is not None:
        validation = validation_data(estimator, validation)
    return Prepared(X_model, y, weights, validation)


def _target_steps(estimator):
    """The estimator (its own target steps), or the several-outputs steps with ``outputs``."""
    if estimator.outputs is None:
        return estimator
    from skdeep._fit.targets import OutputSteps

    return OutputSteps(estimator)


def encode_features(estimator, X, reset):
    """``X`` as the model takes it: through the feature encoder, fitted when ``reset``.

    With ``inputs=``, one block of columns per named input of the model
    instead (token ids checked at predict time where an Embedding reads them).
    """
    if estimator.inputs is not None:
        if reset and estimator.feature_encoder is not None:
            raise ValueError(
                f"{type(estimator).__name__} has both inputs= and a feature_encoder; both "
                "split X into the model's inputs. Use one of them."
            )
        vocabularies = None if reset else getattr(estimator, "_input_vocabularies", None)
        return split_inputs(X, estimator.input_columns_, vocabularies)
    if reset:
        encoder = estimator.feature_encoder
        estimator.feature_encoder_ = None if encoder is None else encoder.fit(X)
        vars(estimator).update(getattr(estimator.feature_encoder_, "get_metadata", dict)())
    encoder = getattr(estimator, "feature_encoder_", None)
    return X if encoder is None else encoder.transform(X)


def validation_data(estimator, data):
    """``(X, y[, sample_weight])`` validated like the training data (``X`` encoded)."""
    if not isinstance(data, (tuple, list)) or len(data) not in (2, 3):
        raise ValueError(
            "validation_data must be a tuple (X_val, y_val) or "
            "(X_val, y_val, sample_weight_val) of arrays."
        )
    X = check_X(estimator, data[0], reset=False)
    y = data[1]
    if estimator.outputs is not None:
        y = select_outputs(estimator, y)
    y = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    if len(y) != X.shape[0]:
        raise ValueError(
            f"validation_data has {X.shape[0]} rows in X but {len(y)} in y; they must match."
        )
    _target_steps(estimator)._check_targets(y)
    checked = (encode_features(estimator, X, False), y)
    if len(data) == 3:
        checked += (check_sample_weight(data[2], X.shape[0], "validation sample_weight"),)
    return checked


# ---------------------------------------------------------------------------
# Checks, with messages that say how to fix it
def check_X(estimator, X, reset):
    """Validate ``X`` as scikit-learn does, keeping N-d samples.

    ``X`` becomes an array of Keras' float type (a CSR matrix when it
    comes sparse: it is densified batch by batch). At predict time
    (``reset=False``), the shape of one sample must be the one seen in
    ``fit``.
    """
    if not reset:
        _check_sample_shape(estimator, X)
    options = dict(reset=reset, dtype=keras.config.floatx(), allow_nd=True, accept_sparse="csr")
    return validate_data(estimator, X, **options)


def check_X_y(estimator, X, y, reset, y_numeric):
    """Validate ``X`` and ``y`` together; also returns the dtype ``X`` came in."""
    dtype = getattr(X, "dtype", None)
    if not reset:
        _check_sample_shape(estimator, X)
    if sparse.issparse(y):
        raise TypeError(
            f"y is a SciPy sparse matrix ({type(y).__name__}); {type(estimator).__name__} "
            "trains on dense targets. Pass y.toarray() (a sparse X is accepted)."
        )
    X, y = validate_data(
        estimator,
        X,
        y,
        reset=reset,
        dtype=keras.config.floatx(),
        allow_nd=True,
        accept_sparse="csr",
        multi_output=True,
        y_numeric=y_numeric,
    )
    return X, y, dtype


def _check_sample_shape(estimator, X):
    shape = getattr(X, "shape", None)
    fitted = getattr(estimator, "input_shape_", None)
    if shape is None or len(shape) < 2 or fitted is None:
        return  # scikit-learn's own checks explain 1-D input and feature counts
    if (len(shape) > 2 or len(fitted) > 1) and tuple(shape[1:]) != tuple(fitted):
        raise ValueError(
            f"X has samples of shape {tuple(shape[1:])}, but "
            f"{type(estimator).__name__} was fitted on samples of shape "
            f"{tuple(fitted)}. Reshape X to (n_samples, {', '.join(map(str, fitted))})."
        )


def check_labels(y):
    """Refuse missing labels (None, NaN) among object labels."""
    array = y.to_numpy() if hasattr(y, "to_numpy") else np.asarray(y)
    if array.dtype != object:
        return
    flat = array.ravel()
    missing = [i for i, v in enumerate(flat) if v is None or (isinstance(v, float) and v != v)]
    if missing:
        raise ValueError(
            f"y contains {len(missing)} missing label(s) (None or NaN), the first at "
            f"position {missing[0]}. Every sample needs a class: drop those rows or "
            "fill them with a label of their own, e.g. 'unknown'."
        )


def check_target_shape(estimator, y):
    """Continued training (``partial_fit``, ``warm_start``) needs ``y`` shaped as in the first fit.

    Examples
    --------
    >>> class Fitted:
    ...     y_shape_ = (10, 2)
    >>> check_target_shape(Fitted(), np.zeros((4, 3)))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: y has 3 column(s) per sample, but ... fitted on y with 2 column(s). ...
    """
    fitted = tuple(getattr(estimator, "y_shape_", ()) or ())
    shape = np.shape(y)
    if not fitted or tuple(shape[1:]) == fitted[1:]:
        return
    if len(shape) != len(fitted):
        raise ValueError(
            f"y has {len(shape)} dimensions, but the model was first fitted on y with "
            f"{len(fitted)}. Continued training (partial_fit, warm_start) needs targets of "
            "the same shape; call fit with warm_start=False to start over."
        )
    columns = lambda s: s[1] if len(s) > 1 else 1  # noqa: E731
    raise ValueError(
        f"y has {columns(shape)} column(s) per sample, but the model was first fitted on y "
        f"with {columns(fitted)} column(s). Continued training (partial_fit, warm_start) "
        "needs targets of the same shape; call fit with warm_start=False to start over."
    )


def check_sample_weight(sample_weight, n_samples, name="sample_weight", some_positive=True):
    """Finite, non-negative weights, one per sample, not all zero; None stays None.

    ``some_positive=False`` accepts all zeros (one batch of many may have them).
    """
    if sample_weight is None:
        return None
    try:
        weights = np.asarray(sample_weight, dtype="float64")
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers, one per sample of X.") from None
    if weights.ndim == 0:
        weights = np.full(n_samples, float(weights))
    if weights.shape != (n_samples,):
        raise ValueError(
            f"{name} has shape {weights.shape}; expected ({n_samples},), one weight per "
            "sample of X."
        )
    if not np.all(np.isfinite(weights)) or np.any(weights < 0):
        raise ValueError(
            f"{name} must contain finite, non-negative numbers; found NaN, infinity or a "
            "negative weight."
        )
    if some_positive and not np.any(weights > 0):
        raise ValueError(
            f"{name} is zero for every sample, so there is nothing to learn from. Give "
            "at least one sample a positive weight."
        )
    return weights


def check_class_weight(class_weight, classes):
    """A ``class_weight`` dict keyed by classes, with finite non-negative weights.

    Examples
    --------
    >>> check_class_weight({"a": 2, "b": 1}, np.array(["a", "b"]))
    {'a': 2.0, 'b': 1.0}
    """
    if class_weight is None or isinstance(class_weight, str):
        return class_weight
    known = set(np.asarray(classes).tolist())
    unknown = [key for key in class_weight if key not in known]
    if unknown:
        raise ValueError(
            f"class_weight has keys {unknown} that are not classes of y; classes are "
            f"{np.asarray(classes).tolist()}. Key the dict by the original labels."
        )
    checked = {}
    for key, value in class_weight.items():
        ok = isinstance(value, Real) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise ValueError(
                f"class_weight[{key!r}] = {value!r}: class weights must be finite numbers "
                ">= 0 (NaN, infinity and negative weights would turn the loss into NaN)."
            )
        checked[key] = float(value)
    if checked and not any(checked.values()):
        raise ValueError("class_weight is zero for every class: nothing would be learned.")
    return checked


def check_token_input(X, vocabulary_size):
    """Features read by an ``Embedding``: a dense array of token ids (see :func:`check_token_ids`).

    A SciPy sparse matrix is refused: Keras' ``Embedding`` reads a sparse
    input as weighted ids to combine, not as a sequence with padding zeros.

    Examples
    --------
    >>> import numpy as np
    >>> check_token_input(np.array([[3, 1, 0]]), vocabulary_size=4)
    >>> check_token_input(np.array([[3.5, 1, 0]]), vocabulary_size=4)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: X holds token ids that are not whole numbers; ...
    """
    if sparse.issparse(X):
        raise TypeError(
            "X is a SciPy sparse matrix, but the model reads it as token ids through an "
            "Embedding layer, which would treat a sparse input as ids to combine rather than "
            "as a sequence. Pass the padded ids as a dense array (X.toarray())."
        )
    check_token_ids(X, vocabulary_size)


def check_token_ids(X, vocabulary_size):
    """Token ids must be whole numbers from 0 to ``vocabulary_size - 1``, as in ``fit``."""
    X = getattr(X, "data", X) if sparse.issparse(X) else X  # the stored ids; the rest are 0
    if X.size == 0:
        return
    low, high = float(np.min(X)), float(np.max(X))
    if low < 0 or high >= vocabulary_size:
        raise ValueError(
            f"X holds token ids from {low:g} to {high:g}, but vocabulary_size="
            f"{vocabulary_size} allows ids 0 to {vocabulary_size - 1}. Raise "
            "vocabulary_size or limit the vocabulary when tokenizing (ids must be >= 0)."
        )
    if not np.all(np.equal(np.mod(X, 1), 0)):
        raise ValueError(
            "X holds token ids that are not whole numbers; the embedding expects integer "
            "ids from a tokenizer such as skdeep.preprocessing.TextToSequences."
        )


# ---------------------------------------------------------------------------
# Several named inputs from one table (inputs=)
def resolve_inputs(inputs, X):
    """Column positions of every named input, from the ``X`` given to ``fit``.

    A selector is a column name, a list of names or positions, a slice, a
    boolean mask, or a callable taking the DataFrame and returning one of
    these (``sklearn.compose.make_column_selector``).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame(columns=["a", "b", "c"])
    >>> resolve_inputs({"left": ["a"], "right": slice(1, 3)}, frame)
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


def split_inputs(X, columns, vocabularies=None):
    """One block of ``X`` per named input; token ids checked where an input feeds an Embedding."""
    blocks = {}
    for name, positions in columns.items():
        block = X[:, positions]
        if sparse.issparse(block):
            block = block.tocsr()
        if vocabularies and name in vocabularies:
            check_token_ids(block, vocabularies[name])
        blocks[name] = block
    return blocks


# ---------------------------------------------------------------------------
# validation_fraction: a shuffled (and, for classifiers, stratified) holdout
def holdout_split(estimator, X, y, weights):
    """``X, y, weights`` for training and ``(X_val, y_val[, w_val])`` held out.

    Examples
    --------
    >>> from skdeep import KerasClassifier
    >>> est = KerasClassifier(validation_fraction=0.25, random_state=0)
    >>> X, y = np.arange(16.0).reshape(8, 2), np.array([0, 1] * 4)
    >>> X_fit, y_fit, _, (X_val, y_val) = holdout_split(est, X, y, None)
    >>> len(y_fit), sorted(y_val.tolist())
    (6, [0, 1])
    """
    n_samples = len(y)
    n_validation = int(np.ceil(n_samples * estimator.validation_fraction))
    if n_validation < 1 or n_samples - n_validation < 1:
        raise ValueError(
            f"validation_fraction={estimator.validation_fraction} of {n_samples} samples "
            "leaves no rows for training or for validation. Use more data or another "
            "fraction."
        )
    rows = np.arange(n_samples)
    stratify = _strata(estimator, y, n_validation)
    state = check_random_state(estimator.random_state)
    train, held_out = train_test_split(
        rows, test_size=n_validation, random_state=state, stratify=stratify
    )
    train, held_out = np.sort(train), np.sort(held_out)
    fit_weights = None if weights is None else weights[train]
    validation = (X[held_out], y[held_out])
    if weights is not None:
        validation += (weights[held_out],)
    return X[train], y[train], fit_weights, validation


def _strata(estimator, y, n_validation):
    if getattr(estimator, "_y_numeric", True) or np.ndim(y) != 1:
        return None
    _, counts = np.unique(y, return_counts=True)
    if counts.min() < 2 or n_validation < len(counts):
        return None
    return y


# ---------------------------------------------------------------------------
# Which column of y goes to which output (outputs=)
KINDS = ("class", "value")


def output_kinds(estimator):
    """``{output name: kind}`` from the ``outputs`` parameter, checked."""
    outputs, default = estimator.outputs, getattr(estimator, "_output_kind", None)
    owner = type(estimator).__name__
    if isinstance(outputs, (list, tuple)):
        if default is None:
            raise ValueError(
                f"{owner} does not know what its outputs are: give outputs as a dict, "
                "e.g. outputs={'species': 'class', 'weight': 'value'}."
            )
        found = {name: default for name in outputs}
    elif isinstance(outputs, dict):
        found = dict(outputs)
    else:
        raise ValueError(
            f"outputs={outputs!r}: expected a list of the model's output names, or a dict "
            "mapping each name to 'class' or 'value'."
        )
    if not found or not all(isinstance(name, str) for name in found):
        raise ValueError(f"outputs={outputs!r}: give the names (str) of the model's outputs.")
    if len(found) != len(list(outputs)):
        raise ValueError(f"outputs={outputs!r} names an output twice.")
    for name, kind in found.items():
        if kind not in KINDS:
            raise ValueError(f"outputs[{name!r}]={kind!r}: expected 'class' or 'value'.")
        if default is not None and kind != default:
            raise ValueError(
                f"outputs[{name!r}]={kind!r}, but every output of {owner} is a "
                f"{default}. Use skdeep.wrappers.BaseWrapper with outputs={{...}} for a "
                "model that predicts classes and values together."
            )
    return found


def select_outputs(estimator, y):
    """The columns of ``y`` in the order of ``outputs``: by name (a DataFrame), else by position."""
    names = list(output_kinds(estimator))
    if hasattr(y, "columns"):
        missing = [name for name in names if name not in y.columns]
        if missing:
            raise ValueError(
                f"y has no column {missing[0]!r} for the model's output of that name; its "
                f"columns are {list(y.columns)}. Name the DataFrame's columns after outputs="
                f"{names}."
            )
        return y[names]
    shape = np.shape(y)
    if len(shape) == 1 and len(names) == 1:
        return np.reshape(y, (-1, 1))
    if len(shape) != 2 or shape[1] != len(names):
        raise ValueError(
            f"y has shape {shape}, but outputs= names {len(names)} output(s) {names}: give "
            f"y as a DataFrame with those columns, or an array of shape (n_samples, "
            f"{len(names)}) with one column per output, in that order."
        )
    return y
