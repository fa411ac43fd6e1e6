"""One fit across two devices: distribution="data_parallel" on 2 logical CPU devices.

Each case runs in a fresh process, since a backend's devices are fixed when
it starts (XLA's host device count on JAX, logical devices on TensorFlow).
"""

import json
import subprocess
import sys

import pytest

_SCRIPT = """
import os, sys
backend = sys.argv[1]
os.environ["KERAS_BACKEND"] = backend
if backend == "jax":
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
else:
    import tensorflow as tf
    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
import json, pickle
import numpy as np
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler
from skdeep import KerasClassifier

X, y = load_iris(return_X_y=True)
X = StandardScaler().fit_transform(X).astype("float32")
order = np.random.RandomState(0).permutation(len(y))
X, y = X[order], y[order]
clf = KerasClassifier("mlp", distribution="data_parallel", epochs=40, batch_size=16,
                      learning_rate=0.01, validation_fraction=0.2, random_state=0)
clf.fit(X[:131], y[:131])  # 104 training rows: the last batch is not full
kernel = clf.model_.trainable_variables[0].value
if backend == "jax":
    placed = len(kernel.sharding.device_set)
else:
    placed = len(getattr(kernel, "values", [kernel]))
again = pickle.loads(pickle.dumps(clf))
report = {
    "devices": placed,
    "accuracy": clf.score(X[131:], y[131:]),
    "validation": "val_loss" in clf.history_,
    "pickled_same": bool(np.allclose(again.predict_proba(X), clf.predict_proba(X), atol=1e-6)),
    "odd_rows": clf.predict(X[:3]).shape[0],
}
try:
    KerasClassifier("mlp", distribution="data_parallel", epochs=1, batch_size=15).fit(X, y)
    report["odd_batch"] = "accepted"
except ValueError as error:
    report["odd_batch"] = str(error)
print(json.dumps(report))
"""


def _run(backend):
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, backend], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "backend",
    ["jax", pytest.param("tensorflow", marks=pytest.mark.slow)],  # TF: over a minute
)
def test_data_parallel_trains_one_model_replicated_on_two_devices(backend):
    pytest.importorskip(backend)
    report = _run(backend)
    assert report["devices"] == 2  # the weights live on both devices
    assert report["accuracy"] > 0.8  # 19 held-out flowers; chance is 0.33
    assert report["validation"] and report["pickled_same"] and report["odd_rows"] == 3
    assert "batch_size must be a multiple of 2" in report["odd_batch"]


def test_an_unknown_distribution_is_a_clear_error(iris):
    from skdeep import KerasClassifier

    X, y = iris
    with pytest.raises(ValueError, match="Invalid distribution='gpus'.*'data_parallel'"):
        KerasClassifier("mlp", distribution="gpus").fit(X, y)
