"""Every error and warning skdeep raises of its own, in one place.

Each is also importable where it is raised (``skdeep.estimators``,
``skdeep.serialization``, ``skdeep.datasets``, ``skdeep.parallel``), and
each derives from the built-in exception a caller would already catch
(``ValueError`` for bad data or files, ``FileNotFoundError`` for a missing
data set), so ``except ValueError`` keeps working.

This module imports nothing from skdeep: every layer may raise these.
"""

__all__ = [
    "BackendNotInstalledError",
    "BackupMismatchError",
    "ClearedParameterWarning",
    "DamagedFileError",
    "DatasetIntegrityError",
    "DatasetNotFoundError",
    "NoWorkersError",
    "NotSavableError",
    "TrainingDivergedError",
    "UntrustedContentError",
    "WorkerDiedError",
]


class TrainingDivergedError(ValueError):
    """Training produced a non-finite loss or non-finite weights.

    The fit stops with this error instead of leaving a model that predicts
    the same class everywhere; the estimator is left as it was before the
    fit. Usual causes: a learning rate that is too high, or inputs that are
    not scaled.
    """


class BackupMismatchError(ValueError):
    """``backup_dir`` holds an interrupted fit that this fit cannot continue.

    Raised when the backup was made with other parameters or data, has
    trained more epochs than asked for, is damaged, was written by an older
    skdeep, or when another running fit uses the folder. The message names
    both values and the folder; removing the folder starts afresh.
    """


class DamagedFileError(ValueError):
    """A skdeep file is not one, or is truncated, corrupted or inconsistent."""


class UntrustedContentError(ValueError):
    """A skdeep file refers to code that the caller has not trusted."""


class NotSavableError(TypeError):
    """A value that a safe skdeep file cannot hold; nothing was written."""


class ClearedParameterWarning(UserWarning):
    """A loaded estimator's parameter that named a file or folder was cleared."""


class BackendNotInstalledError(ImportError):
    """A framework skdeep needs is not installed: Keras' backend, or TensorFlow for a SavedModel.

    Raised by ``import skdeep`` when Keras' backend for the process
    (TensorFlow, JAX or PyTorch) is missing, before Keras would fail deep
    inside its own modules: the message names the extras that install one
    (``scikit-deep[tensorflow]``, ``[jax]``, ``[torch]``) and the installed
    backends ``KERAS_BACKEND`` can choose. Raised by
    :func:`skdeep.export` when a TensorFlow SavedModel is asked for where
    TensorFlow is not installed.
    """


class DatasetNotFoundError(FileNotFoundError):
    """A data set is not on this machine; the message says where to put it."""


class DatasetIntegrityError(ValueError):
    """A data file is there but is not the expected one; it is left untouched."""


class WorkerDiedError(RuntimeError):
    """The Dask worker process running a fit died, as many times as Dask allows.

    Inside :func:`skdeep.parallel.dask_backend`, a search scores such a fit
    ``error_score`` and names this error in its ``FitFailedWarning``; with
    ``error_score="raise"`` the search raises it.
    """


class NoWorkersError(RuntimeError):
    """The Dask cluster had no worker left to run the waiting fits.

    Raised by a search inside :func:`skdeep.parallel.dask_backend` when the
    cluster has had no worker for ``no_workers_timeout`` seconds.
    """
