"""Data sets no registry ships, read from a file the user gives: UCI Bank Marketing."""

from pathlib import Path

import pandas as pd

from skdeep.datasets._bunch import frame_bunch


def load_bank_marketing(path, *, return_X_y=False, as_frame=True):
    """Load UCI Bank Marketing from its CSV file (``bank-full.csv`` and the like).

    The file is not redistributable here: download it from the UCI
    repository (``bank.zip`` or ``bank-additional.zip``) and pass the
    path of the CSV. Both the semicolon-separated original and a
    comma-separated copy are read; the target is the ``y`` column
    (``"yes"``/``"no"``: did the client subscribe a term deposit). The
    file is only read, never changed.

    For a mixed categorical/numeric task that works offline, see
    :func:`skdeep.datasets.load_german_credit`.

    Parameters
    ----------
    path : str or path
        The CSV file.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    as_frame : bool, default=True
        pandas objects (the features mix strings and numbers); False gives
        an object array.

    Returns
    -------
    Bunch or tuple
        ``data`` (16 or 20 feature columns), ``target`` (``"yes"``/``"no"``),
        ``feature_names``, ``frame``, ``DESCR``.
    """
    path = Path(path).expanduser()
    if not path.is_file():
        raise FileNotFoundError(
            f"Bank Marketing file not found: {path}. Download bank.zip from the UCI "
            "Machine Learning Repository (archive.ics.uci.edu, 'Bank Marketing'), unzip "
            "it and pass the path of bank-full.csv."
        )
    with open(path, encoding="utf-8", errors="replace") as f:
        header = f.readline()
    frame = pd.read_csv(path, sep=";" if header.count(";") > header.count(",") else ",")
    if "y" not in frame.columns or frame.shape[1] < 2:
        raise ValueError(
            f"{path} does not look like the Bank Marketing data: expected a 'y' target "
            f"column among the features, found columns {list(frame.columns)[:8]}."
        )
    descr = (
        f"UCI Bank Marketing: {len(frame)} phone-campaign contacts, target 'y' "
        f"(term deposit subscribed), read from {path.name}."
    )
    return frame_bunch(frame, "y", descr, return_X_y, as_frame)
