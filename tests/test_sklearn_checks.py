"""scikit-learn's own estimator checks, with every expected failure explained."""

import functools

import pytest
from sklearn.utils.estimator_checks import estimator_checks_generator

from skdeep import KerasClassifier, KerasRegressor
from tests.builders import mlp

_SAMPLE_WEIGHT_REASON = (
    "Minibatch stochastic training is not exactly invariant to replacing a "
    "weight of 2 by a repeated sample: repeated rows change the batches and "
    "the number of gradient steps."
)

#: The complete list of checks that fail, per estimator, with the reason.
EXPECTED_FAILED_CHECKS = {
    "check_sample_weight_equivalence_on_dense_data": _SAMPLE_WEIGHT_REASON,
}

# Only declared parameters: builder arguments would be extra attributes, which
# check_no_attributes_set_in_init rightly reports.
ESTIMATORS = [
    KerasClassifier(mlp, optimizer="adam", epochs=30, batch_size=16, random_state=0),
    KerasRegressor(mlp, optimizer="adam", epochs=30, batch_size=16, random_state=0),
]


def _check_name(check):
    return check.func.__name__ if isinstance(check, functools.partial) else check.__name__


# Test ids are built from class and check names: the default ids contain the
# builder's memory address, which differs between pytest-xdist workers.
def _cases():
    for estimator in ESTIMATORS:
        for item in estimator_checks_generator(
            estimator, expected_failed_checks=EXPECTED_FAILED_CHECKS, mark="xfail"
        ):
            # Expected failures come as pytest.param(...) with an xfail mark.
            (est, check), marks = (
                (item.values, item.marks) if hasattr(item, "marks") else (item, ())
            )
            yield pytest.param(
                est, check, marks=marks, id=f"{type(est).__name__}-{_check_name(check)}"
            )


CASES = list(_cases())


@pytest.mark.parametrize(("estimator", "check"), CASES)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
