"""keep_best, checkpoint_path and backup_dir: best weights, checkpoints, resuming a killed fit."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier


class _RecordEpochs(keras.callbacks.Callback):
    """Weights and logs at the end of every epoch."""

    def __init__(self):
        super().__init__()
        self.weights, self.logs = [], []

    def on_epoch_end(self, epoch, logs=None):
        self.weights.append([w.copy() for w in self.model.get_weights()])
        self.logs.append(dict(logs))


def _classifier(**params):
    defaults = dict(
        model="mlp",
        hidden_layer_sizes=(8,),
        epochs=8,
        batch_size=16,
        optimizer="sgd",
        learning_rate=0.5,  # large: the validation accuracy goes up and down
        metrics=["accuracy"],
        validation_fraction=0.3,
        random_state=0,
    )
    return KerasClassifier(**{**defaults, **params})


def test_keep_best_ends_with_the_weights_of_the_best_epoch(iris, tmp_path):
    X, y = iris
    record = _RecordEpochs()
    clf = _classifier(keep_best="val_loss", callbacks=[record]).fit(X, y)
    losses = [logs["val_loss"] for logs in record.logs]
    best = int(np.argmin(losses))
    for mine, kept in zip(clf.model_.get_weights(), record.weights[best], strict=True):
        np.testing.assert_array_equal(mine, kept)
    assert best != len(losses) - 1 or losses[-1] == min(losses)


def test_checkpoint_path_keeps_the_best_model_in_a_loadable_file(iris, tmp_path):
    X, y = iris
    path = tmp_path / "best.keras"
    clf = _classifier(keep_best="val_accuracy", checkpoint_path=str(path)).fit(X, y)
    saved = keras.saving.load_model(path)
    np.testing.assert_allclose(
        saved.predict_on_batch(X.astype("float32")),
        clf.model_.predict_on_batch(X.astype("float32")),
        rtol=1e-6,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.keras"]  # no temporary left


def test_checkpoint_path_without_keep_best_writes_the_last_epoch(iris, tmp_path):
    X, y = iris
    path = tmp_path / "last.weights.h5"
    clf = _classifier(checkpoint_path=str(path), epochs=2).fit(X, y)
    copy = keras.models.clone_model(clf.model_)
    copy.load_weights(path)
    for a, b in zip(copy.get_weights(), clf.model_.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(keep_best="val_loss", validation_fraction=None), "no validation data"),
        (dict(keep_best="val_auc"), "not among the quantities"),
    ],
)
def test_keep_best_on_a_quantity_the_fit_does_not_log_is_an_error(iris, params, message):
    X, y = iris
    clf = _classifier(**params)
    with pytest.raises(ValueError, match=message):
        clf.fit(X, y)
    assert not clf.initialized_


_FIT = """
import os, signal, sys, json
import keras, numpy as np
from sklearn.datasets import load_iris
from skdeep import KerasClassifier

class Kill(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch
    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch
    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch == 2:
            os.kill(os.getpid(), signal.SIGKILL)  # a crash: nothing gets cleaned up

X, y = load_iris(return_X_y=True)
kill_at, backup, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
clf = KerasClassifier(
    "mlp", hidden_layer_sizes=(8,), epochs=6, batch_size=16, optimizer="adam",
    random_state=int(sys.argv[4]) if sys.argv[4] != "none" else None,
    backup_dir=backup if backup != "none" else None,
    callbacks=[Kill(kill_at)] if kill_at >= 0 else None,
)
clf.fit(X, y)
np.savez(out, *clf.model_.get_weights())
json.dump({"n_iter": clf.n_iter_, "loss": clf.history_["loss"]}, open(out + ".json", "w"))
"""


def _run(tmp_path, kill_at, backup, out, seed, backend):
    script = tmp_path / "fit.py"
    script.write_text(_FIT)
    env = {**os.environ, "KERAS_BACKEND": backend}
    return subprocess.run(
        [sys.executable, str(script), str(kill_at), str(backup), str(out), str(seed)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.mark.parametrize("backend", ["tensorflow", "jax"])
def test_a_killed_fit_resumes_and_ends_with_the_uninterrupted_weights(tmp_path, backend):
    pytest.importorskip(backend)
    backup = tmp_path / "run"
    killed = _run(tmp_path, 3, backup, tmp_path / "never", 0, backend)
    assert killed.returncode == -9, killed.stderr[-2000:]  # SIGKILL, mid-epoch
    assert (backup / "skdeep-backup").is_dir()
    resumed = _run(tmp_path, -1, backup, tmp_path / "resumed.npz", 0, backend)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    # The same fit, never interrupted (backup_dir decides how batches are drawn).
    straight = _run(tmp_path, -1, tmp_path / "other", tmp_path / "straight.npz", 0, backend)
    assert straight.returncode == 0, straight.stderr[-2000:]
    a, b = np.load(tmp_path / "resumed.npz"), np.load(tmp_path / "straight.npz")
    for key in a.files:
        np.testing.assert_allclose(a[key], b[key], rtol=1e-5, atol=1e-6)
    history = json.loads((tmp_path / "resumed.npz.json").read_text())
    assert history["n_iter"] == 6 and len(history["loss"]) == 6
    assert not (backup / "skdeep-backup").exists()  # removed once the fit completed
    assert backup.is_dir()  # the user's folder itself stays
