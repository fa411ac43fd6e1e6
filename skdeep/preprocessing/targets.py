"""Classification targets: from user labels to what a Keras loss expects, and back."""

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted

from skdeep._doc_links import DocumentationLinks

#: The forms a Keras model may need its targets in.
FORMS = ("codes", "column", "one_hot", "indicator")


class ClassifierTargetEncoder(DocumentationLinks, TransformerMixin, BaseEstimator):
    """Encode class labels for a Keras model and decode its outputs.

    Labels of any type (strings, integers, booleans, pandas categoricals)
    are mapped to consecutive codes ``0 .. n_classes - 1``; a multilabel
    indicator matrix is kept as it is. :meth:`transform` gives the form the
    model's loss needs; :meth:`inverse_transform` maps class probabilities
    back to the original labels.

    Parameters
    ----------
    form : {"codes", "column", "one_hot", "indicator"}, default="codes"
        ``"codes"``: integer codes of shape ``(n,)`` (sparse categorical
        cross-entropy). ``"column"``: codes of a binary target as a float
        column ``(n, 1)`` (one sigmoid unit). ``"one_hot"``: ``(n,
        n_classes)`` (categorical cross-entropy). ``"indicator"``: a
        multilabel indicator matrix as floats.

    Attributes
    ----------
    classes_ : ndarray
        The labels seen in ``fit`` (or given as ``classes``), sorted; for
        multilabel targets ``arange(n_labels)``.
    target_type_ : str
        ``"binary"``, ``"multiclass"`` or ``"multilabel-indicator"``, as
        :func:`sklearn.utils.multiclass.type_of_target` names them.
    one_hot_input_ : bool
        True when ``y`` was an indicator matrix with exactly one 1 per row,
        i.e. possibly one-hot encoded classes.

    Examples
    --------
    >>> encoder = ClassifierTargetEncoder(form="one_hot").fit(["b", "a", "c", "a"])
    >>> encoder.transform(["a", "c"])
    array([[1., 0., 0.],
           [0., 0., 1.]], dtype=float32)
    >>> encoder.inverse_transform([[0.1, 0.7, 0.2]])
    array(['b'], dtype='<U1')
    """

    _parameter_constraints = {"form": [StrOptions(set(FORMS))]}

    def __init__(self, form="codes"):
        self.form = form

    def fit(self, y, classes=None):
        """Learn the classes from ``y`` (and ``classes``, when given).

        Parameters
        ----------
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Labels, or a multilabel indicator matrix.
        classes : array-like, default=None
            Every class, when ``y`` may lack some.

        Returns
        -------
        self
            The fitted encoder.
        """
        y = _as_array(y)
        if len(y) == 0:
            raise ValueError("y is empty: at least one sample is needed to fit.")
        self.target_type_ = type_of_target(y, input_name="y")
        if self.target_type_ == "multilabel-indicator":
            self.classes_ = np.arange(y.shape[1])
            self.one_hot_input_ = bool(np.all(np.asarray(y).sum(axis=1) == 1))
            return self
        if self.target_type_ not in ("binary", "multiclass"):
            raise ValueError(_unsupported_target_message(self.target_type_))
        self.one_hot_input_ = False
        labels = np.unique(y)
        if classes is not None:
            given = np.unique(_as_array(classes))
            _check_known(labels, given)
            labels = given
        if len(labels) < 2:
            raise ValueError(
                f"y contains only one class ({labels.tolist()[0]!r}); a classifier needs "
                "samples of at least two classes. Check the target column, or "
                "pass classes=[...] to partial_fit if later batches bring the "
                "other classes."
            )
        self.classes_ = labels
        self.target_type_ = "binary" if len(labels) == 2 else "multiclass"
        return self

    def transform(self, y):
        """Encode labels in the form given by ``form``.

        Parameters
        ----------
        y : array-like
            Labels seen in ``fit``.

        Returns
        -------
        ndarray
            Codes, a column, one-hot rows or an indicator matrix.
        """
        check_is_fitted(self, "classes_")
        if self.form not in FORMS:
            raise ValueError(
                f"Invalid form={self.form!r}: expected one of {', '.join(map(repr, FORMS))}."
            )
        y = _as_array(y)
        if self.target_type_ == "multilabel-indicator":
            if y.ndim != 2 or y.shape[1] != len(self.classes_):
                raise ValueError(
                    f"y must be an indicator matrix with {len(self.classes_)} "
                    f"columns, as in fit. Received shape {y.shape}."
                )
            if self.form == "codes":
                return np.argmax(y, axis=1)
            return y.astype("float32")
        codes = self.encode_labels(y)
        if self.form == "codes":
            return codes
        if self.form == "column":
            return codes.astype("float32").reshape(-1, 1)
        return np.eye(len(self.classes_), dtype="float32")[codes]

    def encode_labels(self, y):
        """Return the integer codes of ``y``; labels unknown to ``fit`` are an error.

        Parameters
        ----------
        y : array-like
            Labels.

        Returns
        -------
        ndarray of int
            Positions of the labels in ``classes_``.
        """
        check_is_fitted(self, "classes_")
        y = np.ravel(_as_array(y))
        _check_known(np.unique(y), self.classes_)
        return np.searchsorted(self.classes_, y)

    def inverse_transform(self, proba):
        """Map class probabilities to labels.

        Parameters
        ----------
        proba : array-like of shape (n_samples, n_classes)
            Probabilities (or scores) of each class.

        Returns
        -------
        ndarray
            The most probable label of each row (0/1 rows for multilabel targets).
        """
        check_is_fitted(self, "classes_")
        proba = np.asarray(proba)
        if self.target_type_ == "multilabel-indicator":
            if self.one_hot_input_ and self.form != "indicator":
                return np.eye(len(self.classes_), dtype=int)[np.argmax(proba, axis=1)]
            return (proba > 0.5).astype(int)
        return self.classes_[np.argmax(proba, axis=1)]


def _as_array(y):
    if hasattr(y, "to_numpy"):  # pandas Series, DataFrame, Categorical
        return y.to_numpy()
    return np.asarray(y)


def _check_known(labels, known):
    unseen = np.setdiff1d(labels, known)
    if len(unseen):
        raise ValueError(
            f"y contains labels not seen during fit: {unseen.tolist()}. Known "
            f"classes: {np.asarray(known).tolist()}. Fit on data that contains "
            "every class, or pass classes=[...] to the first partial_fit call."
        )


def _unsupported_target_message(target_type):
    if target_type == "continuous" or target_type == "continuous-multioutput":
        return (
            f"Unknown label type: {target_type}. A classifier needs discrete "
            "class labels; use KerasRegressor for continuous targets."
        )
    return (
        f"Unknown label type: {target_type}. Supported: binary or multiclass "
        "labels (1-D) and multilabel indicator matrices (2-D of 0/1)."
    )
