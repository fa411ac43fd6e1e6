"""backup_dir: a fit killed at any point resumes to exactly the uninterrupted result.

Fault injection with real processes: ``tests/resume_script.py`` fits in a
subprocess that kills itself with SIGKILL at a chosen point (mid-epoch,
after a backup is written and before it replaces the previous one, right
after, after the last epoch and before the backup is removed, twice). The
fit is then run again to completion with the same ``backup_dir``, and its
weights and history must equal, bit for bit, those of the same fit never
interrupted. On TensorFlow and JAX. Then the ways a backup can be misused:
other settings, other data, damage, a folder in use.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import keras
import numpy as np
import pytest

from skdeep import KerasClassifier
from skdeep._fit.resume import FOLDER, STATE, Backup, BackupMismatchError

SCRIPT = Path(__file__).with_name("resume_script.py")
ROOT = Path(__file__).parents[1]
BASE = dict(hidden_layer_sizes=(16,), epochs=8, batch_size=16, optimizer="adam", random_state=0)
PARAMS = {
    "plain": BASE,
    "dropout": {**BASE, "dropout": 0.3},
    "keep-best": {**BASE, "dropout": 0.3, "validation_fraction": 0.2, "keep_best": "val_loss"},
    "early-stopping": {
        **BASE,
        "epochs": 30,
        "learning_rate": 0.3,
        "early_stopping": True,
        "n_iter_no_change": 2,
        "validation_split": 0.2,
    },
}
#: name -> (parameters, the kills before the run that completes)
SCENARIOS = {
    "mid-epoch": ("plain", [{"kill": "mid-epoch", "epoch": 3}]),
    "mid-epoch-dropout": ("dropout", [{"kill": "mid-epoch", "epoch": 3}]),
    "written-not-renamed": ("dropout", [{"kill": "before-rename", "write": 4}]),
    "renamed-before-next-epoch": ("dropout", [{"kill": "after-rename", "write": 4}]),
    "first-backup-not-renamed": ("dropout", [{"kill": "before-rename", "write": 1}]),
    "before-cleanup": ("dropout", [{"kill": "before-cleanup"}]),
    "killed-twice": (
        "dropout",
        [{"kill": "mid-epoch", "epoch": 2}, {"kill": "after-rename", "write": 3}],
    ),
    "keep-best": ("keep-best", [{"kill": "after-rename", "write": 5}]),
    "early-stopping": ("early-stopping", [{"kill": "mid-epoch", "epoch": 2}]),
}
QUICK = ("mid-epoch-dropout",)


def _run(scenario, backend):
    env = {**os.environ, "KERAS_BACKEND": backend, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), json.dumps(scenario)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The result of each parameter set's fit, never killed, per backend (computed once)."""
    found = {}

    def result(name, backend):
        if (name, backend) not in found:
            folder = tmp_path_factory.mktemp(f"straight-{name}-{backend}")
            out = str(folder / "straight.npz")
            run = _run({"params": PARAMS[name], "backup": str(folder / "b"), "out": out}, backend)
            assert run.returncode == 0, run.stderr[-3000:]
            found[name, backend] = _load(out)
        return found[name, backend]

    return result


def _load(out):
    weights = np.load(out)
    return [weights[k] for k in weights.files], json.loads(Path(out + ".json").read_text())


def _cases():
    return list(_case_params())


def _case_params():
    for name in SCENARIOS:
        for backend in ("tensorflow", "jax"):
            marks = () if name in QUICK else (pytest.mark.slow,)
            yield pytest.param(name, backend, marks=marks, id=f"{name}-{backend}")


@pytest.mark.parametrize(("name", "backend"), _cases())
def test_a_fit_killed_at_a_write_point_resumes_to_the_uninterrupted_result(
    tmp_path, uninterrupted, name, backend
):
    pytest.importorskip(backend)
    params_name, kills = SCENARIOS[name]
    backup = tmp_path / "run"
    for kill in kills:
        scenario = {"params": PARAMS[params_name], "backup": str(backup), "out": "-", **kill}
        killed = _run(scenario, backend)
        assert killed.returncode == -9, killed.stderr[-3000:]  # SIGKILL at that point
        assert (backup / FOLDER).is_dir()
    out = str(tmp_path / "resumed.npz")
    resumed = _run({"params": PARAMS[params_name], "backup": str(backup), "out": out}, backend)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    weights, record = _load(out)
    expected_weights, expected = uninterrupted(params_name, backend)
    for mine, theirs in zip(weights, expected_weights, strict=True):
        np.testing.assert_array_equal(mine, theirs)
    assert record == expected  # the same n_iter_ and the same history, every value
    assert not (backup / FOLDER).exists()  # removed once the fit completed
    assert backup.is_dir()  # the user's folder itself stays


# ---------------------------------------------------------------------------
# A backup that does not belong to this fit


class StopAt(keras.callbacks.Callback):
    """Interrupts the fit (Ctrl-C) at the start of epoch ``epoch``, leaving its backup."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def _classifier(backup, **params):
    return KerasClassifier("mlp", backup_dir=str(backup), **{**BASE, "epochs": 6, **params})


@pytest.fixture
def interrupted(iris, tmp_path):
    """A backup_dir holding a fit of iris interrupted after 3 epochs."""
    X, y = iris
    backup = tmp_path / "run"
    with pytest.raises(KeyboardInterrupt):
        _classifier(backup, callbacks=[StopAt(3)]).fit(X, y)
    assert (backup / FOLDER / STATE).is_file()
    return backup


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (dict(random_state=1), "random_state"),
        (dict(batch_size=8), "batch_size"),
        (dict(optimizer="sgd"), "optimizer"),
        (dict(hidden_layer_sizes=(8,)), "hidden_layer_sizes"),
        (dict(shuffle=False), "shuffle"),
    ],
)
def test_resuming_with_other_settings_is_an_error_naming_both_values(
    iris, interrupted, change, named
):
    X, y = iris
    clf = _classifier(interrupted, **change)
    with pytest.raises(BackupMismatchError, match=rf"{named}=.*but this fit has {named}="):
        clf.fit(X, y)
    assert not clf.initialized_ and (interrupted / FOLDER / STATE).is_file()


@pytest.mark.parametrize("data", ["other-rows", "other-features", "other-classes"])
def test_resuming_on_other_data_is_an_error(iris, interrupted, data):
    X, y = iris
    if data == "other-rows":
        X = X[::-1].copy()
    elif data == "other-features":
        X = X[:, :3]
    else:
        y = np.where(y == 2, 1, y)
    with pytest.raises(BackupMismatchError, match=rf"{interrupted}.*data="):
        _classifier(interrupted).fit(X, y)


def test_resuming_with_fewer_epochs_than_the_backup_reached_is_an_error(iris, interrupted):
    X, y = iris
    with pytest.raises(BackupMismatchError, match="trained 3 epochs, more than .*epochs=2"):
        _classifier(interrupted, epochs=2).fit(*iris)
    clf = _classifier(interrupted, epochs=3).fit(X, y)  # exactly as many: nothing left to do
    assert clf.n_iter_ == 3 and not (interrupted / FOLDER).exists()


def test_a_damaged_backup_is_an_error_and_a_removed_one_a_fresh_start(iris, interrupted):
    X, y = iris
    state = interrupted / FOLDER / STATE
    data = state.read_bytes()
    state.write_bytes(data[: len(data) // 2])
    with pytest.raises(BackupMismatchError, match="cannot be read.*Remove the folder"):
        _classifier(interrupted).fit(X, y)
    state.unlink()
    assert _classifier(interrupted).fit(X, y).n_iter_ == 6


def test_a_backup_claiming_an_absurd_epoch_is_refused(iris, interrupted):
    X, y = iris
    state = interrupted / FOLDER / STATE
    with np.load(state) as archive:
        arrays = {name: archive[name] for name in archive.files}
    meta = json.loads(bytes(arrays["state"]).decode())
    meta["epoch"] = 10**9
    arrays["state"] = np.frombuffer(json.dumps(meta).encode(), np.uint8)
    np.savez(state.with_suffix(""), **arrays)  # written as an attacker would, by hand
    with pytest.raises(BackupMismatchError, match="trained 1000000000 epochs"):
        _classifier(interrupted).fit(X, y)


def test_a_backup_dir_in_use_by_a_running_fit_is_refused(iris, tmp_path):
    X, y = iris
    running = Backup(tmp_path / FOLDER, seed=0)  # another fit holds the folder
    try:
        with pytest.raises(BackupMismatchError, match="in use by another fit"):
            _classifier(tmp_path).fit(X, y)
    finally:
        running.release()
    _classifier(tmp_path).fit(X, y)  # free again once that fit ends


def test_a_backup_left_by_an_older_skdeep_is_refused_with_advice(iris, tmp_path):
    (tmp_path / FOLDER).mkdir()
    (tmp_path / FOLDER / "training_metadata.json").write_text("{}")
    with pytest.raises(BackupMismatchError, match="older skdeep.*Remove the folder"):
        _classifier(tmp_path).fit(*iris)


@pytest.mark.parametrize("path", ["model.h5", "model", "model.weights.keras.txt"])
def test_a_checkpoint_path_in_no_format_keras_names_is_refused(iris, tmp_path, path):
    clf = KerasClassifier("mlp", epochs=1, checkpoint_path=str(tmp_path / path))
    with pytest.raises(ValueError, match=r"ending in \.keras.*\.weights\.h5"):
        clf.fit(*iris)
    assert list(tmp_path.iterdir()) == []


def test_backup_dir_with_steps_per_epoch_or_batches_is_refused(iris, tmp_path):
    X, y = iris
    with pytest.raises(ValueError, match="backup_dir cannot be combined with steps_per_epoch"):
        _classifier(tmp_path, fit__steps_per_epoch=2).fit(X, y)

    class Batches(keras.utils.PyDataset):
        def __len__(self):
            return 2

        def __getitem__(self, index):
            return X[index * 75 : (index + 1) * 75], y[index * 75 : (index + 1) * 75]

    with pytest.raises(ValueError, match="backup_dir cannot be used when fitting from a PyD"):
        _classifier(tmp_path).fit(Batches())
