"""``keep_best`` and ``checkpoint_path``: the callbacks that keep or write a fit's best epoch.

``keep_best="val_accuracy"`` ends a fit with the weights of its best epoch
(Keras' ``EarlyStopping`` with ``restore_best_weights``, never stopping);
``checkpoint_path="best.keras"`` writes the model with Keras'
``ModelCheckpoint`` every epoch, or only when ``keep_best``'s metric
improves, through a temporary file and a rename, so that a crash while
writing never destroys the previous checkpoint. Imported by
:mod:`skdeep._fit.training` only for a fit that sets one of them.
"""

import os

import keras

from skdeep._atomic import target


def best_epoch_callbacks(monitor, checkpoint_path, plan):
    """The callbacks of ``keep_best=monitor`` and ``checkpoint_path`` (either may be None)."""
    found = []
    if monitor is not None:
        _check_monitor(monitor, plan.validated)
        found.append(MonitorCheck(monitor))
        found.append(
            keras.callbacks.EarlyStopping(
                monitor=monitor, patience=2**31 - 1, restore_best_weights=True
            )
        )
    if checkpoint_path is not None:
        found.append(_atomic_checkpoint(checkpoint_path, monitor))
    return found


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


class MonitorCheck(keras.callbacks.Callback):
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
    if not str(path).endswith((".keras", ".weights.h5")):
        raise ValueError(
            f"Invalid checkpoint_path={str(path)!r}: expected a file name ending in .keras "
            "(the whole model, loadable with keras.saving.load_model) or .weights.h5 (the "
            "weights only, loadable with model.load_weights)."
        )
    path = target(path, "checkpoint_path")
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
