"""Fetch a Debian package's files at test time (real data that is not committed)."""

import shutil
import subprocess
from pathlib import Path


def fetch_package(package, directory):
    """Unpack ``package`` under ``directory/extracted``; None when it cannot be fetched here.

    Uses ``apt-get download`` and ``dpkg-deb -x``: nothing is installed.
    """
    directory = Path(directory)
    root = directory / "extracted"
    if root.exists():
        return root
    if not (shutil.which("apt-get") and shutil.which("dpkg-deb")):
        return None
    try:
        subprocess.run(
            ["apt-get", "download", package],
            cwd=directory,
            check=True,
            capture_output=True,
            timeout=300,
        )
        archive = next(directory.glob(f"{package}_*.deb"))
        subprocess.run(
            ["dpkg-deb", "-x", str(archive), str(root)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.SubprocessError, StopIteration, OSError):
        shutil.rmtree(root, ignore_errors=True)
        return None
    return root
