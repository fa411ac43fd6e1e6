"""The package as a whole: no side effects on import, backend independence, the command."""

import os
import subprocess
import sys


def _python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )


def test_jax_backend_fits_predicts_and_pickles_without_importing_tensorflow():
    # Checked before pickling: Keras' own model.save imports TensorFlow
    # whenever it is installed (serialization_lib's tf.available), on any backend.
    result = _python(
        "import sys, pickle, numpy as np; from skdeep import KerasClassifier; "
        "from skdeep.models import mlp; import skdeep.datasets, skdeep.tasks; "
        "from sklearn.datasets import load_iris; X, y = load_iris(return_X_y=True); "
        "fit = lambda: KerasClassifier(mlp, hidden_layer_sizes=(8,), optimizer='adam', "
        "optimizer__learning_rate=0.05, epochs=20, random_state=0).fit(X, y); "
        "a, b = fit(), fit(); tf_loaded = 'tensorflow' in sys.modules; "
        "c = pickle.loads(pickle.dumps(a)); "
        "print(np.array_equal(a.predict_proba(X), b.predict_proba(X)), "
        "np.array_equal(a.predict_proba(X), c.predict_proba(X)), a.score(X, y) > 0.8, "
        "tf_loaded)",
        KERAS_BACKEND="jax",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["True", "True", "True", "False"]


def test_library_code_imports_only_keras_not_tensorflow():
    root = os.path.join(os.path.dirname(__file__), "..", "skdeep")
    offenders = []
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith(".py") and name != "_tensorflow.py":
                with open(path) as f:
                    if "import tensorflow" in f.read():
                        offenders.append(path)
    assert offenders == []


def test_importing_skdeep_changes_no_keras_state():
    result = _python(
        "import keras; before = (keras.config.floatx(), keras.config.backend(), "
        "keras.utils.get_random_seed() if hasattr(keras.utils, 'get_random_seed') else None, "
        "dict(vars(keras.Model)).keys()); import skdeep; "
        "after = (keras.config.floatx(), keras.config.backend(), "
        "keras.utils.get_random_seed() if hasattr(keras.utils, 'get_random_seed') else None, "
        "dict(vars(keras.Model)).keys()); print(before == after)"
    )
    assert result.stdout.strip() == "True", result.stderr[-2000:]


_THREADS_CODE = (
    "from sklearn.datasets import load_iris; from skdeep import KerasClassifier; "
    "X, y = load_iris(return_X_y=True); "
    "KerasClassifier(model='mlp', hidden_layer_sizes=(4,), epochs=1).fit(X, y); "
    "import tensorflow as tf; t = tf.config.threading; "
    "print(t.get_intra_op_parallelism_threads(), t.get_inter_op_parallelism_threads())"
)


def test_tensorflow_threads_follow_the_share_joblib_gives_a_worker():
    # joblib sets OMP_NUM_THREADS=cpu_count // n_jobs in its worker processes.
    env = {k: v for k, v in os.environ.items() if k != "OMP_NUM_THREADS"}
    limited = subprocess.run(
        [sys.executable, "-c", _THREADS_CODE],
        capture_output=True,
        text=True,
        env={**env, "OMP_NUM_THREADS": "1", "KERAS_BACKEND": "tensorflow"},
        timeout=300,
    )
    assert limited.stdout.split() == ["1", "1"], limited.stderr[-2000:]
    free = subprocess.run(
        [sys.executable, "-c", _THREADS_CODE],
        capture_output=True,
        text=True,
        env={**env, "KERAS_BACKEND": "tensorflow"},
        timeout=300,
    )
    assert free.stdout.split() == ["0", "0"], free.stderr[-2000:]  # TensorFlow's own choice
