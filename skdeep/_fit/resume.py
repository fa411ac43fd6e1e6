"""``backup_dir``: a killed fit resumes to exactly the result of an uninterrupted one.

At the end of every epoch the whole state of the fit goes into one file,
``backup_dir/skdeep-backup/state.npz``, written atomically (a temporary file
beside it, synced, then renamed over it): every variable of the model (its
weights and the state of its dropout layers' random generators), every
variable of the optimizer (its step count, learning rate and moments), the
state of the fit's ``EarlyStopping`` and ``ReduceLROnPlateau`` callbacks,
the epoch reached, the history so far, the seed of the fit, and a record of
what the fit was made from (its parameters and a fingerprint of its data).
Whatever the moment a process is killed, the file holds the state at the end
of one epoch, and the batches of every epoch are drawn from the seed and the
epoch number, so the resumed fit continues exactly where the killed one was.

A ``backup_dir`` holds one fit at a time: a second fit that uses it while
the first runs is refused (a lock, where the system has one), and resuming
with other parameters, other data, or fewer epochs than the backup reached
is an error naming both values and the folder. The folder is removed when
the fit completes.
"""

import contextlib
import hashlib
import inspect
import io
import json
import shutil
from pathlib import Path

import keras
import numpy as np
from scipy import sparse

from skdeep._atomic import atomic_write
from skdeep.exceptions import BackupMismatchError

FOLDER = "skdeep-backup"
STATE = "state.npz"
_LOCK = "lock"
_FORMAT = 1
#: Parameters that may change between the killed fit and its resumption.
_FREE = ("verbose", "epochs", "backup_dir", "checkpoint_path", "callbacks", "warm_start")
_FREE_PREFIXES = ("callbacks__", "fit__callbacks", "predict__", "score__", "fit__verbose")
#: Keras callbacks whose state between epochs is part of the fit.
_STATEFUL = {
    keras.callbacks.EarlyStopping: ("wait", "stopped_epoch", "best", "best_epoch"),
    keras.callbacks.ReduceLROnPlateau: ("wait", "cooldown_counter", "best"),
}


@contextlib.contextmanager
def session(plan):
    """The backup of a fresh fit with ``backup_dir``, locked for the duration of the fit.

    Yields a :class:`Backup`; the folder is removed when the block completes,
    and kept (for resuming) when it raises.
    """
    backup = Backup(Path(plan.backup_dir).expanduser() / FOLDER, plan.seed)
    try:
        yield backup
    except BaseException:
        backup.release()
        raise
    backup.finish()


class Backup:
    """The backup folder of one fit: what it holds, and the callback that writes it."""

    def __init__(self, folder, seed):
        self.folder = folder
        self.path = folder / STATE
        self._lock = _lock(folder)
        self.saved = self._read()
        if self.saved is not None:
            self.seed = self.saved["seed"]
            if seed is not None and seed != self.seed:
                self.release()
                raise self._mismatch("random_state", self.seed, seed)
        else:
            self.seed = seed if seed is not None else int(np.random.default_rng().integers(2**31))

    def _read(self):
        legacy = [
            n for n in ("training_metadata.json", "skdeep-fit.json") if (self.folder / n).exists()
        ]
        if not self.path.exists():
            if legacy:
                self.release()
                raise BackupMismatchError(
                    f"{self.folder} holds a backup written by an older skdeep ({legacy[0]}), "
                    "which cannot be resumed exactly. Remove the folder to start afresh."
                )
            return None
        try:
            with np.load(self.path, allow_pickle=False) as archive:
                arrays = {name: archive[name] for name in archive.files}
            state = json.loads(bytes(arrays.pop("state")).decode())
            if state.get("format") != _FORMAT:
                raise ValueError(f"format {state.get('format')!r}")
            state["arrays"] = arrays
            for key in ("epoch", "seed"):
                if not isinstance(state.get(key), int) or state[key] < 0:
                    raise ValueError(f"{key}={state.get(key)!r}")
            return state
        except Exception as error:
            self.release()
            raise BackupMismatchError(
                f"The backup in {self.folder} cannot be read ({type(error).__name__}: {error}); "
                "it was damaged outside skdeep. Remove the folder to start the fit afresh."
            ) from error

    def check(self, record, epochs):
        """Refuse to resume a fit made with other settings, other data or more epochs."""
        if self.saved is None:
            return
        saved = self.saved["record"]
        for name in sorted(set(saved) | set(record)):
            if saved.get(name) != record.get(name):
                raise self._mismatch(name, saved.get(name), record.get(name))
        if self.saved["epoch"] > epochs:
            raise BackupMismatchError(
                f"The backup in {self.folder} has trained {self.saved['epoch']} epochs, more "
                f"than this fit's epochs={epochs}. Resume with epochs >= "
                f"{self.saved['epoch']}, or remove the folder to start afresh."
            )

    def _mismatch(self, name, saved, now):
        return BackupMismatchError(
            f"The backup in {self.folder} is of a fit made with {name}={_short(saved)}, but this "
            f"fit has {name}={_short(now)}. Resume with the same settings and data, or remove "
            "the folder (or use another backup_dir) to start afresh."
        )

    @property
    def start(self):
        """The epoch the fit starts at (0 for a new one)."""
        return 0 if self.saved is None else self.saved["epoch"]

    @property
    def history(self):
        """The history of the epochs already trained."""
        return {} if self.saved is None else self.saved["history"]

    @property
    def stopped(self):
        """Whether a callback had ended the backed-up fit (early stopping)."""
        return bool(self.saved and self.saved.get("stopped"))

    def describe(self, estimator, plan, arrays):
        """What this fit is made from (see :func:`record`)."""
        return record(estimator, plan, arrays)

    def writer(self, record, model, callbacks):
        """Restore the backed-up state into ``model`` and ``callbacks``; the writer callback.

        Put the callback last: it saves the state at the end of each epoch,
        after the other callbacks have updated theirs.
        """
        return self.callback(record, callbacks, self.restore(model, callbacks))

    def restore(self, model, callbacks):
        """Put the model, its optimizer and the stateful callbacks as they were at the backup."""
        if self.saved is None:
            return None
        arrays = self.saved["arrays"]
        variables = _variables(model)
        values = [arrays[f"variable_{i}"] for i in range(self.saved["n_variables"])]
        if len(values) != len(variables) or any(
            tuple(v.shape) != a.shape for v, a in zip(variables, values, strict=False)
        ):
            raise BackupMismatchError(
                f"The backup in {self.folder} was made from a model with other variables "
                f"({len(values)} against {len(variables)} now). Resume with the same model "
                "builder, or remove the folder to start afresh."
            )
        for variable, value in zip(variables, values, strict=True):
            variable.assign(value)
        return _CallbackStates(self.saved["callbacks"], arrays, _stateful(callbacks))

    def callback(self, record, callbacks, restored=None):
        """The callback that writes the backup at the end of every epoch (put it last).

        ``restored`` (from :meth:`restore`) is applied to the stateful
        callbacks when training begins, after they reset themselves.
        """
        writer = BackupWriter(self, record, _stateful(callbacks))
        writer.restored = restored
        return writer

    def release(self):
        """Let go of the folder's lock."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def finish(self):
        """The fit completed: remove its backup."""
        self.release()
        shutil.rmtree(self.folder, ignore_errors=True)


class BackupWriter(keras.callbacks.Callback):
    """Writes the whole state of the fit, atomically, at the end of every epoch."""

    def __init__(self, backup, record, stateful):
        super().__init__()
        self.backup, self.record, self.stateful = backup, record, stateful
        self.history = {k: list(v) for k, v in backup.history.items()}
        self.restored = None

    def on_train_begin(self, logs=None):
        # After the other callbacks' own on_train_begin, which reset their state.
        if self.restored is not None:
            self.restored.apply()

    def on_epoch_end(self, epoch, logs=None):
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(float(value))
        variables = _variables(self.model)
        arrays = {f"variable_{i}": _numpy(v) for i, v in enumerate(variables)}
        states = []
        for index, callback in enumerate(self.stateful):
            attributes = {k: _plain(getattr(callback, k, None)) for k in _STATEFUL[type(callback)]}
            best = getattr(callback, "best_weights", None)
            attributes["best_weights"] = None if best is None else len(best)
            for i, weight in enumerate(best or ()):
                arrays[f"callback_{index}_{i}"] = np.asarray(weight)
            states.append(attributes)
        state = {
            "format": _FORMAT,
            "epoch": epoch + 1,
            "seed": self.backup.seed,
            "history": self.history,
            "record": self.record,
            "n_variables": len(variables),
            "callbacks": states,
            "stopped": bool(getattr(self.model, "stop_training", False)),
        }
        arrays["state"] = np.frombuffer(json.dumps(state).encode(), dtype=np.uint8)
        self.backup.folder.mkdir(parents=True, exist_ok=True)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        with atomic_write(self.backup.path) as file:
            file.write(buffer.getvalue())


class _CallbackStates:
    """Saved states of the stateful callbacks, applied when training begins."""

    def __init__(self, states, arrays, stateful):
        self.states, self.arrays, self.stateful = states, arrays, stateful

    def apply(self):
        if len(self.states) != len(self.stateful):
            return
        for index, (callback, state) in enumerate(zip(self.stateful, self.states, strict=True)):
            for key in _STATEFUL[type(callback)]:
                setattr(callback, key, state.get(key))
            count = state.get("best_weights")
            if count is not None:
                callback.best_weights = [self.arrays[f"callback_{index}_{i}"] for i in range(count)]


def record(estimator, plan, arrays):
    """What a fit is made from: its parameters, batch size and a fingerprint of its data.

    Parameters
    ----------
    estimator : BaseKerasEstimator
    plan : FitPlan
        The fit's plan (batch size, shuffling, ``validation_split``).
    arrays : list
        The encoded training (and validation) data.
    """
    options, batch_size = plan.options, plan.batch_size
    params = {
        key: _describe(value)
        for key, value in estimator.get_params(deep=False).items()
        if key not in _FREE and not key.startswith(_FREE_PREFIXES)
    }
    params["batch_size"] = batch_size
    params["shuffle"] = _describe(options.get("shuffle", True))
    params["validation_split"] = _describe(options.get("validation_split") or 0.0)
    params["data"] = fingerprint(arrays)
    return params


def fingerprint(arrays):
    """A hash of arrays (dense, sparse, or lists and dicts of them): same data, same hash.

    Examples
    --------
    >>> a = np.arange(6).reshape(2, 3)
    >>> fingerprint([a]) == fingerprint([a.copy()]) != fingerprint([a.T])
    True
    """
    digest = hashlib.blake2b(digest_size=16)
    for array in keras.tree.flatten(arrays) if not sparse.issparse(arrays) else [arrays]:
        if array is None:
            digest.update(b"none")
        elif sparse.issparse(array):
            array = array.tocsr()
            for part in (array.data, array.indices, array.indptr, np.asarray(array.shape)):
                _update(digest, part)
        else:
            _update(digest, np.asarray(array))
    return digest.hexdigest()


def _update(digest, array):
    digest.update(f"{array.dtype.str}{array.shape}".encode())
    if array.dtype.kind == "O":
        digest.update(repr(array.tolist()).encode())
    else:
        digest.update(np.ascontiguousarray(array).tobytes())


def _describe(value):
    """A parameter value as comparable text (classes and functions by name)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_describe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _describe(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if inspect.isclass(value) or inspect.isfunction(value):
        return f"{value.__module__}.{value.__qualname__}"
    if isinstance(value, np.generic):
        return value.item()
    config = getattr(value, "get_config", None)
    if callable(config):
        with contextlib.suppress(Exception):
            return {type(value).__name__: _describe(config())}
    return type(value).__name__


def _short(value):
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _variables(model):
    variables = list(model.variables)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        if not optimizer.built and model.trainable_variables:
            optimizer.build(model.trainable_variables)
        variables += [v for v in optimizer.variables if all(v is not w for w in variables)]
    return variables


def _stateful(callbacks):
    return [cb for cb in callbacks if type(cb) in _STATEFUL]


def _numpy(variable):
    return np.array(keras.ops.convert_to_numpy(keras.ops.copy(variable)))


def _plain(value):
    if isinstance(value, (np.generic, np.ndarray)):
        return np.asarray(value).item()
    if hasattr(value, "numpy"):
        return float(np.asarray(value.numpy()))
    return value


def _lock(folder):
    """An exclusive lock on ``folder`` for this fit; an error when another fit holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; one fit per folder is documented
        return None
    handle = open(folder / _LOCK, "a")  # noqa: SIM115 (held for the whole fit)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise BackupMismatchError(
            f"backup_dir {folder.parent} is in use by another fit that is running now. A "
            "backup_dir holds one fit: give each fit its own (for example one folder per "
            "fold or per candidate of a search)."
        ) from None
    return handle
