"""Image preprocessing learned from the training images: standardization and ZCA whitening.

Keras' old ``ImageDataGenerator`` offered ``featurewise_center``,
``featurewise_std_normalization`` and ``zca_whitening``, each fitted with
``datagen.fit(X_train)``. Here they are scikit-learn transformers, fitted in
a pipeline on the training rows only, so that a cross-validation never
learns them from its test fold. Both accept images ``(n, height, width,
channels)`` or flat pixel rows, and return the shape they were given.
"""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from skdeep._doc_links import DocumentationLinks
from skdeep.preprocessing.images import _as_pixels


def _checked(transformer, X, reset):
    X = _as_pixels(X, type(transformer).__name__).astype("float64", copy=False)
    if reset:
        transformer.sample_shape_ = X.shape[1:]
        transformer.n_features_in_ = int(np.prod(X.shape[1:]))
    elif tuple(X.shape[1:]) != tuple(transformer.sample_shape_):
        raise ValueError(
            f"X has {int(np.prod(X.shape[1:]))} features, but {type(transformer).__name__} "
            f"is expecting {transformer.n_features_in_} features as input: it was fitted on "
            f"samples of shape {tuple(transformer.sample_shape_)} and got samples of shape "
            f"{tuple(X.shape[1:])}."
        )
    return X


class ImageStandardizer(DocumentationLinks, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Center and scale images by the mean and standard deviation of each channel.

    ``ImageDataGenerator(featurewise_center=True,
    featurewise_std_normalization=True)`` as a transformer: the statistics
    of each channel, over every training image and pixel position, are
    learned in ``fit``. A flat row of pixels is one channel (grayscale) unless
    ``channels`` says how many are interleaved in it (``(h, w, c)`` rows
    flattened in C order).

    Parameters
    ----------
    center : bool, default=True
        Subtract each channel's mean.
    scale : bool, default=True
        Divide by each channel's standard deviation.
    channels : int or None, default=None
        Channels of a flat pixel row; None takes the last axis of image input
        (``(n, h, w, c)``) and one channel for flat rows.
    epsilon : float, default=1e-6
        Added to the standard deviation, so that a constant channel does not
        divide by zero.

    Attributes
    ----------
    mean_ : ndarray of shape (n_channels,)
        Each channel's mean (zeros when ``center=False``).
    scale_ : ndarray of shape (n_channels,)
        Each channel's standard deviation plus ``epsilon`` (ones when
        ``scale=False``).
    sample_shape_ : tuple
        Shape of one sample seen in ``fit``.
    n_features_in_ : int
        Values per sample.

    See Also
    --------
    ZCAWhitening : Decorrelates the pixels as well.
    PixelScaler : Divides by the known largest value, learning nothing.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> images = rng.uniform(0, 255, size=(10, 4, 4, 3))
    >>> out = ImageStandardizer().fit_transform(images)
    >>> out.shape, bool(abs(out[..., 0].mean()) < 1e-6), round(float(out[..., 0].std()), 3)
    ((10, 4, 4, 3), True, 1.0)
    """

    _parameter_constraints = {
        "center": ["boolean"],
        "scale": ["boolean"],
        "channels": [Interval(Integral, 1, None, closed="left"), None],
        "epsilon": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(self, center=True, scale=True, channels=None, epsilon=1e-6):
        self.center = center
        self.scale = scale
        self.channels = channels
        self.epsilon = epsilon

    def fit(self, X, y=None):
        """Learn each channel's mean and standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training images or flat pixel rows.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self
            The fitted transformer.
        """
        self._validate_params()
        X = _checked(self, X, reset=True)
        pixels = self._by_channel(X)
        n_channels = pixels.shape[-1]
        self.mean_ = pixels.mean(axis=0) if self.center else np.zeros(n_channels)
        self.scale_ = pixels.std(axis=0) + self.epsilon if self.scale else np.ones(n_channels)
        return self

    def transform(self, X):
        """Standardize each channel.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Images shaped as in ``fit``.

        Returns
        -------
        ndarray of float32, the shape of ``X``
            The standardized images.
        """
        check_is_fitted(self, "mean_")
        X = _checked(self, X, reset=False)
        pixels = (self._by_channel(X) - self.mean_) / self.scale_
        return pixels.reshape(X.shape).astype("float32")

    def inverse_transform(self, X):
        """Undo :meth:`transform`.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Standardized images.

        Returns
        -------
        ndarray of float32, the shape of ``X``
            The images on their original scale.
        """
        check_is_fitted(self, "mean_")
        X = _checked(self, X, reset=False)
        pixels = self._by_channel(X) * self.scale_ + self.mean_
        return pixels.reshape(X.shape).astype("float32")

    def _by_channel(self, X):
        """The pixels as rows of ``n_channels`` values."""
        channels = self.channels
        if channels is None:
            channels = X.shape[-1] if X.ndim > 2 else 1
        if X[0].size % channels:
            raise ValueError(
                f"ImageStandardizer(channels={self.channels}) cannot split samples of "
                f"{X[0].size} values into {channels} channels. Give the number of channels "
                "interleaved in each flat row (3 for RGB)."
            )
        return X.reshape(-1, channels)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags


class ZCAWhitening(DocumentationLinks, OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Whiten images with zero-phase component analysis (ZCA), learned from the training images.

    ``ImageDataGenerator(zca_whitening=True)`` as a transformer. ``fit``
    learns each pixel's mean and the matrix ``U diag(1 / sqrt(s + epsilon))
    U^T`` from the singular values ``s`` and vectors ``U`` of the pixels'
    covariance; ``transform`` centers each image and multiplies it by that
    matrix, which decorrelates the pixels while keeping the result close to
    the image (edges stand out). The matrix has ``n_features ** 2`` entries:
    614 MB for 32 x 32 x 3 images in float64, 4.9 MB for MNIST.

    Parameters
    ----------
    epsilon : float, default=1e-6
        Added to the singular values before the inverse square root (Keras'
        ``zca_epsilon``); larger values whiten less and amplify less noise.

    Attributes
    ----------
    mean_ : ndarray of shape (n_features,)
        Each pixel's mean.
    components_ : ndarray of shape (n_features, n_features)
        The whitening matrix.
    sample_shape_ : tuple
        Shape of one sample seen in ``fit``.
    n_features_in_ : int
        Values per sample.

    See Also
    --------
    ImageStandardizer : Per-channel centering and scaling only.
    sklearn.decomposition.PCA : ``whiten=True`` whitens in the rotated basis.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> mixing = rng.normal(size=(8, 8))  # pixels that vary together
    >>> images = (rng.normal(size=(500, 8)) @ mixing).reshape(500, 2, 2, 2)
    >>> white = ZCAWhitening().fit_transform(images)
    >>> white.shape
    (500, 2, 2, 2)
    >>> covariance = np.cov(white.reshape(500, -1), rowvar=False, bias=True)
    >>> bool(np.allclose(covariance, np.eye(8), atol=1e-4))
    True
    """

    _parameter_constraints = {"epsilon": [Interval(Real, 0, None, closed="neither")]}

    def __init__(self, epsilon=1e-6):
        self.epsilon = epsilon

    def fit(self, X, y=None):
        """Learn each pixel's mean and the whitening matrix.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training images or flat pixel rows.
        y : None
            Ignored; accepted for pipelines.

        Returns
        -------
        self
            The fitted transformer.
        """
        self._validate_params()
        X = _checked(self, X, reset=True)
        flat = X.reshape(len(X), -1)
        self.mean_ = flat.mean(axis=0)
        centered = flat - self.mean_
        covariance = centered.T @ centered / len(flat)
        vectors, values, _ = np.linalg.svd(covariance)
        self.components_ = (vectors / np.sqrt(values + self.epsilon)) @ vectors.T
        return self

    def transform(self, X):
        """Center and whiten each image.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Images shaped as in ``fit``.

        Returns
        -------
        ndarray of float32, the shape of ``X``
            The whitened images.
        """
        check_is_fitted(self, "components_")
        X = _checked(self, X, reset=False)
        flat = (X.reshape(len(X), -1) - self.mean_) @ self.components_
        return flat.reshape(X.shape).astype("float32")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float32"]
        return tags
