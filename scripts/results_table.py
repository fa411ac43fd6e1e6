"""Regenerate the scores of ``docs/results.md`` from the task recipes, in one run.

Every table of that page whose first column is ``task`` has one row per
recipe; this script runs each of those recipes exactly as ``skdeep run TASK``
does with its defaults (:func:`skdeep.tasks.run_task`: the published epochs
and batch sizes, 10-fold cross-validation shuffled with seed 0, or the
task's own test split) and writes the score into the row's ``skdeep``
column, in the form the command prints, rounded for the table. The data and
published columns and the prose are the page's own. The line that names the
machine and the versions is rewritten too.

The full data sets' tables (``| pipeline |``) come from
``scripts/real_data_results.py`` instead. ``tests/test_results_page.py``
checks that a row matches what the command prints.

Usage::

    python scripts/results_table.py [--jobs N] [TASK ...]

Without task names every row is regenerated (about half an hour on two
cores); with names only theirs. ``--jobs`` runs folds in worker processes,
with the same scores.
"""

import argparse
import datetime
import os
import platform
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "results.md"

#: A table row whose first cell is a task name in backquotes.
_ROW = re.compile(r"^\| `(?P<task>[a-z0-9-]+)` \|(?P<data>[^|]*)\|(?P<score>[^|]*)\|(?P<rest>.*)$")
_MACHINE = re.compile(r"^Machine: .*$", re.MULTILINE)


def score_cell(metric, scores):
    """The table's form of a task's scores: what ``skdeep run`` prints, rounded.

    Parameters
    ----------
    metric : str
        The task's metric name (``"accuracy"``, ``"MSE"``, ``"RMSE"``...).
    scores : sequence of float
        One score per fold, or one for a test split.

    Returns
    -------
    str
        For example ``"accuracy 97.3 % +/- 3.3"``, ``"MSE 23.0 +/- 5.6"``, or
        ``"48.4"`` for one test split of an RMSE.

    Examples
    --------
    >>> score_cell("accuracy", [0.9, 1.0])
    'accuracy 95.0 % +/- 5.0'
    >>> score_cell("RMSE", [48.41])
    '48.4'
    """
    import numpy as np

    scale, unit = (100, " %") if metric == "accuracy" else (1, "")
    mean = scale * float(np.mean(scores))
    if len(scores) == 1:  # a test split: the column's header names the metric
        return f"{mean:.1f}{unit}"
    return f"{metric} {mean:.1f}{unit} +/- {scale * float(np.std(scores)):.1f}"


def machine_line():
    """The sentence naming the machine and versions the scores came from."""
    import keras
    import sklearn

    versions = [f"Python {platform.python_version()}", f"Keras {keras.__version__}"]
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow

        versions.insert(1, f"TensorFlow {tensorflow.__version__}")
    else:
        versions.insert(1, f"Keras backend {backend}")
    versions.append(f"scikit-learn {sklearn.__version__}")
    return (
        f"Machine: {os.cpu_count()} CPU cores, {', '.join(versions)} "
        f"({datetime.date.today().isoformat()})."
    )


def task_rows(text):
    """The task names of the page's ``| task |`` tables, in page order."""
    names, in_task_table = [], False
    for line in text.splitlines():
        if line.startswith("| "):
            if line.startswith("| task |"):
                in_task_table = True
            elif in_task_table and (match := _ROW.match(line)):
                names.append(match["task"])
        else:
            in_task_table = False
    return names


def rewrite(text, cells, machine):
    """``text`` with the score cell of each task in ``cells`` and the machine line replaced."""
    lines, in_task_table = [], False
    for line in text.splitlines():
        if line.startswith("| "):
            in_task_table = in_task_table or line.startswith("| task |")
            match = _ROW.match(line)
            if in_task_table and match and match["task"] in cells:
                line = (
                    f"| `{match['task']}` |{match['data']}| {cells[match['task']]} |{match['rest']}"
                )
        else:
            in_task_table = False
        lines.append(line)
    text = "\n".join(lines) + "\n"
    return _MACHINE.sub(machine, text, count=1) if machine else text


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", nargs="*", help="tasks to rerun (default: every row)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # this checkout's skdeep, installed or not

    from skdeep._atomic import atomic_write
    from skdeep.tasks import all_tasks, run_task

    text = PAGE.read_text(encoding="utf-8")
    rows = task_rows(text)
    unknown = sorted(set(args.tasks) - set(rows))
    if unknown:
        parser.error(f"no row for {unknown} in {PAGE.name}; rows: {', '.join(rows)}")
    missing = sorted({task.name for task in all_tasks()} - set(rows))
    if missing:
        print(f"note: no row in {PAGE.name} for {', '.join(missing)}", file=sys.stderr)
    cells = {}
    for name in args.tasks or rows:
        result = run_task(name, n_jobs=args.jobs)
        cells[name] = score_cell(result.metric, result.scores)
        print(f"{name}: {cells[name]}", flush=True)
        # Written after every task: an interrupted run keeps what it measured.
        with atomic_write(PAGE, "w") as page:
            page.write(rewrite(text, cells, machine_line()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
