"""The package as a whole: no side effects on import, backend independence, the command."""

import ast
import os
import subprocess
import sys
from pathlib import Path


def _python(code, **env):
    return _python_in(code, {**os.environ, **env})


def _python_in(code, env):
    """Run ``code`` in a fresh interpreter with exactly the environment ``env``."""
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
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


def _imported_modules(path):
    """Every module an ``import`` or ``from ... import`` statement of ``path`` names."""
    tree = ast.parse(Path(path).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module


def test_library_code_imports_only_keras_not_tensorflow():
    root = Path(__file__).resolve().parent.parent / "skdeep"
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.relative_to(root).as_posix() != "_framework/tensorflow.py"
        and any(m.split(".")[0] == "tensorflow" for m in _imported_modules(path))
    ]
    assert offenders == []


def test_the_tensorflow_import_check_finds_both_import_forms(tmp_path):
    (tmp_path / "a.py").write_text("import tensorflow as tf\n")
    (tmp_path / "b.py").write_text("def f():\n    from tensorflow.python import ops\n")
    assert list(_imported_modules(tmp_path / "a.py")) == ["tensorflow"]
    assert list(_imported_modules(tmp_path / "b.py")) == ["tensorflow.python"]


_KERAS_STATE = (
    "import keras, json; from keras.src.backend.common import global_state; "
    "state = lambda: json.dumps([keras.config.floatx(), keras.config.backend(), "
    "keras.config.dtype_policy().name, keras.config.image_data_format(), "
    "keras.config.epsilon(), sorted(vars(keras.Model)), sorted(vars(keras.layers.Layer)), "
    "repr(global_state.get_global_attribute('global_seed_generator')), "
    "sorted(k for k in keras.saving.get_custom_objects() if not k.startswith('skdeep>'))]); "
    "before = state(); "
    "import skdeep, skdeep.estimators, skdeep.models, skdeep.preprocessing, "
    "skdeep.datasets, skdeep.tasks, skdeep.cli; from skdeep import KerasClassifier; "
    "print(before == state(), sorted(keras.saving.get_custom_objects()))"
)


def test_importing_skdeep_changes_no_keras_state():
    result = _python(_KERAS_STATE)
    assert result.returncode == 0, result.stderr[-2000:]
    same, registered = result.stdout.split(" ", 1)
    assert same == "True"
    assert "skdeep>EpochDecay" in registered  # the subpackages were imported


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
    limited = _python_in(
        _THREADS_CODE, {**env, "OMP_NUM_THREADS": "1", "KERAS_BACKEND": "tensorflow"}
    )
    assert limited.stdout.split() == ["1", "1"], limited.stderr[-2000:]
    free = _python_in(_THREADS_CODE, {**env, "KERAS_BACKEND": "tensorflow"})
    assert free.stdout.split() == ["0", "0"], free.stderr[-2000:]  # TensorFlow's own choice


_NATIVE = "I0000 00:00:1796313306.835195    7571 port.cc:153] oneDNN custom operations are on.\n"


def test_a_script_importing_skdeep_prints_none_of_tensorflows_native_lines():
    env = {k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"}
    code = (
        "import skdeep.estimators, keras; from skdeep.models import mlp; import numpy as np; "
        "skdeep.estimators.KerasRegressor(mlp, epochs=1).fit(np.ones((8, 2)), np.ones(8)); "
        "print(keras.backend.backend())"
    )
    quiet = _python_in(code, env)
    assert quiet.returncode == 0, quiet.stderr[-2000:]
    assert quiet.stderr == ""  # no "oneDNN custom operations", "Could not find cuda drivers"
    asked = _python_in(code, {**env, "TF_CPP_MIN_LOG_LEVEL": "0"})
    assert asked.returncode == 0, asked.stderr[-2000:]
    if asked.stdout.strip() == "tensorflow":  # the user's own level shows them
        assert "port.cc" in asked.stderr or "cudart_stub" in asked.stderr, asked.stderr


def test_output_written_while_the_backend_loads_is_kept_less_native_lines(capfd):
    from skdeep._framework.native_logs import native_lines_filtered

    with native_lines_filtered():
        os.write(2, (_NATIVE + "UserWarning: the user's own warning\n").encode())
    assert capfd.readouterr().err == "UserWarning: the user's own warning\n"
    try:
        with native_lines_filtered():
            os.write(2, _NATIVE.encode())
            raise ImportError("no backend")
    except ImportError:
        pass
    assert capfd.readouterr().err == _NATIVE  # a failed import shows everything
