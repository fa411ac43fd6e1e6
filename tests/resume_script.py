"""A fit run in a subprocess by tests/test_resume.py, killed (SIGKILL) at a chosen point.

Usage: python resume_script.py '<json scenario>'. The scenario names the
estimator's parameters, the backup folder, where to write the result, and
where to die: ``{"kill": "mid-epoch", "epoch": 3}`` in the middle of an
epoch; ``{"kill": "before-rename", "write": 4}`` after the 4th backup is
written to its temporary file and synced, before it replaces the previous
one; ``{"kill": "after-rename", "write": 4}`` just after; ``{"kill":
"before-cleanup"}`` once training is over, before the backup is removed.
"""

import json
import os
import shutil
import signal
import sys

import keras
import numpy as np
from sklearn.datasets import load_iris
from sklearn.preprocessing import StandardScaler

from skdeep import KerasClassifier


def die():
    os.kill(os.getpid(), signal.SIGKILL)  # a crash: nothing gets cleaned up


class KillMidEpoch(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch, self.current = epoch, None

    def on_epoch_begin(self, epoch, logs=None):
        self.current = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.current == self.epoch and batch == 2:
            die()


def kill_at_backup_write(number, after):
    real, count = os.replace, [0]

    def replace(source, destination, *args, **kwargs):
        if not str(destination).endswith("state.npz"):
            return real(source, destination, *args, **kwargs)
        count[0] += 1
        if count[0] == number and not after:
            die()
        result = real(source, destination, *args, **kwargs)
        if count[0] == number and after:
            die()
        return result

    os.replace = replace


def kill_before_cleanup():
    real = shutil.rmtree

    def rmtree(path, *args, **kwargs):
        if str(path).endswith("skdeep-backup"):
            die()
        return real(path, *args, **kwargs)

    shutil.rmtree = rmtree


def main(scenario):
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X).astype("float32")
    kill, callbacks = scenario.get("kill"), None
    if kill == "mid-epoch":
        callbacks = [KillMidEpoch(scenario["epoch"])]
    elif kill in ("before-rename", "after-rename"):
        kill_at_backup_write(scenario["write"], after=kill == "after-rename")
    elif kill == "before-cleanup":
        kill_before_cleanup()
    clf = KerasClassifier(
        "mlp", backup_dir=scenario["backup"], callbacks=callbacks, **scenario["params"]
    )
    clf.fit(X, y)
    np.savez(scenario["out"], *clf.model_.get_weights())
    with open(scenario["out"] + ".json", "w") as file:
        json.dump({"n_iter": clf.n_iter_, "history": clf.history_}, file)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
