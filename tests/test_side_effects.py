"""What a fit must not do to the caller: random streams, environment, concurrent use."""

import os
import random
import subprocess
import sys
import threading

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier
from tests.builders import mlp


def _draws():
    """One draw from each random stream a caller may use."""
    draws = [random.random(), float(np.random.rand()), float(keras.random.uniform(()))]
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        draws.append(float(tf.random.uniform(())))
    return draws


def _seed_everything():
    random.seed(42)
    np.random.seed(42)
    keras.utils.set_random_seed(42)


def test_a_seeded_fit_leaves_every_random_stream_of_the_caller_where_it_was(iris):
    X, y = iris
    _seed_everything()
    expected = [_draws(), _draws()]
    _seed_everything()
    first = _draws()
    KerasClassifier(mlp, epochs=1, random_state=0).fit(X, y)
    second = _draws()
    assert [first, second] == expected


def test_unseeded_fits_stay_random_after_a_seeded_one(iris):
    X, y = iris
    KerasClassifier(mlp, epochs=1, random_state=0).fit(X, y)
    a = KerasClassifier(mlp, epochs=1).fit(X, y).predict_proba(X)
    b = KerasClassifier(mlp, epochs=1).fit(X, y).predict_proba(X)
    assert not np.array_equal(a, b)


def test_a_seeded_fit_is_reproducible_while_other_threads_draw_random_numbers(iris):
    """As in a Dask worker, whose own threads use Python's random during a fit."""
    X, y = iris

    def fit():
        return KerasClassifier("mlp", epochs=2, random_state=0).fit(X, y).predict_proba(X)

    quiet = fit()
    stop = threading.Event()

    def draw_all_the_time():
        while not stop.is_set():
            random.random()
            np.random.rand()

    thread = threading.Thread(target=draw_all_the_time)
    thread.start()
    try:
        busy = [fit() for _ in range(2)]
    finally:
        stop.set()
        thread.join()
    for probabilities in busy:
        np.testing.assert_array_equal(probabilities, quiet)


def test_concurrent_predictions_from_many_threads_agree(fitted_iris, iris_strings):
    X, _ = iris_strings
    expected = fitted_iris.predict_proba(X)
    results, errors = [None] * 8, []

    def work(index):
        try:
            for _ in range(5):
                results[index] = fitted_iris.predict_proba(X)
        except Exception as error:  # collected, asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for result in results:
        np.testing.assert_allclose(result, expected, rtol=1e-6)


_ENV_CODE = (
    "import os, json; from sklearn.datasets import load_iris; "
    "from skdeep import KerasClassifier; X, y = load_iris(return_X_y=True); "
    "before = dict(os.environ); "
    "KerasClassifier(model='mlp', hidden_layer_sizes=(4,), epochs=1).fit(X, y).predict(X); "
    "after = dict(os.environ); "
    "print(json.dumps({k: after.get(k) for k in set(before) ^ set(after) | "
    "{k for k in before if before[k] != after.get(k)}}))"
)


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_the_main_process_environment_is_left_as_the_user_set_it(backend):
    pytest.importorskip(backend)
    env = {**os.environ, "OMP_NUM_THREADS": "1", "KERAS_BACKEND": backend}
    result = subprocess.run(
        [sys.executable, "-c", _ENV_CODE], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "{}"
