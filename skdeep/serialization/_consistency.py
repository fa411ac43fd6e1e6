"""A loaded estimator's fitted attributes checked against the model they belong to.

A file is a set of members that an editor can change one at a time: the
labels without the model, the model without the input shape. Before a loaded
estimator is returned, what it learned in ``fit`` must describe its model:
the model's input against ``input_shape_`` and ``n_features_in_``, its
output layer against ``classes_`` (the estimator's own check of a freshly
built model runs again, and must come to the same conclusions as when the
estimator was fitted), and ``classes_`` against the target encoder's.
"""

import numpy as np

from skdeep.serialization._archive import damaged


def check_fitted(estimator, path):
    """Raise :class:`DamagedFileError` when ``estimator``'s fitted state contradicts its model."""
    state = vars(estimator)
    model = state.get("model_")
    if model is None:
        return
    try:
        _check_inputs(estimator, model)
        _check_outputs(estimator, model)
        _check_classes(estimator)
    except _Inconsistent as error:
        raise damaged(path, f"its {type(estimator).__name__} is inconsistent: {error}") from None


class _Inconsistent(Exception):
    pass


def _check_inputs(estimator, model):
    state = vars(estimator)
    n_features, X_shape = state.get("n_features_in_"), state.get("X_shape_")
    shape = state.get("input_shape_")
    if X_shape is not None and shape is not None and tuple(X_shape[1:]) != tuple(shape):
        raise _Inconsistent(f"input_shape_ {shape} does not match X_shape_ {X_shape}")
    two_d = X_shape is not None and len(X_shape) == 2
    if n_features is not None and two_d and n_features != X_shape[1]:
        raise _Inconsistent(f"n_features_in_={n_features} but X had {X_shape[1]} columns")
    if shape is None or state.get("inputs") is not None or state.get("feature_encoder_"):
        return
    inputs = getattr(model, "inputs", None) or []
    if len(inputs) != 1:
        return
    expected = tuple(inputs[0].shape[1:])
    known = all(
        a is None or b is None or a == b for a, b in zip(expected, tuple(shape), strict=False)
    )
    if len(expected) != len(shape) or not known:
        raise _Inconsistent(f"the model takes samples of shape {expected}, not {tuple(shape)}")


def _check_outputs(estimator, model):
    from skdeep._fit import building, targets

    state = vars(estimator)
    if "target_type_" not in state:
        return
    try:
        model.output  # noqa: B018 (a subclassed model has none: nothing to compare)
    except (AttributeError, ValueError):
        return
    try:
        shapes, _ = building.output_shapes(model, None)
    except Exception as error:
        raise _Inconsistent(f"the model's outputs cannot be read ({error})") from None
    if state.get("_output_wrap") is not None and isinstance(shapes, dict):
        shapes = [next(iter(shapes.values()))]
    encoder = state.get("target_encoder_")
    saved, saved_encoder = dict(state), dict(vars(encoder)) if hasattr(encoder, "__dict__") else {}
    try:
        targets.steps(estimator)._configure_outputs(model, shapes)
        changed = [k for k in saved if not _same(saved[k], state.get(k))]
        if saved_encoder:
            changed += [
                f"target_encoder_.{k}"
                for k in saved_encoder
                if not _same(saved_encoder[k], vars(encoder).get(k))
            ]
    except Exception as error:
        raise _Inconsistent(str(error)) from None
    finally:
        state.clear()
        state.update(saved)
        if saved_encoder:
            vars(encoder).clear()
            vars(encoder).update(saved_encoder)
    if changed:
        raise _Inconsistent(f"{', '.join(changed)} do not match the model's output layer")


def _check_classes(estimator):
    state = vars(estimator)
    classes, encoder = state.get("classes_"), state.get("target_encoder_")
    if classes is None or not hasattr(encoder, "classes_"):
        return
    if isinstance(classes, list) or isinstance(encoder.classes_, dict):
        return  # several outputs: checked output by output above
    if not _same(np.asarray(classes), np.asarray(encoder.classes_)):
        raise _Inconsistent("classes_ differs from the target encoder's classes")
    if state.get("n_classes_") is not None and state["n_classes_"] != len(classes):
        raise _Inconsistent(f"n_classes_={state['n_classes_']} but classes_ has {len(classes)}")


def _same(a, b):
    if a is b:
        return True
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and a.dtype == b.dtype and bool(np.all(a == b))
    try:
        return bool(a == b)
    except Exception:
        return False
