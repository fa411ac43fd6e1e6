"""``keep_best``, ``checkpoint_path`` and ``backup_dir``: Keras' own callbacks, made safe.

* ``keep_best="val_accuracy"`` ends a fit with the weights of its best epoch
  (Keras' ``EarlyStopping`` with ``restore_best_weights``, never stopping).
* ``checkpoint_path="best.keras"`` writes the model with Keras'
  ``ModelCheckpoint`` every epoch, or only when ``keep_best``'s metric
  improves, through a temporary file and a rename, so that a crash while
  writing never destroys the previous checkpoint.
* ``backup_dir="run"`` keeps Keras' ``BackupAndRestore`` state (weights,
  optimizer, epoch; two generations, so a crash while writing falls back to
  the previous one) plus the history and the seed of the fit, in
  ``backup_dir/skdeep-backup``. A fit that dies is resumed by calling
  ``fit`` again with the same ``backup_dir``; it ends with the weights an
  uninterrupted fit would have. The folder is removed when a fit completes.
"""

import json
import os
from pathlib import Path

import keras
import numpy as np

from skdeep._atomic import atomic_write

_BACKUP = "skdeep-backup"
_STATE = "skdeep-fit.json"


def callbacks(estimator, validated):
    """The callbacks the estimator's checkpoint parameters ask for."""
    found = []
    monitor = estimator.keep_best
    if monitor is not None:
        _check_monitor(monitor, validated)
        found.append(_MonitorCheck(monitor))
        found.append(
            keras.callbacks.EarlyStopping(
                monitor=monitor, patience=2**31 - 1, restore_best_weights=True
            )
        )
    if estimator.checkpoint_path is not None:
        found.append(_atomic_checkpoint(estimator.checkpoint_path, monitor))
    if estimator.backup_dir is not None:
        folder = backup_folder(estimator)
        found.append(keras.callbacks.BackupAndRestore(str(folder), double_checkpoint=True))
    return found


def backup_folder(estimator):
    """Where the backup of a resumable fit lives, or None."""
    if estimator.backup_dir is None:
        return None
    return Path(estimator.backup_dir).expanduser() / _BACKUP


def resumed_state(estimator, seed):
    """``(history, seed)`` to start a fresh fit with.

    With ``backup_dir`` holding an interrupted fit: that fit's history and
    seed, so that it continues as if it had never stopped. Otherwise an
    empty history and ``seed`` (a fresh one when a resumable fit has none).
    """
    folder = backup_folder(estimator)
    if folder is None:
        return {}, seed
    path = folder / _STATE
    if path.is_file() and (folder / "training_metadata.json").is_file():
        state = json.loads(path.read_text())
        return state["history"], state["seed"]
    if seed is None:
        seed = int(np.random.default_rng().integers(2**31 - 1))
    return {}, seed


class FitState(keras.callbacks.Callback):
    """Writes the history so far and the seed of the fit next to Keras' backup."""

    def __init__(self, folder, history, seed):
        super().__init__()
        self.folder, self.seed = Path(folder), seed
        self.history = {key: list(values) for key, values in history.items()}

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.folder / _STATE, "w") as file:
            json.dump({"history": self.history, "seed": self.seed}, file)


def _check_monitor(monitor, validated):
    if not isinstance(monitor, str) or not monitor:
        raise ValueError(
            f"Invalid keep_best={monitor!r}: expected the name of a logged quantity such as "
            "'val_loss' or 'val_accuracy' (with metrics=['accuracy'])."
        )
    if monitor.startswith("val_") and not validated:
        raise ValueError(
            f"keep_best={monitor!r} monitors a validation metric, but the fit has no "
            "validation data. Set validation_fraction (or validation_split), pass "
            "validation_data, or monitor a training quantity such as 'loss'."
        )


class _MonitorCheck(keras.callbacks.Callback):
    """Fail after the first epoch when the monitored quantity is never logged."""

    def __init__(self, monitor):
        super().__init__()
        self.monitor = monitor

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None and self.monitor not in logs:
            raise ValueError(
                f"keep_best={self.monitor!r} is not among the quantities the fit logs "
                f"({', '.join(sorted(logs))}). Add the metric (metrics=['accuracy'] logs "
                "'accuracy' and 'val_accuracy') or monitor one of those."
            )


def _atomic_checkpoint(path, monitor):
    path = Path(path).expanduser()
    temporary = path.with_name(f".{path.name}.writing{''.join(path.suffixes)}")

    class AtomicModelCheckpoint(keras.callbacks.ModelCheckpoint):
        """Keras' ModelCheckpoint, writing beside the target and renaming over it."""

        def on_epoch_end(self, epoch, logs=None):
            super().on_epoch_end(epoch, logs)
            if temporary.exists():
                with open(temporary, "rb+") as file:
                    os.fsync(file.fileno())
                os.replace(temporary, path)

    weights_only = path.name.endswith(".weights.h5")
    return AtomicModelCheckpoint(
        str(temporary),
        monitor=monitor or "loss",
        save_best_only=monitor is not None,
        save_weights_only=weights_only,
    )
