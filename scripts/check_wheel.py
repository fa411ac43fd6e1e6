"""Check an installed skdeep wheel as a user meets it: no checkout, one backend.

Run by ``.ci/run`` with the Python of a clean virtual environment into which
only ``scikit-deep[jax]`` was installed (no TensorFlow), from a temporary
folder, so that ``import skdeep`` can only find the installed package::

    cd "$(mktemp -d)" && /path/to/venv/bin/python /path/to/scripts/check_wheel.py

It checks that

1. skdeep comes from the environment's site-packages, not a checkout;
2. without ``KERAS_BACKEND``, Keras' default backend (TensorFlow) is missing
   and ``import skdeep`` says which extra installs one and that JAX is
   installed;
3. on JAX, the ``skdeep`` command lists the tasks and runs one for two
   epochs, and a fit on the bundled Pima data (package data of the wheel),
   ``skdeep.save`` and ``skdeep.load`` give back the same predictions.

Exits non-zero with a message naming what failed.
"""

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

_ENV = {k: v for k, v in os.environ.items() if k not in ("KERAS_BACKEND", "PYTHONPATH")}


def _python(code, **env):
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**_ENV, **env}
    )


def _command(*args):
    skdeep = Path(sys.executable).with_name("skdeep")
    return subprocess.run(
        [str(skdeep), *args], capture_output=True, text=True, env={**_ENV, "KERAS_BACKEND": "jax"}
    )


def _fail(what, result=None):
    detail = "" if result is None else f"\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    sys.exit(f"check_wheel: {what}{detail}")


def main():
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    found = _python("import skdeep; print(skdeep.__file__)", KERAS_BACKEND="jax")
    if found.returncode != 0:
        _fail("import skdeep failed on JAX", found)
    location = Path(found.stdout.strip()).resolve()
    if site not in location.parents:
        _fail(f"skdeep was imported from {location}, not from {site}")

    missing = _python("import skdeep", KERAS_HOME=os.getcwd())
    message = missing.stderr.strip().splitlines()[-1] if missing.stderr.strip() else ""
    if missing.returncode == 0 or "BackendNotInstalledError" not in message:
        _fail("without TensorFlow, import skdeep did not raise BackendNotInstalledError", missing)
    if "scikit-deep[tensorflow]" not in message or "KERAS_BACKEND=jax" not in message:
        _fail(f"the missing-backend error does not name the extra and JAX: {message}")

    listed = _command("list")
    if listed.returncode != 0 or "pima" not in listed.stdout:
        _fail("skdeep list failed or did not list the pima task", listed)
    ran = _command("run", "iris", "--epochs", "2")
    if ran.returncode != 0 or "accuracy" not in ran.stdout:
        _fail("skdeep run iris --epochs 2 failed", ran)

    round_trip = _python(
        """
import numpy as np, skdeep, sys
from skdeep.datasets import load_pima
X, y = load_pima(return_X_y=True)
clf = skdeep.KerasClassifier("mlp", hidden_layer_sizes=(8,), epochs=2, random_state=0)
clf.fit(X, y)
path = skdeep.save(clf, "pima.skdeep")
again = skdeep.load(path)
np.testing.assert_array_equal(again.predict(X), clf.predict(X))
assert "tensorflow" not in sys.modules, "TensorFlow was imported"
print("round trip", len(X))
""",
        KERAS_BACKEND="jax",
    )
    if round_trip.returncode != 0 or "round trip 768" not in round_trip.stdout:
        _fail("fit / skdeep.save / skdeep.load on JAX failed", round_trip)
    print(f"check_wheel: the installed wheel ({location.parent}) works on JAX without TensorFlow")


if __name__ == "__main__":
    main()
