"""Data sets for the documented tasks.

- Bundled real data, offline: :func:`load_pima`, :func:`load_sonar`,
  :func:`load_boston`, :func:`load_german_credit`, :func:`load_mnist_subset`,
  plus scikit-learn's :func:`load_iris`, :func:`load_digits`,
  :func:`load_breast_cancer` (re-exported here) and CIFAR-shaped
  :func:`load_photo_patches`.
- A bundled real time series: :func:`load_airline` (monthly airline
  passengers, 1949-1960).
- Generated text corpora, offline: :func:`make_reviews`, :func:`make_newswire`.
- Full data from the Keras cache, checked before reading, never
  downloaded: :func:`load_mnist`, :func:`load_fashion_mnist`,
  :func:`load_cifar10`, :func:`load_imdb`, :func:`load_reuters`; and
  :func:`load_bank_marketing` from a CSV you downloaded.
"""

from sklearn.datasets import load_breast_cancer, load_digits, load_iris

from skdeep.datasets._files import DatasetIntegrityError, DatasetNotFoundError, data_home
from skdeep.datasets.bundled import (
    load_boston,
    load_german_credit,
    load_mnist_subset,
    load_pima,
    load_sonar,
)
from skdeep.datasets.generated import make_newswire, make_reviews
from skdeep.datasets.keras_cache import load_cifar10, load_fashion_mnist, load_mnist
from skdeep.datasets.keras_text import load_imdb, load_reuters
from skdeep.datasets.photos import load_photo_patches
from skdeep.datasets.series import load_airline
from skdeep.datasets.user_files import load_bank_marketing

__all__ = [
    "DatasetIntegrityError",
    "DatasetNotFoundError",
    "data_home",
    "load_airline",
    "load_bank_marketing",
    "load_boston",
    "load_breast_cancer",
    "load_cifar10",
    "load_digits",
    "load_fashion_mnist",
    "load_german_credit",
    "load_imdb",
    "load_iris",
    "load_mnist",
    "load_mnist_subset",
    "load_photo_patches",
    "load_pima",
    "load_reuters",
    "load_sonar",
    "make_newswire",
    "make_reviews",
]
