"""Images for Keras models: flat pixels <-> ``(height, width, channels)``, scaling to [0, 1]."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_array, check_is_fitted

from skdeep._doc_links import DocumentationLinks


def _as_pixels(X, name):
    """Numeric, finite pixels with one image per row (any number of dimensions after)."""
    X = np.asarray(X) if not hasattr(X, "tocsr") and not hasattr(X, "iloc") else X
    if getattr(X, "ndim", 2) < 2:
        raise ValueError(
            f"{name} expects one image per row (at least 2-D input), got an array of "
            f"shape {X.shape}. Reshape your data: X[None] for a single image, "
            "X.reshape(-1, 1) for a single pixel."
        )
    return check_array(X, allow_nd=True, dtype="numeric", input_name="X")


class ImageReshaper(DocumentationLinks, TransformerMixin, BaseEstimator):
    """Reshape each sample: flat pixel rows to images, or images to flat rows.

    ``ImageReshaper((28, 28, 1))`` turns MNIST's 784-value rows into
    ``28 x 28 x 1`` images for a CNN; ``ImageReshaper((-1,))`` flattens
    colour images for an MLP. :meth:`inverse_transform` restores the shape
    seen in ``fit``.

    Parameters
    ----------
    shape : tuple of int, default=(28, 28, 1)
        Shape of one output sample; one entry may be -1 (worked out from
        the number of values per sample).

    Attributes
    ----------
    sample_shape_ : tuple
        Shape of one input sample seen in ``fit``.
    output_shape_ : tuple
        Shape of one output sample.

    See Also
    --------
    PixelScaler : Scales pixel values to [0, 1].
    ImageStandardizer : Centres and scales each pixel by its statistics.

    Examples
    --------
    >>> flat = np.arange(2 * 12).reshape(2, 12)
    >>> ImageReshaper((2, 2, 3)).fit_transform(flat).shape
    (2, 2, 2, 3)
    >>> ImageReshaper((-1,)).fit_transform(np.zeros((5, 32, 32, 3))).shape
    (5, 3072)
    """

    _parameter_constraints = {"shape": [tuple, list, numbers.Integral]}

    def __init__(self, shape=(28, 28, 1)):
        self.shape = shape

    def fit(self, X, y=None):
        """Record the sample shape and check that it fits ``shape``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Images or flat pixel rows, one sample per row.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self
            The fitted transformer.
        """
        X = _as_pixels(X, "ImageReshaper")
        sample_shape = X.shape[1:]
        output_shape = self._output_shape(int(np.prod(sample_shape)))
        self._validate_params()
        self.sample_shape_, self.output_shape_ = sample_shape, output_shape
        self.n_features_in_ = int(np.prod(sample_shape))
        return self

    def get_feature_names_out(self, input_features=None):
        """Names of the output values, one per value of a sample, in C order.

        Parameters
        ----------
        input_features : None
            Ignored: each output value comes from one input value, but an
            image has no column names to carry.

        Returns
        -------
        ndarray of str
            ``imagereshaper0``, ``imagereshaper1``, ...

        Examples
        --------
        >>> ImageReshaper((-1,)).fit(np.zeros((1, 2, 2))).get_feature_names_out().tolist()
        ['imagereshaper0', 'imagereshaper1', 'imagereshaper2', 'imagereshaper3']
        """
        check_is_fitted(self, "output_shape_")
        count = int(np.prod(self.output_shape_))
        return np.asarray([f"imagereshaper{i}" for i in range(count)], dtype=object)

    def transform(self, X):
        """Reshape each sample from ``sample_shape_`` to ``output_shape_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples shaped as in ``fit``.

        Returns
        -------
        ndarray of shape (n_samples, ...)
            The reshaped samples.
        """
        check_is_fitted(self, "output_shape_")
        X = self._checked(X, self.sample_shape_)
        return X.reshape((len(X), *self.output_shape_))

    def inverse_transform(self, X):
        """Reshape each sample back from ``output_shape_`` to ``sample_shape_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Samples as :meth:`transform` returns them.

        Returns
        -------
        ndarray of shape (n_samples, ...)
            The samples in their original shape.
        """
        check_is_fitted(self, "output_shape_")
        X = self._checked(X, self.output_shape_)
        return X.reshape((len(X), *self.sample_shape_))

    def _checked(self, X, expected):
        X = _as_pixels(X, "ImageReshaper")
        if int(np.prod(X.shape[1:])) != int(np.prod(expected)):
            raise ValueError(
                f"X has {int(np.prod(X.shape[1:]))} features, but ImageReshaper is "
                f"expecting {int(np.prod(expected))} features as input: it was fitted on "
                f"samples of shape {expected} and got samples of shape {X.shape[1:]}."
            )
        if tuple(X.shape[1:]) != tuple(expected):
            raise ValueError(
                f"ImageReshaper was fitted on samples of shape {tuple(expected)} but got "
                f"samples of shape {tuple(X.shape[1:])}: the same number of values in another "
                "layout (channels first instead of last, say) would scramble the pixels. "
                f"Give X as (n_samples, {', '.join(map(str, expected))})."
            )
        return X

    def _output_shape(self, size):
        shape = tuple(self.shape) if isinstance(self.shape, (tuple, list)) else (self.shape,)
        if not shape or not all(isinstance(d, numbers.Integral) for d in shape):
            raise ValueError(
                f"ImageReshaper: invalid shape={self.shape!r}: expected a tuple of "
                "integers such as (28, 28, 1) or (-1,)."
            )
        if sum(d == -1 for d in shape) > 1 or any(d == 0 or d < -1 for d in shape):
            raise ValueError(
                f"ImageReshaper: invalid shape={self.shape!r}: entries must be positive, "
                "with at most one -1."
            )
        known = int(np.prod([d for d in shape if d != -1]))
        if (-1 in shape and size % known) or (-1 not in shape and size != known):
            raise ValueError(
                f"ImageReshaper cannot make images of shape {shape} from samples of "
                f"{size} values: an image of that shape has {known} values"
                f"{' per -1 step' if -1 in shape else ''}. Check the image size and "
                "number of channels (for example (28, 28, 1) for MNIST, (32, 32, 3) "
                "for CIFAR-10)."
            )
        return tuple(size // known if d == -1 else d for d in shape)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


class PixelScaler(DocumentationLinks, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Scale pixel values from ``[0, max_value]`` to ``[0, 1]`` as float32.

    Unlike ``MinMaxScaler``, which scales each pixel position on its own
    range, this divides every value by the same known maximum, as the Keras
    tutorials do with ``x / 255``. Values outside ``[0, max_value]`` are an
    error: they mean the data is not on the scale you said.

    Parameters
    ----------
    max_value : float, default=255.0
        The largest possible pixel value (255 for 8-bit images).

    See Also
    --------
    ImageStandardizer : Learns each pixel's mean and spread instead.
    ImageReshaper : Gives flat rows the shape of images.

    Examples
    --------
    >>> PixelScaler().fit_transform(np.array([[0, 51, 255]], dtype="uint8"))
    array([[0. , 0.2, 1. ]], dtype=float32)
    """

    _parameter_constraints = {"max_value": [Interval(numbers.Real, 0, None, closed="neither")]}

    def __init__(self, max_value=255.0):
        self.max_value = max_value

    def fit(self, X, y=None):
        """Check the parameter and the input range.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Pixel values in ``[0, max_value]``.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self
            The fitted transformer.
        """
        if not isinstance(self.max_value, numbers.Real) or not self.max_value > 0:
            raise ValueError(
                f"PixelScaler: invalid max_value={self.max_value!r}: expected a positive "
                "number, the largest possible pixel value (255 for 8-bit images)."
            )
        self._validate_params()
        X = self._checked(X)
        self.n_features_in_ = int(np.prod(X.shape[1:]))
        return self

    def transform(self, X):
        """Divide the pixels by ``max_value``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Pixel values in ``[0, max_value]``.

        Returns
        -------
        ndarray of float32
            The scaled pixels, in ``[0, 1]``.
        """
        check_is_fitted(self, "n_features_in_")
        X = self._checked(X)
        if int(np.prod(X.shape[1:])) != self.n_features_in_:
            raise ValueError(
                f"X has {int(np.prod(X.shape[1:]))} features, but PixelScaler is expecting "
                f"{self.n_features_in_} features as input (the number of values per "
                "sample seen in fit)."
            )
        return (X / np.float32(self.max_value)).astype("float32")

    def inverse_transform(self, X):
        """Scale back to ``[0, max_value]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Scaled pixels.

        Returns
        -------
        ndarray of float32
            Pixel values in ``[0, max_value]``.
        """
        check_is_fitted(self, "n_features_in_")
        return np.asarray(X, dtype="float32") * np.float32(self.max_value)

    def _checked(self, X):
        X = _as_pixels(X, "PixelScaler")
        if X.size:
            low, high = X.min(), X.max()
            if low < 0:
                raise ValueError(
                    f"Negative values in data passed to PixelScaler (down to {low}): "
                    f"pixels go from 0 to max_value={self.max_value}. Leave out this step "
                    "if the data is already scaled or standardised."
                )
            if high > self.max_value:
                raise ValueError(
                    f"PixelScaler(max_value={self.max_value}) got values up to {high}, "
                    f"outside [0, {self.max_value}]. Set max_value to the largest "
                    "possible pixel value (65535 for 16-bit images)."
                )
        return X

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.positive_only = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
