"""The user guide's code runs as written, and its parameter tables are complete."""

import inspect
import re
from pathlib import Path

import pytest

from skdeep.models import cnn, mlp, rnn
from skdeep.models._docs import SHARED_PARAMETERS

ROOT = Path(__file__).resolve().parent.parent
#: Pages whose examples train for long (tutorials with the published
#: epochs): they run with the slow tests.
LONG_PAGES = [
    "estimators.md",
    "models.md",
    "tutorial-tabular.md",
    "tutorial-images.md",
    "tutorial-text.md",
    "tuning.md",
    "scaling.md",
    "time-series.md",
]
PAGES = [
    *(pytest.param(page, marks=pytest.mark.slow) for page in LONG_PAGES),
    "mlp.md",
    "cnn.md",
    "rnn.md",
    "datasets.md",
    "tasks.md",
    "saving.md",
    "migration.md",
    "sparse.md",
    "transformer.md",
    "multi-io.md",
]
SHARED = set(SHARED_PARAMETERS)


def code_blocks(path):
    """The ```python blocks of a Markdown file, in order."""
    return re.findall(r"```python\n(.*?)```", path.read_text(), flags=re.DOTALL)


@pytest.mark.parametrize("page", PAGES)
def test_every_example_of_the_page_runs(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    blocks = code_blocks(ROOT / "docs" / page)
    assert blocks, f"{page} has no example"
    for block in blocks:
        exec(compile(block, f"docs/{page}", "exec"), namespace)


@pytest.mark.slow
def test_the_readme_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__main__"}
    for block in code_blocks(ROOT / "README.md"):
        exec(compile(block, "README.md", "exec"), namespace)


@pytest.mark.parametrize(("builder", "page"), [(mlp, "mlp.md"), (cnn, "cnn.md"), (rnn, "rnn.md")])
def test_each_family_page_documents_every_parameter(builder, page):
    text = (ROOT / "docs" / page).read_text()
    shared = (ROOT / "docs" / "models.md").read_text()
    names = set(inspect.signature(builder).parameters) - {"meta", "compile_kwargs"}
    for name in sorted(names - SHARED):
        assert f"| `{name}` |" in text, f"{page} does not document {name}"
    for name in sorted(SHARED):
        assert f"`{name}`" in shared, f"models.md does not document {name}"
        assert name in (builder.__doc__ or ""), f"{builder.__name__} docstring lacks {name}"


@pytest.mark.parametrize("page", ["tasks.md", "results.md"])
def test_every_task_is_documented(page):
    from skdeep.tasks import all_tasks

    text = (ROOT / "docs" / page).read_text()
    for task in all_tasks():
        assert f"`{task.name}`" in text, f"{page} does not list {task.name}"


def test_the_error_table_lists_every_bad_input_case():
    from tests.test_bad_input import FIT_CASES, PREDICT_CASES, TRANSFORMER_CASES

    text = (ROOT / "docs" / "errors.md").read_text()
    for case in (*FIT_CASES, *PREDICT_CASES, *TRANSFORMER_CASES):
        assert f"| {case[0]} |" in text, (
            f"docs/errors.md lacks {case[0]!r}: run scripts/error_table.py"
        )
    assert "no longer raises" not in text

