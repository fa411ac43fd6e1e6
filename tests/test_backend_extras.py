"""skdeep installs no backend: the extras do, and a missing one is a clear error.

Each test runs a fresh Python in which some backends cannot be imported, as
in an environment where they were never installed (the import system
answers "no module named ..." for them); CI also installs the wheel with
only the ``[jax]`` extra into a clean environment (``.ci/run``).
"""

import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest

needs_jax = pytest.mark.skipif(
    importlib.util.find_spec("jax") is None, reason="needs the jax extra"
)

#: Run first in the child: the named top-level modules cannot be imported.
_HIDE = """
import importlib.abc, sys
class _NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None
sys.meta_path.insert(0, _NotInstalled())
"""


def _run(code, hidden, tmp_path, **env):
    environ = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    environ.update(KERAS_HOME=str(tmp_path), **env)
    script = f"HIDDEN = {set(hidden)!r}\n{_HIDE}\n{textwrap.dedent(code)}"
    return subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp_path,
        timeout=300,
    )


def test_without_the_default_backend_import_names_the_extras_and_the_installed_ones(tmp_path):
    result = _run(
        """
        try:
            import skdeep
        except ImportError as error:
            print(type(error).__name__, "|", error)
        """,
        {"tensorflow"},
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    name, message = result.stdout.strip().split(" | ")
    assert name == "BackendNotInstalledError"
    assert "'tensorflow'" in message and "tensorflow is not installed" in message
    assert 'pip install "scikit-deep[tensorflow]"' in message
    assert "scikit-deep[jax]" in message and "scikit-deep[torch]" in message
    assert "KERAS_BACKEND=jax" in message  # jax is installed here: the way out


def test_no_backend_at_all_names_only_the_extras(tmp_path):
    result = _run("import skdeep", {"tensorflow", "jax", "torch"}, tmp_path, KERAS_BACKEND="jax")
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("skdeep.exceptions.BackendNotInstalledError: Keras' backend here is")
    assert "from KERAS_BACKEND" in last and 'pip install "scikit-deep[jax]"' in last
    assert "installed here" not in last


def test_the_backend_of_keras_json_is_the_one_checked(tmp_path):
    (tmp_path / "keras.json").write_text(json.dumps({"backend": "torch"}))
    result = _run("import skdeep", {"torch"}, tmp_path)
    assert "keras.json" in result.stderr and 'pip install "scikit-deep[torch]"' in result.stderr


@needs_jax
def test_a_jax_only_environment_fits_saves_and_loads(tmp_path):
    result = _run(
        """
        import numpy as np
        import skdeep
        from sklearn.datasets import load_iris
        X, y = load_iris(return_X_y=True)
        clf = skdeep.KerasClassifier("mlp", hidden_layer_sizes=(8,), epochs=3, random_state=0)
        clf.fit(X, y)
        skdeep.save(clf, "iris.skdeep")
        again = skdeep.load("iris.skdeep")
        np.testing.assert_array_equal(again.predict(X), clf.predict(X))
        import keras
        print(keras.backend.backend(), "tensorflow" in sys.modules)
        """,
        {"tensorflow"},
        tmp_path,
        KERAS_BACKEND="jax",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["jax", "False"]


@needs_jax
def test_a_savedmodel_export_without_tensorflow_names_the_extra(tmp_path):
    result = _run(
        """
        import skdeep
        from sklearn.datasets import load_iris
        X, y = load_iris(return_X_y=True)
        clf = skdeep.KerasClassifier("mlp", hidden_layer_sizes=(4,), epochs=1).fit(X, y)
        try:
            skdeep.export(clf, "served")
        except ImportError as error:
            print(type(error).__name__, "|", error)
        """,
        {"tensorflow"},
        tmp_path,
        KERAS_BACKEND="jax",
    )
    assert result.returncode == 0, result.stderr
    name, message = result.stdout.strip().splitlines()[-1].split(" | ")
    assert name == "BackendNotInstalledError"
    assert "SavedModel" in message and 'pip install "scikit-deep[tensorflow]"' in message
    assert not (tmp_path / "served").exists()
