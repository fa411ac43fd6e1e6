"""TensorFlow's native start-up log lines, kept off the terminal unless asked for.

While TensorFlow loads, its C++ code writes lines such as "oneDNN custom
operations are on" and "Could not find cuda drivers" straight to file
descriptor 2, before any Python logging or ``TF_CPP_MIN_LOG_LEVEL`` applies.
A script that imports skdeep, the ``skdeep`` command and every worker
process of a parallel search would print them. :func:`quiet_backend_imports`
(called by ``import skdeep``) captures file descriptor 2 while Keras or
TensorFlow is first imported, and writes back every captured line except
those native log lines below the level the user asked for: their own
``TF_CPP_MIN_LOG_LEVEL`` (``0`` shows everything), else only fatal ones.
Anything else written meanwhile (a Python warning, another thread's output)
is written back, not lost; if the import fails, everything is written back
with the error. The process environment is never changed. The backend's
runtime, which probes for CUDA when the first operation runs, is started the
same way by skdeep's first fit or prediction in a process
(:func:`skdeep._framework.process.limit_framework_threads`); an operation the
user runs before that is theirs, and so are its lines.
"""

import contextlib
import importlib.abc
import importlib.util
import os
import re
import sys
import tempfile

#: A line of TensorFlow's native log (absl's format: severity, date, time,
#: thread, file:line]; or, before TensorFlow 2.17, date, time, severity,
#: file:line]), or absl's note that precedes the first one.
_NATIVE_LINE = re.compile(
    rb"^(?:(?P<severity>[IWEF])\d{4} [\d:.]+ +\d+ [\w./-]+:\d+\]"
    rb"|\d{4}-\d{2}-\d{2} [\d:.]+: (?P<dated>[IWEF]) [\w./-]+:\d+\]"
    rb"|WARNING: All log messages before absl::InitializeLog\(\) is called)"
)
_SEVERITY = {b"I": 0, b"W": 1, b"E": 2, b"F": 3}
_BACKENDS = ("keras", "tensorflow")


#: The user's ``TF_CPP_MIN_LOG_LEVEL`` as it was before Keras loaded (importing
#: JAX, which Keras does whenever it is installed, sets it to 1 if unset).
_USER_LEVEL = {}


def note_user_level():
    """Remember the ``TF_CPP_MIN_LOG_LEVEL`` set now as the user's (before Keras loads)."""
    _USER_LEVEL["value"] = os.environ.get("TF_CPP_MIN_LOG_LEVEL")


def shown_level():
    """The lowest severity of native lines to show: the user's ``TF_CPP_MIN_LOG_LEVEL``.

    The value noted by :func:`note_user_level`, else the current one; unset
    or not a number: 3, only fatal lines.

    Examples
    --------
    >>> previous = _USER_LEVEL.pop("value", None)
    >>> _USER_LEVEL["value"] = None
    >>> shown_level()
    3
    >>> _USER_LEVEL["value"] = "0"
    >>> shown_level()
    0
    >>> _USER_LEVEL["value"] = previous
    """
    if "value" in _USER_LEVEL:
        value = _USER_LEVEL["value"]
    else:
        value = os.environ.get("TF_CPP_MIN_LOG_LEVEL")
    value = (value or "").strip()
    return int(value) if value.isdigit() else 3


def without_native_lines(captured, level):
    """``captured`` output less the native log lines of severity below ``level``.

    A native line's continuation lines (TensorFlow's CPU-feature notice
    takes two) go with it; absl's "All log messages before ..." note counts
    as an information line.

    Examples
    --------
    >>> out = (b"WARNING: All log messages before absl::InitializeLog() is called\\n"
    ...        b"I0000 00:00:17.2 7250 port.cc:153] oneDNN custom operations are on.\\n"
    ...        b"To enable the following instructions: AVX2, rebuild TensorFlow.\\n"
    ...        b"E0000 00:00:17.3 7250 cuda_platform.cc:52] failed call to cuInit\\n"
    ...        b"2026-12-06 21:04:03.19: W tensorflow/py_utils.cc:38] TF-TRT Warning\\n"
    ...        b"UserWarning: something else\\n")
    >>> without_native_lines(out, 3)
    b'UserWarning: something else\\n'
    >>> without_native_lines(out, 2).splitlines()[0][:5]
    b'E0000'
    >>> len(without_native_lines(out, 0)) == len(out)
    True
    """
    kept, dropping = [], False
    for line in captured.splitlines(keepends=True):
        match = _NATIVE_LINE.match(line)
        if match is None:
            if not dropping or not line.startswith(b"To enable the following"):
                kept.append(line)
                dropping = False
            continue
        dropping = _SEVERITY.get(match.group("severity") or match.group("dated"), 0) < level
        if not dropping:
            kept.append(line)
    return b"".join(kept)


@contextlib.contextmanager
def native_lines_filtered():
    """File descriptor 2 captured for the block, written back less native log lines.

    When the block raises, everything captured is written back before the
    error propagates. Without a file descriptor 2 the block runs as is.
    """
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    failed = False
    with tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        os.dup2(captured.fileno(), 2)
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            output = captured.read()
            if not failed:
                output = without_native_lines(output, shown_level())
            if output:
                os.write(2, output)


class _QuietLoader(importlib.abc.Loader):
    """The backend's own loader, run with :func:`native_lines_filtered`."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__spec__.loader = module.__loader__ = self.loader
        with native_lines_filtered():
            self.loader.exec_module(module)


class _QuietBackendFinder(importlib.abc.MetaPathFinder):
    """Finds Keras or TensorFlow as the other finders do, and loads it quietly, once."""

    def __init__(self):
        self.finding = False

    def find_spec(self, name, path=None, target=None):
        if name not in _BACKENDS or self.finding:
            return None
        self.finding = True
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self.finding = False
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)  # the first backend import loads the rest
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _QuietLoader(spec.loader)
        return spec


def quiet_backend_imports():
    """Make the first import of Keras or TensorFlow in this process quiet.

    Does nothing when either is already imported (their lines, if any, are
    written) or when the finder is already installed.
    """
    if any(name in sys.modules for name in _BACKENDS):
        return
    note_user_level()
    if not any(isinstance(finder, _QuietBackendFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _QuietBackendFinder())
