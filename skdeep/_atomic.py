"""Writing a user's file so that a crash or a full disk never destroys a good one.

Every file skdeep writes goes through :func:`atomic_write`: the content goes
to a temporary file in the same folder, is flushed and synced to disk, and
only then replaces the target with :func:`os.replace` (atomic on POSIX and
Windows). An interrupted or failed write leaves the previous file as it was
and no partial file behind.
"""

import contextlib
import os
import tempfile
from pathlib import Path


def check_writable(path, what="output"):
    """Fail now, with a clear message, if ``path`` cannot be written.

    Checked before a long run, so that a typo costs seconds, not the run.

    Examples
    --------
    >>> check_writable("/no/such/folder/model.skdeep", "--save")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: --save: the folder /no/such/folder does not exist; ...
    """
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise IsADirectoryError(
            f"{what}: {path} is a folder; give a file name inside it, e.g. "
            f"{path / ('model.joblib' if 'save' in what else 'curves.png')}."
        )
    if not folder.exists():
        raise FileNotFoundError(
            f"{what}: the folder {folder} does not exist; create it first (mkdir -p {folder})."
        )
    if not folder.is_dir():
        raise NotADirectoryError(f"{what}: {folder} is not a folder, so {path} cannot be written.")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"{what}: no permission to write in {folder}.")
    if path.exists() and not os.access(path, os.W_OK):
        raise PermissionError(f"{what}: {path} exists and is not writable.")
    return path


@contextlib.contextmanager
def atomic_write(path, mode="wb"):
    """Open a temporary file beside ``path``; it replaces ``path`` when the block succeeds.

    Parameters
    ----------
    path : str or path-like
        The target file.
    mode : {"wb", "w"}
        Binary or text.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> target = os.path.join(folder, "notes.txt")
    >>> with atomic_write(target, "w") as f:
    ...     _ = f.write("kept")
    >>> try:
    ...     with atomic_write(target, "w") as f:
    ...         _ = f.write("half")
    ...         raise RuntimeError("disk full")
    ... except RuntimeError:
    ...     pass
    >>> open(target).read(), sorted(os.listdir(folder))
    ('kept', ['notes.txt'])
    """
    path = Path(path).expanduser()
    descriptor, temporary = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    try:
        with os.fdopen(descriptor, mode) as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        _keep_permissions(path, temporary)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _sync_folder(path.parent)


def _keep_permissions(path, temporary):
    """A replaced file keeps its mode; a new one gets the usual mode (umask applied)."""
    if path.exists():
        os.chmod(temporary, path.stat().st_mode & 0o7777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)


def _sync_folder(folder):
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
