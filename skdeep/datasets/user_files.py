"""Data sets no registry ships, read from a file the user gives: UCI Bank Marketing."""

from pathlib import Path

import pandas as pd

from skdeep.datasets._bunch import frame_bunch
from skdeep.datasets._files import DatasetIntegrityError


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
        Return pandas objects (the features mix strings and numbers); False gives
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
    frame = _read_table(path)
    if "y" not in frame.columns or frame.shape[1] < 2 or frame.empty:
        raise DatasetIntegrityError(
            f"{path} does not look like the Bank Marketing data: expected a 'y' target "
            f"column among the features and at least one row, found {len(frame)} rows and columns "
            f"{list(frame.columns)[:8]}. Pass the path of bank-full.csv from the UCI archive."
        )
    labels = set(frame["y"].dropna().astype(str).str.strip().unique())
    if not labels or not labels <= {"yes", "no"} or frame["y"].isna().any():
        raise DatasetIntegrityError(
            f"{path}: the target column 'y' should hold 'yes' and 'no' only; found "
            f"{sorted(labels)[:6]}{' and missing values' if frame['y'].isna().any() else ''}. "
            "The file may be damaged or another data set."
        )
    descr = (
        f"UCI Bank Marketing: {len(frame)} phone-campaign contacts, target 'y' "
        f"(term deposit subscribed), read from {path.name}."
    )
    return frame_bunch(frame, "y", descr, return_X_y, as_frame)


def _read_table(path):
    """The CSV at ``path`` (semicolons or commas); a damaged file is a DatasetIntegrityError."""
    try:
        with open(path, encoding="utf-8") as f:
            header = f.readline()
        separator = ";" if header.count(";") > header.count(",") else ","
        return pd.read_csv(path, sep=separator, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise DatasetIntegrityError(
            f"{path} could not be read as a CSV table ({type(error).__name__}: "
            f"{str(error)[:200]}). Expected the UCI Bank Marketing CSV (bank-full.csv); "
            "download and unzip bank.zip again."
        ) from error
