"""Data sets for the documented tasks: real data bundled with the package."""

from skdeep.datasets.bundled import (
    load_boston,
    load_german_credit,
    load_mnist_subset,
    load_pima,
    load_sonar,
)

__all__ = ["load_boston", "load_german_credit", "load_mnist_subset", "load_pima", "load_sonar"]
