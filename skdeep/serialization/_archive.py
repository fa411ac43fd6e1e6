"""Reading a skdeep archive as an attacker may have built it: sizes checked before reading.

Every member's size is read from the zip directory and checked before a
byte of it is decompressed, so a small file cannot inflate into gigabytes
of memory (Python's zip reader never returns more than the declared size).
An array member's header is read first and its shape checked against the
member's size, the manifest's nesting depth is bounded, and each member may
be used once, in the role its name says. Whatever is wrong raises
:class:`DamagedFileError` naming the file.
"""

import io
import json
import math
import zipfile

import numpy as np

from skdeep.exceptions import DamagedFileError

#: A member may inflate to this many bytes whatever the file's size ...
SIZE_FLOOR = 64 * 2**20
#: ... or to this many times the size of the whole file.
SIZE_RATIO = 50
#: The manifest holds parameters and small attributes; arrays are members.
MANIFEST_LIMIT = 32 * 2**20
#: Nesting of values in the manifest (lists in dicts in ...).
MAX_DEPTH = 64
MANIFEST = "skdeep.json"


def damaged(path, error):
    """The error for a file that cannot be read as it is."""
    detail = f"{type(error).__name__}: {error}" if isinstance(error, BaseException) else error
    return DamagedFileError(
        f"{path} is not a readable skdeep file: it may be truncated or corrupted "
        f"({detail}). Save it again from the original, or check that the copy finished."
    )


def check_member_sizes(archive, total_size, path):
    """Refuse an archive whose members declare more than the limits allow."""
    limit = max(SIZE_FLOOR, SIZE_RATIO * total_size)
    declared = 0
    for info in archive.infolist():
        if info.file_size > limit:
            raise damaged(
                path,
                f"its member {info.filename!r} declares {info.file_size} bytes, more than a "
                f"file of {total_size} bytes may hold (at most {limit})",
            )
        declared += info.file_size
    if declared > 2 * limit:
        raise damaged(path, f"its members declare {declared} bytes in all (at most {2 * limit})")


class Archive:
    """A skdeep archive opened for reading, with every member read through the checks.

    Parameters
    ----------
    path : path-like
        The file.
    """

    def __init__(self, path):
        self.path = path
        try:
            size = path.stat().st_size
            self.zip = zipfile.ZipFile(path)
            check_member_sizes(self.zip, size, path)
        except DamagedFileError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise damaged(path, error) from error
        self.used = set()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.zip.close()

    def manifest(self):
        """The parsed ``skdeep.json``."""
        try:
            info = self.zip.getinfo(MANIFEST)
        except KeyError as error:
            raise damaged(self.path, "it has no skdeep.json manifest") from error
        if info.file_size > MANIFEST_LIMIT:
            raise damaged(self.path, f"its manifest declares {info.file_size} bytes")
        try:
            text = self.zip.read(MANIFEST)
            manifest = json.loads(text)
        except RecursionError as error:
            raise damaged(self.path, "its manifest is nested too deeply") from error
        except Exception as error:
            raise damaged(self.path, error) from error
        if not isinstance(manifest, dict):
            raise damaged(self.path, "its manifest is not an object")
        check_depth(manifest, self.path)
        return manifest

    def member(self, name, extension):
        """The bytes of the member ``name``, which must end with ``.extension``, used once."""
        if not isinstance(name, str) or not name.startswith("parts/"):
            raise damaged(self.path, f"the manifest names {name!r}, which is not a member")
        if not name.endswith("." + extension):
            raise damaged(
                self.path, f"the manifest uses {name!r} as a .{extension} member, which it is not"
            )
        if name in self.used:
            raise damaged(self.path, f"the manifest uses the member {name!r} twice")
        self.used.add(name)
        try:
            return self.zip.read(name)
        except KeyError as error:
            raise damaged(self.path, f"the member {name!r} is missing") from error
        except Exception as error:  # a bad CRC, zlib errors on bit flips
            raise damaged(self.path, f"the member {name!r} cannot be read: {error}") from error

    def array(self, name):
        """A NumPy array member, read with ``allow_pickle=False`` after its header is checked."""
        data = self.member(name, "npy")
        stream = io.BytesIO(data)
        try:
            version = np.lib.format.read_magic(stream)
            if version == (1, 0):
                shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
            else:
                shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
            needed = math.prod(shape) * dtype.itemsize
            if dtype.hasobject or needed != len(data) - stream.tell():
                raise ValueError(
                    f"the header declares {shape} {dtype} ({needed} bytes), the member holds "
                    f"{len(data) - stream.tell()}"
                )
            stream.seek(0)
            return np.load(stream, allow_pickle=False)
        except Exception as error:
            raise damaged(self.path, f"the array member {name!r} is invalid: {error}") from error

    def unused(self):
        """Members the manifest never referred to."""
        return sorted(set(self.zip.namelist()) - self.used - {MANIFEST})


def check_depth(value, path):
    """Refuse values nested deeper than :data:`MAX_DEPTH`, without recursion."""
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise damaged(path, f"its manifest nests values more than {MAX_DEPTH} levels deep")
        if isinstance(item, dict):
            pending.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            pending.extend((v, depth + 1) for v in item)


def check_inner_zip(data, path, what):
    """Refuse a nested zip (a ``.keras`` or skops member) whose members inflate too far."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as inner:
            check_member_sizes(inner, len(data), f"{path} ({what})")
    except DamagedFileError:
        raise
    except Exception as error:
        raise damaged(path, f"{what} is not a valid archive: {error}") from error
