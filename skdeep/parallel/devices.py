"""Which GPU and how many threads each Dask worker gets, worked out without starting a framework."""

import os
import shutil
import subprocess
from urllib.parse import urlsplit


def host_positions(addresses):
    """Each worker's position among the workers of its host, in address order.

    Parameters
    ----------
    addresses : iterable of str
        Worker addresses, such as ``"tcp://10.0.0.5:40131"``.

    Returns
    -------
    dict
        Address -> position (0, 1, ... on each host).

    Examples
    --------
    >>> host_positions(["tcp://b:2", "tcp://a:9", "tcp://b:1", "tcp://a:3"])
    {'tcp://a:3': 0, 'tcp://a:9': 1, 'tcp://b:1': 0, 'tcp://b:2': 1}
    """
    positions, seen = {}, {}
    for address in sorted(addresses):
        host = urlsplit(address).hostname or address
        positions[address] = seen.get(host, 0)
        seen[host] = positions[address] + 1
    return positions


def pin_device(position, devices):
    """The device a worker at ``position`` on its host gets: round-robin, or None without any.

    Parameters
    ----------
    position : int
        The worker's position among the workers of its host.
    devices : sequence of str
        The host's GPUs, as ``CUDA_VISIBLE_DEVICES`` names them.

    Returns
    -------
    str or None
        The device's name for ``CUDA_VISIBLE_DEVICES``, or None without GPUs.

    Examples
    --------
    >>> [pin_device(p, ["0", "1"]) for p in range(5)]
    ['0', '1', '0', '1', '0']
    >>> pin_device(0, []) is None
    True
    """
    return devices[position % len(devices)] if devices else None


def local_devices(environ=None, probe=True):
    """The GPUs of this host, without starting a framework.

    ``CUDA_VISIBLE_DEVICES`` when it is set (an empty value means none);
    otherwise ``nvidia-smi -L``, when it exists (``probe=True``).

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (``os.environ`` by default).
    probe : bool, default=True
        Ask ``nvidia-smi`` when ``CUDA_VISIBLE_DEVICES`` is not set.

    Returns
    -------
    list of str
        The GPUs, as ``CUDA_VISIBLE_DEVICES`` names them.

    Examples
    --------
    >>> local_devices({"CUDA_VISIBLE_DEVICES": "2,3"})
    ['2', '3']
    >>> local_devices({"CUDA_VISIBLE_DEVICES": ""})
    []
    """
    environ = os.environ if environ is None else environ
    if "CUDA_VISIBLE_DEVICES" in environ:
        return [d.strip() for d in environ["CUDA_VISIBLE_DEVICES"].split(",") if d.strip()]
    if not probe or shutil.which("nvidia-smi") is None:
        return []
    try:
        listing = subprocess.run(
            ["nvidia-smi", "-L"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    return [str(i) for i, line in enumerate(listing.splitlines()) if line.startswith("GPU ")]


def worker_settings(nthreads, position, devices):
    """The environment a worker process sets before its first fit.

    Parameters
    ----------
    nthreads : int
        The worker's threads: its share of the host's cores.
    position : int or None
        Its position among the workers of its host (None: not known when
        the plugin was registered, so no GPU is pinned).
    devices : sequence of str
        The host's GPUs.

    Returns
    -------
    dict
        Environment variables to set.

    Examples
    --------
    >>> worker_settings(2, 1, ["0", "1"])
    {'OMP_NUM_THREADS': '2', 'CUDA_VISIBLE_DEVICES': '1'}
    >>> worker_settings(1, None, ["0", "1"])
    {'OMP_NUM_THREADS': '1'}
    """
    settings = {"OMP_NUM_THREADS": str(max(1, int(nthreads)))}
    device = None if position is None else pin_device(position, devices)
    if device is not None:
        settings["CUDA_VISIBLE_DEVICES"] = device
    return settings
