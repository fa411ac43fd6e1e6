"""docs/results.md: one row per recipe, and the rows are what ``skdeep run`` prints."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from skdeep.tasks import all_tasks

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "results.md"


def _script():
    spec = importlib.util.spec_from_file_location(
        "results_table", ROOT / "scripts" / "results_table.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cells():
    """{task: score cell} of the page's task tables."""
    text = PAGE.read_text(encoding="utf-8")
    rows = _script().task_rows(text)
    cells = {}
    for line in text.splitlines():
        match = re.match(r"^\| `([a-z0-9-]+)` \|[^|]*\|([^|]*)\|", line)
        if match and match[1] in rows:
            cells.setdefault(match[1], match[2].strip())
    return rows, cells


def test_every_recipe_has_one_row_in_the_form_the_script_writes():
    rows, cells = _cells()
    assert sorted(rows) == sorted(task.name for task in all_tasks())
    assert len(rows) == len(set(rows))
    form = re.compile(r"^(?:(?:accuracy|MSE|MAE|RMSE|R2) )?-?\d+\.\d( %)?( \+/- \d+\.\d)?$")
    for task, cell in cells.items():
        assert form.match(cell), f"{task}: {cell!r}"


def test_the_script_writes_a_score_as_the_table_shows_it():
    script = _script()
    assert script.score_cell("accuracy", [0.96, 0.98, 0.98]) == "accuracy 97.3 % +/- 0.9"
    assert script.score_cell("MSE", [20.0, 26.0]) == "MSE 23.0 +/- 3.0"
    assert script.score_cell("RMSE", [48.44]) == "48.4"
    page = "| task | data | skdeep | published |\n| --- | --- | --- | --- |\n"
    row = "| `iris` | Iris | accuracy 1.0 % +/- 0.0 | 97.3 % (4.4) |\n"
    other = "\n| pipeline | data | skdeep | ref |\n| `iris` | Iris | kept | - |\n"
    text = script.rewrite(page + row + other, {"iris": "accuracy 97.3 % +/- 3.3"}, None)
    assert "| `iris` | Iris | accuracy 97.3 % +/- 3.3 | 97.3 % (4.4) |" in text
    assert "| `iris` | Iris | kept | - |" in text  # only the task tables are rewritten


@pytest.mark.slow
def test_the_pima_row_is_what_skdeep_run_pima_prints():
    # Pima's row once gave 76.3 % +/- 5.4 where the command printed 0.754 +/- 0.053.
    result = subprocess.run(
        [sys.executable, "-m", "skdeep", "run", "pima"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    printed = re.search(r"^accuracy: (\d\.\d+) \+/- (\d\.\d+)$", result.stdout, re.MULTILINE)
    assert printed, result.stdout
    mean, std = 100 * float(printed[1]), 100 * float(printed[2])
    cell = re.fullmatch(r"accuracy (\d+\.\d) % \+/- (\d+\.\d)", _cells()[1]["pima"])
    assert cell, _cells()[1]["pima"]
    # The page rounds to 0.1 point. On another CPU, TensorFlow's kernels may
    # flip a prediction: one row of 768 moves the mean by 0.13 point (this
    # machine prints 0.7539 where the page's run gave 75.5 %).
    assert abs(float(cell[1]) - mean) <= 0.2 and abs(float(cell[2]) - std) <= 0.2, (
        cell[0],
        printed[0],
    )
