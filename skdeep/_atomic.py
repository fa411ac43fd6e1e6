"""Writing a user's file so that a crash or a full disk never destroys a good one.

Every file skdeep writes goes through :func:`atomic_write`: the content goes
to a temporary file in the same folder, is flushed and synced to disk, and
only then replaces the target with :func:`os.replace` (atomic on POSIX and
Windows). An interrupted or failed write leaves the previous file as it was.

What the target may be (:func:`target`):

* a regular file, or a name that does not exist yet;
* a symbolic link: the file it points to is written (the link stays a link);
* not a folder, a device, a FIFO or a socket, and not a file with several
  hard links (replacing it would leave the other names with the old
  content): each of those is an error that says so, and nothing is written.

A write killed after its data went to the temporary file and before the
rename leaves that file behind; its name carries the writing process's id,
and the next write to the same target removes it once that process is gone.
"""

import contextlib
import os
import stat
import tempfile
import threading
from pathlib import Path

_umask_lock = threading.Lock()  # reading the umask means setting it for a moment


def target(path, what="output"):
    """The file a write to ``path`` replaces, after the checks above.

    Parameters
    ----------
    path : str or path-like
        Where the user asked to write.
    what : str
        What is written (an option name), for messages.

    Returns
    -------
    pathlib.Path
        ``path`` itself, or the file a symbolic link at ``path`` points to.

    Examples
    --------
    >>> target("/dev/null", "--save")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --save: /dev/null is a character device, not a regular file; ...
    """
    path = Path(path).expanduser()
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        status = path.stat()
    except FileNotFoundError:
        return path
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(
            f"{what}: {path} is a folder; give a file name inside it, e.g. "
            f"{path / ('model.joblib' if 'save' in what else 'curves.png')}."
        )
    if not stat.S_ISREG(status.st_mode):
        raise ValueError(
            f"{what}: {path} is a {_kind(status.st_mode)}, not a regular file; skdeep writes "
            "a file by replacing it atomically. Give the path of a regular file."
        )
    if status.st_nlink > 1:
        raise ValueError(
            f"{what}: {path} has {status.st_nlink} hard links; replacing it atomically "
            "would leave the other names with the old content. Remove the other links, "
            "or write to a new file name."
        )
    return path


def check_writable(path, what="output"):
    """Fail now, with a clear message, if ``path`` cannot be written.

    Checked before a long run, so that a typo costs seconds, not the run:
    the temporary file the write will use is created beside the target and
    removed again.

    Examples
    --------
    >>> check_writable("/no/such/folder/model.skdeep", "--save")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: --save: the folder /no/such/folder does not exist; ...
    """
    path = target(path, what)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.exists():
        raise FileNotFoundError(
            f"{what}: the folder {folder} does not exist; create it first (mkdir -p {folder})."
        )
    if not folder.is_dir():
        raise NotADirectoryError(f"{what}: {folder} is not a folder, so {path} cannot be written.")
    if path.exists() and not os.access(path, os.W_OK):
        raise PermissionError(f"{what}: {path} exists and is not writable.")
    try:
        descriptor, temporary = _temporary(path)
    except OSError as error:
        raise PermissionError(
            f"{what}: {path} cannot be written ({error.strerror or error}); choose a folder "
            "you can write to."
        ) from None
    os.close(descriptor)
    os.unlink(temporary)
    return path


@contextlib.contextmanager
def atomic_write(path, mode="wb", what="output"):
    """Open a temporary file beside ``path``; it replaces ``path`` when the block succeeds.

    Parameters
    ----------
    path : str or path-like
        The target file (see :func:`target` for what it may be).
    mode : {"wb", "w"}
        Binary or text.
    what : str, default="output"
        What is written (an option or function name), for messages.

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
    path = target(path, what)
    remove_stale_temporaries(path)
    descriptor, temporary = _temporary(path)
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


def _temporary(path):
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)


def remove_stale_temporaries(path):
    """Remove temporary files of earlier writes to ``path`` whose process has ended."""
    prefix = f".{path.name}."
    try:
        names = os.listdir(path.parent if str(path.parent) else ".")
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid, separator, _ = name[len(prefix) : -len(".tmp")].partition("-")
        if separator and pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def _alive(pid):
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _kind(mode):
    for test, name in (
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISFIFO, "FIFO (named pipe)"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special file"


def _keep_permissions(path, temporary):
    """A replaced file keeps its mode; a new one gets the usual mode (umask applied)."""
    if path.exists():
        os.chmod(temporary, path.stat().st_mode & 0o7777)
    else:
        with _umask_lock:
            umask = os.umask(0o077)
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
